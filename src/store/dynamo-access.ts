import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { onFirstUse } from '../shared/on-first-use';

/** The DynamoDB SDK surface and one client. */
export type Aws = { sdk: typeof import('./dynamodb-sdk'); client: DynamoDBClient };

/** The DynamoDB SDK surface and one client, loaded on first use (see ./dynamodb-sdk). */
export type DynamoAccess = () => Promise<Aws>;

/**
 * One lazily made client for everything a function keeps in the table, so a
 * cold start opens one connection pool, not one per adapter.
 */
export function dynamoAccess(options: { client?: DynamoDBClient; endpoint?: string }): DynamoAccess {
  return onFirstUse(async () => {
    const sdk = await import('./dynamodb-sdk');
    const { client, endpoint } = options;
    return { sdk, client: client ?? sdk.createDynamoClient(endpoint ? { endpoint } : {}) };
  });
}
