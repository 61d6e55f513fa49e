import { describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { useStoreTable } from '../support/use-table';
import { at, createdEvent, MINUTE, patchWith, pendingRequest } from './fixtures';

const table = useStoreTable();

/** Creates requests oldest first, each with a few audit events of its own. */
async function history(
  count: number,
  overrides: Partial<InvalidationRequest>,
): Promise<InvalidationRequest[]> {
  const out: InvalidationRequest[] = [];
  for (let i = 0; i < count; i++) {
    const request = pendingRequest({ createdAt: at(i * MINUTE), ...overrides });
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    await table.store.update(request.id, patchWith({}, at(i * MINUTE + 1), ['one', 'two']));
    out.push({ ...request, version: 2, updatedAt: at(i * MINUTE + 1) });
  }
  return out;
}

describe('history lists', () => {
  it('lists a requester’s requests newest first, and only theirs, and no audit events', async () => {
    const mine = await history(25, { requesterId: 'U01MINE' });
    await history(2, { requesterId: 'U01OTHER' });

    const listed = await table.store.listByRequester('U01MINE');
    expect(listed).toEqual(mine.slice(-20).reverse());
    expect(await table.store.listByRequester('U01MINE', 3)).toEqual(mine.slice(-3).reverse());
    expect(await table.store.listByRequester('U01MINE', 100)).toHaveLength(25);
    expect(await table.store.listByRequester('U01NOBODY')).toEqual([]);

    const items = await table.indexItems('byRequester', 'requesterId', 'U01MINE');
    expect(items.map((item) => item.sk?.S)).toEqual(mine.map(() => 'META'));
  });

  it('lists a distribution’s requests newest first, and only its own, and no audit events', async () => {
    const www = await history(4, { distributionId: 'EWWW', requesterId: 'U01A' });
    await history(1, { distributionId: 'EAPI', requesterId: 'U01A' });

    expect(await table.store.listByDistribution('EWWW')).toEqual([...www].reverse());
    expect(await table.store.listByDistribution('EWWW', 1)).toEqual(www.slice(-1));

    const items = await table.indexItems('byDistribution', 'distributionId', 'EWWW');
    expect(items.map((item) => item.sk?.S)).toEqual(www.map(() => 'META'));
  });

  it('lists a request’s audit events in the order they happened', async () => {
    const request = pendingRequest({ createdAt: at(0) });
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    // Two writes in the same millisecond, and a write with two events.
    await table.store.update(request.id, patchWith({}, at(5), ['first in ms 5']));
    await table.store.update(request.id, patchWith({}, at(5), ['second in ms 5', 'third in ms 5']));
    await table.store.update(request.id, patchWith({ status: 'APPROVED' }, at(MINUTE), ['approved']));
    await table.store.update(request.id, patchWith({}, at(2 * MINUTE), ['later']));

    const events = await table.store.listEvents(request.id);
    expect(events.map((e) => e.action)).toEqual([
      'created',
      'first in ms 5',
      'second in ms 5',
      'third in ms 5',
      'approved',
      'later',
    ]);
    expect(events[4]).toEqual({
      requestId: request.id,
      at: at(MINUTE),
      actor: 'bot',
      action: 'approved',
      fromStatus: 'PENDING',
      toStatus: 'APPROVED',
    });
    expect(await table.store.listEvents('01J0000000000000000000NONE')).toEqual([]);
  });
});
