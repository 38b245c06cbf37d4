// After tsc: dist/runtime.js (src/runtime.ts, what the preload loads at the first fork or when
// a channel is handed to us, and what the public API is made of) becomes one file holding every
// module it reaches. A child of a deka-ipc parent then reads, resolves and compiles one file
// instead of ~30: measured on Node 20, a fork with its child's first message costs ~15 % less
// CPU in the two processes together (issue 23's figures in the commit that added this).
//   node scripts/bundle.js        (npm run build and npm's prepare run it after tsc)
// What stays apart:
// - the start-up files register.ts loads before the runtime (builtin.js, preload.js,
//   channel-env.js): required from the bundle, so that each exists once in a process;
// - packages (node-gyp-build finds the addon) and the addon itself.
// The per-module files tsc wrote stay in dist/ (tests load some, e.g. dist/native.js, directly);
// nothing the package exports reaches them. esbuild keeps each module in a function of its
// own, run at its first require, as Node would; the source map chains tsc's, so stack traces
// and coverage still name src/*.ts. Without esbuild (an install without devDependencies),
// dist/ stays tsc's output, which works the same, one file per module.
'use strict';
const fs = require('fs');
const path = require('path');

const dist = path.join(__dirname, '..', 'dist');
const entry = path.join(dist, 'runtime.js');
const startupFiles = new Set(['builtin.js', 'preload.js', 'channel-env.js'].map((f) => path.join(dist, f)));

let esbuild;
try {
  esbuild = require('esbuild');
} catch {
  console.log('bundle: esbuild is not installed; dist/ stays one file per module');
  process.exit(0);
}
if (!fs.existsSync(entry)) {
  console.error('bundle: no dist/runtime.js: run tsc -p tsconfig.json first');
  process.exit(1);
}

// Resolves relative requires itself, to keep the start-up files out of the bundle by where
// they are, whatever path names them (./builtin from dist/, ../builtin from dist/channel/).
const keepStartupFilesApart = {
  name: 'startup-files-apart',
  setup(build) {
    build.onResolve({ filter: /^\.\.?\// }, (args) => {
      const resolved = require.resolve(path.resolve(args.resolveDir, args.path));
      if (!startupFiles.has(resolved)) return undefined;
      return { path: './' + path.relative(dist, resolved).split(path.sep).join('/'), external: true };
    });
  },
};

esbuild
  .build({
    entryPoints: [entry],
    outfile: entry,
    allowOverwrite: true,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    sourcemap: true,
    logLevel: 'warning',
    plugins: [keepStartupFilesApart],
  })
  .then(() => {
    console.log(`bundle: dist/runtime.js, ${fs.statSync(entry).size} bytes`);
  })
  .catch(() => process.exit(1));
