import type { AttributeValue, PutItemCommandInput, QueryCommandInput } from '@aws-sdk/client-dynamodb';
import type { InvalidationRequest } from '../domain/request';
import type { Aws } from './dynamo-access';
import { distinctBySk, eventItem, type KeyedEvent } from './event-codec';
import { ItemLists } from './item-lists';
import { decodeRequestItem, itemChunksOf, type StoredRequest } from './request-codec';
import { hasName, META_SK, requestPk } from './table';

const MAX_BATCH_WRITE = 25;
/** A deferring writer (./request-update) leaves at most one BatchWriteItem's worth to the next. */
export const MAX_DEFERRED_EVENTS = MAX_BATCH_WRITE;

/** The audit events of a handed-out request that may have no event item yet (see `handOut`). */
export interface Unsettled {
  events: readonly KeyedEvent[];
  deferred: boolean;
}

/** A Query's input without what `query` fills in itself. */
export type QueryInput = Omit<QueryCommandInput, 'TableName' | 'Limit' | 'ExclusiveStartKey'>;

/**
 * The reads and writes of request items that the create protocol
 * (./request-create), the update protocol (./request-update) and the queries
 * (./request-queries) share, over one table and one client.
 */
export class RequestTable {
  /**
   * For each request object this store handed out: the audit events of the write
   * that produced it that may not be stored as event items yet. It lets `update`
   * decide on a request the caller already holds without reading it again, and
   * still finish the previous write. Weak, so it holds nothing the caller dropped.
   */
  private readonly unsettled = new WeakMap<InvalidationRequest, Unsettled>();
  readonly itemLists: ItemLists;

  constructor(
    /** The SDK and the client, loaded on first use (see ./dynamodb-sdk). */
    readonly aws: () => Promise<Aws>,
    readonly tableName: string,
  ) {
    this.itemLists = new ItemLists(this.aws, this.tableName);
  }

  async read(id: string): Promise<StoredRequest | undefined> {
    const item = await this.getItem(requestPk(id), META_SK);
    return item === undefined ? undefined : this.decode(item);
  }

  /** Consistent: every reader here decides a write on what it reads. */
  async getItem(pk: string, sk: string): Promise<Record<string, AttributeValue> | undefined> {
    const { sdk, client } = await this.aws();
    const { Item } = await client.send(
      new sdk.GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: pk }, sk: { S: sk } },
        ConsistentRead: true,
      }),
    );
    return Item;
  }

  async put(
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
  async putEventsOrLeaveThem(events: readonly KeyedEvent[]): Promise<KeyedEvent[]> {
    const unique = distinctBySk(events);
    const chunks: KeyedEvent[][] = [];
    for (let i = 0; i < unique.length; i += MAX_BATCH_WRITE)
      chunks.push(unique.slice(i, i + MAX_BATCH_WRITE));
    const results = await Promise.all(chunks.map((chunk) => this.batchPutEvents(chunk)));
    return results.flat();
  }

  async decode(item: Record<string, AttributeValue>): Promise<StoredRequest> {
    const chunks = itemChunksOf(item);
    const external = chunks > 0 ? await this.itemLists.read(item.id?.S ?? '', chunks) : undefined;
    const stored = decodeRequestItem(item, external);
    this.handOut(stored.request, stored.lastEvents, stored.eventsDeferred);
    return stored;
  }

  /** `deferred`: the events are in the request item only, left there for the next writer to store. */
  handOut(
    request: InvalidationRequest,
    unwritten: readonly KeyedEvent[],
    deferred = false,
  ): InvalidationRequest {
    this.unsettled.set(request, { events: unwritten, deferred });
    return request;
  }

  /** What `handOut` recorded for this very object, or undefined if this store did not hand it out. */
  unsettledOf(request: InvalidationRequest): Unsettled | undefined {
    return this.unsettled.get(request);
  }

  async query(input: QueryInput, limit: number): Promise<Record<string, AttributeValue>[]> {
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
}

/** By name: the SDK's error class lives in the lazily loaded module. */
export function isConditionFailure(error: unknown): boolean {
  return hasName(error, 'ConditionalCheckFailedException');
}
