import { describe, expect, it } from 'vitest';
import type { NoticeKind } from '../../../src/domain/request';
import {
  formatElapsed,
  isThreadNotice,
  type ThreadNoticeKind,
  threadReply,
} from '../../../src/slack/messages/thread-replies';
import { aNotice, aRequest } from '../request-fixture';

const THREAD_KINDS: ThreadNoticeKind[] = [
  'approved',
  'rejected',
  'cancelled',
  'submitted',
  'queued',
  'still-in-progress',
  'completed',
  'failed',
  'expired',
  'ask-approvers',
  'reminder',
  'break-glass-review',
];

describe('formatElapsed', () => {
  it.each([
    [0, '0s'],
    [-5_000, '0s'],
    [Number.NaN, '0s'],
    [400, '0s'],
    [1_000, '1s'],
    [45_000, '45s'],
    [59_600, '1m'],
    [60_000, '1m'],
    [72_000, '1m 12s'],
    [3_599_000, '59m 59s'],
    [3_600_000, '1h'],
    [3_600_000 + 5 * 60_000 + 30_000, '1h 5m'],
    [86_400_000 * 3 + 3_600_000 * 4 + 59_000, '3d 4h'],
    [86_400_000 * 2 + 59_000, '2d'],
  ])('%d ms reads %s', (ms, expected) => {
    expect(formatElapsed(ms)).toBe(expected);
  });
});

describe('threadReply', () => {
  it('answers exactly the thread notices', () => {
    const all: NoticeKind[] = [
      ...THREAD_KINDS,
      'card',
      'requester-recorded',
      'requester-completed',
      'requester-failed',
      'requester-rejected',
      'requester-expired',
      'requester-card-failed',
    ];
    expect(all.filter((kind) => isThreadNotice(aNotice(kind)))).toEqual(THREAD_KINDS);
  });

  it('counts the approval by its position and says when more are needed', () => {
    const request = aRequest({
      requiredApprovals: 2,
      approvals: [
        { userId: 'U1', at: '2024-05-01T10:01:00.000Z' },
        { userId: 'U2', at: '2024-05-01T10:02:00.000Z' },
      ],
    });
    const first = threadReply(request, aNotice('approved', { actorId: 'U1' })).text;
    expect(first).toContain('Approved by <@U1> (1 of 2)');
    expect(first).toContain('waiting for 1 more approval');
    const second = threadReply(request, aNotice('approved', { actorId: 'U2' })).text;
    expect(second).toContain('Approved by <@U2> (2 of 2): approvals complete, submitting to CloudFront');
  });

  it('says when no approval was needed', () => {
    const request = aRequest({ requiredApprovals: 0, status: 'APPROVED' });
    expect(threadReply(request, aNotice('approved')).text).toContain('No approval needed');
  });

  it.each([
    ['rejected', 'Rejected by <@U9>'],
    ['cancelled', 'Cancelled by <@U9>'],
  ] as const)('%s names who decided, and the reason escaped', (kind, expected) => {
    const text = threadReply(
      aRequest(),
      aNotice(kind, { actorId: 'U9', detail: 'not <now> & not here' }),
    ).text;
    expect(text).toContain(expected);
    expect(text).toContain('not &lt;now&gt; &amp; not here');
  });

  it('gives the invalidation id when submitted', () => {
    const request = aRequest({ status: 'SUBMITTED', invalidationId: 'I2J0I21PCUYOIK' });
    expect(threadReply(request, aNotice('submitted')).text).toContain('I2J0I21PCUYOIK');
  });

  it('passes on why a submission is queued, escaped', () => {
    const text = threadReply(
      aRequest({ status: 'APPROVED' }),
      aNotice('queued', { detail: 'TooManyInvalidationsInProgress <15 wildcards>' }),
    ).text;
    expect(text).toContain('TooManyInvalidationsInProgress &lt;15 wildcards&gt;');
    expect(text).toMatch(/retry/);
  });

  it('says how long it has been in progress so far', () => {
    const request = aRequest({ status: 'SUBMITTED', submittedAt: '2024-05-01T10:00:00.000Z' });
    const notice = aNotice('still-in-progress', { createdAt: '2024-05-01T10:05:30.000Z' });
    expect(threadReply(request, notice).text).toContain('5m 30s so far');
  });

  it.each([
    [
      'from submission',
      { submittedAt: '2024-05-01T10:10:00.000Z', approvedAt: '2024-05-01T10:00:00.000Z' },
      '1m 12s',
    ],
    ['from approval when never submitted', { approvedAt: '2024-05-01T10:10:00.000Z' }, '1m 12s'],
  ])('reports completion time %s', (_name, times, expected) => {
    const request = aRequest({ status: 'COMPLETED', ...times, completedAt: '2024-05-01T10:11:12.000Z' });
    expect(threadReply(request, aNotice('completed')).text).toContain(`Completed in ${expected}`);
  });

  it('hands on the actionable failure message, escaped', () => {
    const detail =
      'AccessDenied: the role arn:aws:iam::1:role/x needs cloudfront:CreateInvalidation & <more>';
    const text = threadReply(aRequest({ status: 'FAILED' }), aNotice('failed', { detail })).text;
    expect(text).toContain('needs cloudfront:CreateInvalidation &amp; &lt;more&gt;');
  });

  it('says an expired request sent nothing', () => {
    expect(threadReply(aRequest({ status: 'EXPIRED' }), aNotice('expired')).text).toMatch(/Expired/);
  });

  it.each(THREAD_KINDS)('labels %s as a dry run only for dry-run requests', (kind) => {
    const times = {
      submittedAt: '2024-05-01T10:00:00.000Z',
      completedAt: '2024-05-01T10:01:00.000Z',
      invalidationId: 'DRYRUN',
    };
    const notice = aNotice(kind, { actorId: 'U1', detail: 'because' });
    expect(threadReply(aRequest({ ...times, dryRun: true }), notice).text).toMatch(/dry run/i);
    expect(threadReply(aRequest({ ...times, dryRun: false }), notice).text).not.toMatch(/dry run/i);
  });

  it('never claims to submit to CloudFront in a dry run', () => {
    const request = aRequest({ dryRun: true, requiredApprovals: 1, approvals: [{ userId: 'U1', at: 'x' }] });
    expect(threadReply(request, aNotice('approved', { actorId: 'U1' })).text).not.toContain('submitting');
  });
});

describe('threadReply: approvers asked, reminded, told of a break-glass', () => {
  const approvers = ['U0BOB', 'S0SRE', 'U0BOB'];

  it('asks the approvers by mention, users and groups, once each', () => {
    const request = aRequest({
      requesterId: 'U0ALICE',
      requiredApprovals: 2,
      paths: ['/a'],
      distributionAlias: 'www',
    });
    expect(threadReply(request, aNotice('ask-approvers'), { approvers }).text).toBe(
      ':wave: <@U0BOB> <!subteam^S0SRE>: <@U0ALICE> asks to invalidate 1 path on www. It needs 2 approvals; Approve or Reject on the card above.',
    );
  });

  it('reminds with how many approvals are still missing and the deadline', () => {
    const request = aRequest({
      requiredApprovals: 2,
      approvals: [{ userId: 'U0CAROL', at: '2024-05-01T10:01:00.000Z' }],
    });
    const text = threadReply(request, aNotice('reminder'), { approvers }).text;
    expect(text).toMatch(
      /^:bell: Reminder, <@U0BOB> <!subteam\^S0SRE>: this request is still waiting for 1 more approval\. It expires <!date\^/,
    );
  });

  it('asks for a review of a break-glass, with the reason, escaped', () => {
    const request = aRequest({ requesterId: 'U0DAVE', breakGlass: true, reason: 'site <down>' });
    expect(threadReply(request, aNotice('break-glass-review'), { approvers }).text).toBe(
      ':rotating_light: Break-glass: <@U0DAVE> skipped approval and submitted at once. Reason: site &lt;down&gt;. <@U0BOB> <!subteam^S0SRE>: please review it after the fact.',
    );
  });
});
