import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { createDynamoClient } from '../store/client';
import { createTable } from '../store/table';

/**
 * The embedded DynamoDB of `npm run dev`: dynalite on loopback, persisted on
 * disk so requests survive a restart, with the table created on start.
 */
export async function startLocalDynamo(
  dataDir: string,
  tableName: string,
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  mkdirSync(dataDir, { recursive: true });
  const server = dynalite({ path: dataDir, createTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({ endpoint });
  await createTable(client, tableName);
  client.destroy();
  return {
    endpoint,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
