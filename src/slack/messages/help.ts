import type { KnownBlock } from '@slack/types';
import { escapeAndTruncate, escapeMrkdwn, plural } from './mrkdwn';
import { contextBlock, dryRunFlowNote, lineSections } from './sections';
import type { SlackMessage } from './slack-message';

export interface HelpDistribution {
  alias: string;
  id: string;
  description: string;
  /** Who approves and how many, already in mrkdwn (it may mention users and groups); inserted as-is. */
  policyText: string;
  /** Hosts whose URLs go to this distribution (README "Domain routing"). */
  domains?: readonly string[];
  /** `#tag` items are allowed. */
  cacheTags?: boolean;
}

export interface HelpInput {
  /** The distributions this person may request invalidations on. */
  distributions: readonly HelpDistribution[];
  dryRun: boolean;
}

/** Sections for the distribution list; the whole message stays far below Slack's 50 blocks. */
const MAX_DISTRIBUTION_SECTIONS = 10;
const MAX_POLICY_LENGTH = 600;

/** `/invalidate help`: the commands, the path rules, and the distributions this person may use. */
export function helpMessage(input: HelpInput): SlackMessage {
  const example = input.distributions[0]?.alias ?? 'www';
  const blocks: KnownBlock[] = [
    { type: 'header', text: { type: 'plain_text', text: 'Invalidating CloudFront caches' } },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Commands*',
          '• `/invalidate`: open the request form (distribution, paths, reason).',
          `• \`/invalidate &lt;alias&gt; &lt;path&gt; [&lt;path&gt;…]\`: request without the form, e.g. \`/invalidate ${escapeMrkdwn(example)} /index.html /css/*\`.`,
          '• `/invalidate https://host/path …`: full URLs only, sent to the distribution that serves their host (listed below).',
          '• `/invalidate &lt;alias&gt; &lt;path&gt;… -- &lt;reason&gt;`: words after a standalone `--` are the reason (some distributions require one).',
          '• `/invalidate &lt;alias&gt; --break-glass &lt;path&gt;… -- &lt;reason&gt;`: in an incident, if you are listed for it, submit at once without approval; the reason is required and the approvers review it afterwards.',
          '• `/invalidate status [id]`: your recent requests, or one request in detail.',
          '• `/invalidate help`: this message.',
        ].join('\n'),
      },
    },
    {
      type: 'section',
      text: {
        type: 'mrkdwn',
        text: [
          '*Paths*',
          '• One path per line in the form (separated by spaces in the command), each starting with `/`.',
          '• Full URLs are fine: `https://example.com/img/a.png?v=2` becomes `/img/a.png`.',
          '• `*` only as the last character: `/images/*` clears everything under `/images/`.',
          '• `#tag` clears a cache tag, on distributions marked _cache tags_ below (`#A` and `#a` are one tag).',
          '• Paths are case sensitive. Each request is approved in the approval channel before anything is sent.',
          '• Long lists: attach a text file in the form (one item per line). Up to 100,000 items per request, sent in batches of 3,000 (at most 15 wildcards each).',
        ].join('\n'),
      },
    },
    ...distributionBlocks(input.distributions),
  ];
  if (input.dryRun) {
    blocks.push(dryRunFlowNote());
  }
  const dryRun = input.dryRun ? ' (dry run)' : '';
  return { text: `How to use /invalidate${dryRun}`, blocks };
}

function distributionBlocks(distributions: readonly HelpDistribution[]): KnownBlock[] {
  if (distributions.length === 0) {
    return [
      {
        type: 'section',
        text: {
          type: 'mrkdwn',
          text: '*Distributions*\nYou may not request invalidations on any distribution yet. Ask the bot’s admins to add you to a distribution’s `requesters`.',
        },
      },
    ];
  }
  const lines = distributions.map((d) => {
    const description = d.description === '' ? '' : ` ${escapeAndTruncate(d.description, 200)}`;
    const policy = shortenPolicy(d.policyText);
    const hosts =
      (d.domains ?? []).length > 0
        ? `\n    hosts: ${escapeAndTruncate((d.domains ?? []).join(', '), 400)}`
        : '';
    const tags = d.cacheTags ? ' · _cache tags_' : '';
    return `• *${escapeMrkdwn(d.alias)}* \`${escapeMrkdwn(d.id)}\`${description}${tags}${hosts}\n    _${policy}_`;
  });
  const { blocks, hidden } = lineSections(lines, MAX_DISTRIBUTION_SECTIONS);
  const title: KnownBlock = {
    type: 'section',
    text: { type: 'mrkdwn', text: `*Distributions you may use* (${distributions.length})` },
  };
  const rest: KnownBlock[] =
    hidden > 0
      ? [
          contextBlock(
            `…and ${plural(hidden, 'more distribution')}: search for them in the form’s distribution field.`,
          ),
        ]
      : [];
  return [title, ...blocks, ...rest];
}

/** The policy text is ours and may hold mentions, so it is only shortened, not escaped. */
function shortenPolicy(policyText: string): string {
  return policyText.length <= MAX_POLICY_LENGTH ? policyText : `${policyText.slice(0, MAX_POLICY_LENGTH)}…`;
}
