// node: test/parallel/test-cluster-send-socket-to-worker-http-server.js — a socket the primary accepted, sent to a worker, becomes a connection of the worker's HTTP server
'use strict';
const common = require('../common');
const assert = require('assert');
const cluster = require('cluster');
const http = require('http');
const net = require('net');

if (cluster.isPrimary) {
  const worker = cluster.fork();
  // pauseOnConnect: the request bytes are the worker's to read, not ours.
  const server = net.createServer({ pauseOnConnect: true }, common.mustCall((socket) => worker.send('socket', socket)));
  worker.on('exit', common.mustCall((code) => {
    assert.strictEqual(code, 0);
    server.close();
  }));
  server.listen(0, common.mustCall(() => {
    const client = net.connect(server.address().port, () => client.write('GET /via-primary HTTP/1.1\r\nHost: x\r\n\r\n'));
    client.setEncoding('utf8');
    let reply = '';
    client.on('data', (chunk) => (reply += chunk));
    client.on('end', common.mustCall(() => assert.match(reply, /^HTTP\/1\.1 200 OK[^]*worker got \/via-primary$/)));
  }));
} else {
  const server = http.createServer(common.mustCall((req, res) => {
    res.setHeader('connection', 'close');
    res.end(`worker got ${req.url}`, () => cluster.worker.disconnect());
  }));
  server.on('connection', common.mustCall((socket) => assert.strictEqual(socket.server, server)));
  process.on('message', common.mustCall((message, socket) => {
    assert.strictEqual(message, 'socket');
    server.emit('connection', socket);
  }));
}
