// Intentionally empty: the startup rows in scripts/bench.js time `node [-r deka-ipc/register] this-file`
// and `node -r empty-preload.js this-file` (or child-process-preload.js).
