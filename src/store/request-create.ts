import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CreateResult } from '../app/ports';
import type { AuditEvent, InvalidationRequest } from '../domain/request';
import { fromItem, toItem } from './attribute-values';
import { InvalidChangeError, StoredItemError } from './errors';
import { decodeEmbeddedEvents, type KeyedEvent, keyEvents } from './event-codec';
import { keepsItemsInline } from './item-list';
import { hasDeferredEvents, requestItem } from './request-codec';
import { isConditionFailure, type RequestTable } from './request-table';
import { expiryAfter, IDEMPOTENCY_SK, INDEX_KEY_ATTRIBUTES, idempotencyPk, TTL_ATTRIBUTE } from './table';

/** How a creator writes (see DynamoRequestStoreOptions). */
export interface CreateMode {
  /** Leave the creation event in the request item, marked, for the next writer to store. */
  deferEvents: boolean;
  /** Write the idempotency item only, and leave the request item to the next reader. */
  deferRequestItem: boolean;
}

/**
 * The idempotent create protocol. No transaction (dynalite has none): the
 * idempotency item is written first (only one creator wins) and holds the
 * whole request item; the request item follows. A creator that finds the key
 * taken but no request yet writes the request from it. A deferring creator (the slack
 * function) leaves the creation event in the request item, marked `eventsDeferred`, for the
 * next writer to store (./request-update), and writes no request item at all: its
 * idempotency item carries the request item's index keys, so the poller's due list and the
 * history lists find it, and whoever reads it next (the kicked worker, given the key, or one
 * of those lists) writes the request item from it (`settleCreation`). Only a read by id alone
 * misses it until then (src/app/find-request.ts falls back to the requester's own list): the
 * kick reaches the worker in well under a second, the scheduled run within a minute.
 */
export async function createRequest(
  table: RequestTable,
  request: InvalidationRequest,
  event: AuditEvent,
  idempotencyKey: string,
  mode: CreateMode,
): Promise<CreateResult> {
  if (event.requestId !== request.id) {
    throw new InvalidChangeError(`creation event is for ${event.requestId}, not ${request.id}`);
  }
  const events = keyEvents([event], request.version);
  const meta = requestItem(request, events, mode.deferEvents);
  // The list first: a request item that says its list is elsewhere must find it there.
  if (!keepsItemsInline(request.paths)) {
    await table.itemLists.write(request.id, request.decideBy, request.paths);
  }
  try {
    await table.put(
      {
        ...toItem({
          pk: idempotencyPk(idempotencyKey),
          sk: IDEMPOTENCY_SK,
          requestId: request.id,
          [TTL_ATTRIBUTE]: expiryAfter(request.createdAt),
        }),
        request: { M: meta },
        ...(mode.deferRequestItem ? indexKeysOf(meta) : {}),
      },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { created: false, request: await finishCreate(table, idempotencyKey) };
  }
  if (mode.deferRequestItem) {
    return { created: true, request: table.handOut(request, events, mode.deferEvents) };
  }
  const stored = await writeRequestOnce(table, meta);
  return { created: true, request: table.handOut(request, stored.events, stored.deferred) };
}

/** Whether an item read from the table (a due list's, say) is an idempotency item. */
export function isIdempotencyItem(item: Record<string, AttributeValue>): boolean {
  return item.sk?.S === IDEMPOTENCY_SK;
}

/**
 * The request an idempotency item recorded, its request item written first if it has none
 * (a creation left to the next reader, or a creator that stopped half-way), and the item
 * taken off the indexes. Safe to run twice, and beside the request's own writers: the
 * request item is only ever written where there is none.
 */
export async function settleCreation(
  table: RequestTable,
  item: Record<string, AttributeValue>,
): Promise<InvalidationRequest> {
  const requestId = item.requestId?.S;
  const meta = item.request?.M;
  if (requestId === undefined || meta === undefined) {
    throw new StoredItemError(requestId ?? '?', `idempotency item ${item.pk?.S ?? '?'} is incomplete`);
  }
  // Left to the next reader, it most likely has no request item yet: write first, read if refused.
  const pending = INDEX_KEY_ATTRIBUTES.some((key) => item[key] !== undefined);
  const existing = pending ? undefined : await table.read(requestId);
  const request = existing?.request ?? (await writeOrRead(table, requestId, meta));
  if (pending) {
    const settled = { ...item };
    for (const key of INDEX_KEY_ATTRIBUTES) delete settled[key];
    // The request item is written: from now on it alone stands in the indexes.
    await table.put(settled, { ConditionExpression: 'attribute_exists(pk)' });
  }
  return request;
}

/**
 * Request `id`, created under `idempotencyKey` and settled; undefined if the key recorded no
 * creation, or another request's (a kick naming a key it has no business with changes nothing).
 */
export async function settleCreationOf(
  table: RequestTable,
  id: string,
  idempotencyKey: string,
): Promise<InvalidationRequest | undefined> {
  const item = await table.getItem(idempotencyPk(idempotencyKey), IDEMPOTENCY_SK);
  return item?.requestId?.S === id ? settleCreation(table, item) : undefined;
}

/** What puts a request item in the indexes (./table), lent to its idempotency item. */
function indexKeysOf(meta: Record<string, AttributeValue>): Record<string, AttributeValue> {
  const keys: Record<string, AttributeValue> = {};
  for (const key of INDEX_KEY_ATTRIBUTES) {
    const value = meta[key];
    if (value !== undefined) keys[key] = value;
  }
  return keys;
}

/** The key is taken: return its request, writing it first if its creator left it unwritten. */
async function finishCreate(table: RequestTable, idempotencyKey: string): Promise<InvalidationRequest> {
  const item = await table.getItem(idempotencyPk(idempotencyKey), IDEMPOTENCY_SK);
  if (item === undefined) {
    throw new StoredItemError('?', `idempotency item ${idempotencyKey} vanished after it was taken`);
  }
  return settleCreation(table, item);
}

/** The request item written from `meta`, or, where one was there already, that one as it stands. */
async function writeOrRead(
  table: RequestTable,
  requestId: string,
  meta: Record<string, AttributeValue>,
): Promise<InvalidationRequest> {
  const stored = await writeRequestOnce(table, meta);
  if (stored.written) {
    const { request } = await table.decode(meta);
    return table.handOut(request, stored.events, stored.deferred);
  }
  const current = await table.read(requestId);
  if (current === undefined) throw new StoredItemError(requestId, 'request item vanished after creation');
  return current.request;
}

/**
 * First write of a request item; a second creator finishing the same creation changes nothing.
 * Returns whether this call wrote it, the creation event if it is not stored as an event item
 * yet, and whether it was left for the next writer (the item says so).
 */
async function writeRequestOnce(
  table: RequestTable,
  meta: Record<string, AttributeValue>,
): Promise<{ written: boolean; events: KeyedEvent[]; deferred: boolean }> {
  const lastEvents = decodeEmbeddedEvents(meta.id?.S ?? '?', fromItem(meta).lastEvents);
  let written = true;
  try {
    await table.put(meta, { ConditionExpression: 'attribute_not_exists(pk)' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    written = false;
  }
  if (hasDeferredEvents(meta)) return { written, events: lastEvents, deferred: true };
  return { written, events: await table.putEventsOrLeaveThem(lastEvents), deferred: false };
}
