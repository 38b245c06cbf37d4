// node: test/parallel/test-cluster-cwd.js — workers start in the primary's cwd, or in setupPrimary({ cwd })
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const os = require('os');
const fs = require('fs');

if (cluster.isWorker) {
  process.send(process.cwd());
} else {
  const elsewhere = fs.realpathSync(os.tmpdir());
  const first = cluster.fork();
  first.on('message', common.mustCall((cwd) => {
    assert.strictEqual(cwd, process.cwd());
    first.kill();
    cluster.setupPrimary({ cwd: elsewhere });
    const second = cluster.fork();
    second.on('message', common.mustCall((cwd2) => {
      assert.strictEqual(fs.realpathSync(cwd2), elsewhere);
      second.kill();
    }));
  }));
}
