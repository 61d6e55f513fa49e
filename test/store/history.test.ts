import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { DynamoRequestStore } from '../../src/store/dynamo-request-store';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { at, createdEvent, MINUTE, patchWith, pendingRequest } from './fixtures';

let db: LocalDynamo;
let store: DynamoRequestStore;

beforeAll(async () => {
  db = await startDynalite();
  store = new DynamoRequestStore({ client: db.client, tableName: db.tableName });
});

afterAll(async () => {
  await db?.stop();
});

/** Creates requests oldest first, each with a few audit events of its own. */
async function history(
  count: number,
  overrides: Partial<InvalidationRequest>,
): Promise<InvalidationRequest[]> {
  const out: InvalidationRequest[] = [];
  for (let i = 0; i < count; i++) {
    const request = pendingRequest({ createdAt: at(i * MINUTE), ...overrides });
    await store.create(request, createdEvent(request), `key-${request.id}`);
    await store.update(request.id, patchWith({}, at(i * MINUTE + 1), ['one', 'two']));
    out.push({ ...request, version: 2, updatedAt: at(i * MINUTE + 1) });
  }
  return out;
}

describe('history lists', () => {
  it('lists a requester’s requests newest first, and only theirs, and no audit events', async () => {
    const mine = await history(25, { requesterId: 'U01MINE' });
    await history(2, { requesterId: 'U01OTHER' });

    const listed = await store.listByRequester('U01MINE');
    expect(listed).toEqual(mine.slice(-20).reverse());
    expect(await store.listByRequester('U01MINE', 3)).toEqual(mine.slice(-3).reverse());
    expect(await store.listByRequester('U01MINE', 100)).toHaveLength(25);
    expect(await store.listByRequester('U01NOBODY')).toEqual([]);

    const { Items = [] } = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'byRequester',
        KeyConditionExpression: 'requesterId = :u',
        ExpressionAttributeValues: { ':u': { S: 'U01MINE' } },
      }),
    );
    expect(Items.map((item) => item.sk?.S)).toEqual(mine.map(() => 'META'));
  });

  it('lists a distribution’s requests newest first, and only its own, and no audit events', async () => {
    const www = await history(4, { distributionId: 'EWWW', requesterId: 'U01A' });
    await history(1, { distributionId: 'EAPI', requesterId: 'U01A' });

    expect(await store.listByDistribution('EWWW')).toEqual([...www].reverse());
    expect(await store.listByDistribution('EWWW', 1)).toEqual(www.slice(-1));

    const { Items = [] } = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        IndexName: 'byDistribution',
        KeyConditionExpression: 'distributionId = :d',
        ExpressionAttributeValues: { ':d': { S: 'EWWW' } },
      }),
    );
    expect(Items.map((item) => item.sk?.S)).toEqual(www.map(() => 'META'));
  });

  it('lists a request’s audit events in the order they happened', async () => {
    const request = pendingRequest({ createdAt: at(0) });
    await store.create(request, createdEvent(request), `key-${request.id}`);
    // Two writes in the same millisecond, and a write with two events.
    await store.update(request.id, patchWith({}, at(5), ['first in ms 5']));
    await store.update(request.id, patchWith({}, at(5), ['second in ms 5', 'third in ms 5']));
    await store.update(request.id, patchWith({ status: 'APPROVED' }, at(MINUTE), ['approved']));
    await store.update(request.id, patchWith({}, at(2 * MINUTE), ['later']));

    const events = await store.listEvents(request.id);
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
    expect(await store.listEvents('01J0000000000000000000NONE')).toEqual([]);
  });
});
