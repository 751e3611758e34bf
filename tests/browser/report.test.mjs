// A report as a decision maker sees it, in headless Chromium: every figure loads, every table and figure
// has a box of its own (none overlaps another, none runs off the page), the brief comes first, and the page
// prints to a PDF (Chromium's print, as planners circulate it) of several pages.
//
// Usage: node tests/browser/report.test.mjs REPORT.html OUT.pdf
// Environment: PLAYWRIGHT_CORE (playwright-core's module; tests/report_browser.sh sets it), CHROMIUM.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { deadline, launch } from './chromium.mjs';

const [report, pdfPath] = process.argv.slice(2);
if (!report || !pdfPath) {
  console.error('usage: node report.test.mjs REPORT.html OUT.pdf');
  process.exit(2);
}
const timer = deadline(90, 'the report test');
const browser = await launch();
let failed = false;
try {
  for (const width of [1400, 800]) {
    const page = await browser.newPage({ viewport: { width, height: 900 } });
    await page.goto(pathToFileURL(report).href);
    const layout = await page.evaluate(() => {
      const boxes = [...document.querySelectorAll('body > p > img, body > table, body > h2, body > h3')].map((e) => {
        const r = e.getBoundingClientRect();
        return { tag: e.tagName, text: (e.alt || e.textContent || '').slice(0, 40), left: r.left + scrollX, top: r.top + scrollY,
                 right: r.right + scrollX, bottom: r.bottom + scrollY, loaded: e.tagName !== 'IMG' || (e.complete && e.naturalWidth > 0) };
      });
      const headings = [...document.querySelectorAll('h2')].map((h) => h.textContent);
      return { boxes, headings, images: document.images.length, tables: document.querySelectorAll('table').length };
    });
    assert.ok(layout.images >= 2 && layout.tables >= 3, `figures ${layout.images}, tables ${layout.tables}`);
    for (const b of layout.boxes) {
      assert.ok(b.loaded, `the figure "${b.text}" did not load`);
      assert.ok(b.bottom > b.top && b.right > b.left, `"${b.text}" has no box`);
    }
    const overlapping = [];
    for (let i = 0; i < layout.boxes.length; i++)
      for (let j = i + 1; j < layout.boxes.length; j++) {
        const a = layout.boxes[i], b = layout.boxes[j];
        if (a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) overlapping.push(`${a.text} / ${b.text}`);
      }
    assert.deepEqual(overlapping, [], `boxes overlap at ${width} px`);
    // Wide tables scroll inside the page's width rather than push figures off it: no figure runs off.
    for (const b of layout.boxes.filter((x) => x.tag === 'IMG')) assert.ok(b.right <= width + 1, `"${b.text}" runs off a ${width} px page`);
    assert.equal(layout.headings[0], 'The decision in brief', 'the brief is not first');
    console.log(`ok - ${width} px: ${layout.images} figures and ${layout.tables} tables, all loaded, none overlapping`);
    if (width === 1400) {
      await page.emulateMedia({ media: 'print' });
      await page.pdf({ path: pdfPath, format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
      const pdf = readFileSync(pdfPath);
      assert.equal(pdf.subarray(0, 5).toString(), '%PDF-');
      const pages = (pdf.toString('latin1').match(/\/Type\s*\/Page[^s]/g) || []).length;
      assert.ok(pages >= 2, `the PDF has ${pages} pages`);
      console.log(`ok - printed to a PDF of ${pages} A4 pages (${Math.round(pdf.length / 1024)} KiB)`);
    }
    await page.close();
  }
} catch (e) {
  failed = true;
  console.error('FAIL: ' + e.message);
} finally {
  await browser.close();
  clearTimeout(timer);
}
process.exit(failed ? 1 : 0);
