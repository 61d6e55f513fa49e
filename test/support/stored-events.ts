import { QueryCommand } from '@aws-sdk/client-dynamodb';
import type { LocalDynamo } from './dynalite';

/**
 * The actions of the audit event items stored for a request, read straight from the table: what
 * is stored as event items, not what `listEvents` (which also reads the request item) returns.
 */
export async function eventItemActions(
  db: Pick<LocalDynamo, 'client' | 'tableName'>,
  requestId: string,
): Promise<(string | undefined)[]> {
  const { Items = [] } = await db.client.send(
    new QueryCommand({
      TableName: db.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :evt)',
      ExpressionAttributeValues: { ':pk': { S: `REQ#${requestId}` }, ':evt': { S: 'EVT#' } },
      ConsistentRead: true,
    }),
  );
  return Items.map((item) => item.action?.S);
}
