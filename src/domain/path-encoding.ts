import { count, PATH_LIMITS } from './path-limits';

/**
 * One typed path or full URL reduced to what CloudFront invalidates: the host
 * taken off, query and fragment dropped, characters encoded as CloudFront
 * expects. The line/word parser around it is ./paths.
 */

export interface Changes {
  queryDropped: boolean;
  fragmentDropped: boolean;
  encoded: boolean;
}

export type Normalised =
  | { ok: true; item: string; kind: 'path' | 'tag'; host?: string; changes: Changes }
  | { ok: false; message: string };

export const UNCHANGED: Changes = { queryDropped: false, fragmentDropped: false, encoded: false };

const URL_PREFIX = /^https?:\/\/([^/?#]+)/i;

export function normalisePath(raw: string): Normalised {
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
