import { describe, expect, it } from 'vitest';
import {
  ALLOWED_TRANSITIONS,
  approve,
  cancel,
  canTransition,
  expire,
  IllegalTransitionError,
  newRequest,
  type Refusal,
  type RefusalCode,
  reject,
  type Transition,
} from '../../src/domain/lifecycle';
import { claimNotice, completeNotice, retryNotice } from '../../src/domain/notice-transitions';
import { grantBreakGlass } from '../../src/domain/policy';
import { remind } from '../../src/domain/reminder';
import {
  type AuditEvent,
  type InvalidationRequest,
  isTerminal,
  type NoticeKind,
  REQUEST_STATUSES,
  type RequestStatus,
  TERMINAL_STATUSES,
} from '../../src/domain/request';
import { type CheckTiming, claimCheck, recordCheck } from '../../src/domain/status-checks';
import {
  claimForSubmission,
  deferSubmission,
  fail,
  recordSubmission,
  SUBMIT_LEASE_MS,
  submitBackoffMs,
} from '../../src/domain/submission';
import { prng } from '../support/prng';
import {
  distributionConfig,
  invalidationRequest,
  later,
  MINUTE,
  notice,
  T0,
} from '../support/request-fixtures';

const DAY = 1440 * MINUTE;
const TIMING: CheckTiming = { stillInProgressAfterMs: 60_000 };
const SCHEDULE = { maxIntervalMs: 10_000 };

/** The lifecycle diagram of docs/architecture.md, written out independently of the implementation's table. */
const DESIGN_EDGES = new Set([
  'PENDING→APPROVED',
  'PENDING→REJECTED',
  'PENDING→CANCELLED',
  'PENDING→EXPIRED',
  // The card could not be posted for good: nobody could ever decide the request.
  'PENDING→FAILED',
  'APPROVED→SUBMITTED',
  'APPROVED→FAILED',
  'SUBMITTED→COMPLETED',
  'SUBMITTED→FAILED',
]);

function ok(t: Transition): { request: InvalidationRequest; events: AuditEvent[] } {
  if (!t.ok) throw new Error(`expected a transition, got refusal ${JSON.stringify(t.refusal)}`);
  return t;
}

function refusal(t: Transition): Refusal {
  if (t.ok) throw new Error(`expected a refusal, got a transition to ${t.request.status}`);
  return t.refusal;
}

function kinds(request: InvalidationRequest): NoticeKind[] {
  return request.outbox.map((n) => n.kind);
}

/** A plausible request in the given status, due for whatever comes next. */
function inStatus(status: RequestStatus): InvalidationRequest {
  const base = invalidationRequest({ status });
  switch (status) {
    case 'PENDING':
      return base;
    case 'APPROVED':
      return {
        ...base,
        approvals: [{ userId: 'U01ALICE', at: T0.toISOString() }],
        approvedAt: T0.toISOString(),
        nextAttemptAt: T0.toISOString(),
      };
    case 'SUBMITTED':
      return {
        ...base,
        approvals: [{ userId: 'U01ALICE', at: T0.toISOString() }],
        approvedAt: T0.toISOString(),
        invalidationId: 'I2J0I21PCUYOIK',
        cloudFrontStatus: 'InProgress',
        submittedAt: T0.toISOString(),
        nextAttemptAt: T0.toISOString(),
      };
    default:
      return base;
  }
}

describe('ALLOWED_TRANSITIONS', () => {
  const pairs = REQUEST_STATUSES.flatMap((from) => REQUEST_STATUSES.map((to) => [from, to] as const));

  it.each(pairs)('%s → %s: canTransition matches the table and the design', (from, to) => {
    const inTable = ALLOWED_TRANSITIONS[from].includes(to);
    expect(canTransition(from, to)).toBe(inTable);
    expect(inTable).toBe(DESIGN_EDGES.has(`${from}→${to}`));
  });

  it.each([...TERMINAL_STATUSES])('terminal %s allows nothing', (from) => {
    expect(ALLOWED_TRANSITIONS[from]).toEqual([]);
    for (const to of REQUEST_STATUSES) expect(canTransition(from, to)).toBe(false);
  });

  it('has an entry for every status and names only known statuses', () => {
    expect(Object.keys(ALLOWED_TRANSITIONS).sort()).toEqual([...REQUEST_STATUSES].sort());
    for (const targets of Object.values(ALLOWED_TRANSITIONS)) {
      for (const to of targets) expect(REQUEST_STATUSES).toContain(to);
    }
  });

  it('IllegalTransitionError carries both ends', () => {
    const e = new IllegalTransitionError('COMPLETED', 'PENDING');
    expect(e).toBeInstanceOf(Error);
    expect(e.name).toBe('IllegalTransitionError');
    expect([e.from, e.to]).toEqual(['COMPLETED', 'PENDING']);
    expect(e.message).toContain('COMPLETED');
    expect(e.message).toContain('PENDING');
  });
});

describe('guards: every operation in every status', () => {
  const expiredAt = later(2 * 1440 * MINUTE);
  const ops: {
    name: string;
    run: (r: InvalidationRequest) => Transition;
    from: RequestStatus[];
    refused: RefusalCode;
  }[] = [
    { name: 'approve', run: (r) => approve(r, 'U01ALICE', T0), from: ['PENDING'], refused: 'not-pending' },
    { name: 'reject', run: (r) => reject(r, 'U01ALICE', T0), from: ['PENDING'], refused: 'not-pending' },
    { name: 'cancel', run: (r) => cancel(r, 'U01REQUESTER', T0), from: ['PENDING'], refused: 'not-pending' },
    { name: 'expire', run: (r) => expire(r, expiredAt), from: ['PENDING'], refused: 'not-pending' },
    {
      name: 'claimForSubmission',
      run: (r) => claimForSubmission(r, T0),
      from: ['APPROVED'],
      refused: 'wrong-status',
    },
    {
      name: 'recordSubmission',
      run: (r) => recordSubmission(r, { invalidationId: 'I1', status: 'InProgress' }, T0, SCHEDULE),
      from: ['APPROVED'],
      refused: 'wrong-status',
    },
    {
      name: 'deferSubmission',
      run: (r) => deferSubmission(r, { code: 'Throttling', message: 'slow down' }, T0),
      from: ['APPROVED'],
      refused: 'wrong-status',
    },
    {
      name: 'fail',
      run: (r) => fail(r, { code: 'AccessDenied', message: 'no' }, T0),
      from: ['APPROVED', 'SUBMITTED'],
      refused: 'wrong-status',
    },
    {
      name: 'claimCheck',
      run: (r) => claimCheck(r, T0, SCHEDULE),
      from: ['SUBMITTED'],
      refused: 'wrong-status',
    },
    {
      name: 'recordCheck',
      run: (r) => recordCheck(r, 'Completed', T0, TIMING),
      from: ['SUBMITTED'],
      refused: 'wrong-status',
    },
  ];
  const cases = ops.flatMap((op) => REQUEST_STATUSES.map((status) => [op.name, status, op] as const));

  it.each(cases)('%s from %s', (_name, status, op) => {
    const request = inStatus(status);
    const result = op.run(request);
    if (op.from.includes(status)) {
      const next = ok(result).request;
      expect(next.status === status || canTransition(status, next.status)).toBe(true);
      expect(next.version).toBe(request.version + 1);
    } else {
      const r = refusal(result);
      // The refusal says what the request is now (slack/messages words it).
      expect(r).toMatchObject({ code: op.refused, status });
    }
  });
});

describe('property: random operation sequences only follow the table', () => {
  const USERS = ['U01ALICE', 'U01BOB', 'U01CAROL', 'U01DAVE'];
  type Op = (r: InvalidationRequest, now: Date, rand: () => number) => Transition;
  const pick = <T>(items: readonly T[], rand: () => number): T => {
    const item = items[Math.floor(rand() * items.length)];
    if (item === undefined) throw new Error('pick from an empty list');
    return item;
  };
  const noticeId = (r: InvalidationRequest, rand: () => number): string =>
    r.outbox.length > 0 && rand() < 0.9 ? pick(r.outbox, rand).id : 'card@999';
  const OPS: Record<string, Op> = {
    approve: (r, now, rand) => approve(r, pick(USERS, rand), now),
    reject: (r, now, rand) => reject(r, pick(USERS, rand), now, rand() < 0.5 ? 'not now' : undefined),
    cancel: (r, now) => cancel(r, r.requesterId, now),
    expire: (r, now) => expire(r, now),
    claimForSubmission: (r, now) => claimForSubmission(r, now),
    recordSubmission: (r, now) =>
      recordSubmission(r, { invalidationId: 'I2J0I21PCUYOIK', status: 'InProgress' }, now, SCHEDULE),
    deferSubmission: (r, now) => deferSubmission(r, { code: 'Throttling', message: 'slow down' }, now),
    fail: (r, now) =>
      fail(r, { code: 'AccessDenied', message: 'missing cloudfront:CreateInvalidation' }, now),
    claimCheck: (r, now) => claimCheck(r, now, SCHEDULE),
    recordCheck: (r, now, rand) => recordCheck(r, rand() < 0.7 ? 'InProgress' : 'Completed', now, TIMING),
    remind: (r, now) => remind(r, now),
    claimNotice: (r, now, rand) => claimNotice(r, noticeId(r, rand), now),
    completeNotice: (r, now, rand) =>
      completeNotice(r, noticeId(r, rand), now, rand() < 0.5 ? '1700.01' : undefined),
    retryNotice: (r, now, rand) =>
      retryNotice(r, noticeId(r, rand), now, {
        error: 'ratelimited',
        ...(rand() < 0.3 ? { retryAfterMs: 2_000 } : {}),
        ...(rand() < 0.1 ? { permanent: true } : {}),
      }),
  };
  const OP_NAMES = Object.keys(OPS);

  it('holds the invariants over 300 seeded runs', () => {
    const reached = new Set<RequestStatus>();
    let reachedBreakGlass = 0;
    let reminded = 0;
    const succeeded = new Set<string>();
    for (let seed = 1; seed <= 300; seed++) {
      const rand = prng(seed);
      let now = T0;
      // Break-glass is asked for at random, by someone who may or may not be listed (directly
      // or through a group they may or may not be in); only policy's grant lets it through.
      const breakGlass = rand() < 0.5 ? [pick(['U01REQUESTER', 'U01BOB', 'S01ONCALL'], rand)] : [];
      const distribution = distributionConfig({ requiredApprovals: Math.floor(rand() * 4), breakGlass });
      const groups = new Set(rand() < 0.5 ? ['S01ONCALL'] : []);
      const asked = rand() < 0.4;
      const granted = asked ? grantBreakGlass(distribution, 'U01REQUESTER', groups, 'incident') : undefined;
      const listed =
        breakGlass.includes('U01REQUESTER') || (breakGlass.includes('S01ONCALL') && groups.has('S01ONCALL'));
      if (asked) expect(granted?.ok, `seed ${seed}`).toBe(listed);
      let { request } = newRequest({
        id: `01JNB2Z8Q7R4K3M5T6V7W8X${seed}`,
        distribution,
        channel: 'C0APPROVALS',
        requesterId: 'U01REQUESTER',
        reason: 'property',
        paths: ['/a'],
        wildcardCount: 0,
        now,
        expiryMinutes: 5 + Math.floor(rand() * 25),
        remindAfterMinutes: Math.floor(rand() * 10),
        dryRun: false,
        ...(granted?.ok ? { breakGlass: granted.grant } : {}),
      });
      expect(request.breakGlass === true, `seed ${seed}`).toBe(granted?.ok === true);
      if (request.breakGlass) reachedBreakGlass++;
      let reminders = 0;
      let enteredApproved = request.status === 'APPROVED' ? 1 : 0;
      reached.add(request.status);
      for (let i = 0; i < 80; i++) {
        now = later(Math.floor(rand() * 3 * MINUTE), now);
        const name = pick(OP_NAMES, rand);
        const op = OPS[name];
        if (!op) throw new Error(name);
        const before = structuredClone(request);
        const result = op(request, now, rand);
        const where = `seed ${seed} step ${i} ${name} from ${before.status}`;
        // Pure: the input is never modified.
        expect(request, where).toEqual(before);
        if (!result.ok) continue;
        const next = result.request;
        succeeded.add(name);
        reached.add(next.status);

        expect(next.version, where).toBe(before.version + 1);
        if (isTerminal(before.status)) expect(next.status, where).toBe(before.status);
        const changes = result.events.filter((e) => e.fromStatus !== undefined || e.toStatus !== undefined);
        if (next.status !== before.status) {
          expect(canTransition(before.status, next.status), where).toBe(true);
          expect(
            changes.map((e) => [e.fromStatus, e.toStatus]),
            where,
          ).toEqual([[before.status, next.status]]);
          if (next.status === 'APPROVED') enteredApproved++;
        } else {
          expect(changes, where).toEqual([]);
        }
        for (const e of result.events) expect(e.requestId, where).toBe(before.id);
        const approvers = next.approvals.map((a) => a.userId);
        expect(new Set(approvers).size, where).toBe(approvers.length);
        // Past approval only with enough approvals, or by a break-glass grant made at creation.
        if (next.approvedAt !== undefined && next.breakGlass !== true) {
          expect(approvers.length, where).toBeGreaterThanOrEqual(next.requiredApprovals);
        }
        expect(next.breakGlass, where).toBe(before.breakGlass);
        // A decided request is never asked to be decided: no reminder queued, and none is sent.
        if (next.status !== 'PENDING') {
          expect(
            kinds(next).filter((k) => k === 'reminder' || k === 'ask-approvers'),
            where,
          ).toEqual([]);
          expect(remind(next, later(DAY, now)).ok, where).toBe(false);
        }
        if (name === 'remind') {
          reminders++;
          reminded++;
          expect(before.status, where).toBe('PENDING');
          expect(Date.parse(before.remindAt ?? ''), where).toBeLessThanOrEqual(now.getTime());
        }
        // One reminder, not a stream.
        expect(reminders, where).toBeLessThanOrEqual(1);
        const ids = next.outbox.map((n) => n.id);
        expect(new Set(ids).size, where).toBe(ids.length);
        // A closed request is never due for another submission or check.
        if (isTerminal(next.status)) expect(next.nextAttemptAt, where).toBeUndefined();
        request = next;
      }
      expect(enteredApproved, `seed ${seed}`).toBeLessThanOrEqual(1);
    }
    // The runs are only evidence if they went everywhere.
    expect(reachedBreakGlass).toBeGreaterThan(10);
    expect(reminded).toBeGreaterThan(10);
    expect([...reached].sort()).toEqual([...REQUEST_STATUSES].sort());
    expect([...succeeded].sort()).toEqual([...OP_NAMES].sort());
  });
});

describe('newRequest', () => {
  const input = {
    id: '01JNB2Z8Q7R4K3M5T6V7W8X9YZ',
    channel: 'C0WWWDEPLOYS',
    requesterId: 'U01REQUESTER',
    reason: 'new stylesheet',
    paths: ['/index.html', '/css/*'],
    wildcardCount: 1,
    now: T0,
    expiryMinutes: 90,
    dryRun: true,
  };

  it('starts PENDING with the card owed and a decision deadline', () => {
    const { request, event } = newRequest({
      ...input,
      distribution: distributionConfig({ requiredApprovals: 2 }),
    });
    expect(request.status).toBe('PENDING');
    expect(request.version).toBe(1);
    expect(request.requiredApprovals).toBe(2);
    expect(request.approvals).toEqual([]);
    expect(kinds(request)).toEqual(['card', 'ask-approvers']);
    expect(request.outbox[0]).toMatchObject({ kind: 'card', attempts: 0, createdAt: T0.toISOString() });
    expect(Date.parse(request.decideBy) - T0.getTime()).toBe(90 * MINUTE);
    expect(request.approvedAt).toBeUndefined();
    expect(request.nextAttemptAt).toBeUndefined();
    expect(request).toMatchObject({ channel: 'C0WWWDEPLOYS', dryRun: true, distributionAlias: 'www' });
    expect(event).toMatchObject({ actor: 'U01REQUESTER', action: 'requested', toStatus: 'PENDING' });
  });

  it('starts APPROVED and due at once when no approval is required', () => {
    const { request, event } = newRequest({
      ...input,
      distribution: distributionConfig({ requiredApprovals: 0 }),
    });
    expect(request.status).toBe('APPROVED');
    expect(request.approvedAt).toBe(T0.toISOString());
    expect(request.nextAttemptAt).toBe(T0.toISOString());
    expect(kinds(request)).toEqual(['card']);
    expect(event.toStatus).toBe('APPROVED');
    expect(ok(claimForSubmission(request, T0)).request.status).toBe('APPROVED');
  });

  it.each([
    ['arn:aws:iam::123456789012:role/cf-invalidator', 'arn:aws:iam::123456789012:role/cf-invalidator'],
    [undefined, undefined],
  ])('copies roleArn %s', (roleArn, expected) => {
    const distribution = distributionConfig(roleArn === undefined ? {} : { roleArn });
    const { request } = newRequest({ ...input, distribution });
    expect(request.roleArn).toBe(expected);
    expect('roleArn' in request).toBe(expected !== undefined);
  });
});

describe('approve', () => {
  it.each([1, 2, 3])('with %i required: crosses the threshold exactly once', (required) => {
    let request = invalidationRequest({ requiredApprovals: required });
    const users = ['U01ALICE', 'U01BOB', 'U01CAROL', 'U01DAVE'];
    const crossings: AuditEvent[] = [];
    for (const [i, user] of users.entries()) {
      const now = later((i + 1) * MINUTE);
      const result = approve(request, user, now);
      if (i >= required) {
        expect(refusal(result).code).toBe('not-pending');
        continue;
      }
      const { request: next, events } = ok(result);
      expect(next.approvals).toHaveLength(i + 1);
      expect(next.approvals[i]).toEqual({ userId: user, at: now.toISOString() });
      expect(events[0]).toMatchObject({ actor: user, action: 'approved', detail: `${i + 1} of ${required}` });
      crossings.push(...events.filter((e) => e.toStatus === 'APPROVED'));
      const reached = i + 1 === required;
      expect(next.status).toBe(reached ? 'APPROVED' : 'PENDING');
      expect(next.approvedAt).toBe(reached ? now.toISOString() : undefined);
      expect(next.nextAttemptAt).toBe(reached ? now.toISOString() : undefined);
      request = next;
    }
    expect(crossings).toHaveLength(1);
    expect(crossings[0]?.fromStatus).toBe('PENDING');
  });

  it('refuses a second approval by the same person', () => {
    const once = ok(approve(invalidationRequest({ requiredApprovals: 2 }), 'U01ALICE', T0)).request;
    expect(refusal(approve(once, 'U01ALICE', later(1000))).code).toBe('already-approved');
  });

  it('queues the thread reply with the approver and one card refresh', () => {
    const { request } = ok(approve(invalidationRequest({ requiredApprovals: 2 }), 'U01ALICE', T0));
    expect(kinds(request)).toEqual(['approved', 'card']);
    expect(request.outbox[0]).toMatchObject({ kind: 'approved', actorId: 'U01ALICE', attempts: 0 });
    expect(request.outbox[1]?.actorId).toBeUndefined();
  });

  it.each(['APPROVED', 'SUBMITTED', 'COMPLETED', 'REJECTED', 'CANCELLED', 'EXPIRED', 'FAILED'] as const)(
    'refuses when %s, saying what it is',
    (status) => {
      const r = refusal(approve(inStatus(status), 'U01ALICE', T0));
      expect(r).toEqual({ code: 'not-pending', status, dryRun: false });
    },
  );
});

describe('deadline: approve, reject and cancel after decideBy', () => {
  const request = invalidationRequest();
  const deadline = new Date(request.decideBy);
  const actions = [
    ['approve', (r: InvalidationRequest, now: Date) => approve(r, 'U01ALICE', now)],
    ['reject', (r: InvalidationRequest, now: Date) => reject(r, 'U01ALICE', now)],
    ['cancel', (r: InvalidationRequest, now: Date) => cancel(r, 'U01REQUESTER', now)],
  ] as const;
  const cases = actions.flatMap(([name, run]) =>
    [
      [-1, true],
      [0, false],
      [MINUTE, false],
    ].map(([offset, allowed]) => [name, offset, allowed, run] as const),
  );

  it.each(cases)('%s at decideBy%+ims: allowed %s', (_name, offset, allowed, run) => {
    const result = run(request, later(Number(offset), deadline));
    if (allowed) {
      expect(result.ok).toBe(true);
    } else {
      expect(refusal(result)).toEqual({ code: 'expired', decideBy: request.decideBy });
    }
  });
});

describe('reject, cancel, expire', () => {
  it('reject records who and why, closing the request', () => {
    const { request, events } = ok(reject(invalidationRequest(), 'U01BOB', T0, 'wrong distribution'));
    expect(request.status).toBe('REJECTED');
    expect(request.decidedBy).toBe('U01BOB');
    expect(kinds(request)).toEqual(['rejected', 'requester-rejected', 'card']);
    expect(request.outbox[0]?.actorId).toBe('U01BOB');
    expect(request.outbox[1]).toMatchObject({ actorId: 'U01BOB', detail: 'wrong distribution' });
    expect(request.endedAt).toBe(T0.toISOString());
    expect(events).toEqual([
      {
        requestId: request.id,
        at: T0.toISOString(),
        actor: 'U01BOB',
        action: 'rejected',
        fromStatus: 'PENDING',
        toStatus: 'REJECTED',
        detail: 'wrong distribution',
      },
    ]);
  });

  it('cancel records who, closing the request', () => {
    const { request, events } = ok(cancel(invalidationRequest(), 'U01REQUESTER', T0));
    expect(request.status).toBe('CANCELLED');
    expect(request.decidedBy).toBe('U01REQUESTER');
    expect(kinds(request)).toEqual(['cancelled', 'card']);
    expect(request.outbox[0]?.actorId).toBe('U01REQUESTER');
    expect(events[0]).toMatchObject({ actor: 'U01REQUESTER', fromStatus: 'PENDING', toStatus: 'CANCELLED' });
  });

  it.each([
    [-1, 'not-due'],
    [-MINUTE, 'not-due'],
    [0, 'EXPIRED'],
    [MINUTE, 'EXPIRED'],
  ] as const)('expire at decideBy%+ims: %s', (offset, outcome) => {
    const request = invalidationRequest();
    const result = expire(request, later(offset, new Date(request.decideBy)));
    if (outcome === 'not-due') {
      expect(refusal(result).code).toBe('not-due');
      return;
    }
    const { request: next, events } = ok(result);
    expect(next.status).toBe('EXPIRED');
    expect(kinds(next)).toEqual(['expired', 'requester-expired', 'card']);
    expect(events[0]).toMatchObject({
      actor: 'bot',
      action: 'expired',
      fromStatus: 'PENDING',
      toStatus: 'EXPIRED',
    });
  });
});

describe('claimForSubmission', () => {
  it('takes a lease; a second claim within it is refused, after it succeeds', () => {
    const approved = inStatus('APPROVED');
    const first = ok(claimForSubmission(approved, T0));
    expect(first.request.status).toBe('APPROVED');
    expect(Date.parse(first.request.nextAttemptAt ?? '') - T0.getTime()).toBe(SUBMIT_LEASE_MS);
    expect(first.events[0]).toMatchObject({ actor: 'bot', action: 'submission-claimed' });
    expect(first.events[0]?.toStatus).toBeUndefined();

    for (const offset of [0, 1, SUBMIT_LEASE_MS - 1]) {
      expect(refusal(claimForSubmission(first.request, later(offset))).code).toBe('not-due');
    }
    const second = ok(claimForSubmission(first.request, later(SUBMIT_LEASE_MS)));
    expect(Date.parse(second.request.nextAttemptAt ?? '') - T0.getTime()).toBe(2 * SUBMIT_LEASE_MS);
  });

  it.each([
    ['no next attempt set', undefined, true],
    ['due in the past', later(-1).toISOString(), true],
    ['due now', T0.toISOString(), true],
    ['due later', later(1).toISOString(), false],
  ])('APPROVED, %s: claimable %s', (_label, nextAttemptAt, claimable) => {
    const { nextAttemptAt: _drop, ...rest } = inStatus('APPROVED');
    const request = nextAttemptAt === undefined ? rest : { ...rest, nextAttemptAt };
    const result = claimForSubmission(request, T0);
    if (claimable) expect(result.ok).toBe(true);
    else expect(refusal(result).code).toBe('not-due');
  });
});

describe('recordSubmission', () => {
  it('moves to SUBMITTED, clears the last error and books the first check 2 s on', () => {
    const approved = { ...inStatus('APPROVED'), lastError: 'Throttled', submitAttempts: 2 };
    const now = later(5000);
    const { request, events } = ok(
      recordSubmission(approved, { invalidationId: 'I9', status: 'InProgress' }, now, SCHEDULE),
    );
    expect(request).toMatchObject({
      status: 'SUBMITTED',
      invalidationId: 'I9',
      cloudFrontStatus: 'InProgress',
      submittedAt: now.toISOString(),
      nextAttemptAt: later(2_000, now).toISOString(),
    });
    expect('lastError' in request).toBe(false);
    expect(kinds(request).filter((k) => k !== 'card')).toEqual(['submitted']);
    expect(kinds(request).filter((k) => k === 'card')).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'submitted',
      detail: 'I9',
      fromStatus: 'APPROVED',
      toStatus: 'SUBMITTED',
    });
  });
});

describe('deferSubmission', () => {
  it.each([
    [0, 15_000],
    [1, 15_000],
    [2, 30_000],
    [3, 60_000],
    [4, 120_000],
    [5, 240_000],
    [6, 300_000],
    [30, 300_000],
  ])('submitBackoffMs(%i) = %i', (attempts, ms) => {
    expect(submitBackoffMs(attempts)).toBe(ms);
  });

  it('backs off more each time up to the cap, and tells the thread only once', () => {
    let request = inStatus('APPROVED');
    let now = T0;
    const delays: number[] = [];
    for (let i = 1; i <= 10; i++) {
      const { request: next, events } = ok(
        deferSubmission(request, { code: 'Throttling', message: 'CloudFront is busy' }, now),
      );
      expect(next.status).toBe('APPROVED');
      expect(next.submitAttempts).toBe(i);
      expect(next.lastError).toBe('CloudFront is busy');
      expect(events[0]).toMatchObject({ action: 'submission-deferred', detail: `Throttling: attempt ${i}` });
      const due = Date.parse(next.nextAttemptAt ?? '');
      delays.push(due - now.getTime());
      // Not claimable until the back-off is over.
      expect(claimForSubmission(next, new Date(due - 1)).ok).toBe(false);
      request = next;
      now = new Date(due);
    }
    expect(delays[0]).toBe(15_000);
    for (let i = 1; i < delays.length; i++) {
      expect(delays[i]).toBe(Math.min((delays[i - 1] ?? 0) * 2, 5 * MINUTE));
    }
    expect(delays.at(-1)).toBe(5 * MINUTE);
    const queued = request.outbox.filter((n) => n.kind === 'queued');
    expect(queued).toHaveLength(1);
    expect(queued[0]).toMatchObject({ detail: 'CloudFront is busy', createdAt: T0.toISOString() });
  });
});

describe('fail', () => {
  it.each(['APPROVED', 'SUBMITTED'] as const)('from %s: FAILED, thread and requester told', (from) => {
    const { request, events } = ok(fail(inStatus(from), { code: 'AccessDenied', message: 'grant it' }, T0));
    expect(request.status).toBe('FAILED');
    expect(request.lastError).toBe('grant it');
    expect(request.nextAttemptAt).toBeUndefined();
    expect(request.outbox.filter((n) => n.kind !== 'card').map((n) => [n.kind, n.detail])).toEqual([
      ['failed', 'grant it'],
      ['requester-failed', 'grant it'],
    ]);
    expect(kinds(request).filter((k) => k === 'card')).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'failed',
      detail: 'AccessDenied',
      fromStatus: from,
      toStatus: 'FAILED',
    });
  });
});

describe('break-glass at creation', () => {
  const base = {
    id: '01JNB2Z8Q7R4K3M5T6V7W8X9YZ',
    channel: 'C0APPROVALS',
    requesterId: 'U01DAVE',
    reason: 'site down',
    paths: ['/index.html'],
    wildcardCount: 0,
    now: T0,
    expiryMinutes: 60,
    remindAfterMinutes: 30,
    dryRun: false,
  };

  it('skips approval, says so in the audit trail and asks the approvers to review', () => {
    const distribution = distributionConfig({ requiredApprovals: 2, breakGlass: ['U01DAVE'] });
    const granted = grantBreakGlass(distribution, 'U01DAVE', new Set(), '  site down  ');
    if (!granted.ok) throw new Error(granted.refusal.code);
    const { request, event } = newRequest({ ...base, distribution, breakGlass: granted.grant });
    expect(request).toMatchObject({ status: 'APPROVED', breakGlass: true, approvedAt: T0.toISOString() });
    expect(request.nextAttemptAt).toBe(T0.toISOString());
    expect(request.remindAt).toBeUndefined();
    expect(kinds(request)).toEqual(['card', 'break-glass-review']);
    expect(event).toMatchObject({
      actor: 'U01DAVE',
      action: 'break-glass',
      toStatus: 'APPROVED',
      detail: '1 path(s); approval skipped; reason: site down',
    });
  });

  it('a grant is for its own target and requester only', () => {
    const www = distributionConfig({ breakGlass: ['U01DAVE'] });
    const other = distributionConfig({ alias: 'api', id: 'E3APIAPIAPI01', breakGlass: [] });
    const granted = grantBreakGlass(www, 'U01DAVE', new Set(), 'incident');
    if (!granted.ok) throw new Error(granted.refusal.code);
    expect(() => newRequest({ ...base, distribution: other, breakGlass: granted.grant })).toThrow(RangeError);
    expect(() =>
      newRequest({ ...base, requesterId: 'U01BOB', distribution: www, breakGlass: granted.grant }),
    ).toThrow(RangeError);
  });
});

describe('reminder', () => {
  const base = {
    id: '01JNB2Z8Q7R4K3M5T6V7W8X9YZ',
    channel: 'C0APPROVALS',
    requesterId: 'U01REQUESTER',
    reason: '',
    paths: ['/a'],
    wildcardCount: 0,
    now: T0,
    expiryMinutes: 120,
    dryRun: false,
    distribution: distributionConfig(),
  };

  it.each([
    [60, later(60 * MINUTE).toISOString()],
    [0, undefined],
    [120, undefined],
  ])('remindAfterMinutes %i: remindAt %s (none at or after the deadline)', (minutes, expected) => {
    expect(newRequest({ ...base, remindAfterMinutes: minutes }).request.remindAt).toBe(expected);
  });

  it('is sent once, when due, while undecided', () => {
    const { request } = newRequest({ ...base, remindAfterMinutes: 60 });
    expect(refusal(remind(request, later(59 * MINUTE))).code).toBe('not-due');
    const reminded = ok(remind(request, later(60 * MINUTE)));
    expect(kinds(reminded.request)).toEqual(['card', 'ask-approvers', 'reminder']);
    expect(reminded.request.remindedAt).toBe(later(60 * MINUTE).toISOString());
    expect(reminded.events.map((e) => e.action)).toEqual(['reminded']);
    expect(refusal(remind(reminded.request, later(90 * MINUTE))).code).toBe('not-due');
  });

  it('a decision drops a reminder still queued', () => {
    const { request } = newRequest({ ...base, remindAfterMinutes: 60 });
    const reminded = ok(remind(request, later(60 * MINUTE))).request;
    const rejected = ok(reject(reminded, 'U01BOB', later(61 * MINUTE))).request;
    expect(kinds(rejected)).toEqual(['rejected', 'requester-rejected', 'card']);
  });
});

describe('a card Slack will never post', () => {
  const failure = { permanent: true, error: 'not_in_channel', message: 'invite me' };

  it('ends a PENDING request FAILED, dropping its thread replies and DMing the fix', () => {
    const request = invalidationRequest({
      outbox: [
        notice({ kind: 'card', attempts: 1 }),
        notice({ id: 'ask-approvers@1', kind: 'ask-approvers' }),
      ],
      remindAt: later(MINUTE).toISOString(),
    });
    const { request: failed, events } = ok(retryNotice(request, 'card@1', T0, failure));
    expect(failed.status).toBe('FAILED');
    expect(failed.lastError).toBe('Slack would not post the request card (not_in_channel).');
    expect(failed.remindAt).toBeUndefined();
    expect(failed.outbox.map((n) => [n.kind, n.detail])).toEqual([['requester-card-failed', 'invite me']]);
    expect(events.map((e) => [e.action, e.toStatus])).toEqual([
      ['notice-dropped', undefined],
      ['failed', 'FAILED'],
    ]);
    expect(events[1]?.detail).toBe('card not posted: not_in_channel');
  });

  it('leaves the fix to Slack messages: without words from the messenger the DM notice has no detail', () => {
    const request = invalidationRequest({ outbox: [notice({ kind: 'card', attempts: 1 })] });
    const { request: failed } = ok(
      retryNotice(request, 'card@1', T0, { permanent: true, error: 'channel_not_found' }),
    );
    expect(failed.status).toBe('FAILED');
    expect(failed.outbox.map((n) => [n.kind, n.detail])).toEqual([['requester-card-failed', undefined]]);
  });

  it('lets an approved request go on: only the card is dropped, its end still reaches the requester', () => {
    const request = inStatus('SUBMITTED');
    const { request: next, events } = ok(retryNotice(request, 'card@1', T0, failure));
    expect(next.status).toBe('SUBMITTED');
    expect(kinds(next)).toEqual([]);
    expect(events.map((e) => e.action)).toEqual(['notice-dropped']);
  });

  it('a transient failure is retried as before', () => {
    const { request } = ok(retryNotice(invalidationRequest(), 'card@1', T0, { error: 'fatal_error' }));
    expect(request.status).toBe('PENDING');
    expect(kinds(request)).toEqual(['card']);
  });
});
