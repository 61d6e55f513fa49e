import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { DynamoRequestStore } from '../../src/store/dynamo-request-store';
import { MAX_DEFERRED_EVENTS } from '../../src/store/request-table';
import { eventItemActions as storedEventActions, storedItem } from '../support/stored-events';
import { useStoreTable } from '../support/use-table';
import { at, createdEvent, MINUTE, patchWith, pendingRequest } from './fixtures';
import { countingClient, isEventItem, skOf, withInterceptedStore } from './intercept';

/**
 * `deferEvents` (the slack function's store): each write is one PutItem whose item keeps the
 * audit events, marked, and the next writer stores them as event items before it replaces the
 * item. At no moment may an event be in neither place.
 */

const table = useStoreTable();

interface Counted {
  store: DynamoRequestStore;
  calls: string[];
  client: DynamoDBClient;
}

function countingStore(deferEvents: boolean): Counted {
  const { client, calls } = countingClient(table.db.endpoint);
  return {
    store: new DynamoRequestStore({ client, tableName: table.db.tableName, deferEvents }),
    calls,
    client,
  };
}

const eventItemActions = (requestId: string) => storedEventActions(table.db, requestId);

/** The request item's embedded events and its mark, read straight from the table. */
async function itemEvents(requestId: string): Promise<{ actions: string[]; deferred: boolean }> {
  const Item = await storedItem(table.db, `REQ#${requestId}`, 'META');
  return {
    actions: (Item?.lastEvents?.L ?? []).map((e) => e.M?.action?.S ?? '?'),
    deferred: Item?.eventsDeferred?.BOOL === true,
  };
}

const actionsOf = async (id: string) => (await table.store.listEvents(id)).map((e) => e.action);

let slack: Counted;
let worker: Counted;

beforeEach(() => {
  slack = countingStore(true);
  worker = countingStore(false);
});

afterEach(() => {
  slack.client.destroy();
  worker.client.destroy();
});

async function createdBySlack(): Promise<InvalidationRequest> {
  const request = pendingRequest();
  return (await slack.store.create(request, createdEvent(request), `key-${request.id}`)).request;
}

describe('a deferring writer', () => {
  it('creates with the two PutItems and no BatchWriteItem, the event listed from the item', async () => {
    const request = await createdBySlack();
    expect(slack.calls).toEqual(['PutItem', 'PutItem']);
    expect(await eventItemActions(request.id)).toEqual([]);
    expect(await itemEvents(request.id)).toEqual({ actions: ['created'], deferred: true });
    expect(await actionsOf(request.id)).toEqual(['created']);
  });

  it('updates with one PutItem, carrying the events still unstored from before', async () => {
    const created = await createdBySlack();
    slack.calls.length = 0;
    const first = await slack.store.update(created.id, patchWith({}, at(MINUTE), ['approve']), created);
    if (first.kind !== 'written') throw new Error('not written');
    // A fresh read this time: the mark comes from the item, not from what the store handed out.
    await slack.store.update(created.id, patchWith({}, at(2 * MINUTE), ['approve again']));
    expect(slack.calls).toEqual(['PutItem', 'GetItem', 'PutItem']);
    expect(await eventItemActions(created.id)).toEqual([]);
    expect(await itemEvents(created.id)).toEqual({
      actions: ['created', 'approve', 'approve again'],
      deferred: true,
    });
    expect(await actionsOf(created.id)).toEqual(['created', 'approve', 'approve again']);
  });

  it('stores them itself once they would no longer fit one BatchWriteItem', async () => {
    const created = await createdBySlack();
    let held = created;
    for (let i = 1; i <= MAX_DEFERRED_EVENTS + 5; i++) {
      const result = await slack.store.update(created.id, patchWith({}, at(i * MINUTE), [`e${i}`]), held);
      if (result.kind !== 'written') throw new Error('not written');
      held = result.request;
      expect((await itemEvents(created.id)).actions.length).toBeLessThanOrEqual(MAX_DEFERRED_EVENTS);
    }
    const all = ['created', ...Array.from({ length: MAX_DEFERRED_EVENTS + 5 }, (_, i) => `e${i + 1}`)];
    expect(await actionsOf(created.id)).toEqual(all);
    // The write that overflowed stored everything carried so far.
    expect((await eventItemActions(created.id)).length).toBeGreaterThanOrEqual(MAX_DEFERRED_EVENTS);
  });

  it('a retried creation (Slack retry) returns the first one, its event still listed once', async () => {
    const request = pendingRequest();
    await slack.store.create(request, createdEvent(request), `key-${request.id}`);
    const retry = pendingRequest();
    const again = await slack.store.create(retry, createdEvent(retry), `key-${request.id}`);
    expect(again).toMatchObject({ created: false, request: { id: request.id } });
    expect(await actionsOf(request.id)).toEqual(['created']);
  });
});

describe('the writer after a deferring one', () => {
  it('stores the carried events before its PutItem, then its own after', async () => {
    const created = await createdBySlack();
    await slack.store.update(created.id, patchWith({}, at(MINUTE), ['approve']));
    await worker.store.update(created.id, patchWith({ cardTs: '1.1' }, at(2 * MINUTE), ['card posted']));

    expect(worker.calls).toEqual(['GetItem', 'BatchWriteItem', 'PutItem', 'BatchWriteItem']);
    expect(await eventItemActions(created.id)).toEqual(['created', 'approve', 'card posted']);
    expect(await itemEvents(created.id)).toEqual({ actions: ['card posted'], deferred: false });
    expect(await actionsOf(created.id)).toEqual(['created', 'approve', 'card posted']);
  });

  it('when storing them fails, keeps them in its own item, still marked, for the writer after it', async () => {
    const created = await createdBySlack();
    const result = await withInterceptedStore(
      table.db,
      async (call) => {
        if (isEventItem(call)) throw new Error('throttled');
      },
      (failingWorker) => failingWorker.update(created.id, patchWith({}, at(MINUTE), ['worker step'])),
    );
    expect(result.kind).toBe('written');
    expect(await eventItemActions(created.id)).toEqual([]);
    expect(await itemEvents(created.id)).toEqual({ actions: ['created', 'worker step'], deferred: true });
    expect(await actionsOf(created.id)).toEqual(['created', 'worker step']);

    await worker.store.update(created.id, patchWith({}, at(2 * MINUTE), ['next']));
    expect(await eventItemActions(created.id)).toEqual(['created', 'worker step', 'next']);
    expect(await itemEvents(created.id)).toEqual({ actions: ['next'], deferred: false });
  });

  it('that dies between storing them and its PutItem leaves the item as it was', async () => {
    const created = await createdBySlack();
    await withInterceptedStore(
      table.db,
      async (call) => {
        if (skOf(call) === 'META') throw new Error('process died');
      },
      (dyingWorker) =>
        expect(dyingWorker.update(created.id, patchWith({}, at(MINUTE), ['never']))).rejects.toThrow(
          'process died',
        ),
    );
    expect(await eventItemActions(created.id)).toEqual(['created']);
    expect(await itemEvents(created.id)).toEqual({ actions: ['created'], deferred: true });
    expect(await actionsOf(created.id)).toEqual(['created']);
  });

  it('counts approvals from both kinds of writer racing, every event kept once', async () => {
    const created = await createdBySlack();
    const users = ['U01A', 'U01B', 'U01C', 'U01D', 'U01E', 'U01F'];
    await Promise.all(
      users.map((user, i) =>
        (i % 2 === 0 ? slack : worker).store.update(created.id, (current) => ({
          kind: 'write',
          next: {
            ...current,
            version: current.version + 1,
            updatedAt: at(i),
            approvals: [...current.approvals, { userId: user, at: at(i) }],
          },
          events: [{ requestId: current.id, at: at(i), actor: user, action: 'approve' }],
          result: undefined,
        })),
      ),
    );
    const final = await table.store.get(created.id);
    expect(final?.approvals.map((a) => a.userId).sort()).toEqual(users);
    const events = await table.store.listEvents(created.id);
    expect(
      events
        .filter((e) => e.action === 'approve')
        .map((e) => e.actor)
        .sort(),
    ).toEqual(users);
    expect(events.filter((e) => e.action === 'created')).toHaveLength(1);
  });
});
