// beyond: 'drain' (on the ChildProcess, and on process in the child) tells a producer that send() returned false when its queue is written out: 1 GiB from the parent (and 64 MiB back from the child) through send()/'drain' in 256 KiB messages keeps both processes' RSS under 64 MiB — Node has no 'drain' for IPC, so the producer cannot know when to go on
// timeout: 300
'use strict';
const common = require('../common');
const assert = require('assert');
const { fork } = require('child_process');

const total = Number(process.env.DEKA_TEST_DRAIN_BYTES || 1024 * 1024 * 1024);
const body = 'z'.repeat(256 * 1024); // one string, sent again and again: nothing else allocates
const limit = 64 * 1024 * 1024;

const back = total / 16; // the child's share: process's 'drain'

// Sends `total` bytes of messages through `target`, pausing at false until 'drain'.
function produce(target, total, done) {
  let sent = 0;
  let drains = 0;
  const more = () => {
    while (sent < total) {
      sent += body.length;
      if (!target.send(body)) return;
    }
    target.send('end');
    done(drains);
  };
  target.on('drain', () => {
    drains++;
    more();
  });
  more();
}

// Counts what arrives and the largest RSS seen.
function consume(target, onEnd) {
  let received = 0;
  let maxRss = 0;
  const sample = setInterval(() => { maxRss = Math.max(maxRss, process.memoryUsage.rss()); }, 20);
  target.on('message', (m) => {
    if (m === 'end') {
      clearInterval(sample);
      return onEnd(received, Math.max(maxRss, process.memoryUsage.rss()));
    }
    received += m.length;
  });
}

if (process.argv[2] === 'child') {
  let maxRss = 0;
  const sample = setInterval(() => { maxRss = Math.max(maxRss, process.memoryUsage.rss()); }, 20);
  // First the parent's gigabyte in, then ours out.
  consume(process, (received, rssIn) => {
    produce(process, back, (drains) => {
      clearInterval(sample);
      process.send({ received, drains, rss: Math.max(maxRss, rssIn, process.memoryUsage.rss()) });
    });
  });
} else {
  const started = Date.now();
  const child = fork(__filename, ['child']);
  let maxRss = 0;
  const sample = setInterval(() => { maxRss = Math.max(maxRss, process.memoryUsage.rss()); }, 20);
  produce(child, total, common.mustCall((drains) => {
    assert.ok(drains > 0, 'send() returned false at least once');
    consume(child, common.mustCall((received, rss) => {
      child.once('message', common.mustCall((report) => {
        clearInterval(sample);
        const mb = (n) => `${(n / 1048576).toFixed(1)} MiB`;
        const parentRss = Math.max(maxRss, rss);
        console.log(`${mb(total)} out, ${mb(back)} back in ${Date.now() - started} ms; parent: ${drains} 'drain', max RSS ${mb(parentRss)}; ` +
          `child: received ${mb(report.received)}, ${report.drains} 'drain', max RSS ${mb(report.rss)}; parent received ${mb(received)}`);
        assert.strictEqual(report.received, total);
        assert.strictEqual(received, back);
        assert.ok(report.drains > 0);
        assert.ok(parentRss < limit, `parent RSS ${mb(parentRss)}`);
        assert.ok(report.rss < limit, `child RSS ${mb(report.rss)}`);
        child.disconnect();
      }));
    }));
  }));
}
