import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The pretend workspace of the playground: four people, one approver group,
 * the channel where commands are typed and the approval channel. The example
 * config it writes on first start uses exactly these ids, so every mention on
 * the page shows a name.
 */

export interface Person {
  id: string;
  name: string;
  /** What this person is for in the example, shown in the "You are" picker. */
  role: string;
}

export const PEOPLE: readonly Person[] = [
  { id: 'U0PGALICE', name: 'alice', role: 'requester' },
  { id: 'U0PGBOB', name: 'bob', role: 'approver' },
  { id: 'U0PGCAROL', name: 'carol', role: 'approver' },
  { id: 'U0PGDAVE', name: 'dave', role: 'in the @sre approver group' },
];

export const USER_GROUPS: ReadonlyArray<{ id: string; handle: string; members: readonly string[] }> = [
  { id: 'S0PGSRE', handle: 'sre', members: ['U0PGDAVE'] },
];

export const COMMAND_CHANNEL = { id: 'C0PGDEPLOYS', name: 'deploys' } as const;
export const APPROVAL_CHANNEL = { id: 'C0PGAPPROVALS', name: 'cf-approvals' } as const;

/** The bot as people see it. */
export const BOT = { userId: 'U0PGBOT', botId: 'B0PGBOT', name: 'invalidation-bot' } as const;

/**
 * One approval on `www` (one click completes it), two on `assets` (two
 * approvers click), none on `staging` (submitted at once).
 */
export function exampleConfig(): Record<string, unknown> {
  return {
    approvalChannel: APPROVAL_CHANNEL.id,
    requestExpiryMinutes: 1440,
    distributions: [
      {
        alias: 'www',
        id: 'E2PLAYGROUNDWWW',
        description: 'Public website (playground example)',
        approvers: ['U0PGBOB', 'U0PGCAROL', 'S0PGSRE'],
        requiredApprovals: 1,
      },
      {
        alias: 'assets',
        id: 'E3PLAYGROUNDCDN',
        description: 'Static assets: two approvals (playground example)',
        approvers: ['U0PGBOB', 'U0PGCAROL', 'S0PGSRE'],
        requiredApprovals: 2,
      },
      {
        alias: 'staging',
        id: 'E1PLAYGROUNDSTG',
        description: 'Staging: no approval needed (playground example)',
        approvers: [],
        requiredApprovals: 0,
      },
    ],
  };
}

/** Writes the example config on first start; an existing file (perhaps edited) is kept. */
export function ensureExampleConfig(path: string): { path: string; created: boolean } {
  if (existsSync(path)) {
    // Fails here, with the file named, rather than deep in the bot's config loader.
    JSON.parse(readFileSync(path, 'utf8'));
    return { path, created: false };
  }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, `${JSON.stringify(exampleConfig(), null, 2)}\n`);
  return { path, created: true };
}

export function personName(id: string): string | undefined {
  if (id === BOT.userId) return BOT.name;
  return PEOPLE.find((p) => p.id === id)?.name;
}

export function groupHandle(id: string): string | undefined {
  return USER_GROUPS.find((g) => g.id === id)?.handle;
}

/** DM channels are named after the person: D + user id, stable across restarts. */
export function dmChannelOf(userId: string): string {
  return `D${userId}`;
}

export function channelName(id: string): string | undefined {
  if (id === COMMAND_CHANNEL.id) return COMMAND_CHANNEL.name;
  if (id === APPROVAL_CHANNEL.id) return APPROVAL_CHANNEL.name;
  return undefined;
}
