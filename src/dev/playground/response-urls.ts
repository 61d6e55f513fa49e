import { BOT } from './people';
import { blocksOf } from './web-api';
import type { Workspace } from './workspace';

/**
 * The response_url of a command or click: a playground URL the bot may post
 * to instead of answering in the HTTP response, as Slack allows.
 */

export function newResponseUrl(
  workspace: Workspace,
  origin: string,
  target: { userId: string; channel: string; messageTs?: string },
): string {
  const id = workspace.nextId('R');
  workspace.responseUrls.set(id, target);
  return `${origin}/response/${id}`;
}

/** A message posted to a response_url: ephemeral unless in_channel; replace_original edits the message. */
export function postToResponseUrl(workspace: Workspace, id: string, body: Record<string, unknown>): boolean {
  const target = workspace.responseUrls.get(id);
  if (!target) return false;
  const blocks = blocksOf(body.blocks);
  const text = typeof body.text === 'string' ? body.text : '';
  const original = target.messageTs ? workspace.find(target.channel, target.messageTs) : undefined;
  if (original && body.delete_original === true) {
    workspace.messages.splice(workspace.messages.indexOf(original), 1);
  } else if (original && body.replace_original === true) {
    original.text = text;
    if (blocks) original.blocks = blocks;
    original.edited = true;
  } else {
    workspace.messages.push({
      channel: target.channel,
      ts: workspace.nextTs(),
      user: BOT.userId,
      text,
      ...(blocks ? { blocks } : {}),
      ...(body.response_type === 'in_channel' ? {} : { visibleTo: target.userId }),
      ...(original?.threadTs ? { threadTs: original.threadTs } : {}),
    });
  }
  workspace.changed();
  return true;
}
