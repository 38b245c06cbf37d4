// node: test/parallel/test-cluster-disconnect-unshared-udp.js — cluster.disconnect() with one worker bound to UDP and one not: every worker goes
'use strict';
const common = require('../common');
const cluster = require('cluster');
const dgram = require('dgram');

if (cluster.isPrimary) {
  const idle = cluster.fork();
  idle.on('exit', common.mustCall());
  idle.on('online', common.mustCall(() => {
    const bound = cluster.fork({ BIND_UDP: '1' });
    bound.on('exit', common.mustCall());
    bound.on('listening', common.mustCall(() => {
      idle.disconnect();
      idle.on('disconnect', common.mustCall(() => cluster.disconnect(common.mustCall())));
    }));
  }));
} else if (process.env.BIND_UDP) {
  dgram.createSocket('udp4').bind(0);
}
