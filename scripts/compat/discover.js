'use strict';
// What a compat tree holds: every <root>/<phase>/test-*.{js,mjs} with its header, the phases in
// order, and the expected failures (<root>/known-failures.json for a runtime, or the runtime
// team's own list given with --expect).

const fs = require('node:fs');
const path = require('node:path');
const { UsageError } = require('../lib/cli');

const HEADER_RE = /^\/\/\s*(node|ours|beyond)\s*:\s*(.*?)\s*$/;
const TIMEOUT_RE = /^\/\/\s*timeout\s*:\s*(\d+(?:\.\d+)?)\s*$/;

function phaseMatches(phase, wanted) {
  return wanted.some((w) => (/^\d+$/.test(w) ? new RegExp(`^phase${w}(?:\\D|$)`).test(phase) : phase === w || phase === `phase${w}`));
}

function discover(root) {
  const files = [];
  const walk = (dir, depth) => {
    let entries;
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (err) {
      if (depth === 0) throw new UsageError(`cannot read compat root ${dir}: ${err.message}`);
      return;
    }
    for (const e of entries) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name === 'node_modules' || e.name === 'fixtures' || e.name.startsWith('.')) continue;
        if (depth === 0 && e.name === 'common') continue;
        walk(full, depth + 1);
      } else if (e.isFile() && /^test-.*\.(?:js|mjs)$/.test(e.name)) {
        files.push(full);
      }
    }
  };
  walk(root, 0);
  return files.map((file) => {
    const rel = path.relative(root, file).split(path.sep).join('/');
    const phase = rel.includes('/') ? rel.slice(0, rel.indexOf('/')) : '(top)';
    return { file, rel, phase, ...readHeader(file) };
  }).sort((a, b) => comparePhases(a.phase, b.phase) || a.rel.localeCompare(b.rel, 'en', { numeric: true }));
}

// phase1, phase2… in order, then the other folders alphabetically
function comparePhases(a, b) {
  const rank = (p) => (/^phase\d/.test(p) ? 0 : 1);
  return rank(a) - rank(b) || a.localeCompare(b, 'en', { numeric: true });
}

function readHeader(file) {
  let text = '';
  try {
    const fd = fs.openSync(file, 'r');
    const buf = Buffer.alloc(4096);
    const n = fs.readSync(fd, buf, 0, buf.length, 0);
    fs.closeSync(fd);
    text = buf.toString('utf8', 0, n);
  } catch (err) {
    return { kind: null, headerError: `cannot read: ${err.message}` };
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  let i = 0;
  if (lines[0] && lines[0].startsWith('#!')) i = 1;
  const m = HEADER_RE.exec(lines[i] || '');
  const out = m && m[2]
    ? { kind: m[1], about: m[2] }
    : { kind: null, headerError: `first line must be "// node: …", "// ours: …" or "// beyond: …", found ${JSON.stringify((lines[i] || '').slice(0, 80))}` };
  // "// timeout: N" anywhere in the preamble: comments, blank lines, 'use strict'
  for (let j = i; j < lines.length && /^\s*(?:\/\/.*|(['"])use strict\1;?)?\s*$/.test(lines[j]); j++) {
    const t = TIMEOUT_RE.exec(lines[j].trim());
    if (t) out.timeout = Number(t[1]);
  }
  return out;
}

/** "compat/phase1-x/test-y.js", "./phase1-x\test-y.js" -> "phase1-x/test-y.js" */
const caseKey = (k) => k.replace(/\\/g, '/').replace(/^(?:\.\/)?compat\//, '');

function readJson(file) {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`${file}: ${err.message}`);
  }
}

function loadKnownFailures(root, runtime) {
  const file = path.join(root, 'known-failures.json');
  if (!fs.existsSync(file)) return { list: {}, file: null };
  const data = readJson(file);
  const list = {};
  for (const [k, v] of Object.entries((data && data[runtime]) || {})) {
    list[caseKey(k)] = String(v || 'listed in known-failures.json');
  }
  return { list, file };
}

/**
 * --expect <file>: a runtime team's own list of the cases it knows to fail, in either shape:
 *   { "<phase>/<file>": "<reason>", … }  (compat/known-failures.json's shape for one runtime)
 *   the JSON of an earlier run (--json): its failures (FAIL and expected failures) are the list
 * -> { list: { rel: reason }, file }
 */
function loadExpectList(file) {
  const data = readJson(file);
  const list = {};
  if (data && Array.isArray(data.results)) {
    for (const r of data.results) {
      if (r && (r.outcome === 'fail' || r.outcome === 'xfail')) list[caseKey(String(r.file))] = `failed in ${file}: ${r.failWhy || r.why || 'failed'}`;
    }
  } else if (data && typeof data === 'object' && !Array.isArray(data)) {
    for (const [k, v] of Object.entries(data)) {
      if (typeof v !== 'string') throw new UsageError(`${file}: the reason for ${k} must be a string, as in { "<phase>/<file>": "<reason>" }`);
      list[caseKey(k)] = v || `listed in ${file}`;
    }
  } else {
    throw new UsageError(`${file}: expected { "<phase>/<file>": "<reason>", … } or the JSON of a run (--json)`);
  }
  return { list, file };
}

module.exports = { phaseMatches, discover, comparePhases, readHeader, loadKnownFailures, loadExpectList };
