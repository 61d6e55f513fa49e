import { describe, expect, it } from 'vitest';
import { DRY_RUN_COMPLETION_MS } from '../../src/app/dry-run-gateway';
import {
  type Bot,
  click,
  dmsTo,
  quickRequest,
  storedRequest,
  textOf,
  threadReplies,
  USERS,
} from '../support/bot';
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
      b.clock.advance(DRY_RUN_COMPLETION_MS - 1_000);
      await b.poll();
      expect((await storedRequest(b, created.id)).status).toBe('SUBMITTED');

      b.clock.advance(1_000);
      await b.poll();
      const done = await storedRequest(b, created.id);
      expect(done.status).toBe('COMPLETED');
      expect(done.outbox).toEqual([]);

      expect(b.cloudfront.state.calls).toEqual([]);
      const replies = threadReplies(b, done.channel, done.cardTs ?? '');
      expect(replies.some((c) => String(c.args.text).includes('Dry run completed in 20s'))).toBe(true);
      const dms = dmsTo(b, USERS.alice);
      expect(dms).toHaveLength(1);
      expect(String(dms[0]?.args.text)).toContain('Your dry-run invalidation of 2 paths on');

      const messages = everyMessage(b);
      expect(messages.length).toBeGreaterThanOrEqual(approvers.length + 4);
      for (const message of messages) expect(message).toMatch(/dry run/i);
    },
  );
});
