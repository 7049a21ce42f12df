// Swagger UI in a real browser: Debian's chromium driven by playwright-core.
// Usage: node e2e/swagger-ui.test.mjs [baseUrl]   (default http://localhost:8080)
// Env: CHROMIUM (default /usr/bin/chromium), SCREENSHOT (default target/e2e/swagger-ui.png),
//      EDITOR_USER / EDITOR_PASSWORD (default editor / editor, the embedded profile's).
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { chromium } from 'playwright-core';

const baseUrl = (process.argv[2] ?? process.env.BASE_URL ?? 'http://localhost:8080').replace(/\/$/, '');
const screenshot = process.env.SCREENSHOT ?? 'target/e2e/swagger-ui.png';
const editor = { user: process.env.EDITOR_USER ?? 'editor', password: process.env.EDITOR_PASSWORD ?? 'editor' };
const STEP_TIMEOUT = 15_000;
const TOTAL_TIMEOUT = 120_000;

const product = {
  name: `Swagger UI kettle ${Date.now()}`,
  description: 'Created by the browser test through Try it out',
  category: 'kitchen',
  price: 39.9,
  currency: 'USD',
  stock: 3,
  tags: ['e2e'],
};

function step(name) {
  console.log(`- ${name}`);
}

// "Try it out" then "Execute" on one operation, and the live response's code and body.
async function execute(operation, prepare = async () => {}) {
  await operation.locator('.opblock-summary').first().click();
  await operation.getByRole('button', { name: 'Try it out' }).click();
  await prepare();
  await operation.getByRole('button', { name: 'Execute' }).click();
  const live = operation.locator('.live-responses-table');
  const status = live.locator('tbody .response-col_status').first();
  await status.waitFor();
  return {
    // The cell reads "201" or, for a code the document does not list, "201\nUndocumented".
    code: (await status.innerText()).trim().split(/\s+/)[0],
    body: await live.locator('.response-col_description pre').first().innerText(),
  };
}

function expect(condition, message) {
  if (!condition) {
    throw new Error(message);
  }
}

async function run(page) {
  step(`open ${baseUrl}/swagger-ui.html`);
  await page.goto(`${baseUrl}/swagger-ui.html`);
  await page.locator('.opblock').first().waitFor();

  step('GET /api/products: Try it out, Execute');
  const list = await execute(page.locator('#operations-Products-list'));
  expect(list.code === '200', `list answered ${list.code}: ${list.body}`);
  expect(list.body.includes('"items"'), `list body has no items: ${list.body}`);

  step('Authorize with basicAuth as the editor');
  await page.locator('.auth-wrapper button.authorize').click();
  const modal = page.locator('.modal-ux');
  await modal.locator('input[type=text]').first().fill(editor.user);
  await modal.locator('input[type=password]').first().fill(editor.password);
  // Swagger UI labels these buttons for screen readers ("Apply credentials"): match the text.
  await modal.locator('button.authorize', { hasText: 'Authorize' }).click();
  await modal.locator('button', { hasText: 'Logout' }).waitFor();
  await modal.locator('button.btn-done', { hasText: 'Close' }).click();
  await modal.waitFor({ state: 'detached' });

  step('POST /api/products: Try it out with a valid body, Execute');
  const create = page.locator('#operations-Products-create');
  const created = await execute(create, () => create.locator('textarea.body-param__text').fill(JSON.stringify(product, null, 2)));
  expect(created.code === '201', `create answered ${created.code}: ${created.body}`);
  expect(created.body.includes(product.name), `create body lacks the product: ${created.body}`);
  await create.scrollIntoViewIfNeeded();
}

async function main() {
  const profile = mkdtempSync(join(tmpdir(), 'swagger-ui-chromium-'));
  // A persistent context is how playwright takes a fresh --user-data-dir.
  const browser = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    timeout: STEP_TIMEOUT,
    viewport: { width: 1280, height: 1600 },
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
  const page = await browser.newPage();
  page.setDefaultTimeout(STEP_TIMEOUT);
  page.setDefaultNavigationTimeout(STEP_TIMEOUT * 2);
  mkdirSync(dirname(screenshot), { recursive: true });
  try {
    await run(page);
    console.log('Swagger UI test passed');
  }
  finally {
    await page.screenshot({ path: screenshot, fullPage: true }).catch((ex) => console.error(`no screenshot: ${ex.message}`));
    console.log(`screenshot: ${screenshot}`);
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
  }
}

const watchdog = setTimeout(() => {
  console.error(`Swagger UI test timed out after ${TOTAL_TIMEOUT / 1000} s`);
  process.exit(2);
}, TOTAL_TIMEOUT);
try {
  await main();
  clearTimeout(watchdog);
}
catch (ex) {
  console.error(`Swagger UI test failed: ${ex.message}`);
  process.exit(1);
}
