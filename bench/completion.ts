import type { BotDeps } from '../src/app/deps';
import { followRequest } from '../src/app/follow-request';
import { createPollerHandler } from '../src/handlers/poller';
import { buildRuntime } from '../src/handlers/wiring';
import { type Bot, quickRequest, startBot, threadReplies } from '../test/support/bot';
import { prng } from '../test/support/prng';
import { quietConsole } from './quiet-console';
import { percentile, type Summary, summarize } from './stats';

/**
 * How soon a completed invalidation reaches Slack. Invalidations complete at
 * the CloudFront fake a random 1–25 s after creation (CloudFront's usual
 * range); the latency of one is from that moment (the first moment a check
 * would answer Completed) to the "Completed" thread reply reaching the Slack
 * fake. Each scenario runs its own bot with the default POLL_INTERVAL_MS and
 * POLL_BUDGET_MS, all scenarios at once (each waits on CloudFront, not the CPU).
 *
 * - kick: one `followRequest` per request, as the kicked poller runs it;
 * - one run: a single scheduled run following all of them;
 * - three runs: three scheduled runs at once (overlapping schedules), which
 *   must not multiply GetInvalidation calls.
 */

export const INVALIDATIONS = 20;
const SEED = 20_261_201;
const MIN_COMPLETION_MS = 1_000;
const MAX_COMPLETION_MS = 25_000;

export interface CompletionScenario {
  name: string;
  invalidations: number;
  completed: number;
  /** Completion at CloudFront to the thread reply at Slack. */
  latencyMs: Summary & { p95: number };
  getInvalidationCalls: number;
  getPerCompleted: number;
}

export interface CompletionResult {
  scenarios: CompletionScenario[];
  /** GetInvalidation calls per completed invalidation, three overlapping runs over one run. */
  overlapRatio: number;
  loggedErrors: number;
}

/**
 * How a scenario follows its requests: `created` is called as each request is
 * stored (a kick starts there), `allCreated` once all are (scheduled runs start there).
 */
interface Driver {
  created(bot: Bot, requestId: string): void;
  allCreated(bot: Bot): Promise<unknown>;
}

async function scenario(name: string, seed: number, drive: Driver): Promise<CompletionScenario> {
  const rand = prng(seed);
  const bot = await startBot({
    liveClock: true,
    completeAfterMs: () => MIN_COMPLETION_MS + rand() * (MAX_COMPLETION_MS - MIN_COMPLETION_MS),
    // The defaults a deployment runs with (startBot's are for fast tests).
    env: { POLL_INTERVAL_MS: '10000', POLL_BUDGET_MS: '50000' },
  });
  try {
    // One requester each, so the forms can be sent at once and the creation phase stays short.
    const requests = await Promise.all(
      Array.from({ length: INVALIDATIONS }, async (_, i) => {
        const request = await quickRequest(
          bot,
          `U0BENCH${String(i).padStart(4, '0')}`,
          `staging /bench/${i}`,
        );
        drive.created(bot, request.id);
        return request;
      }),
    );
    await drive.allCreated(bot);

    const latencies: number[] = [];
    const invalidations = [...bot.cloudfront.state.invalidations.values()];
    const store = buildRuntime('poller', bot.env, { clock: bot.clock }).deps.store;
    for (const id of requests.map((r) => r.id)) {
      const request = await store.get(id);
      const invalidation = invalidations.find((inv) => inv.callerReference === id);
      if (request?.status !== 'COMPLETED' || invalidation?.completesAt === undefined) continue;
      const reply = threadReplies(bot, request.channel, request.cardTs ?? '').find((c) =>
        String(c.args.text).includes('Completed'),
      );
      if (reply) latencies.push(reply.at.getTime() - invalidation.completesAt.getTime());
    }
    const calls = bot.cloudfront.state.callsOf('GetInvalidation').length;
    return {
      name,
      invalidations: INVALIDATIONS,
      completed: latencies.length,
      latencyMs: {
        ...summarize(latencies),
        p95: percentile(
          [...latencies].sort((a, b) => a - b),
          95,
        ),
      },
      getInvalidationCalls: calls,
      getPerCompleted: latencies.length === 0 ? Number.NaN : calls / latencies.length,
    };
  } finally {
    await bot.stop();
  }
}

/** Each request followed by its own `followRequest`, started as soon as it is stored, as a kick would. */
function kicks(): Driver {
  const following: Promise<unknown>[] = [];
  let deps: BotDeps | undefined;
  return {
    created(bot, id) {
      deps ??= buildRuntime('poller', bot.env, { clock: bot.clock }).deps;
      following.push(followRequest(deps, id));
    },
    allCreated: () => Promise.all(following),
  };
}

/** `count` scheduled runs at once, started when every request is stored. */
function scheduledRuns(count: number): Driver {
  return {
    created() {},
    allCreated(bot) {
      const others = Array.from({ length: count - 1 }, () =>
        createPollerHandler(bot.env, { clock: bot.clock }),
      );
      return Promise.all([bot.poll(), ...others.map((run) => run())]);
    },
  };
}

export async function measureCompletion(): Promise<CompletionResult> {
  const quiet = quietConsole();
  try {
    const scenarios = await Promise.all([
      scenario('kick per request', SEED, kicks()),
      scenario('one scheduled run', SEED, scheduledRuns(1)),
      scenario('three overlapping runs', SEED, scheduledRuns(3)),
    ]);
    const [, one, three] = scenarios;
    return {
      scenarios,
      overlapRatio: (three?.getPerCompleted ?? Number.NaN) / (one?.getPerCompleted ?? Number.NaN),
      loggedErrors: quiet.take().errors,
    };
  } finally {
    quiet.restore();
  }
}

if (require.main === module) {
  measureCompletion()
    .then((result) => console.log(JSON.stringify(result, null, 2)))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
