// `pocsim serve` as a trainer uses it, in headless Chromium: the page connects and draws the map and
// legend, plays, takes a lever from the levers panel, shows a bad command's error without stopping,
// shows sanctions cutting the armed groups' revenue, serves a second tab that joins late with the run's
// whole past and keeps it after the first closes, resets,
// and compares a run without and with sanctions side by side.
//
// Usage: node tests/browser/serve.test.mjs http://127.0.0.1:PORT/
// Environment: PLAYWRIGHT_CORE (path of playwright-core's index.mjs; tests/serve_browser.sh sets it),
// CHROMIUM (default /usr/bin/chromium), SCREENSHOT (where the full-page screenshot goes).
import assert from 'node:assert/strict';
import { deadline, launch } from './chromium.mjs';

const url = process.argv[2];
if (!url) {
  console.error('usage: node serve.test.mjs http://127.0.0.1:PORT/');
  process.exit(2);
}
const screenshot = process.env.SCREENSHOT || 'serve-screenshot.png';

// A hung server or browser must fail the test, not hold ctest until its own timeout.
const timer = deadline(120, 'the browser test');

let passed = 0;
function ok(what) {
  passed += 1;
  console.log('ok ' + passed + ' - ' + what);
}
function checking(what) {
  console.log('# ' + what);
}

const stepOf = (page) => page.evaluate(() => window.pocsimState?.frame?.step ?? -1);
const waitForStep = (page, step, timeout = 40_000) =>
  page.waitForFunction((s) => (window.pocsimState?.frame?.step ?? -1) >= s, step, { timeout, polling: 50 });
// Each group's mean revenue per step in one pane's history over its last n steps (step 0, before
// anything happened, left out).
const revenueMeans = (page, pane, n) => page.evaluate(([pane, n]) => {
  const h = window.pocsimHistory.panes[pane];
  const rows = h.group_revenue.filter((_, i) => h.step[i] > 0).slice(-n);
  return rows[0].map((_, g) => rows.reduce((sum, r) => sum + r[g], 0) / rows.length);
}, [pane, n]);

async function setRange(page, selector, value) {
  // What a drag ends with: the value, then one 'change' (the page sends on change only).
  await page.$eval(selector, (el, v) => {
    el.value = String(v);
    el.dispatchEvent(new Event('input', { bubbles: true }));
    el.dispatchEvent(new Event('change', { bubbles: true }));
  }, value);
}

// Listing is a chance per step and evasion erodes a freeze. Where the scenario offers those sliders, the
// test has the committee try every step and stops evasion (from the sliders, as a trainer would), so the
// effect shows within the steps it can afford.
async function makeListingSure(page, hello) {
  for (const key of ['mission.listing_rate', 'mission.cross_border_enforcement']) {
    const slider = hello.sliders.find((s) => s.key === key);
    if (!slider) continue;
    await setRange(page, 'input[type=range][data-key="' + key + '"]', slider.max);
    await page.waitForFunction(([k, v]) => window.pocsimState.steering.some((e) => e.action === 'slider' && e.key === k && e.value === v),
      [key, slider.max], { timeout: 10_000 });
    console.log('# slider ' + key + ' set to ' + slider.max);
  }
}

async function pause(page) {
  if (await page.evaluate(() => window.pocsimState.frame.playing)) await page.click('#play');
  await page.waitForFunction(() => window.pocsimState.frame.playing === false, null, { timeout: 10_000 });
}

const pageErrors = [];
function watch(page, name) {
  page.on('pageerror', (e) => pageErrors.push(name + ': ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') console.log('# ' + name + ' console error: ' + m.text()); });
}

const browser = await launch();
let failed = false;
try {
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  watch(page, 'tab 1');

  // 1. The page connects and gets the scenario.
  checking('the page loads from ' + url + ' and receives hello and a frame');
  await page.goto(url);
  await page.waitForFunction(() => window.pocsimState?.hello && window.pocsimState?.frame, null, { timeout: 20_000 });
  const hello = await page.evaluate(() => {
    const h = window.pocsimState.hello;
    return { scenario: h.scenario, groups: h.groups, levers: h.levers, sliders: h.sliders, outcomes: h.outcomes.map((o) => o.key) };
  });
  console.log('# scenario ' + hello.scenario.name + ', ' + hello.scenario.width + ' x ' + hello.scenario.height +
              ', groups: ' + hello.groups.join(', '));
  assert.ok(hello.groups.length > 0, 'the Mali scenario has armed groups');
  assert.ok(hello.levers.includes('sanctions'), 'sanctions can be switched');
  for (const key of ['violent_events', 'fatalities', 'illicit_revenue', 'group_revenue']) {
    assert.ok(hello.outcomes.includes(key), 'hello lists the outcome ' + key);
  }
  ok('hello received: ' + hello.groups.length + ' groups, ' + hello.outcomes.length + ' outcomes');

  // A server that has run before (a developer's, between two runs of this test) starts over, so the
  // levers and steps below mean what they say.
  if ((await stepOf(page)) > 0 || (await page.evaluate(() => window.pocsimState.steering.length)) > 0) {
    await page.click('#reset');
    await page.waitForFunction(() => window.pocsimState.frame.step === 0 && window.pocsimState.steering.length === 0, null, { timeout: 20_000 });
    console.log('# the server had run before: reset to step 0');
  }

  // 2. The map is drawn, not blank.
  checking('the map canvas is drawn');
  await page.waitForFunction(() => document.querySelector('#map')?.dataset.step, null, { timeout: 10_000 });
  const pixels = await page.evaluate(() => {
    const c = document.querySelector('#map');
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const counts = new Map();
    for (let i = 0; i < d.length; i += 4) {
      const key = (d[i] << 24 | d[i + 1] << 16 | d[i + 2] << 8 | d[i + 3]) >>> 0;
      counts.set(key, (counts.get(key) || 0) + 1);
    }
    const background = Math.max(...counts.values());
    return { width: c.width, height: c.height, colours: counts.size, total: d.length / 4, background };
  });
  const drawn = 1 - pixels.background / pixels.total;
  console.log('# map ' + pixels.width + ' x ' + pixels.height + ' px, ' + pixels.colours + ' colours, ' +
              (100 * drawn).toFixed(1) + ' % off the commonest colour');
  assert.ok(pixels.width >= 4 * hello.scenario.width && pixels.height >= 4 * hello.scenario.height, 'at least 4 px per cell');
  assert.ok(pixels.colours >= 3, 'the map has at least 3 colours');
  assert.ok(drawn >= 0.05, 'at least 5 % of the map differs from its background');
  ok('the map is drawn');

  // 3. The legend names every group and the markers.
  checking('the legend names the groups, Police and Mission base');
  const legend = await page.textContent('#legend');
  // Groups that exist are listed; splinter slots no group has split into yet are not.
  const alive = await page.evaluate(() => window.pocsimState.frame.groups_alive);
  assert.ok(alive.length > 0 && alive.length < hello.groups.length, 'groups alive: ' + JSON.stringify(alive));
  for (const name of alive.map((g) => hello.groups[g]).concat(['Police', 'Mission base'])) assert.ok(legend.includes(name), 'legend has "' + name + '"');
  for (const [i, name] of hello.groups.entries())
    if (!alive.includes(i)) assert.ok(!legend.includes(name), 'legend lists "' + name + '", which does not exist yet');
  const sliderLabels = await page.$$eval('#sliders label span', (els) => els.map((e) => e.textContent));
  assert.ok(sliderLabels.length > 0 && sliderLabels.every((t) => !/exp\(|\bx\b|=/.test(t)), 'slider labels read as formulas: ' + sliderLabels.join(' | '));
  ok('the legend is complete: ' + alive.length + ' groups that exist, none of the ' + (hello.groups.length - alive.length) + ' splinter slots');

  // 4. Play a while from the header's controls.
  checking('play advances the run; pause stops it');
  await setRange(page, '#speed', 65); // about 10 steps/s
  await page.waitForFunction(() => window.pocsimState.frame.speed >= 9, null, { timeout: 10_000 });
  const start = await stepOf(page);
  await page.click('#play');
  await waitForStep(page, start + 12);
  await pause(page);
  const paused = await stepOf(page);
  assert.ok(paused >= start + 12, 'the run advanced');
  ok('played from step ' + start + ' to step ' + paused);
  for (const key of hello.outcomes) {
    assert.ok(await page.$('canvas[data-outcome="' + key + '"]'), 'a chart for ' + key);
  }
  const steps = await page.evaluate(() => window.pocsimHistory.panes[0].step.length);
  assert.ok(steps >= 12, 'the history keeps every step seen (' + steps + ')');
  ok('a chart per outcome and ' + steps + ' steps of history');

  // 5. The armed group that earns most so far is the one to watch.
  const before = await revenueMeans(page, 0, 10);
  const G = before.indexOf(Math.max(...before));
  const beforeAll = before.reduce((a, b) => a + b, 0);
  console.log('# mean revenue per step over the last 10 steps: ' +
              hello.groups.map((n, g) => n + ' ' + before[g].toFixed(0)).join(', ') + '; watching ' + hello.groups[G]);
  assert.ok(before[G] > 0, 'the richest group has revenue before sanctions');

  // 6. Sanctions everywhere, from the levers panel.
  checking('sanctions switched on everywhere from the levers panel');
  await makeListingSure(page, hello);
  await page.selectOption('#lever-kind', 'sanctions');
  // No region is chosen at first: switching on then asks for one and sends nothing.
  assert.equal(await page.inputValue('#lever-region'), '?', 'a region is chosen before the trainer chose one');
  const changesBefore = await page.evaluate(() => window.pocsimState.steering.length);
  await page.click('#lever-on');
  await page.waitForFunction(() => document.querySelector('#banner').textContent.includes('choose a region'), null, { timeout: 5_000 });
  await page.waitForTimeout(300);  // a command sent would be in the record by now
  assert.equal(await page.evaluate(() => window.pocsimState.steering.length), changesBefore, 'a lever was switched on with no region chosen');
  await page.selectOption('#lever-region', { value: '' });
  await page.click('#lever-on');
  await page.waitForFunction(() => window.pocsimState.steering.some((e) => e.action === 'lever_on' && e.kind === 'sanctions' && !e.region),
    null, { timeout: 10_000 });
  const record = await page.$$eval('#steering-list li', (items) => items.map((li) => li.textContent));
  assert.ok(record.some((line) => /sanctions on everywhere/.test(line)), 'the steering record lists the change');
  assert.match(await page.textContent('#levers-in-force'), /sanctions/, 'sanctions are listed as in force');
  ok('sanctions are on; the record says "' + record.join('", "') + '"');

  // 7. A bad command gets a visible error, and the run goes on.
  checking('a bad command shows an error banner');
  await page.evaluate(() => window.pocsimSend({ cmd: 'lever', kind: 'nonsense', on: true }));
  // The banner fades after a few seconds: catch it while it is shown.
  await page.waitForFunction(() => {
    const b = document.querySelector('#banner');
    return b.textContent.includes('unknown lever') && b.classList.contains('shown');
  }, null, { timeout: 10_000 });
  assert.match(await page.textContent('#messages'), /unknown lever/, 'the message log keeps the error');
  ok('error shown: "' + (await page.textContent('#banner')) + '"');

  // 8. Fast play; the sanctioned groups earn less than before. Sanctions everywhere list every group, so
  // the check is on their combined revenue: a single group's before-and-after is confounded by the run's
  // own course (in the Mali scenario the richest group's revenue rises several-fold without sanctions and
  // stays near its early level with them). Step 12 checks the single group against its own counterfactual.
  checking('at top speed the run goes on and the sanctioned groups earn less');
  await setRange(page, '#speed', 100);
  await page.waitForFunction(() => window.pocsimState.frame.speed === 50, null, { timeout: 10_000 });
  const from = await stepOf(page);
  const budget = Math.min(150, hello.scenario.steps - from);
  assert.ok(budget >= 60, 'the scenario has at least 60 steps left');
  await page.click('#play');
  let after = [], afterAll = Infinity, played = 0;
  for (const n of [60, 90, 120, 150].filter((n) => n <= budget)) {
    await waitForStep(page, from + n, 60_000);
    played = (await stepOf(page)) - from;
    after = await revenueMeans(page, 0, 30);
    afterAll = after.reduce((a, b) => a + b, 0);
    console.log('# after ' + played + ' steps with sanctions, mean revenue per step over the last 30 steps: all groups ' +
                afterAll.toFixed(0) + ' (before: ' + beforeAll.toFixed(0) + '), ' + hello.groups[G] + ' ' +
                after[G].toFixed(0) + ' (before: ' + before[G].toFixed(0) + ')');
    if (afterAll < beforeAll) break;
  }
  await pause(page);
  assert.ok(played >= 60, 'played at least 60 steps after the error');
  assert.ok(afterAll < beforeAll, "the armed groups' revenue fell under sanctions: " + beforeAll.toFixed(0) + ' -> ' + afterAll.toFixed(0));
  ok('armed groups earned ' + beforeAll.toFixed(0) + ' $/step before sanctions, ' + afterAll.toFixed(0) + ' after (' +
     hello.groups[G] + ': ' + before[G].toFixed(0) + ' -> ' + after[G].toFixed(0) + ')');

  // 9. What a person would see.
  await page.screenshot({ path: screenshot, fullPage: true });
  ok('screenshot saved to ' + screenshot);

  // 10. A second tab gets the same run, and keeps it when the first closes.
  checking('a second tab receives frames, and still does after the first closes');
  const page2 = await context.newPage();
  watch(page2, 'tab 2');
  await page2.goto(url);
  await page2.waitForFunction(() => window.pocsimState?.hello && window.pocsimState?.frame, null, { timeout: 20_000 });
  const s2 = await stepOf(page2);
  assert.equal(s2, await stepOf(page), 'both tabs show the same step');
  // Joined late, it still has the whole past: the same charts' data as the tab that watched from the start.
  const past = (p) => p.evaluate(() => {
    const h = window.pocsimHistory.panes[0];
    return { steps: h.step.slice(), fatalities: h.fatalities.slice() };
  });
  const [watched, joined] = [await past(page), await past(page2)];
  assert.ok(joined.steps.length >= s2 && joined.steps[0] === 0, 'the late tab has ' + joined.steps.length + ' steps of history');
  const common = Math.min(watched.steps.length, joined.steps.length);
  assert.deepEqual(joined.fatalities.slice(0, common), watched.fatalities.slice(0, common), 'the late tab\'s past differs');
  ok('a tab that joined at step ' + s2 + ' has the run\'s whole past (' + joined.steps.length + ' steps), as the first tab saw it');
  await page2.locator('body').press('Space'); // the keyboard shortcut plays
  await waitForStep(page2, s2 + 3);
  await page.close();
  const s3 = await stepOf(page2);
  await waitForStep(page2, s3 + 5);
  await page2.locator('body').press('Space');
  await page2.waitForFunction(() => window.pocsimState.frame.playing === false, null, { timeout: 10_000 });
  ok('tab 2 went from step ' + s2 + ' to ' + (await stepOf(page2)) + ', on after tab 1 closed');

  // 11. Reset: back to step 0, the record and the charts cleared.
  checking('reset goes back to step 0 with no changes');
  await page2.click('#reset');
  await page2.waitForFunction(() => window.pocsimState.frame.step === 0 && window.pocsimState.steering.length === 0, null, { timeout: 20_000 });
  const kept = await page2.evaluate(() => window.pocsimHistory.panes.map((p) => p.step.length));
  assert.deepEqual(kept, [1], 'the history starts again from step 0');
  assert.equal(await page2.$$eval('#steering-list li', (items) => items.length), 0, 'the record is cleared');
  ok('reset to step 0');

  // 12. Side by side: the same run without and with sanctions, stepped together; the watched group earns
  // less in the pane with them.
  checking('compare side by side: two panes stepped together, ' + hello.groups[G] + ' earns less with sanctions');
  await makeListingSure(page2, hello);
  await page2.selectOption('#lever-kind', 'sanctions');
  await page2.selectOption('#lever-region', { value: '' });
  await page2.click('#side-by-side');
  await page2.waitForFunction(() => document.querySelectorAll('canvas.map').length === 2 && window.pocsimHistory.panes.length === 2,
    null, { timeout: 10_000 });
  const s4 = await stepOf(page2);
  await page2.locator('body').press('ArrowRight'); // one step
  await waitForStep(page2, s4 + 1, 10_000);
  const last = await page2.evaluate(() => window.pocsimHistory.panes.map((p) => p.step[p.step.length - 1]));
  assert.deepEqual(last, [s4 + 1, s4 + 1], 'both panes reached the same step');
  await page2.waitForFunction((s) => document.querySelector('#map-2')?.dataset.step === String(s), s4 + 1, { timeout: 10_000 });
  const labels = await page2.$$eval('figure.pane figcaption', (els) => els.map((e) => e.textContent));
  console.log('# panes: ' + labels.join(' | '));
  await page2.locator('body').press('Space');
  await waitForStep(page2, s4 + 61, 60_000);
  await page2.locator('body').press('Space');
  await page2.waitForFunction(() => window.pocsimState.frame.playing === false, null, { timeout: 10_000 });
  const without = (await revenueMeans(page2, 0, 30))[G], withSanctions = (await revenueMeans(page2, 1, 30))[G];
  console.log('# ' + hello.groups[G] + ' over the last 30 steps: ' + without.toFixed(0) + ' $/step without sanctions, ' +
              withSanctions.toFixed(0) + ' with');
  assert.ok(withSanctions < without, hello.groups[G] + ' earns less with sanctions than without');
  // Each side is a handful of replicates paired by seed: the charts draw their means and ranges, say how
  // many, and give the paired difference; the time axes read as dates.
  await page2.waitForFunction(() => document.querySelector('canvas[data-outcome="fighters"]')?.dataset.bands === '2', null, { timeout: 10_000 });
  const sides = await page2.evaluate(() => {
    const h = window.pocsimState.hello, f = window.pocsimState.frame;
    const panes = window.pocsimHistory.panes.map((p) => ({ n: p.step.length, mean: p.fighters, range: p.range && p.range.fighters }));
    const chart = document.querySelector('canvas[data-outcome="fighters"]');
    return { replicates: h.replicates, frameReplicates: f.replicates, panes, difference: f.difference && f.difference.fighters,
             note: document.getElementById('replicates-note')?.textContent || '', from: chart.dataset.from, to: chart.dataset.to,
             firstDate: h.scenario.dates[0], nowText: chart.parentElement.querySelector('.now').textContent };
  });
  assert.equal(sides.replicates, 5, 'side by side runs 5 replicates a side by default');
  assert.equal(sides.frameReplicates, 5, 'frames say how many replicates they summarise');
  for (const p of sides.panes) {
    assert.ok(p.range && p.range.length === p.n, 'every step of a side has its replicates\' range');
    p.range.forEach((r, j) => assert.ok(r[0] <= p.mean[j] + 1e-9 && p.mean[j] <= r[1] + 1e-9, 'the mean lies in the range at step ' + j));
  }
  assert.ok(Array.isArray(sides.difference) && sides.difference.length === 3 && sides.difference[1] <= sides.difference[0] &&
            sides.difference[0] <= sides.difference[2], 'the paired difference: mean within [lowest, highest]');
  assert.match(sides.note, /5 replicates, paired by seed/, 'the page says how many replicates each side runs');
  assert.match(sides.nowText, /difference [+\-]?[\d.,kMG]+ \[/, 'the chart gives the paired difference with its range');
  assert.equal(sides.from, sides.firstDate, 'the time axis starts at the scenario\'s first date');
  assert.match(sides.to, /^\d{4}-\d{2}-\d{2}$/, 'the time axis ends at a date');
  ok('side by side: 5 replicates a side, bands and paired differences (' + sides.nowText.trim() + '), dates ' + sides.from + ' to ' + sides.to);
  await page2.screenshot({ path: screenshot.replace(/(\.png)?$/, '-side-by-side.png'), fullPage: true });
  await page2.click('#side-by-side');
  await page2.waitForFunction(() => document.querySelectorAll('canvas.map').length === 1, null, { timeout: 10_000 });
  ok('side by side (' + labels.join(' | ') + '): ' + hello.groups[G] + ' ' + without.toFixed(0) + ' -> ' + withSanctions.toFixed(0) + ' $/step');

  assert.deepEqual(pageErrors, [], 'no JavaScript errors in the page');
  ok('no JavaScript errors in the page');
} catch (e) {
  failed = true;
  console.error('FAIL: ' + (e && e.message ? e.message : e));
} finally {
  await browser.close();
  clearTimeout(timer);
}
console.log(passed + ' passed, ' + (failed ? 1 : 0) + ' failed');
process.exit(failed ? 1 : 0);
