import type { KnownBlock } from '@slack/types';
import { escapeAndTruncate, plural } from './mrkdwn';
import { contextBlock } from './sections';
import { BLOCK_KIT_LIMITS } from './slack-message';

const FENCE = '```';
/** "```\n" before and "\n```" after the lines. */
const FENCE_OVERHEAD = 2 * (FENCE.length + 1);
/** A single path can be 4,000 characters; beyond this much a reader learns nothing more from it. */
const MAX_SHOWN_PATH_LENGTH = 300;

/**
 * The paths as code blocks, split over at most `maxSections` sections of
 * Slack's 3,000 characters each, then "…and N more paths" for the rest.
 */
export function pathListBlocks(paths: readonly string[], maxSections: number): KnownBlock[] {
  const sections: string[][] = [];
  let lines: string[] = [];
  let length = FENCE_OVERHEAD;
  let shown = 0;
  for (const path of paths) {
    const line = escapeAndTruncate(path, MAX_SHOWN_PATH_LENGTH);
    const added = line.length + (lines.length > 0 ? 1 : 0);
    if (length + added > BLOCK_KIT_LIMITS.sectionText) {
      sections.push(lines);
      if (sections.length >= maxSections) {
        lines = [];
        break;
      }
      lines = [];
      length = FENCE_OVERHEAD;
    }
    lines.push(line);
    length += line.length + (lines.length > 1 ? 1 : 0);
    shown += 1;
  }
  if (lines.length > 0) sections.push(lines);

  const blocks: KnownBlock[] = sections.map((sectionLines) => ({
    type: 'section',
    text: { type: 'mrkdwn', text: `${FENCE}\n${sectionLines.join('\n')}\n${FENCE}` },
  }));
  const hidden = paths.length - shown;
  if (hidden > 0) {
    blocks.push(contextBlock(`…and ${plural(hidden, 'more path')}`));
  }
  return blocks;
}
