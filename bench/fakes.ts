import { type ChildProcess, spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import { defaultConfig } from '../test/support/bot';
import type { DrainReport, FakeEndpoints } from './fakes-process';

/** The loopback fakes (bench/fakes-process.ts) in a child process, so their CPU is not counted as ours. */
const FAKES_START_TIMEOUT_MS = 30_000;

/** How slow the fakes answer: Slack's Web API and CloudFront (`hang`: never). */
export interface FakeLatency {
  slackMs?: number;
  cloudfrontMs?: number | 'hang';
}

export function startFakes(
  root: string,
  latency: FakeLatency = {},
): Promise<{ child: ChildProcess; endpoints: FakeEndpoints }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/fakes-process.ts'], {
    cwd: root,
    stdio: ['pipe', 'pipe', 'pipe'],
    env: {
      ...process.env,
      BENCH_SLACK_LATENCY_MS: String(latency.slackMs ?? 0),
      BENCH_CLOUDFRONT_LATENCY_MS: String(latency.cloudfrontMs ?? 0),
    },
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

/** Waits for the work the slack function kicked, and reports what it made (see fakes-process.ts). */
export async function drainFakes(endpoints: FakeEndpoints): Promise<DrainReport> {
  const res = await fetch(`${endpoints.controlUrl}/drain`);
  return (await res.json()) as DrainReport;
}

/** The slack function's environment as the deploy gives it, pointed at the fakes (config: test/support/bot.ts). */
export function slackFunctionEnv(endpoints: FakeEndpoints, signingSecret: string): Record<string, string> {
  return {
    SLACK_SIGNING_SECRET: signingSecret,
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_API_URL: endpoints.slackApiUrl,
    TABLE_NAME: endpoints.tableName,
    DYNAMODB_ENDPOINT: endpoints.dynamoEndpoint,
    CLOUDFRONT_ENDPOINT: endpoints.cloudfrontEndpoint,
    WORKER_FUNCTION: endpoints.workerFunction,
    LAMBDA_ENDPOINT: endpoints.lambdaEndpoint,
    BOT_CONFIG: JSON.stringify(defaultConfig()),
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
  };
}
