// The O(1) queue behind write callbacks: order kept across its internal compaction.
import t from 'tap';
import { Fifo } from '../src/fifo';

t.test('first in, first out, through compaction and emptying', async (t) => {
  const fifo = new Fifo<number>();
  t.equal(fifo.shift(), undefined, 'empty');
  let next = 0;
  let pushed = 0;
  // Interleave so the consumed prefix grows past the compaction threshold while items remain.
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3000; i++) fifo.push(pushed++);
    let inOrder = true;
    for (let i = 0; i < 2500; i++) if (fifo.shift() !== next++) inOrder = false;
    t.ok(inOrder, `round ${round}: in order`);
    t.equal(fifo.length, pushed - next);
  }
  while (fifo.length > 0) if (fifo.shift() !== next++) t.fail('order at the end');
  t.equal(next, pushed);
  t.equal(fifo.shift(), undefined, 'empty again');
});
