import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Aws } from './dynamo-access';
import { StoredItemError } from './errors';
import { ITEMS_SK_PREFIX, itemChunkRecords, itemsFromChunks } from './item-list';
import { requestPk } from './table';

/** Item lists this process keeps in memory: a list never changes, so a copy is never stale. */
const CACHED_ITEM_LISTS = 16;
const MAX_BATCH_WRITE = 25;
const WRITE_ATTEMPTS = 5;

/**
 * Reads and writes the long item lists of ./item-list. A poller following a
 * request of 10,000 paths reads its list once per process, not on every
 * status check.
 */
export class ItemLists {
  /** By request id, most recently used last. */
  private readonly cache = new Map<string, string[]>();

  constructor(
    private readonly aws: () => Promise<Aws>,
    private readonly tableName: string,
  ) {}

  /** Unconditional puts (nobody else writes these keys), retrying what DynamoDB leaves unprocessed. */
  async write(requestId: string, decideBy: string, items: readonly string[]): Promise<void> {
    const records = itemChunkRecords(requestId, decideBy, items);
    const { sdk, client } = await this.aws();
    for (let i = 0; i < records.length; i += MAX_BATCH_WRITE) {
      let pending = records.slice(i, i + MAX_BATCH_WRITE).map((Item) => ({ PutRequest: { Item } }));
      for (let attempt = 1; pending.length > 0; attempt++) {
        if (attempt > WRITE_ATTEMPTS) {
          throw new Error(
            `request ${requestId}: ${pending.length} part(s) of its item list left unprocessed`,
          );
        }
        if (attempt > 1) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** attempt));
        const { UnprocessedItems } = await client.send(
          new sdk.BatchWriteItemCommand({ RequestItems: { [this.tableName]: pending } }),
        );
        pending = (UnprocessedItems?.[this.tableName] ?? []).flatMap((w) =>
          w.PutRequest?.Item ? [{ PutRequest: { Item: w.PutRequest.Item } }] : [],
        );
      }
    }
    this.remember(requestId, [...items]);
  }

  /** `chunks`: how many parts the request item says there are; fewer is a broken store. */
  async read(requestId: string, chunks: number): Promise<string[]> {
    const cached = this.cache.get(requestId);
    if (cached !== undefined) {
      this.remember(requestId, cached);
      return cached;
    }
    const { sdk, client } = await this.aws();
    const records: Record<string, AttributeValue>[] = [];
    let startKey: Record<string, AttributeValue> | undefined;
    do {
      const page = await client.send(
        new sdk.QueryCommand({
          TableName: this.tableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :items)',
          ExpressionAttributeValues: { ':pk': { S: requestPk(requestId) }, ':items': { S: ITEMS_SK_PREFIX } },
          ConsistentRead: true,
          ...(startKey !== undefined ? { ExclusiveStartKey: startKey } : {}),
        }),
      );
      records.push(...(page.Items ?? []));
      startKey = page.LastEvaluatedKey;
    } while (startKey !== undefined);
    const list = itemsFromChunks(records);
    if (list.chunks !== chunks) {
      throw new StoredItemError(requestId, `its item list has ${list.chunks} of ${chunks} parts`);
    }
    this.remember(requestId, list.items);
    return list.items;
  }

  private remember(requestId: string, items: string[]): void {
    this.cache.delete(requestId);
    this.cache.set(requestId, items);
    while (this.cache.size > CACHED_ITEM_LISTS) {
      const [oldest] = this.cache.keys();
      if (oldest === undefined) break;
      this.cache.delete(oldest);
    }
  }
}
