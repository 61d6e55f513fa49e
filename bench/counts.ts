import { type Bot, click, quickRequest, startBot, storedRequest, USERS } from '../test/support/bot';
import { quietConsole } from './quiet-console';
import { tally } from './stats';

/**
 * What one request costs in calls to DynamoDB, Slack and CloudFront, counted at
 * the fakes (DynamoDB through the counting proxy), for the whole lifecycle and
 * for a poller run with nothing to do.
 */
export interface CallCounts {
  dynamo: Record<string, number>;
  slack: Record<string, number>;
  cloudfront: Record<string, number>;
}

export interface Phase {
  name: string;
  counts: CallCounts;
}

export interface CountsResult {
  lifecycle: Phase[];
  lifecycleTotal: CallCounts;
  finalStatus: string;
  idlePoll: CallCounts;
  loggedErrors: number;
}

const MAX_POLL_RUNS = 10;
const APPROVER_GROUP = 'S0SREGROUP';
const POLL_GAP_MS = 60_000;

/** Marks where the fakes' records stand, so a phase counts only its own calls. */
function marker(bot: Bot): () => CallCounts {
  const dynamoAt = bot.dynamoCalls?.operations().length ?? 0;
  const slackAt = bot.slackApi.calls().length;
  const cloudfrontAt = bot.cloudfront.state.calls.length;
  return () => ({
    dynamo: tally((bot.dynamoCalls?.operations() ?? []).slice(dynamoAt)),
    slack: tally(
      bot.slackApi
        .calls()
        .slice(slackAt)
        .map((call) => call.method),
    ),
    cloudfront: tally(bot.cloudfront.state.calls.slice(cloudfrontAt).map((call) => call.operation)),
  });
}

function sum(parts: readonly CallCounts[]): CallCounts {
  const merged: CallCounts = { dynamo: {}, slack: {}, cloudfront: {} };
  for (const part of parts) {
    for (const service of ['dynamo', 'slack', 'cloudfront'] as const) {
      for (const [name, n] of Object.entries(part[service])) {
        merged[service][name] = (merged[service][name] ?? 0) + n;
      }
    }
  }
  const sorted = (counts: Record<string, number>) =>
    Object.fromEntries(Object.entries(counts).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])));
  return {
    dynamo: sorted(merged.dynamo),
    slack: sorted(merged.slack),
    cloudfront: sorted(merged.cloudfront),
  };
}

export async function countCalls(): Promise<CountsResult> {
  const quiet = quietConsole();
  const bot = await startBot({ countDynamoCalls: true, completeAfterChecks: 1 });
  // The approver group resolves, as it would in a real workspace (bob is also listed by id).
  bot.slackApi.setUserGroup(APPROVER_GROUP, [USERS.eve]);
  try {
    const lifecycle: Phase[] = [];
    const phase = async <T>(name: string, step: () => Promise<T>): Promise<T> => {
      const counted = marker(bot);
      const value = await step();
      lifecycle.push({ name, counts: counted() });
      return value;
    };

    const created = await phase('quick form /invalidate www /index.html', () =>
      quickRequest(bot, USERS.alice, 'www /index.html'),
    );
    await phase('approve by bob (1 of 2)', () => click(bot, USERS.bob, 'approve', created));
    const request = await storedRequest(bot, created.id);
    await phase('approve by carol (2 of 2), submit', () => click(bot, USERS.carol, 'approve', request));

    let runs = 0;
    let status = (await storedRequest(bot, request.id)).status;
    const polls = marker(bot);
    while (status !== 'COMPLETED' && runs < MAX_POLL_RUNS) {
      bot.clock.advance(POLL_GAP_MS);
      await bot.poll();
      runs++;
      status = (await storedRequest(bot, request.id)).status;
    }
    lifecycle.push({ name: `poller until COMPLETED (${runs} runs)`, counts: polls() });

    const idle = marker(bot);
    bot.clock.advance(POLL_GAP_MS);
    await bot.poll();
    return {
      lifecycle,
      lifecycleTotal: sum(lifecycle.map((p) => p.counts)),
      finalStatus: status,
      idlePoll: idle(),
      loggedErrors: quiet.take().errors,
    };
  } finally {
    await bot.stop();
    quiet.restore();
  }
}
