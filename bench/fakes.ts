import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { FakeEndpoints } from './fakes-process';

/** The loopback fakes (bench/fakes-process.ts) in a child process, so their CPU is not counted as ours. */
const FAKES_START_TIMEOUT_MS = 30_000;

export function startFakes(root: string): Promise<{ child: ChildProcess; endpoints: FakeEndpoints }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fakes-process.ts'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  // Kept, and shown only if the fakes fail: Node's warnings would clutter the table.
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString('utf8');
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill();
      reject(new Error('the fakes did not start in time'));
    }, FAKES_START_TIMEOUT_MS);
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      clearTimeout(timer);
      lines.close();
      resolve({ child, endpoints: JSON.parse(line) as FakeEndpoints });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`the fakes exited early (code ${code}):\n${stderr}`));
    });
  });
}

export function stopFakes(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve();
    const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.stdin?.end();
    child.kill('SIGTERM');
  });
}
