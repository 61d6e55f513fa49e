import { describe, expect, it } from 'vitest';
import { type DistributionConfig, distributionSchema } from '../../src/domain/config';
import {
  approvalsRemaining,
  approvesAtCreation,
  canApprove,
  canCancel,
  canReject,
  canRequest,
  checkReason,
  type Decision,
  describePolicy,
  grantBreakGlass,
  groupsToResolve,
  isApprovedEnough,
  isApprover,
  mention,
} from '../../src/domain/policy';
import { REQUEST_STATUSES, type RequestStatus } from '../../src/domain/request';
import { distributionConfig } from './request-fixture';

// Parsed through the real schema, so the fixtures carry the real defaults.
function distribution(fields: Record<string, unknown> = {}): DistributionConfig {
  return distributionSchema.parse({
    alias: 'www',
    id: 'E2QWRUHAPOMQZL',
    approvers: ['U0ALICE', 'S0SRE'],
    ...fields,
  });
}

const NONE: ReadonlySet<string> = new Set();
const SRE: ReadonlySet<string> = new Set(['S0SRE']);

function pending(
  fields: Partial<{ requesterId: string; approvals: string[]; requiredApprovals: number }> = {},
) {
  return {
    status: 'PENDING' as RequestStatus,
    requesterId: fields.requesterId ?? 'U0REQUESTER',
    approvals: (fields.approvals ?? []).map((userId) => ({ userId, at: '2025-01-01T00:00:00.000Z' })),
    requiredApprovals: fields.requiredApprovals ?? 1,
  };
}

function reasonOf(decision: Decision): string {
  if (decision.allowed) throw new Error('expected a refusal');
  return decision.reason;
}

const NOT_PENDING = REQUEST_STATUSES.filter((s): s is Exclude<RequestStatus, 'PENDING'> => s !== 'PENDING');

describe('canRequest', () => {
  it.each([
    ['anyone, when requesters is *', {}, 'U0ANYONE', NONE, true],
    ['a listed user', { requesters: ['U0BOB'] }, 'U0BOB', NONE, true],
    ['a member of a listed group', { requesters: ['S0DEVS'] }, 'U0CAROL', new Set(['S0DEVS']), true],
    ['a user in neither list', { requesters: ['U0BOB', 'S0DEVS'] }, 'U0CAROL', NONE, false],
    ['a member of some other group', { requesters: ['S0DEVS'] }, 'U0CAROL', SRE, false],
    ['an approver who is not a requester', { requesters: ['U0BOB'] }, 'U0ALICE', NONE, false],
  ])('%s → %s', (_name, fields, userId, groups, allowed) => {
    expect(canRequest(distribution(fields), userId, groups).allowed).toBe(allowed);
  });

  it('explains who may request', () => {
    const reason = reasonOf(canRequest(distribution({ requesters: ['U0BOB', 'S0DEVS'] }), 'U0CAROL', NONE));
    expect(reason).toBe("You can't request invalidations for `www`: only <@U0BOB>, <!subteam^S0DEVS> can.");
  });
});

describe('canApprove', () => {
  it.each([
    ['a listed approver', {}, pending(), 'U0ALICE', NONE, true],
    ['a member of an approver group', {}, pending(), 'U0DAVE', SRE, true],
    [
      'a second approver after a first',
      {},
      pending({ approvals: ['U0ALICE'], requiredApprovals: 2 }),
      'U0DAVE',
      SRE,
      true,
    ],
    ['someone outside the approvers', {}, pending(), 'U0MALLORY', NONE, false],
    ['a member of an unrelated group', {}, pending(), 'U0MALLORY', new Set(['S0OTHER']), false],
    ['the requester, without self-approval', {}, pending({ requesterId: 'U0ALICE' }), 'U0ALICE', NONE, false],
    [
      'the requester, as a group approver, without self-approval',
      {},
      pending({ requesterId: 'U0DAVE' }),
      'U0DAVE',
      SRE,
      false,
    ],
    [
      'the requester, with self-approval',
      { allowSelfApproval: true },
      pending({ requesterId: 'U0ALICE' }),
      'U0ALICE',
      NONE,
      true,
    ],
    [
      'an approver who already approved',
      {},
      pending({ approvals: ['U0ALICE'], requiredApprovals: 2 }),
      'U0ALICE',
      NONE,
      false,
    ],
  ])('%s → %s', (_name, fields, request, userId, groups, allowed) => {
    expect(canApprove(distribution(fields), request, userId, groups).allowed).toBe(allowed);
  });

  it('explains that the user is not an approver, and who is', () => {
    const reason = reasonOf(canApprove(distribution(), pending(), 'U0MALLORY', NONE));
    expect(reason).toBe("You're not an approver for `www`. Approvers: <@U0ALICE>, <!subteam^S0SRE>.");
  });

  it('explains that self-approval is not allowed', () => {
    const reason = reasonOf(canApprove(distribution(), pending({ requesterId: 'U0ALICE' }), 'U0ALICE', NONE));
    expect(reason).toMatch(/^You can't approve your own request: `www` needs someone else's approval\./);
  });

  it('explains an approval given twice, with what is still missing', () => {
    const request = pending({ approvals: ['U0ALICE'], requiredApprovals: 3 });
    const reason = reasonOf(canApprove(distribution(), request, 'U0ALICE', NONE));
    expect(reason).toBe('You already approved this request; it needs 2 more approvals from someone else.');
  });

  it.each(NOT_PENDING)('refuses a %s request in plain words', (status) => {
    const reason = reasonOf(canApprove(distribution(), { ...pending(), status }, 'U0ALICE', NONE));
    expect(reason).toMatch(/^This request is no longer pending: it .+\.$/);
    expect(reason).not.toContain(status);
  });

  it('says who rejected or cancelled, when known', () => {
    const rejected = { ...pending(), status: 'REJECTED' as const, decidedBy: 'U0DAVE' };
    expect(reasonOf(canApprove(distribution(), rejected, 'U0ALICE', NONE))).toBe(
      'This request is no longer pending: it was rejected by <@U0DAVE>.',
    );
    const cancelled = { ...pending(), status: 'CANCELLED' as const, decidedBy: 'U0REQUESTER' };
    expect(reasonOf(canApprove(distribution(), cancelled, 'U0ALICE', NONE))).toBe(
      'This request is no longer pending: it was cancelled by <@U0REQUESTER>.',
    );
  });

  it('gives each closed status its own explanation', () => {
    const reasons = NOT_PENDING.map((status) =>
      reasonOf(canApprove(distribution(), { ...pending(), status }, 'U0ALICE', NONE)),
    );
    expect(new Set(reasons).size).toBe(NOT_PENDING.length);
  });

  it('checks the status before anything else, so late clicks get the real story', () => {
    const reason = reasonOf(
      canApprove(distribution(), { ...pending(), status: 'APPROVED' }, 'U0MALLORY', NONE),
    );
    expect(reason).toBe('This request is no longer pending: it has already been approved.');
  });
});

describe('canReject', () => {
  it.each([
    ['an approver', pending(), 'U0ALICE', NONE, true],
    ['a group approver', pending(), 'U0DAVE', SRE, true],
    ['the requester who is also an approver', pending({ requesterId: 'U0ALICE' }), 'U0ALICE', NONE, true],
    ['a non-approver', pending(), 'U0MALLORY', NONE, false],
    ['the requester who is not an approver', pending(), 'U0REQUESTER', NONE, false],
  ])('%s → %s', (_name, request, userId, groups, allowed) => {
    expect(canReject(distribution(), request, userId, groups).allowed).toBe(allowed);
  });

  it('explains that only approvers can reject', () => {
    expect(reasonOf(canReject(distribution(), pending(), 'U0MALLORY', NONE))).toBe(
      'Only approvers can reject requests for `www`. Approvers: <@U0ALICE>, <!subteam^S0SRE>.',
    );
  });

  it.each(NOT_PENDING)('refuses a %s request', (status) => {
    expect(reasonOf(canReject(distribution(), { status }, 'U0ALICE', NONE))).toMatch(
      /^This request is no longer pending: /,
    );
  });
});

describe('canCancel', () => {
  it.each([
    ['the requester', 'U0REQUESTER', true],
    ['an approver', 'U0ALICE', false],
    ['anyone else', 'U0MALLORY', false],
  ])('%s → %s', (_name, userId, allowed) => {
    expect(canCancel(pending(), userId).allowed).toBe(allowed);
  });

  it('points approvers to Reject', () => {
    expect(reasonOf(canCancel(pending(), 'U0ALICE'))).toBe(
      'Only the requester, <@U0REQUESTER>, can cancel this request. Approvers can reject it instead.',
    );
  });

  it.each(NOT_PENDING)('refuses to cancel a %s request, even for the requester', (status) => {
    expect(reasonOf(canCancel({ ...pending(), status }, 'U0REQUESTER'))).toMatch(
      /^This request is no longer pending: /,
    );
  });
});

describe('counting approvals', () => {
  it.each([
    [1, [], 1],
    [1, ['U0A'], 0],
    [2, ['U0A'], 1],
    [3, ['U0A', 'U0B'], 1],
    [2, ['U0A', 'U0A'], 1],
    [1, ['U0A', 'U0B'], 0],
    [0, [], 0],
  ])('required %i, approved by %j → %i remaining', (requiredApprovals, approvers, remaining) => {
    const request = pending({ requiredApprovals, approvals: approvers });
    expect(approvalsRemaining(request)).toBe(remaining);
    expect(isApprovedEnough(requiredApprovals, request.approvals)).toBe(remaining === 0);
  });

  it.each([
    [0, true],
    [1, false],
    [2, false],
  ])('requiredApprovals %i approves at creation: %s', (requiredApprovals, expected) => {
    expect(approvesAtCreation({ requiredApprovals })).toBe(expected);
    expect(isApprovedEnough(requiredApprovals, [])).toBe(expected);
  });
});

describe('groupsToResolve', () => {
  it.each([
    ['approve', { approvers: ['U0ALICE', 'S0SRE', 'S0OPS', 'S0SRE'] }, ['S0SRE', 'S0OPS']],
    ['approve', { approvers: ['U0ALICE'] }, []],
    ['request', {}, []],
    ['request', { requesters: ['U0BOB', 'S0DEVS'] }, ['S0DEVS']],
  ] as const)('%s with %j → %j', (role, fields, expected) => {
    expect(groupsToResolve(distribution(fields), role)).toEqual(expected);
  });
});

describe('describePolicy', () => {
  it.each([
    [
      { requiredApprovals: 2 },
      'needs 2 approvals from <@U0ALICE>, <!subteam^S0SRE>; self-approval not allowed',
    ],
    [
      { approvers: ['U0ALICE'], allowSelfApproval: true },
      'needs 1 approval from <@U0ALICE>; self-approval allowed',
    ],
    [{ requiredApprovals: 0, approvers: [] }, 'needs no approval: requests are sent to CloudFront at once'],
    [
      { requesters: ['S0DEVS', 'W0ENT'] },
      'needs 1 approval from <@U0ALICE>, <!subteam^S0SRE>; self-approval not allowed; only <!subteam^S0DEVS>, <@W0ENT> can request',
    ],
  ])('%j → %s', (fields, expected) => {
    expect(describePolicy(distribution(fields))).toBe(expected);
  });
});

describe('mentions and membership', () => {
  it.each([
    ['U0ALICE', '<@U0ALICE>'],
    ['W0ENT', '<@W0ENT>'],
    ['S0SRE', '<!subteam^S0SRE>'],
  ])('%s → %s', (principal, expected) => {
    expect(mention(principal)).toBe(expected);
  });

  it('counts group membership only for groups the distribution lists', () => {
    const d = distribution({ approvers: ['S0SRE'] });
    expect(isApprover(d, 'U0X', SRE)).toBe(true);
    expect(isApprover(d, 'U0X', new Set(['S0OTHER']))).toBe(false);
    // A user id that happens to be in the set is not a group membership.
    expect(isApprover(d, 'U0X', new Set(['U0X']))).toBe(false);
  });
});

describe('break-glass and required reasons: codes and facts', () => {
  const withBreakGlass = distributionConfig({ breakGlass: ['U01DAVE', 'S01ONCALL'] });

  it.each([
    ['U01DAVE', [], 'incident', true],
    ['U01ERIN', ['S01ONCALL'], 'incident', true],
    ['U01ERIN', [], 'incident', false],
    ['U01ALICE', ['S01OTHER'], 'incident', false],
  ] as const)('%s in %j may break glass: %s', (userId, groups, reason, allowed) => {
    const granted = grantBreakGlass(withBreakGlass, userId, new Set(groups), reason);
    expect(granted.ok).toBe(allowed);
    if (!granted.ok) {
      expect(granted.refusal).toEqual({
        code: 'break-glass-not-listed',
        alias: 'www',
        breakGlass: ['U01DAVE', 'S01ONCALL'],
      });
    } else {
      expect(granted.grant).toMatchObject({ target: 'E2QWRUHAPOMQZL', userId, reason: 'incident' });
    }
  });

  it('needs a reason even for someone listed', () => {
    expect(grantBreakGlass(withBreakGlass, 'U01DAVE', new Set(), '   ')).toEqual({
      ok: false,
      refusal: { code: 'break-glass-needs-reason', alias: 'www' },
    });
  });

  it('nobody may break glass where the list is empty (the default)', () => {
    expect(grantBreakGlass(distributionConfig(), 'U01ALICE', new Set(['S01ONCALL']), 'x').ok).toBe(false);
  });

  it('requireReason refuses a blank reason only where it is set', () => {
    expect(checkReason(distributionConfig({ requireReason: true }), '  ')).toEqual({
      code: 'reason-required',
      alias: 'www',
    });
    expect(checkReason(distributionConfig({ requireReason: true }), 'why')).toBeUndefined();
    expect(checkReason(distributionConfig(), '')).toBeUndefined();
  });

  it('never tells a dry-run double click that anything was sent to CloudFront', () => {
    const request = {
      status: 'SUBMITTED' as const,
      requesterId: 'U01REQ',
      approvals: [],
      requiredApprovals: 1,
      dryRun: true,
    };
    const refused = canApprove(distributionConfig(), request, 'U01BOB', new Set());
    expect(refused).toEqual({
      allowed: false,
      reason:
        'This request is no longer pending: it has already been approved (a dry run: CloudFront is not called).',
    });
    const real = canApprove(distributionConfig(), { ...request, dryRun: false }, 'U01BOB', new Set());
    expect(real.allowed ? '' : real.reason).toContain('sent to CloudFront');
  });
});
