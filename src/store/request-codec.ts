import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import {
  type Approval,
  type InvalidationRequest,
  isTerminal,
  type Notice,
  type NoticeKind,
  REQUEST_STATUSES,
} from '../domain/request';
import * as z from '../shared/zod';
import { fromItem, toItem } from './attribute-values';
import { nextDueAt } from './due';
import { StoredItemError } from './errors';
import { decodeEmbeddedEvents, embeddedEvents, type KeyedEvent } from './event-codec';
import { chunkItems, keepsItemsInline } from './item-list';
import { ACTIVE_PARTITION, expiryAfter, META_SK, requestPk, TTL_ATTRIBUTE } from './table';

// A record, not a list, so the compiler insists every kind is here.
const NOTICE_KINDS: Record<NoticeKind, true> = {
  card: true,
  approved: true,
  rejected: true,
  cancelled: true,
  submitted: true,
  queued: true,
  'still-in-progress': true,
  completed: true,
  failed: true,
  expired: true,
  'requester-recorded': true,
  'requester-completed': true,
  'requester-failed': true,
  'requester-rejected': true,
  'requester-expired': true,
  'requester-card-failed': true,
  'ask-approvers': true,
  reminder: true,
  'break-glass-review': true,
};

/** The text fields a request has only once they are set: times, and what Slack, CloudFront or a failure named. */
const OPTIONAL_TEXT_FIELDS = [
  'cardTs',
  'cardPermalink',
  'decidedBy',
  'approvedAt',
  'invalidationId',
  'submittedAt',
  'nextAttemptAt',
  'cloudFrontStatus',
  'lastCheckedAt',
  'completedAt',
  'lastError',
  'stillInProgressNotifiedAt',
  'remindAt',
  'remindedAt',
  'endedAt',
  'roleArn',
  'tenantId',
] as const satisfies readonly (keyof InvalidationRequest)[];

type OptionalTextField = (typeof OPTIONAL_TEXT_FIELDS)[number];

type OptionalText = z.ZodMiniOptional<z.ZodMiniString>;

function optionalTextSchemas(): Record<OptionalTextField, OptionalText> {
  const entries = OPTIONAL_TEXT_FIELDS.map((field) => [field, z.optional(z.string())] as const);
  return Object.fromEntries(entries) as Record<OptionalTextField, OptionalText>;
}

// Built on the first decode (`z.lazy`), so a cold start that never reads the store never builds it.
const requestSchema = z.lazy(() => {
  const text = z.string;
  const optionalText = () => z.optional(z.string());
  const nonEmpty = () => z.string().check(z.minLength(1));
  const count = () => z.int().check(z.nonnegative());
  const positive = () => z.int().check(z.positive());

  const noticeSchema = z.object({
    id: nonEmpty(),
    kind: z.custom<NoticeKind>(
      (v) => typeof v === 'string' && Object.hasOwn(NOTICE_KINDS, v),
      'unknown notice kind',
    ),
    actorId: optionalText(),
    detail: optionalText(),
    createdAt: text(),
    attempts: count(),
    notBefore: optionalText(),
    claimedUntil: optionalText(),
  }) satisfies z.ZodMiniType<Notice>;

  const approvalSchema = z.object({ userId: text(), at: text() }) satisfies z.ZodMiniType<Approval>;

  return z.object({
    id: nonEmpty(),
    status: z.enum(REQUEST_STATUSES),
    version: positive(),
    distributionAlias: text(),
    distributionId: text(),
    requesterId: text(),
    reason: text(),
    paths: z.array(text()),
    wildcardCount: count(),
    requiredApprovals: count(),
    approvals: z.array(approvalSchema),
    channel: text(),
    createdAt: text(),
    updatedAt: text(),
    decideBy: text(),
    submitAttempts: count(),
    breakGlass: z.optional(z.boolean()),
    batches: z.optional(
      z.array(
        z.object({
          number: positive(),
          invalidationId: text(),
          status: text(),
          submittedAt: text(),
          completedAt: optionalText(),
        }),
      ),
    ),
    normalised: z.optional(
      z.object({
        duplicatesMerged: count(),
        queryStringsDropped: count(),
        fragmentsDropped: count(),
        encoded: count(),
      }),
    ),
    dryRun: z.boolean(),
    outbox: z.array(noticeSchema),
    ...optionalTextSchemas(),
  }) satisfies z.ZodMiniType<InvalidationRequest>;
});

type AssertNever<T extends never> = T;
/** Fails to compile when InvalidationRequest gains a field this codec would silently drop. */
export type EveryRequestFieldStored = AssertNever<
  Exclude<keyof InvalidationRequest, keyof z.infer<typeof requestSchema>>
>;

/**
 * The request item: every request field as a native attribute (so `id`,
 * `requesterId` and `distributionId` feed the history indexes), plus the
 * `active` index keys while the poller has business with it, the TTL once it
 * is closed, and `lastEvents`: the audit events of the write that produced it, and with
 * `eventsDeferred` also those of earlier writes that left theirs to the next writer.
 */
export function requestItem(
  request: InvalidationRequest,
  lastEvents: readonly KeyedEvent[],
  eventsDeferred = false,
): Record<string, AttributeValue> {
  const due = nextDueAt(request);
  // A long list lives in items of its own (./item-list); the request item says how many.
  const inline = keepsItemsInline(request.paths);
  const { paths, ...rest } = request;
  const item = toItem({
    ...(inline ? { ...rest, paths } : { ...rest, [ITEM_CHUNKS_ATTRIBUTE]: chunkItems(paths).length }),
    pk: requestPk(request.id),
    sk: META_SK,
    ...(due !== undefined ? { activePk: ACTIVE_PARTITION, activeDue: due } : {}),
    ...(isTerminal(request.status)
      ? { [TTL_ATTRIBUTE]: expiryAfter(request.completedAt ?? request.updatedAt) }
      : {}),
  });
  item.lastEvents = embeddedEvents(lastEvents);
  if (eventsDeferred) item[EVENTS_DEFERRED_ATTRIBUTE] = { BOOL: true };
  return item;
}

/**
 * Set on a request item whose `lastEvents` its writer did not store as event items (the slack
 * function leaves that to the worker it kicks): the next writer stores them before it
 * overwrites the item (./request-update).
 */
const EVENTS_DEFERRED_ATTRIBUTE = 'eventsDeferred';

/** Whether a request item carries the mark: its `lastEvents` may have no event items yet. */
export function hasDeferredEvents(item: Record<string, AttributeValue>): boolean {
  return item[EVENTS_DEFERRED_ATTRIBUTE]?.BOOL === true;
}

export interface StoredRequest {
  request: InvalidationRequest;
  lastEvents: KeyedEvent[];
  /** `lastEvents` may hold events no event item has: store them before replacing the item. */
  eventsDeferred: boolean;
}

/** Set on a request item whose list lives in that many items of its own (./item-list). */
export const ITEM_CHUNKS_ATTRIBUTE = 'itemChunks';

/** How many list items a request item's list is in; 0 when the list is inline. */
export function itemChunksOf(item: Record<string, AttributeValue>): number {
  const n = item[ITEM_CHUNKS_ATTRIBUTE]?.N;
  return n === undefined ? 0 : Number(n);
}

/** `externalItems`: the list read from its own items, for a request item that has none inline. */
export function decodeRequestItem(
  item: Record<string, AttributeValue>,
  externalItems?: readonly string[],
): StoredRequest {
  const plain = fromItem(item);
  const id = typeof plain.id === 'string' ? plain.id : String(plain.pk ?? '?');
  if (externalItems !== undefined) plain.paths = [...externalItems];
  const parsed = requestSchema.safeParse(plain);
  if (!parsed.success) throw new StoredItemError(id, z.prettifyError(parsed.error));
  return {
    request: parsed.data,
    lastEvents: decodeEmbeddedEvents(id, plain.lastEvents),
    eventsDeferred: hasDeferredEvents(item),
  };
}
