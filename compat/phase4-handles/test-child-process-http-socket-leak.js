// node: test/parallel/test-child-process-http-socket-leak.js — an HTTP server socket sent to a child no longer holds its parser, response or idle timer in the sender (public properties instead of internal/timers)
'use strict';
const common = require('../common');
const assert = require('assert');
const http = require('http');
const { fork } = require('child_process');

if (process.argv[2] === 'child') {
  // The child answers the request the parent parsed, on the socket it was given.
  process.once('message', common.mustCall((request, socket) => {
    const response = new http.ServerResponse(request);
    response.shouldKeepAlive = false;
    response.assignSocket(socket);
    response.end('from the child');
  }));
  process.send('ready');
} else {
  let sent = null;
  const server = http.createServer(common.mustCall((req, res) => {
    sent = res.socket;
    // A live idle timer, so that "freed" is visible: it would fire after 200 ms.
    assert.strictEqual(sent.timeout, 200);
    child.send({
      method: req.method,
      headers: req.headers,
      httpVersionMajor: req.httpVersionMajor,
      httpVersionMinor: req.httpVersionMinor,
    }, sent);
    // Released synchronously by send(), before any reply from the child.
    assert.strictEqual(sent.parser, null);
    assert.strictEqual(sent._httpMessage, null);
    assert.strictEqual(sent.timeout, 0);
    server.close();
  }));
  server.setTimeout(200, common.mustNotCall('the sent socket timed out in the sender'));
  server.on('close', common.mustCall());

  const child = fork(__filename, ['child']);
  child.on('exit', common.mustCall((code, signal) => {
    assert.strictEqual(code, 0);
    assert.strictEqual(signal, null);
  }));

  child.once('message', common.mustCall((message) => {
    assert.strictEqual(message, 'ready');
    server.listen(0, '127.0.0.1', common.mustCall(() => {
      const req = http.get({ port: server.address().port, host: '127.0.0.1', agent: false }, common.mustCall((res) => {
        assert.strictEqual(res.statusCode, 200);
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk) => { body += chunk; });
        res.on('end', common.mustCall(() => {
          assert.strictEqual(body, 'from the child');
          assert.strictEqual(sent.parser, null);
          assert.strictEqual(sent._httpMessage, null);
          // Outlive the old idle timeout: the server's 'timeout' must stay silent.
          setTimeout(common.mustCall(), 400);
        }));
      }));
      req.on('error', common.mustNotCall());
    }));
  }));
}
