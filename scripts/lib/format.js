'use strict';
// Small text helpers the CLIs share.

/** 850ms, 12.3s, 2m05s; "-" for none. */
function fmtMs(ms) {
  if (ms == null) return '-';
  return ms < 1000 ? `${ms}ms` : ms < 60000 ? `${(ms / 1000).toFixed(1)}s`
    : `${Math.floor(ms / 60000)}m${String(Math.round((ms % 60000) / 1000)).padStart(2, '0')}s`;
}

/** The last n lines of a text (as an array), after a line saying how many came before. */
function tailLines(text, n) {
  const lines = String(text || '').replace(/\s+$/, '').split('\n');
  return lines.length > n ? [`… (${lines.length - n} earlier lines)`, ...lines.slice(-n)] : lines;
}

module.exports = { fmtMs, tailLines };
