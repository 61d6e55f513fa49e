import type { KnownBlock } from '@slack/types';
import { BLOCK_KIT_LIMITS } from './slack-message';

/**
 * Packs mrkdwn lines into as few sections as Slack's 3,000-character limit
 * allows, using at most `maxSections`; returns the blocks and how many lines
 * did not fit. A line longer than a section never appears (callers shorten lines).
 */
export function lineSections(
  lines: readonly string[],
  maxSections: number,
): { blocks: KnownBlock[]; hidden: number } {
  const texts: string[] = [];
  let current = '';
  let shown = 0;
  for (const line of lines) {
    const next = current === '' ? line : `${current}\n${line}`;
    if (next.length <= BLOCK_KIT_LIMITS.sectionText) {
      current = next;
      shown += 1;
      continue;
    }
    if (current !== '') texts.push(current);
    if (texts.length >= maxSections || line.length > BLOCK_KIT_LIMITS.sectionText) {
      current = '';
      break;
    }
    current = line;
    shown += 1;
  }
  if (current !== '' && texts.length < maxSections) texts.push(current);
  return {
    blocks: texts.map((text) => ({ type: 'section', text: { type: 'mrkdwn', text } })),
    hidden: lines.length - shown,
  };
}

/** A context block: one line of small mrkdwn text. */
export function contextBlock(mrkdwn: string): KnownBlock {
  return { type: 'context', elements: [{ type: 'mrkdwn', text: mrkdwn }] };
}

/** A link to a request's thread, under its card or its status. */
export function threadLinkBlock(permalink: string): KnownBlock {
  return contextBlock(`<${permalink}|Open the request thread>`);
}

/** The line help and the App Home show while the bot runs with DRY_RUN. */
export function dryRunFlowNote(): KnownBlock {
  return contextBlock(':test_tube: Dry run: requests go through approval, but no invalidation is sent.');
}
