import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { signedEvent, urlVerification } from '../test/support/slack-requests';
import type { ColdSample, ColdStarts } from './cold';
import type { SsmFakeEndpoint } from './ssm-fake-process';

/**
 * Cold init as deployed: the environment names the two SSM parameters instead of holding the
 * secrets, so the first invocation reads both values (one GetParameters,
 * against the loopback SSM fake in a process of its own) before it answers. Compared with the
 * bare Bolt bundle given its secret in the environment, as in bench/cold.ts.
 */

const SIGNING_SECRET = 'bench-ssm-signing-secret';

function startSsmFakeProcess(root: string): Promise<{ stop: () => void; endpoint: SsmFakeEndpoint }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'bench/ssm-fake-process.ts'], {
    cwd: root,
    env: { ...process.env, BENCH_SIGNING_SECRET: SIGNING_SECRET },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
    lines.once('line', (line) => {
      lines.close();
      resolve({
        endpoint: JSON.parse(line) as SsmFakeEndpoint,
        stop: () => {
          child.stdin?.end();
          child.kill('SIGTERM');
        },
      });
    });
    child.once('exit', (code) => reject(new Error(`the SSM fake exited early (code ${code})`)));
  });
}

function coldStart(root: string, bundle: string, env: Record<string, string>): ColdSample {
  const challenge = `bench-ssm-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  const event = signedEvent(urlVerification(challenge), { secret: SIGNING_SECRET });
  const run = spawnSync(process.execPath, [path.join(root, 'bench/cold-start.cjs'), bundle], {
    cwd: root,
    env: { ...env, BENCH_EVENT: JSON.stringify(event), BENCH_CHALLENGE: challenge },
    encoding: 'utf8',
    timeout: 30_000,
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || line === '') {
    throw new Error(`cold start of ${bundle} failed (exit ${run.status}):\n${run.stderr}`);
  }
  return JSON.parse(line) as ColdSample;
}

/** `runs` cold starts of each, alternating which goes first, after one discarded pair. */
export async function measureColdStartsWithSsm(
  root: string,
  bundles: { real: string; bare: string },
  runs: number,
  nodeOptions: string,
): Promise<ColdStarts> {
  const fake = await startSsmFakeProcess(root);
  try {
    const common: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '/tmp',
      TABLE_NAME: 'invalidation-requests',
      BOT_CONFIG: JSON.stringify(
        JSON.parse(readFileSync(path.join(root, 'config/bot-config.example.json'), 'utf8')),
      ),
      AWS_ACCESS_KEY_ID: 'bench',
      AWS_SECRET_ACCESS_KEY: 'bench',
      AWS_SESSION_TOKEN: 'bench',
      AWS_REGION: 'us-east-1',
      ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
    };
    const env = {
      real: {
        ...common,
        SLACK_SIGNING_SECRET_PARAM: fake.endpoint.signingSecretParam,
        SLACK_BOT_TOKEN_PARAM: fake.endpoint.botTokenParam,
        SSM_ENDPOINT: fake.endpoint.ssmEndpoint,
      },
      // The bare bundle has no SSM code: it gets the values, as a bundle without this feature would.
      bare: { ...common, SLACK_SIGNING_SECRET: SIGNING_SECRET, SLACK_BOT_TOKEN: 'xoxb-bench-token' },
    };
    coldStart(root, bundles.real, env.real);
    coldStart(root, bundles.bare, env.bare);
    const result: ColdStarts = { real: [], bare: [] };
    for (let i = 0; i < runs; i++) {
      const order: ('real' | 'bare')[] = i % 2 === 0 ? ['real', 'bare'] : ['bare', 'real'];
      for (const kind of order) result[kind].push(coldStart(root, bundles[kind], env[kind]));
    }
    return result;
  } finally {
    fake.stop();
  }
}
