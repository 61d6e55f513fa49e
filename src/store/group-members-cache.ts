import type { GroupMembersCache } from '../app/ports';
import * as z from '../shared/zod';
import type { DynamoAccess } from './dynamo-access';
import { GROUP_MEMBERS_SK, groupPk } from './table';

const stored = z.lazy(() =>
  z.object({
    members: z.object({ L: z.array(z.object({ S: z.string() })) }),
    fetchedAt: z.object({ S: z.iso.datetime() }),
  }),
);

/**
 * User-group members in the bot's table (pk GROUP#<id>, sk MEMBERS): written
 * after each lookup from Slack, read by a container that has none of its own.
 * An unreadable item counts as absent, so the caller asks Slack instead.
 */
export function dynamoGroupMembersCache(access: DynamoAccess, tableName: string): GroupMembersCache {
  const key = (groupId: string) => ({ pk: { S: groupPk(groupId) }, sk: { S: GROUP_MEMBERS_SK } });
  return {
    async read(groupId) {
      const { sdk, client } = await access();
      const out = await client.send(new sdk.GetItemCommand({ TableName: tableName, Key: key(groupId) }));
      const parsed = stored.safeParse(out.Item);
      if (!parsed.success) return undefined;
      return {
        members: parsed.data.members.L.map((m) => m.S),
        fetchedAt: new Date(parsed.data.fetchedAt.S),
      };
    },
    async write(groupId, members, fetchedAt) {
      const { sdk, client } = await access();
      await client
        .send(
          new sdk.PutItemCommand({
            TableName: tableName,
            Item: {
              ...key(groupId),
              members: { L: members.map((m) => ({ S: m })) },
              fetchedAt: { S: fetchedAt.toISOString() },
            },
            // An older lookup finishing late must not overwrite a newer one.
            ConditionExpression: 'attribute_not_exists(fetchedAt) OR fetchedAt < :at',
            ExpressionAttributeValues: { ':at': { S: fetchedAt.toISOString() } },
          }),
        )
        .catch((error: unknown) => {
          if ((error as { name?: string }).name !== 'ConditionalCheckFailedException') throw error;
        });
    },
  };
}
