import type { AuditEvent, InvalidationRequest } from '../domain/request';
import { fromItem } from './attribute-values';
import { decodeEmbeddedEvents, decodeEventItem } from './event-codec';
import { isIdempotencyItem, settleCreation } from './request-create';
import type { QueryInput, RequestTable } from './request-table';
import {
  ACTIVE_INDEX,
  ACTIVE_PARTITION,
  BY_DISTRIBUTION_INDEX,
  BY_REQUESTER_INDEX,
  EVENT_SK_PREFIX,
  META_SK,
  requestPk,
} from './table';

const DEFAULT_LIST_LIMIT = 20;
const DEFAULT_DUE_LIMIT = 100;

/** The read side of the request store: the index queries and a request's audit trail. */
export class RequestQueries {
  constructor(private readonly table: RequestTable) {}

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
    return this.listNewestFirst(BY_REQUESTER_INDEX, 'requesterId', userId, limit);
  }

  listByDistribution(distributionId: string, limit = DEFAULT_LIST_LIMIT): Promise<InvalidationRequest[]> {
    return this.listNewestFirst(BY_DISTRIBUTION_INDEX, 'distributionId', distributionId, limit);
  }

  async listEvents(id: string): Promise<AuditEvent[]> {
    const items = await this.table.query(
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

  /** One partition of a history index (./table): its sort key is the ULID id, so descending is newest first. */
  private listNewestFirst(
    indexName: string,
    partitionKey: 'requesterId' | 'distributionId',
    value: string,
    limit: number,
  ): Promise<InvalidationRequest[]> {
    return this.queryRequests(
      {
        IndexName: indexName,
        KeyConditionExpression: `${partitionKey} = :value`,
        ExpressionAttributeValues: { ':value': { S: value } },
        ScanIndexForward: false,
      },
      limit,
    );
  }

  private async queryRequests(input: QueryInput, limit: number): Promise<InvalidationRequest[]> {
    const items = await this.table.query(input, limit);
    // Index reads may lag the table; a stale one only costs `update` a failed write and a re-read.
    const requests = await Promise.all(
      items.map(async (item) =>
        // A creation the slack function left to the next reader (./request-create): its
        // idempotency item stands in the indexes until the request item is written.
        isIdempotencyItem(item) ? settleCreation(this.table, item) : (await this.table.decode(item)).request,
      ),
    );
    // Settled by an earlier reader but still indexed, a creation is listed twice for a moment.
    return [...new Map(requests.map((r) => [r.id, r])).values()];
  }
}
