import { QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoRequestStore } from '../../src/store/dynamo-request-store';
import {
  chunkItems,
  INLINE_ITEMS_MAX_BYTES,
  ITEMS_CHUNK_MAX_BYTES,
  keepsItemsInline,
} from '../../src/store/item-list';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { prng } from '../support/prng';
import { at, createdEvent, MINUTE, patchWith, pendingRequest } from './fixtures';

/** DynamoDB's limit is on the item's attribute names and values, in bytes; this overstates it a little. */
const MAX_ITEM_BYTES = 400 * 1024;

let db: LocalDynamo;

beforeAll(async () => {
  db = await startDynalite();
});

afterAll(async () => {
  await db?.stop();
});

async function storedItems(requestId: string) {
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': { S: `REQ#${requestId}` } },
      ConsistentRead: true,
    }),
  );
  return Items;
}

function itemBytes(item: object): number {
  return Buffer.byteLength(JSON.stringify(item), 'utf8');
}

const longPaths = (n: number) =>
  Array.from({ length: n }, (_, i) => `/assets/build-2026/${i}/${'x'.repeat(40)}.js`);

describe('chunkItems', () => {
  it('property: chunks keep the order, and each fits its byte budget', () => {
    const next = prng(5);
    for (let run = 0; run < 30; run++) {
      const items = Array.from(
        { length: Math.floor(next() * 20_000) },
        (_, i) => `/${i}${'a'.repeat(Math.floor(next() * 3999))}`,
      );
      const chunks = chunkItems(items);
      expect(chunks.flat()).toEqual(items);
      for (const chunk of chunks) {
        expect(chunk.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(chunk.join('\n'))).toBeLessThanOrEqual(ITEMS_CHUNK_MAX_BYTES);
      }
    }
  });

  it('keeps short lists inline and moves long ones out', () => {
    expect(keepsItemsInline(['/a', '/b'])).toBe(true);
    expect(keepsItemsInline([`/${'a'.repeat(INLINE_ITEMS_MAX_BYTES)}`])).toBe(false);
  });
});

describe('a request with a long item list', () => {
  it('stores 100,000 items in items of their own, none near 400 KB, and reads them back in order', async () => {
    const store = new DynamoRequestStore({ client: db.client, tableName: db.tableName });
    const paths = longPaths(100_000);
    const request = pendingRequest({ paths, wildcardCount: 0 });
    await store.create(request, createdEvent(request), `key-${request.id}`);

    const items = await storedItems(request.id);
    const meta = items.find((i) => i.sk?.S === 'META');
    expect(meta?.paths).toBeUndefined();
    expect(meta?.status?.S).toBe('PENDING');
    const parts = items.filter((i) => i.sk?.S?.startsWith('PATHS#'));
    expect(parts.length).toBeGreaterThan(1);
    for (const item of items) expect(itemBytes(item)).toBeLessThan(MAX_ITEM_BYTES);

    // A fresh store (another Lambda) reads the list from its items.
    const other = new DynamoRequestStore({ client: db.client, tableName: db.tableName });
    expect((await other.get(request.id))?.paths).toEqual(paths);
  });

  it('keeps the list out of the request item on every later write, and out of the audit trail read', async () => {
    const store = new DynamoRequestStore({ client: db.client, tableName: db.tableName });
    const paths = longPaths(5_000);
    const request = pendingRequest({ paths, wildcardCount: 0 });
    await store.create(request, createdEvent(request), `key-${request.id}`);
    await store.update(request.id, patchWith({ status: 'APPROVED' }, at(MINUTE), ['approved']));

    const meta = (await storedItems(request.id)).find((i) => i.sk?.S === 'META');
    expect(meta?.paths).toBeUndefined();
    expect(meta?.status?.S).toBe('APPROVED');
    const fresh = new DynamoRequestStore({ client: db.client, tableName: db.tableName });
    expect((await fresh.get(request.id))?.paths).toEqual(paths);
    expect(
      (await fresh.listDue(new Date(Date.parse(at(10 * MINUTE))))).find((r) => r.id === request.id)?.paths,
    ).toEqual(paths);
    expect((await fresh.listEvents(request.id)).map((e) => e.action)).toEqual(['created', 'approved']);
  });

  it('a short list stays in the request item, with no list items', async () => {
    const store = new DynamoRequestStore({ client: db.client, tableName: db.tableName });
    const request = pendingRequest();
    await store.create(request, createdEvent(request), `key-${request.id}`);
    const items = await storedItems(request.id);
    expect(items.filter((i) => i.sk?.S?.startsWith('PATHS#'))).toHaveLength(0);
    expect(items.find((i) => i.sk?.S === 'META')?.paths?.L).toHaveLength(2);
  });
});
