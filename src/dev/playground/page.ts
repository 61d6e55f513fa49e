import { blocksHtml } from './block-kit-html';
import { escapeHtml, mrkdwnHtml, plainTextHtml } from './mrkdwn-html';
import { PAGE_STYLE } from './page-style';
import {
  APPROVAL_CHANNEL,
  BOT,
  COMMAND_CHANNEL,
  channelName,
  dmChannelOf,
  PEOPLE,
  personName,
} from './people';
import { messageAnchor } from './web-api';
import type { Message, View, ViewValues, Workspace } from './workspace';

/**
 * The page, drawn on the server for one person ("You are …"): the channel
 * where commands are typed, the approval channel with cards and threads,
 * the person's DMs, their App Home tab, and their open modal. The script
 * fetches the regions again whenever the workspace changes.
 */

export interface Regions {
  version: number;
  regions: Record<'deploys' | 'channels' | 'dms' | 'home', string>;
  modal: { key: string; html: string } | null;
}

function clock(ts: string): string {
  const d = new Date(Number(ts.split('.')[0]) * 1000);
  return `${String(d.getUTCHours()).padStart(2, '0')}:${String(d.getUTCMinutes()).padStart(2, '0')}`;
}

function visible(message: Message, viewer: string): boolean {
  return message.visibleTo === undefined || message.visibleTo === viewer;
}

function messageHtml(message: Message, all: readonly Message[], viewer: string, now: number): string {
  const author = message.user === BOT.userId ? BOT.name : (personName(message.user) ?? message.user);
  const app = message.user === BOT.userId && !message.fromPlayground ? ' <span class="tag">APP</span>' : '';
  const marks = [
    message.fromPlayground ? '<span class="tag tag-playground">playground</span>' : '',
    message.edited ? '<span class="muted">(edited)</span>' : '',
    message.visibleTo ? '<span class="muted only-you">Only visible to you</span>' : '',
  ].join(' ');
  const body = message.command
    ? `<code class="command">${escapeHtml(message.text)}</code>`
    : message.blocks && message.blocks.length > 0
      ? blocksHtml(message.blocks, { kind: 'message', channel: message.channel, ts: message.ts, now })
      : `<div class="bk-text">${mrkdwnHtml(message.text, now)}</div>`;
  const replies = all.filter(
    (m) => m.threadTs === message.ts && m.channel === message.channel && visible(m, viewer),
  );
  const thread =
    replies.length === 0
      ? ''
      : `<div class="thread" data-thread="${escapeHtml(message.ts)}"><div class="thread-label">${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}</div>${replies
          .map((r) => messageHtml(r, all, viewer, now))
          .join('')}</div>`;
  return `<div class="msg${message.visibleTo ? ' ephemeral' : ''}" id="${messageAnchor(message.channel, message.ts)}"><div class="msg-head"><b>${escapeHtml(author)}</b>${app} <span class="muted">${clock(message.ts)}</span> ${marks}</div><div class="msg-body">${body}</div>${thread}</div>`;
}

function channelHtml(
  workspace: Workspace,
  channel: string,
  viewer: string,
  now: number,
  empty: string,
): string {
  const top = workspace.messages.filter(
    (m) => m.channel === channel && (m.threadTs === undefined || m.threadTs === m.ts) && visible(m, viewer),
  );
  return top.length === 0
    ? `<p class="empty">${empty}</p>`
    : top.map((m) => messageHtml(m, workspace.messages, viewer, now)).join('');
}

export function regions(workspace: Workspace, viewer: string, now: number = Date.now()): Regions {
  const others = [
    ...new Set(
      workspace.messages
        .map((m) => m.channel)
        .filter((c) => c !== COMMAND_CHANNEL.id && c !== APPROVAL_CHANNEL.id && !c.startsWith('D')),
    ),
  ];
  const channels = [APPROVAL_CHANNEL.id, ...others]
    .map(
      (c) =>
        `<section class="channel" data-channel="${escapeHtml(c)}"><h2>#${escapeHtml(channelName(c) ?? c)}</h2>${channelHtml(workspace, c, viewer, now, 'No requests yet: type a command in #deploys.')}</section>`,
    )
    .join('');
  const home = workspace.homes.get(viewer);
  const modal = workspace.topModal(viewer);
  return {
    version: workspace.version,
    regions: {
      deploys: channelHtml(
        workspace,
        COMMAND_CHANNEL.id,
        viewer,
        now,
        'Type <code>/invalidate help</code> below to start.',
      ),
      channels,
      dms: channelHtml(workspace, dmChannelOf(viewer), viewer, now, 'No messages from the bot yet.'),
      home: home
        ? blocksHtml(home.blocks ?? [], { kind: 'home', viewId: home.id, now })
        : '<p class="empty">Opening the Home tab asks the bot to publish it.</p>',
    },
    modal: modal
      ? {
          key: `${modal.view.id}:${modal.revision}`,
          html: modalHtml(modal.view, modal.values, modal.errors, now),
        }
      : null,
  };
}

function modalHtml(view: View, values: ViewValues, errors: Record<string, string>, now: number): string {
  const title = (value: unknown, fallback: string): string => {
    const text = typeof value === 'object' && value !== null ? (value as { text?: unknown }).text : undefined;
    return plainTextHtml(typeof text === 'string' ? text : fallback);
  };
  const general = errors._ ? `<div class="bk-error" role="alert">${plainTextHtml(errors._)}</div>` : '';
  const submit = view.submit
    ? `<button type="button" class="bk-button bk-primary" data-modal-submit>${title(view.submit, 'Submit')}</button>`
    : '';
  return `<div class="modal" role="dialog" aria-label="${escapeHtml(String((view.title as { text?: unknown } | undefined)?.text ?? 'Modal'))}" data-view-id="${escapeHtml(view.id)}"><div class="modal-title">${title(view.title, 'Modal')}</div><div class="modal-body">${general}${blocksHtml(view.blocks ?? [], { kind: 'modal', viewId: view.id, values, errors, now })}</div><div class="modal-foot"><button type="button" class="bk-button" data-modal-close>${title(view.close, 'Cancel')}</button>${submit}</div></div>`;
}

export function pageHtml(workspace: Workspace, viewer: string, dryRun: boolean): string {
  const r = regions(workspace, viewer);
  const people = PEOPLE.map(
    (p) =>
      `<option value="${p.id}"${p.id === viewer ? ' selected' : ''}>${escapeHtml(p.name)} (${escapeHtml(p.role)})</option>`,
  ).join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Invalidation bot playground</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>${PAGE_STYLE}</style></head>
<body data-viewer="${escapeHtml(viewer)}" data-version="${r.version}">
<header class="top"><div><b>CloudFront invalidation bot</b> · playground <span class="muted">(a local stand-in for Slack; times in UTC)</span>${dryRun ? ' <span class="tag tag-dry">dry run</span>' : ' <span class="tag tag-live">live CloudFront</span>'}</div>
<label>You are <select id="viewer">${people}</select></label></header>
<main>
<section class="col"><h2>#${COMMAND_CHANNEL.name}</h2><div class="messages" id="deploys">${r.regions.deploys}</div>
<form id="composer" autocomplete="off"><input id="message" name="message" placeholder="/invalidate www /index.html  ·  /invalidate  ·  /invalidate help" aria-label="Message #${COMMAND_CHANNEL.name}"><button class="bk-button bk-primary" type="submit">Send</button></form></section>
<section class="col" id="channels">${r.regions.channels}</section>
<section class="col"><nav class="tabs"><button type="button" class="tab active" data-tab="dms">Messages</button><button type="button" class="tab" data-tab="home">App Home</button></nav>
<h2>${escapeHtml(BOT.name)}</h2><div class="messages" id="dms">${r.regions.dms}</div><div class="home" id="home" hidden>${r.regions.home}</div></section>
</main>
<div id="overlay"${r.modal ? '' : ' hidden'} data-key="${r.modal ? escapeHtml(r.modal.key) : ''}">${r.modal?.html ?? ''}</div>
<script src="/playground.js"></script>
</body></html>`;
}
