import { existsSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type DevProcess, freePort, runDev } from '../support/dev-process';

/**
 * The playground in a real headless Chromium (Debian's, /usr/bin/chromium), against a real
 * `npm run dev` process with no Slack tokens: a person types, clicks and fills the modal as in
 * Slack, and the real bot answers through its own signed /slack/events route.
 * Set PLAYGROUND_SCREENSHOTS=docs to write the README's screenshots on the way.
 */

const CHROMIUM = '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
const SCREENSHOTS = process.env.PLAYGROUND_SCREENSHOTS;
const ALICE = 'U0PGALICE';
const BOB = 'U0PGBOB';

if (!hasChromium) {
  console.warn(
    `playground browser test skipped: no Chromium at ${CHROMIUM} (install it with \`apt-get install -y chromium\`; .ci/run does).`,
  );
}

describe.skipIf(!hasChromium)('the playground in headless Chromium', () => {
  let dev: DevProcess;
  let context: BrowserContext;
  let page: Page;
  let url: string;

  beforeAll(async () => {
    const port = await freePort();
    const cwd = mkdtempSync(join(tmpdir(), 'playground-'));
    dev = runDev(
      {
        PORT: String(port),
        // Dev-only knob: a dry-run invalidation "completes" after 1 s instead of 20 s.
        DEV_DRY_RUN_COMPLETION_MS: '1000',
        POLL_INTERVAL_MS: '300',
      },
      cwd,
    );
    await dev.waitFor(`playground: open http://localhost:${port}/`);
    url = `http://localhost:${port}/`;
    context = await chromium.launchPersistentContext(mkdtempSync(join(tmpdir(), 'chromium-')), {
      executablePath: CHROMIUM,
      headless: true,
      viewport: { width: 1440, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.setDefaultTimeout(20_000);
  }, 60_000);

  afterAll(async () => {
    await context?.close();
    await dev?.stop();
  });

  async function shoot(name: string): Promise<void> {
    if (!SCREENSHOTS) return;
    const dir = resolve(__dirname, '../..', SCREENSHOTS);
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, name) });
  }

  it('as the requester a quick form, as an approver one click, and the thread reaches Completed', async () => {
    await page.goto(`${url}?as=${ALICE}`);
    await page.fill('#message', '/invalidate www /index.html /css/*');
    await page.press('#message', 'Enter');
    // The bot's ephemeral answer, visible to alice only.
    const answer = page.locator('#deploys .msg.ephemeral', { hasText: 'Waiting for approval' });
    await answer.waitFor();
    expect(await answer.textContent()).toContain('Only visible to you');
    // The card arrives in the approval channel, whenever the bot posts it.
    const card = page.locator('#channels .msg', { hasText: 'Waiting for approval: invalidate www' }).first();
    await card.waitFor();
    expect(await card.textContent()).toContain('@alice');

    await page.selectOption('#viewer', BOB);
    await expect.poll(() => page.locator('#deploys .msg.ephemeral').count()).toBe(0);
    await card.locator('button[data-action-id="approve"]').click();

    const completed = page.locator('#channels .thread .msg', { hasText: 'Completed' });
    await completed.waitFor({ timeout: 25_000 });
    const thread = await page.locator('#channels .thread').first().textContent();
    expect(thread).toContain('Approved by @bob');
    expect(thread).toMatch(/dry run/i);
    // The card itself is updated in place, its buttons gone.
    const header = page.locator('#channels .msg .bk-header').first();
    await expect.poll(() => header.textContent()).toMatch(/Completed: invalidate www/);
    expect(
      await page.locator('#channels .msg').first().locator('button[data-action-id="approve"]').count(),
    ).toBe(0);

    // The requester hears of the end by DM.
    await page.selectOption('#viewer', ALICE);
    await page
      .locator('#dms .msg', { hasText: /completed/i })
      .first()
      .waitFor();
    await shoot('playground-card.png');
  }, 60_000);

  it('opens the modal, shows an inline path error, and takes the fixed form', async () => {
    await page.goto(`${url}?as=${ALICE}`);
    await page.fill('#message', '/invalidate');
    await page.press('#message', 'Enter');
    const modal = page.locator('#overlay .modal');
    await modal.waitFor();
    expect(await modal.locator('.modal-title').textContent()).toBe('Invalidate cache');

    // The type-ahead is the bot's own options handler, asked with a signed block_suggestion.
    const distribution = modal.locator('.bk-typeahead input');
    await distribution.fill('ww');
    const option = modal.locator('.bk-options li', { hasText: 'www' });
    await option.waitFor();
    await option.click();
    expect(await distribution.inputValue()).toContain('www');

    await modal.locator('textarea[data-action-id="paths"]').fill('index.html');
    await modal.locator('input[data-action-id="reason"]').fill('hotfix 42');
    await modal.locator('[data-modal-submit]').click();
    const error = page.locator('#overlay .bk-input[data-block="paths"] .bk-error');
    await error.waitFor();
    expect(await error.textContent()).toContain('/');
    // What was typed survives the redraw with the error.
    expect(await page.locator('#overlay textarea[data-action-id="paths"]').inputValue()).toBe('index.html');
    await shoot('playground-modal.png');

    await page.locator('#overlay textarea[data-action-id="paths"]').fill('/index.html');
    await page.locator('#overlay [data-modal-submit]').click();
    await page.locator('#overlay').waitFor({ state: 'hidden' });
    // The requester is told by DM, and a new card waits in the approval channel.
    await page.locator('#dms .msg', { hasText: 'Waiting for approval' }).first().waitFor();
    await page.locator('#channels .msg', { hasText: 'hotfix 42' }).first().waitFor();
  }, 60_000);
});
