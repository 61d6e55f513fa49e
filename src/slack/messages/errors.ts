import { escapeAndTruncate } from './mrkdwn';
import { contextBlock } from './sections';
import { BLOCK_KIT_LIMITS, type SlackMessage } from './slack-message';

/**
 * An ephemeral "that did not work" reply. `mrkdwn` is our own text and may
 * mention people (`<@U…>`); escape anything a person typed with `escapeMrkdwn`
 * before putting it in.
 */
export function errorMessage(mrkdwn: string): SlackMessage {
  return { text: `:warning: ${mrkdwn}` };
}

const MAX_LINE_LENGTH = 300;
const HEADING = ':warning: *Some paths cannot be invalidated*, so nothing was requested:';
const RULES =
  'Each path starts with `/` (full URLs are fine), `*` only as the last character, and paths are case sensitive.';

/**
 * The ephemeral answer to a quick-form request with bad paths: what is wrong
 * with which line, and the rules. `formatted` is the plain-text report of the
 * path validation, one error per line; it quotes what the person typed, so it
 * is escaped here.
 */
export function pathErrorsMessage(formatted: string): SlackMessage {
  const lines = formatted.split('\n').filter((line) => line.trim() !== '');
  let text = HEADING;
  let shown = 0;
  // Leave room for the "…and N more" line.
  const budget = BLOCK_KIT_LIMITS.sectionText - 40;
  for (const line of lines) {
    const item = `\n• ${escapeAndTruncate(line, MAX_LINE_LENGTH)}`;
    if (text.length + item.length > budget) break;
    text += item;
    shown += 1;
  }
  if (shown < lines.length) text += `\n• …and ${lines.length - shown} more`;
  return {
    text: 'Some paths cannot be invalidated, so nothing was requested.',
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text } }, contextBlock(RULES)],
  };
}
