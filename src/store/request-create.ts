import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { CreateResult } from '../app/ports';
import type { AuditEvent, InvalidationRequest } from '../domain/request';
import { fromItem, toItem } from './attribute-values';
import { InvalidChangeError, StoredItemError } from './errors';
import { decodeEmbeddedEvents, type KeyedEvent, keyEvents } from './event-codec';
import { keepsItemsInline } from './item-list';
import { hasDeferredEvents, requestItem } from './request-codec';
import { isConditionFailure, type RequestTable } from './request-table';
import { expiryAfter, IDEMPOTENCY_SK, idempotencyPk, TTL_ATTRIBUTE } from './table';

/**
 * The idempotent create protocol. No transaction (dynalite has none): the
 * idempotency item is written first (only one creator wins) and holds the
 * whole request item; the request item follows. A creator that finds the key
 * taken but no request yet writes the request from it. A deferring creator (the slack
 * function) leaves the creation event in the request item, marked `eventsDeferred`, for the
 * next writer to store (./request-update).
 */
export async function createRequest(
  table: RequestTable,
  request: InvalidationRequest,
  event: AuditEvent,
  idempotencyKey: string,
  deferEvents: boolean,
): Promise<CreateResult> {
  if (event.requestId !== request.id) {
    throw new InvalidChangeError(`creation event is for ${event.requestId}, not ${request.id}`);
  }
  const meta = requestItem(request, keyEvents([event], request.version), deferEvents);
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
      },
      { ConditionExpression: 'attribute_not_exists(pk)' },
    );
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
    return { created: false, request: await finishCreate(table, idempotencyKey) };
  }
  const stored = await writeRequestOnce(table, meta);
  return { created: true, request: table.handOut(request, stored.events, stored.deferred) };
}

/** The key is taken: return its request, writing it first if its creator stopped half-way. */
async function finishCreate(table: RequestTable, idempotencyKey: string): Promise<InvalidationRequest> {
  const item = await table.getItem(idempotencyPk(idempotencyKey), IDEMPOTENCY_SK);
  const requestId = item?.requestId?.S;
  const meta = item?.request?.M;
  if (requestId === undefined || meta === undefined) {
    throw new StoredItemError(requestId ?? '?', `idempotency item ${idempotencyKey} is incomplete`);
  }
  const existing = await table.read(requestId);
  if (existing !== undefined) return existing.request;
  await writeRequestOnce(table, meta);
  const written = await table.read(requestId);
  if (written === undefined) throw new StoredItemError(requestId, 'request item vanished after creation');
  return written.request;
}

/**
 * First write of a request item; a second creator finishing the same creation changes nothing.
 * Returns the creation event if it is not stored as an event item yet, and whether it was left
 * for the next writer (the item says so).
 */
async function writeRequestOnce(
  table: RequestTable,
  meta: Record<string, AttributeValue>,
): Promise<{ events: KeyedEvent[]; deferred: boolean }> {
  const lastEvents = decodeEmbeddedEvents(meta.id?.S ?? '?', fromItem(meta).lastEvents);
  try {
    await table.put(meta, { ConditionExpression: 'attribute_not_exists(pk)' });
  } catch (error) {
    if (!isConditionFailure(error)) throw error;
  }
  if (hasDeferredEvents(meta)) return { events: lastEvents, deferred: true };
  return { events: await table.putEventsOrLeaveThem(lastEvents), deferred: false };
}
