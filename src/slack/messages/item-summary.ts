import type { KnownBlock } from '@slack/types';
import type { Normalisation } from '../../domain/paths';
import type { InvalidationRequest } from '../../domain/request';
import { batchCounts } from '../../domain/request-batches';
import { itemKind } from '../../domain/tags';
import { plural } from './mrkdwn';
import { pathListBlocks } from './path-list';
import { contextBlock } from './sections';

/** A request's items as people read them: paths and cache tags apart. */

export interface ItemCounts {
  paths: number;
  tags: number;
  wildcards: number;
}

export function itemCounts(request: InvalidationRequest): ItemCounts {
  let tags = 0;
  for (const item of request.paths) if (itemKind(item) === 'tag') tags++;
  return { paths: request.paths.length - tags, tags, wildcards: request.wildcardCount };
}

/** "3 paths", "3 paths and 2 cache tags", "1 cache tag". */
export function itemsText(request: InvalidationRequest): string {
  const { paths, tags } = itemCounts(request);
  if (tags === 0) return plural(paths, 'path');
  if (paths === 0) return plural(tags, 'cache tag');
  return `${plural(paths, 'path')} and ${plural(tags, 'cache tag')}`;
}

/** "12 paths, 2 wildcards · 3 cache tags" */
export function itemCountText(request: InvalidationRequest): string {
  const { paths, tags, wildcards } = itemCounts(request);
  const parts: string[] = [];
  if (paths > 0 || tags === 0) {
    parts.push(`${plural(paths, 'path')}${wildcards > 0 ? `, ${plural(wildcards, 'wildcard')}` : ''}`);
  }
  if (tags > 0) parts.push(plural(tags, 'cache tag'));
  return parts.join(' · ');
}

/** The paths, then the tags under their own heading. */
export function itemListBlocks(items: readonly string[], maxSections: number): KnownBlock[] {
  const paths = items.filter((i) => itemKind(i) === 'path');
  const tags = items.filter((i) => itemKind(i) === 'tag');
  const blocks: KnownBlock[] = paths.length > 0 ? pathListBlocks(paths, maxSections) : [];
  if (tags.length > 0) {
    blocks.push({ type: 'section', text: { type: 'mrkdwn', text: '*Cache tags*' } });
    blocks.push(...pathListBlocks(tags, 1).map((b) => retitle(b, 'more path', 'more cache tag')));
  }
  return blocks;
}

function retitle(block: KnownBlock, from: string, to: string): KnownBlock {
  if (block.type !== 'context') return block;
  return JSON.parse(JSON.stringify(block).replace(new RegExp(`${from}(s?)\\b`), `${to}$1`)) as KnownBlock;
}

/**
 * One line saying what the bot changed in the input, or undefined when it
 * changed nothing: "2 duplicates merged; query strings dropped from 3 URLs (…)".
 */
export function normalisationNote(normalised: Normalisation | undefined): string | undefined {
  if (normalised === undefined) return undefined;
  const parts: string[] = [];
  if (normalised.duplicatesMerged > 0)
    parts.push(`${plural(normalised.duplicatesMerged, 'duplicate')} merged`);
  if (normalised.queryStringsDropped > 0) {
    parts.push(
      `query strings dropped from ${plural(normalised.queryStringsDropped, 'URL')} ` +
        '(CloudFront ignores them unless the cache key includes them: add `*` to clear every variant)',
    );
  }
  if (normalised.fragmentsDropped > 0) {
    parts.push(
      `#fragments dropped from ${plural(normalised.fragmentsDropped, 'URL')} (browsers never send them)`,
    );
  }
  if (normalised.encoded > 0) {
    parts.push(`${plural(normalised.encoded, 'path')} URL-encoded the way CloudFront expects`);
  }
  return parts.length > 0 ? parts.join('; ') : undefined;
}

/** "Batches: 1 of 4 completed, 1 in progress", for a request split into batches; else undefined. */
export function batchProgressText(request: InvalidationRequest): string | undefined {
  const { total, submitted, completed } = batchCounts(request);
  if (total <= 1) return undefined;
  const running = submitted - completed;
  const waiting = total - submitted;
  const parts = [`${completed} of ${total} completed`];
  if (running > 0) parts.push(`${running} in progress`);
  if (waiting > 0 && request.status !== 'FAILED') parts.push(`${waiting} waiting`);
  return `Split into ${total} batches of at most 3,000 items (CloudFront's limit): ${parts.join(', ')}`;
}

/** The context blocks the card and the status show under the item list. */
export function itemNoteBlocks(request: InvalidationRequest): KnownBlock[] {
  const blocks: KnownBlock[] = [];
  const batches = batchProgressText(request);
  if (batches !== undefined) blocks.push(contextBlock(`:package: ${batches}`));
  const note = normalisationNote(request.normalised);
  if (note !== undefined) blocks.push(contextBlock(`:pencil2: ${note}`));
  return blocks;
}
