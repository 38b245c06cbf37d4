'use strict';
// What the compat runner prints: colours, one line per finished case, the live per-phase
// dashboard on a terminal, and the tables.

const { running } = require('./run-case');
const { fmtMs, tailLines: tail } = require('../lib/format');

const useColor = () => !process.env.NO_COLOR && (process.env.FORCE_COLOR ? process.env.FORCE_COLOR !== '0' : process.stdout.isTTY);
const paint = (code) => (s) => (useColor() ? `\x1b[${code}m${s}\x1b[0m` : String(s));
const C = { red: paint('31'), green: paint('32'), yellow: paint('33'), cyan: paint('36'), dim: paint('2'), bold: paint('1'), magenta: paint('35') };

function resultLine(r) {
  const t = C.dim(fmtMs(r.durationMs));
  switch (r.outcome) {
    case 'pass': return `${C.green('ok  ')} ${r.file} ${t}${r.nowPasses ? C.yellow(`  (listed as failing: ${r.expected} — passes now)`) : r.expected ? C.yellow(`  (listed: ${r.expected})`) : ''}`;
    case 'skip': return `${C.yellow('skip')} ${r.file} — ${r.why}`;
    case 'xfail': return `${C.cyan('xfail')} ${r.file} — ${r.why}`;
    case 'xpass': return `${C.red('XPASS')} ${r.file} ${t}  (${r.why})`;
    default: return `${C.red('FAIL')} ${r.file} ${t}  (${r.why})`;
  }
}

function newCounts() {
  return { passed: 0, failed: 0, skipped: 0, xfail: 0, total: 0 };
}

function count(c, r) {
  c.total++;
  if (r.outcome === 'pass') c.passed++;
  else if (r.outcome === 'skip') c.skipped++;
  else if (r.outcome === 'xfail') c.xfail++;
  else c.failed++;
}

class Dashboard {
  constructor(rtName, phases, totals) {
    this.rtName = rtName;
    this.phases = phases; // Map phase -> counts
    this.totals = totals; // Map phase -> number of cases
    this.lines = 0;
    this.start = Date.now();
    this.out = process.stdout;
    this.out.write('\x1b[?25l');
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  clear() {
    if (this.lines) this.out.write(`\x1b[${this.lines}F\x1b[J`);
    this.lines = 0;
  }

  // a line that stays above the dashboard (failures, as they happen)
  log(line) {
    this.clear();
    this.out.write(`${line}\n`);
    this.draw();
  }

  draw() {
    const cols = Math.max(40, this.out.columns || 80);
    const rows = Math.max(10, this.out.rows || 24);
    const fit = (s) => truncateAnsi(s, cols - 1);
    const width = Math.max(...[...this.phases.keys()].map((p) => p.length), 5);
    const barW = Math.max(10, Math.min(30, cols - width - 60));
    const lines = [C.bold(`compat[${this.rtName}]  ${fmtMs(Date.now() - this.start)}`)];
    for (const [phase, c] of this.phases) {
      const total = this.totals.get(phase);
      const done = c.total;
      const filled = Math.round((done / total) * barW);
      const barColor = c.failed ? C.red : done === total ? C.green : C.cyan;
      const bar = barColor('█'.repeat(filled)) + C.dim('░'.repeat(barW - filled));
      lines.push(`${phase.padEnd(width)} ${bar} ${String(done).padStart(3)}/${String(total).padEnd(3)} `
        + `${C.green(`${c.passed} passed`)}  ${c.failed ? C.red(`${c.failed} failed`) : `${c.failed} failed`}  `
        + `${c.skipped} skipped  ${c.xfail} xfail`);
    }
    const now = Date.now();
    const active = [...running.values()].sort((a, b) => a.startedAt - b.startedAt);
    const room = Math.max(1, rows - lines.length - 3);
    if (active.length) {
      lines.push(C.dim('running:'));
      for (const tc of active.slice(0, room)) lines.push(`  ${tc.rel} ${C.dim(fmtMs(now - tc.startedAt))}`);
      if (active.length > room) lines.push(C.dim(`  … and ${active.length - room} more`));
    }
    this.clear();
    this.out.write(lines.map(fit).join('\n') + '\n');
    this.lines = lines.length;
  }

  stop() {
    clearInterval(this.timer);
    this.draw();
    this.out.write('\x1b[?25h');
  }
}

// cut a string with ANSI colour codes to n visible characters
function truncateAnsi(s, n) {
  let visible = 0;
  let out = '';
  for (let i = 0; i < s.length; i++) {
    if (s[i] === '\x1b') {
      const m = /^\x1b\[[0-9;?]*[A-Za-z]/.exec(s.slice(i));
      if (m) {
        out += m[0];
        i += m[0].length - 1;
        continue;
      }
    }
    if (visible >= n) break;
    out += s[i];
    visible++;
  }
  return out + (useColor() ? '\x1b[0m' : '');
}

function table(rows, header) {
  const all = [header, ...rows];
  const w = header.map((_, i) => Math.max(...all.map((r) => String(r[i]).length)));
  const fmt = (r) => r.map((v, i) => (i === 0 ? String(v).padEnd(w[i]) : String(v).padStart(w[i]))).join('  ');
  return [fmt(header), w.map((n) => '-'.repeat(n)).join('  '), ...rows.map(fmt)].join('\n');
}

module.exports = { C, fmtMs, resultLine, newCounts, count, Dashboard, table, tail };
