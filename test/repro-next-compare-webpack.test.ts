// repro:next's comparison on a recorded webpack `next build` (see test/repro-next-helpers.ts),
// and its known order-free lists (pluginState, buildTraceContext).
import t from 'tap';
import { suite, load, dekaOf, verdictOf, type Run } from './repro-next-helpers';

suite(t, 'webpack', 'webpack-build.json.gz');

t.test('webpack: known order-free lists pass reordered, but their content is compared', async (t) => {
  const saved = load('webpack-build.json.gz');
  const reorder = (deka: Run, mutate: (list: unknown[]) => void) => {
    for (const p of deka.processes) {
      for (const e of p.events) {
        const v = JSON.parse(e.text);
        const walk = (x: unknown, key?: string): void => {
          if (Array.isArray(x)) {
            if (key === 'static' || key === 'dynamic') mutate(x);
            x.forEach((y) => walk(y));
          } else if (x && typeof x === 'object') {
            for (const [k, y] of Object.entries(x)) walk(y, k);
          }
        };
        walk(v);
        e.text = JSON.stringify(v);
      }
    }
    return deka;
  };
  const reversed = reorder(dekaOf(saved), (l) => l.reverse());
  t.equal(verdictOf(saved, reversed).ok, true, 'pluginState.routeTypes lists reversed: still equal');
  let changed = false;
  const renamed = reorder(dekaOf(saved), (l) => {
    if (!changed && l.length) {
      l[0] = '/renamed';
      changed = true;
    }
  });
  t.ok(changed);
  const v = verdictOf(saved, renamed);
  t.equal(v.ok, false, 'an element changed: a divergence');
  t.match(v.divergences[0].detail, /routeTypes/);
});
