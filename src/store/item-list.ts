import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { expiryAfter, requestPk } from './table';

/**
 * A long item list lives in items of its own under the request's pk
 * (`sk = PATHS#0001`, …, at most 200 KB each), so no DynamoDB item nears the 400 KB limit however
 * long the list. The list never changes after creation, so the rule "inline or
 * not" is a pure function of it, and every write of the request agrees.
 *
 * `PATHS#` sorts after `META` and audit events (`EVT#`) before it, so reading
 * the audit trail (`sk <= META`) never reads the list.
 */

export const ITEMS_SK_PREFIX = 'PATHS#';
/** Up to this many bytes the list stays in the request item. */
export const INLINE_ITEMS_MAX_BYTES = 64_000;
/** Each list item holds at most this much, well under DynamoDB's 400 KB. */
export const ITEMS_CHUNK_MAX_BYTES = 200_000;
/** A list outlives its request's decision deadline by this much, then DynamoDB's TTL removes it. */
const IN_FLIGHT_ALLOWANCE_MS = 30 * 24 * 60 * 60 * 1000;

/** Items never hold a newline (paths are URL-encoded, tags are visible ASCII), so it separates them. */
const SEPARATOR = '\n';

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

export function keepsItemsInline(items: readonly string[]): boolean {
  let total = 0;
  for (const item of items) {
    total += bytes(item) + 1;
    if (total > INLINE_ITEMS_MAX_BYTES) return false;
  }
  return true;
}

/** The list cut into chunks of at most ITEMS_CHUNK_MAX_BYTES, in order. */
export function chunkItems(items: readonly string[]): string[][] {
  const chunks: string[][] = [];
  let current: string[] = [];
  let size = 0;
  for (const item of items) {
    const added = bytes(item) + 1;
    if (current.length > 0 && size + added > ITEMS_CHUNK_MAX_BYTES) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += added;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

export function itemsSk(index: number): string {
  return `${ITEMS_SK_PREFIX}${String(index + 1).padStart(4, '0')}`;
}

/**
 * Written before the request item. If the request is never written (a
 * duplicate submission that lost the race), the TTL removes the orphan; a
 * request in flight that long after its deadline is not expected.
 */
export function itemChunkRecords(
  requestId: string,
  decideBy: string,
  items: readonly string[],
): Record<string, AttributeValue>[] {
  const expiresAt = expiryAfter(new Date(Date.parse(decideBy) + IN_FLIGHT_ALLOWANCE_MS).toISOString());
  return chunkItems(items).map((chunk, index) => ({
    pk: { S: requestPk(requestId) },
    sk: { S: itemsSk(index) },
    items: { S: chunk.join(SEPARATOR) },
    count: { N: String(chunk.length) },
    expiresAt: { N: String(expiresAt) },
  }));
}

/** The list back from its chunk items (any order; they sort by sk). */
export function itemsFromChunks(records: readonly Record<string, AttributeValue>[]): {
  items: string[];
  chunks: number;
} {
  const sorted = [...records].sort((a, b) => ((a.sk?.S ?? '') < (b.sk?.S ?? '') ? -1 : 1));
  const items: string[] = [];
  for (const record of sorted) {
    const text = record.items?.S ?? '';
    if (text !== '') items.push(...text.split(SEPARATOR));
  }
  return { items, chunks: sorted.length };
}
