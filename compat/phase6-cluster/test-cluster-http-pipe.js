// node: test/parallel/test-cluster-http-pipe.js — a worker's HTTP server on a unix socket path answers the primary
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');
const os = require('os');
const path = require('path');
const fs = require('fs');

if (cluster.isWorker) {
  const socketPath = process.env.TEST_SOCKET_PATH;
  http.createServer(common.mustCall((req, res) => {
    assert.strictEqual(req.url, '/hello');
    res.end('OK');
  })).listen(socketPath, common.mustCall(() => process.send('listening')));
} else {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'deka-cluster-pipe-'));
  const socketPath = path.join(dir, 'http.sock');
  process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const worker = cluster.fork({ TEST_SOCKET_PATH: socketPath });
  worker.on('message', common.mustCall((message) => {
    assert.strictEqual(message, 'listening');
    http.get({ socketPath, path: '/hello' }, common.mustCall((res) => {
      res.setEncoding('utf8');
      let body = '';
      res.on('data', (chunk) => (body += chunk));
      res.on('end', common.mustCall(() => {
        assert.strictEqual(body, 'OK');
        worker.kill();
      }));
    }));
  }));
  worker.on('exit', common.mustCall());
}
