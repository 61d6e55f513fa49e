import { createRequire } from 'node:module';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The shims scripts/build.mjs puts in place of packages in the Lambda bundles: each must behave
 * as the package does wherever the bundle can reach it, and say clearly where it does not.
 */

const requireHere = createRequire(__filename);
const SHIMS = resolve(__dirname, '../../scripts/lambda-shims');

interface MimeTypes {
  charset(type: string): string | false;
  contentType(str: string): string | false;
  extension(type: string): string | false;
  lookup(path: string): string | false;
  types: Record<string, string>;
  extensions: Record<string, string[]>;
}

describe('mime-types, loaded on first use', () => {
  const real = requireHere('mime-types') as MimeTypes;
  const realPath = requireHere.resolve('mime-types');

  it('does not load the real module until something asks it', () => {
    delete requireHere.cache[realPath];
    const shimPath = resolve(SHIMS, 'mime-types.cjs');
    delete requireHere.cache[shimPath];
    const shim = requireHere(shimPath) as MimeTypes;
    expect(requireHere.cache[realPath]).toBeUndefined();
    expect(shim.contentType('application/json')).toBe('application/json; charset=utf-8');
    expect(requireHere.cache[realPath]).toBeDefined();
  });

  it('answers every function and map exactly as mime-types does', () => {
    const shim = requireHere(resolve(SHIMS, 'mime-types.cjs')) as MimeTypes;
    for (const input of ['json', 'html', 'text/plain', 'application/json', 'file.txt', 'nope/nope', '']) {
      expect(shim.lookup(input), `lookup(${input})`).toBe(real.lookup(input));
      expect(shim.contentType(input), `contentType(${input})`).toBe(real.contentType(input));
      expect(shim.charset(input), `charset(${input})`).toBe(real.charset(input));
      expect(shim.extension(input), `extension(${input})`).toBe(real.extension(input));
    }
    expect(shim.types.json).toBe('application/json');
    expect(shim.extensions['text/html']).toEqual(real.extensions['text/html']);
  });
});

describe('@slack/oauth, which a one-token bot never installs through', () => {
  const shim = requireHere(resolve(SHIMS, 'slack-oauth.cjs')) as Record<string, new () => unknown>;

  it('exports each name Bolt reads from the package', () => {
    const real = requireHere('@slack/oauth') as Record<string, unknown>;
    for (const name of ['InstallProvider', 'FileInstallationStore', 'MemoryInstallationStore']) {
      expect(typeof real[name], `@slack/oauth exports ${name}`).toBe('function');
      expect(typeof shim[name], `the shim exports ${name}`).toBe('function');
    }
  });

  it.each(['InstallProvider', 'FileInstallationStore', 'MemoryInstallationStore'])(
    '%s says why it cannot be used instead of half-working',
    (name) => {
      const Shimmed = shim[name] as new () => unknown;
      expect(() => new Shimmed()).toThrow(
        new RegExp(`^${name} \\(Slack OAuth installs\\) is not available in the Lambda bundle`),
      );
    },
  );
});

describe('express, which the handlers answer Slack without', () => {
  const shim = requireHere(resolve(SHIMS, 'express.cjs')) as (() => unknown) & { Router: () => unknown };

  it('has the two things Bolt calls on the package, express() and express.Router()', () => {
    const real = requireHere('express') as { Router: unknown };
    expect(typeof real).toBe('function');
    expect(typeof real.Router).toBe('function');
    expect(typeof shim).toBe('function');
    expect(typeof shim.Router).toBe('function');
  });

  it('says why, if anything builds an ExpressReceiver in a Lambda bundle', () => {
    expect(() => shim()).toThrow(
      /^express \(express\(\)\) is not in the Lambda bundle: .*AnswerFirstReceiver/,
    );
    expect(() => shim.Router()).toThrow(/^express \(express\.Router\(\)\) is not in the Lambda bundle/);
  });
});
