// repro:next's known rules on a recorded webpack `next build` (see test/repro-next-helpers.ts):
// pluginState's lists carry no order, its module maps' ids may vary, but their content and keys
// are compared.
import t from 'tap';
import { load, dekaOf, verdictOf, type Run } from './repro-next-helpers';

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

t.test('webpack: a module id in pluginState\'s module maps may vary (known), the map\'s keys may not', async (t) => {
  const saved = load('webpack-build.json.gz');
  const edit = (replace: (text: string) => string) => {
    const deka = dekaOf(saved);
    let n = 0;
    for (const p of deka.processes) {
      for (const e of p.events) {
        const text = replace(e.text);
        if (text !== e.text) n++;
        e.text = text;
      }
    }
    return { deka, n };
  };
  const file = 'app-page/module.compiled.js';
  const id = edit((s) => s.replace(new RegExp(`(${file.replace(/[./]/g, '\\$&')}":\\{"moduleId":")(\\d+)`, 'g'), (_, before) => `${before}424242`));
  t.ok(id.n > 0, `${file}'s module id rewritten in ${id.n} message(s)`);
  t.equal(verdictOf(saved, id.deka).ok, true, 'another module id: discounted');
  const key = edit((s) => s.split(file).join('app-page/module.renamed.js'));
  t.ok(key.n > 0);
  const v = verdictOf(saved, key.deka);
  t.equal(v.ok, false, 'another file in the map: a divergence');
  t.match(v.divergences[0].detail, /module\.(renamed|compiled)\.js/);
});
