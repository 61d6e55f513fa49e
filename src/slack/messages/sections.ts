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
