import { describe, expect, it } from 'vitest';
import { allowanceBar, appHome } from '../../../src/slack/views/app-home';
import { allText, expectWithinBlockKitLimits } from '../messages/block-kit-limits';
import { aRequest } from '../request-fixture';

function idAt(n: number): string {
  return `01HZX3K9Q7M2V8RT5WAB${String(n).padStart(6, '0')}`;
}

describe('appHome', () => {
  it('shows what is in flight and the person’s requests, with status and thread links', () => {
    const flying = aRequest({ id: idAt(1), distributionAlias: 'shop', status: 'SUBMITTED' });
    const mine = aRequest({ id: idAt(2), distributionAlias: 'www', status: 'COMPLETED' });
    const view = appHome({
      userId: 'U1',
      mine: [mine],
      inFlight: [flying],
      permalinks: { [flying.id]: 'https://slack.example/f', [mine.id]: 'https://slack.example/m' },
      dryRun: false,
    });
    expect(view.type).toBe('home');
    const text = allText(view.blocks);
    expect(text.indexOf('*shop*')).toBeLessThan(text.indexOf('*www*'));
    expect(text).toContain('In progress');
    expect(text).toContain('Completed');
    expect(text).toContain('<https://slack.example/f|thread>');
    expect(text).toContain('<https://slack.example/m|thread>');
  });

  it('says when the lists are empty', () => {
    const text = allText(
      appHome({ userId: 'U1', mine: [], inFlight: [], permalinks: {}, dryRun: false }).blocks,
    );
    expect(text).toContain('Nothing in flight');
    expect(text).toContain('not requested any');
  });

  it('stays within 100 blocks with hundreds of requests, newest first, counting the rest', () => {
    const many = (offset: number) =>
      Array.from({ length: 300 }, (_, i) =>
        aRequest({ id: idAt(offset + i), distributionAlias: `d-${offset + i}` }),
      );
    const view = appHome({ userId: 'U1', mine: many(0), inFlight: many(1000), permalinks: {}, dryRun: true });
    expectWithinBlockKitLimits(view.blocks, 100);
    const text = allText(view.blocks);
    expect(text).toContain('*d-1299*');
    expect(text).toContain('*d-299*');
    expect(text).not.toContain('*d-0*');
    expect(text).toMatch(/…and \d+ older requests not shown/);
  });

  it.each([true, false])('says dry run only in dry-run mode (%s)', (dryRun) => {
    const view = appHome({ userId: 'U1', mine: [], inFlight: [], permalinks: {}, dryRun });
    expect(/dry run/i.test(allText(view.blocks))).toBe(dryRun);
  });
});

describe('appHome: waiting for you, and the month', () => {
  it('lists what waits for this person with Approve and Reject, each carrying the request id', () => {
    const waiting = aRequest({
      id: idAt(7),
      distributionAlias: 'www',
      requesterId: 'U0ALICE',
      reason: 'new css',
    });
    const view = appHome({
      userId: 'U0BOB',
      mine: [],
      inFlight: [],
      waiting: [waiting],
      permalinks: {},
      dryRun: false,
    });
    const text = allText(view.blocks);
    expect(text).toContain('*Waiting for your approval* (1)');
    expect(text).toContain('Requested by <@U0ALICE>: new css');
    const actions = view.blocks.filter((b) => b.type === 'actions');
    expect(JSON.stringify(actions)).toContain(
      `"action_id":"approve","text":{"type":"plain_text","text":"Approve"},"style":"primary","value":"${waiting.id}"`,
    );
    expect(JSON.stringify(actions)).toContain(`"action_id":"reject"`);
    expect(text.indexOf('Waiting for your approval')).toBeLessThan(text.indexOf('In flight'));
    expect(text.indexOf('In flight')).toBeLessThan(text.indexOf('Your recent requests'));
  });

  it('stays within 100 blocks with every list full', () => {
    const many = (offset: number) =>
      Array.from({ length: 100 }, (_, i) => aRequest({ id: idAt(offset + i) }));
    const view = appHome({
      userId: 'U1',
      mine: many(0),
      inFlight: many(200),
      waiting: many(400),
      permalinks: {},
      dryRun: true,
      pathsThisMonth: 10,
    });
    expectWithinBlockKitLimits(view.blocks, 100);
  });

  it.each([
    [0, '`░░░░░░░░░░░░░░░░░░░░` 0 of 1,000 free paths used this month'],
    [250, '`▓▓▓▓▓░░░░░░░░░░░░░░░` 250 of 1,000 free paths used this month'],
    [1_000, '`▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓` 1,000 of 1,000 free paths used this month'],
    [1_234, '`▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓▓` 1,234 of 1,000 free paths used this month · 234 billable'],
  ])('draws %i paths as a bar of characters', (used, line) => {
    expect(allowanceBar(used)).toBe(line);
    const view = appHome({
      userId: 'U1',
      mine: [],
      inFlight: [],
      permalinks: {},
      dryRun: false,
      pathsThisMonth: used,
    });
    expect(allText(view.blocks)).toContain(line);
  });
});
