import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { type AuditEvent, REQUEST_STATUSES } from '../domain/request';
import * as z from '../shared/zod';
import { fromItem, toItem } from './attribute-values';
import { StoredItemError } from './errors';
import { eventSk, expiryAfter, requestPk, TTL_ATTRIBUTE } from './table';

/** An audit event with the sort key it is (or will be) stored under. */
export interface KeyedEvent {
  sk: string;
  event: AuditEvent;
}

function eventObject() {
  return z.object({
    requestId: z.string().check(z.minLength(1)),
    at: z.string().check(z.minLength(1)),
    actor: z.string(),
    action: z.string(),
    fromStatus: z.optional(z.enum(REQUEST_STATUSES)),
    toStatus: z.optional(z.enum(REQUEST_STATUSES)),
    detail: z.optional(z.string()),
  }) satisfies z.ZodMiniType<AuditEvent>;
}

type AssertNever<T extends never> = T;
/** Fails to compile when AuditEvent gains a field this codec would drop. */
export type EveryEventFieldStored = AssertNever<
  Exclude<keyof AuditEvent, keyof z.infer<ReturnType<typeof eventObject>>>
>;

// Built on the first decode (`z.lazy`), so a cold start that never reads the store never builds it.
const keyedEventSchema = z.lazy(() => z.extend(eventObject(), { sk: z.string().check(z.minLength(1)) }));

/** One of each sort key, the last given winning: a batch may not name one key twice. */
export function distinctBySk(events: readonly KeyedEvent[]): KeyedEvent[] {
  return [...new Map(events.map((e) => [e.sk, e])).values()];
}

/** Keys the events of the write that produces `version`. */
export function keyEvents(events: readonly AuditEvent[], version: number): KeyedEvent[] {
  return events.map((event, index) => ({ sk: eventSk(event.at, version, index), event }));
}

/**
 * Event items carry none of the request index attributes (`id`, `requesterId`,
 * `distributionId`, `activePk`), so they stay out of every index. They expire
 * RETENTION_DAYS after they happened: requests close within days, so the trail
 * lives about as long as the request item, without rewriting events on close.
 */
export function eventItem({ sk, event }: KeyedEvent): Record<string, AttributeValue> {
  return toItem({
    ...event,
    pk: requestPk(event.requestId),
    sk,
    [TTL_ATTRIBUTE]: expiryAfter(event.at),
  });
}

/** Events as kept inside the request item (see the store's `lastEvents`). */
export function embeddedEvents(events: readonly KeyedEvent[]): AttributeValue {
  return { L: events.map(({ sk, event }) => ({ M: toItem({ ...event, sk }) })) };
}

export function decodeEventItem(requestId: string, item: Record<string, AttributeValue>): KeyedEvent {
  return decodeKeyed(requestId, fromItem(item));
}

export function decodeEmbeddedEvents(requestId: string, value: unknown): KeyedEvent[] {
  if (value === undefined) return [];
  if (!Array.isArray(value)) throw new StoredItemError(requestId, 'lastEvents is not a list');
  return value.map((entry) => decodeKeyed(requestId, entry));
}

function decodeKeyed(requestId: string, value: unknown): KeyedEvent {
  const parsed = keyedEventSchema.safeParse(value);
  if (!parsed.success) throw new StoredItemError(requestId, `audit event: ${z.prettifyError(parsed.error)}`);
  const { sk, ...event } = parsed.data;
  return { sk, event };
}
