import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { InvalidationRequest } from '../src/domain/request';
import { createDynamoClient } from '../src/store/client';
import { createDynamoRequestStore } from '../src/store/dynamo-request-store';
import { APPROVAL_CHANNEL, USERS } from '../test/support/bot';
import {
  type ApiGatewayV2Event,
  blockAction,
  type SlackBody,
  signedEvent,
  slashCommand,
  viewSubmission,
} from '../test/support/slack-requests';
import { deployedNodeOptions } from './cold';
import { drainFakes, type FakeLatency, slackFunctionEnv, startFakes, stopFakes } from './fakes';
import type { DrainReport } from './fakes-process';
import { quietConsole } from './quiet-console';
import { type Summary, summarize } from './stats';
import { ms, type Row } from './table';

/**
 * How long Slack waits for its answer when everything behind the bot is slow:
 * every Web API call answered after 800 ms, and CloudFront after 3 s or never.
 * Warm requests go through the shipped dist/slack.js in this process; cold
 * ones each start a fresh process (bench/cold-start.cjs). The worker the kicks
 * start runs in the fakes' process; at the end every request must have exactly
 * one card and at most one invalidation (exactly one where CloudFront answers).
 */

export interface AnswerScenario {
  name: string;
  wallMs: Summary;
  failures: number;
}

export interface AnswerProfile {
  name: string;
  warm: AnswerScenario[];
  cold: AnswerScenario[];
  checks: string[];
  /** Every request: one card; where CloudFront answers, one invalidation. */
  exactlyOnce: boolean;
}

const SIGNING_SECRET = 'bench-signing-secret';
const SLACK_LATENCY_MS = 800;
const COLD_RUNS = 9;

type LambdaHandler = (event: unknown, context: unknown) => Promise<unknown>;

/** A fresh copy of the bundle and its lazy files, so each profile starts from its own environment. */
function loadFresh(bundle: string): LambdaHandler {
  const require = createRequire(__filename);
  const dist = path.dirname(bundle);
  for (const key of Object.keys(require.cache)) if (key.startsWith(dist)) delete require.cache[key];
  const loaded = require(bundle) as { handler?: unknown };
  if (typeof loaded.handler !== 'function') throw new Error(`${bundle} does not export handler`);
  return loaded.handler as LambdaHandler;
}

async function timed(
  handler: LambdaHandler,
  name: string,
  bodies: readonly SlackBody[],
  warmup: number,
): Promise<AnswerScenario> {
  const wall: number[] = [];
  let failures = 0;
  for (const [i, body] of bodies.entries()) {
    const event: ApiGatewayV2Event = signedEvent(body, { secret: SIGNING_SECRET });
    const started = performance.now();
    const res = (await handler(event, {})) as { statusCode?: number; body?: string };
    const elapsed = performance.now() - started;
    if (i >= warmup) {
      wall.push(elapsed);
      if (res.statusCode !== 200 || (res.body ?? '').includes('errors":{')) failures++;
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
  return { name, wallMs: summarize(wall), failures };
}

function click(userId: string, request: InvalidationRequest): SlackBody {
  return blockAction({
    userId,
    actionId: 'approve',
    value: request.id,
    channelId: request.channel,
    messageTs: request.cardTs ?? '1700000000.000100',
  });
}

/** One cold start per run, in a fresh process, whose first request is `body(i)`. */
function coldRuns(
  root: string,
  env: Record<string, string>,
  name: string,
  body: (i: number) => SlackBody,
): AnswerScenario {
  const wall: number[] = [];
  let failures = 0;
  // Started as Lambda starts the function (serverless.yml's NODE_OPTIONS), as in bench/cold.ts.
  const nodeOptions = deployedNodeOptions(root);
  for (let i = 0; i < COLD_RUNS; i++) {
    const event = signedEvent(body(i), { secret: SIGNING_SECRET });
    const run = spawnSync(
      process.execPath,
      [path.join(root, 'bench/cold-start.cjs'), path.join(root, 'dist/slack.js')],
      {
        cwd: root,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '/tmp',
          ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
          ...env,
          BENCH_EVENT: JSON.stringify(event),
        },
        encoding: 'utf8',
        timeout: 30_000,
      },
    );
    const line = run.stdout.trim().split('\n').pop() ?? '';
    const sample = line ? (JSON.parse(line) as { totalMs: number; statusCode: number }) : undefined;
    if (run.status !== 0 || !sample || sample.statusCode !== 200) failures++;
    else wall.push(sample.totalMs);
  }
  return { name, wallMs: summarize(wall), failures };
}

async function profile(
  root: string,
  name: string,
  latency: FakeLatency,
  requests: number,
  warmup: number,
): Promise<AnswerProfile> {
  const { child, endpoints } = await startFakes(root, latency);
  const quiet = quietConsole();
  try {
    const env = slackFunctionEnv(endpoints, SIGNING_SECRET);
    Object.assign(process.env, env);
    const handler = loadFresh(path.join(root, 'dist/slack.js'));
    const store = createDynamoRequestStore({
      client: createDynamoClient({ endpoint: endpoints.dynamoEndpoint }),
      tableName: endpoints.tableName,
    });
    const n = warmup + requests;
    const quick = await timed(
      handler,
      'quick form',
      Array.from({ length: n }, () =>
        slashCommand({ text: 'www /index.html', userId: USERS.alice, channelId: APPROVAL_CHANNEL }),
      ),
      warmup,
    );
    const modal = await timed(
      handler,
      'modal submission',
      Array.from({ length: n }, () =>
        viewSubmission({ userId: USERS.dave, values: { distribution: 'www', paths: '/modal.html' } }),
      ),
      warmup,
    );
    const pending = (await store.listByRequester(USERS.alice, n + 5)).filter((r) => r.status === 'PENDING');
    // eve approves through the approver group S0SREGROUP, then bob's approval is the final one.
    const byGroup = await timed(
      handler,
      'approve (1 of 2, by a group approver)',
      pending.map((r) => click(USERS.eve, r)),
      warmup,
    );
    const final = await timed(
      handler,
      'approve (final, submits)',
      pending.map((r) => click(USERS.bob, r)),
      warmup,
    );
    const report: DrainReport = await drainFakes(endpoints);

    const cold = [
      coldRuns(root, env, 'cold: quick form', () =>
        slashCommand({ text: 'www /cold.html', userId: USERS.carol, channelId: APPROVAL_CHANNEL }),
      ),
      coldRuns(root, env, 'cold: approve (by a group approver)', (i) =>
        click(USERS.eve, pending[i] ?? (pending[0] as InvalidationRequest)),
      ),
    ];
    const afterCold = await drainFakes(endpoints);

    const all = [
      ...(await store.listByRequester(USERS.alice, n + 5)),
      ...(await store.listByRequester(USERS.dave, n + 5)),
    ];
    const cards = all.map((r) => afterCold.cards[r.id] ?? 0);
    const approved = pending.map((r) => report.invalidations[r.id] ?? 0);
    const calls = pending.map((r) => report.creates[r.id] ?? 0);
    const cloudFrontAnswers = latency.cloudfrontMs !== 'hang';
    const checks = [
      `${all.length} requests stored, ${cards.filter((c) => c === 1).length} with exactly one card`,
      `${pending.length} approved: ${approved.filter((c) => c === 1).length} with exactly one invalidation, ${approved.filter((c) => c > 1).length} with more (${calls.reduce((a, b) => a + b, 0)} CreateInvalidation calls)`,
      `${report.kicks} kicks, ${report.workerFailures} worker runs threw`,
    ];
    const exactlyOnce =
      cards.every((c) => c === 1) && approved.every((c) => (cloudFrontAnswers ? c === 1 : c <= 1));
    return { name, warm: [quick, modal, byGroup, final], cold, checks, exactlyOnce };
  } finally {
    const logged = quiet.take();
    for (const line of logged.samples.slice(0, 5)) process.stderr.write(`  [${name}] ${line}\n`);
    quiet.restore();
    await stopFakes(child);
  }
}

export async function measureAnswerFirst(
  root: string,
  requests: number,
  warmup: number,
): Promise<AnswerProfile[]> {
  return [
    await profile(
      root,
      `Slack ${SLACK_LATENCY_MS} ms, CloudFront 3 s`,
      { slackMs: SLACK_LATENCY_MS, cloudfrontMs: 3_000 },
      requests,
      warmup,
    ),
    await profile(
      root,
      `Slack ${SLACK_LATENCY_MS} ms, CloudFront hanging`,
      { slackMs: SLACK_LATENCY_MS, cloudfrontMs: 'hang' },
      requests,
      warmup,
    ),
  ];
}

export const TARGET_ANSWER_WARM_P99_MS = 300;
export const TARGET_ANSWER_COLD_MS = 1_000;

/** Rows for the table, and one verdict line per profile. */
export function answerFirstReport(profiles: readonly AnswerProfile[]): {
  rows: Row[];
  targets: { ok: boolean; line: string }[];
} {
  const rows: Row[] = [];
  const targets: { ok: boolean; line: string }[] = [];
  for (const p of profiles) {
    for (const s of p.warm) {
      const ok = s.wallMs.p99 <= TARGET_ANSWER_WARM_P99_MS && s.failures === 0;
      rows.push([
        '6',
        `${p.name}: warm ${s.name}, time to answer (n=${s.wallMs.n})`,
        `p50 ${ms(s.wallMs.p50)}  p99 ${ms(s.wallMs.p99)}  max ${ms(s.wallMs.max)}${s.failures ? ` [${s.failures} failed]` : ''}`,
        `p99 <= ${TARGET_ANSWER_WARM_P99_MS} ms`,
        ok ? 'PASS' : 'FAIL',
      ]);
      targets.push({
        ok,
        line: `${p.name}: warm ${s.name} p99 ${ms(s.wallMs.p99)} vs <= ${TARGET_ANSWER_WARM_P99_MS} ms`,
      });
    }
    for (const s of p.cold) {
      const ok = s.wallMs.p50 <= TARGET_ANSWER_COLD_MS && s.failures === 0;
      rows.push([
        '6',
        `${p.name}: ${s.name}, time to answer (n=${s.wallMs.n})`,
        `median ${ms(s.wallMs.p50)}  max ${ms(s.wallMs.max)}${s.failures ? ` [${s.failures} failed]` : ''}`,
        `median <= ${TARGET_ANSWER_COLD_MS} ms`,
        ok ? 'PASS' : 'FAIL',
      ]);
      targets.push({
        ok,
        line: `${p.name}: ${s.name} median ${ms(s.wallMs.p50)} vs <= ${TARGET_ANSWER_COLD_MS} ms`,
      });
    }
    rows.push([
      '6',
      `${p.name}: in the end`,
      p.checks.join('; '),
      'one card, one invalidation each',
      p.exactlyOnce ? 'PASS' : 'FAIL',
    ]);
    targets.push({ ok: p.exactlyOnce, line: `${p.name}: ${p.checks.slice(0, 2).join('; ')}` });
  }
  return { rows, targets };
}
