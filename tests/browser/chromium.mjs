// What every browser test starts with: a deadline, so that a hung server or browser fails the test
// instead of holding ctest until its own timeout, and Debian's Chromium driven by playwright-core.
// Environment: PLAYWRIGHT_CORE (playwright-core's module; tests/browser/playwright.sh finds it), CHROMIUM
// (default /usr/bin/chromium).
export function deadline(seconds, what) {
  return setTimeout(() => {
    console.error('FAIL: ' + what + ' took more than ' + seconds + ' s');
    process.exit(1);
  }, seconds * 1000);
}

export async function launch() {
  const pw = await import(process.env.PLAYWRIGHT_CORE || 'playwright-core');
  const chromium = pw.chromium ?? pw.default.chromium;
  return chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}
