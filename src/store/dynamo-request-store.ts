import type {
  AttributeValue,
  DynamoDBClient,
  PutItemCommandInput,
  QueryCommandInput,
} from '@aws-sdk/client-dynamodb';
import type { Change, CreateResult, RequestStore, UpdateResult } from '../app/ports';
import type { AuditEvent, InvalidationRequest } from '../domain/request';
import { fromItem, toItem } from './attribute-values';
import { type DynamoAccess, dynamoAccess } from './dynamo-access';
import { InvalidChangeError, StoreConflictError, StoredItemError } from './errors';
import { decodeEmbeddedEvents, decodeEventItem, eventItem, type KeyedEvent, keyEvents } from './event-codec';
import { keepsItemsInline } from './item-list';
import { ItemLists } from './item-lists';
import { decodeRequestItem, itemChunksOf, requestItem, type StoredRequest } from './request-codec';
import {
  ACTIVE_INDEX,
  ACTIVE_PARTITION,
  BY_DISTRIBUTION_INDEX,
  BY_REQUESTER_INDEX,
  EVENT_SK_PREFIX,
  expiryAfter,
  hasName,
  IDEMPOTENCY_SK,
  idempotencyPk,
  META_SK,
  requestPk,
  TTL_ATTRIBUTE,
} from './table';

export interface DynamoRequestStoreOptions {
  /** The client to use. Without one, the store makes its own on first use, for `endpoint`. */
  client?: DynamoDBClient;
  /** DYNAMODB_ENDPOINT (dynalite) when the store makes its own client; AWS's otherwise. */
  endpoint?: string;
  tableName: string;
  /** A client loader shared with other adapters over the same table (see ./dynamo-access). */
  access?: DynamoAccess;
  /** Read-decide-write cycles before `update` gives up with StoreConflictError (default 25). */
  maxAttempts?: number;
}

const DEFAULT_LIST_LIMIT = 20;
const DEFAULT_DUE_LIMIT = 100;
const MAX_BATCH_WRITE = 25;

/**
 * RequestStore over one DynamoDB table (layout in ./table).
 *
 * No transactions: dynalite, which the tests and local dev run on, has no
 * TransactWriteItems. Each write is instead a single conditional PutItem that
 * carries everything needed to finish it, and whoever comes next finishes it:
 * - update: the request item holds the audit events of the write that produced
 *   it (`lastEvents`); the event items are written right after (one
 *   BatchWriteItem), and again by the next writer, and listEvents reads both,
 *   so a writer that stops between the two writes loses no audit event.
 * - create: the idempotency item is written first (only one creator wins) and
 *   holds the whole request item; the request item follows. A creator that
 *   finds the key taken but no request yet writes the request from it.
 */
export class DynamoRequestStore implements RequestStore {
  /** The SDK and the client, loaded on first use (see ./dynamodb-sdk). */
  private readonly aws: () => Promise<Aws>;
  private readonly tableName: string;
  private readonly maxAttempts: number;
  /**
   * For each request object this store handed out: the audit events of the write
   * that produced it that may not be stored as event items yet. It lets `update`
   * decide on a request the caller already holds without reading it again, and
   * still finish the previous write. Weak, so it holds nothing the caller dropped.
   */
  private readonly unsettled = new WeakMap<InvalidationRequest, readonly KeyedEvent[]>();
  private readonly itemLists: ItemLists;

  constructor(options: DynamoRequestStoreOptions) {
    this.aws = options.access ?? dynamoAccess(options);
    this.tableName = options.tableName;
    this.maxAttempts = options.maxAttempts ?? 25;
    this.itemLists = new ItemLists(this.aws, this.tableName);
  }

  async create(
    request: InvalidationRequest,
    event: AuditEvent,
    idempotencyKey: string,
  ): Promise<CreateResult> {
    if (event.requestId !== request.id) {
      throw new InvalidChangeError(`creation event is for ${event.requestId}, not ${request.id}`);
    }
    const meta = requestItem(request, keyEvents([event], request.version));
    // The list first: a request item that says its list is elsewhere must find it there.
    if (!keepsItemsInline(request.paths)) {
      await this.itemLists.write(request.id, request.decideBy, request.paths);
    }
    try {
      await this.put(
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
      return { created: false, request: await this.finishCreate(idempotencyKey) };
    }
    const unwritten = await this.writeRequestOnce(meta);
    return { created: true, request: this.handOut(request, unwritten) };
  }

  async get(id: string): Promise<InvalidationRequest | undefined> {
    return (await this.read(id))?.request;
  }

  async update<R>(
    id: string,
    decide: (current: InvalidationRequest) => Change<R>,
    known?: InvalidationRequest,
  ): Promise<UpdateResult<R>> {
    const knownEvents = known === undefined ? undefined : this.unsettled.get(known);
    // Only a request this store handed out is trusted without a read: its events are known.
    let stored: StoredRequest | undefined =
      known !== undefined && knownEvents !== undefined && known.id === id
        ? { request: known, lastEvents: [...knownEvents] }
        : undefined;
    for (let attempt = 1; attempt <= this.maxAttempts; attempt++) {
      stored ??= await this.read(id);
      if (stored === undefined) return { kind: 'missing' };
      const current = stored.request;
      const change = decide(current);
      if (change.kind === 'stop') return { kind: 'stopped', request: current, result: change.result };
      checkChange(current, change.next, change.events);
      const events = keyEvents(change.events, change.next.version);
      try {
        await this.put(requestItem(change.next, events), {
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
      // The previous write's events too: its writer may have stopped before writing them.
      const unwritten = await this.putEventsOrLeaveThem([...stored.lastEvents, ...events]);
      // Whatever did not make it is retried by the next update that starts from this request.
      return { kind: 'written', request: this.handOut(change.next, unwritten), result: change.result };
    }
    throw new StoreConflictError(id, this.maxAttempts);
  }

  listDue(now: Date, limit = DEFAULT_DUE_LIMIT): Promise<InvalidationRequest[]> {
    return this.queryRequests(
      {
        IndexName: ACTIVE_INDEX,
        KeyConditionExpression: 'activePk = :active AND activeDue <= :now',
        ExpressionAttributeValues: { ':active': { S: ACTIVE_PARTITION }, ':now': { S: now.toISOString() } },
        ScanIndexForward: true,
      },
      limit,
    );
  }

  listByRequester(userId: string, limit = DEFAULT_LIST_LIMIT): Promise<InvalidationRequest[]> {
    return this.queryRequests(
      {
        IndexName: BY_REQUESTER_INDEX,
        KeyConditionExpression: 'requesterId = :requester',
        ExpressionAttributeValues: { ':requester': { S: userId } },
        ScanIndexForward: false,
      },
      limit,
    );
  }

  listByDistribution(distributionId: string, limit = DEFAULT_LIST_LIMIT): Promise<InvalidationRequest[]> {
    return this.queryRequests(
      {
        IndexName: BY_DISTRIBUTION_INDEX,
        KeyConditionExpression: 'distributionId = :distribution',
        ExpressionAttributeValues: { ':distribution': { S: distributionId } },
        ScanIndexForward: false,
      },
      limit,
    );
  }

  async listEvents(id: string): Promise<AuditEvent[]> {
    const items = await this.query(
      {
        // Audit events and the request item, not the item list, which sorts after META.
        KeyConditionExpression: 'pk = :pk AND sk <= :meta',
        ExpressionAttributeValues: { ':pk': { S: requestPk(id) }, ':meta': { S: META_SK } },
        ConsistentRead: true,
      },
      Number.POSITIVE_INFINITY,
    );
    const bySk = new Map<string, AuditEvent>();
    for (const item of items) {
      const sk = item.sk?.S ?? '';
      const keyed =
        sk === META_SK
          ? decodeEmbeddedEvents(id, fromItem(item).lastEvents)
          : sk.startsWith(EVENT_SK_PREFIX)
            ? [decodeEventItem(id, item)]
            : [];
      for (const { sk: eventSk, event } of keyed) bySk.set(eventSk, event);
    }
    return [...bySk.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, event]) => event);
  }

  /** The key is taken: return its request, writing it first if its creator stopped half-way. */
  private async finishCreate(idempotencyKey: string): Promise<InvalidationRequest> {
    const { sdk, client } = await this.aws();
    const { Item } = await client.send(
      new sdk.GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: idempotencyPk(idempotencyKey) }, sk: { S: IDEMPOTENCY_SK } },
        ConsistentRead: true,
      }),
    );
    const requestId = Item?.requestId?.S;
    const meta = Item?.request?.M;
    if (requestId === undefined || meta === undefined) {
      throw new StoredItemError(requestId ?? '?', `idempotency item ${idempotencyKey} is incomplete`);
    }
    const existing = await this.read(requestId);
    if (existing !== undefined) return existing.request;
    await this.writeRequestOnce(meta);
    const written = await this.read(requestId);
    if (written === undefined) throw new StoredItemError(requestId, 'request item vanished after creation');
    return written.request;
  }

  /** First write of a request item; a second creator finishing the same creation changes nothing. */
  private async writeRequestOnce(meta: Record<string, AttributeValue>): Promise<KeyedEvent[]> {
    const lastEvents = decodeEmbeddedEvents(meta.id?.S ?? '?', fromItem(meta).lastEvents);
    try {
      await this.put(meta, { ConditionExpression: 'attribute_not_exists(pk)' });
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
    return this.putEventsOrLeaveThem(lastEvents);
  }

  private async read(id: string): Promise<StoredRequest | undefined> {
    const { sdk, client } = await this.aws();
    const { Item } = await client.send(
      new sdk.GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: requestPk(id) }, sk: { S: META_SK } },
        ConsistentRead: true,
      }),
    );
    return Item === undefined ? undefined : this.decode(Item);
  }

  private async put(
    item: Record<string, AttributeValue>,
    condition: Pick<
      PutItemCommandInput,
      'ConditionExpression' | 'ExpressionAttributeNames' | 'ExpressionAttributeValues'
    >,
  ): Promise<void> {
    const { sdk, client } = await this.aws();
    await client.send(new sdk.PutItemCommand({ TableName: this.tableName, Item: item, ...condition }));
  }

  /**
   * The change is already written and its events are safe in the request item,
   * which listEvents reads and the next writer copies out, so a failure here
   * must not make the caller think the change failed and act on it twice.
   * One BatchWriteItem per 25 events; returns the events it could not store.
   */
  private async putEventsOrLeaveThem(events: readonly KeyedEvent[]): Promise<KeyedEvent[]> {
    // A batch may not name one key twice.
    const unique = [...new Map(events.map((e) => [e.sk, e])).values()];
    const chunks: KeyedEvent[][] = [];
    for (let i = 0; i < unique.length; i += MAX_BATCH_WRITE)
      chunks.push(unique.slice(i, i + MAX_BATCH_WRITE));
    const results = await Promise.all(chunks.map((chunk) => this.batchPutEvents(chunk)));
    return results.flat();
  }

  private async batchPutEvents(chunk: readonly KeyedEvent[]): Promise<KeyedEvent[]> {
    try {
      const { sdk, client } = await this.aws();
      const { UnprocessedItems } = await client.send(
        new sdk.BatchWriteItemCommand({
          RequestItems: {
            [this.tableName]: chunk.map((keyed) => ({ PutRequest: { Item: eventItem(keyed) } })),
          },
        }),
      );
      const left = new Set((UnprocessedItems?.[this.tableName] ?? []).map((w) => w.PutRequest?.Item?.sk?.S));
      return chunk.filter((e) => left.has(e.sk));
    } catch {
      return [...chunk];
    }
  }

  private async queryRequests(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    limit: number,
  ): Promise<InvalidationRequest[]> {
    const items = await this.query(input, limit);
    // Index reads may lag the table; a stale one only costs `update` a failed write and a re-read.
    return Promise.all(items.map(async (item) => (await this.decode(item)).request));
  }

  private async decode(item: Record<string, AttributeValue>): Promise<StoredRequest> {
    const chunks = itemChunksOf(item);
    const external = chunks > 0 ? await this.itemLists.read(item.id?.S ?? '', chunks) : undefined;
    const stored = decodeRequestItem(item, external);
    this.handOut(stored.request, stored.lastEvents);
    return stored;
  }

  private handOut(request: InvalidationRequest, unwritten: readonly KeyedEvent[]): InvalidationRequest {
    this.unsettled.set(request, unwritten);
    return request;
  }

  private async query(
    input: Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>,
    limit: number,
  ): Promise<Record<string, AttributeValue>[]> {
    const items: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    while (items.length < limit) {
      const remaining = limit - items.length;
      const { sdk, client } = await this.aws();
      const page = await client.send(
        new sdk.QueryCommand({
          ...input,
          TableName: this.tableName,
          ...(Number.isFinite(remaining) ? { Limit: remaining } : {}),
          ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      items.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
      if (startKey === undefined) break;
    }
    return items.slice(0, limit);
  }
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

/** By name: the SDK's error class lives in the lazily loaded module. */
function isConditionFailure(error: unknown): boolean {
  return hasName(error, 'ConditionalCheckFailedException');
}

/** Jittered, growing pause between attempts, so racing writers spread out. */
function pause(attempt: number): Promise<void> {
  const ceilingMs = Math.min(200, 5 * 2 ** attempt);
  return new Promise((resolve) => setTimeout(resolve, Math.random() * ceilingMs));
}

export type Aws = { sdk: typeof import('./dynamodb-sdk'); client: DynamoDBClient };

export function createDynamoRequestStore(options: DynamoRequestStoreOptions): RequestStore {
  return new DynamoRequestStore(options);
}
