import { type AttributeValue, GetItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
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

/** One item as the table holds it (a consistent read), or undefined: what no store decodes for you. */
export async function storedItem(
  db: Pick<LocalDynamo, 'client' | 'tableName'>,
  pk: string,
  sk: string,
): Promise<Record<string, AttributeValue> | undefined> {
  const { Item } = await db.client.send(
    new GetItemCommand({
      TableName: db.tableName,
      Key: { pk: { S: pk }, sk: { S: sk } },
      ConsistentRead: true,
    }),
  );
  return Item;
}
