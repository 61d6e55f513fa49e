import { type AttributeValue, ScanCommand } from '@aws-sdk/client-dynamodb';
import { type Bot, defaultConfig, startBot, storedRequest, USERS } from '../test/support/bot';
import { viewSubmission } from '../test/support/slack-requests';
import { quietConsole } from './quiet-console';
import { tally } from './stats';

/**
 * A request of 10,000 paths end to end through the real handlers and the
 * fakes: uploaded as the modal's paths_file, stored (its list in items of its
 * own), split into batches of 3,000, submitted batch by batch and followed to
 * COMPLETED. Counts every DynamoDB, CloudFront and Slack call, measures the
 * largest item in the table (DynamoDB's own size rule) and the wall time.
 */

export const LARGE_REQUEST_PATHS = 10_000;
const MAX_POLL_RUNS = 40;
const POLL_GAP_MS = 60_000;

export interface LargeRequestResult {
  paths: number;
  finalStatus: string;
  batches: { callerReference: string; paths: number }[];
  dynamo: Record<string, number>;
  cloudfront: Record<string, number>;
  slack: Record<string, number>;
  pollRuns: number;
  largestItemBytes: number;
  largestItemKey: string;
  tableItems: number;
  /** From the modal submission to the request stored COMPLETED. */
  wallMs: number;
  /** Of which: the slack function's answer to the modal submission (file download, parse, store). */
  answerMs: number;
  /** Then the kicked worker: card, and batch 1 submitted. */
  kickMs: number;
  loggedErrors: number;
}

export async function measureLargeRequest(): Promise<LargeRequestResult> {
  const quiet = quietConsole();
  // Staging needs no approval: the measure is storing, splitting, submitting and following.
  const bot = await startBot({ countDynamoCalls: true, completeAfterChecks: 1, config: defaultConfig() });
  try {
    const paths = Array.from(
      { length: LARGE_REQUEST_PATHS },
      (_, i) => `/static/build-2026-12-01/chunk-${i}.js`,
    );
    const fileId = bot.slackApi.addFile({ name: 'deploy.txt', content: paths.join('\n') });
    const started = performance.now();
    const response = await bot.answer(
      viewSubmission({ userId: USERS.alice, values: { distribution: 'staging', pathsFile: [fileId] } }),
    );
    const answerMs = performance.now() - started;
    await bot.drainKicks();
    const kickMs = performance.now() - started - answerMs;
    const { createDynamoRequestStore } = await import('../src/store/dynamo-request-store');
    const store = createDynamoRequestStore({ client: bot.dynamo.client, tableName: bot.dynamo.tableName });
    const [request] = await store.listByRequester(USERS.alice, 1);
    if (response.statusCode !== 200 || request === undefined) {
      throw new Error(`large request not stored: HTTP ${response.statusCode} ${response.body}`);
    }
    let status = (await storedRequest(bot, request.id)).status;
    let pollRuns = 0;
    while (status !== 'COMPLETED' && status !== 'FAILED' && pollRuns < MAX_POLL_RUNS) {
      bot.clock.advance(POLL_GAP_MS);
      await bot.poll();
      pollRuns++;
      status = (await storedRequest(bot, request.id)).status;
    }
    const wallMs = performance.now() - started;
    const creates = bot.cloudfront.state.callsOf('CreateInvalidation').filter((c) => c.status === 201);
    const largest = await largestItem(bot);
    return {
      paths: LARGE_REQUEST_PATHS,
      finalStatus: status,
      batches: creates.map((c) => ({
        callerReference: c.callerReference ?? '',
        paths: c.paths?.length ?? 0,
      })),
      dynamo: tally(bot.dynamoCalls?.operations() ?? []),
      cloudfront: tally(bot.cloudfront.state.calls.map((c) => c.operation)),
      slack: tally(bot.slackApi.calls().map((c) => c.method)),
      pollRuns,
      largestItemBytes: largest.bytes,
      largestItemKey: largest.key,
      tableItems: largest.items,
      wallMs,
      answerMs,
      kickMs,
      loggedErrors: quiet.take().errors,
    };
  } finally {
    await bot.stop();
    quiet.restore();
  }
}

async function largestItem(bot: Bot): Promise<{ bytes: number; key: string; items: number }> {
  let best = { bytes: 0, key: '', items: 0 };
  let startKey: Record<string, AttributeValue> | undefined;
  do {
    const page = await bot.dynamo.client.send(
      new ScanCommand({
        TableName: bot.dynamo.tableName,
        ...(startKey ? { ExclusiveStartKey: startKey } : {}),
      }),
    );
    for (const item of page.Items ?? []) {
      best.items++;
      const bytes = itemSize(item);
      if (bytes > best.bytes) best = { ...best, bytes, key: `${item.pk?.S} ${item.sk?.S}` };
    }
    startKey = page.LastEvaluatedKey;
  } while (startKey !== undefined);
  return best;
}

/** DynamoDB's item size: attribute names plus values (strings in UTF-8, numbers ~1 byte per 2 digits, +3 per list/map). */
export function itemSize(item: Record<string, AttributeValue>): number {
  let bytes = 0;
  for (const [name, value] of Object.entries(item)) bytes += Buffer.byteLength(name) + valueSize(value);
  return bytes;
}

function valueSize(value: AttributeValue): number {
  if (value.S !== undefined) return Buffer.byteLength(value.S);
  if (value.N !== undefined) return Math.ceil(value.N.replace(/^-|\./g, '').length / 2) + 1;
  if (value.BOOL !== undefined || value.NULL !== undefined) return 1;
  if (value.L !== undefined) return 3 + value.L.reduce((n, v) => n + 1 + valueSize(v), 0);
  if (value.M !== undefined) {
    return 3 + Object.entries(value.M).reduce((n, [k, v]) => n + 1 + Buffer.byteLength(k) + valueSize(v), 0);
  }
  return 0;
}
