import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { asChange } from '../../src/app/as-change';
import { newRequest, reject } from '../../src/domain/lifecycle';
import { grantBreakGlass } from '../../src/domain/policy';
import { meteredStore } from '../../src/observability/metered-store';
import { emfMetrics, METRICS_NAMESPACE } from '../../src/observability/metrics';
import { recordScheduledRun } from '../../src/observability/scheduled-run';
import { createDynamoRequestStore } from '../../src/store/dynamo-request-store';
import { quickRequest, storedRequest, USERS } from '../support/bot';
import { startDynalite } from '../support/dynalite';
import { distributionConfig } from '../support/request-fixtures';
import { useBots } from '../support/use-bots';

/** EMF lines: what CloudWatch Logs turns into metrics, read back the way CloudWatch reads them. */

interface EmfLine {
  _aws: {
    Timestamp: number;
    CloudWatchMetrics: {
      Namespace: string;
      Dimensions: string[][];
      Metrics: { Name: string; Unit: string }[];
    }[];
  };
  [key: string]: unknown;
}

function emfLines(lines: string[]): EmfLine[] {
  return lines.filter((l) => l.startsWith('{') && l.includes('"_aws"')).map((l) => JSON.parse(l) as EmfLine);
}

/** Each metric's total over the lines, as CloudWatch would sum it; checks every line's declaration. */
function totals(lines: EmfLine[]): Record<string, number> {
  const sum: Record<string, number> = {};
  for (const line of lines) {
    const [directive] = line._aws.CloudWatchMetrics;
    expect(directive?.Namespace).toBe(METRICS_NAMESPACE);
    for (const dims of directive?.Dimensions ?? [])
      for (const d of dims) expect(typeof line[d]).toBe('string');
    for (const m of directive?.Metrics ?? []) {
      expect(typeof line[m.Name], `${m.Name} is declared but has no value`).toBe('number');
      sum[m.Name] = (sum[m.Name] ?? 0) + Number(line[m.Name]);
    }
  }
  return sum;
}

describe('metrics through the real handlers', () => {
  const start = useBots();
  let written: string[];
  beforeEach(() => {
    written = [];
    vi.spyOn(console, 'log').mockImplementation((line: unknown) => {
      written.push(String(line));
    });
  });
  afterEach(() => vi.restoreAllMocks());

  it('counts a request created, approved, submitted and completed, with its time to completion', async () => {
    const bot = await start({ completeAfterChecks: 0 });
    const request = await quickRequest(bot, USERS.alice, 'staging /index.html');
    for (let i = 0; i < 4 && (await storedRequest(bot, request.id)).status !== 'COMPLETED'; i++) {
      bot.clock.advance(30_000);
      await bot.poll();
    }
    expect((await storedRequest(bot, request.id)).status).toBe('COMPLETED');

    const lines = emfLines(written);
    expect(totals(lines)).toMatchObject({
      RequestsCreated: 1,
      RequestsApproved: 1,
      RequestsSubmitted: 1,
      RequestsCompleted: 1,
    });
    const completion = lines.find((l) => 'TimeToCompletion' in l);
    expect(completion?.TimeToCompletion).toBeGreaterThanOrEqual(30_000);
    expect(completion?.FunctionName).toBe('local-poller');
    expect(completion?.requestId).toBe(request.id);
  });
});

describe('meteredStore', () => {
  it('counts only what was written: a decision that loses its race and stops counts nothing', async () => {
    const db = await startDynalite();
    try {
      const lines: string[] = [];
      const store = meteredStore(
        createDynamoRequestStore({ client: db.client, tableName: db.tableName }),
        emfMetrics(
          'test-fn',
          (l) => lines.push(l),
          () => 0,
        ),
      );
      const distribution = distributionConfig({ description: '', approvers: [USERS.bob] });
      const { request, event } = newRequest({
        id: '01JMETRICS0000000000000001',
        distribution,
        channel: 'C0APPROVALS',
        requesterId: USERS.alice,
        reason: '',
        paths: ['/a'],
        wildcardCount: 0,
        now: new Date(),
        expiryMinutes: 60,
        dryRun: false,
      });
      await store.create(request, event, 'k1');
      // The same idempotency key again: nothing new is created, nothing counted.
      await store.create(request, event, 'k1');
      await store.update(request.id, (r) => asChange(reject(r, USERS.bob, new Date())));
      // Rejected already: the second decision stops.
      await store.update(request.id, (r) => asChange(reject(r, USERS.bob, new Date())));

      expect(totals(emfLines(lines))).toEqual({ RequestsCreated: 1, RequestsRejected: 1 });

      // A break-glass request: created and approved at once, and counted for review.
      const grant = grantBreakGlass(
        { ...distribution, breakGlass: [USERS.alice] },
        USERS.alice,
        new Set(),
        'INC-1',
      );
      if (!grant.ok) throw new Error('the grant was refused');
      const urgent = newRequest({
        id: '01JMETRICS0000000000000002',
        distribution: { ...distribution, breakGlass: [USERS.alice] },
        channel: 'C0APPROVALS',
        requesterId: USERS.alice,
        reason: 'INC-1',
        paths: ['/b'],
        wildcardCount: 0,
        now: new Date(),
        expiryMinutes: 60,
        dryRun: false,
        breakGlass: grant.grant,
      });
      lines.length = 0;
      await store.create(urgent.request, urgent.event, 'k2');
      expect(totals(emfLines(lines))).toEqual({
        RequestsCreated: 1,
        RequestsApproved: 1,
        BreakGlassRequests: 1,
      });
      expect(emfLines(lines)[0]).toMatchObject({ FunctionName: 'test-fn', _aws: { Timestamp: 0 } });
    } finally {
      await db.stop();
    }
  });
});

describe('recordScheduledRun', () => {
  it('counts a scheduled run, never a kick', () => {
    const lines: string[] = [];
    const metrics = emfMetrics('poller-fn', (l) => lines.push(l));
    recordScheduledRun({ source: 'aws.events', 'detail-type': 'Scheduled Event', detail: {} }, metrics);
    recordScheduledRun({ requestId: '01JKICK' }, metrics);
    recordScheduledRun(undefined, metrics);
    expect(totals(emfLines(lines))).toEqual({ ScheduledPollerRuns: 1 });
  });
});
