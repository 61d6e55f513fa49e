import {
  APPROVAL_CHANNEL,
  type Bot,
  cardTsOf,
  cardUpdates,
  defaultConfig,
  storedRequest,
  textOf,
} from '../support/bot';
import { slashCommand } from '../support/slack-requests';

/** Shared by the item e2e tests: distributions with domains, cache tags and a tenant. */

export const CDN_ID = 'E4CDNTAGS00001';
export const MULTI_ID = 'E5MULTITENANT1';
export const TENANT_A = 'dt_shopA1';
export const TENANT_B = 'dt_shopB2';

export function itemsConfig(): Record<string, unknown> {
  const base = defaultConfig();
  const distributions = (base.distributions as Record<string, unknown>[]).map((d) =>
    d.alias === 'www' ? { ...d, domains: ['www.example.com', 'example.com'] } : d,
  );
  return {
    ...base,
    distributions: [
      ...distributions,
      { alias: 'cdn', id: CDN_ID, requiredApprovals: 0, cacheTags: true, domains: ['*.example.com'] },
      {
        alias: 'shop-a',
        id: MULTI_ID,
        tenantId: TENANT_A,
        requiredApprovals: 0,
        domains: ['a.shop.example.net'],
      },
      {
        alias: 'shop-b',
        id: MULTI_ID,
        tenantId: TENANT_B,
        requiredApprovals: 0,
        domains: ['b.shop.example.net'],
      },
    ],
  };
}

export const ITEMS_BOT = {
  config: itemsConfig(),
  distributions: [CDN_ID],
  tenants: [
    { id: TENANT_A, distributionId: MULTI_ID },
    { id: TENANT_B, distributionId: MULTI_ID },
  ],
  completeAfterChecks: 0,
};

export interface Ephemeral {
  response_type: string;
  text: string;
  all: string;
}

/** `/invalidate <text>`; returns the ephemeral answer with all its text. */
export async function command(bot: Bot, userId: string, text: string): Promise<Ephemeral> {
  const res = await bot.send(slashCommand({ text, userId, channelId: APPROVAL_CHANNEL }));
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  const body = JSON.parse(res.body) as Omit<Ephemeral, 'all'>;
  return { ...body, all: textOf(body as unknown as Record<string, unknown>) };
}

/** The card as last posted or updated. */
export async function lastCardText(bot: Bot, requestId: string): Promise<string> {
  const stored = await storedRequest(bot, requestId);
  const ts = cardTsOf(stored);
  const update = cardUpdates(bot, ts).at(-1);
  if (update) return textOf(update.args);
  const post = bot.slackApi.calls('chat.postMessage').find((c) => c.response.ts === ts);
  return textOf(post?.args ?? {});
}
