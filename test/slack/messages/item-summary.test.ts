import { describe, expect, it } from 'vitest';
import type { InvalidationRequest } from '../../../src/domain/request';
import {
  batchProgressText,
  itemCountText,
  itemListBlocks,
  itemsText,
  normalisationNote,
} from '../../../src/slack/messages/item-summary';
import { requestCard } from '../../../src/slack/messages/request-card';
import { pendingRequest } from '../../store/fixtures';

function withItems(paths: string[], overrides: Partial<InvalidationRequest> = {}): InvalidationRequest {
  return pendingRequest({
    paths,
    wildcardCount: paths.filter((p) => p.startsWith('/') && p.endsWith('*')).length,
    ...overrides,
  });
}

describe('item counts keep tags apart from paths', () => {
  it.each([
    [['/a', '/b*'], '2 paths', '2 paths, 1 wildcard'],
    [['/a', '#t1', '#t2'], '1 path and 2 cache tags', '1 path · 2 cache tags'],
    [['#t1'], '1 cache tag', '1 cache tag'],
  ])('%j', (paths, short, long) => {
    const request = withItems(paths);
    expect(itemsText(request)).toBe(short);
    expect(itemCountText(request)).toBe(long);
  });

  it('lists the tags under their own heading, after the paths', () => {
    const texts = itemListBlocks(['/a', '#t1', '/b'], 3).map((b) =>
      b.type === 'section' ? b.text?.text : '',
    );
    expect(texts).toEqual(['```\n/a\n/b\n```', '*Cache tags*', '```\n#t1\n```']);
  });
});

describe('normalisationNote', () => {
  it('writes the example line of the README', () => {
    expect(
      normalisationNote({ duplicatesMerged: 2, queryStringsDropped: 3, fragmentsDropped: 0, encoded: 0 }),
    ).toBe(
      '2 duplicates merged; query strings dropped from 3 URLs (CloudFront ignores them unless the cache key includes them: add `*` to clear every variant)',
    );
  });

  it('says nothing when nothing changed', () => {
    expect(normalisationNote(undefined)).toBeUndefined();
    expect(
      normalisationNote({ duplicatesMerged: 0, queryStringsDropped: 0, fragmentsDropped: 0, encoded: 0 }),
    ).toBeUndefined();
  });

  it('the card carries the line', () => {
    const request = withItems(['/a'], {
      normalised: { duplicatesMerged: 1, queryStringsDropped: 0, fragmentsDropped: 0, encoded: 1 },
    });
    const card = JSON.stringify(requestCard({ request, costText: 'free' }).blocks);
    expect(card).toContain('1 duplicate merged; 1 path URL-encoded the way CloudFront expects');
  });
});

describe('batchProgressText', () => {
  const paths = Array.from({ length: 7000 }, (_, i) => `/p${i}`);
  it('is silent for a request of one batch', () => {
    expect(batchProgressText(withItems(['/a']))).toBeUndefined();
  });

  it('counts completed, running and waiting batches', () => {
    const request = withItems(paths, {
      status: 'SUBMITTED',
      batches: [
        { number: 1, invalidationId: 'I1', status: 'Completed', submittedAt: '2030-01-01T00:00:00.000Z' },
        { number: 2, invalidationId: 'I2', status: 'InProgress', submittedAt: '2030-01-01T00:01:00.000Z' },
      ],
    });
    expect(batchProgressText(request)).toBe(
      "Split into 3 batches of at most 3,000 items (CloudFront's limit): 1 of 3 completed, 1 in progress, 1 waiting",
    );
  });
});
