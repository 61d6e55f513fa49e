import type { BotConfig, DistributionConfig } from '../config/bot-config';
import { findDistribution } from '../config/load-config';
import { hostTable, type RoutingError, routeEntries } from '../domain/host-routing';
import {
  failedParse,
  formatPathErrors,
  type Normalisation,
  type ParsedItems,
  type PathError,
  type PathInputMode,
  parseItems,
} from '../domain/paths';

/**
 * From what the person typed to the target and the items of a request: which
 * distribution (the one picked, or the one owning every URL's host, README
 * "Domain routing"), and whether its items may go there (a URL of another
 * target, a tag where the distribution has no cache tags).
 */

export type ItemsInvalid = { ok: false; field: 'distribution' | 'paths'; message: string };

export type Target =
  | { ok: true; distribution: DistributionConfig; parsed?: ParsedItems & { ok: true } }
  | ItemsInvalid;

/** `alias` undefined: a URL-only request, routed by its hosts. */
export function resolveTarget(
  config: BotConfig,
  alias: string | undefined,
  pathsText: string,
  mode: PathInputMode,
): Target {
  if (alias !== undefined) {
    const distribution = findDistribution(config, alias);
    if (distribution) return { ok: true, distribution };
    const known = config.distributions.map((d) => d.alias).join(', ');
    return { ok: false, field: 'distribution', message: `Unknown distribution "${alias}". Known: ${known}.` };
  }
  const parsed = parseItems(pathsText, mode);
  if (!parsed.ok) return invalidPaths(parsed.errors, parsed.moreErrors, mode);
  const routed = routeEntries(hostTable(config.distributions), undefined, parsed.items);
  if (!routed.ok) {
    if (routed.errors.every((e) => e.code === 'not-a-url')) {
      return {
        ok: false,
        field: 'distribution',
        message:
          'Pick a distribution, or give only full URLs (https://host/path) of a host listed in `/invalidate help`.',
      };
    }
    return invalidPaths(routed.errors.map(routingError), 0, mode);
  }
  const distribution = findDistribution(config, routed.alias);
  if (!distribution) throw new Error(`routed to an unknown alias ${routed.alias}`);
  return { ok: true, distribution, parsed };
}

export type Items =
  | { ok: true; paths: string[]; wildcardCount: number; normalised?: Normalisation }
  | ItemsInvalid;

/** The items for `distribution`, parsed here unless resolveTarget already did. */
export function requestItems(
  config: BotConfig,
  target: { distribution: DistributionConfig; parsed?: ParsedItems & { ok: true } },
  pathsText: string,
  mode: PathInputMode,
): Items {
  const parsed = target.parsed ?? parseItems(pathsText, mode);
  if (!parsed.ok) return invalidPaths(parsed.errors, parsed.moreErrors, mode);
  const { distribution } = target;
  const errors: PathError[] = [];
  const routed = routeEntries(hostTable(config.distributions), distribution.alias, parsed.items);
  if (!routed.ok) errors.push(...routed.errors.map(routingError));
  if (!distribution.cacheTags) {
    for (const item of parsed.items) {
      if (item.kind !== 'tag') continue;
      errors.push({
        line: item.line,
        text: item.text,
        message: `${distribution.alias} has no cache tags (its distribution has no CacheTagConfig), so it cannot be invalidated by tag`,
      });
    }
  }
  if (errors.length > 0) {
    const failed = failedParse(errors);
    return invalidPaths(failed.errors, failed.moreErrors, mode);
  }
  const n = parsed.normalised;
  const changed = n.duplicatesMerged + n.queryStringsDropped + n.fragmentsDropped + n.encoded > 0;
  return {
    ok: true,
    paths: parsed.items.map((i) => i.item),
    wildcardCount: parsed.wildcardCount,
    ...(changed ? { normalised: n } : {}),
  };
}

function invalidPaths(errors: PathError[], moreErrors: number, mode: PathInputMode): ItemsInvalid {
  return { ok: false, field: 'paths', message: formatPathErrors(errors, 10, moreErrors, mode) };
}

function routingError(e: RoutingError): PathError {
  const host = e.host ?? '';
  switch (e.code) {
    case 'other-target':
      return {
        line: e.line,
        text: e.text,
        message: `${host} belongs to ${e.owner}, not to the distribution picked`,
      };
    case 'several-targets':
      return {
        line: e.line,
        text: e.text,
        message: `${host} belongs to ${e.owner}; one request goes to one distribution, so split these URLs by distribution`,
      };
    case 'no-target':
      return {
        line: e.line,
        text: e.text,
        message: `no distribution lists ${host} in its domains; pick the distribution instead`,
      };
    case 'not-a-url':
      return {
        line: e.line,
        text: e.text,
        message: 'not a full URL: pick a distribution for paths and tags',
      };
  }
}
