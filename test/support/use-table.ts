import { type AttributeValue, QueryCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll } from 'vitest';
import { DynamoRequestStore } from '../../src/store/dynamo-request-store';
import { type LocalDynamo, startDynalite } from './dynalite';

/** A test file's own table, and the store the tests read and write it through. */
export interface StoreTable {
  /** The file's dynalite, with the bot's table created. */
  readonly db: LocalDynamo;
  readonly store: DynamoRequestStore;
  /** The items a secondary index holds under one key value, read straight from the table. */
  indexItems(
    indexName: string,
    keyAttribute: string,
    value: string,
  ): Promise<Record<string, AttributeValue>[]>;
}

/**
 * One dynalite table for all the tests of a file, started before them (then `seed` runs on its
 * store) and stopped after them: `const table = useStoreTable();` then `table.store.create(…)`.
 */
export function useStoreTable(seed?: (store: DynamoRequestStore) => Promise<void>): StoreTable {
  let started: { db: LocalDynamo; store: DynamoRequestStore } | undefined;
  beforeAll(async () => {
    const db = await startDynalite();
    started = { db, store: new DynamoRequestStore({ client: db.client, tableName: db.tableName }) };
    await seed?.(started.store);
  });
  afterAll(async () => {
    await started?.db.stop();
  });
  const running = () => {
    if (started === undefined) throw new Error('useStoreTable: the table is there only while the tests run');
    return started;
  };
  return {
    get db() {
      return running().db;
    },
    get store() {
      return running().store;
    },
    async indexItems(indexName, keyAttribute, value) {
      const { db } = running();
      const { Items = [] } = await db.client.send(
        new QueryCommand({
          TableName: db.tableName,
          IndexName: indexName,
          KeyConditionExpression: '#key = :value',
          ExpressionAttributeNames: { '#key': keyAttribute },
          ExpressionAttributeValues: { ':value': { S: value } },
        }),
      );
      return Items;
    },
  };
}
