import type { AttributeValue, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../src/store/client';

/** The item of a PutItem call, as the hook sees it. */
export interface PutCall {
  item: Record<string, AttributeValue>;
}

/**
 * A second client on the same endpoint whose PutItem calls first go through
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
      return next(args);
    },
    { step: 'initialize', name: 'interceptPuts' },
  );
  return client;
}

export function skOf(call: PutCall): string {
  return call.item.sk?.S ?? '';
}
