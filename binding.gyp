{
  "variables": {
    # DEKA_IPC_PORTABLE=1 (npm ci / npm run build): compile platform-posix.cc, the path of
    # macOS and the BSDs, on Linux too, so that it is built and tested here (no rings then).
    "deka_ipc_portable%": "<!(node -p \"process.env.DEKA_IPC_PORTABLE === '1' ? 1 : 0\")"
  },
  "targets": [
    {
      "target_name": "deka_ipc",
      "sources": ["src-native/addon.cc", "src-native/advanced.cc", "src-native/channel.cc", "src-native/io.cc", "src-native/json-line.cc", "src-native/json-object.cc", "src-native/line-buffer.cc", "src-native/peer-activity.cc", "src-native/read-pacing.cc", "src-native/ring-transport.cc", "src-native/shm-ring.cc", "src-native/socket-transport.cc", "src-native/stream.cc", "src-native/stream-read.cc"],
      "include_dirs": ["<!(node -e \"require('nan')\")"],
      "cflags_cc": ["-Wall", "-Wextra"],
      "conditions": [
        ["OS == 'linux' and deka_ipc_portable == 0", {"sources": ["src-native/platform-linux.cc"]}],
        ["OS == 'linux' and deka_ipc_portable != 0", {"sources": ["src-native/platform-posix.cc"]}],
        ["OS in ('freebsd', 'openbsd', 'netbsd')", {"sources": ["src-native/platform-posix.cc"]}],
        ["OS == 'mac'", {
          "sources": ["src-native/platform-posix.cc"],
          # The line's own settings, restated so that nothing here can pin an older one: the
          # C++ standard of the line's headers (Node 23+, module version 131+, need C++20;
          # before, C++17) and the line's deployment target (node-gyp's common.gypi of that
          # line: 10.15 for Node 20, 11.0 for 22, 13.5 for 24 and 26). No exceptions, as the
          # -fno-exceptions of the Linux build.
          "xcode_settings": {
            "GCC_ENABLE_CPP_EXCEPTIONS": "NO",
            "WARNING_CFLAGS": ["-Wall", "-Wextra"]
          },
          "conditions": [
            ["node_module_version >= 137", {"xcode_settings": {"CLANG_CXX_LANGUAGE_STANDARD": "gnu++20", "MACOSX_DEPLOYMENT_TARGET": "13.5"}}],
            ["node_module_version >= 131 and node_module_version < 137", {"xcode_settings": {"CLANG_CXX_LANGUAGE_STANDARD": "gnu++20", "MACOSX_DEPLOYMENT_TARGET": "11.0"}}],
            ["node_module_version >= 127 and node_module_version < 131", {"xcode_settings": {"CLANG_CXX_LANGUAGE_STANDARD": "gnu++17", "MACOSX_DEPLOYMENT_TARGET": "11.0"}}],
            ["node_module_version < 127", {"xcode_settings": {"CLANG_CXX_LANGUAGE_STANDARD": "gnu++17", "MACOSX_DEPLOYMENT_TARGET": "10.15"}}]
          ]
        }]
      ]
    }
  ]
}
