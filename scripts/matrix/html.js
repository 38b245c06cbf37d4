'use strict';
// matrix.json -> one self-contained matrix.html: inline CSS, no script, no external asset.
// Sections: the verdict, what changed since the previous run of the same matrix, the unexpected
// failures (each with its output behind a <details>), phases × columns with counts and a bar,
// the lines and their builds, and every case's outcome per column (a failure's output is one
// click away in its cell).

const { BAD } = require('./data');

const esc = (s) => String(s ?? '').replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);

const OUTCOME_TEXT = { pass: 'ok', fail: 'FAIL', xpass: 'XPASS', xfail: 'xfail', skip: 'skip' };

function fmtMs(ms) {
  if (ms == null) return '–';
  return ms < 1000 ? `${ms} ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)} s`
    : `${Math.floor(ms / 60000)} min ${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')} s`;
}

function fmtTime(iso) {
  return iso ? iso.replace('T', ' ').replace(/\.\d+Z$/, ' UTC').replace(/Z$/, ' UTC') : '–';
}

const runtimeName = (col) => (col.runtime === 'node' ? 'builtin' : col.runtime === 'deka-ipc' ? 'deka-ipc' : `${col.runtime}${col.version ? ` ${col.version}` : ''}`);

/** Columns grouped under their Node line (deka-ipc, builtin), then bun / deno together. */
function columnGroups(matrix) {
  const groups = [];
  for (const col of matrix.columns) {
    const key = col.line == null ? 'other' : `line-${col.line}`;
    let g = groups.find((x) => x.key === key);
    if (!g) {
      const line = matrix.lines.find((l) => l.major === col.line);
      g = {
        key,
        title: col.line == null ? 'other runtimes' : `Node ${line ? line.version.replace(/^v/, '') : col.line}`,
        note: line ? { machine: "this machine's node", npm: 'official build from npm', path: 'given path' }[line.origin] || '' : '',
        columns: [],
      };
      groups.push(g);
    }
    g.columns.push(col);
  }
  return groups;
}

function headRows(groups, firstTitle) {
  const top = groups.map((g) => `<th colspan="${g.columns.length}" class="group">${esc(g.title)}${g.note ? `<small>${esc(g.note)}</small>` : ''}</th>`).join('');
  const sub = groups.map((g) => g.columns.map((c) => `<th class="col" title="${esc(c.key)}">${esc(runtimeName(c))}</th>`).join('')).join('');
  return `<tr><th rowspan="2" class="corner">${esc(firstTitle)}</th>${top}</tr><tr>${sub}</tr>`;
}

/** Stacked bar: passed, expected failures, skipped, failed — widths in % of the cell's cases. */
function bar(counts) {
  if (!counts || !counts.total) return '<div class="bar empty"></div>';
  const seg = (cls, n, what) => (n ? `<span class="${cls}" style="width:${((n / counts.total) * 100).toFixed(2)}%" title="${n} ${what}"></span>` : '');
  return `<div class="bar" role="img" aria-label="${counts.passed} passed, ${counts.failed} failed, ${counts.xfail} expected failures, ${counts.skipped} skipped">`
    + `${seg('pass', counts.passed, 'passed')}${seg('xfail', counts.xfail, 'expected failures')}${seg('skip', counts.skipped, 'skipped')}${seg('fail', counts.failed, 'failed')}</div>`;
}

function countCell(col, counts, delta) {
  if (col.status === 'error') return '<td class="cell error"><div class="num">not run</div></td>';
  if (!counts) return '<td class="cell none">–</td>';
  const extra = [
    counts.failed ? `<b class="f">${counts.failed} failed</b>` : '',
    counts.xfail ? `${counts.xfail} xfail` : '',
    counts.skipped ? `${counts.skipped} skipped` : '',
  ].filter(Boolean).join(' · ');
  const moved = delta && (delta.up || delta.down)
    ? `<div class="delta">${delta.up ? `<span class="up">▲${delta.up}</span>` : ''}${delta.down ? `<span class="down">▼${delta.down}</span>` : ''}</div>` : '';
  return `<td class="cell${counts.failed ? ' has-fail' : ''}" data-column="${esc(col.key)}" data-passed="${counts.passed}" data-total="${counts.total}" data-failed="${counts.failed}">`
    + `<div class="num">${counts.passed}<span>/${counts.total}</span></div>${bar(counts)}<div class="sub">${extra || '&nbsp;'}</div>${moved}</td>`;
}

function outputBlock(why, output, failWhy) {
  const lines = [why ? `<div class="why">${esc(why)}${failWhy ? ` <span class="dim">[${esc(failWhy)}]</span>` : ''}</div>` : ''];
  lines.push(output ? `<pre>${esc(output)}</pre>` : '<pre class="dim">(no output)</pre>');
  return lines.join('');
}

function changeIndex(changes) {
  const index = new Map(); // "<column> <file>" -> 'up' | 'down' | 'other' | 'added'
  if (!changes) return index;
  for (const c of changes.newlyPassing) index.set(`${c.column} ${c.file}`, 'up');
  for (const c of changes.newlyFailing) index.set(`${c.column} ${c.file}`, 'down');
  for (const c of changes.otherChanges) index.set(`${c.column} ${c.file}`, 'other');
  for (const c of changes.added) index.set(`${c.column} ${c.file}`, 'added');
  return index;
}

function caseCell(col, c, changed) {
  if (col.status === 'error') return '<td class="o notrun" title="column not run">–</td>';
  const r = c.results[col.key];
  if (!r) return '<td class="o none" title="not in this run">·</td>';
  const mark = changed === 'up' ? '<span class="chg up" title="newly passing">▲</span>'
    : changed === 'down' ? '<span class="chg down" title="newly failing">▼</span>'
      : changed === 'other' ? '<span class="chg other" title="outcome changed since the previous run">●</span>'
        : changed === 'added' ? '<span class="chg other" title="new case">+</span>' : '';
  const text = OUTCOME_TEXT[r.outcome] || r.outcome;
  const attrs = `class="o ${esc(r.outcome)}${changed ? ` changed-${changed}` : ''}" data-column="${esc(col.key)}" data-outcome="${esc(r.outcome)}"`;
  if (r.outcome === 'pass') return `<td ${attrs} title="${esc(fmtMs(r.durationMs))}">${text}${mark}</td>`;
  return `<td ${attrs}><details><summary>${text}${mark}</summary><div class="pop">`
    + `<div class="pop-title">${esc(c.file)} · ${esc(col.label)}</div>${outputBlock(r.why, r.output, r.failWhy)}</div></details></td>`;
}

function changesSection(matrix) {
  const ch = matrix.changes;
  if (!ch) return '<section id="changes"><h2>Since the previous run</h2><p class="dim">First run of this matrix: nothing to compare with yet. The next run of the same columns and selection will list what newly passes and newly fails.</p></section>';
  const item = (i) => `<li><code>${esc(i.column)}</code> ${esc(i.file)} <span class="dim">${esc(i.from ?? '')}${i.from ? ' → ' : ''}${esc(i.to ?? '')}</span></li>`;
  const block = (title, cls, items, fmt = item) => (items.length
    ? `<div class="chg-block ${cls}"><h3>${esc(title)} (${items.length})</h3><ul>${items.map(fmt).join('')}</ul></div>` : '');
  const body = [
    block('Newly failing', 'down', ch.newlyFailing),
    block('Newly passing', 'up', ch.newlyPassing),
    block('Other changes of outcome', 'other', ch.otherChanges),
    block('New cases', 'other', ch.added, (i) => `<li><code>${esc(i.column)}</code> ${esc(i.file)} <span class="dim">${esc(i.to)}</span></li>`),
    block('Cases gone', 'other', ch.removed, (i) => `<li><code>${esc(i.column)}</code> ${esc(i.file)} <span class="dim">was ${esc(i.from)}</span></li>`),
    block('Columns', 'other', ch.columns, (i) => `<li><code>${esc(i.column)}</code> ${esc(i.change)}</li>`),
  ].join('');
  const prev = ch.previous;
  const src = prev.source && prev.source.commit ? ` (commit ${esc(prev.source.commit.slice(0, 10))}${prev.source.dirty ? ', uncommitted changes' : ''})` : '';
  return `<section id="changes"><h2>Since the previous run</h2><p class="dim">Compared with the run of the same matrix that finished ${esc(fmtTime(prev.finishedAt))}${src}.</p>`
    + `<p class="chg-summary"><span class="down">${ch.newlyFailing.length} newly failing</span> · <span class="up">${ch.newlyPassing.length} newly passing</span> · ${ch.otherChanges.length + ch.added.length + ch.removed.length + ch.columns.length} other changes</p>`
    + (body || '<p>No change.</p>') + '</section>';
}

/** Unexpected failures, one entry per case (all its failing columns inside), columns that could not run first. */
function failuresSection(matrix) {
  if (!matrix.unexpected.length) return '';
  const byKey = new Map(matrix.columns.map((c) => [c.key, c]));
  const cases = new Map(matrix.cases.map((c) => [c.file, c]));
  const items = [];
  for (const u of matrix.unexpected.filter((x) => !x.file)) {
    const col = byKey.get(u.column);
    items.push(`<details class="failure"><summary><code>${esc(u.column)}</code> could not run — ${esc(u.why)}</summary>${outputBlock(null, col && col.errorOutput, null)}</details>`);
  }
  const byFile = new Map();
  for (const u of matrix.unexpected.filter((x) => x.file)) {
    if (!byFile.has(u.file)) byFile.set(u.file, []);
    byFile.get(u.file).push(u);
  }
  for (const [file, us] of byFile) {
    const c = cases.get(file);
    const where = us.map((u) => `${OUTCOME_TEXT[u.outcome]} on <code>${esc(u.column)}</code>`).join(', ');
    const parts = us.map((u) => {
      const r = c.results[u.column];
      return `<h4><code>${esc(u.column)}</code> ${esc(byKey.get(u.column).label)}</h4>${outputBlock(r.why, r.output, r.failWhy)}`;
    });
    items.push(`<details class="failure" data-file="${esc(file)}"><summary>${esc(file)} — ${where}</summary>${c.header ? `<div class="dim">${esc(c.header)}</div>` : ''}${parts.join('')}</details>`);
  }
  return `<section id="failures"><h2>Unexpected failures (${matrix.unexpected.length} in ${items.length} ${items.length === 1 ? 'entry' : 'entries'})</h2>${items.join('')}</section>`;
}

function summarySection(matrix, groups) {
  const index = changeIndex(matrix.changes);
  const deltas = new Map(); // "<column> <phase>" and "<column> total" -> { up, down }
  const bump = (key, kind) => {
    const d = deltas.get(key) || { up: 0, down: 0 };
    d[kind]++;
    deltas.set(key, d);
  };
  for (const c of matrix.cases) {
    for (const col of matrix.columns) {
      const ch = index.get(`${col.key} ${c.file}`);
      if (ch === 'up' || ch === 'down') {
        bump(`${col.key} ${c.phase}`, ch);
        bump(`${col.key} total`, ch);
      }
    }
  }
  const cols = groups.flatMap((g) => g.columns);
  const rows = matrix.phases.map((p) => `<tr><th class="phase">${esc(p)}</th>${cols.map((c) => countCell(c, c.phases[p], deltas.get(`${c.key} ${p}`))).join('')}</tr>`);
  rows.push(`<tr class="total"><th class="phase">all phases</th>${cols.map((c) => countCell(c, c.counts, deltas.get(`${c.key} total`))).join('')}</tr>`);
  return `<section id="summary"><h2>Phases</h2><div class="scroll"><table class="grid" id="phase-table"><thead>${headRows(groups, 'phase')}</thead><tbody>${rows.join('')}</tbody></table></div>`
    + '<p class="legend"><span class="sw pass"></span>passed <span class="sw xfail"></span>expected failure (known-failures.json, or a <code>beyond:</code> case off deka-ipc) '
    + '<span class="sw skip"></span>skipped <span class="sw fail"></span>failed or XPASS · <span class="up">▲</span> newly passing <span class="down">▼</span> newly failing since the previous run</p></section>';
}

function linesSection(matrix) {
  if (!matrix.lines.length) return '';
  const rows = matrix.lines.map((l) => {
    const b = l.build || {};
    const status = b.status === 'failed'
      ? `<details><summary class="f">build failed (${esc(b.step)})</summary>${outputBlock(null, b.outputTail, null)}</details>`
      : (b.status === 'unchanged' ? 'reused: sources and line unchanged since its last build' : `built in ${esc(fmtMs(b.durationMs))}`);
    return `<tr><td>Node ${esc(l.version.replace(/^v/, ''))}</td><td>${esc({ machine: "this machine's node", npm: 'official build from npm', path: 'given path' }[l.origin] || l.origin)}</td>`
      + `<td><code>${esc(l.node)}</code></td><td><code>${esc(l.nodedir ?? 'node-gyp download')}</code></td><td>${status}</td></tr>`;
  });
  const others = matrix.columns.filter((c) => c.line == null).map((c) => `<tr><td>${esc(runtimeName(c))}</td><td colspan="4" class="dim">runs the cases on its own IPC${c.runner ? ` (runner and the interop cases' deka-ipc side: the Node ${esc(c.runner.replace(/^v/, ''))} build)` : ''}</td></tr>`);
  return `<section id="lines"><h2>Lines and builds</h2><table class="plain"><thead><tr><th>line</th><th>from</th><th>node</th><th>headers (npm_config_nodedir)</th><th>deka-ipc build</th></tr></thead>`
    + `<tbody>${rows.join('')}${others.join('')}</tbody></table></section>`;
}

function casesSection(matrix, groups) {
  const index = changeIndex(matrix.changes);
  const cols = groups.flatMap((g) => g.columns);
  const bodies = matrix.phases.map((p) => {
    const rows = matrix.cases.filter((c) => c.phase === p).map((c) => {
      const name = c.file.slice(c.phase.length + 1) || c.file;
      const m = /^(node|ours|beyond): (.*)$/.exec(c.header || '');
      const kind = m ? `<span class="kind ${m[1]}">${m[1]}</span>` : '';
      const bad = cols.some((col) => c.results[col.key] && BAD.has(c.results[col.key].outcome));
      return `<tr class="case${bad ? ' bad' : ''}" data-file="${esc(c.file)}"><th class="name">${kind}<span class="file">${esc(name)}</span>`
        + `${m ? `<div class="about" title="${esc(m[2])}">${esc(m[2])}</div>` : ''}</th>${cols.map((col) => caseCell(col, c, index.get(`${col.key} ${c.file}`))).join('')}</tr>`;
    });
    return `<tbody><tr class="phase-row"><th colspan="${cols.length + 1}">${esc(p)}</th></tr>${rows.join('')}</tbody>`;
  });
  return `<section id="cases"><h2>Every case</h2><p class="dim">Click an outcome other than ok for its reason and output.</p>`
    + `<table class="cases" id="case-table"><thead>${headRows(groups, 'case')}</thead>${bodies.join('')}</table></section>`;
}

const CSS = `
:root{--pass:#2f9e44;--fail:#d6336c;--xfail:#748ffc;--skip:#adb5bd;--line:#dee2e6;--dim:#868e96;--bg:#fff;--head:#f8f9fa}
*{box-sizing:border-box}
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;padding:20px 28px 60px;color:#212529;background:var(--bg)}
h1{font-size:22px;margin:0 0 4px}h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}h3{font-size:14px;margin:10px 0 4px}
code,pre{font:12px/1.4 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
.dim{color:var(--dim)}.f{color:var(--fail)}.up{color:var(--pass)}.down{color:var(--fail)}
.verdict{display:inline-block;margin:8px 0;padding:6px 12px;border-radius:6px;font-weight:600}
.verdict.ok{background:#ebfbee;color:#2b8a3e;border:1px solid #b2f2bb}.verdict.bad{background:#fff0f6;color:#c2255c;border:1px solid #fcc2d7}
.meta{margin:2px 0;color:var(--dim)}
.scroll{overflow-x:auto}
table{border-collapse:collapse}
.grid th,.grid td,.cases th,.cases td{border:1px solid var(--line)}
.grid thead th,.cases thead th{background:var(--head);font-weight:600;padding:6px 10px;text-align:center;white-space:nowrap}
th.group small{display:block;font-weight:400;color:var(--dim);font-size:11px}
th.corner{text-align:left!important;vertical-align:bottom}
th.phase{text-align:left;padding:6px 10px;white-space:nowrap;font-weight:500}
td.cell{padding:6px 10px;min-width:118px;vertical-align:top}
td.cell .num{font-size:16px;font-weight:600}td.cell .num span{color:var(--dim);font-weight:400;font-size:13px}
td.cell .sub{font-size:11px;color:var(--dim);white-space:nowrap}td.cell .sub b{font-weight:600}
td.cell.error{background:#fff0f6;color:var(--fail)}td.cell.none{color:var(--dim);text-align:center}
tr.total th,tr.total td{border-top:2px solid #adb5bd}
.bar{display:flex;height:8px;border-radius:4px;overflow:hidden;background:#f1f3f5;margin:4px 0 3px}
.bar span{display:block;height:100%}.bar .pass,.sw.pass{background:var(--pass)}.bar .fail,.sw.fail{background:var(--fail)}.bar .xfail,.sw.xfail{background:var(--xfail)}.bar .skip,.sw.skip{background:var(--skip)}
.delta{font-size:11px}.delta span{margin-right:6px}
.legend{font-size:12px;color:var(--dim)}.sw{display:inline-block;width:10px;height:10px;border-radius:2px;margin:0 4px 0 10px;vertical-align:-1px}
table.plain th,table.plain td{border-bottom:1px solid var(--line);padding:4px 12px 4px 0;text-align:left;vertical-align:top}
table.plain td:first-child,table.plain td:nth-child(2),table.plain td:last-child{white-space:nowrap}
.cases thead{position:sticky;top:0;z-index:2}
.cases tr.phase-row th{background:#f1f3f5;text-align:left;padding:6px 10px;font-size:13px}
.cases th.name{text-align:left;font-weight:400;padding:3px 10px;max-width:520px}
.cases .file{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:12px}
.cases .about{font-size:11px;color:var(--dim);white-space:nowrap;overflow:hidden;text-overflow:ellipsis;max-width:500px}
.kind{display:inline-block;font-size:10px;border-radius:3px;padding:0 4px;margin-right:6px;border:1px solid var(--line);color:var(--dim);vertical-align:1px}
.kind.beyond{border-color:#d0bfff;color:#7048e8}.kind.ours{border-color:#a5d8ff;color:#1971c2}
tr.case.bad th.name{box-shadow:inset 3px 0 var(--fail)}
td.o{text-align:center;padding:3px 8px;font-size:12px;white-space:nowrap;min-width:70px}
/* an open outcome's output spans the table under its row (the table, not the cell, places it) */
table.cases{position:relative}
td.o.pass{color:var(--pass)}td.o.fail,td.o.xpass{background:#fff0f6;color:var(--fail);font-weight:600}td.o.xfail{color:#4c6ef5}td.o.skip{color:var(--dim)}td.o.none,td.o.notrun{color:var(--skip)}
td.o.changed-down{outline:2px solid var(--fail);outline-offset:-2px}td.o.changed-up{outline:2px solid var(--pass);outline-offset:-2px}
.chg{margin-left:4px;font-size:10px}.chg.up{color:var(--pass)}.chg.down{color:var(--fail)}.chg.other{color:var(--dim)}
td.o summary{cursor:pointer;list-style:none}td.o summary::-webkit-details-marker{display:none}td.o summary::after{content:" ▸";font-size:9px;color:var(--dim)}td.o details[open] summary::after{content:" ▾"}
td.o .pop{position:absolute;z-index:5;left:0;width:min(100%,96vw);max-height:60vh;overflow:auto;background:#fff;border:1px solid #adb5bd;box-shadow:0 6px 24px rgba(0,0,0,.18);border-radius:6px;padding:8px 10px;text-align:left;color:#212529;font-weight:400;white-space:normal}
.pop pre{max-height:none}
.pop-title{font-weight:600;margin-bottom:4px}
h4{font-size:13px;margin:10px 0 2px;font-weight:600}
.why{margin:2px 0 6px}
pre{background:#f8f9fa;border:1px solid var(--line);border-radius:4px;padding:8px;overflow:auto;max-height:50vh;white-space:pre-wrap;word-break:break-word;margin:4px 0}
details.failure{border:1px solid #fcc2d7;border-left:4px solid var(--fail);border-radius:4px;padding:6px 10px;margin:6px 0;background:#fffafc}
details.failure summary{cursor:pointer}
.chg-summary{font-weight:600}
.chg-block ul{margin:2px 0 8px;padding-left:20px}
`;

/** The page for a matrix (the object scripts/matrix-data.js assembles). */
function renderMatrixHtml(matrix) {
  const groups = columnGroups(matrix);
  const bad = matrix.unexpected.length;
  const ran = matrix.columns.filter((c) => c.status === 'ran').length;
  const verdict = bad
    ? `<p class="verdict bad" id="verdict">${bad} unexpected failure${bad === 1 ? '' : 's'} · ${ran} of ${matrix.columns.length} columns ran</p>`
    : `<p class="verdict ok" id="verdict">No unexpected failure · all ${matrix.columns.length} columns ran</p>`;
  const src = matrix.source || {};
  const meta = [
    `finished ${esc(fmtTime(matrix.finishedAt))}`,
    `took ${esc(fmtMs(matrix.durationMs))}`,
    src.commit ? `commit <code>${esc(src.commit.slice(0, 10))}</code>${src.dirty ? ' with uncommitted changes' : ''}` : '',
    matrix.host ? `${esc(matrix.host.platform)}, ${esc(matrix.host.cpus)} CPUs${matrix.host.cpuModel ? ` (${esc(matrix.host.cpuModel)})` : ''}` : '',
    `${matrix.cases.length} cases × ${matrix.columns.length} columns`,
  ].filter(Boolean).join(' · ');
  const sel = matrix.identity && (matrix.identity.phases.length || matrix.identity.filters.length)
    ? `<p class="meta">selection: ${matrix.identity.phases.map((p) => `--phase ${esc(p)}`).concat(matrix.identity.filters.map((f) => `--filter ${esc(f)}`)).join(' ')}</p>` : '';
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>deka-ipc matrix — ${bad ? `${bad} unexpected failure${bad === 1 ? '' : 's'}` : 'all passing'}</title>
<style>${CSS}</style>
</head>
<body>
<header>
<h1>deka-ipc compat matrix</h1>
<p class="meta">The compat suite (<code>compat/</code>) on deka-ipc and on each runtime's builtin IPC, per Node line.</p>
${verdict}
<p class="meta">${meta}</p>
${sel}
</header>
${summarySection(matrix, groups)}
${changesSection(matrix)}
${failuresSection(matrix)}
${linesSection(matrix)}
${casesSection(matrix, groups)}
<p class="meta">matrix id <code>${esc(matrix.id)}</code> — written by <code>npm run matrix</code> (scripts/matrix.js)</p>
</body>
</html>
`;
}

module.exports = { renderMatrixHtml };
