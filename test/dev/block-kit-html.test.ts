import { describe, expect, it } from 'vitest';
import { blocksHtml } from '../../src/dev/playground/block-kit-html';
import { mrkdwnHtml } from '../../src/dev/playground/mrkdwn-html';
import { requestCard } from '../../src/slack/messages/request-card';
import { appHome } from '../../src/slack/views/app-home';
import { requestModal } from '../../src/slack/views/request-modal';
import { aRequest } from '../slack/request-fixture';

/** The playground's Block Kit and mrkdwn drawing, held against the bot's own builders and Slack's markup. */

const NOT_DRAWN = 'Not drawn by the playground';

describe('mrkdwn as HTML', () => {
  it.each([
    ['*bold* and _italic_ and ~gone~', '<b>bold</b> and <i>italic</i> and <s>gone</s>'],
    ['`/css/*` stays as typed', '<code>/css/*</code> stays as typed'],
    ['```\n/a*\n/b_c_\n```', '<pre>/a*\n/b_c_</pre>'],
    [
      '<@U0PGBOB> and <@U0NOBODY>',
      '<span class="mention">@bob</span> and <span class="mention">@U0NOBODY</span>',
    ],
    [
      '<!subteam^S0PGSRE> or <!subteam^S0OTHER|@web>',
      '<span class="mention">@sre</span> or <span class="mention">@web</span>',
    ],
    ['<#C0PGAPPROVALS>', '<span class="mention">#cf-approvals</span>'],
    [
      '<https://example.com/a?b=1&amp;c=2|the docs>',
      '<a href="https://example.com/a?b=1&amp;c=2" target="_blank" rel="noreferrer">the docs</a>',
    ],
    ['>quoted\n>twice\nafter', '<blockquote>quoted<br>twice</blockquote>after'],
    [':white_check_mark: Completed', '✅ Completed'],
    ['a_b_c stays', 'a_b_c stays'],
  ])('%s', (source, html) => {
    expect(mrkdwnHtml(source)).toBe(html);
  });

  it('shows text that was escaped for Slack as typed, never as markup or HTML', () => {
    // escapeMrkdwn's output for a typed "<!channel> <script>": Slack shows it literally, so must we.
    expect(mrkdwnHtml('&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp;')).toBe(
      '&lt;!channel&gt; &lt;script&gt;alert(1)&lt;/script&gt; &amp;',
    );
    expect(mrkdwnHtml('<javascript:alert(1)|click>')).toBe(
      '<a href="#" target="_blank" rel="noreferrer">click</a>',
    );
    expect(mrkdwnHtml('<https://x.test/" onmouseover="alert(1)|x>')).toContain(
      'href="https://x.test/&quot; onmouseover=&quot;alert(1)"',
    );
  });

  it("draws Slack's date token in the reader's terms, in UTC", () => {
    const now = Date.parse('2026-12-01T12:00:00Z');
    const at = Date.parse('2026-12-01T09:05:00Z') / 1000;
    expect(mrkdwnHtml(`<!date^${at}^{date_short_pretty} at {time}|fallback>`, now)).toBe(
      'Today at 09:05 UTC',
    );
    expect(mrkdwnHtml(`<!date^${at}^{ago}|fallback>`, now)).toBe('3 hours ago');
  });
});

describe('Block Kit as HTML', () => {
  it("draws every block of the bot's request card, buttons with their ids, values and styles", () => {
    const request = aRequest({ requesterId: 'U0PGALICE' });
    const card = requestCard({ request, costText: 'free' });
    const html = blocksHtml(card.blocks, { kind: 'message', channel: 'C0PGAPPROVALS', ts: '1.000100' });
    expect(html).not.toContain(NOT_DRAWN);
    expect(html).toContain('<div class="bk-header">⏳ Waiting for approval: invalidate www</div>');
    expect(html).toContain('<b>Requested by</b><br><span class="mention">@alice</span>');
    for (const [action, style] of [
      ['approve', ' bk-primary'],
      ['reject', ' bk-danger'],
      ['cancel', ''],
    ]) {
      expect(html).toContain(
        `class="bk-button${style}" data-action-id="${action}" data-block-id="${card.blocks.find((b) => b.type === 'actions')?.block_id ?? ''}" data-value="${request.id}" data-channel="C0PGAPPROVALS" data-ts="1.000100"`,
      );
    }
  });

  it("draws the bot's modal as fields, keeping what the person typed and the errors under their field", () => {
    const modal = requestModal({ dryRun: true });
    const html = blocksHtml(modal.blocks, {
      kind: 'modal',
      viewId: 'V1',
      values: { paths: { paths: { type: 'plain_text_input', value: 'index.html' } } },
      errors: { paths: 'line 1: must start with /' },
    });
    expect(html).not.toContain(NOT_DRAWN);
    expect(html).toContain(
      '<textarea class="bk-field" rows="4" data-block-id="paths" data-action-id="paths" data-type="plain_text_input"',
    );
    expect(html).toContain('>index.html</textarea>');
    expect(html).toMatch(
      /<div class="bk-typeahead" data-block-id="distribution" data-action-id="distribution" data-type="external_select" data-view-id="V1"/,
    );
    expect(html).toContain('<div class="bk-error" role="alert">line 1: must start with /</div>');
    expect(html).toContain(
      'Reason</label>'.replace('</label>', ' <span class="bk-optional">(optional)</span></label>'),
    );
  });

  it('draws the App Home without leaving anything out', () => {
    const home = appHome({
      userId: 'U0PGALICE',
      mine: [aRequest()],
      inFlight: [],
      permalinks: {},
      dryRun: true,
    });
    expect(blocksHtml(home.blocks, { kind: 'home', viewId: 'V2' })).not.toContain(NOT_DRAWN);
  });

  it('draws the input elements the modal may carry: file_input, checkboxes', () => {
    const html = blocksHtml(
      [
        {
          type: 'input',
          block_id: 'paths_file',
          optional: true,
          label: { type: 'plain_text', text: 'File' },
          element: { type: 'file_input', action_id: 'paths_file', filetypes: ['txt'] },
        },
        {
          type: 'input',
          block_id: 'break_glass',
          optional: true,
          label: { type: 'plain_text', text: 'Break glass' },
          element: {
            type: 'checkboxes',
            action_id: 'break_glass',
            options: [
              {
                text: { type: 'mrkdwn', text: '*Submit now*' },
                value: 'break_glass',
                description: { type: 'plain_text', text: 'Approvers review afterwards' },
              },
            ],
          },
        },
      ],
      { kind: 'modal', viewId: 'V3' },
    );
    expect(html).not.toContain(NOT_DRAWN);
    expect(html).toContain('<input type="file" accept=".txt">');
    expect(html).toContain(
      '<input type="checkbox" name="break_glass.break_glass" value="break_glass" data-text="*Submit now*">',
    );
    expect(html).toContain('<b>Submit now</b><div class="bk-hint">Approvers review afterwards</div>');
  });

  it('shows what it cannot draw as JSON, never dropping it', () => {
    const block = {
      type: 'rich_text',
      elements: [{ type: 'rich_text_section', elements: [{ type: 'text', text: 'hi <b>' }] }],
    };
    const html = blocksHtml(
      [block, { type: 'actions', elements: [{ type: 'overflow', action_id: 'more' }] }],
      { kind: 'message' },
    );
    expect(html).toContain(`${NOT_DRAWN}: block rich_text`);
    expect(html).toContain('&quot;text&quot;: &quot;hi &lt;b&gt;&quot;');
    expect(html).toContain(`${NOT_DRAWN}: element overflow`);
  });
});
