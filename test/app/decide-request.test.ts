import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { decideRequest, mayDecide } from '../../src/app/decide-request';
import type { RequestStore } from '../../src/app/ports';
import type { InvalidationRequest } from '../../src/domain/request';
import { createDynamoRequestStore } from '../../src/store/dynamo-request-store';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { invalidationRequest, MINUTE, T0 } from '../support/request-fixtures';
import { config, groups, log, stored } from './use-case-deps';

/** Approve, Reject and Cancel as the use case runs them, on dynalite: one gate, one write. */

let db: LocalDynamo;
let store: RequestStore;
let now = T0;

const deps = () => ({ config, store, clock: { now: () => now }, groups, log });
const decideAs = (userId: string, decision: 'approve' | 'reject' | 'cancel', requestId: string) =>
  decideRequest(deps(), { requestId, userId, decision });

function storedRequest(overrides: Partial<InvalidationRequest> = {}): Promise<InvalidationRequest> {
  return stored(store, invalidationRequest(overrides));
}

beforeEach(async () => {
  now = T0;
  db = await startDynalite();
  store = createDynamoRequestStore({ client: db.client, tableName: db.tableName });
});
afterEach(async () => {
  await db.stop();
});

describe('decideRequest', () => {
  it('approves once when two approvers race: the loser is told it is already approved', async () => {
    const request = await storedRequest();
    const outcomes = await Promise.all(
      ['U01ALICE', 'U01BOB'].map((userId) =>
        decideRequest(deps(), { requestId: request.id, userId, decision: 'approve' }),
      ),
    );
    expect(outcomes.map((o) => o.kind).sort()).toEqual(['done', 'refused']);
    const lost = outcomes.find((o) => o.kind === 'refused');
    expect(lost?.kind === 'refused' && lost.refusal).toEqual({
      code: 'not-pending',
      status: 'APPROVED',
      dryRun: false,
    });
    const after = await store.get(request.id);
    expect(after?.status).toBe('APPROVED');
    expect(after?.approvals).toHaveLength(1);
  });

  it('refuses a non-approver with the approvers named, and writes nothing', async () => {
    const request = await storedRequest();
    const outcome = await decideAs('U01MALLORY', 'approve', request.id);
    expect(outcome).toMatchObject({
      kind: 'refused',
      refusal: { code: 'not-approver', alias: 'www', approvers: ['U01ALICE', 'U01BOB', 'U01CAROL'] },
    });
    expect((await store.get(request.id))?.version).toBe(request.version);
  });

  it('lets only the requester cancel', async () => {
    const request = await storedRequest();
    const byApprover = await decideAs('U01ALICE', 'cancel', request.id);
    expect(byApprover).toMatchObject({ kind: 'refused', refusal: { code: 'cancel-not-requester' } });
    const byRequester = await decideAs(request.requesterId, 'cancel', request.id);
    expect(byRequester.kind === 'done' && byRequester.request.status).toBe('CANCELLED');
  });

  it('expires an undecided request past its deadline, and says so with the lifecycle refusal', async () => {
    const request = await storedRequest();
    now = new Date(Date.parse(request.decideBy) + MINUTE);
    const outcome = await decideAs('U01ALICE', 'reject', request.id);
    expect(outcome).toMatchObject({
      kind: 'refused',
      refusal: { code: 'lifecycle', refusal: { code: 'expired' } },
    });
    expect((await store.get(request.id))?.status).toBe('EXPIRED');
  });

  it('says the request is missing when there is none', async () => {
    expect(await decideAs('U01ALICE', 'approve', '01JNB2Z8Q7R4K3M5T6V7W8X9ZZ')).toEqual({ kind: 'missing' });
  });
});

describe('mayDecide', () => {
  it('asks policy only and writes nothing', async () => {
    const request = await storedRequest();
    expect(
      await mayDecide(deps(), { requestId: request.id, userId: 'U01ALICE', decision: 'reject' }),
    ).toMatchObject({ kind: 'allowed' });
    expect(
      await mayDecide(deps(), { requestId: request.id, userId: 'U01MALLORY', decision: 'reject' }),
    ).toMatchObject({ kind: 'refused', refusal: { code: 'reject-not-approver', alias: 'www' } });
    expect((await store.get(request.id))?.version).toBe(request.version);
  });
});
