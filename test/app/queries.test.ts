import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findRequest, recentRequests } from '../../src/app/find-request';
import { homeOverview } from '../../src/app/home-overview';
import type { RequestStore } from '../../src/app/ports';
import { createDynamoRequestStore } from '../../src/store/dynamo-request-store';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { invalidationRequest, MINUTE, T0 } from '../support/request-fixtures';
import { config, groups, log, stored } from './use-case-deps';

/** The read-side queries in app/, on dynalite: what `/invalidate status` and the App Home read. */

let db: LocalDynamo;
let store: RequestStore;

const clock = { now: () => T0 };

const mine = invalidationRequest({ id: '01JNB2Z8Q7R4K3M5T6V7W8X9AA', requesterId: 'U01DAN' });
const approved = invalidationRequest({
  id: '01JNB2Z8Q7R4K3M5T6V7W8X9BB',
  status: 'APPROVED',
  approvals: [{ userId: 'U01BOB', at: T0.toISOString() }],
  approvedAt: T0.toISOString(),
  nextAttemptAt: T0.toISOString(),
});
const closed = invalidationRequest({
  id: '01JNB2Z8Q7R4K3M5T6V7W8X9CC',
  status: 'REJECTED',
  decidedBy: 'U01BOB',
  outbox: [],
});
const expiredUndecided = invalidationRequest({
  id: '01JNB2Z8Q7R4K3M5T6V7W8X9DD',
  decideBy: new Date(T0.getTime() - MINUTE).toISOString(),
});

beforeAll(async () => {
  db = await startDynalite();
  store = createDynamoRequestStore({ client: db.client, tableName: db.tableName });
  for (const r of [mine, approved, closed, expiredUndecided]) await stored(store, r);
});
afterAll(async () => {
  await db.stop();
});

describe('findRequest', () => {
  it('finds any request by its full id', async () => {
    expect((await findRequest({ store }, 'U01SOMEONE', approved.id))?.id).toBe(approved.id);
  });

  it("finds the person's own request by the end of its id", async () => {
    expect((await findRequest({ store }, 'U01DAN', mine.id.slice(-6)))?.id).toBe(mine.id);
  });

  it("does not find someone else's request by a short id", async () => {
    expect(await findRequest({ store }, 'U01DAN', approved.id.slice(-6))).toBeUndefined();
  });

  it('finds nothing for text that is not an id', async () => {
    expect(await findRequest({ store }, 'U01DAN', 'NOT-AN-ID')).toBeUndefined();
  });
});

describe('recentRequests', () => {
  it("lists the person's own requests only", async () => {
    expect((await recentRequests({ store }, 'U01DAN')).map((r) => r.id)).toEqual([mine.id]);
  });
});

describe('homeOverview', () => {
  // Built per test: the store exists only once beforeAll has run.
  const deps = () => ({ config, store, clock, groups, log });

  it('shows an approver the undecided requests they may approve, not the expired one', async () => {
    const overview = await homeOverview(deps(), 'U01ALICE');
    expect(overview.waiting.map((r) => r.id).sort()).toEqual([mine.id].sort());
  });

  it('shows approved requests as in flight, and neither undecided nor closed ones', async () => {
    const overview = await homeOverview(deps(), 'U01ALICE');
    expect(overview.inFlight.map((r) => r.id)).toEqual([approved.id]);
  });

  it("lists the person's own requests, and counts no paths for a month with nothing submitted", async () => {
    const overview = await homeOverview(deps(), 'U01DAN');
    expect(overview.mine.map((r) => r.id)).toEqual([mine.id]);
    expect(overview.waiting).toEqual([]);
    expect(overview.pathsThisMonth).toBe(0);
  });
});
