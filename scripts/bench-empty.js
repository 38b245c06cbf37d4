// Intentionally empty: `startup-preload` in scripts/bench.js times `node [-r register.js] this-file`.
