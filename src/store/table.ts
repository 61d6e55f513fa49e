import {
  CreateTableCommand,
  type CreateTableCommandInput,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  type DynamoDBClient,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';

/**
 * The table layout. serverless.yml declares the same table, so the names here
 * are a contract: change them together.
 *
 * - Request:     pk = REQ#<id>,    sk = META
 * - Audit event: pk = REQ#<id>,    sk = EVT#<iso time>#<n>
 * - Idempotency: pk = IDEM#<key>,  sk = IDEM; `requestId`, and `request` (the whole request item, so a
 *   half-done create can be finished by the next caller); expires RETENTION_DAYS after creation.
 *   Written alone (the slack function's creation), it also carries the request item's index keys
 *   until the next reader writes the request item from it (./request-create)
 * - Group members: pk = GROUP#<id>, sk = MEMBERS; `members` (list), `fetchedAt`; a user group's members as
 *   last fetched from Slack, shared by every container (no index attributes, so in no index)
 * - GSI `active`:        activePk (always ACTIVE) + activeDue (ISO time); only requests the poller must visit
 * - GSI `byRequester`:   requesterId + id; request items (and creations not yet settled, above)
 * - GSI `byDistribution`: distributionId + id; the same
 * - TTL attribute `expiresAt` (epoch seconds): requests RETENTION_DAYS after they closed (completedAt, else
 *   the closing write); audit events RETENTION_DAYS after they happened; open requests never expire
 */

export const ACTIVE_INDEX = 'active';
export const BY_REQUESTER_INDEX = 'byRequester';
export const BY_DISTRIBUTION_INDEX = 'byDistribution';
export const ACTIVE_PARTITION = 'ACTIVE';
export const TTL_ATTRIBUTE = 'expiresAt';
export const META_SK = 'META';
export const IDEMPOTENCY_SK = 'IDEM';

export function requestPk(id: string): string {
  return `REQ#${id}`;
}

export const GROUP_MEMBERS_SK = 'MEMBERS';

export function groupPk(groupId: string): string {
  return `GROUP#${groupId}`;
}

export function idempotencyPk(key: string): string {
  return `IDEM#${key}`;
}

/**
 * `n` is unique per write (the request version it belongs to, then its place in
 * that write), so two writes in the same millisecond never share a key and
 * same-millisecond events sort in the order they happened.
 */
export function eventSk(at: string, version: number, index: number): string {
  const n = version * 1000 + index;
  return `EVT#${new Date(at).toISOString()}#${String(n).padStart(12, '0')}`;
}

export const EVENT_SK_PREFIX = 'EVT#';

const DAY_SECONDS = 24 * 60 * 60;
/** How long closed requests and their audit trail are kept. */
export const RETENTION_DAYS = 400;

/** Epoch seconds, RETENTION_DAYS after `iso`. */
export function expiryAfter(iso: string): number {
  return Math.floor(Date.parse(iso) / 1000) + RETENTION_DAYS * DAY_SECONDS;
}

const allProjection = { ProjectionType: 'ALL' } as const;

export const TABLE_DEFINITION = {
  BillingMode: 'PAY_PER_REQUEST',
  AttributeDefinitions: [
    { AttributeName: 'pk', AttributeType: 'S' },
    { AttributeName: 'sk', AttributeType: 'S' },
    { AttributeName: 'activePk', AttributeType: 'S' },
    { AttributeName: 'activeDue', AttributeType: 'S' },
    { AttributeName: 'requesterId', AttributeType: 'S' },
    { AttributeName: 'distributionId', AttributeType: 'S' },
    { AttributeName: 'id', AttributeType: 'S' },
  ],
  KeySchema: [
    { AttributeName: 'pk', KeyType: 'HASH' },
    { AttributeName: 'sk', KeyType: 'RANGE' },
  ],
  GlobalSecondaryIndexes: [
    {
      IndexName: ACTIVE_INDEX,
      KeySchema: [
        { AttributeName: 'activePk', KeyType: 'HASH' },
        { AttributeName: 'activeDue', KeyType: 'RANGE' },
      ],
      Projection: allProjection,
    },
    {
      IndexName: BY_REQUESTER_INDEX,
      KeySchema: [
        { AttributeName: 'requesterId', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      Projection: allProjection,
    },
    {
      IndexName: BY_DISTRIBUTION_INDEX,
      KeySchema: [
        { AttributeName: 'distributionId', KeyType: 'HASH' },
        { AttributeName: 'id', KeyType: 'RANGE' },
      ],
      Projection: allProjection,
    },
  ],
} satisfies Omit<CreateTableCommandInput, 'TableName'>;

/** Every attribute an index is keyed on: an item with none of them is in no index. */
export const INDEX_KEY_ATTRIBUTES: readonly string[] = [
  ...new Set(
    TABLE_DEFINITION.GlobalSecondaryIndexes.flatMap((index) => index.KeySchema.map((k) => k.AttributeName)),
  ),
];

export interface CreateTableOptions {
  /** Give up waiting for ACTIVE after this long (default 5 minutes). */
  timeoutMs?: number;
}

/**
 * Creates the table if it does not exist, waits until it and its indexes are
 * ACTIVE, and turns on TTL where the server supports it (dynalite does not).
 * For tests and local dev; deployed stages get the table from serverless.yml.
 */
export async function createTable(
  client: DynamoDBClient,
  tableName: string,
  options: CreateTableOptions = {},
): Promise<void> {
  try {
    await client.send(new CreateTableCommand({ TableName: tableName, ...TABLE_DEFINITION }));
  } catch (error) {
    if (!hasName(error, 'ResourceInUseException')) throw error;
  }
  await waitUntilActive(client, tableName, options.timeoutMs ?? 300_000);
  await enableTtl(client, tableName);
}

async function waitUntilActive(client: DynamoDBClient, tableName: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (let delay = 20; ; delay = Math.min(delay * 2, 2000)) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    if (Date.now() > deadline) throw new Error(`table ${tableName} is not ACTIVE after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, delay));
  }
}

async function enableTtl(client: DynamoDBClient, tableName: string): Promise<void> {
  const { TimeToLiveDescription } = await client.send(
    new DescribeTimeToLiveCommand({ TableName: tableName }),
  );
  const status = TimeToLiveDescription?.TimeToLiveStatus;
  if (status === 'ENABLED' || status === 'ENABLING') return;
  try {
    await client.send(
      new UpdateTimeToLiveCommand({
        TableName: tableName,
        TimeToLiveSpecification: { AttributeName: TTL_ATTRIBUTE, Enabled: true },
      }),
    );
  } catch (error) {
    // dynalite has no UpdateTimeToLive; expiry only matters in AWS anyway.
    if (!hasName(error, 'UnknownOperationException')) throw error;
  }
}

export function hasName(error: unknown, name: string): boolean {
  return error instanceof Error && error.name === name;
}
