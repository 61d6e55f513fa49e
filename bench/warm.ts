import { fork } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { InvalidationRequest } from '../src/domain/request';
import { createDynamoClient } from '../src/store/client';
import { createDynamoRequestStore } from '../src/store/dynamo-request-store';
import { META_SK, requestPk } from '../src/store/table';
import { APPROVAL_CHANNEL, USERS } from '../test/support/bot';
import {
  type ApiGatewayV2Event,
  blockAction,
  type SlackBody,
  signedEvent,
  slashCommand,
} from '../test/support/slack-requests';
import { nodeFlags } from './as-deployed';
import { deployedNodeOptions } from './cold';
import { drainFakes, slackFunctionEnv, startFakes, stopFakes } from './fakes';
import { logLineLevel, type QuietConsole, quietConsole } from './quiet-console';
import { type Summary, summarize } from './stats';

/**
 * Warm requests through the shipped bundle (dist/slack.js) in this process,
 * against the fakes in a child process. Wall time is what Slack waits for;
 * "own" time is this process's CPU (user + system) during the request: our
 * code, the SDKs and Bolt, without the fakes' work.
 */
export interface WarmScenario {
  name: string;
  wallMs: Summary;
  ownMs: Summary;
  /** Responses other than HTTP 200, and errors the bot logged, during the timed requests. */
  failures: number;
  loggedErrors: number;
  loggedWarnings: number;
}

export interface WarmOptions {
  root: string;
  bundle: string;
  requests: number;
  warmup: number;
}

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;
const SIGNING_SECRET = 'bench-signing-secret';
function loadHandler(bundle: string): LambdaHandler {
  const loaded: unknown = createRequire(__filename)(bundle);
  const handler = (loaded as { handler?: unknown }).handler;
  if (typeof handler !== 'function') throw new Error(`${bundle} does not export handler`);
  return handler as LambdaHandler;
}

const nextTick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Prepares request `i` untimed; the returned call is timed and says whether it succeeded. */
type Prepare = (i: number) => () => Promise<boolean>;

/** A Slack request through the handler, built and signed before the clock starts (that is Slack's work). */
function viaHandler(handler: LambdaHandler, body: (i: number) => SlackBody): Prepare {
  return (i) => {
    const event: ApiGatewayV2Event = signedEvent(body(i), { secret: SIGNING_SECRET });
    return async () => ((await handler(event, {})) as { statusCode?: number }).statusCode === 200;
  };
}

async function run(
  name: string,
  prepare: Prepare,
  options: WarmOptions,
  quiet: QuietConsole,
): Promise<WarmScenario> {
  const wall: number[] = [];
  const own: number[] = [];
  let failures = 0;
  for (let i = 0; i < options.warmup + options.requests; i++) {
    if (i === options.warmup) quiet.take();
    const call = prepare(i);
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    const ok = await call();
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    if (i >= options.warmup) {
      wall.push(elapsed);
      own.push((cpu.user + cpu.system) / 1000);
      if (!ok) failures++;
    }
    // Let sockets and timers the request left behind settle outside the measurement.
    await nextTick();
  }
  const logged = quiet.take();
  for (const line of logged.samples) process.stderr.write(`  [${name}] ${line}\n`);
  return {
    name,
    wallMs: summarize(wall),
    ownMs: summarize(own),
    failures,
    loggedErrors: logged.errors,
    loggedWarnings: logged.warnings,
  };
}

interface ChildSamples {
  wallMs: number[];
  ownMs: number[];
  statuses: (number | undefined)[];
}

/**
 * The same requests timed in a child process that loads only the bundle (bench/warm-child.cjs),
 * as a Lambda container holds only it: this process also holds tsx, the test helpers and a
 * second copy of the SDK, whose GC and background compilation count as its own CPU. Not a
 * target, a reference beside the in-process figure. Its log lines are counted, not shown.
 */
export async function inOwnProcess(
  name: string,
  events: ApiGatewayV2Event[],
  options: WarmOptions,
): Promise<WarmScenario> {
  const child = fork(
    path.join(options.root, 'bench/warm-child.cjs'),
    [path.resolve(options.root, options.bundle)],
    {
      env: process.env,
      // As Lambda starts it: the deployed NODE_OPTIONS flags, none of this process's (tsx).
      execArgv: nodeFlags(deployedNodeOptions(options.root)),
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    },
  );
  let loggedErrors = 0;
  let loggedWarnings = 0;
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString('utf8')).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      const level = logLineLevel(line);
      if (level === 'error') loggedErrors++;
      if (level === 'warn') loggedWarnings++;
    }
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    if (stderr.length < 10_000) stderr += chunk.toString('utf8');
  });
  // 'close' comes after the child's output is read to the end, so its log lines are all counted.
  const closed = new Promise<number | null>((resolve) => child.once('close', resolve));
  const next = <T>(): Promise<T> =>
    new Promise((resolve, reject) => {
      const onClose = (code: number | null) =>
        reject(new Error(`the warm child exited (code ${code}):\n${stderr}`));
      child.once('close', onClose);
      child.once('message', (message) => {
        child.off('close', onClose);
        resolve(message as T);
      });
    });
  try {
    await next<{ ready: true }>();
    child.send({ events });
    const samples = await next<ChildSamples>();
    child.send({ exit: true });
    await closed;
    const timed = <T>(xs: T[]) => xs.slice(options.warmup);
    return {
      name,
      wallMs: summarize(timed(samples.wallMs)),
      ownMs: summarize(timed(samples.ownMs)),
      failures: timed(samples.statuses).filter((status) => status !== 200).length,
      loggedErrors,
      loggedWarnings,
    };
  } finally {
    if (child.exitCode === null && child.signalCode === null) child.kill();
  }
}

export interface WarmResult {
  scenarios: WarmScenario[];
  /** Not a target: building blocks to read the scenarios by. */
  reference: WarmScenario[];
  /** Checks that the scenarios did what they claim (requests stored, approvals recorded). */
  checks: string[];
}

export async function measureWarm(options: WarmOptions): Promise<WarmResult> {
  const { child, endpoints } = await startFakes(options.root);
  let quiet: QuietConsole | undefined;
  try {
    // www needs two approvals, so one approval leaves a request PENDING.
    Object.assign(process.env, slackFunctionEnv(endpoints, SIGNING_SECRET));
    quiet = quietConsole();
    const handler = loadHandler(path.resolve(options.root, options.bundle));
    const store = createDynamoRequestStore({
      client: createDynamoClient({ endpoint: endpoints.dynamoEndpoint }),
      tableName: endpoints.tableName,
    });
    const perScenario = options.warmup + options.requests;
    const checks: string[] = [];

    const modal = await run(
      '/invalidate (opens the modal)',
      viaHandler(handler, () => slashCommand({ text: '', userId: USERS.dave, channelId: APPROVAL_CHANNEL })),
      options,
      quiet,
    );
    // The quick form both measurements time: here, and in a process holding only the bundle below.
    const quickForm = () =>
      slashCommand({ text: 'www /index.html', userId: USERS.alice, channelId: APPROVAL_CHANNEL });
    const quick = await run('/invalidate www /index.html', viaHandler(handler, quickForm), options, quiet);

    // Untimed: the worker posts the cards; the requests the quick form stored become the cards bob approves.
    await drainFakes(endpoints);
    const created = await store.listByRequester(USERS.alice, perScenario + 10);
    const pending = created.filter(
      (r): r is InvalidationRequest & { cardTs: string } => r.status === 'PENDING' && r.cardTs !== undefined,
    );
    checks.push(`quick form stored ${pending.length}/${perScenario} PENDING requests with a card`);
    if (pending.length < perScenario) throw new Error(checks[checks.length - 1]);

    const approve = await run(
      'approve (1 of 2, stays PENDING)',
      viaHandler(handler, (i) => {
        const request = pending[i] as InvalidationRequest & { cardTs: string };
        return blockAction({
          userId: USERS.bob,
          actionId: 'approve',
          value: request.id,
          channelId: request.channel,
          messageTs: request.cardTs,
        });
      }),
      options,
      quiet,
    );
    const after = await store.listByRequester(USERS.alice, perScenario + 10);
    const approvedOnce = after.filter(
      (r) => r.status === 'PENDING' && r.approvals.length === 1 && r.approvals[0]?.userId === USERS.bob,
    );
    checks.push(`approve recorded bob's approval on ${approvedOnce.length}/${perScenario} requests`);

    // For scale: what one DynamoDB call costs this process through the same SDK client setup.
    const client = createDynamoClient({ endpoint: endpoints.dynamoEndpoint });
    const key = { pk: { S: requestPk(pending[0]?.id ?? 'none') }, sk: { S: META_SK } };
    const getItem = await run(
      'reference: one DynamoDB GetItem',
      () => async () => {
        const got = await client.send(new GetItemCommand({ TableName: endpoints.tableName, Key: key }));
        return got.Item !== undefined;
      },
      options,
      quiet,
    );
    client.destroy();
    const quickAlone = await inOwnProcess(
      'reference: /invalidate www /index.html, in a process holding only the bundle',
      Array.from({ length: perScenario }, () => signedEvent(quickForm(), { secret: SIGNING_SECRET })),
      options,
    );
    return { scenarios: [modal, quick, approve], reference: [getItem, quickAlone], checks };
  } finally {
    quiet?.restore();
    await stopFakes(child);
  }
}
