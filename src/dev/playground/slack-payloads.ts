import { BOT, channelName, dmChannelOf, PEOPLE } from './people';
import { formBody, interactionBody, jsonBody, type SlackBody } from './signed-post';
import { TEAM } from './web-api';
import type { Message, View, ViewValues } from './workspace';

/**
 * The requests Slack sends a bot, shaped as in Slack's reference (slash
 * command, block_actions, view_submission, view_closed, block_suggestion,
 * event_callback), for the playground's pretend workspace. Pure: the caller
 * hands in the trigger ids and response URLs it handed out.
 */

const VERIFICATION_TOKEN = 'playground-verification-token';
const team = { id: TEAM.id, domain: TEAM.domain };
const common = { api_app_id: TEAM.appId, token: VERIFICATION_TOKEN, is_enterprise_install: false };

function user(id: string) {
  const name = PEOPLE.find((p) => p.id === id)?.name ?? id.toLowerCase();
  return { id, username: name, name, team_id: TEAM.id };
}

export function slashCommand(input: {
  userId: string;
  channel: string;
  text: string;
  responseUrl: string;
  triggerId: string;
}): SlackBody {
  return formBody({
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    team_domain: TEAM.domain,
    channel_id: input.channel,
    channel_name: channelName(input.channel) ?? 'directmessage',
    user_id: input.userId,
    user_name: user(input.userId).name,
    command: '/invalidate',
    text: input.text,
    api_app_id: TEAM.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  });
}

export interface ButtonPress {
  userId: string;
  actionId: string;
  blockId: string;
  value?: string;
  text: string;
  triggerId: string;
}

function buttonAction(press: ButtonPress) {
  return {
    action_id: press.actionId,
    block_id: press.blockId,
    text: { type: 'plain_text', text: press.text, emoji: true },
    ...(press.value !== undefined ? { value: press.value } : {}),
    type: 'button',
    action_ts: (Date.now() / 1000).toFixed(6),
  };
}

/** A button in a message; Slack echoes the message (blocks included) back to the bot. */
export function messageButtonPress(
  press: ButtonPress,
  where: { channel: string; ts: string; message: Message | undefined; responseUrl: string },
): SlackBody {
  const thread = where.message?.threadTs ? { thread_ts: where.message.threadTs } : {};
  return interactionBody({
    type: 'block_actions',
    user: user(press.userId),
    team,
    ...common,
    container: {
      type: 'message',
      message_ts: where.ts,
      channel_id: where.channel,
      is_ephemeral: false,
      ...thread,
    },
    trigger_id: press.triggerId,
    channel: { id: where.channel, name: channelName(where.channel) ?? 'directmessage' },
    message: {
      type: 'message',
      user: BOT.userId,
      bot_id: BOT.botId,
      app_id: TEAM.appId,
      text: where.message?.text ?? '',
      ts: where.ts,
      team: TEAM.id,
      blocks: where.message?.blocks ?? [],
      ...thread,
    },
    state: { values: {} },
    response_url: where.responseUrl,
    actions: [buttonAction(press)],
  });
}

/** A button in a view (the App Home or a modal). `view` carries its state as the person left it. */
export function viewButtonPress(press: ButtonPress, viewId: string, view: object): SlackBody {
  return interactionBody({
    type: 'block_actions',
    user: user(press.userId),
    team,
    ...common,
    container: { type: 'view', view_id: viewId },
    trigger_id: press.triggerId,
    view,
    actions: [buttonAction(press)],
  });
}

/** The view as Slack hands it back: what the bot sent, plus the state the person entered. */
export function submittedView(view: View, state: ViewValues): object {
  return { ...view, state: { values: state } };
}

export function viewSubmission(userId: string, view: object, triggerId: string): SlackBody {
  return interactionBody({
    type: 'view_submission',
    team,
    user: user(userId),
    ...common,
    trigger_id: triggerId,
    view,
    response_urls: [],
    enterprise: null,
  });
}

export function viewClosed(userId: string, view: object): SlackBody {
  return interactionBody({
    type: 'view_closed',
    team,
    user: user(userId),
    ...common,
    view,
    is_cleared: false,
  });
}

export function blockSuggestion(input: {
  userId: string;
  viewId: string;
  actionId: string;
  blockId: string;
  value: string;
  view: object;
}): SlackBody {
  return interactionBody({
    type: 'block_suggestion',
    user: user(input.userId),
    container: { type: 'view', view_id: input.viewId },
    ...common,
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    team,
    view: input.view,
  });
}

export function appHomeOpened(userId: string, eventId: string): SlackBody {
  const now = Date.now();
  return jsonBody({
    token: VERIFICATION_TOKEN,
    team_id: TEAM.id,
    api_app_id: TEAM.appId,
    event: {
      type: 'app_home_opened',
      user: userId,
      channel: dmChannelOf(userId),
      tab: 'home',
      event_ts: (now / 1000).toFixed(6),
    },
    type: 'event_callback',
    event_id: eventId,
    event_time: Math.floor(now / 1000),
    authorizations: [
      {
        enterprise_id: null,
        team_id: TEAM.id,
        user_id: BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
  });
}
