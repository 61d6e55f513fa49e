import type { KnownBlock } from '@slack/types';
import { expect } from 'vitest';

/**
 * Block Kit's documented limits, written out here independently of the
 * builders' own constants, so a wrong constant in src cannot hide a breach.
 */
export function expectWithinBlockKitLimits(blocks: readonly KnownBlock[], maxBlocks: number): void {
  expect(blocks.length).toBeLessThanOrEqual(maxBlocks);
  for (const block of blocks) {
    switch (block.type) {
      case 'section':
        expect(block.text !== undefined || block.fields !== undefined).toBe(true);
        if (block.text) {
          expect(block.text.text.length).toBeLessThanOrEqual(3000);
          expect(block.text.text.trim()).not.toBe('');
        }
        expect(block.fields?.length ?? 0).toBeLessThanOrEqual(10);
        for (const field of block.fields ?? []) {
          expect(field.text.length).toBeLessThanOrEqual(2000);
          expect(field.text.trim()).not.toBe('');
        }
        break;
      case 'header':
        expect(block.text.text.length).toBeLessThanOrEqual(150);
        break;
      case 'context':
        expect(block.elements.length).toBeLessThanOrEqual(10);
        for (const element of block.elements) {
          if (element.type === 'mrkdwn' || element.type === 'plain_text') {
            expect(element.text.length).toBeLessThanOrEqual(3000);
            expect(element.text.trim()).not.toBe('');
          }
        }
        break;
      case 'actions':
        expect(block.elements.length).toBeLessThanOrEqual(25);
        for (const element of block.elements) {
          if (element.type === 'button') {
            expect(element.text.text.length).toBeLessThanOrEqual(75);
            expect((element.value ?? '').length).toBeLessThanOrEqual(2000);
          }
        }
        break;
      default:
        break;
    }
  }
}

/** Every mrkdwn and plain text in the blocks, joined: for "does it say X anywhere" checks. */
export function allText(blocks: unknown): string {
  const texts: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) {
      for (const item of value) visit(item);
    } else if (typeof value === 'object' && value !== null) {
      const record = value as Record<string, unknown>;
      if ((record.type === 'mrkdwn' || record.type === 'plain_text') && typeof record.text === 'string') {
        texts.push(record.text);
      }
      for (const child of Object.values(record)) visit(child);
    }
  };
  visit(blocks ?? []);
  return texts.join('\n');
}
