// matrix.html in a real browser: the page for two real runs of a small compat tree (see
// matrix-fixture.ts), opened in headless Chromium through playwright-core. Checks the phase
// table against the matrix, every case's outcome cell, that a failure's output opens with one
// click, inside the window, as text (not markup), and the changes since the previous run.
// Needs a Chromium: $CHROMIUM_PATH, or chromium / chromium-browser / google-chrome on PATH
// (Debian: apt-get install chromium). Without one the test is skipped and says so — CI images
// may not have it.
import t from 'tap';
import fs from 'fs';
import path from 'path';
import { twoRuns, columns, FAIL_TEXT } from './matrix-fixture';

// eslint-disable-next-line @typescript-eslint/no-require-imports
const { renderMatrixHtml } = require('../scripts/matrix/html.js');

t.setTimeout(240_000);

function findChromium(): string | null {
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : [];
  for (const dir of (process.env.PATH || '').split(path.delimiter)) {
    if (!dir) continue;
    for (const name of ['chromium', 'chromium-browser', 'google-chrome']) candidates.push(path.join(dir, name));
  }
  return candidates.find((p) => {
    try {
      fs.accessSync(p, fs.constants.X_OK);
      return true;
    } catch {
      return false;
    }
  }) || null;
}

const chromiumPath = findChromium();
const skip = chromiumPath ? false : 'no Chromium found ($CHROMIUM_PATH, or chromium / chromium-browser / google-chrome on PATH; Debian: apt-get install chromium) — CI images may not have it';

t.test('matrix.html in headless Chromium', { skip }, async (t) => {
  const { chromium } = await import('playwright-core');
  const { current, tmp } = twoRuns();
  t.teardown(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const file = path.join(tmp, 'matrix.html');
  fs.writeFileSync(file, renderMatrixHtml(current));

  const browser = await chromium.launch({
    executablePath: chromiumPath!,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  t.teardown(() => browser.close());
  const page = await browser.newPage({ viewport: { width: 1400, height: 1000 } });
  const requests: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`file://${file}`);

  t.test('self-contained', async (t) => {
    t.same(requests.filter((u) => !u.startsWith('file://')), [], 'no request leaves the file');
    t.equal(await page.locator('script').count(), 0, 'no script');
    t.match(await page.title(), /6 unexpected failures/);
    t.match(await page.locator('#verdict').innerText(), /6 unexpected failures/);
  });

  t.test('the phase table', async (t) => {
    const sub = await page.locator('#phase-table thead tr:nth-child(2) th').allInnerTexts();
    t.same(sub, ['deka-ipc', 'builtin'], 'a deka-ipc and a builtin column under the line');
    t.match(await page.locator('#phase-table thead th.group').innerText(), `Node ${process.versions.node}`);
    const rows = await page.locator('#phase-table tbody tr').evaluateAll((trs) => trs.map((tr) => ({
      phase: tr.querySelector('th')!.textContent,
      cells: [...tr.querySelectorAll('td')].map((td) => ({
        column: td.getAttribute('data-column'),
        passed: Number(td.getAttribute('data-passed')),
        failed: Number(td.getAttribute('data-failed')),
        total: Number(td.getAttribute('data-total')),
        text: (td.querySelector('.num') as HTMLElement).innerText,
        bar: td.querySelectorAll('.bar span').length,
      })),
    })));
    t.same(rows.map((r) => r.phase), ['phase1-demo', 'phase2-demo', 'all phases']);
    for (const row of rows) {
      for (const [i, cell] of row.cells.entries()) {
        const col = current.columns[i];
        const counts = row.phase === 'all phases' ? col.counts : col.phases[row.phase!];
        t.same({ column: cell.column, passed: cell.passed, failed: cell.failed, total: cell.total },
          { column: col.key, passed: counts.passed, failed: counts.failed, total: counts.total }, `${row.phase} ${col.key}`);
        t.equal(cell.text, `${counts.passed}/${counts.total}`);
      }
    }
    t.equal(rows[0].cells[0].bar, 3, 'phase1: a bar of passed, skipped and failed');
    t.equal(rows[1].cells[0].bar, 1, 'phase2: all passed');
    const width = await page.locator('#phase-table tbody tr').first().locator('td').first().locator('.bar .pass').evaluate((el) => el.getBoundingClientRect().width / el.parentElement!.getBoundingClientRect().width);
    t.ok(Math.abs(width - 2 / 6) < 0.02, `passed part of the bar is 2/6 of it (${width.toFixed(3)})`);
  });

  t.test('every case, every column', async (t) => {
    const rows = await page.locator('#case-table tr.case').evaluateAll((trs) => trs.map((tr) => ({
      file: tr.getAttribute('data-file'),
      outcomes: [...tr.querySelectorAll('td')].map((td) => td.getAttribute('data-outcome')),
    })));
    t.same(rows.map((r) => r.file), current.cases.map((c: { file: string }) => c.file));
    for (const [i, row] of rows.entries()) {
      t.same(row.outcomes, columns.map((col) => current.cases[i].results[col.key].outcome), row.file!);
    }
  });

  t.test("a failure's output is one click away", async (t) => {
    const row = page.locator('#case-table tr[data-file="phase1-demo/test-always-fails.js"]');
    const cell = row.locator('td').last();
    const pop = cell.locator('.pop');
    t.notOk(await pop.isVisible(), 'closed at first');
    await cell.locator('summary').click();
    t.ok(await pop.isVisible(), 'open after one click');
    t.match(await pop.locator('pre').innerText(), FAIL_TEXT.trim(), 'the output, as text');
    t.equal(await pop.locator('pre b').count(), 0, 'its markup is not markup');
    const box = (await pop.boundingBox())!;
    t.ok(box.x >= 0 && box.x + box.width <= 1400, `inside the window (x ${box.x}, width ${box.width})`);
    const failures = page.locator('#failures details.failure');
    t.equal(await failures.count(), 3, 'three failing cases listed once each');
    const first = failures.filter({ hasText: 'test-always-fails.js' });
    await first.locator('summary').click();
    t.match(await first.locator('pre').first().innerText(), FAIL_TEXT.trim());
  });

  t.test('changes since the previous run', async (t) => {
    const text = await page.locator('#changes').innerText();
    t.match(text, /4 newly failing · 2 newly passing · 4 other changes/);
    const up = await page.locator('#case-table tr[data-file="phase1-demo/test-turns-green.js"] td.changed-up').count();
    const down = await page.locator('#case-table tr[data-file="phase1-demo/test-turns-red.js"] td.changed-down').count();
    t.equal(up, 2, 'newly passing cells marked in both columns');
    t.equal(down, 2, 'newly failing cells marked in both columns');
    t.match(await page.locator('#changes .chg-block.down').innerText(), /test-turns-red\.js[\s\S]*test-known\.js|test-known\.js[\s\S]*test-turns-red\.js/);
    t.match(await page.locator('#phase-table tr.total').innerText(), /▲1\s*▼2/);
  });
});
