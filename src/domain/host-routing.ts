/**
 * Which target a URL belongs to, from the configured `domains` (README
 * "Domain routing"): an exact host name, or `*.example.com`, which matches
 * exactly one label more (`a.example.com`, not `example.com` nor
 * `a.b.example.com`), as CloudFront's wildcard alternate domain names do.
 * An exact name wins over a wildcard.
 */

export interface HostOwner {
  alias: string;
  domains: readonly string[];
}

/** Lookup tables built once per config, so routing a long list costs one map lookup per URL. */
export interface HostTable {
  exact: ReadonlyMap<string, string>;
  /** `example.com` for `*.example.com` → alias. */
  wildcard: ReadonlyMap<string, string>;
}

export function hostTable(owners: readonly HostOwner[]): HostTable {
  const exact = new Map<string, string>();
  const wildcard = new Map<string, string>();
  for (const owner of owners) {
    for (const domain of owner.domains) {
      if (domain.startsWith('*.')) wildcard.set(domain.slice(2), owner.alias);
      else exact.set(domain, owner.alias);
    }
  }
  return { exact, wildcard };
}

/** The alias owning `host` (lower case), if any. */
export function ownerOfHost(table: HostTable, host: string): string | undefined {
  const exact = table.exact.get(host);
  if (exact !== undefined) return exact;
  const dot = host.indexOf('.');
  if (dot <= 0) return undefined;
  return table.wildcard.get(host.slice(dot + 1));
}

export interface RoutedEntry {
  line: number;
  text: string;
  /** The URL's host; absent for a path or a tag. */
  host?: string;
}

export type RoutingErrorCode =
  /** No distribution picked, and this line is not a URL. */
  | 'not-a-url'
  /** No distribution picked, and no target owns this URL's host. */
  | 'no-target'
  /** No distribution picked, and the URLs belong to several targets. */
  | 'several-targets'
  /** The URL's host belongs to another target than the one picked. */
  | 'other-target';

export interface RoutingError {
  line: number;
  text: string;
  code: RoutingErrorCode;
  host?: string;
  /** The alias that owns the host, where one does. */
  owner?: string;
}

export type Routing = { ok: true; alias: string } | { ok: false; errors: RoutingError[] };

/**
 * `picked`: the alias the person chose, or undefined for a URL-only request,
 * which then goes to the one target owning every host. A URL whose host no
 * target claims is allowed under a picked alias (not every name behind a
 * distribution need be listed), but never routes a request by itself.
 */
export function routeEntries(
  table: HostTable,
  picked: string | undefined,
  entries: readonly RoutedEntry[],
): Routing {
  const errors: RoutingError[] = [];
  if (picked !== undefined) {
    for (const e of entries) {
      if (e.host === undefined) continue;
      const owner = ownerOfHost(table, e.host);
      if (owner !== undefined && owner !== picked) {
        errors.push({ line: e.line, text: e.text, code: 'other-target', host: e.host, owner });
      }
    }
    return errors.length > 0 ? { ok: false, errors } : { ok: true, alias: picked };
  }

  const byOwner = new Map<string, RoutedEntry[]>();
  for (const e of entries) {
    if (e.host === undefined) {
      errors.push({ line: e.line, text: e.text, code: 'not-a-url' });
      continue;
    }
    const owner = ownerOfHost(table, e.host);
    if (owner === undefined) {
      errors.push({ line: e.line, text: e.text, code: 'no-target', host: e.host });
      continue;
    }
    const list = byOwner.get(owner) ?? [];
    list.push(e);
    byOwner.set(owner, list);
  }
  if (byOwner.size > 1) {
    for (const [owner, list] of byOwner) {
      for (const e of list) {
        errors.push({ line: e.line, text: e.text, code: 'several-targets', ...hostOf(e), owner });
      }
    }
  }
  if (errors.length > 0) return { ok: false, errors: errors.sort((a, b) => a.line - b.line) };
  const [only] = byOwner.keys();
  if (only === undefined) return { ok: false, errors: [{ line: 0, text: '', code: 'not-a-url' }] };
  return { ok: true, alias: only };
}

function hostOf(e: RoutedEntry): { host?: string } {
  return e.host !== undefined ? { host: e.host } : {};
}
