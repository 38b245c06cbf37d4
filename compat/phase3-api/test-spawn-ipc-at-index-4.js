// ours: spawn() with 'ipc' at stdio index 4 and pipes on the other fds: the child's channel is fd 4, every pipe carries its own bytes, messages go both ways, exit 0 then 'close'
'use strict';
require('../fixtures/ipc-at-index.js').run(4);
