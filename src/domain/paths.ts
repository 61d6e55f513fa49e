import { isTagInput, normaliseTag } from './tags';

/**
 * Invalidation items: what a person typed or pasted (paths, full URLs, `#tag`s),
 * turned into the items CloudFront accepts, or into errors that name the
 * offending line. How a request larger than one invalidation is split is
 * ./batches; which distribution a URL belongs to is ./host-routing.
 */

export const PATH_LIMITS = {
  /** CloudFront: the longest invalidation path, counted after encoding. */
  maxPathLength: 4_000,
  /**
   * Ours: the most items (paths and tags) one request may hold. CloudFront takes
   * 3,000 per invalidation, so this is up to 34 batches, submitted one after another.
   */
  maxItems: 100_000,
  /** Ours: all items together, in characters (the store splits them into items well under 400 KB). */
  maxTotalLength: 8_000_000,
  /** Ours: beyond this many errors a person learns nothing new from the list. */
  maxReportedErrors: 20,
  /** Ours: how much of an offending line an error quotes. */
  maxQuotedLength: 80,
} as const;

export interface PathError {
  /** 1-based line (or word, in 'words' mode); 0 when the error is about the whole submission. */
  line: number;
  /** The offending input, shortened for display. */
  text: string;
  message: string;
}

export interface FailedParse {
  ok: false;
  /** Sorted by line, at most `PATH_LIMITS.maxReportedErrors`. */
  errors: PathError[];
  /** How many further errors were found but not listed. */
  moreErrors: number;
}

export type ParsedPaths = { ok: true; paths: string[]; wildcardCount: number } | FailedParse;

/** One accepted item, with where it came from. */
export interface ParsedItem {
  line: number;
  /** The input as typed, shortened for display. */
  text: string;
  /** What CloudFront is sent: an encoded path (`/…`) or a lower-case tag (`#…`). */
  item: string;
  kind: 'path' | 'tag';
  /** The host of a full URL, lower case, without port or user info. */
  host?: string;
}

/** What was changed on the way in, so the requester can be told (see README "Kinds of item"). */
export interface Normalisation {
  /** Lines dropped because an earlier line gave the same item. */
  duplicatesMerged: number;
  /** Lines whose query string was dropped (CloudFront ignores it unless the cache key includes it). */
  queryStringsDropped: number;
  /** Lines whose `#fragment` was dropped (browsers never send it). */
  fragmentsDropped: number;
  /** Lines with characters URL-encoded the way CloudFront expects. */
  encoded: number;
}

export type ParsedItems =
  | {
      ok: true;
      /** Distinct items in input order; `items[i].item` is the i-th item sent. */
      items: ParsedItem[];
      wildcardCount: number;
      tagCount: number;
      normalised: Normalisation;
    }
  | FailedParse;

/** 'lines': the modal's field, one path per line. 'words': the quick form, whitespace-separated. */
export type PathInputMode = 'lines' | 'words';

interface Entry {
  line: number;
  raw: string;
}

interface Changes {
  queryDropped: boolean;
  fragmentDropped: boolean;
  encoded: boolean;
}

type Normalised =
  | { ok: true; item: string; kind: 'path' | 'tag'; host?: string; changes: Changes }
  | { ok: false; message: string };

const UNCHANGED: Changes = { queryDropped: false, fragmentDropped: false, encoded: false };

/** The paths alone, for callers that need only the list. */
export function parsePaths(input: string, mode: PathInputMode = 'lines'): ParsedPaths {
  const parsed = parseItems(input, mode);
  if (!parsed.ok) return parsed;
  return { ok: true, paths: parsed.items.map((i) => i.item), wildcardCount: parsed.wildcardCount };
}

export function parseItems(input: string, mode: PathInputMode = 'lines'): ParsedItems {
  const entries = splitEntries(input, mode);
  if (entries.length === 0) {
    return { ok: false, errors: [{ line: 0, text: '', message: 'no paths given' }], moreErrors: 0 };
  }

  const errors: PathError[] = [];
  const accepted: ParsedItem[] = [];
  const seen = new Set<string>();
  const normalised: Normalisation = {
    duplicatesMerged: 0,
    queryStringsDropped: 0,
    fragmentsDropped: 0,
    encoded: 0,
  };
  let wildcardCount = 0;
  let tagCount = 0;
  for (const entry of entries) {
    const result = isTagInput(entry.raw) ? tagOf(entry.raw) : normalisePath(entry.raw);
    if (!result.ok) {
      errors.push(errorAt(entry, result.message));
      continue;
    }
    if (seen.has(result.item)) {
      normalised.duplicatesMerged++;
      continue;
    }
    seen.add(result.item);
    if (result.changes.queryDropped) normalised.queryStringsDropped++;
    if (result.changes.fragmentDropped) normalised.fragmentsDropped++;
    if (result.changes.encoded) normalised.encoded++;
    if (result.kind === 'tag') tagCount++;
    else if (result.item.endsWith('*')) wildcardCount++;
    accepted.push({
      line: entry.line,
      text: quote(entry.raw),
      item: result.item,
      kind: result.kind,
      ...(result.host !== undefined ? { host: result.host } : {}),
    });
  }

  const over = accepted[PATH_LIMITS.maxItems];
  if (over) {
    errors.push({
      line: over.line,
      text: over.text,
      message: `too many items: ${count(accepted.length)} given, at most ${count(PATH_LIMITS.maxItems)} per request; split the list or use wildcards`,
    });
  }
  const totalError = totalLengthError(accepted);
  if (totalError) errors.push(totalError);

  if (errors.length > 0) return failedParse(errors);
  return { ok: true, items: accepted, wildcardCount, tagCount, normalised };
}

/** Errors sorted by line, capped, the rest counted. */
export function failedParse(errors: PathError[]): FailedParse {
  const sorted = [...errors].sort((a, b) => a.line - b.line);
  return {
    ok: false,
    errors: sorted.slice(0, PATH_LIMITS.maxReportedErrors),
    moreErrors: Math.max(0, sorted.length - PATH_LIMITS.maxReportedErrors),
  };
}

function tagOf(raw: string): Normalised {
  const tag = normaliseTag(raw);
  return tag.ok ? { ok: true, item: tag.tag, kind: 'tag', changes: UNCHANGED } : tag;
}

/**
 * The errors as text for a person, one per line (`line 3: "index.html": must
 * start with / …`), then "…and N more".
 * Pass `moreErrors` from a failed parse so errors it did not list are counted too.
 */
export function formatPathErrors(
  errors: PathError[],
  max = 10,
  moreErrors = 0,
  mode: PathInputMode = 'lines',
): string {
  const shown = errors.slice(0, Math.max(0, max));
  // The quick form has one line: there, the position is the path's place among the words.
  const unit = mode === 'words' ? 'path' : 'line';
  const lines = shown.map((e) => {
    const where = e.line > 0 ? `${unit} ${e.line}: ` : '';
    const what = e.text !== '' ? `"${e.text}": ` : '';
    return `${where}${what}${e.message}`;
  });
  const rest = errors.length - shown.length + moreErrors;
  if (rest > 0) lines.push(`…and ${count(rest)} more`);
  return lines.join('\n');
}

function splitEntries(input: string, mode: PathInputMode): Entry[] {
  const pieces = mode === 'words' ? input.split(/\s+/).filter((w) => w !== '') : input.split(/\r\n|\r|\n/);
  const entries: Entry[] = [];
  pieces.forEach((piece, i) => {
    const raw = trimPasted(piece);
    if (raw !== '') entries.push({ line: i + 1, raw });
  });
  return entries;
}

/** Text copied from chat or a browser can carry zero-width characters at the ends; they are never meant. */
function trimPasted(text: string): string {
  return text.replace(/^[\s\u200B\u2060]+|[\s\u200B\u2060]+$/g, '');
}

const URL_PREFIX = /^https?:\/\/([^/?#]+)/i;

function normalisePath(raw: string): Normalised {
  let path = raw;
  const url = URL_PREFIX.exec(path);
  let host: string | undefined;
  if (url) {
    host = hostOf(url[1] ?? '');
    path = path.slice(url[0].length);
    if (!path.startsWith('/')) path = `/${path}`;
  }
  // CloudFront caches by path; a query string or fragment is not part of an invalidation path.
  const cut = path.search(/[?#]/);
  let queryDropped = false;
  let fragmentDropped = false;
  if (cut !== -1) {
    const rest = path.slice(cut);
    const hash = rest.indexOf('#');
    const query = rest.indexOf('?');
    // A non-empty query string before any fragment; a `?` inside the fragment is the fragment's.
    queryDropped = query !== -1 && (hash === -1 || query < hash) && rest.length > 1 && rest[1] !== '#';
    fragmentDropped = hash !== -1;
    path = path.slice(0, cut);
  }

  if (!path.startsWith('/')) {
    return { ok: false, message: 'must start with / (or be a full http/https URL)' };
  }
  const star = path.indexOf('*');
  if (star !== -1 && star !== path.length - 1) {
    return { ok: false, message: '* is only allowed as the last character' };
  }
  const encoded = encodePath(path);
  if (encoded === undefined) {
    return { ok: false, message: 'contains a broken character (an unpaired UTF-16 surrogate)' };
  }
  if (encoded.length > PATH_LIMITS.maxPathLength) {
    return {
      ok: false,
      message: `is ${count(encoded.length)} characters long once encoded; the limit is ${count(PATH_LIMITS.maxPathLength)}`,
    };
  }
  return {
    ok: true,
    item: encoded,
    kind: 'path',
    ...(host !== undefined ? { host } : {}),
    changes: { queryDropped, fragmentDropped, encoded: encoded !== path },
  };
}

/** `User@WWW.Example.com:443` → `www.example.com`. */
function hostOf(authority: string): string {
  const afterUser = authority.slice(authority.lastIndexOf('@') + 1);
  const host = afterUser.startsWith('[')
    ? afterUser.slice(0, afterUser.indexOf(']') + 1)
    : afterUser.split(':')[0];
  return (host ?? '').toLowerCase().replace(/\.$/, '');
}

const KEPT_AS_TYPED = /^[A-Za-z0-9\-._~!$&'()*+,;=:@/]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * CloudFront's rule: URL-encode non-ASCII characters (as UTF-8) and the unsafe
 * characters of RFC 1738, and nothing else, because an encoded safe character
 * no longer matches the path that was cached. The one exception is "~": RFC
 * 3986 made it unreserved and browsers send it raw, so it stays too. Legal path
 * characters (RFC 3986 unreserved, sub-delims, ":", "@", "/") are kept as typed.
 * An existing `%XX` is kept (people paste already-encoded URLs), a bare `%`
 * becomes `%25`, and `*` is never encoded: it is CloudFront's wildcard. The
 * output holds only characters this function keeps, so encoding is idempotent.
 */
function encodePath(path: string): string | undefined {
  let out = '';
  let i = 0;
  while (i < path.length) {
    const codePoint = path.codePointAt(i) ?? 0;
    const char = String.fromCodePoint(codePoint);
    i += char.length;
    if (char === '%') {
      const pair = path.slice(i, i + 2);
      if (HEX_PAIR.test(pair)) {
        out += `%${pair}`;
        i += 2;
      } else {
        out += '%25';
      }
    } else if (KEPT_AS_TYPED.test(char)) {
      out += char;
    } else if (codePoint >= 0xd800 && codePoint <= 0xdfff) {
      return undefined;
    } else {
      out += encodeURIComponent(char);
    }
  }
  return out;
}

function totalLengthError(accepted: readonly ParsedItem[]): PathError | undefined {
  let total = 0;
  let first: ParsedItem | undefined;
  for (const entry of accepted) {
    total += entry.item.length;
    if (first === undefined && total > PATH_LIMITS.maxTotalLength) first = entry;
  }
  if (first === undefined) return undefined;
  return {
    line: first.line,
    text: first.text,
    message: `the items add up to ${count(total)} characters, more than the ${count(PATH_LIMITS.maxTotalLength)} one request can hold; split them into several requests or use a wildcard`,
  };
}

function errorAt(entry: Entry, message: string): PathError {
  return { line: entry.line, text: quote(entry.raw), message };
}

function quote(text: string): string {
  const chars = Array.from(text);
  if (chars.length <= PATH_LIMITS.maxQuotedLength) return text;
  return `${chars.slice(0, PATH_LIMITS.maxQuotedLength - 1).join('')}…`;
}

/** 3000 → "3,000", without relying on the runtime's locale data. */
function count(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}
