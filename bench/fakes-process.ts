import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { buttonsOf, defaultConfig, SELF_ID, STAGING_ID, USERS, WWW_ID } from '../test/support/bot';
import { startCloudFrontFake } from '../test/support/cloudfront-fake';
import { startCountingProxy } from '../test/support/counting-proxy';
import { startDynalite } from '../test/support/dynalite';
import { startLambdaFake } from '../test/support/lambda-fake';
import { startSlackFake } from '../test/support/slack-fake';

/**
 * The loopback fakes (dynalite, the Slack Web API fake, the CloudFront fake,
 * the Lambda Invoke API) in a process of their own, so that the benchmark
 * process's CPU time is only the slack function's: our code, the SDKs and
 * Bolt. The worker the slack function kicks (the built dist/poller.js) runs
 * here too, as Lambda would run it elsewhere. Prints its endpoints as one
 * JSON line on stdout, then serves until stdin closes (the parent exits) or
 * SIGTERM.
 *
 * BENCH_SLACK_LATENCY_MS: every Web API answer that late. BENCH_CLOUDFRONT_LATENCY_MS:
 * every CloudFront answer that late (`hang`: never). GET /drain on the control URL waits
 * for the kicked work and reports the cards and invalidations made per request.
 */
export interface FakeEndpoints {
  dynamoEndpoint: string;
  tableName: string;
  slackApiUrl: string;
  cloudfrontEndpoint: string;
  lambdaEndpoint: string;
  workerFunction: string;
  controlUrl: string;
}

/** What GET /drain reports once the kicked work is done. */
export interface DrainReport {
  kicks: number;
  /** Card posts per request id. */
  cards: Record<string, number>;
  /** CreateInvalidation calls per CallerReference (a retry of a call that got no answer is one more). */
  creates: Record<string, number>;
  /** Invalidations CloudFront holds per CallerReference: what a retry must not multiply. */
  invalidations: Record<string, number>;
  workerFailures: number;
}

const WORKER_FUNCTION = 'bench-poller';

function latency(value: string | undefined): number {
  if (value === 'hang') return Number.POSITIVE_INFINITY;
  return value ? Number(value) : 0;
}

async function main(): Promise<void> {
  const [dynamo, slack, cloudfront, lambda] = await Promise.all([
    startDynalite(),
    startSlackFake(),
    startCloudFrontFake({ distributions: [WWW_ID, STAGING_ID, SELF_ID], completeAfterChecks: 1 }),
    startLambdaFake(),
  ]);
  const cloudfrontLatency = latency(process.env.BENCH_CLOUDFRONT_LATENCY_MS);
  const cloudfrontProxy =
    cloudfrontLatency > 0
      ? await startCountingProxy(cloudfront.endpoint, { latencyMs: cloudfrontLatency })
      : undefined;
  const cloudfrontEndpoint = cloudfrontProxy?.endpoint ?? cloudfront.endpoint;
  slack.setLatency('*', latency(process.env.BENCH_SLACK_LATENCY_MS));
  // The approver group in the bench config resolves, as it would in a real workspace.
  slack.setUserGroup('S0SREGROUP', [USERS.eve]);

  // The worker: the shipped poller bundle, with the environment the deploy gives it.
  Object.assign(process.env, {
    SLACK_BOT_TOKEN: 'xoxb-bench-token',
    SLACK_API_URL: slack.apiUrl,
    TABLE_NAME: dynamo.tableName,
    DYNAMODB_ENDPOINT: dynamo.endpoint,
    CLOUDFRONT_ENDPOINT: cloudfrontEndpoint,
    BOT_CONFIG: JSON.stringify(defaultConfig()),
    POLL_BUDGET_MS: '0',
    AWS_ACCESS_KEY_ID: 'bench',
    AWS_SECRET_ACCESS_KEY: 'bench',
    AWS_REGION: 'us-east-1',
  });
  const worker = require(path.resolve(__dirname, '../dist/poller.js')) as {
    handler: (event: unknown, context: unknown) => Promise<unknown>;
  };
  lambda.register(WORKER_FUNCTION, (payload) => worker.handler(payload, {}));

  const control = createServer((req, res) => {
    if (req.url !== '/drain') {
      res.writeHead(404).end();
      return;
    }
    void lambda.drain().then(() => {
      const cards: Record<string, number> = {};
      for (const call of slack.calls('chat.postMessage')) {
        if (call.error !== undefined || call.args.thread_ts !== undefined) continue;
        const id = buttonsOf(call.args.blocks).approve;
        if (id) cards[id] = (cards[id] ?? 0) + 1;
      }
      const creates: Record<string, number> = {};
      for (const call of cloudfront.state.calls) {
        if (call.operation !== 'CreateInvalidation' || !call.callerReference) continue;
        creates[call.callerReference] = (creates[call.callerReference] ?? 0) + 1;
      }
      const invalidations: Record<string, number> = {};
      for (const inv of cloudfront.state.invalidations.values()) {
        invalidations[inv.callerReference] = (invalidations[inv.callerReference] ?? 0) + 1;
      }
      const report: DrainReport = {
        kicks: lambda.invocations().length,
        cards,
        creates,
        invalidations,
        workerFailures: lambda.failures().length,
      };
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(report));
    });
  });
  await new Promise<void>((resolve) => control.listen(0, '127.0.0.1', resolve));

  let stopping = false;
  const stop = async (): Promise<void> => {
    if (stopping) return;
    stopping = true;
    await Promise.allSettled([
      dynamo.stop(),
      slack.close(),
      cloudfront.stop(),
      lambda.stop(),
      cloudfrontProxy?.stop(),
      new Promise((resolve) => control.close(resolve)),
    ]);
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop());
  process.stdin.on('end', () => void stop());
  process.stdin.on('close', () => void stop());
  process.stdin.resume();

  const endpoints: FakeEndpoints = {
    dynamoEndpoint: dynamo.endpoint,
    tableName: dynamo.tableName,
    slackApiUrl: slack.apiUrl,
    cloudfrontEndpoint,
    lambdaEndpoint: lambda.endpoint,
    workerFunction: WORKER_FUNCTION,
    controlUrl: `http://127.0.0.1:${(control.address() as AddressInfo).port}`,
  };
  process.stdout.write(`${JSON.stringify(endpoints)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`fakes failed to start: ${String(error)}\n`);
  process.exit(1);
});
