// The preload of the startup-child-process-preload row in scripts/bench.js: child_process and
// nothing else, what any preload that replaces fork before the program runs has to load.
require('child_process');
