/**
 * Invalidation paths: what a person typed or pasted, turned into the paths
 * CloudFront accepts, or into errors that name the offending line.
 */

export const PATH_LIMITS = {
  /** CloudFront: the longest invalidation path, counted after encoding. */
  maxPathLength: 4_000,
  /** CloudFront: individual paths in progress per distribution (so per request, too). */
  maxPaths: 3_000,
  /** CloudFront: wildcard paths in progress per distribution. */
  maxWildcardPaths: 15,
  /** Ours: the request is one DynamoDB item (400 KB), so the paths together must stay well below it. */
  maxTotalLength: 300_000,
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

export type ParsedPaths =
  | { ok: true; paths: string[]; wildcardCount: number }
  | {
      ok: false;
      /** Sorted by line, at most `PATH_LIMITS.maxReportedErrors`. */
      errors: PathError[];
      /** How many further errors were found but not listed. */
      moreErrors: number;
    };

/** 'lines': the modal's field, one path per line. 'words': the quick form, whitespace-separated. */
export type PathInputMode = 'lines' | 'words';

interface Entry {
  line: number;
  raw: string;
}

type Normalised = { ok: true; path: string } | { ok: false; message: string };

export function parsePaths(input: string, mode: PathInputMode = 'lines'): ParsedPaths {
  const entries = splitEntries(input, mode);
  if (entries.length === 0) {
    return { ok: false, errors: [{ line: 0, text: '', message: 'no paths given' }], moreErrors: 0 };
  }

  const errors: PathError[] = [];
  const accepted: { entry: Entry; path: string }[] = [];
  const seen = new Set<string>();
  for (const entry of entries) {
    const result = normalisePath(entry.raw);
    if (!result.ok) {
      errors.push(errorAt(entry, result.message));
    } else if (!seen.has(result.path)) {
      seen.add(result.path);
      accepted.push({ entry, path: result.path });
    }
  }

  const over = accepted[PATH_LIMITS.maxPaths];
  if (over) {
    errors.push(
      errorAt(
        over.entry,
        `too many paths: ${count(accepted.length)} given, at most ${count(PATH_LIMITS.maxPaths)} per request`,
      ),
    );
  }
  const wildcards = accepted.filter((a) => a.path.endsWith('*'));
  const overWildcard = wildcards[PATH_LIMITS.maxWildcardPaths];
  if (overWildcard) {
    errors.push(
      errorAt(
        overWildcard.entry,
        `too many wildcard paths: ${count(wildcards.length)} given, at most ${count(PATH_LIMITS.maxWildcardPaths)} per request`,
      ),
    );
  }
  const totalError = totalLengthError(accepted);
  if (totalError) errors.push(totalError);

  if (errors.length > 0) {
    errors.sort((a, b) => a.line - b.line);
    return {
      ok: false,
      errors: errors.slice(0, PATH_LIMITS.maxReportedErrors),
      moreErrors: Math.max(0, errors.length - PATH_LIMITS.maxReportedErrors),
    };
  }
  return { ok: true, paths: accepted.map((a) => a.path), wildcardCount: wildcards.length };
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

const URL_PREFIX = /^https?:\/\/[^/?#]+/i;

function normalisePath(raw: string): Normalised {
  let path = raw;
  const url = URL_PREFIX.exec(path);
  if (url) {
    path = path.slice(url[0].length);
    if (!path.startsWith('/')) path = `/${path}`;
  }
  // CloudFront caches by path; a query string or fragment is not part of an invalidation path.
  const cut = path.search(/[?#]/);
  if (cut !== -1) path = path.slice(0, cut);

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
  return { ok: true, path: encoded };
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

function totalLengthError(accepted: { entry: Entry; path: string }[]): PathError | undefined {
  let total = 0;
  let first: Entry | undefined;
  for (const { entry, path } of accepted) {
    total += path.length;
    if (first === undefined && total > PATH_LIMITS.maxTotalLength) first = entry;
  }
  if (first === undefined) return undefined;
  return errorAt(
    first,
    `the paths add up to ${count(total)} characters, more than the ${count(PATH_LIMITS.maxTotalLength)} one request can hold; split them into several requests or use a wildcard`,
  );
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
