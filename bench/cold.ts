import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  type ApiGatewayV2Event,
  signedEvent,
  slashCommand,
  urlVerification,
} from '../test/support/slack-requests';
import type { FakeEndpoints } from './fakes-process';
import { summarize } from './stats';

/**
 * Cold starts of a bundle, each in a fresh `node` process (bench/cold-start.cjs):
 * require + first invocation. The target measure sends a signed url_verification,
 * which Bolt's receiver answers itself, so no DynamoDB, Slack or CloudFront call
 * is needed. For scale, `measureColdCommands` sends a real first request instead.
 */
export interface ColdSample {
  requireMs: number;
  firstInvokeMs: number;
  totalMs: number;
  statusCode: number;
  answeredChallenge: boolean;
  /** Length of the response body: an opened modal answers the command with an empty one. */
  bodyLength: number;
}

export interface ColdStarts {
  real: ColdSample[];
  bare: ColdSample[];
}

const SIGNING_SECRET = 'bench-signing-secret';
const CHILD_TIMEOUT_MS = 30_000;

const deployManifest = (root: string): string => readFileSync(path.join(root, 'serverless.yml'), 'utf8');

/** The Node major serverless.yml deploys the functions on (`runtime: nodejs24.x` gives 24). */
export function deployedNodeMajor(root: string): number {
  const manifest = deployManifest(root);
  const major = /^\s*runtime:\s*nodejs(\d+)\.x\s*$/m.exec(manifest)?.[1];
  if (major === undefined) throw new Error('serverless.yml names no nodejsNN.x runtime');
  return Number(major);
}

/** NODE_OPTIONS as serverless.yml deploys the functions, so cold starts here start the same way. */
export function deployedNodeOptions(root: string): string {
  const manifest = deployManifest(root);
  return /^\s*NODE_OPTIONS:\s*["']?([^"'\n#]*?)["']?\s*(?:#.*)?$/m.exec(manifest)?.[1]?.trim() ?? '';
}

/**
 * Builds a baseline the way scripts/build.mjs builds the Lambda bundles: bench/bare-slack.ts
 * (the target's, on Bolt's ExpressReceiver, so with express) or bench/bare-http-slack.ts
 * (Bolt's HTTPReceiver, without it, for scale).
 */
export function buildBareBundle(
  root: string,
  outdir: string,
  receiver: 'express' | 'http' = 'express',
): string {
  const name = receiver === 'express' ? 'bare-slack' : 'bare-http-slack';
  const built = spawnSync(
    process.execPath,
    [
      'scripts/build.mjs',
      ...(receiver === 'express' ? ['--with-express'] : []),
      '--outdir',
      outdir,
      `${name}=bench/${name}.ts`,
    ],
    { cwd: root, encoding: 'utf8', timeout: 120_000 },
  );
  if (built.status !== 0) throw new Error(`building the ${name} bundle failed:\n${built.stderr}`);
  return path.join(outdir, `${name}.js`);
}

/** What the real handler needs from its environment, and nothing that reaches a network. */
function childEnv(root: string, nodeOptions: string): Record<string, string> {
  const config = JSON.stringify(
    JSON.parse(readFileSync(path.join(root, 'config/bot-config.example.json'), 'utf8')),
  );
  return {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '/tmp',
    SLACK_SIGNING_SECRET: SIGNING_SECRET,
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    TABLE_NAME: 'invalidation-requests',
    BOT_CONFIG: config,
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  };
}

/** The first request a cold process gets; `challenge` is what the answer must echo, if anything. */
interface FirstRequest {
  event: ApiGatewayV2Event;
  challenge: string;
}

function challengeRequest(): FirstRequest {
  const challenge = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}`;
  return { event: signedEvent(urlVerification(challenge), { secret: SIGNING_SECRET }), challenge };
}

function coldStart(
  root: string,
  bundle: string,
  env: Record<string, string>,
  first: FirstRequest = challengeRequest(),
): ColdSample {
  const { event, challenge } = first;
  const run = spawnSync(process.execPath, [path.join(root, 'bench/cold-start.cjs'), bundle], {
    cwd: root,
    env: { ...env, BENCH_EVENT: JSON.stringify(event), BENCH_CHALLENGE: challenge },
    encoding: 'utf8',
    timeout: CHILD_TIMEOUT_MS,
  });
  const line = run.stdout.trim().split('\n').pop() ?? '';
  if (run.status !== 0 || line === '') {
    throw new Error(`cold start of ${bundle} failed (exit ${run.status}):\n${run.stderr}`);
  }
  return JSON.parse(line) as ColdSample;
}

/**
 * `runs` measured cold starts of each bundle answering a url_verification.
 * `nodeOptions` is NODE_OPTIONS for both (e.g. Lambda's --enable-source-maps).
 */
export function measureColdStarts(
  root: string,
  bundles: { real: string; bare: string },
  runs: number,
  nodeOptions = '',
): ColdStarts {
  return alternate(root, bundles, runs, childEnv(root, nodeOptions), challengeRequest);
}

/** The user whose quick forms the first-command cold starts store. */
export const COLD_COMMAND_USER = 'U0BENCHCOLD';

/** What a first command does in `measureColdCommands`. */
export type FirstCommand = 'modal' | 'quick form';

/**
 * Cold starts whose first request is a real command, against the fakes in
 * another process: `modal` (`/invalidate`) opens the request form, which needs
 * Slack only; `quick form` (`/invalidate www /index.html`) validates, stores the
 * request in DynamoDB, kicks the worker (which posts the card) and answers. The bare bundle only acks
 * the command, so this shows what a first real request costs, not a
 * like-for-like ratio.
 */
export function measureColdCommands(
  root: string,
  bundles: { real: string; bare: string },
  runs: number,
  nodeOptions: string,
  endpoints: FakeEndpoints,
  command: FirstCommand,
): ColdStarts {
  const env = {
    ...childEnv(root, nodeOptions),
    SLACK_API_URL: endpoints.slackApiUrl,
    DYNAMODB_ENDPOINT: endpoints.dynamoEndpoint,
    TABLE_NAME: endpoints.tableName,
    CLOUDFRONT_ENDPOINT: endpoints.cloudfrontEndpoint,
    WORKER_FUNCTION: endpoints.workerFunction,
    LAMBDA_ENDPOINT: endpoints.lambdaEndpoint,
  };
  const text = command === 'modal' ? '' : 'www /index.html';
  const first = (): FirstRequest => ({
    event: signedEvent(slashCommand({ text, userId: COLD_COMMAND_USER, channelId: 'C0APPROVALS' }), {
      secret: SIGNING_SECRET,
    }),
    challenge: '',
  });
  return alternate(root, bundles, runs, env, first);
}

/**
 * The real/bare ratio of cold starts made by `alternate`, robust to this machine's drift.
 * Consecutive fresh processes here do not cost the same: over seconds the box speeds up and
 * slows down by 20-30 % (for both bundles), and within a pair the first start often differs
 * from the second. A ratio of the two medians then depends on which speed each median lands
 * in (one run gave 1.45x from starts whose pairs said 1.2x). So each estimate compares
 * neighbours: two consecutive pairs, one with each order, give
 * sqrt(real1 * real2 / (bare1 * bare2)); the figure is the median of those estimates.
 */
export function balancedRatio(starts: ColdStarts): number {
  const estimates: number[] = [];
  for (let i = 0; i + 1 < Math.min(starts.real.length, starts.bare.length); i += 2) {
    const [r1, r2, b1, b2] = [starts.real[i], starts.real[i + 1], starts.bare[i], starts.bare[i + 1]];
    if (!r1 || !r2 || !b1 || !b2) continue;
    estimates.push(Math.sqrt((r1.totalMs * r2.totalMs) / (b1.totalMs * b2.totalMs)));
  }
  // The bench's one order statistic (nearest rank), as for every other median it reports.
  return summarize(estimates).p50;
}

/** `runs` cold starts of each bundle, alternating which goes first, after one discarded pair. */
function alternate(
  root: string,
  bundles: { real: string; bare: string },
  runs: number,
  env: Record<string, string>,
  first: () => FirstRequest,
): ColdStarts {
  // Page cache and the like: the first start of each file pays for the disk.
  coldStart(root, bundles.real, env, first());
  coldStart(root, bundles.bare, env, first());
  const result: ColdStarts = { real: [], bare: [] };
  for (let i = 0; i < runs; i++) {
    const order: ('real' | 'bare')[] = i % 2 === 0 ? ['real', 'bare'] : ['bare', 'real'];
    for (const kind of order) result[kind].push(coldStart(root, bundles[kind], env, first()));
  }
  return result;
}
