// Intentionally empty: the preload of the startup-empty-preload row of scripts/bench.js (what any
// preload at all costs at start-up).
