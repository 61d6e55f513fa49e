import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { claimDataFolder, DataFolderBusyError } from '../../src/handlers/local-dynamo';

/** Who holds the embedded DynamoDB's folder: one live process at a time, a dead one's claim taken over. */

function deadPid(): number {
  // A process that has exited: its pid is free (until reused, which a test run will not see).
  return spawnSync(process.execPath, ['-e', '0']).pid ?? 999_999;
}

describe('claimDataFolder', () => {
  it('writes who holds the folder, and removes it on release', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'claim-')), 'dynamodb');
    const claim = claimDataFolder(dir, 'http://localhost:3000/');
    const holder = JSON.parse(readFileSync(`${dir}.holder.json`, 'utf8')) as Record<string, unknown>;
    expect(holder).toMatchObject({ pid: process.pid, url: 'http://localhost:3000/' });
    claim.release();
    expect(existsSync(`${dir}.holder.json`)).toBe(false);
  });

  it('refuses while a live process holds it, naming that process', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'claim-')), 'dynamodb');
    // The test runner's parent is alive and is not this process.
    writeFileSync(
      `${dir}.holder.json`,
      JSON.stringify({ pid: process.ppid, startedAt: '2026-12-01 09:00:00 UTC' }),
    );
    expect(() => claimDataFolder(dir)).toThrow(DataFolderBusyError);
    expect(() => claimDataFolder(dir)).toThrow(`process ${process.ppid}, started 2026-12-01 09:00:00 UTC`);
  });

  it('takes over a claim left by a process that is gone (killed, or stopped with Ctrl-C)', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'claim-')), 'dynamodb');
    writeFileSync(`${dir}.holder.json`, JSON.stringify({ pid: deadPid(), startedAt: 'earlier' }));
    const claim = claimDataFolder(dir);
    expect(JSON.parse(readFileSync(`${dir}.holder.json`, 'utf8'))).toMatchObject({ pid: process.pid });
    claim.release();
  });
});
