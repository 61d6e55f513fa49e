import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import dynalite from 'dynalite';
import { createDynamoClient } from '../store/client';
import { createTable } from '../store/table';

/**
 * The embedded DynamoDB of `npm run dev`: dynalite on loopback, persisted on
 * disk so requests survive a restart, with the table created on start.
 * One process at a time may hold the data folder (LevelDB locks it, and a
 * second dynalite on it dies later with "Database is closed"), so the holder
 * writes who it is next to it, and a second instance is told that instead.
 */

export interface DataFolderHolder {
  pid: number;
  startedAt: string;
  /** Where the holder answers, e.g. http://localhost:3000/. */
  url?: string;
}

export class DataFolderBusyError extends Error {
  override name = 'DataFolderBusyError';

  constructor(
    readonly dataDir: string,
    readonly holder: DataFolderHolder,
  ) {
    super(
      [
        `Another \`npm run dev\` is using ${dataDir} in this checkout: process ${holder.pid}, started ${holder.startedAt}` +
          `${holder.url ? `, serving ${holder.url}` : ''}.`,
        `Stop it first (Ctrl-C in its terminal, or \`kill ${holder.pid}\`), then run \`npm run dev\` again.`,
        'To run two at once, start the second from another checkout (it gets its own .data/), or point it at a DynamoDB of its own with DYNAMODB_ENDPOINT.',
      ].join('\n'),
    );
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, it is just not ours to signal.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readHolder(file: string): DataFolderHolder | undefined {
  try {
    const parsed: unknown = JSON.parse(readFileSync(file, 'utf8'));
    if (typeof parsed !== 'object' || parsed === null) return undefined;
    const { pid, startedAt, url } = parsed as Record<string, unknown>;
    if (typeof pid !== 'number' || typeof startedAt !== 'string') return undefined;
    return { pid, startedAt, ...(typeof url === 'string' ? { url } : {}) };
  } catch {
    return undefined;
  }
}

/** Claims the data folder for this process; throws DataFolderBusyError while a live process holds it. */
export function claimDataFolder(dataDir: string, url?: string): { release(): void } {
  const file = `${dataDir}.holder.json`;
  const me: DataFolderHolder = {
    pid: process.pid,
    startedAt: `${new Date().toISOString().slice(0, 19).replace('T', ' ')} UTC`,
    ...(url ? { url } : {}),
  };
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${JSON.stringify(me)}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (holder && holder.pid !== process.pid && isAlive(holder.pid))
        throw new DataFolderBusyError(dataDir, holder);
      // Left behind by a process that is gone: take it over.
      unlinkSync(file);
    }
  }
  const release = () => {
    if (readHolder(file)?.pid === process.pid) unlinkSync(file);
  };
  process.once('exit', release);
  return { release };
}

export async function startLocalDynamo(
  dataDir: string,
  tableName: string,
  options: { url?: string } = {},
): Promise<{ endpoint: string; stop(): Promise<void> }> {
  mkdirSync(dataDir, { recursive: true });
  const claim = claimDataFolder(dataDir, options.url);
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
    stop: () =>
      new Promise((resolve) =>
        server.close(() => {
          claim.release();
          resolve();
        }),
      ),
  };
}
