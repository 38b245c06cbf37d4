// node: test/parallel/test-cluster-basic.js — one worker: fork/online/listening/exit on cluster and worker, states none→online→listening→dead, the listening address
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');

// Node's bootstrap takes NODE_UNIQUE_ID out of the environment, in the worker and here alike.
assert.strictEqual('NODE_UNIQUE_ID' in process.env, false);

if (cluster.isWorker) {
  http.createServer(common.mustNotCall()).listen(0, '127.0.0.1');
} else {
  const worker = cluster.fork();
  assert.strictEqual(worker.id, 1);
  assert.ok(worker instanceof cluster.Worker);
  assert.strictEqual(worker.state, 'none');

  // Each event, on the cluster and on the worker, sees the state it announces.
  const seen = [];
  for (const [event, state] of [['fork', 'none'], ['online', 'online'], ['listening', 'listening'], ['exit', 'dead']]) {
    cluster.on(event, common.mustCall((w) => {
      assert.strictEqual(w, worker);
      assert.strictEqual(w.state, state);
      seen.push(`cluster:${event}`);
    }));
  }
  worker.on('online', common.mustCall(function(...args) {
    assert.strictEqual(this, worker);
    assert.strictEqual(args.length, 0);
    seen.push('worker:online');
  }));
  worker.on('listening', common.mustCall(function(address) {
    assert.strictEqual(this, worker);
    assert.deepStrictEqual(Object.keys(address).sort(), ['address', 'addressType', 'fd', 'port']);
    assert.strictEqual(address.address, '127.0.0.1');
    assert.strictEqual(address.addressType, 4);
    assert.strictEqual(address.fd, undefined);
    assert.ok(Number.isInteger(address.port) && address.port > 0 && address.port < 65536);
    seen.push('worker:listening');
    worker.kill();
  }));
  worker.on('exit', common.mustCall(function(code, signal) {
    assert.strictEqual(arguments.length, 2);
    assert.strictEqual(code, worker.process.exitCode);
    assert.strictEqual(signal, worker.process.signalCode);
    assert.strictEqual(worker.state, 'dead');
    seen.push('worker:exit');
  }));
  process.on('exit', () => {
    assert.deepStrictEqual(seen.filter((s) => s !== 'cluster:fork').length, 6);
    assert.ok(seen.indexOf('worker:online') < seen.indexOf('worker:listening'));
    assert.ok(seen.indexOf('worker:listening') < seen.indexOf('worker:exit'));
  });
}
