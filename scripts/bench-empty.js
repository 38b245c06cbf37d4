// Intentionally empty: the startup rows in scripts/bench.js time `node [-r deka-ipc/register] this-file`
// and `node -r bench-empty-preload.js this-file` (or bench-child-process-preload.js).
