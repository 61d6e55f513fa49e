import { describe, expect, it } from 'vitest';
import { isRequesterNotice, requesterDm } from '../../../src/slack/messages/requester-dm';
import { aNotice, aRequest } from '../request-fixture';

const done = {
  status: 'COMPLETED' as const,
  paths: ['/a', '/b', '/c'],
  submittedAt: '2024-05-01T10:00:00.000Z',
  completedAt: '2024-05-01T10:01:12.000Z',
};

describe('requesterDm', () => {
  it('recognises only the requester notices', () => {
    expect(isRequesterNotice(aNotice('requester-completed'))).toBe(true);
    expect(isRequesterNotice(aNotice('requester-failed'))).toBe(true);
    expect(isRequesterNotice(aNotice('completed'))).toBe(false);
  });

  it('tells the requester it completed, how long it took, and links the thread', () => {
    const text = requesterDm(aRequest(done), aNotice('requester-completed'), 'https://slack.example/p9').text;
    expect(text).toContain('Your invalidation of 3 paths on www completed in 1m 12s');
    expect(text).toContain('<https://slack.example/p9|');
  });

  it('leaves the link out without a permalink', () => {
    expect(requesterDm(aRequest(done), aNotice('requester-completed')).text).not.toContain('<http');
  });

  it('tells the requester why it failed, escaped', () => {
    const request = aRequest({ status: 'FAILED', paths: ['/a'] });
    const text = requesterDm(
      request,
      aNotice('requester-failed', { detail: 'NoSuchDistribution <E1>' }),
    ).text;
    expect(text).toContain('Your invalidation of 1 path on www failed');
    expect(text).toContain('NoSuchDistribution &lt;E1&gt;');
  });

  it.each(['requester-completed', 'requester-failed'] as const)('says dry run for a dry run (%s)', (kind) => {
    expect(requesterDm(aRequest({ ...done, dryRun: true }), aNotice(kind)).text).toMatch(/dry run/i);
    expect(requesterDm(aRequest({ ...done, dryRun: false }), aNotice(kind)).text).not.toMatch(/dry.run/i);
  });
});

describe('requesterDm: every end', () => {
  it('rejected: by whom, and the reason escaped', () => {
    const text = requesterDm(
      aRequest({ status: 'REJECTED', paths: ['/a'], distributionAlias: 'www' }),
      aNotice('requester-rejected', { actorId: 'U0BOB', detail: 'use <staging>' }),
      'https://slack.example/p1',
    ).text;
    expect(text).toBe(
      ':no_entry: Your invalidation of 1 path on www was rejected by <@U0BOB>. Reason: use &lt;staging&gt; Nothing was invalidated. <https://slack.example/p1|View the thread>',
    );
  });

  it('expired: when, and how to ask again', () => {
    const text = requesterDm(
      aRequest({ status: 'EXPIRED', distributionAlias: 'www' }),
      aNotice('requester-expired'),
    ).text;
    expect(text).toMatch(/^:alarm_clock: Your invalidation of .* expired: nobody decided by <!date\^/);
    expect(text).toContain('use *Request again* on the card or run `/invalidate www`');
  });

  it('a card Slack refused: the fix, as the messenger wrote it', () => {
    const text = requesterDm(
      aRequest({ status: 'FAILED', paths: ['/a'], distributionAlias: 'www' }),
      aNotice('requester-card-failed', { detail: 'Fix: run `/invite` <@U0BOT> in <#C0APPROVALS>.' }),
    ).text;
    expect(text).toBe(
      ':x: Your invalidation of 1 path on www failed: nobody could approve it without its card. Fix: run `/invite` <@U0BOT> in <#C0APPROVALS>.',
    );
  });

  it.each(['requester-rejected', 'requester-expired', 'requester-card-failed'] as const)(
    '%s is a DM',
    (kind) => {
      expect(isRequesterNotice(aNotice(kind))).toBe(true);
    },
  );
});
