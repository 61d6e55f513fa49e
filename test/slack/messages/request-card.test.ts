import type { ActionsBlock, KnownBlock, SectionBlock } from '@slack/types';
import { describe, expect, it } from 'vitest';
import { REQUEST_STATUSES, type RequestStatus } from '../../../src/domain/request';
import { requestCard } from '../../../src/slack/messages/request-card';
import { aRequest, manyPaths } from '../request-fixture';
import { allText, expectWithinBlockKitLimits } from './block-kit-limits';

const costText = 'free within the 1,000 free paths/month';

function actions(blocks: KnownBlock[]): ActionsBlock[] {
  return blocks.filter((b): b is ActionsBlock => b.type === 'actions');
}

/** The lines shown inside the card's code blocks. */
function shownPaths(blocks: KnownBlock[]): string[] {
  return blocks
    .filter((b): b is SectionBlock => b.type === 'section' && (b.text?.text.startsWith('```') ?? false))
    .flatMap((b) =>
      (b.text?.text ?? '')
        .replace(/^```\n/, '')
        .replace(/\n```$/, '')
        .split('\n'),
    );
}

describe('requestCard', () => {
  it('offers Approve, Reject (its form confirms) and Cancel, each carrying the request id, while pending', () => {
    const request = aRequest({ id: '01HZZZZZZZZZZZZZZZZZZZZZZZ' });
    const [block, ...others] = actions(requestCard({ request, costText }).blocks);
    expect(others).toEqual([]);
    const buttons = (block?.elements ?? []).flatMap((e) => (e.type === 'button' ? [e] : []));
    expect(buttons.map((b) => [b.action_id, b.value, b.style])).toEqual([
      ['approve', request.id, 'primary'],
      ['reject', request.id, 'danger'],
      ['cancel', request.id, undefined],
    ]);
    // Reject opens a form with an optional reason: a confirm dialog first would be a second dialog.
    expect(buttons.map((b) => b.confirm)).toEqual([undefined, undefined, undefined]);
  });

  it.each(REQUEST_STATUSES.filter((s) => s !== 'PENDING'))(
    'has no decision buttons once %s; an end offers Request again',
    (status: RequestStatus) => {
      const request = aRequest({ status });
      const card = requestCard({ request, costText });
      const buttons = actions(card.blocks).flatMap((b) =>
        b.elements.flatMap((e) => (e.type === 'button' ? [e] : [])),
      );
      const again = ['COMPLETED', 'REJECTED', 'EXPIRED', 'FAILED'].includes(status);
      expect(buttons.map((b) => [b.action_id, b.value])).toEqual(
        again ? [['request_again', request.id]] : [],
      );
    },
  );

  it('names each status differently in the header and the fallback text', () => {
    const headers = REQUEST_STATUSES.map((status) => {
      const card = requestCard({ request: aRequest({ status }), costText });
      const header = card.blocks.find((b) => b.type === 'header');
      return header?.type === 'header' ? header.text.text : '';
    });
    expect(new Set(headers).size).toBe(REQUEST_STATUSES.length);
    const texts = REQUEST_STATUSES.map(
      (status) => requestCard({ request: aRequest({ status }), costText }).text,
    );
    expect(new Set(texts).size).toBe(REQUEST_STATUSES.length);
  });

  it('shows requester, distribution, counts, cost and approvals', () => {
    const request = aRequest({
      requesterId: 'U0REQ',
      distributionAlias: 'shop',
      distributionId: 'E1SHOPDIST99',
      paths: ['/a', '/b/*', '/c/*'],
      wildcardCount: 2,
      requiredApprovals: 2,
      approvals: [{ userId: 'U0ALICE', at: '2024-05-01T10:01:00.000Z' }],
    });
    const card = requestCard({ request, costText: 'at least $0.02', distributionDescription: 'The shop' });
    const text = allText(card.blocks);
    expect(text).toContain('<@U0REQ>');
    expect(text).toContain('shop');
    expect(text).toContain('E1SHOPDIST99');
    expect(text).toContain('The shop');
    expect(text).toContain('3 paths, 2 wildcards');
    expect(text).toContain('at least $0.02');
    expect(text).toContain('1 of 2, 1 more needed: <@U0ALICE>');
    expect(card.text).toContain('3 paths');
    expect(card.text).toContain('shop');
    expect(card.text).toContain('<@U0REQ>');
  });

  it('says when approval is not required', () => {
    const card = requestCard({ request: aRequest({ requiredApprovals: 0, status: 'APPROVED' }), costText });
    expect(allText(card.blocks)).toContain('not required');
  });

  it('says when no reason was given', () => {
    expect(allText(requestCard({ request: aRequest({ reason: '  ' }), costText }).blocks)).toContain(
      'no reason given',
    );
  });

  it('escapes what people typed: reason, paths, description, cost', () => {
    const request = aRequest({
      reason: 'fix <!channel> & <https://evil.example|docs>',
      paths: ['/a<b>&c'],
      wildcardCount: 0,
    });
    const card = requestCard({ request, costText: '< $0.01', distributionDescription: 'R&D <site>' });
    const text = allText(card.blocks);
    expect(text).toContain('fix &lt;!channel&gt; &amp; &lt;https://evil.example|docs&gt;');
    expect(text).toContain('/a&lt;b&gt;&amp;c');
    expect(text).toContain('R&amp;D &lt;site&gt;');
    expect(text).toContain('&lt; $0.01');
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<https://evil');
  });

  it.each([
    ['3,000 long paths', manyPaths(3000, 1000)],
    ['3,000 short paths', manyPaths(3000, 20)],
    [
      'paths of 4,000 characters full of escapes',
      Array.from({ length: 50 }, (_, i) => `/${i}${'&'.repeat(3999)}`),
    ],
  ])('stays within Block Kit limits with %s and counts what it leaves out', (_name, paths) => {
    const request = aRequest({
      paths,
      reason: '<&>'.repeat(1000),
      status: 'FAILED',
      lastError: '&'.repeat(5000),
    });
    const card = requestCard({ request, costText, permalink: 'https://slack.example/archives/C1/p1' });
    expectWithinBlockKitLimits(card.blocks, 50);
    const shown = shownPaths(card.blocks);
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(paths.length);
    expect(allText(card.blocks)).toContain(
      `…and ${(paths.length - shown.length).toLocaleString('en-US')} more paths`,
    );
  });

  it('lists every path, and no "more" line, when they fit', () => {
    const paths = manyPaths(30, 30);
    const card = requestCard({ request: aRequest({ paths }), costText });
    expect(shownPaths(card.blocks)).toEqual(paths);
    expect(allText(card.blocks)).not.toContain('more path');
  });

  it('shows the CloudFront invalidation, its status and the last check once submitted', () => {
    const request = aRequest({
      status: 'SUBMITTED',
      invalidationId: 'I2J0I21PCUYOIK',
      cloudFrontStatus: 'InProgress',
      lastCheckedAt: '2024-05-01T10:07:00.000Z',
    });
    const text = allText(requestCard({ request, costText }).blocks);
    expect(text).toContain('I2J0I21PCUYOIK');
    expect(text).toContain('InProgress');
    expect(text).toContain(`<!date^${Date.parse('2024-05-01T10:07:00.000Z') / 1000}^`);
  });

  it('shows the error of a failed request', () => {
    const request = aRequest({
      status: 'FAILED',
      lastError: 'AccessDenied: cloudfront:CreateInvalidation on role x',
    });
    expect(allText(requestCard({ request, costText }).blocks)).toContain(
      'AccessDenied: cloudfront:CreateInvalidation on role x',
    );
  });

  it('names who rejected it', () => {
    const request = aRequest({ status: 'REJECTED', decidedBy: 'U0BOB' });
    expect(allText(requestCard({ request, costText }).blocks)).toContain('<@U0BOB>');
  });

  it.each([true, false])('labels a dry run in text and a context block (dryRun=%s)', (dryRun) => {
    const card = requestCard({ request: aRequest({ dryRun }), costText });
    const contexts = allText(card.blocks.filter((b) => b.type === 'context'));
    expect(/dry run/i.test(card.text)).toBe(dryRun);
    expect(/dry run/i.test(contexts)).toBe(dryRun);
  });

  it('links the thread when given a permalink', () => {
    const card = requestCard({ request: aRequest(), costText, permalink: 'https://slack.example/p1' });
    expect(allText(card.blocks)).toContain('<https://slack.example/p1|');
  });
});

describe('requestCard: who approves, progress, break-glass', () => {
  it('lists who may approve, users and groups, while it waits', () => {
    const request = aRequest({ requiredApprovals: 2, approvals: [] });
    const card = requestCard({ request, costText, approvers: ['U0BOB', 'S0SRE'] });
    const text = allText(card.blocks);
    expect(text).toContain('*Who may approve*\n<@U0BOB>, <!subteam^S0SRE>');
    expect(text).toContain('0 of 2, 2 more needed');
    const decided = requestCard({
      request: aRequest({ status: 'REJECTED' }),
      costText,
      approvers: ['U0BOB'],
    });
    expect(allText(decided.blocks)).not.toContain('Who may approve');
  });

  it('shows the steps with who and when, and the elapsed time while CloudFront works', () => {
    const request = aRequest({
      status: 'SUBMITTED',
      requesterId: 'U0REQ',
      requiredApprovals: 1,
      createdAt: '2024-05-01T10:00:00.000Z',
      approvals: [{ userId: 'U0BOB', at: '2024-05-01T10:01:00.000Z' }],
      approvedAt: '2024-05-01T10:01:00.000Z',
      submittedAt: '2024-05-01T10:01:05.000Z',
      lastCheckedAt: '2024-05-01T10:01:45.000Z',
      invalidationId: 'I1',
    });
    const text = allText(requestCard({ request, costText }).blocks);
    expect(text).toMatch(/:white_check_mark: \*Requested\* by <@U0REQ> · <!date\^1714557600\^/);
    expect(text).toMatch(/:white_check_mark: \*Approved\* by <@U0BOB> · <!date\^1714557660\^/);
    expect(text).toContain(':white_check_mark: *Submitted* to CloudFront');
    expect(text).toContain(
      '*In progress* for 40s (CloudFront usually finishes within 25s, large or wildcard ones take longer)',
    );
  });

  it.each([
    ['COMPLETED', ':white_check_mark: *Completed*'],
    ['REJECTED', ':no_entry: *Rejected* by <@U0BOB>'],
    ['EXPIRED', ':alarm_clock: *Expired*'],
    ['FAILED', ':x: *Failed*'],
  ] as const)('names the end it reached: %s', (status, line) => {
    const approved = status === 'COMPLETED' || status === 'FAILED';
    const request = aRequest({
      status,
      decidedBy: 'U0BOB',
      endedAt: '2024-05-01T10:05:00.000Z',
      ...(approved
        ? {
            approvedAt: '2024-05-01T10:01:00.000Z',
            submittedAt: '2024-05-01T10:01:05.000Z',
            completedAt: '2024-05-01T10:02:17.000Z',
          }
        : {}),
    });
    const text = allText(requestCard({ request, costText }).blocks);
    expect(text).toContain(line);
    if (status === 'COMPLETED') expect(text).toContain('took 1m 12s');
  });

  it('says plainly that approval was skipped, by whom', () => {
    const request = aRequest({
      status: 'SUBMITTED',
      breakGlass: true,
      requesterId: 'U0DAVE',
      approvedAt: '2024-05-01T10:00:00.000Z',
    });
    const card = requestCard({ request, costText });
    const text = allText(card.blocks);
    expect(text).toContain(':rotating_light: *Break-glass: approval was skipped* by <@U0DAVE>');
    expect(text).toContain('*Approval skipped* (break-glass) by <@U0DAVE>');
    expect(text).toContain('skipped (break-glass)');
    expectWithinBlockKitLimits(card.blocks, 50);
  });

  it('never says "sent to CloudFront" in a dry run', () => {
    const request = aRequest({
      status: 'SUBMITTED',
      dryRun: true,
      approvedAt: '2024-05-01T10:00:00.000Z',
      submittedAt: '2024-05-01T10:00:01.000Z',
    });
    const text = allText(requestCard({ request, costText }).blocks);
    expect(text).not.toContain('*Submitted* to CloudFront');
    expect(text).toContain('*Submitted* as a dry run: nothing was sent');
  });
});
