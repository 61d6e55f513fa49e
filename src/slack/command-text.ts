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
  | { kind: 'quick'; alias?: string; pathsText: string };

/** `/invalidate`, `/invalidate help`, `/invalidate status [id]`, `/invalidate <alias> <path>…`. */
export function parseCommand(raw: string): CommandForm {
  const text = unescapeCommandText(raw).trim();
  if (text === '') return { kind: 'modal' };
  const [first = '', ...rest] = text.split(/\s+/);
  const word = first.toLowerCase();
  if (word === 'help' || word === '-h' || word === '--help') return { kind: 'help' };
  if (word === 'status') return rest[0] ? { kind: 'status', id: rest[0] } : { kind: 'status' };
  if (/^https?:\/\//.test(word)) return { kind: 'quick', pathsText: text };
  if (rest.length === 0) return { kind: 'modal', alias: first };
  return { kind: 'quick', alias: first, pathsText: rest.join(' ') };
}
