import { type DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Change } from '../../src/app/ports';
import type { InvalidationRequest } from '../../src/domain/request';
import { toItem } from '../../src/store/attribute-values';
import { DynamoRequestStore } from '../../src/store/dynamo-request-store';
import { InvalidChangeError, StoreConflictError, StoredItemError } from '../../src/store/errors';
import { eventItemActions } from '../support/stored-events';
import { useStoreTable } from '../support/use-table';
import { at, createdEvent, MINUTE, notice, patchWith, pendingRequest } from './fixtures';
import { countingClient, isEventItem, skOf, withInterceptedStore } from './intercept';

const table = useStoreTable();

/** Every field set, so a field the codec drops fails the round trip (and a new field fails to compile). */
function fullRequest(): Required<InvalidationRequest> {
  const base = pendingRequest();
  return {
    ...base,
    status: 'SUBMITTED',
    version: 7,
    reason: 'ünïcode réason, "quotes" and\nnewlines',
    paths: ['/a b', '/%E2%82%AC', '/*'],
    wildcardCount: 1,
    requiredApprovals: 2,
    approvals: [
      { userId: 'U01ALICE', at: at(MINUTE) },
      { userId: 'U01BOB', at: at(2 * MINUTE) },
    ],
    cardTs: '1700000000.000100',
    cardPermalink: 'https://example.slack.com/archives/C0APPROVALS/p1700000000000100',
    decidedBy: 'U01BOB',
    approvedAt: at(2 * MINUTE),
    invalidationId: 'I2J0I21PCUYOIK',
    submittedAt: at(3 * MINUTE),
    submitAttempts: 2,
    nextAttemptAt: at(4 * MINUTE),
    cloudFrontStatus: 'InProgress',
    lastCheckedAt: at(3 * MINUTE),
    completedAt: at(5 * MINUTE),
    lastError: 'Throttling: will retry',
    stillInProgressNotifiedAt: at(4 * MINUTE),
    remindAt: at(60 * MINUTE),
    remindedAt: at(61 * MINUTE),
    breakGlass: true,
    endedAt: at(6 * MINUTE),
    roleArn: 'arn:aws:iam::123456789012:role/cf-invalidator',
    tenantId: 'dt_shopA1',
    batches: [
      {
        number: 1,
        invalidationId: 'I2J0I21PCUYOIK',
        status: 'Completed',
        submittedAt: at(3 * MINUTE),
        completedAt: at(4 * MINUTE),
      },
      { number: 2, invalidationId: 'I2J0I21PCUYOIL', status: 'InProgress', submittedAt: at(4 * MINUTE) },
    ],
    normalised: { duplicatesMerged: 2, queryStringsDropped: 3, fragmentsDropped: 0, encoded: 1 },
    dryRun: true,
    outbox: [
      notice({
        id: 'submitted@6',
        kind: 'submitted',
        actorId: 'U01BOB',
        detail: 'I2J0I21PCUYOIK',
        attempts: 3,
        notBefore: at(5 * MINUTE),
        claimedUntil: at(6 * MINUTE),
      }),
    ],
  };
}

describe('create and get', () => {
  it('round-trips a request with every optional field', async () => {
    const request = fullRequest();
    const result = await table.store.create(request, createdEvent(request), `key-${request.id}`);
    expect(result).toEqual({ created: true, request });
    expect(await table.store.get(request.id)).toEqual(request);
  });

  it('round-trips a request with no optional field, without inventing any', async () => {
    const request = pendingRequest({ reason: '' });
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    const stored = await table.store.get(request.id);
    expect(stored).toEqual(request);
    expect(Object.keys(stored ?? {}).sort()).toEqual(Object.keys(request).sort());
  });

  it('returns undefined for an unknown id', async () => {
    expect(await table.store.get('01J0000000000000000000NONE')).toBeUndefined();
  });

  it('writes the creation audit event with the request', async () => {
    const request = pendingRequest();
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    expect(await table.store.listEvents(request.id)).toEqual([createdEvent(request)]);
  });

  it('creates once per idempotency key and returns the existing request the second time', async () => {
    const first = pendingRequest({ reason: 'first' });
    const second = pendingRequest({ reason: 'second' });
    const key = `view-${first.id}`;

    expect(await table.store.create(first, createdEvent(first), key)).toEqual({
      created: true,
      request: first,
    });
    expect(await table.store.create(second, createdEvent(second), key)).toEqual({
      created: false,
      request: first,
    });
    expect(await table.store.get(second.id)).toBeUndefined();
    expect(await table.store.listEvents(first.id)).toHaveLength(1);
  });

  it('creates exactly one request when creates with the same key race', async () => {
    const requests = Array.from({ length: 6 }, (_, i) => pendingRequest({ reason: `racer ${i}` }));
    const key = `race-${requests[0]?.id}`;
    const results = await Promise.all(requests.map((r) => table.store.create(r, createdEvent(r), key)));

    const created = results.filter((r) => r.created);
    expect(created).toHaveLength(1);
    const winner = created[0]?.request;
    expect(results.map((r) => r.request.id)).toEqual(requests.map(() => winner?.id));
    const stored = await Promise.all(requests.map((r) => table.store.get(r.id)));
    expect(stored.filter((r) => r !== undefined)).toEqual([winner]);
  });

  it('finishes a creation whose creator stopped after claiming the key', async () => {
    const first = pendingRequest({ reason: 'crashed half-way' });
    const key = `crash-${first.id}`;
    await withInterceptedStore(
      table.db,
      async (call) => {
        if (skOf(call) === 'META') throw new Error('process died');
      },
      (crashingStore) =>
        expect(crashingStore.create(first, createdEvent(first), key)).rejects.toThrow('process died'),
    );
    expect(await table.store.get(first.id)).toBeUndefined();

    const retry = pendingRequest({ reason: 'the retry' });
    expect(await table.store.create(retry, createdEvent(retry), key)).toEqual({
      created: false,
      request: first,
    });
    expect(await table.store.get(first.id)).toEqual(first);
    expect(await table.store.listEvents(first.id)).toEqual([createdEvent(first)]);
  });

  it('names the request when a stored item is malformed', async () => {
    const request = pendingRequest();
    const { status: _dropped, ...broken } = request;
    await table.db.client.send(
      new PutItemCommand({
        TableName: table.db.tableName,
        Item: toItem({ ...broken, version: 'one', pk: `REQ#${request.id}`, sk: 'META' }),
      }),
    );
    const read = table.store.get(request.id);
    await expect(read).rejects.toThrow(StoredItemError);
    await expect(table.store.get(request.id)).rejects.toThrow(
      new RegExp(`${request.id}.*(status|version)`, 's'),
    );
  });
});

describe('update', () => {
  async function created(overrides: Partial<InvalidationRequest> = {}): Promise<InvalidationRequest> {
    const request = pendingRequest(overrides);
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    return request;
  }

  it('writes the next state and its audit events', async () => {
    const request = await created();
    const result = await table.store.update(
      request.id,
      patchWith({ status: 'APPROVED', approvedAt: at(MINUTE) }, at(MINUTE), ['approve', 'approved']),
    );

    expect(result).toMatchObject({ kind: 'written', result: 1, request: { version: 2, status: 'APPROVED' } });
    expect(await table.store.get(request.id)).toMatchObject({
      version: 2,
      status: 'APPROVED',
      approvedAt: at(MINUTE),
    });
    const events = await table.store.listEvents(request.id);
    expect(events.map((e) => [e.action, e.fromStatus, e.toStatus])).toEqual([
      ['created', undefined, undefined],
      ['approve', 'PENDING', 'APPROVED'],
      ['approved', 'PENDING', 'APPROVED'],
    ]);
  });

  it('returns stopped with the current request and writes nothing', async () => {
    const request = await created();
    const result = await table.store.update(request.id, () => ({ kind: 'stop', result: 'not allowed' }));
    expect(result).toEqual({ kind: 'stopped', request, result: 'not allowed' });
    expect(await table.store.get(request.id)).toEqual(request);
    expect(await table.store.listEvents(request.id)).toHaveLength(1);
  });

  it('reports a missing request without calling decide', async () => {
    let calls = 0;
    const result = await table.store.update('01J0000000000000000000NONE', () => {
      calls++;
      return { kind: 'stop', result: null };
    });
    expect(result).toEqual({ kind: 'missing' });
    expect(calls).toBe(0);
  });

  it('re-runs a decide that lost to another writer, on the winner’s state', async () => {
    const request = await created({ requiredApprovals: 2 });
    let interfered = false;
    const seen: number[] = [];
    await withInterceptedStore(
      table.db,
      async (call) => {
        if (interfered || skOf(call) !== 'META') return;
        interfered = true;
        // Another writer gets in between our read and our write.
        await table.store.update(
          request.id,
          patchWith({ reason: 'changed by the other writer' }, at(MINUTE)),
        );
      },
      async (racingStore) => {
        const result = await racingStore.update(request.id, (current) => {
          seen.push(current.version);
          return patchWith({ cardTs: '1.2' }, at(2 * MINUTE))(current);
        });
        expect(result).toMatchObject({ kind: 'written', request: { version: 3 } });
      },
    );
    expect(seen).toEqual([1, 2]);
    expect(await table.store.get(request.id)).toMatchObject({
      version: 3,
      reason: 'changed by the other writer',
      cardTs: '1.2',
    });
    expect(await table.store.listEvents(request.id)).toHaveLength(3);
  });

  it('gives up with StoreConflictError when it loses every time', async () => {
    const request = await created();
    let calls = 0;
    await withInterceptedStore(
      table.db,
      async (call) => {
        if (skOf(call) === 'META') await table.store.update(request.id, patchWith({}, at(MINUTE)));
      },
      async (racingStore) => {
        const attempt = racingStore.update(request.id, (current) => {
          calls++;
          return patchWith({ cardTs: 'never' }, at(2 * MINUTE))(current);
        });
        await expect(attempt).rejects.toThrow(StoreConflictError);
      },
      { maxAttempts: 3 },
    );
    expect(calls).toBe(3);
    expect((await table.store.get(request.id))?.cardTs).toBeUndefined();
  });

  it.each([
    ['skips a version', (c: InvalidationRequest) => ({ ...c, version: c.version + 2 })],
    ['keeps the version', (c: InvalidationRequest) => c],
    ['changes the id', (c: InvalidationRequest) => ({ ...c, id: 'other', version: c.version + 1 })],
  ])('refuses a change that %s', async (_name, makeNext) => {
    const request = await created();
    const decide = (current: InvalidationRequest): Change<null> => ({
      kind: 'write',
      next: makeNext(current),
      events: [],
      result: null,
    });
    await expect(table.store.update(request.id, decide)).rejects.toThrow(InvalidChangeError);
    expect(await table.store.get(request.id)).toEqual(request);
  });

  it('keeps audit events whose items were never written, and writes them on the next change', async () => {
    const request = await created();
    const result = await withInterceptedStore(
      table.db,
      async (call) => {
        if (isEventItem(call)) throw new Error('process died');
      },
      (failingStore) => failingStore.update(request.id, patchWith({}, at(MINUTE), ['lost?'])),
    );
    expect(result.kind).toBe('written');
    expect(await eventItemActions(table.db, request.id)).toEqual(['created']);
    expect((await table.store.listEvents(request.id)).map((e) => e.action)).toEqual(['created', 'lost?']);

    await table.store.update(request.id, patchWith({}, at(2 * MINUTE), ['next']));
    expect(await eventItemActions(table.db, request.id)).toEqual(['created', 'lost?', 'next']);
    expect((await table.store.listEvents(request.id)).map((e) => e.action)).toEqual([
      'created',
      'lost?',
      'next',
    ]);
  });
});

describe('update from a request the caller holds', () => {
  /** A store whose client records the DynamoDB operations it sends, fresh for each test. */
  let counting: { store: DynamoRequestStore; calls: string[] };
  let client: DynamoDBClient;

  beforeEach(() => {
    const counted = countingClient(table.db.endpoint);
    client = counted.client;
    counting = {
      store: new DynamoRequestStore({ client, tableName: table.db.tableName }),
      calls: counted.calls,
    };
  });

  afterEach(() => {
    client.destroy();
  });

  async function createdBy(s: DynamoRequestStore): Promise<InvalidationRequest> {
    const request = pendingRequest();
    const result = await s.create(request, createdEvent(request), `key-${request.id}`);
    return result.request;
  }

  it('writes without reading when the request came from this store, events in one batch', async () => {
    const request = await createdBy(counting.store);
    counting.calls.length = 0;
    const first = await counting.store.update(
      request.id,
      patchWith({ cardTs: '1.1' }, at(MINUTE), ['a', 'b']),
      request,
    );
    expect(first.kind).toBe('written');
    if (first.kind !== 'written') return;
    const second = await counting.store.update(request.id, patchWith({}, at(2 * MINUTE), []), first.request);
    expect(second).toMatchObject({ kind: 'written', request: { version: 3, cardTs: '1.1' } });
    expect(counting.calls).toEqual(['PutItem', 'BatchWriteItem', 'PutItem']);
  });

  it('re-reads and decides again when the held request is out of date', async () => {
    const request = await createdBy(counting.store);
    await table.store.update(request.id, patchWith({ reason: 'changed elsewhere' }, at(MINUTE)));
    const seen: number[] = [];
    const result = await counting.store.update(
      request.id,
      (current) => {
        seen.push(current.version);
        return patchWith({ cardTs: '2.2' }, at(2 * MINUTE))(current);
      },
      request,
    );
    expect(seen).toEqual([1, 2]);
    expect(result).toMatchObject({ kind: 'written', request: { version: 3 } });
    expect(await table.store.get(request.id)).toMatchObject({ reason: 'changed elsewhere', cardTs: '2.2' });
  });

  it('reads first when the request did not come from this store', async () => {
    const request = await createdBy(table.store);
    counting.calls.length = 0;
    const copy = { ...request };
    const result = await counting.store.update(request.id, patchWith({}, at(MINUTE), []), copy);
    expect(result.kind).toBe('written');
    expect(counting.calls).toEqual(['GetItem', 'PutItem', 'BatchWriteItem']);
  });

  it('returns a stop decided on the held request without any call', async () => {
    const request = await createdBy(counting.store);
    counting.calls.length = 0;
    const result = await counting.store.update(request.id, () => ({ kind: 'stop', result: 'no' }), request);
    expect(result).toEqual({ kind: 'stopped', request, result: 'no' });
    expect(counting.calls).toEqual([]);
  });

  it('writes the events a held request still owes on the next update from it', async () => {
    const request = await createdBy(table.store);
    let eventWritesFail = true;
    await withInterceptedStore(
      table.db,
      async (call) => {
        if (eventWritesFail && isEventItem(call)) throw new Error('throttled');
      },
      async (flakyStore) => {
        const fresh = await flakyStore.get(request.id);
        if (!fresh) throw new Error('request vanished');
        const written = await flakyStore.update(request.id, patchWith({}, at(MINUTE), ['owed']), fresh);
        if (written.kind !== 'written') throw new Error('not written');
        eventWritesFail = false;
        // The next update from the held request settles the debt, though the item no longer lists it.
        await flakyStore.update(request.id, patchWith({}, at(2 * MINUTE), ['next']), written.request);
      },
    );
    expect(await eventItemActions(table.db, request.id)).toEqual(['created', 'owed', 'next']);
  });
});

describe('concurrent approvals', () => {
  type Outcome = 'counted' | 'threshold reached' | 'already counted' | 'not pending';

  function approve(userId: string, when: string) {
    return (current: InvalidationRequest): Change<Outcome> => {
      if (current.status !== 'PENDING') return { kind: 'stop', result: 'not pending' };
      if (current.approvals.some((a) => a.userId === userId))
        return { kind: 'stop', result: 'already counted' };
      const approvals = [...current.approvals, { userId, at: when }];
      const reached = approvals.length >= current.requiredApprovals;
      const next: InvalidationRequest = {
        ...current,
        version: current.version + 1,
        updatedAt: when,
        approvals,
        ...(reached ? { status: 'APPROVED', approvedAt: when } : {}),
      };
      return {
        kind: 'write',
        next,
        events: [
          { requestId: current.id, at: when, actor: userId, action: 'approve' },
          ...(reached
            ? [
                {
                  requestId: current.id,
                  at: when,
                  actor: userId,
                  action: 'approved',
                  fromStatus: 'PENDING' as const,
                  toStatus: 'APPROVED' as const,
                },
              ]
            : []),
        ],
        result: reached ? 'threshold reached' : 'counted',
      };
    };
  }

  it('counts each approver once and crosses the threshold exactly once', async () => {
    const request = pendingRequest({ requiredApprovals: 3 });
    await table.store.create(request, createdEvent(request), `key-${request.id}`);
    const users = ['U01A', 'U01B', 'U01C', 'U01D', 'U01E'];
    const clicks = Array.from({ length: 20 }, (_, i) => users[i % users.length] ?? 'U01A');

    const results = await Promise.all(
      clicks.map((user, i) => table.store.update(request.id, approve(user, at(i)))),
    );

    const written = results.filter((r) => r.kind === 'written');
    expect(written).toHaveLength(3);
    expect(written.filter((r) => r.result === 'threshold reached')).toHaveLength(1);

    const final = await table.store.get(request.id);
    const approvers = final?.approvals.map((a) => a.userId) ?? [];
    expect(final?.status).toBe('APPROVED');
    expect(final?.version).toBe(4);
    expect(new Set(approvers).size).toBe(approvers.length);
    expect(approvers).toHaveLength(3);

    const events = await table.store.listEvents(request.id);
    expect(events.filter((e) => e.toStatus === 'APPROVED')).toHaveLength(1);
    expect(
      events
        .filter((e) => e.action === 'approve')
        .map((e) => e.actor)
        .sort(),
    ).toEqual([...approvers].sort());
  });
});
