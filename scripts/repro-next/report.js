'use strict';
// The report of repro:next: each run's outcome, builtin #1 and deka-ipc side by side, what was
// discounted and why, the notes, then the divergences or "no divergence".

const { short } = require('./record');

function fit(s, n) {
  if (s === undefined) return ''.padEnd(n);
  return s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n);
}

/**
 * The report: each run's outcome; builtin #1 and deka-ipc side by side, process by process
 * (≠ an event that is part of a divergence, ~ the two differ at this row but nothing is
 * divergent: order or values the builtin runs vary themselves); what was discounted and why;
 * then the divergences, or "no divergence".
 */
function report(opts, runs, verdict, say) {
  const width = opts.width || Math.max(100, process.stdout.columns || 160);
  const ref = runs.find((r) => r.runtime === 'node');
  const deka = runs.find((r) => r.runtime === 'deka-ipc');
  say('');
  for (const r of runs) say(`  ${fit(r.label, 12)} ${r.seconds.toFixed(1).padStart(6)}s  ${r.steps.join('; ')}`);
  say('');
  const roles = [...ref.processes.map((p) => p.role)];
  for (const p of deka.processes) if (!roles.includes(p.role)) roles.push(p.role);
  const roleW = Math.max(8, ...roles.map((r) => r.length));
  const colW = Math.max(20, Math.floor((width - roleW - 20) / 2));
  say(`  ${'#'.padStart(3)}  ${fit('process', roleW)} ${fit('dir', 7)} ${fit(ref.label, colW)} ${fit(deka.label, colW)}`);
  say(`  ${'-'.repeat(Math.min(width - 2, 3 + 2 + roleW + 1 + 7 + 1 + colW * 2 + 2))}`);
  let row = 0;
  const rowOf = new Map(); // `${role}|${index}` -> its row in the table
  const events = (run, role) => (run.processes.find((p) => p.role === role) || { events: [] }).events;
  for (const role of roles) {
    const ea = events(ref, role);
    const eb = events(deka, role);
    for (let i = 0; i < Math.max(ea.length, eb.length); i++) {
      const a = ea[i];
      const b = eb[i];
      const diverges = (a && verdict.marks.has(`${ref.label}|${role}|${i}`)) || (b && verdict.marks.has(`${deka.label}|${role}|${i}`));
      const same = a && b && a.direction === b.direction && a.text === b.text;
      const mark = diverges ? '≠' : same ? ' ' : '~';
      rowOf.set(`${role}|${i}`, row + 1);
      const dir = a && b && a.direction !== b.direction ? `${a.direction}/${b.direction}` : (a || b).direction;
      say(`${mark} ${String(++row).padStart(3)}  ${fit(role, roleW)} ${fit(dir, 7)} ` +
          `${fit(a ? a.text : '(nothing)', colW)} ${b ? short(b.text, colW) : '(nothing)'}`);
    }
  }
  if (!row) say('      (no IPC message in either run)');
  say('');
  const builtinCount = runs.filter((r) => r.runtime === 'node').length;
  say(`Discounted (known of Next.js, or learnt from what differs between the ${builtinCount} builtin runs):`);
  for (const d of verdict.discounted) say(`  - ${d.group}: ${d.what}\n      ${d.why}`);
  say('');
  const notes = runs.flatMap((r) => r.notes.map((n) => ({ ...n, label: r.label })));
  for (const n of notes) say(`  note (${n.label}, ${n.role}): ${n.selfCheck ? 'SELF-CHECK: ' : ''}${n.text}`);
  if (notes.length) say('');
  const selfCheck = runs.some((r) => r.notes.some((n) => n.selfCheck));
  const shown = verdict.divergences.slice(0, 10);
  shown.forEach((d, i) => {
    const where = `${d.role}, message ${d.index + 1}${rowOf.has(`${d.role}|${d.index}`) ? `, row ${rowOf.get(`${d.role}|${d.index}`)}` : ''}`;
    say(`${i === 0 ? 'FIRST DIVERGENCE' : 'DIVERGENCE'} ${i + 1} of ${verdict.divergences.length}: ${d.kind}, ${d.group} (${where})`);
    say(`  ${d.detail}`);
    for (const [label, texts] of [['builtin', d.builtin], [verdict.dekaLabel, d.deka]]) {
      if (texts) say(`  ${fit(label, 9)} ${texts.length ? short(texts.join(' | then '), 1500) : '(nothing)'}`);
    }
  });
  if (verdict.divergences.length > shown.length) say(`(${verdict.divergences.length - shown.length} more divergences: --json has them all)`);
  if (verdict.outcome) {
    say(`OUTCOME DIFFERS: ${deka.label}: ${verdict.outcome.deka.join('; ')} | ` +
        `${verdict.labels.map((l, i) => `${l}: ${verdict.outcome.builtin[i].join('; ')}`).join(' | ')}`);
  }
  if (selfCheck) say('SELF-CHECK FAILED: in the deka-ipc run the trace and the observer disagree (see the notes)');
  if (verdict.ok && !selfCheck) {
    const messages = deka.processes.reduce((s, p) => s + p.events.length, 0);
    say(`no divergence: ${messages} messages in ${deka.processes.length} IPC child process(es) on deka-ipc, ` +
        `each explained by the ${builtinCount} builtin runs once the discounted variation is set aside; same outcome`);
  }
}

module.exports = { report };
