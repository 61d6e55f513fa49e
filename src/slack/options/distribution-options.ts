import type { PlainTextOption } from '@slack/types';
import type { DistributionConfig } from '../../config/bot-config';
import { truncate } from '../messages/mrkdwn';
import { BLOCK_KIT_LIMITS } from '../messages/slack-message';

type Searchable = Pick<DistributionConfig, 'alias' | 'id' | 'description'> &
  Partial<Pick<DistributionConfig, 'domains' | 'tenantId'>>;

/**
 * The type-ahead of the modal's distribution field: distributions whose alias,
 * id, tenant, description or one of its domains contains the query (any case), so
 * typing a host finds the distribution serving it; aliases starting with it
 * first, then by alias; at most Slack's 100. Each option's value is the alias.
 */
export function distributionOptions(
  distributions: readonly Searchable[],
  query: string,
): { options: PlainTextOption[] } {
  const needle = query.trim().toLowerCase();
  const matches = distributions.filter(
    (d) =>
      needle === '' ||
      d.alias.toLowerCase().includes(needle) ||
      d.id.toLowerCase().includes(needle) ||
      d.description.toLowerCase().includes(needle) ||
      (d.tenantId ?? '').toLowerCase().includes(needle) ||
      (d.domains ?? []).some((host) => host.includes(needle)),
  );
  const startsWith = (d: Searchable) => (needle !== '' && d.alias.toLowerCase().startsWith(needle) ? 0 : 1);
  const sorted = matches.sort((a, b) => startsWith(a) - startsWith(b) || compare(a.alias, b.alias));
  return { options: sorted.slice(0, BLOCK_KIT_LIMITS.options).map(distributionOption) };
}

/** One distribution as a select option: "alias — id" (or "— id/tenant"), its domains and description below. */
export function distributionOption(distribution: Searchable): PlainTextOption {
  const target = distribution.tenantId ? `${distribution.id}/${distribution.tenantId}` : distribution.id;
  const option: PlainTextOption = {
    text: {
      type: 'plain_text',
      text: truncate(`${distribution.alias} — ${target}`, BLOCK_KIT_LIMITS.optionText),
    },
    value: distribution.alias,
  };
  const below = [(distribution.domains ?? []).join(', '), distribution.description.trim()].filter(
    (t) => t !== '',
  );
  if (below.length > 0) {
    option.description = {
      type: 'plain_text',
      text: truncate(below.join(' · '), BLOCK_KIT_LIMITS.optionDescription),
    };
  }
  return option;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
