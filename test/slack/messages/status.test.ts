import { describe, expect, it } from 'vitest';
import { recentRequestsMessage, requestStatusMessage } from '../../../src/slack/messages/status';
import { aRequest } from '../../support/request-fixtures';
import { allText, expectWithinBlockKitLimits } from './block-kit-limits';

/** ULIDs whose order is their creation order. */
function idAt(n: number): string {
  return `01HZX3K9Q7M2V8RT5WAB${String(n).padStart(6, '0')}`;
}

describe('requestStatusMessage', () => {
  it('shows the request in detail, without buttons, with its thread', () => {
    const request = aRequest({ status: 'PENDING', reason: 'release 7' });
    const message = requestStatusMessage(request, 'https://slack.example/p1');
    const blocks = message.blocks ?? [];
    expect(blocks.some((b) => b.type === 'actions')).toBe(false);
    const text = allText(blocks);
    expect(text).toContain('release 7');
    expect(text).toContain(request.id);
    expect(text).toContain('<https://slack.example/p1|');
    expect(message.text).toContain('Waiting for approval');
  });

  it('says dry run for a dry-run request', () => {
    expect(requestStatusMessage(aRequest({ dryRun: true })).text).toMatch(/dry run/i);
  });
});

describe('recentRequestsMessage', () => {
  it('lists the newest first, with short id, alias, status, path count and thread', () => {
    const older = aRequest({ id: idAt(1), distributionAlias: 'old', status: 'COMPLETED', paths: ['/a'] });
    const newer = aRequest({ id: idAt(2), distributionAlias: 'new', status: 'FAILED', paths: ['/a', '/b'] });
    const message = recentRequestsMessage([older, newer], { [older.id]: 'https://slack.example/old' });
    const text = allText(message.blocks);
    expect(text.indexOf('*new*')).toBeLessThan(text.indexOf('*old*'));
    expect(text).toContain('`AB000002` *new*');
    expect(text).toContain('Failed · 2 paths');
    expect(text).toContain('Completed · 1 path');
    expect(text).toContain('<https://slack.example/old|thread>');
    expect(text).toContain(`<!date^${Date.parse(older.createdAt) / 1000}^{ago}|`);
  });

  it('shows at most 20, within Block Kit limits, and says how many there are', () => {
    const requests = Array.from({ length: 60 }, (_, i) =>
      aRequest({ id: idAt(i), distributionAlias: `site-${i}`.padEnd(63, 'x') }),
    );
    const message = recentRequestsMessage(requests, {});
    expectWithinBlockKitLimits(message.blocks ?? [], 50);
    const text = allText(message.blocks);
    expect(text).toContain('*site-59');
    expect(text).toContain('*site-40');
    expect(text).not.toContain('*site-39');
    expect(text).toContain('newest 20 of 60');
  });

  it('says when there is nothing to show', () => {
    expect(recentRequestsMessage([], {}).text).toMatch(/No invalidation requests/);
  });
});
