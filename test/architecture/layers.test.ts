import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The floors of docs/architecture.md ("Layers"), checked on the source: a room may import
 * its own floor and the floors below, never one above, and the inner floors use no package
 * but zod. A new import that breaks this fails here, not in a reviewer's head.
 */
const SRC = path.resolve(__dirname, '../../src');
const FLOORS: Record<string, number> = {
  shared: 0,
  config: 1,
  domain: 2,
  app: 3,
  store: 4,
  cloudfront: 4,
  slack: 4,
  secrets: 4,
  observability: 4,
  worker: 4,
  dev: 5,
  handlers: 5,
};
/** Packages a floor may import (node: built-ins included); undefined = any. */
const PACKAGES: Record<string, RegExp | undefined> = {
  shared: /^zod\/(mini|locales)$/,
  config: /^$/,
  domain: /^$/,
  app: /^$/,
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

const roomOf = (file: string): string => path.relative(SRC, file).split(path.sep)[0] ?? '';

/** Every module a file imports, statically or with import(), type-only ones included. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*'([^']+)'/g)].map((m) => m[1] ?? '');
}

const files = sourceFiles(SRC);

describe('layers', () => {
  it('knows every room under src/', () => {
    expect([...new Set(files.map(roomOf))].sort()).toEqual(Object.keys(FLOORS).sort());
  });

  it.each(files.map((f) => [path.relative(SRC, f), f]))(
    '%s imports nothing from a floor above',
    (_, file) => {
      const room = roomOf(file);
      const floor = FLOORS[room] ?? -1;
      const upward = importsOf(file)
        .filter((spec) => spec.startsWith('.'))
        .map((spec) => roomOf(path.resolve(path.dirname(file), spec)))
        .filter((target) => (FLOORS[target] ?? Number.POSITIVE_INFINITY) > floor);
      expect(upward).toEqual([]);
    },
  );

  it.each(Object.entries(PACKAGES))('%s/ uses no package beyond its allowance', (room, allowed) => {
    const packages = files
      .filter((f) => roomOf(f) === room)
      .flatMap(importsOf)
      .filter((spec) => !spec.startsWith('.'))
      .filter((spec) => !(allowed ?? /^/).test(spec));
    expect(packages).toEqual([]);
  });
});
