import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { createDynamoClient } from '../../src/store/client';
import { createTable } from '../../src/store/table';

/**
 * A throwaway DynamoDB for tests: dynalite in this process, in memory, on
 * 127.0.0.1 at a free port, with the bot's table already created.
 *
 *   const db = await startDynalite();
 *   const store = createDynamoRequestStore({ client: db.client, tableName: db.tableName });
 *   // or pass db.endpoint as DYNAMODB_ENDPOINT and db.tableName as TABLE_NAME to a handler
 *   await db.stop();
 *
 * Each call starts its own server, so tests never see each other's data.
 * Credentials are static placeholders; dynalite accepts any.
 */
export interface LocalDynamo {
  /** `http://127.0.0.1:<port>` */
  endpoint: string;
  /** A client for `endpoint`; destroyed by `stop`. */
  client: DynamoDBClient;
  tableName: string;
  stop(): Promise<void>;
}

export interface StartDynaliteOptions {
  /** Default `invalidation-requests`. */
  tableName?: string;
  /** Skip creating the table (to test table creation itself). */
  createTable?: boolean;
}

export async function startDynalite(options: StartDynaliteOptions = {}): Promise<LocalDynamo> {
  const tableName = options.tableName ?? 'invalidation-requests';
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('dynalite is not listening on TCP');
  const { port } = address;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });

  const stop = async (): Promise<void> => {
    client.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve, reject) =>
      server.close((error) => (error ? reject(error) : resolve())),
    );
  };

  try {
    if (options.createTable !== false) await createTable(client, tableName);
  } catch (error) {
    await stop();
    throw error;
  }
  return { endpoint, client, tableName, stop };
}
