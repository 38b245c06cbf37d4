// README's "## Settings" table names every environment variable the code reads. The code is
// searched as text (src/, src-native/, scripts/, bin/): process.env.X, env.X, env['X'],
// getenv("X"), and names written as strings ('DEKA_…', 'NODE_CHANNEL_…': what helpers such as
// msFromEnv('DEKA_IPC_EXIT_FLUSH_MS') or constants such as kChannelFdEnv hand to process.env).
// A variable read but not in the table fails with its name and where it is read; a variable in
// the table that nothing reads any more fails too (also searching compat/ and .ci/).
import t from 'tap';
import fs from 'fs';
import path from 'path';

const root = path.resolve(__dirname, '..');
const CODE = /\.(?:[cm]?[jt]s|cc|h)$/;
const SKIP_DIRS = new Set(['node_modules', '.next', '.compat-tmp', 'build', 'dist']);

function files(dir: string, out: string[] = []): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return out;
  }
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory() && !SKIP_DIRS.has(e.name) && !/^app/.test(e.name)) files(p, out);
    else if (e.isFile() && (CODE.test(e.name) || dir.endsWith(`${path.sep}.ci`))) out.push(p);
  }
  return out;
}

const READS = [
  /\benv\.([A-Z][A-Z0-9_]*)\b/g, // process.env.X, env.X (a copy of process.env)
  /\benv\[\s*['"`]([A-Za-z_][A-Za-z0-9_]*)['"`]\s*\]/g, // process.env['X']
  /\bgetenv\(\s*"([A-Za-z_][A-Za-z0-9_]*)"\s*\)/g, // getenv("X") in the addon
  /['"`]((?:DEKA|NODE_CHANNEL)_[A-Z0-9_]+)['"`]/g, // a variable's name as a string: msFromEnv('DEKA_…'), kXxxEnv = '…'
  /\$\{?(DEKA_[A-Z0-9_]+)/g, // shell: $DEKA_X, ${DEKA_X:-…}
];

/** name -> ["file:line", …] */
function variablesRead(dirs: string[]): Map<string, string[]> {
  const found = new Map<string, string[]>();
  for (const dir of dirs) {
    for (const file of files(path.join(root, dir))) {
      const lines = fs.readFileSync(file, 'utf8').split('\n');
      lines.forEach((line, i) => {
        for (const re of READS) {
          for (const m of line.matchAll(re)) {
            const where = `${path.relative(root, file)}:${i + 1}`;
            if (!found.has(m[1])) found.set(m[1], []);
            found.get(m[1])!.push(where);
          }
        }
      });
    }
  }
  return found;
}

/** The variables the README's Settings table names (every `NAME` in a row's first cell). */
function tableNames(): Set<string> {
  const readme = fs.readFileSync(path.join(root, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Settings\n');
  if (start === -1) throw new Error('README.md has no "## Settings" section');
  const end = readme.indexOf('\n## ', start + 1);
  const names = new Set<string>();
  for (const row of readme.slice(start, end === -1 ? undefined : end).split('\n')) {
    if (!row.startsWith('| `')) continue;
    for (const [, name] of row.split('|')[1].matchAll(/`([A-Za-z_][A-Za-z0-9_]*)`/g)) names.add(name);
  }
  return names;
}

const table = tableNames();

t.test('every variable the code reads is in the table', async (t) => {
  const read = variablesRead(['src', 'src-native', 'scripts', 'bin']);
  t.ok(read.has('DEKA_IPC_SPIN_US') && read.has('DEKA_IPC_EXIT_FLUSH_MS') && read.has('DEKA_CHANNEL_FD'), 'the search finds getenv, helpers and constants');
  const missing = [...read].filter(([name]) => !table.has(name))
    .map(([name, where]) => `${name} (read at ${where.slice(0, 3).join(', ')}${where.length > 3 ? ', …' : ''})`);
  t.same(missing, [], missing.length
    ? `README.md's "## Settings" table lacks: ${missing.join('; ')}. Add a row: meaning, default, range (internal ones say so).`
    : 'all in the table');
});

t.test('every variable in the table is read somewhere', async (t) => {
  const read = variablesRead(['src', 'src-native', 'scripts', 'bin', 'compat', '.ci']);
  const stale = [...table].filter((name) => !read.has(name));
  t.same(stale, [], stale.length ? `README.md's "## Settings" table names what no code reads: ${stale.join(', ')}` : 'none stale');
});
