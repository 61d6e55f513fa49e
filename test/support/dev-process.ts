import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { join, resolve } from 'node:path';

/** `npm run dev` as a real process (tsx on src/handlers/dev.ts), in a directory of the test's choosing. */

const ROOT = resolve(__dirname, '../..');
const TSX = join(ROOT, 'node_modules/.bin/tsx');
const DEV = join(ROOT, 'src/handlers/dev.ts');

export interface DevProcess {
  child: ChildProcess;
  output(): string;
  /** Resolves once the output contains `text` (or matches it); rejects with the output so far after `timeoutMs`. */
  waitFor(text: string | RegExp, timeoutMs?: number): Promise<void>;
  exited(): Promise<number | null>;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((res) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => res(port));
    });
  });
}

export function runDev(env: Record<string, string>, cwd: string): DevProcess {
  let output = '';
  const child = spawn(TSX, [DEV], {
    cwd,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
  });
  const exit = new Promise<number | null>((res) => child.on('exit', res));
  child.stdout?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d.toString();
  });
  const seen = (text: string | RegExp) =>
    typeof text === 'string' ? output.includes(text) : text.test(output);
  return {
    child,
    output: () => output,
    async waitFor(text, timeoutMs = 25_000) {
      const start = Date.now();
      while (!seen(text)) {
        if (child.exitCode !== null)
          throw new Error(`npm run dev exited (${child.exitCode}) before "${text}":\n${output}`);
        if (Date.now() - start > timeoutMs)
          throw new Error(`timed out waiting for "${text}"; output:\n${output}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    exited: () => exit,
    async stop() {
      if (child.exitCode === null) child.kill();
      await exit;
    },
  };
}
