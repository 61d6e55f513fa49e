/**
 * Slack escapes `&`, `<` and `>` in slash-command text and wraps URLs it
 * recognises as `<https://…>` or `<https://…|label>`. Undo both, so the path
 * parser sees what the person typed.
 */
export function unescapeCommandText(text: string): string {
  return text
    .replace(/<((?:https?|ftp):\/\/[^|>]+)(?:\|[^>]*)?>/g, '$1')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}

export type CommandForm =
  | { kind: 'modal'; alias?: string }
  | { kind: 'help' }
  | { kind: 'status'; id?: string }
  /** No alias: URLs only, routed to the distribution owning their hosts. */
  | { kind: 'quick'; alias?: string; pathsText: string; reason: string; breakGlass: boolean };

/** Asks to skip approval; a reason (after `--`) is then required. */
export const BREAK_GLASS_FLAG = '--break-glass';

/**
 * `/invalidate`, `/invalidate help`, `/invalidate status [id]`,
 * `/invalidate <alias> [--break-glass] <path>… [-- <reason>]`.
 */
export function parseCommand(raw: string): CommandForm {
  const text = unescapeCommandText(raw).trim();
  if (text === '') return { kind: 'modal' };
  const [first = '', ...rest] = text.split(/\s+/);
  const word = first.toLowerCase();
  if (word === 'help' || word === '-h' || word === '--help') return { kind: 'help' };
  if (word === 'status') return rest[0] ? { kind: 'status', id: rest[0] } : { kind: 'status' };
  // A first word that is a URL: no alias, the request goes to the target owning its hosts.
  const routed = /^https?:\/\//.test(word);
  const words = routed ? [first, ...rest] : rest;
  // Words after a standalone `--` are the reason, as typed; the flag counts only before it.
  const dashes = words.indexOf('--');
  const before = dashes === -1 ? words : words.slice(0, dashes);
  const reason = dashes === -1 ? '' : words.slice(dashes + 1).join(' ');
  const breakGlass = before.some((w) => w.toLowerCase() === BREAK_GLASS_FLAG);
  const items = before.filter((w) => w.toLowerCase() !== BREAK_GLASS_FLAG);
  if (!routed && items.length === 0 && !breakGlass && reason === '') return { kind: 'modal', alias: first };
  return {
    kind: 'quick',
    ...(routed ? {} : { alias: first }),
    pathsText: items.join(' '),
    reason,
    breakGlass,
  };
}
