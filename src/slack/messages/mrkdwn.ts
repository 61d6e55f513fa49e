/**
 * Text going into Slack's mrkdwn. Anything a person typed (reasons, paths,
 * descriptions, CloudFront's error text) goes through `escapeMrkdwn`, so a
 * `<!channel>` or `<https://evil|docs>` in it shows as typed instead of acting.
 */

const ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };

export function escapeMrkdwn(raw: string): string {
  return raw.replace(/[&<>]/g, (c) => ENTITIES[c] ?? c);
}

const ELLIPSIS = '…';

/** Shortens plain text to at most `max` UTF-16 units, ending in "…", never splitting a character. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const char of text) {
    if (out.length + char.length + ELLIPSIS.length > max) break;
    out += char;
  }
  return out + ELLIPSIS;
}

/** Escapes, then shortens so the escaped text fits `max`, never cutting an `&amp;` in half. */
export function escapeAndTruncate(raw: string, max: number): string {
  const escaped = escapeMrkdwn(raw);
  if (escaped.length <= max) return escaped;
  let out = '';
  for (const char of raw) {
    const piece = ENTITIES[char] ?? char;
    if (out.length + piece.length + ELLIPSIS.length > max) break;
    out += piece;
  }
  return out + ELLIPSIS;
}

/** A user (`U…`/`W…`) or user group (`S…`) as Slack renders and notifies it. */
export function mention(id: string): string {
  return id.startsWith('S') ? `<!subteam^${id}>` : `<@${id}>`;
}

/** "1 path", "3 paths", "3,000 paths". */
export function plural(count: number, singular: string, pluralForm = `${singular}s`): string {
  return `${groupThousands(count)} ${count === 1 ? singular : pluralForm}`;
}

/**
 * 1234567 → "1,234,567", as en-US writes it. Not toLocaleString: its first call
 * loads ICU's number formatting, about 9 ms of a cold start's first request.
 */
export function groupThousands(n: number): string {
  if (!Number.isSafeInteger(n)) return n.toLocaleString('en-US');
  const digits = String(Math.abs(n)).replace(/\B(?=(\d{3})+$)/g, ',');
  return n < 0 ? `-${digits}` : digits;
}

/**
 * A time each reader sees in their own time zone (`format` uses Slack's tokens,
 * e.g. `{ago}`, `{date_short_pretty} at {time}`), with a UTC fallback for
 * clients that cannot render it.
 */
export function slackDate(iso: string, format: string): string {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return escapeMrkdwn(iso);
  const fallback = `${new Date(ms).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
  return `<!date^${Math.floor(ms / 1000)}^${format}|${fallback}>`;
}

/** Quotes text as a mrkdwn block quote, every line of it. */
export function quote(mrkdwn: string): string {
  return mrkdwn
    .split('\n')
    .map((line) => `>${line}`)
    .join('\n');
}

/**
 * Mrkdwn as plain text, for surfaces that do not render it (a modal's inline
 * field errors): mentions become `@U…` / `@group S…`, code marks go.
 */
export function toPlainText(mrkdwn: string): string {
  return mrkdwn
    .replace(/<@([UW][A-Z0-9]+)>/g, '@$1')
    .replace(/<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>/g, '@group $1')
    .replace(/`/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&amp;/g, '&');
}
