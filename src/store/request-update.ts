import type { Change, UpdateResult } from '../app/ports';
import type { AuditEvent, InvalidationRequest } from '../domain/request';
import { InvalidChangeError, StoreConflictError } from './errors';
import { distinctBySk, type KeyedEvent, keyEvents } from './event-codec';
import { requestItem, type StoredRequest } from './request-codec';
import { isConditionFailure, MAX_DEFERRED_EVENTS, type RequestTable } from './request-table';

/**
 * The update protocol: read, decide, one conditional PutItem on version and
 * status. No transaction (dynalite has none): the request item holds the
 * audit events of the write that produced it (`lastEvents`); the event items
 * are written right after (one BatchWriteItem), and again by the next writer,
 * and listEvents reads both, so a writer that stops between the two writes
 * loses no audit event.
 *
 * A deferring writer (the slack function, whose kicked worker writes next) makes the PutItem
 * only: its item keeps its events together with those still unstored from before, marked
 * `eventsDeferred`. A writer that finds that mark stores those events first, so none is
 * ever only in an item it replaces.
 */
export async function updateRequest<R>(
  table: RequestTable,
  options: { maxAttempts: number; deferEvents: boolean },
  id: string,
  decide: (current: InvalidationRequest) => Change<R>,
  known?: InvalidationRequest,
): Promise<UpdateResult<R>> {
  const knownEvents = known === undefined ? undefined : table.unsettledOf(known);
  // Only a request this store handed out is trusted without a read: its events are known.
  let stored: StoredRequest | undefined =
    known !== undefined && knownEvents !== undefined && known.id === id
      ? { request: known, lastEvents: [...knownEvents.events], eventsDeferred: knownEvents.deferred }
      : undefined;
  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    stored ??= await table.read(id);
    if (stored === undefined) return { kind: 'missing' };
    const current = stored.request;
    const change = decide(current);
    if (change.kind === 'stop') return { kind: 'stopped', request: current, result: change.result };
    checkChange(current, change.next, change.events);
    const events = keyEvents(change.events, change.next.version);
    const carried = deferredEvents(stored, events, options.deferEvents);
    // Stored before the put that drops them from the item; what fails stays in the item.
    const unstored =
      stored.eventsDeferred && carried === undefined
        ? await table.putEventsOrLeaveThem(stored.lastEvents)
        : [];
    const inItem = carried ?? [...unstored, ...events];
    try {
      await table.put(requestItem(change.next, inItem, carried !== undefined || unstored.length > 0), {
        ConditionExpression: '#version = :version AND #status = :status',
        ExpressionAttributeNames: { '#version': 'version', '#status': 'status' },
        ExpressionAttributeValues: {
          ':version': { N: String(current.version) },
          ':status': { S: current.status },
        },
      });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Someone else wrote first (or `known` was stale): decide again on a fresh read.
      stored = undefined;
      if (attempt > 1 || known === undefined) await pause(attempt);
      continue;
    }
    if (carried !== undefined) {
      return { kind: 'written', request: table.handOut(change.next, carried, true), result: change.result };
    }
    // The previous write's events too: its writer may have stopped before writing them.
    const previous = stored.eventsDeferred ? unstored : stored.lastEvents;
    const unwritten = await table.putEventsOrLeaveThem([...previous, ...events]);
    // Whatever did not make it is retried by the next update that starts from this request.
    return {
      kind: 'written',
      request: table.handOut(change.next, unwritten, unstored.length > 0),
      result: change.result,
    };
  }
  throw new StoreConflictError(id, options.maxAttempts);
}

/**
 * The events a deferring writer leaves in the item: its own and all the item still holds, or
 * undefined to write them now, as when they would no longer fit one BatchWriteItem.
 */
function deferredEvents(
  stored: StoredRequest,
  events: readonly KeyedEvent[],
  deferEvents: boolean,
): KeyedEvent[] | undefined {
  if (!deferEvents) return undefined;
  const all = distinctBySk([...stored.lastEvents, ...events]);
  return all.length <= MAX_DEFERRED_EVENTS ? all : undefined;
}

/** The store's half of the conditional-write contract: one version step, same request. */
function checkChange(
  current: InvalidationRequest,
  next: InvalidationRequest,
  events: readonly AuditEvent[],
): void {
  if (next.id !== current.id)
    throw new InvalidChangeError(`decide returned request ${next.id} for ${current.id}`);
  if (next.version !== current.version + 1) {
    throw new InvalidChangeError(
      `request ${current.id}: next version must be ${current.version + 1}, got ${next.version}`,
    );
  }
  const stray = events.find((e) => e.requestId !== current.id);
  if (stray !== undefined) {
    throw new InvalidChangeError(`request ${current.id}: audit event for ${stray.requestId} in its change`);
  }
}

/** Jittered, growing pause between attempts, so racing writers spread out. */
function pause(attempt: number): Promise<void> {
  const ceilingMs = Math.min(200, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
}
