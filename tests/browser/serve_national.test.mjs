// `pocsim serve` on the national scenario (1000 x 1000 cells), in headless Chromium: how soon a room sees
// the first picture, how large the messages are, and how many steps a second the page shows while
// playing. The first picture must come within FIRST_PICTURE_BOUND seconds (the 5); the frame rate
// is reported, not asserted (it is bounded by the model's step, docs/performance.md).
//
// Usage: node tests/browser/serve_national.test.mjs http://127.0.0.1:PORT/
// Environment: PLAYWRIGHT_CORE, CHROMIUM (as for serve.test.mjs), FIRST_PICTURE_BOUND (default 5).
import assert from 'node:assert/strict';
import { deadline, launch } from './chromium.mjs';

const url = process.argv[2];
const bound = Number(process.env.FIRST_PICTURE_BOUND || 5);
const timer = deadline(120, 'the national browser test');
let failed = false;
const browser = await launch();
try {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  const sizes = [];
  page.on('websocket', (ws) => ws.on('framereceived', (f) => sizes.push(typeof f.payload === 'string' ? Buffer.byteLength(f.payload) : f.payload.length)));
  const t0 = Date.now();
  await page.goto(url);
  await page.waitForFunction(() => document.querySelector('canvas.map')?.dataset.step === '0', null, { timeout: 60_000, polling: 20 });
  const first = (Date.now() - t0) / 1000;
  const info = await page.evaluate(() => {
    const h = window.pocsimState.hello;
    return { width: h.scenario.width, height: h.scenario.height, map: h.map.width ? [h.map.width, h.map.height] : null };
  });
  console.log('# first picture after ' + first.toFixed(2) + ' s (' + info.width + ' x ' + info.height + ' cells' +
              (info.map ? ', map sent at ' + info.map[0] + ' x ' + info.map[1] : '') + '); hello and first frame: ' +
              sizes.slice(0, 2).map((n) => (n / 1e6).toFixed(2) + ' MB').join(', '));
  await page.screenshot({ path: process.env.SCREENSHOT || 'serve_national-screenshot.png' });
  assert.ok(first <= bound, 'the first picture came after ' + first.toFixed(2) + ' s, more than ' + bound + ' s');
  console.log('ok 1 - first picture within ' + bound + ' s');

  // Play at full speed for 10 s: the steps the page showed per second, and the frames' size.
  const before = sizes.length;
  const s0 = await page.evaluate(() => window.pocsimState.frame.step);
  await page.evaluate(() => { window.pocsimSend({ cmd: 'speed', value: 50 }); window.pocsimSend({ cmd: 'play' }); });
  const t1 = Date.now();
  await page.waitForTimeout(10_000);
  const s1 = await page.evaluate(() => window.pocsimState.frame.step);
  const seconds = (Date.now() - t1) / 1000;
  await page.evaluate(() => window.pocsimSend({ cmd: 'pause' }));
  const frames = sizes.slice(before);
  const mean = frames.length ? frames.reduce((a, b) => a + b, 0) / frames.length : 0;
  console.log('# playing: ' + ((s1 - s0) / seconds).toFixed(2) + ' steps a second shown; ' + frames.length +
              ' messages, ' + (mean / 1e6).toFixed(2) + ' MB each on average (as decoded)');
  assert.ok(s1 > s0, 'the run advanced while playing');
  console.log('ok 2 - plays');
  assert.deepEqual(errors, [], 'no JavaScript errors in the page');
  console.log('ok 3 - no JavaScript errors');
} catch (e) {
  failed = true;
  console.error('FAIL: ' + (e && e.message ? e.message : e));
} finally {
  await browser.close();
  clearTimeout(timer);
}
process.exit(failed ? 1 : 0);
