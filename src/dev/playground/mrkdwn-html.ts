import { channelName, groupHandle, personName } from './people';

/**
 * Slack mrkdwn as HTML, close enough to judge a message: *bold*, _italic_,
 * ~strike~, `code`, ```blocks```, > quotes, links, <@U…> / <!subteam^S…> /
 * <#C…> as names, <!date^…> in the reader's terms, and the emoji the bot uses.
 * Slack text arrives with &, < and > already escaped as entities.
 */

const EMOJI: Record<string, string> = {
  white_check_mark: '✅',
  x: '❌',
  warning: '⚠️',
  test_tube: '🧪',
  no_entry: '⛔',
  large_green_circle: '🟢',
  hourglass_flowing_sand: '⏳',
  hourglass: '⌛',
  heavy_multiplication_x: '✖️',
  alarm_clock: '⏰',
  rocket: '🚀',
  arrows_counterclockwise: '🔄',
  '+1': '👍',
  thumbsup: '👍',
  rotating_light: '🚨',
  broken_heart: '💔',
  lock: '🔒',
  information_source: 'ℹ️',
  stopwatch: '⏱️',
  wave: '👋',
  mag: '🔍',
  memo: '📝',
  bell: '🔔',
  email: '📧',
  construction: '🚧',
  hammer_and_wrench: '🛠️',
  fire: '🔥',
  broom: '🧹',
};

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

export function emojify(text: string): string {
  return text.replace(/:([a-z0-9_+-]+):/g, (whole, name: string) => EMOJI[name] ?? whole);
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** Slack's date tokens, in UTC (the page says so), relative to `now`. */
function formatDate(seconds: number, format: string, now: number): string {
  const d = new Date(seconds * 1000);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = `${MONTHS[d.getUTCMonth()]} ${d.getUTCDate()}, ${d.getUTCFullYear()}`;
  const today = new Date(now).toISOString().slice(0, 10) === d.toISOString().slice(0, 10);
  const agoMinutes = Math.round((now - d.getTime()) / 60_000);
  const ago =
    Math.abs(agoMinutes) < 1
      ? 'just now'
      : agoMinutes > 0
        ? agoMinutes < 60
          ? `${agoMinutes} minute${agoMinutes === 1 ? '' : 's'} ago`
          : `${Math.round(agoMinutes / 60)} hours ago`
        : `in ${-agoMinutes} minutes`;
  return format
    .replace(/\{date_short_pretty\}|\{date_pretty\}|\{date_long_pretty\}/g, today ? 'Today' : day)
    .replace(/\{date_num\}/g, d.toISOString().slice(0, 10))
    .replace(/\{date_short\}|\{date_long\}|\{date\}/g, day)
    .replace(
      /\{time_secs\}/g,
      `${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} UTC`,
    )
    .replace(/\{time\}/g, `${two(d.getUTCHours())}:${two(d.getUTCMinutes())} UTC`)
    .replace(/\{ago\}/g, ago);
}

/** One `<…>` token of Slack's markup, as HTML. */
function token(inner: string, now: number): string {
  const [target = '', label] = splitOnce(inner, '|');
  if (target.startsWith('@')) {
    const id = target.slice(1);
    return `<span class="mention">@${escapeHtml(personName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('#')) {
    const id = target.slice(1);
    return `<span class="mention">#${escapeHtml(channelName(id) ?? label ?? id)}</span>`;
  }
  if (target.startsWith('!subteam^')) {
    const id = target.slice('!subteam^'.length);
    const handle = groupHandle(id) ?? label?.replace(/^@/, '') ?? id;
    return `<span class="mention">@${escapeHtml(handle)}</span>`;
  }
  if (target.startsWith('!date^')) {
    const [, seconds = '', format = '', link] = target.split('^');
    const text = Number.isFinite(Number(seconds)) ? formatDate(Number(seconds), format, now) : (label ?? '');
    const shown = escapeHtml(text);
    return link ? `<a href="${escapeHtml(decodeEntities(link))}">${shown}</a>` : shown;
  }
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  const href = decodeEntities(target);
  const safe = /^(https?:|mailto:)/i.test(href) ? href : '#';
  // A permalink into the page itself (a message anchor) stays in this tab.
  const opens = /#m-[A-Z0-9]+-\d+-\d+$/.test(safe) ? '' : ' target="_blank" rel="noreferrer"';
  return `<a href="${escapeHtml(safe)}"${opens}>${escapeHtml(decodeEntities(label ?? target))}</a>`;
}

function splitOnce(text: string, sep: string): [string, string | undefined] {
  const at = text.indexOf(sep);
  return at < 0 ? [text, undefined] : [text.slice(0, at), text.slice(at + 1)];
}

/** Plain text (a plain_text object's `text`), with emoji. */
export function plainTextHtml(text: string): string {
  return escapeHtml(emojify(text)).replace(/\n/g, '<br>');
}

export function mrkdwnHtml(source: string, now: number = Date.now()): string {
  // Stash what must not be formatted further (code, tokens) behind placeholders.
  const stash: string[] = [];
  const keep = (html: string): string => `\uE000${stash.push(html) - 1}\uE000`;
  let text = source
    .replace(/```([\s\S]*?)```/g, (_, code: string) =>
      keep(`<pre>${escapeHtml(decodeEntities(code.replace(/^\n|\n$/g, '')))}</pre>`),
    )
    .replace(/`([^`\n]+)`/g, (_, code: string) => keep(`<code>${escapeHtml(decodeEntities(code))}</code>`))
    .replace(/<([^<>\n]+)>/g, (_, inner: string) => keep(token(inner, now)));
  text = escapeHtml(emojify(decodeEntities(text)));
  const edge = '(^|[\\s(\\[{"\'>\uE000])';
  const end = '(?=$|[\\s)\\]}.,;:!?"\'<\uE000])';
  text = text
    .replace(new RegExp(`${edge}\\*([^*\\n]+)\\*${end}`, 'g'), '$1<b>$2</b>')
    .replace(new RegExp(`${edge}_([^_\\n]+)_${end}`, 'g'), '$1<i>$2</i>')
    .replace(new RegExp(`${edge}~([^~\\n]+)~${end}`, 'g'), '$1<s>$2</s>');
  const lines = text.split('\n');
  const html: string[] = [];
  let quote: string[] = [];
  const flush = () => {
    if (quote.length > 0) html.push(`<blockquote>${quote.join('<br>')}</blockquote>`);
    quote = [];
  };
  for (const line of lines) {
    if (line.startsWith('&gt;')) {
      quote.push(line.slice(4).replace(/^ /, ''));
      continue;
    }
    flush();
    html.push(line);
  }
  flush();
  return html
    .join('<br>')
    .replace(/<br>(<blockquote>)/g, '$1')
    .replace(/(<\/blockquote>)<br>/g, '$1')
    .replace(/\uE000(\d+)\uE000/g, (_, i: string) => stash[Number(i)] ?? '');
}
