/**
 * Cache tags: `#tag` items invalidate every object CloudFront cached with that
 * tag (a distribution with a CacheTagConfig). They travel in the same
 * `Paths.Items` as paths, so an item is a tag exactly when it starts with `#`.
 */

export const TAG_LIMITS = {
  /** CloudFront: the longest tag name, not counting the leading `#`. */
  maxLength: 256,
} as const;

export type ItemKind = 'path' | 'tag';

/** Paths start with `/`, tags with `#`: the one place that tells them apart. */
export function itemKind(item: string): ItemKind {
  return item.startsWith('#') ? 'tag' : 'path';
}

export function isTagInput(raw: string): boolean {
  return raw.startsWith('#');
}

export type TagErrorCode = 'tag-empty' | 'tag-too-long' | 'tag-character' | 'tag-comma' | 'tag-wildcard';

export type NormalisedTag = { ok: true; tag: string } | { ok: false; code: TagErrorCode; message: string };

/**
 * `#Release-42` → `#release-42`. CloudFront matches tags case-insensitively,
 * so `#A` and `#a` are one item and the lower-case form is the one sent. A tag
 * is visible ASCII (33–126) without a comma (the header's separator) or `*`.
 */
export function normaliseTag(raw: string): NormalisedTag {
  const name = raw.slice(1);
  if (name === '') return { ok: false, code: 'tag-empty', message: 'a cache tag needs a name after #' };
  if (name.length > TAG_LIMITS.maxLength) {
    return {
      ok: false,
      code: 'tag-too-long',
      message: `the cache tag is ${name.length} characters long; the limit is ${TAG_LIMITS.maxLength}`,
    };
  }
  if (name.includes('*')) {
    return {
      ok: false,
      code: 'tag-wildcard',
      message: 'a cache tag cannot contain * (tags have no wildcards)',
    };
  }
  if (name.includes(',')) {
    return { ok: false, code: 'tag-comma', message: 'a cache tag cannot contain a comma' };
  }
  for (const char of name) {
    const code = char.codePointAt(0) ?? 0;
    if (code < 33 || code > 126) {
      return {
        ok: false,
        code: 'tag-character',
        message: `a cache tag may hold only visible ASCII characters, not ${describeChar(char)}`,
      };
    }
  }
  return { ok: true, tag: `#${name.toLowerCase()}` };
}

function describeChar(char: string): string {
  const code = char.codePointAt(0) ?? 0;
  if (char.trim() === '') return `a space (U+${hex(code)})`;
  return `"${char}" (U+${hex(code)})`;
}

function hex(code: number): string {
  return code.toString(16).toUpperCase().padStart(4, '0');
}

/** How many of `items` are tags and paths; a tag counts as one path for cost. */
export function countKinds(items: readonly string[]): { paths: number; tags: number } {
  let tags = 0;
  for (const item of items) if (itemKind(item) === 'tag') tags++;
  return { paths: items.length - tags, tags };
}
