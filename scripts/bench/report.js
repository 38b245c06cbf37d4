'use strict';
// The bench's table: medians per runtime, deka-ipc / node, each figure's target and whether it
// is met.

const median = (values) => {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
};

function format(value) {
  if (value === undefined) return '—';
  if (value >= 1000) return Math.round(value).toLocaleString('en-US');
  return value.toFixed(value >= 10 ? 1 : 2);
}

const symbol = { '<=': '≤', '>=': '≥' };

// The target cell and the met? cell of one row.
function judge(target, unit, deka, node) {
  if (!target) return ['', ''];
  const [kind, op, bound] = target;
  const text = kind === 'ratio' ? `${symbol[op]} ${bound}×` : kind === 'delta' ? `${symbol[op]} +${bound} ${unit.split(' ')[0]}` : `${symbol[op]} ${bound}`;
  const figure = kind === 'ratio' ? (node ? deka / node : undefined) : kind === 'delta' ? (node !== undefined && deka !== undefined ? deka - node : undefined) : deka;
  if (figure === undefined || deka === undefined) return [text, '—'];
  const met = op === '<=' ? figure <= bound : figure >= bound;
  return [text, (met ? 'yes' : 'no') + (kind === 'delta' ? ` (${figure >= 0 ? '+' : ''}${figure.toFixed(1)})` : '')];
}


module.exports = { median, format, judge };
