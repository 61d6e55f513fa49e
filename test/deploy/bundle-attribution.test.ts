import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { newRequest } from '../../src/domain/lifecycle';
import { createDynamoRequestStore } from '../../src/store/dynamo-request-store';
import { runBuiltPoller } from '../support/built-poller';
import { type CloudFrontFake, startCloudFrontFake } from '../support/cloudfront-fake';
import { type LocalDynamo, startDynalite } from '../support/dynalite';
import { distributionConfig } from '../support/request-fixtures';
import { type SlackFake, startSlackFake } from '../support/slack-fake';

/**
 * CloudTrail attribution through the built dist/poller.js: every CreateInvalidation is signed
 * with credentials of an AssumeRole session named after its request, on the stack's invalidator
 * role (INVALIDATOR_ROLE_ARN) for same-account targets and on the target's roleArn otherwise.
 */

const ROOT = resolve(__dirname, '../..');
const INVALIDATOR = 'arn:aws:iam::123456789012:role/cloudfront-invalidation-bot-ci-invalidator';
const CROSS_ACCOUNT = 'arn:aws:iam::210987654321:role/cf-invalidator';
const distribution = (alias: string, id: string, roleArn?: string) =>
  distributionConfig({
    alias,
    id,
    description: alias,
    approvers: ['U0BOB0001'],
    requiredApprovals: 0,
    ...(roleArn ? { roleArn } : {}),
  });
const www = distribution('www', 'E2QWRUHAPOMQZL');
const partner = distribution('partner', 'E1PARTNER0001', CROSS_ACCOUNT);

let outdir: string;
let db: LocalDynamo;
let cloudfront: CloudFrontFake;
let slack: SlackFake;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'bundle-attribution-'));
  execFileSync('node', ['scripts/build.mjs', '--outdir', outdir, 'poller=src/handlers/poller.ts'], {
    cwd: ROOT,
  });
  [db, cloudfront, slack] = await Promise.all([
    startDynalite(),
    startCloudFrontFake({ distributions: [www.id, partner.id] }),
    startSlackFake(),
  ]);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled([db?.stop(), cloudfront?.stop(), slack?.close()]);
});

describe('dist/poller.js submitting under request sessions', () => {
  it('makes one AssumeRole per submitted request, its id in the session name, and signs the CreateInvalidation with it', async () => {
    const store = createDynamoRequestStore({ client: db.client, tableName: db.tableName });
    const ids = ['01JATTRIB000000000000000A1', '01JATTRIB000000000000000B2', '01JATTRIB000000000000000C3'];
    const targets = [www, www, partner];
    for (const [i, id] of ids.entries()) {
      const { request, event } = newRequest({
        id,
        distribution: targets[i] ?? www,
        channel: 'C0APPROVALS',
        requesterId: 'U0ALICE01',
        reason: 'attribution test',
        paths: [`/page-${i}.html`],
        wildcardCount: 0,
        now: new Date(),
        expiryMinutes: 60,
        dryRun: false,
      });
      await store.create(request, event, `attribution-${id}`);
    }

    const run = await runBuiltPoller({
      outdir,
      db,
      cloudfront,
      slack,
      accessKeyId: 'ASIAPOLLERROLE',
      config: { approvalChannel: 'C0APPROVALS', distributions: [www, partner] },
      handlerArgs: [{}, { awsRequestId: 'scheduled-1' }],
      env: { INVALIDATOR_ROLE_ARN: INVALIDATOR },
    });
    expect(run).toMatchObject({ due: 3 });

    const assumed = cloudfront.state.callsOf('AssumeRole');
    expect(assumed.map((c) => [c.roleArn, c.sessionName]).sort()).toEqual(
      [
        [INVALIDATOR, `bot-request-${ids[0]}`],
        [INVALIDATOR, `bot-request-${ids[1]}`],
        [CROSS_ACCOUNT, `bot-request-${ids[2]}`],
      ].sort(),
    );
    // The poller's own role asks; the sessions' keys sign CloudFront.
    expect(new Set(assumed.map((c) => c.accessKeyId))).toEqual(new Set(['ASIAPOLLERROLE']));
    for (const c of assumed.filter((a) => a.roleArn === INVALIDATOR)) {
      expect(c).toMatchObject({ sourceIdentity: 'slack-U0ALICE01', tags: { requester: 'U0ALICE01' } });
    }

    const created = cloudfront.state.callsOf('CreateInvalidation');
    expect(created).toHaveLength(3);
    const keyOfSession = new Map(
      assumed.map((c, i) => [c.sessionName, `ASIAFAKE${String(i + 1).padStart(8, '0')}`]),
    );
    for (const c of created) {
      expect(c.status).toBe(201);
      expect(c.accessKeyId).toBe(keyOfSession.get(`bot-request-${c.callerReference}`));
    }
  });
});
