'use strict';
// The processes on this machine as /proc lists them, for the CLIs that must leave none of theirs
// behind (the compat runner's case groups, repro:next's next processes).

const fs = require('node:fs');

/**
 * Live (not zombie) processes: [{ pid, comm, ppid, pgrp }], or null where /proc cannot be read.
 * Zombies count as gone: where pid 1 does not reap orphans they stay listed although they ended.
 */
function liveProcesses() {
  let entries;
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    return null;
  }
  const out = [];
  for (const p of entries) {
    if (!/^\d+$/.test(p)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${p}/stat`, 'utf8');
    } catch {
      continue; // gone meanwhile
    }
    // pid (comm) state ppid pgrp …; comm may hold spaces and parentheses
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (f[0] === 'Z' || f[0] === 'X') continue;
    out.push({ pid: Number(p), comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')), ppid: Number(f[1]), pgrp: Number(f[2]) });
  }
  return out;
}

/** Live members of a process group, as { pid, comm }. Without /proc: the group as one entry if it answers. */
function groupMembers(pgid) {
  const all = liveProcesses();
  if (all) return all.filter((p) => p.pgrp === pgid).map(({ pid, comm }) => ({ pid, comm }));
  try {
    process.kill(-pgid, 0);
  } catch (err) {
    if (err.code !== 'EPERM') return [];
  }
  return [{ pid: -pgid, comm: '?' }];
}

/** Ends a whole process group; false when there was none. */
function killGroup(pgid, signal = 'SIGKILL') {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

module.exports = { liveProcesses, groupMembers, killGroup };
