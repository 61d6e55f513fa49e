import { WebClient } from '@slack/web-api';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GROUP_FRESH_MS,
  GROUP_STALE_MS,
  userGroupDirectory,
} from '../../../src/slack/delivery/user-group-directory';
import { dynamoAccess } from '../../../src/store/dynamo-access';
import { dynamoGroupMembersCache } from '../../../src/store/group-members-cache';
import { type LocalDynamo, startDynalite } from '../../support/dynalite';
import { type SlackFake, startSlackFake } from '../../support/slack-fake';

/** Group membership on the answer path: a warm click by a group approver waits on no Slack call. */

let slack: SlackFake;
let now: number;
let directory: ReturnType<typeof userGroupDirectory>;
let client: WebClient;
const lookups = () => slack.calls('usergroups.users.list').length;
/** Lets a background refresh reach the fake and come back. */
const settle = () => new Promise((resolve) => setTimeout(resolve, 50));
/** Until the fake has seen `n` lookups (a background one is on its way). */
async function lookupsReach(n: number): Promise<void> {
  for (let i = 0; i < 100 && lookups() < n; i++) await settle();
  expect(lookups()).toBe(n);
}

beforeEach(async () => {
  slack = await startSlackFake();
  slack.setUserGroup('S0SRE', ['U0DAVE001']);
  now = 1_000_000;
  client = new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl, retryConfig: { retries: 0 } });
  directory = userGroupDirectory(client, { nowMs: () => now });
});

afterEach(async () => {
  await slack.close();
});

describe('userGroupDirectory', () => {
  it('asks Slack once, then answers from the container while fresh', async () => {
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    now += GROUP_FRESH_MS - 1;
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    expect(lookups()).toBe(1);
  });

  it('answers a stale entry at once and refreshes it in the background', async () => {
    await directory.members('S0SRE');
    slack.setUserGroup('S0SRE', ['U0DAVE001', 'U0EVE0001']);
    now += GROUP_FRESH_MS + 1;
    slack.setLatency('usergroups.users.list', 200);

    // Stale but usable: the old members, without waiting for the refresh.
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    await lookupsReach(2);
    // A second click meanwhile shares the refresh.
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    expect(lookups()).toBe(2);

    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001', 'U0EVE0001']);
    expect(lookups()).toBe(2);
  });

  it('past the stale limit, waits for Slack: a removed member does not keep rights for long', async () => {
    await directory.members('S0SRE');
    slack.setUserGroup('S0SRE', []);
    now += GROUP_STALE_MS + 1;
    expect(await directory.members('S0SRE')).toEqual([]);
    expect(lookups()).toBe(2);
  });

  it('a failed refresh keeps the stale members and tries again on the next click', async () => {
    await directory.members('S0SRE');
    now += GROUP_FRESH_MS + 1;
    slack.fail('usergroups.users.list', { error: 'internal_error' });
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    await settle();
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    await settle();
    expect(lookups()).toBe(3);
  });

  it('a failed first lookup is not cached', async () => {
    slack.fail('usergroups.users.list', { error: 'internal_error' });
    await expect(directory.members('S0SRE')).rejects.toThrow();
    expect(await directory.members('S0SRE')).toEqual(['U0DAVE001']);
    expect(lookups()).toBe(2);
  });
});

describe('userGroupDirectory with the copy shared through the table', () => {
  let dynamo: LocalDynamo;
  let shared: ReturnType<typeof dynamoGroupMembersCache>;
  /** A container that has not looked anything up yet. */
  const coldContainer = () => userGroupDirectory(client, { nowMs: () => now, shared });

  beforeEach(async () => {
    dynamo = await startDynalite();
    shared = dynamoGroupMembersCache(dynamoAccess({ client: dynamo.client }), dynamo.tableName);
  });
  afterEach(async () => {
    await dynamo.stop();
  });

  it('writes what it fetched from Slack, and a cold container reads it without asking Slack', async () => {
    expect(await coldContainer().members('S0SRE')).toEqual(['U0DAVE001']);
    await lookupsReach(1);
    for (let i = 0; i < 20 && (await shared.read('S0SRE')) === undefined; i++) await settle();
    expect(await shared.read('S0SRE')).toEqual({ members: ['U0DAVE001'], fetchedAt: new Date(now) });

    now += GROUP_FRESH_MS - 1;
    expect(await coldContainer().members('S0SRE')).toEqual(['U0DAVE001']);
    expect(lookups()).toBe(1);
  });

  it('uses a stale shared copy at once and refreshes it from Slack in the background', async () => {
    await shared.write('S0SRE', ['U0OLD0001'], new Date(now - GROUP_FRESH_MS - 1));
    expect(await coldContainer().members('S0SRE')).toEqual(['U0OLD0001']);
    await lookupsReach(1);
    for (let i = 0; i < 20 && (await shared.read('S0SRE'))?.members[0] !== 'U0DAVE001'; i++) await settle();
    expect((await shared.read('S0SRE'))?.members).toEqual(['U0DAVE001']);
  });

  it('ignores a shared copy past the stale limit and waits for Slack', async () => {
    await shared.write('S0SRE', ['U0OLD0001'], new Date(now - GROUP_STALE_MS - 1));
    expect(await coldContainer().members('S0SRE')).toEqual(['U0DAVE001']);
    expect(lookups()).toBe(1);
  });

  it('never lets an older lookup overwrite a newer shared copy', async () => {
    await shared.write('S0SRE', ['U0NEW0001'], new Date(now));
    await shared.write('S0SRE', ['U0OLD0001'], new Date(now - 1_000));
    expect((await shared.read('S0SRE'))?.members).toEqual(['U0NEW0001']);
  });
});
