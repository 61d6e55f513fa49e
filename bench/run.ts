import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { createDynamoClient } from '../src/store/client';
import { createDynamoRequestStore } from '../src/store/dynamo-request-store';
import { answerFirstReport, measureAnswerFirst } from './answer-first';
import { relaunchAsDeployed } from './as-deployed';
import {
  balancedRatio,
  buildBareBundle,
  COLD_COMMAND_USER,
  type ColdSample,
  deployedNodeMajor,
  deployedNodeOptions,
  measureColdCommands,
  measureColdStarts,
} from './cold';
import { measureColdStartsWithSsm } from './cold-ssm';
import { type CompletionResult, measureCompletion } from './completion';
import { type CallCounts, countCalls } from './counts';
import { startFakes, stopFakes } from './fakes';
import { measureLargeRequest } from './large-request';
import { summarize, total } from './stats';
import { listCounts, mib, ms, type Row, renderTable } from './table';
import { measureWarm } from './warm';

/**
 * `npm run bench` (after `node scripts/build.mjs`): bundle sizes, cold init
 * against a bare Bolt bundle, warm handling time through the shipped bundle,
 * and the calls one request costs. Prints one table and a verdict per target;
 * writes everything to bench/.out/results.json. Numbers are medians,
 * percentiles and ratios: one run of anything is noise on a shared box.
 */

const ROOT = path.resolve(__dirname, '..');
const OUT = path.join(ROOT, 'bench/.out');
const COLD_RUNS = 21;
const WARM_REQUESTS = 500;
const WARM_UP = 50;
const TARGET_SLACK_BYTES = 2_000_000;
const TARGET_COLD_RATIO = 1.3;
const TARGET_OWN_P99_MS = 25;
const TARGET_COMPLETION_P50_MS = 3_000;
const TARGET_COMPLETION_P95_MS = 6_000;
const TARGET_OVERLAP_RATIO = 1.2;
const ANSWER_REQUESTS = 100;
const ANSWER_WARM_UP = 10;

const verdict = (ok: boolean): string => (ok ? 'PASS' : 'FAIL');

function bundleSize(file: string): { bytes: number; gzipBytes: number } {
  const full = path.join(ROOT, file);
  return { bytes: statSync(full).size, gzipBytes: gzipSync(readFileSync(full)).length };
}

function coldSummary(samples: readonly ColdSample[], challenge = true) {
  const bad = samples.filter((s) => s.statusCode !== 200 || (challenge && !s.answeredChallenge)).length;
  if (bad > 0)
    throw new Error(`${bad} cold starts did not answer ${challenge ? 'the challenge' : 'with 200'}`);
  return {
    total: summarize(samples.map((s) => s.totalMs)),
    require: summarize(samples.map((s) => s.requireMs)),
    firstInvoke: summarize(samples.map((s) => s.firstInvokeMs)),
  };
}

function completionRows(completion: CompletionResult): Row[] {
  const seconds = (value: number) => `${(value / 1000).toFixed(2)} s`;
  const rows: Row[] = completion.scenarios.flatMap((s): Row[] => [
    [
      '7',
      `completion at CloudFront to thread reply, ${s.name} (n=${s.latencyMs.n} of ${s.invalidations})`,
      `p50 ${seconds(s.latencyMs.p50)}  p95 ${seconds(s.latencyMs.p95)}  max ${seconds(s.latencyMs.max)}`,
      'p50 <= 3 s, p95 <= 6 s',
      verdict(completionOk(s)),
    ],
    [
      '7',
      `GetInvalidation per completed invalidation, ${s.name}`,
      `${s.getPerCompleted.toFixed(2)} (${s.getInvalidationCalls} calls)`,
      '',
      '',
    ],
  ]);
  rows.push([
    '7',
    'GetInvalidation per completion, three overlapping runs / one run',
    `${completion.overlapRatio.toFixed(2)}x`,
    '<= 1.2x',
    verdict(completion.overlapRatio <= TARGET_OVERLAP_RATIO),
  ]);
  return rows;
}

function completionOk(s: CompletionResult['scenarios'][number]): boolean {
  return (
    s.completed === s.invalidations &&
    s.latencyMs.p50 <= TARGET_COMPLETION_P50_MS &&
    s.latencyMs.p95 <= TARGET_COMPLETION_P95_MS
  );
}

function countsRows(label: string, counts: CallCounts): Row[] {
  return [
    ['4', `${label}: DynamoDB (${total(counts.dynamo)})`, listCounts(counts.dynamo), '', ''],
    ['4', `${label}: Slack (${total(counts.slack)})`, listCounts(counts.slack), '', ''],
    ['4', `${label}: CloudFront (${total(counts.cloudfront)})`, listCounts(counts.cloudfront), '', ''],
  ];
}

/**
 * Not a target: what a cold start costs when its first request is real work,
 * against the fakes in a child process. Opening the modal needs Slack only; a
 * quick form also stores the request (DynamoDB) and posts the card.
 */
async function coldFirstCommands(bundles: { real: string; bare: string }, nodeOptions: string) {
  const { child, endpoints } = await startFakes(ROOT);
  try {
    const modal = measureColdCommands(ROOT, bundles, COLD_RUNS, nodeOptions, endpoints, 'modal');
    // The modal is the answer: an empty body; a failed views.open answers with an ephemeral error.
    const unopened = modal.real.filter((s) => s.bodyLength > 0).length;
    if (unopened > 0) throw new Error(`${unopened} cold starts did not open the modal`);
    const quick = measureColdCommands(ROOT, bundles, COLD_RUNS, nodeOptions, endpoints, 'quick form');
    const client = createDynamoClient({ endpoint: endpoints.dynamoEndpoint });
    const store = createDynamoRequestStore({ client, tableName: endpoints.tableName });
    // Every real start (and the discarded first one) must have stored its request.
    const stored = (await store.listByRequester(COLD_COMMAND_USER, COLD_RUNS + 10)).length;
    client.destroy();
    if (stored !== COLD_RUNS + 1)
      throw new Error(`cold quick forms stored ${stored}/${COLD_RUNS + 1} requests`);
    return {
      modal: { real: coldSummary(modal.real, false), bare: coldSummary(modal.bare, false) },
      quick: {
        real: coldSummary(quick.real, false),
        bare: coldSummary(quick.bare, false),
        check: `${stored} requests stored`,
      },
    };
  } finally {
    await stopFakes(child);
  }
}

async function main(): Promise<void> {
  const startedAt = performance.now();
  mkdirSync(OUT, { recursive: true });
  const progress = (step: string) =>
    process.stderr.write(`bench: ${step} (${((performance.now() - startedAt) / 1000).toFixed(0)} s)\n`);

  // The figures are the deployed runtime's: `npm run bench` runs this on it (scripts/node24.sh).
  const lambdaMajor = deployedNodeMajor(ROOT);
  const runtimeNote =
    Number(process.versions.node.split('.')[0]) === lambdaMajor
      ? `the Lambda runtime's major (nodejs${lambdaMajor}.x)`
      : `NOT the Lambda runtime (nodejs${lambdaMajor}.x): these figures are not as deployed`;
  // Without tsx's own loader flags: the ones serverless.yml deploys with (./as-deployed.ts).
  const flags = process.execArgv
    .filter((flag) => flag.startsWith('--') && !flag.startsWith('--import'))
    .join(' ');
  progress(`on node ${process.version}, ${runtimeNote}, with ${flags || 'no flags'}`);
  progress('bundle sizes');
  const slackSize = bundleSize('dist/slack.js');
  const pollerSize = bundleSize('dist/poller.js');

  const nodeOptions = deployedNodeOptions(ROOT);
  progress(
    `cold starts, ${COLD_RUNS} of each bundle, with NODE_OPTIONS="${nodeOptions}" as deployed and without`,
  );
  const bareBundle = buildBareBundle(ROOT, OUT);
  const bareSize = bundleSize(path.relative(ROOT, bareBundle));
  const bundles = { real: path.join(ROOT, 'dist/slack.js'), bare: bareBundle };
  const cold = measureColdStarts(ROOT, bundles, COLD_RUNS, nodeOptions);
  const coldReal = coldSummary(cold.real);
  const coldBare = coldSummary(cold.bare);
  const coldRatio = balancedRatio(cold);
  const coldRatioOfMedians = coldReal.total.p50 / coldBare.total.p50;
  const coldPlain = nodeOptions === '' ? cold : measureColdStarts(ROOT, bundles, COLD_RUNS);
  const coldPlainReal = coldSummary(coldPlain.real);
  const coldPlainBare = coldSummary(coldPlain.bare);
  const coldPlainRatio = balancedRatio(coldPlain);

  progress(`cold starts with the Slack secrets read from SSM (loopback fake), ${COLD_RUNS} of each`);
  const coldSsm = await measureColdStartsWithSsm(ROOT, bundles, COLD_RUNS, nodeOptions);
  const coldSsmReal = coldSummary(coldSsm.real);
  const coldSsmRatio = balancedRatio(coldSsm);
  const coldSsmBare = coldSummary(coldSsm.bare);
  const coldSsmRatioOfMedians = coldSsmReal.total.p50 / coldSsmBare.total.p50;

  progress(`the same two against a bare Bolt app on HTTPReceiver (no express), ${COLD_RUNS} of each`);
  const bareHttpBundle = buildBareBundle(ROOT, OUT, 'http');
  const bareHttpSize = bundleSize(path.relative(ROOT, bareHttpBundle));
  const httpBundles = { real: bundles.real, bare: bareHttpBundle };
  const coldHttp = measureColdStarts(ROOT, httpBundles, COLD_RUNS, nodeOptions);
  const coldHttpBare = coldSummary(coldHttp.bare);
  const coldHttpRatio = balancedRatio(coldHttp);
  const coldSsmHttp = await measureColdStartsWithSsm(ROOT, httpBundles, COLD_RUNS, nodeOptions);
  const coldSsmHttpRatio = balancedRatio(coldSsmHttp);

  progress(`cold starts whose first request opens the modal, then a quick form, ${COLD_RUNS} of each`);
  const firstCommand = await coldFirstCommands(bundles, nodeOptions);

  progress(`warm requests, ${WARM_UP} + ${WARM_REQUESTS} per scenario`);
  const warm = await measureWarm({
    root: ROOT,
    bundle: 'dist/slack.js',
    requests: WARM_REQUESTS,
    warmup: WARM_UP,
  });

  progress('time to answer with a slow Slack and a slow or hanging CloudFront');
  const answerFirst = answerFirstReport(await measureAnswerFirst(ROOT, ANSWER_REQUESTS, ANSWER_WARM_UP));

  progress('call counts');
  const counts = await countCalls();

  progress('completion latency: invalidations completing 1-25 s after creation, three scenarios at once');
  const completion = await measureCompletion();
  const completionTargetsOk =
    completion.scenarios.every(completionOk) && completion.overlapRatio <= TARGET_OVERLAP_RATIO;
  const idle = counts.idlePoll;
  const idleOk =
    total(idle.dynamo) === 1 &&
    idle.dynamo.Query === 1 &&
    total(idle.slack) === 0 &&
    total(idle.cloudfront) === 0;

  progress('a request of 10,000 paths end to end');
  const large = await measureLargeRequest();

  const slackOk = slackSize.bytes <= TARGET_SLACK_BYTES;
  const coldOk = coldRatio <= TARGET_COLD_RATIO;
  const ownOk = warm.scenarios.every((s) => s.ownMs.p99 <= TARGET_OWN_P99_MS && s.failures === 0);

  const size = (s: { bytes: number; gzipBytes: number }) =>
    `${s.bytes.toLocaleString('en')} B (${mib(s.bytes)}; gzip ${mib(s.gzipBytes)})`;
  const coldCell = (c: ReturnType<typeof coldSummary>) =>
    `median ${ms(c.total.p50)} (require ${ms(c.require.p50)} + first call ${ms(c.firstInvoke.p50)}); p90 ${ms(c.total.p90)}`;
  const deployedAs = nodeOptions === '' ? 'plain node' : `NODE_OPTIONS=${nodeOptions}`;
  const rows: Row[] = [
    ['1', 'size dist/slack.js', size(slackSize), '<= 2 MB', verdict(slackOk)],
    ['1', 'size dist/poller.js', size(pollerSize), '', ''],
    ['1', 'size bare Bolt bundle (baseline)', size(bareSize), '', ''],
    ['1', 'size bare Bolt on HTTPReceiver (for scale)', size(bareHttpSize), '', ''],
    ['2', `cold init dist/slack.js, ${deployedAs} (n=${coldReal.total.n})`, coldCell(coldReal), '', ''],
    ['2', `cold init bare Bolt, ${deployedAs} (n=${coldBare.total.n})`, coldCell(coldBare), '', ''],
    [
      '2',
      `cold init ratio real/bare, ${deployedAs}, neighbouring pairs`,
      `${coldRatio.toFixed(2)}x (ratio of the medians: ${coldRatioOfMedians.toFixed(2)}x)`,
      '<= 1.3x',
      verdict(coldOk),
    ],
    [
      '2',
      `cold init dist/slack.js, secrets read from SSM (n=${coldSsmReal.total.n})`,
      coldCell(coldSsmReal),
      '',
      '',
    ],
    [
      '2',
      'cold init ratio with SSM / bare Bolt, neighbouring pairs',
      `${coldSsmRatio.toFixed(2)}x (ratio of the medians: ${coldSsmRatioOfMedians.toFixed(2)}x)`,
      '<= 1.3x',
      verdict(coldSsmRatio <= TARGET_COLD_RATIO),
    ],
    [
      '2',
      `cold init bare Bolt on HTTPReceiver, no express, ${deployedAs} (n=${coldHttpBare.total.n})`,
      coldCell(coldHttpBare),
      '',
      '',
    ],
    [
      '2',
      'cold init ratio real/bare on HTTPReceiver, neighbouring pairs: as deployed / with SSM',
      `${coldHttpRatio.toFixed(2)}x / ${coldSsmHttpRatio.toFixed(2)}x`,
      '(for scale)',
      '',
    ],
    [
      '2',
      `cold start to an opened modal, dist/slack.js (n=${firstCommand.modal.real.total.n})`,
      coldCell(firstCommand.modal.real),
      '',
      '',
    ],
    [
      '2',
      `cold start to a first quick form, dist/slack.js (n=${firstCommand.quick.real.total.n})`,
      `${coldCell(firstCommand.quick.real)} [${firstCommand.quick.check}]`,
      '',
      '',
    ],
    [
      '2',
      `cold start to a first command, bare Bolt acking it (n=${firstCommand.modal.bare.total.n})`,
      coldCell(firstCommand.modal.bare),
      '',
      '',
    ],
    ...(nodeOptions === ''
      ? []
      : ([
          [
            '2',
            `cold init dist/slack.js, plain node (n=${coldPlainReal.total.n})`,
            coldCell(coldPlainReal),
            '',
            '',
          ],
          [
            '2',
            `cold init bare Bolt, plain node (n=${coldPlainBare.total.n})`,
            coldCell(coldPlainBare),
            '',
            '',
          ],
          [
            '2',
            'cold init ratio real/bare, plain node, neighbouring pairs',
            `${coldPlainRatio.toFixed(2)}x`,
            '(<= 1.3x)',
            `(${verdict(coldPlainRatio <= TARGET_COLD_RATIO)})`,
          ],
        ] satisfies Row[])),
  ];
  for (const s of warm.scenarios) {
    const sanity =
      s.failures + s.loggedErrors > 0 ? ` [${s.failures} non-200, ${s.loggedErrors} errors logged]` : '';
    rows.push(
      [
        '3',
        `warm ${s.name}: wall (n=${s.wallMs.n})`,
        `p50 ${ms(s.wallMs.p50)}  p99 ${ms(s.wallMs.p99)}  max ${ms(s.wallMs.max)}`,
        '',
        '',
      ],
      [
        '3',
        `warm ${s.name}: own CPU`,
        `p50 ${ms(s.ownMs.p50)}  p99 ${ms(s.ownMs.p99)}  max ${ms(s.ownMs.max)}${sanity}`,
        'p99 <= 25 ms',
        verdict(s.ownMs.p99 <= TARGET_OWN_P99_MS && s.failures === 0),
      ],
    );
  }
  for (const s of warm.reference) {
    rows.push([
      '3',
      `${s.name} (n=${s.wallMs.n})`,
      `wall p50 ${ms(s.wallMs.p50)} p99 ${ms(s.wallMs.p99)}; own CPU p50 ${ms(s.ownMs.p50)} p99 ${ms(s.ownMs.p99)}`,
      '',
      '',
    ]);
  }
  for (const phase of counts.lifecycle) rows.push(...countsRows(phase.name, phase.counts));
  rows.push(...countsRows(`whole lifecycle, ends ${counts.finalStatus}`, counts.lifecycleTotal));
  rows.push([
    '5',
    'idle poller run: DynamoDB / Slack / CloudFront',
    `${listCounts(idle.dynamo)} / ${total(idle.slack)} / ${total(idle.cloudfront)}`,
    'Query 1 / 0 / 0',
    verdict(idleOk),
  ]);
  rows.push(...completionRows(completion));
  rows.push(...answerFirst.rows);

  rows.push(
    [
      '6',
      `${large.paths.toLocaleString('en')} paths (paths_file): ${large.batches.length} batches, ends ${large.finalStatus}`,
      `${large.batches.map((b) => b.paths).join(' + ')} paths; wall ${ms(large.wallMs)} (answer ${ms(large.answerMs)}, ${large.pollRuns} poller runs)`,
      '',
      '',
    ],
    [
      '6',
      '10,000 paths: DynamoDB / CloudFront / Slack',
      `${listCounts(large.dynamo)} / ${listCounts(large.cloudfront)} / ${listCounts(large.slack)}`,
      '',
      '',
    ],
    [
      '6',
      '10,000 paths: largest table item',
      `${large.largestItemBytes.toLocaleString('en')} B (${large.largestItemKey.split(' ')[1]}; ${large.tableItems} items)`,
      '< 400 KB',
      verdict(large.largestItemBytes < 400 * 1024),
    ],
  );

  const seconds = (performance.now() - startedAt) / 1000;
  const cpu = cpus()[0]?.model ?? 'unknown CPU';
  console.log(
    `\nBenchmark: ${new Date().toISOString()}, node ${process.version} (${runtimeNote}; warm requests in a process started with ${flags || 'no flags'}), ${cpus().length} x ${cpu}, ${seconds.toFixed(0)} s\n`,
  );
  console.log(renderTable(['#', 'measure', 'result', 'target', 'verdict'], rows));
  console.log('\nchecks:');
  for (const check of warm.checks) console.log(`  ${check}`);
  console.log('\ntargets:');
  console.log(
    `  ${verdict(slackOk)}  dist/slack.js ${mib(slackSize.bytes)} (${slackSize.bytes.toLocaleString('en')} B) vs <= 2 MB (2,000,000 B)`,
  );
  console.log(
    `  ${verdict(coldOk)}  cold init real/bare ${coldRatio.toFixed(2)}x over neighbouring pairs (medians ${ms(coldReal.total.p50)} / ${ms(coldBare.total.p50)}) vs <= 1.3x`,
  );
  console.log(
    `  ${verdict(coldSsmRatio <= TARGET_COLD_RATIO)}  cold init with SSM-read secrets / bare ${coldSsmRatio.toFixed(2)}x over neighbouring pairs vs <= 1.3x`,
  );
  console.log(
    `  ${verdict(ownOk)}  own-time p99 ${warm.scenarios.map((s) => `${s.name} ${ms(s.ownMs.p99)}`).join('; ')} vs <= 25 ms`,
  );
  console.log(
    `  ${verdict(idleOk)}  idle poller ${listCounts(idle.dynamo)} / Slack ${total(idle.slack)} / CloudFront ${total(idle.cloudfront)} vs Query 1 / 0 / 0`,
  );

  console.log(
    `  ${verdict(completionTargetsOk)}  completion to thread reply ${completion.scenarios
      .map(
        (s) =>
          `${s.name} p50 ${(s.latencyMs.p50 / 1000).toFixed(2)} s p95 ${(s.latencyMs.p95 / 1000).toFixed(2)} s`,
      )
      .join(
        '; ',
      )} vs p50 <= 3 s, p95 <= 6 s; GetInvalidation overlap ${completion.overlapRatio.toFixed(2)}x vs <= 1.2x`,
  );
  for (const t of answerFirst.targets) console.log(`  ${verdict(t.ok)}  ${t.line}`);

  const results = {
    at: new Date().toISOString(),
    node: process.version,
    cpus: cpus().length,
    seconds,
    sizes: { slack: slackSize, poller: pollerSize, bare: bareSize, bareHttp: bareHttpSize },
    cold: {
      runs: COLD_RUNS,
      nodeOptions,
      real: coldReal,
      bare: coldBare,
      ratio: coldRatio,
      samples: cold,
      plainNode: { real: coldPlainReal, bare: coldPlainBare, ratio: coldPlainRatio, samples: coldPlain },
      firstCommand,
      withSsm: { real: coldSsmReal, bare: coldSsmBare, ratio: coldSsmRatio, samples: coldSsm },
      againstHttpReceiver: {
        bare: coldHttpBare,
        ratio: coldHttpRatio,
        ratioWithSsm: coldSsmHttpRatio,
        samples: coldHttp,
        samplesWithSsm: coldSsmHttp,
      },
    },
    warm,
    answerFirst,
    counts,
    completion,
    largeRequest: large,
    targets: {
      slackBundle: slackOk,
      coldRatio: coldOk,
      ownTimeP99: ownOk,
      idlePoller: idleOk,
      completion: completionTargetsOk,
    },
  };
  writeFileSync(path.join(OUT, 'results.json'), `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, path.join(OUT, 'results.json'))}`);
}

const relaunched = relaunchAsDeployed(ROOT);
if (relaunched !== undefined) process.exit(relaunched);
main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  process.exit(1);
});
