import { describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { useStoreTable } from '../support/use-table';
import { at, createdEvent, MINUTE, notice, patchWith, pendingRequest } from './fixtures';

// Its own table: listDue sees every request in it.

const requests = {
  pending: pendingRequest({ decideBy: at(60 * MINUTE) }),
  approved: pendingRequest({ status: 'APPROVED', updatedAt: at(MINUTE) }),
  submitted: pendingRequest({ status: 'SUBMITTED', nextAttemptAt: at(5 * MINUTE) }),
  completedOwingNotice: pendingRequest({
    status: 'COMPLETED',
    completedAt: at(0),
    outbox: [notice({ id: 'completed@5', kind: 'completed', notBefore: at(2 * MINUTE) })],
  }),
  completed: pendingRequest({ status: 'COMPLETED', completedAt: at(0) }),
  rejected: pendingRequest({ status: 'REJECTED', decidedBy: 'U01BOB' }),
} satisfies Record<string, InvalidationRequest>;

const table = useStoreTable(async (store) => {
  for (const request of Object.values(requests)) {
    await store.create(request, createdEvent(request), `key-${request.id}`);
  }
});

const idsDueAt = async (now: string, limit?: number) =>
  (await table.store.listDue(new Date(now), limit)).map((r) => r.id);

describe('listDue and the active index', () => {
  it('holds exactly the requests the poller has business with', async () => {
    const items = await table.indexItems('active', 'activePk', 'ACTIVE');
    expect(items.map((item) => item.id?.S).sort()).toEqual(
      [requests.pending, requests.approved, requests.submitted, requests.completedOwingNotice]
        .map((r) => r.id)
        .sort(),
    );
    expect(items.every((item) => item.sk?.S === 'META')).toBe(true);
  });

  it.each([
    ['before anything is due', at(-MINUTE), []],
    ['when the approved request was written', at(MINUTE), ['approved']],
    ['once the notice may be retried', at(2 * MINUTE), ['approved', 'completedOwingNotice']],
    ['at the next status check', at(5 * MINUTE), ['approved', 'completedOwingNotice', 'submitted']],
    [
      'at the decision deadline',
      at(60 * MINUTE),
      ['approved', 'completedOwingNotice', 'submitted', 'pending'],
    ],
  ] as const)('returns what is due %s, earliest first', async (_name, now, names) => {
    expect(await idsDueAt(now)).toEqual(names.map((name) => requests[name].id));
  });

  it('stops at the limit, earliest first', async () => {
    expect(await idsDueAt(at(60 * MINUTE), 2)).toEqual([
      requests.approved.id,
      requests.completedOwingNotice.id,
    ]);
  });

  it('follows a request through its changes', async () => {
    const request = pendingRequest({ status: 'APPROVED', updatedAt: at(MINUTE) });
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    const far = at(24 * 60 * MINUTE);
    expect(await idsDueAt(far, 100)).toContain(request.id);

    await table.store.update(
      request.id,
      patchWith({ status: 'SUBMITTED', nextAttemptAt: at(30 * MINUTE) }, at(2 * MINUTE)),
    );
    expect(await idsDueAt(at(29 * MINUTE), 100)).not.toContain(request.id);
    expect(await idsDueAt(at(30 * MINUTE), 100)).toContain(request.id);

    await table.store.update(
      request.id,
      patchWith({ status: 'COMPLETED', completedAt: at(31 * MINUTE) }, at(31 * MINUTE)),
    );
    expect(await idsDueAt(far, 100)).not.toContain(request.id);
  });

  it('returns every due request up to the limit, earliest first', async () => {
    const many = Array.from({ length: 30 }, (_, i) =>
      pendingRequest({ status: 'APPROVED', updatedAt: at(2 * 24 * 60 * MINUTE + i) }),
    );
    for (const r of many) await table.store.create(r, createdEvent(r), `key-${r.id}`);
    const due = await table.store.listDue(new Date(at(3 * 24 * 60 * MINUTE)), 200);
    expect(due.map((r) => r.id).slice(-30)).toEqual(many.map((r) => r.id));
    expect(await table.store.listDue(new Date(at(3 * 24 * 60 * MINUTE)), 7)).toHaveLength(7);
  });
});
