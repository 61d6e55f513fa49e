import { DescribeTableCommand, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../src/store/client';
import { createTable } from '../../src/store/table';
import { type LocalDynamo, startDynalite } from '../support/dynalite';

let db: LocalDynamo;

beforeAll(async () => {
  db = await startDynalite({ tableName: 'contract-check', createTable: false });
});

afterAll(async () => {
  await db?.stop();
});

describe('createTable', () => {
  it('creates the table serverless.yml declares, and does nothing the second time', async () => {
    await createTable(db.client, db.tableName);
    await createTable(db.client, db.tableName);

    const { Table } = await db.client.send(new DescribeTableCommand({ TableName: db.tableName }));
    expect(Table?.TableStatus).toBe('ACTIVE');
    expect(Table?.BillingModeSummary?.BillingMode).toBe('PAY_PER_REQUEST');
    expect(Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    const indexes = Object.fromEntries(
      (Table?.GlobalSecondaryIndexes ?? []).map((i) => [
        i.IndexName,
        {
          keys: i.KeySchema?.map((k) => `${k.AttributeName}:${k.KeyType}`),
          projection: i.Projection?.ProjectionType,
        },
      ]),
    );
    expect(indexes).toEqual({
      active: { keys: ['activePk:HASH', 'activeDue:RANGE'], projection: 'ALL' },
      byRequester: { keys: ['requesterId:HASH', 'id:RANGE'], projection: 'ALL' },
      byDistribution: { keys: ['distributionId:HASH', 'id:RANGE'], projection: 'ALL' },
    });
  });
});

describe('createDynamoClient', () => {
  it('reaches a local endpoint without any AWS credentials configured', async () => {
    const client = createDynamoClient({ endpoint: db.endpoint });
    try {
      const { TableNames } = await client.send(new ListTablesCommand({}));
      expect(TableNames).toContain(db.tableName);
      expect(await client.config.region()).toBe('us-east-1');
    } finally {
      client.destroy();
    }
  });

  it('treats an empty endpoint as none', async () => {
    const client = createDynamoClient({ endpoint: '', region: 'eu-west-1' });
    try {
      expect(client.config.endpoint).toBeUndefined();
      expect(await client.config.region()).toBe('eu-west-1');
    } finally {
      client.destroy();
    }
  });
});
