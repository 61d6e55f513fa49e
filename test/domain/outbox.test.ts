import { describe, expect, it } from 'vitest';
import { approve, type Transition } from '../../src/domain/lifecycle';
import {
  claimNotice,
  claimNotices,
  completeNotice,
  holdFirstNotices,
  retryNotice,
  returnNotices,
} from '../../src/domain/notice-transitions';
import {
  claim,
  deliverableNotices,
  enqueue,
  findNotice,
  isDeliverable,
  MAX_NOTICE_ATTEMPTS,
  NOTICE_LEASE_MS,
  release,
  remove,
  retryDelayMs,
} from '../../src/domain/outbox';
import type { AuditEvent, InvalidationRequest, Notice } from '../../src/domain/request';
import { invalidationRequest, later, notice, T0 } from '../support/request-fixtures';

function ok(t: Transition): { request: InvalidationRequest; events: AuditEvent[] } {
  if (!t.ok) throw new Error(`expected a transition, got refusal ${JSON.stringify(t.refusal)}`);
  return t;
}

function ids(notices: readonly Notice[]): string[] {
  return notices.map((n) => n.id);
}

/** A request whose card is already posted, owing the given notices. */
function posted(outbox: Notice[]): InvalidationRequest {
  return invalidationRequest({ cardTs: '1700000000.000100', outbox });
}

describe('enqueue', () => {
  it('builds a fresh notice, with actor and detail only when given', () => {
    const [bare] = enqueue([], 4, 'submitted', T0);
    expect(bare).toEqual({ id: 'submitted@4', kind: 'submitted', createdAt: T0.toISOString(), attempts: 0 });
    const [full] = enqueue([], 4, 'approved', T0, { actorId: 'U01ALICE', detail: 'lgtm' });
    expect(full).toMatchObject({ actorId: 'U01ALICE', detail: 'lgtm' });
  });

  it('ids are unique within a version and across versions', () => {
    let outbox: Notice[] = [];
    for (let version = 1; version <= 5; version++) {
      outbox = enqueue(outbox, version, 'failed', T0);
      outbox = enqueue(outbox, version, 'requester-failed', T0);
      outbox = enqueue(outbox, version, 'approved', T0);
    }
    expect(outbox).toHaveLength(15);
    expect(new Set(ids(outbox)).size).toBe(15);
  });

  it('ids stay unique through a real sequence of writes', () => {
    let request = invalidationRequest({ requiredApprovals: 3 });
    for (const [i, user] of ['U01ALICE', 'U01BOB', 'U01CAROL'].entries()) {
      request = ok(approve(request, user, later(i * 1000))).request;
      const cardId = `card@${request.version}`;
      // Claim and keep the card so the next refresh cannot collapse it.
      request = ok(claimNotice(request, cardId, later(i * 1000))).request;
    }
    const all = ids(request.outbox);
    expect(new Set(all).size).toBe(all.length);
  });

  it('does not modify the outbox it is given', () => {
    const outbox = [notice({ kind: 'card' })];
    const copy = structuredClone(outbox);
    enqueue(outbox, 2, 'card', T0);
    expect(outbox).toEqual(copy);
  });

  it.each([
    ['an unclaimed older card is superseded', undefined, ['approved@1', 'card@2']],
    [
      'a claimed older card is kept, the refresh follows it',
      later(NOTICE_LEASE_MS).toISOString(),
      ['card@1', 'approved@1', 'card@2'],
    ],
  ])('card refresh: %s', (_label, claimedUntil, expected) => {
    const older = notice({
      kind: 'card',
      id: 'card@1',
      ...(claimedUntil ? { claimedUntil, attempts: 1 } : {}),
    });
    const outbox = enqueue([older, notice({ kind: 'approved', id: 'approved@1' })], 2, 'card', T0);
    expect(ids(outbox)).toEqual(expected);
  });

  it('only card notices collapse', () => {
    let outbox: Notice[] = [];
    outbox = enqueue(outbox, 1, 'card', T0);
    outbox = enqueue(outbox, 2, 'still-in-progress', T0);
    outbox = enqueue(outbox, 3, 'still-in-progress', T0);
    expect(ids(outbox)).toEqual(['card@1', 'still-in-progress@2', 'still-in-progress@3']);
  });
});

describe('deliverableNotices', () => {
  it('before the card is posted: only the card, thread notices held back', () => {
    const request = invalidationRequest({
      outbox: [notice({ kind: 'approved', id: 'approved@2' }), notice({ kind: 'card', id: 'card@2' })],
    });
    expect(ids(deliverableNotices(request, T0))).toEqual(['card@2']);
    expect(isDeliverable(notice({ kind: 'approved', id: 'approved@2' }), request, T0)).toBe(false);
  });

  it('before the card is posted and the card is held: nothing', () => {
    const request = invalidationRequest({
      outbox: [notice({ kind: 'card', claimedUntil: later(1).toISOString() }), notice({ kind: 'approved' })],
    });
    expect(deliverableNotices(request, T0)).toEqual([]);
  });

  it('after the card is posted: thread notices in queue order', () => {
    const request = posted([
      notice({ kind: 'approved', id: 'approved@2' }),
      notice({ kind: 'submitted', id: 'submitted@4' }),
      notice({ kind: 'requester-completed', id: 'requester-completed@5' }),
    ]);
    expect(ids(deliverableNotices(request, T0))).toEqual([
      'approved@2',
      'submitted@4',
      'requester-completed@5',
    ]);
  });

  it('puts the card first', () => {
    // reject queues its thread reply before the card refresh; the card still goes first.
    const request = posted([
      notice({ kind: 'rejected', id: 'rejected@3' }),
      notice({ kind: 'card', id: 'card@3' }),
    ]);
    expect(ids(deliverableNotices(request, T0))).toEqual(['card@3', 'rejected@3']);
  });

  it.each([
    ['waiting out a back-off', { notBefore: later(1).toISOString() }, false],
    ['back-off over', { notBefore: T0.toISOString() }, true],
    ['held by a deliverer', { claimedUntil: later(1).toISOString() }, false],
    ['lease run out', { claimedUntil: T0.toISOString() }, true],
    ['fresh', {}, true],
  ])('%s: deliverable %s', (_label, fields, deliverable) => {
    const n = notice({ kind: 'completed', id: 'completed@6', ...fields });
    const request = posted([n]);
    expect(isDeliverable(n, request, T0)).toBe(deliverable);
    expect(ids(deliverableNotices(request, T0))).toEqual(deliverable ? ['completed@6'] : []);
  });
});

describe('claim, release, remove', () => {
  const outbox = [
    notice({ kind: 'card', id: 'card@1' }),
    notice({ kind: 'approved', id: 'approved@2', attempts: 2 }),
  ];

  it('claim counts the attempt and holds the notice for the lease', () => {
    const claimed = claim(outbox, 'approved@2', T0);
    expect(claimed[1]).toMatchObject({ attempts: 3, claimedUntil: later(NOTICE_LEASE_MS).toISOString() });
    expect(claimed[0]).toEqual(outbox[0]);
    expect(claim(outbox, 'approved@2', T0, 5_000)[1]?.claimedUntil).toBe(later(5_000).toISOString());
    expect(claim(outbox, 'nope@9', T0)).toEqual(outbox);
  });

  it('release lets go of the claim and sets when to try again', () => {
    const released = release(claim(outbox, 'approved@2', T0), 'approved@2', T0, 12_345);
    const n = released[1];
    expect(n?.claimedUntil).toBeUndefined();
    expect(n && 'claimedUntil' in n).toBe(false);
    expect(n?.notBefore).toBe(later(12_345).toISOString());
    expect(n?.attempts).toBe(3);
  });

  it('remove drops only that notice', () => {
    expect(ids(remove(outbox, 'card@1'))).toEqual(['approved@2']);
    expect(ids(remove(outbox, 'nope@9'))).toEqual(['card@1', 'approved@2']);
  });

  it('findNotice finds by id', () => {
    const request = posted(outbox);
    expect(findNotice(request, 'approved@2')?.kind).toBe('approved');
    expect(findNotice(request, 'approved@3')).toBeUndefined();
  });
});

describe('retryDelayMs', () => {
  const exponential = (attempts: number) => Math.min(5_000 * 2 ** Math.max(0, attempts - 1), 10 * 60_000);

  it.each([0, 1, 2, 3, 5, 7, 8, 20])(
    '%i attempts, no Retry-After: doubling from 5 s, capped at 10 min',
    (n) => {
      expect(retryDelayMs(n)).toBe(exponential(n));
    },
  );

  it('grows, then stays at the cap', () => {
    const delays = Array.from({ length: 12 }, (_, i) => retryDelayMs(i + 1));
    expect(delays[0]).toBe(5_000);
    for (let i = 1; i < delays.length; i++) expect(delays[i]).toBeGreaterThanOrEqual(delays[i - 1] ?? 0);
    expect(delays.at(-1)).toBe(10 * 60_000);
  });

  it.each([
    [30_000, 30_000],
    [1, 1],
    [0, 5_000],
    [-5, 5_000],
  ])('Retry-After %i ms on a first attempt waits %i ms', (retryAfter, expected) => {
    expect(retryDelayMs(1, retryAfter)).toBe(expected);
  });
});

describe('claimNotice', () => {
  const request = posted([notice({ kind: 'approved', id: 'approved@2' })]);

  it('holds the notice for the lease, refusing others until it runs out', () => {
    const { request: held, events } = ok(claimNotice(request, 'approved@2', T0));
    expect(held.version).toBe(request.version + 1);
    expect(held.status).toBe(request.status);
    expect(events).toEqual([]);
    expect(findNotice(held, 'approved@2')).toMatchObject({
      attempts: 1,
      claimedUntil: later(NOTICE_LEASE_MS).toISOString(),
    });

    const again = claimNotice(held, 'approved@2', later(NOTICE_LEASE_MS - 1));
    expect(again.ok ? 'ok' : again.refusal.code).toBe('stale');
    // A crashed deliverer's lease runs out and the notice is tried again.
    const retaken = ok(claimNotice(held, 'approved@2', later(NOTICE_LEASE_MS))).request;
    expect(findNotice(retaken, 'approved@2')?.attempts).toBe(2);
  });

  it('refuses a delivered notice', () => {
    const r = claimNotice(request, 'approved@1', T0);
    expect(r.ok ? 'ok' : r.refusal.code).toBe('no-notice');
  });

  // A deliverer picks a notice from a read, then claims it on a fresh read: by then another
  // deliverer may have failed it with Slack's Retry-After. The claim must honour that wait.
  it('refuses a notice still waiting out its back-off', () => {
    const waiting = posted([
      notice({ kind: 'approved', id: 'approved@2', attempts: 1, notBefore: later(30_000).toISOString() }),
    ]);
    expect(claimNotice(waiting, 'approved@2', T0).ok).toBe(false);
    expect(claimNotice(waiting, 'approved@2', later(30_000)).ok).toBe(true);
  });
});

describe('claimNotices', () => {
  const request = posted([
    notice({ kind: 'card', id: 'card@3' }),
    notice({ kind: 'approved', id: 'approved@3' }),
    notice({ kind: 'submitted', id: 'submitted@4' }),
  ]);

  it('claims a batch in one version step, each counting one attempt', () => {
    const { request: held, events } = ok(claimNotices(request, ['card@3', 'approved@3'], T0));
    expect(held.version).toBe(request.version + 1);
    expect(events).toEqual([]);
    for (const id of ['card@3', 'approved@3']) {
      expect(findNotice(held, id)).toMatchObject({
        attempts: 1,
        claimedUntil: later(NOTICE_LEASE_MS).toISOString(),
      });
    }
    expect(findNotice(held, 'submitted@4')?.claimedUntil).toBeUndefined();
  });

  it.each([
    ['one of them is held by another deliverer', ['submitted@4', 'card@3'], 'stale'],
    ['one of them is already delivered', ['card@3', 'approved@1'], 'no-notice'],
    ['the batch is empty', [], 'no-notice'],
  ])('claims nothing when %s', (_case, claimIds, code) => {
    const partlyHeld = ok(claimNotice(request, 'submitted@4', T0)).request;
    const r = claimNotices(partlyHeld, claimIds, later(1_000));
    expect(r.ok ? 'ok' : r.refusal.code).toBe(code);
  });
});

describe('holdFirstNotices', () => {
  it("lets a new request's creator hold its card from the first write, at the same version", () => {
    const fresh = invalidationRequest({ version: 1, outbox: [notice({ kind: 'card', id: 'card@1' })] });
    const { request, held } = holdFirstNotices(fresh, T0);
    expect(ids(held)).toEqual(['card@1']);
    expect(request.version).toBe(1);
    expect(findNotice(request, 'card@1')).toMatchObject({
      attempts: 1,
      claimedUntil: later(NOTICE_LEASE_MS).toISOString(),
    });
    // Anyone else finds nothing to deliver until the lease runs out.
    expect(deliverableNotices(request, later(NOTICE_LEASE_MS - 1))).toEqual([]);
    expect(ids(deliverableNotices(request, later(NOTICE_LEASE_MS)))).toEqual(['card@1']);
  });

  it('holds nothing on a request approved automatically: its submission queues the card that counts', () => {
    const approved = invalidationRequest({
      status: 'APPROVED',
      requiredApprovals: 0,
      outbox: [notice({ kind: 'card', id: 'card@1' })],
    });
    const { request, held } = holdFirstNotices(approved, T0);
    expect(held).toEqual([]);
    expect(request).toEqual(approved);
  });
});

describe('returnNotices', () => {
  it('undoes the claim and its attempt, and makes the notices wait like the refused one', () => {
    const base = posted([
      notice({ kind: 'approved', id: 'approved@3', attempts: 2 }),
      notice({ kind: 'submitted', id: 'submitted@4' }),
    ]);
    const held = ok(claimNotices(base, ['approved@3', 'submitted@4'], T0)).request;
    const { request, events } = ok(returnNotices(held, ['approved@3', 'submitted@4'], T0, 7_000));
    expect(request.version).toBe(held.version + 1);
    expect(events).toEqual([]);
    expect(request.outbox).toEqual([
      {
        ...notice({ kind: 'approved', id: 'approved@3', attempts: 2 }),
        notBefore: later(7_000).toISOString(),
      },
      { ...notice({ kind: 'submitted', id: 'submitted@4' }), notBefore: later(7_000).toISOString() },
    ]);
  });

  it('leaves alone notices that are not held, and refuses when none is', () => {
    const base = posted([
      notice({ kind: 'approved', id: 'approved@3' }),
      notice({ kind: 'submitted', id: 'submitted@4' }),
    ]);
    const held = ok(claimNotice(base, 'approved@3', T0)).request;
    const { request } = ok(returnNotices(held, ['approved@3', 'submitted@4', 'gone@1'], T0, 1_000));
    expect(findNotice(request, 'submitted@4')).toEqual(findNotice(base, 'submitted@4'));
    const none = returnNotices(base, ['approved@3'], T0, 1_000);
    expect(none.ok ? 'ok' : none.refusal.code).toBe('no-notice');
  });
});

describe('retryNotice', () => {
  const failure = { error: 'channel_not_found' };

  it('uses Retry-After when Slack gives one', () => {
    const held = ok(
      claimNotice(posted([notice({ kind: 'approved', id: 'approved@2' })]), 'approved@2', T0),
    ).request;
    const { request, events } = ok(
      retryNotice(held, 'approved@2', T0, { error: 'ratelimited', retryAfterMs: 42_000 }),
    );
    const n = findNotice(request, 'approved@2');
    expect(n?.notBefore).toBe(later(42_000).toISOString());
    expect(n?.claimedUntil).toBeUndefined();
    expect(events).toEqual([]);
    expect(request.version).toBe(held.version + 1);
  });

  it('backs off exponentially otherwise, and drops after MAX_NOTICE_ATTEMPTS with an audit event', () => {
    let request = posted([notice({ kind: 'approved', id: 'approved@2' })]);
    let now = T0;
    let claims = 0;
    for (;;) {
      request = ok(claimNotice(request, 'approved@2', now)).request;
      claims++;
      const attempts = findNotice(request, 'approved@2')?.attempts ?? -1;
      expect(attempts).toBe(claims);
      const { request: next, events } = ok(retryNotice(request, 'approved@2', now, failure));
      request = next;
      const n = findNotice(request, 'approved@2');
      if (!n) {
        expect(events).toEqual([
          {
            requestId: request.id,
            at: now.toISOString(),
            actor: 'bot',
            action: 'notice-dropped',
            detail: `approved after ${claims} attempt(s): channel_not_found`,
          },
        ]);
        break;
      }
      expect(events).toEqual([]);
      expect(Date.parse(n.notBefore ?? '') - now.getTime()).toBe(retryDelayMs(attempts));
      expect(isDeliverable(n, request, new Date(Date.parse(n.notBefore ?? '') - 1))).toBe(false);
      now = new Date(n.notBefore ?? '');
      expect(claims).toBeLessThan(MAX_NOTICE_ATTEMPTS);
    }
    expect(claims).toBe(MAX_NOTICE_ATTEMPTS);
    expect(request.outbox).toEqual([]);
  });

  it('drops a permanent failure at once', () => {
    const held = ok(
      claimNotice(posted([notice({ kind: 'failed', id: 'failed@4' })]), 'failed@4', T0),
    ).request;
    const { request, events } = ok(
      retryNotice(held, 'failed@4', T0, { error: 'not_in_channel', permanent: true }),
    );
    expect(request.outbox).toEqual([]);
    expect(events.map((e) => [e.action, e.detail])).toEqual([
      ['notice-dropped', 'failed after 1 attempt(s): not_in_channel'],
    ]);
  });

  it('refuses a notice that is gone', () => {
    const r = retryNotice(posted([]), 'approved@2', T0, failure);
    expect(r.ok ? 'ok' : r.refusal.code).toBe('no-notice');
  });
});

describe('completeNotice', () => {
  it('removes the notice and stores the card ts the first time only', () => {
    const request = invalidationRequest({
      outbox: [notice({ kind: 'card', id: 'card@1' }), notice({ kind: 'card', id: 'card@3' })],
    });
    const first = ok(completeNotice(request, 'card@1', T0, '1700000000.000100')).request;
    expect(first.cardTs).toBe('1700000000.000100');
    expect(ids(first.outbox)).toEqual(['card@3']);
    expect(first.version).toBe(request.version + 1);
    expect(request.cardTs).toBeUndefined();

    const second = ok(completeNotice(first, 'card@3', T0, '1700000099.000200')).request;
    expect(second.cardTs).toBe('1700000000.000100');
    expect(second.outbox).toEqual([]);
  });

  it('keeps the card ts when none is given', () => {
    const request = posted([notice({ kind: 'approved', id: 'approved@2' })]);
    expect(ok(completeNotice(request, 'approved@2', T0)).request.cardTs).toBe('1700000000.000100');
  });

  it('refuses to complete twice', () => {
    const request = posted([notice({ kind: 'approved', id: 'approved@2' })]);
    const done = ok(completeNotice(request, 'approved@2', T0)).request;
    const r = completeNotice(done, 'approved@2', T0);
    expect(r.ok ? 'ok' : r.refusal.code).toBe('no-notice');
  });
});
