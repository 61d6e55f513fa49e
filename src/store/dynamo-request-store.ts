import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Change, CreateResult, RequestStore, UpdateResult } from '../app/ports';
import type { AuditEvent, InvalidationRequest } from '../domain/request';
import { type DynamoAccess, dynamoAccess } from './dynamo-access';
import { type CreateMode, createRequest, settleCreationOf } from './request-create';
import { RequestQueries } from './request-queries';
import { RequestTable } from './request-table';
import { updateRequest } from './request-update';

export type { Aws } from './dynamo-access';

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
  /**
   * Leave each write's audit events in the request item for the next writer to store as event
   * items, one BatchWriteItem fewer per write: for the slack function, whose answer waits on
   * its writes and whose kicked worker writes next (./request-update).
   */
  deferEvents?: boolean;
  /**
   * Create with one PutItem, of the idempotency item only: it carries the request item, and its
   * index keys so the due and history lists find it, and the next reader writes the request
   * item from it (./request-create). For the slack function, whose kick names the key.
   */
  deferRequestItem?: boolean;
}

/**
 * RequestStore over one DynamoDB table (layout in ./table).
 *
 * No transactions: dynalite, which the tests and local dev run on, has no
 * TransactWriteItems. Each write is instead a single conditional PutItem that
 * carries everything needed to finish it, and whoever comes next finishes it:
 * - update (./request-update): the request item holds the audit events of the
 *   write that produced it (`lastEvents`); the event items are written right
 *   after (one BatchWriteItem), and again by the next writer, and listEvents
 *   reads both, so a writer that stops between the two writes loses no audit event.
 *   With `deferEvents` a writer leaves its events in the item, marked, and the next
 *   writer stores them before replacing it.
 * - create (./request-create): the idempotency item is written first (only one
 *   creator wins) and holds the whole request item; the request item follows. A
 *   creator that finds the key taken but no request yet writes the request from it.
 *   With `deferRequestItem` the idempotency item is the only write, and stands in the
 *   indexes until the next reader writes the request item from it.
 * The queries are in ./request-queries; the reads and writes all three share,
 * and the requests this store handed out, in ./request-table.
 */
export class DynamoRequestStore implements RequestStore {
  private readonly table: RequestTable;
  private readonly queries: RequestQueries;
  private readonly writes: { maxAttempts: number } & CreateMode;

  constructor(options: DynamoRequestStoreOptions) {
    this.table = new RequestTable(options.access ?? dynamoAccess(options), options.tableName);
    this.queries = new RequestQueries(this.table);
    this.writes = {
      maxAttempts: options.maxAttempts ?? 25,
      deferEvents: options.deferEvents ?? false,
      deferRequestItem: options.deferRequestItem ?? false,
    };
  }

  create(request: InvalidationRequest, event: AuditEvent, idempotencyKey: string): Promise<CreateResult> {
    return createRequest(this.table, request, event, idempotencyKey, this.writes);
  }

  async get(id: string, createdUnder?: string): Promise<InvalidationRequest | undefined> {
    const stored = (await this.table.read(id))?.request;
    if (stored !== undefined || createdUnder === undefined) return stored;
    return settleCreationOf(this.table, id, createdUnder);
  }

  update<R>(
    id: string,
    decide: (current: InvalidationRequest) => Change<R>,
    known?: InvalidationRequest,
  ): Promise<UpdateResult<R>> {
    return updateRequest(this.table, this.writes, id, decide, known);
  }

  listDue(now: Date, limit?: number): Promise<InvalidationRequest[]> {
    return this.queries.listDue(now, limit);
  }

  listByRequester(userId: string, limit?: number): Promise<InvalidationRequest[]> {
    return this.queries.listByRequester(userId, limit);
  }

  listByDistribution(distributionId: string, limit?: number): Promise<InvalidationRequest[]> {
    return this.queries.listByDistribution(distributionId, limit);
  }

  listEvents(id: string): Promise<AuditEvent[]> {
    return this.queries.listEvents(id);
  }
}

export function createDynamoRequestStore(options: DynamoRequestStoreOptions): RequestStore {
  return new DynamoRequestStore(options);
}
