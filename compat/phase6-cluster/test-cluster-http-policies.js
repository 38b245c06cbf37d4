// ours: an HTTP server in two workers, under both scheduling policies and both serializations: every request is served, by both workers
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');
const { spawnSync } = require('child_process');

const kWorkers = 2;

if (process.argv[2] === 'run') {
  cluster.setupPrimary({ serialization: process.argv[3], args: ['worker'] });
  let listening = 0;
  cluster.on('listening', common.mustCall((worker, address) => {
    if (++listening < kWorkers) return;
    const servedBy = new Set();
    // Ask until both workers have answered (round-robin alternates; SCHED_NONE is up to the kernel).
    const ask = () => http.get({ port: address.port, host: '127.0.0.1', agent: false }, (res) => {
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', () => {
        assert.strictEqual(res.statusCode, 200);
        servedBy.add(body);
        if (servedBy.size < kWorkers) return ask();
        cluster.disconnect(common.mustCall());
      });
    });
    ask();
  }, kWorkers));
  cluster.on('exit', common.mustCall((worker, code) => assert.strictEqual(code, 0), kWorkers));
  for (let i = 0; i < kWorkers; i++) cluster.fork();
} else if (cluster.isWorker) {
  http.createServer((req, res) => res.end(String(process.pid))).listen(0, '127.0.0.1');
} else {
  for (const policy of ['rr', 'none']) {
    for (const serialization of ['json', 'advanced']) {
      const run = spawnSync(process.execPath, [__filename, 'run', serialization], {
        env: { ...process.env, NODE_CLUSTER_SCHED_POLICY: policy },
        encoding: 'utf8',
      });
      assert.strictEqual(run.status, 0, `${policy}/${serialization}: ${run.stdout}${run.stderr}`);
    }
  }
}
