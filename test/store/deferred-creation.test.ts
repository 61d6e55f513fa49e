import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { DynamoRequestStore } from '../../src/store/dynamo-request-store';
import { ACTIVE_INDEX, BY_DISTRIBUTION_INDEX, BY_REQUESTER_INDEX } from '../../src/store/table';
import { storedItem } from '../support/stored-events';
import { useStoreTable } from '../support/use-table';
import { at, createdEvent, MINUTE, notice, patchWith, pendingRequest } from './fixtures';
import { countingClient, skOf, withInterceptedStore } from './intercept';

/**
 * `deferRequestItem` (the slack function's store): a creation is one PutItem, of the
 * idempotency item, which carries the request item and its index keys. The next reader (the
 * kicked worker, given the key; the due list; the history lists) writes the request item from
 * it and takes the idempotency item out of the indexes. Nothing may be lost, listed twice, or
 * written over a request that has moved on.
 */

const table = useStoreTable();

const INDEX_KEYS = ['activePk', 'activeDue', 'requesterId', 'distributionId', 'id'];

interface Counted {
  store: DynamoRequestStore;
  calls: string[];
  destroy(): void;
}

function countingStore(options: { deferEvents: boolean; deferRequestItem: boolean }): Counted {
  const { client, calls } = countingClient(table.db.endpoint);
  return {
    store: new DynamoRequestStore({ client, tableName: table.db.tableName, ...options }),
    calls,
    destroy: () => client.destroy(),
  };
}

const rawItem = (pk: string, sk: string) => storedItem(table.db, pk, sk);

/** Which items an index holds for this request: `REQ` (its request item) and/or `IDEM`. */
async function indexedAs(indexName: string, keyAttribute: string, value: string, id: string) {
  const items = await table.indexItems(indexName, keyAttribute, value);
  return items
    .filter((i) => i.id?.S === id)
    .map((i) => (i.sk?.S === 'IDEM' ? 'IDEM' : 'REQ'))
    .sort();
}

let slack: Counted;
let worker: Counted;

beforeEach(() => {
  slack = countingStore({ deferEvents: true, deferRequestItem: true });
  worker = countingStore({ deferEvents: false, deferRequestItem: false });
});

afterEach(() => {
  slack.destroy();
  worker.destroy();
});

/** A request owing its card now, so it is due at once, as a new one is. */
function newRequest(reason: string): InvalidationRequest {
  return pendingRequest({ reason, outbox: [notice()] });
}

async function createDeferred(reason: string): Promise<{ request: InvalidationRequest; key: string }> {
  const request = newRequest(reason);
  const key = `command:${request.id}`;
  const result = await slack.store.create(request, createdEvent(request), key);
  expect(result).toEqual({ created: true, request });
  return { request, key };
}

describe('a creation left to the next reader', () => {
  it('is one PutItem, of the idempotency item, which the indexes list as the request', async () => {
    const { request, key } = await createDeferred('one write');
    expect(slack.calls).toEqual(['PutItem']);

    expect(await rawItem(`REQ#${request.id}`, 'META')).toBeUndefined();
    const idem = await rawItem(`IDEM#${key}`, 'IDEM');
    expect(idem?.request?.M?.status?.S).toBe('PENDING');
    expect(await indexedAs(ACTIVE_INDEX, 'activePk', 'ACTIVE', request.id)).toEqual(['IDEM']);
    expect(await indexedAs(BY_REQUESTER_INDEX, 'requesterId', request.requesterId, request.id)).toEqual([
      'IDEM',
    ]);
    expect(
      await indexedAs(BY_DISTRIBUTION_INDEX, 'distributionId', request.distributionId, request.id),
    ).toEqual(['IDEM']);
  });

  it('is missed by a read by id alone, and found, written once, by a read naming its key', async () => {
    const { request, key } = await createDeferred('kicked');
    expect(await worker.store.get(request.id)).toBeUndefined();

    worker.calls.length = 0;
    expect(await worker.store.get(request.id, key)).toEqual(request);
    // The miss, the idempotency item; the request item, then the idempotency item without its
    // index keys, and no read back.
    expect(worker.calls).toEqual(['GetItem', 'GetItem', 'PutItem', 'PutItem']);
    expect((await rawItem(`REQ#${request.id}`, 'META'))?.status?.S).toBe('PENDING');
    const settled = await rawItem(`IDEM#${key}`, 'IDEM');
    expect(settled?.requestId?.S).toBe(request.id);
    for (const attribute of INDEX_KEYS) expect(settled?.[attribute]).toBeUndefined();
    expect(await indexedAs(ACTIVE_INDEX, 'activePk', 'ACTIVE', request.id)).toEqual(['REQ']);
    expect(await indexedAs(BY_REQUESTER_INDEX, 'requesterId', request.requesterId, request.id)).toEqual([
      'REQ',
    ]);

    // Settled: a second kick reads, and writes nothing.
    worker.calls.length = 0;
    expect(await worker.store.get(request.id, key)).toEqual(request);
    expect(worker.calls).toEqual(['GetItem']);
    // The creation event is in the request item, marked for the next writer.
    expect(await worker.store.listEvents(request.id)).toEqual([createdEvent(request)]);
  });

  it('a key that recorded another request finds nothing and writes nothing', async () => {
    const { key } = await createDeferred('someone else');
    const stranger = pendingRequest();
    worker.calls.length = 0;
    expect(await worker.store.get(stranger.id, key)).toBeUndefined();
    expect(worker.calls).toEqual(['GetItem', 'GetItem']);
    expect(await worker.store.get(stranger.id, 'command:never-used')).toBeUndefined();
  });

  it("the due list writes it, lists it once, and the next list finds the request item's own entry", async () => {
    const { request, key } = await createDeferred('scheduled');
    const due = await worker.store.listDue(new Date(at(MINUTE)));
    expect(due.filter((r) => r.id === request.id)).toEqual([request]);
    expect((await rawItem(`REQ#${request.id}`, 'META'))?.id?.S).toBe(request.id);
    expect((await rawItem(`IDEM#${key}`, 'IDEM'))?.activePk).toBeUndefined();

    worker.calls.length = 0;
    const again = await worker.store.listDue(new Date(at(MINUTE)));
    expect(again.filter((r) => r.id === request.id)).toEqual([request]);
    expect(worker.calls).toEqual(['Query']);
  });

  it('the history lists write it too, so the requester sees it before any kick arrives', async () => {
    const { request } = await createDeferred('listed');
    const mine = await slack.store.listByRequester(request.requesterId, 100);
    expect(mine.filter((r) => r.id === request.id)).toEqual([request]);
    expect(await slack.store.get(request.id)).toEqual(request);
  });

  it('a reader that stopped between its two writes: listed once, and the next reader finishes', async () => {
    const { request, key } = await createDeferred('settler died');
    await withInterceptedStore(
      table.db,
      async (call) => {
        if (skOf(call) === 'IDEM') throw new Error('process died');
      },
      (dying) => expect(dying.get(request.id, key)).rejects.toThrow('process died'),
    );
    // Both items are indexed now; a list shows the request once.
    expect(await indexedAs(ACTIVE_INDEX, 'activePk', 'ACTIVE', request.id)).toEqual(['IDEM', 'REQ']);
    const due = await worker.store.listDue(new Date(at(MINUTE)));
    expect(due.filter((r) => r.id === request.id)).toEqual([request]);
    expect(await indexedAs(ACTIVE_INDEX, 'activePk', 'ACTIVE', request.id)).toEqual(['REQ']);
  });

  it('a late reader of the idempotency item never writes over a request that moved on', async () => {
    const { request, key } = await createDeferred('moved on');
    const stale = await rawItem(`IDEM#${key}`, 'IDEM');
    if (stale === undefined) throw new Error('no idempotency item');
    const first = await worker.store.get(request.id, key);
    if (first === undefined) throw new Error('not settled');
    const moved = await worker.store.update(
      request.id,
      patchWith({ status: 'CANCELLED', outbox: [] }, at(2 * MINUTE), ['cancelled']),
      first,
    );
    expect(moved.kind).toBe('written');
    // A due list read before the first settle finished comes back with the old item.
    await table.db.client.send(new PutItemCommand({ TableName: table.db.tableName, Item: stale }));

    // Listed as it stands (a stale index entry, as index lag gives), never as the old item said.
    const due = await worker.store.listDue(new Date(at(MINUTE)));
    expect(due.filter((r) => r.id === request.id).map((r) => r.status)).toEqual(['CANCELLED']);
    expect(await indexedAs(ACTIVE_INDEX, 'activePk', 'ACTIVE', request.id)).toEqual([]);
    const stored = await worker.store.get(request.id);
    expect(stored?.status).toBe('CANCELLED');
    expect(stored?.version).toBe(request.version + 1);
    expect((await worker.store.listEvents(request.id)).map((e) => e.action)).toEqual([
      'created',
      'cancelled',
    ]);
  });

  it('a second delivery under the same key returns the first request, written', async () => {
    const { request, key } = await createDeferred('first');
    const retry = newRequest('retry');
    expect(await slack.store.create(retry, createdEvent(retry), key)).toEqual({ created: false, request });
    expect(await worker.store.get(request.id)).toEqual(request);
    expect(await worker.store.get(retry.id)).toBeUndefined();
  });

  it('racing deliveries under one key create one request', async () => {
    const racers = Array.from({ length: 6 }, (_, i) => newRequest(`racer ${i}`));
    const key = `command:race-${racers[0]?.id}`;
    const results = await Promise.all(racers.map((r) => slack.store.create(r, createdEvent(r), key)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const winner = results.find((r) => r.created)?.request;
    expect(new Set(results.map((r) => r.request.id))).toEqual(new Set([winner?.id]));
    const due = await worker.store.listDue(new Date(at(MINUTE)));
    expect(due.filter((r) => racers.some((racer) => racer.id === r.id)).map((r) => r.id)).toEqual([
      winner?.id,
    ]);
  });
});
