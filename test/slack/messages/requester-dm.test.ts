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
