{
  "targets": [
    {
      "target_name": "deka_ipc",
      "sources": ["src-native/addon.cc", "src-native/advanced.cc", "src-native/channel.cc", "src-native/io.cc", "src-native/json-object.cc", "src-native/line-buffer.cc", "src-native/shm-channel.cc", "src-native/shm-ring.cc"],
      "include_dirs": ["<!(node -e \"require('nan')\")"],
      "cflags_cc": ["-Wall", "-Wextra"]
    }
  ]
}
