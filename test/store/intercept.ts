import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../src/store/client';
import { DynamoRequestStore, type DynamoRequestStoreOptions } from '../../src/store/dynamo-request-store';
import { EVENT_SK_PREFIX } from '../../src/store/table';

/** The item of a PutItem call (or of one put in a BatchWriteItem), as the hook sees it. */
export interface PutCall {
  item: Record<string, AttributeValue>;
}

/**
 * A second client on the same endpoint whose item puts first go through
 * `hook`: to let another writer in between a read and a write, or to make a
 * write fail the way a crashed process would leave it. The store under test
 * is the real one; only the wire is interfered with.
 */
export function interceptPuts(endpoint: string, hook: (call: PutCall) => Promise<void>): DynamoDBClient {
  const client = createDynamoClient({ endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const input = args.input;
      if (context.commandName === 'PutItemCommand' && 'Item' in input && input.Item !== undefined) {
        await hook({ item: input.Item });
      }
      // Audit event items go out in batches: each put in a batch is seen as a PutItem would be.
      if (context.commandName === 'BatchWriteItemCommand' && 'RequestItems' in input) {
        for (const writes of Object.values(input.RequestItems ?? {})) {
          for (const write of writes) if (write.PutRequest?.Item) await hook({ item: write.PutRequest.Item });
        }
      }
      return next(args);
    },
    { step: 'initialize', name: 'interceptPuts' },
  );
  return client;
}

export function skOf(call: PutCall): string {
  return call.item.sk?.S ?? '';
}

/** Whether the put is of an audit event item (as opposed to the request item or a list item). */
export function isEventItem(call: PutCall): boolean {
  return skOf(call).startsWith(EVENT_SK_PREFIX);
}

/**
 * Runs `run` with a store whose client goes through `hook` (see interceptPuts), and destroys the
 * client after, however `run` ends.
 */
export async function withInterceptedStore<T>(
  db: { endpoint: string; tableName: string },
  hook: (call: PutCall) => Promise<void>,
  run: (store: DynamoRequestStore) => Promise<T>,
  options: Pick<DynamoRequestStoreOptions, 'maxAttempts' | 'deferEvents' | 'deferRequestItem'> = {},
): Promise<T> {
  const client = interceptPuts(db.endpoint, hook);
  try {
    return await run(new DynamoRequestStore({ client, tableName: db.tableName, ...options }));
  } finally {
    client.destroy();
  }
}

/** A client on `endpoint` that records each DynamoDB operation it sends (`PutItem`, `Query`, …). */
export function countingClient(endpoint: string): { client: DynamoDBClient; calls: string[] } {
  const calls: string[] = [];
  const client = createDynamoClient({ endpoint });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.push(String(context.commandName).replace(/Command$/, ''));
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  return { client, calls };
}
