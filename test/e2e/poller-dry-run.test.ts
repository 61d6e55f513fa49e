import { describe, expect, it } from 'vitest';
import { DRY_RUN_COMPLETION_MS } from '../../src/app/dry-run-gateway';
import { type Bot, click, dmsTo, quickRequest, storedRequest, textOf, USERS } from '../support/bot';
import { repliesMatching, storedAfterPoll } from '../support/poller-steps';
import { useBots } from '../support/use-bots';

/** DRY_RUN=true: the whole flow runs, CloudFront is never called, and every message says so. */

const start = useBots();

function everyMessage(b: Bot): string[] {
  return [...b.slackApi.calls('chat.postMessage'), ...b.slackApi.calls('chat.update')].map((c) =>
    textOf(c.args),
  );
}

describe('poller: dry run', () => {
  it.each([
    { alias: 'staging', approvers: [] as string[] },
    { alias: 'www', approvers: [USERS.bob, USERS.carol] },
  ])(
    '$alias: completes after the simulated delay without calling CloudFront',
    async ({ alias, approvers }) => {
      const b = await start({ completeAfterChecks: 1, env: { DRY_RUN: 'true' } });
      const created = await quickRequest(b, USERS.alice, `${alias} /index.html /img/*`);
      for (const approver of approvers) await click(b, approver, 'approve', created);
      const submitted = await storedRequest(b, created.id);
      expect(submitted.dryRun).toBe(true);
      expect(submitted.status).toBe('SUBMITTED');

      await b.poll();
      expect((await storedAfterPoll(b, DRY_RUN_COMPLETION_MS - 1_000, created.id)).status).toBe('SUBMITTED');

      const done = await storedAfterPoll(b, 1_000, created.id);
      expect(done.status).toBe('COMPLETED');
      expect(done.outbox).toEqual([]);

      expect(b.cloudfront.state.calls).toEqual([]);
      expect(repliesMatching(b, done, /Dry run completed in 20s/).length).toBeGreaterThan(0);
      const dms = dmsTo(b, USERS.alice);
      expect(dms).toHaveLength(1);
      expect(String(dms[0]?.args.text)).toContain('Your dry-run invalidation of 2 paths on');

      const messages = everyMessage(b);
      expect(messages.length).toBeGreaterThanOrEqual(approvers.length + 4);
      for (const message of messages) expect(message).toMatch(/dry run/i);
    },
  );
});
