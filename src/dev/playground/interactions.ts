import { BOT, COMMAND_CHANNEL, channelName, dmChannelOf, PEOPLE } from './people';
import {
  type BotAnswer,
  formBody,
  interactionBody,
  jsonBody,
  postSigned,
  type SlackBody,
} from './signed-post';
import { blocksOf, fileObject, TEAM, viewOf } from './web-api';
import type { OpenModal, View, ViewValues, Workspace } from './workspace';

/**
 * What a person does on the page, turned into the requests Slack would send
 * the bot (payloads as in Slack's reference: slash command, block_actions,
 * view_submission, view_closed, block_suggestion, event_callback), and the
 * bot's HTTP answers applied as Slack applies them.
 */

export interface InteractionOptions {
  workspace: Workspace;
  /** The bot's `POST /slack/events`. */
  eventsUrl: string;
  signingSecret: string;
  /** Where the bot reaches the playground (response_url, files). */
  origin: string;
}

export interface Option {
  text: string;
  value: string;
}

const REQUIRED_FIELD = 'Please complete this required field.';

const user = (id: string) => {
  const name = PEOPLE.find((p) => p.id === id)?.name ?? id.toLowerCase();
  return { id, username: name, name, team_id: TEAM.id };
};
const team = { id: TEAM.id, domain: TEAM.domain };
const common = {
  api_app_id: TEAM.appId,
  token: 'playground-verification-token',
  is_enterprise_install: false,
};

function plainText(value: unknown): string {
  const text = viewOf(value)?.text;
  return typeof text === 'string' ? text : '';
}

export function playgroundInteractions(options: InteractionOptions) {
  const { workspace } = options;
  const send = (body: SlackBody): Promise<BotAnswer> =>
    postSigned(options.eventsUrl, options.signingSecret, body);

  /** Said by the playground to one person, e.g. that the bot answered with an error: never silent. */
  const tell = (userId: string, channel: string, text: string, threadTs?: string): void => {
    workspace.post({
      channel,
      ts: workspace.nextTs(),
      user: BOT.userId,
      text,
      visibleTo: userId,
      fromPlayground: true,
      ...(threadTs ? { threadTs } : {}),
    });
  };

  const failure = (answer: BotAnswer): string | undefined =>
    answer.status === 200
      ? undefined
      : `The bot answered HTTP ${answer.status}${answer.text ? `: ${answer.text.slice(0, 300)}` : ''}`;

  const unreachable = (error: unknown): string =>
    `The playground could not reach the bot (${error instanceof Error ? error.message : String(error)}).`;

  /** A command's or click's JSON answer is a message for the person (ephemeral unless in_channel). */
  const showAnswer = (userId: string, channel: string, answer: BotAnswer, threadTs?: string): void => {
    const problem = failure(answer);
    if (problem) {
      tell(userId, channel, problem, threadTs);
      return;
    }
    const json = answer.json;
    if (!json || (typeof json.text !== 'string' && !blocksOf(json.blocks))) return;
    const inChannel = json.response_type === 'in_channel';
    workspace.post({
      channel,
      ts: workspace.nextTs(),
      user: BOT.userId,
      text: typeof json.text === 'string' ? json.text : '',
      ...(blocksOf(json.blocks) ? { blocks: blocksOf(json.blocks) } : {}),
      ...(inChannel ? {} : { visibleTo: userId }),
      ...(threadTs ? { threadTs } : {}),
    });
  };

  const responseUrl = (userId: string, channel: string, messageTs?: string): string => {
    const id = workspace.nextId('R');
    workspace.responseUrls.set(id, { userId, channel, ...(messageTs ? { messageTs } : {}) });
    return `${options.origin}/response/${id}`;
  };

  /** Slack's state of a submitted view: the page's values, files resolved, options as Slack sends them. */
  const stateValues = (values: ViewValues): ViewValues => {
    const out: ViewValues = {};
    for (const [blockId, actions] of Object.entries(values)) {
      out[blockId] = {};
      for (const [actionId, value] of Object.entries(actions)) {
        const files = Array.isArray(value.files) ? value.files : undefined;
        const resolved = files
          ? {
              ...value,
              files: files
                .map((id) => workspace.files.get(String(id)))
                .filter((f) => f !== undefined)
                .map((f) => fileObject(f, options.origin)),
            }
          : value;
        (out[blockId] as Record<string, Record<string, unknown>>)[actionId] = resolved;
      }
    }
    return out;
  };

  /** Slack checks required inputs itself and never sends a form with one empty. */
  const missingRequired = (view: View, values: ViewValues): Record<string, string> => {
    const errors: Record<string, string> = {};
    for (const block of (view.blocks ?? []) as Array<Record<string, unknown>>) {
      if (block.type !== 'input' || block.optional === true) continue;
      const blockId = String(block.block_id ?? '');
      const element = viewOf(block.element);
      const actionId = String(element?.action_id ?? '');
      const value = values[blockId]?.[actionId];
      const empty =
        value === undefined ||
        (typeof value.value !== 'undefined'
          ? value.value === null || String(value.value).trim() === ''
          : false) ||
        ('selected_option' in value && value.selected_option === null) ||
        (Array.isArray(value.selected_options) && value.selected_options.length === 0) ||
        (Array.isArray(value.files) && value.files.length === 0);
      if (empty) errors[blockId] = REQUIRED_FIELD;
    }
    return errors;
  };

  const viewPayload = (view: View, values: ViewValues) => ({
    ...view,
    state: { values: stateValues(values) },
  });

  return {
    async command(userId: string, typed: string, channel: string = COMMAND_CHANNEL.id): Promise<void> {
      const text = typed.trim();
      workspace.post({
        channel,
        ts: workspace.nextTs(),
        user: userId,
        text,
        visibleTo: userId,
        command: true,
      });
      const match = /^(\/[a-z0-9_-]+)(?:\s+([\s\S]*))?$/i.exec(text);
      if (match?.[1] !== '/invalidate') {
        tell(userId, channel, 'The playground knows one command: `/invalidate` (try `/invalidate help`).');
        return;
      }
      const body = formBody({
        token: common.token,
        team_id: TEAM.id,
        team_domain: TEAM.domain,
        channel_id: channel,
        channel_name: channelName(channel) ?? 'directmessage',
        user_id: userId,
        user_name: user(userId).name,
        command: '/invalidate',
        text: match[2] ?? '',
        api_app_id: TEAM.appId,
        is_enterprise_install: 'false',
        response_url: responseUrl(userId, channel),
        trigger_id: workspace.newTrigger({ userId }),
      });
      try {
        showAnswer(userId, channel, await send(body));
      } catch (error) {
        tell(userId, channel, unreachable(error));
      }
    },

    /** A button in a message (channel + ts), the App Home, or a modal (view id). */
    async click(input: {
      userId: string;
      actionId: string;
      blockId: string;
      value?: string;
      text: string;
      channel?: string;
      ts?: string;
      viewId?: string;
    }): Promise<void> {
      const action = {
        action_id: input.actionId,
        block_id: input.blockId,
        text: { type: 'plain_text', text: input.text, emoji: true },
        ...(input.value !== undefined ? { value: input.value } : {}),
        type: 'button',
        action_ts: (Date.now() / 1000).toFixed(6),
      };
      const base = { type: 'block_actions', user: user(input.userId), team, ...common, actions: [action] };
      if (input.channel && input.ts) {
        const message = workspace.find(input.channel, input.ts);
        const thread = message?.threadTs ? { thread_ts: message.threadTs } : {};
        const payload = {
          ...base,
          container: {
            type: 'message',
            message_ts: input.ts,
            channel_id: input.channel,
            is_ephemeral: false,
            ...thread,
          },
          trigger_id: workspace.newTrigger({ userId: input.userId }),
          channel: { id: input.channel, name: channelName(input.channel) ?? 'directmessage' },
          message: {
            type: 'message',
            user: BOT.userId,
            bot_id: BOT.botId,
            app_id: TEAM.appId,
            text: message?.text ?? '',
            ts: input.ts,
            team: TEAM.id,
            blocks: message?.blocks ?? [],
            ...thread,
          },
          state: { values: {} },
          response_url: responseUrl(input.userId, input.channel, input.ts),
        };
        try {
          showAnswer(input.userId, input.channel, await send(interactionBody(payload)), message?.threadTs);
        } catch (error) {
          tell(input.userId, input.channel, unreachable(error));
        }
        return;
      }
      const viewId = input.viewId ?? '';
      const modal = workspace.modalOwner(viewId)?.modal;
      const view = modal?.view ?? workspace.homes.get(input.userId);
      const payload = {
        ...base,
        container: { type: 'view', view_id: viewId },
        trigger_id: workspace.newTrigger({ userId: input.userId, viewId }),
        view: view ? viewPayload(view, modal?.values ?? {}) : { id: viewId },
      };
      const dm = dmChannelOf(input.userId);
      try {
        const answer = await send(interactionBody(payload));
        const problem = failure(answer);
        if (problem) tell(input.userId, dm, problem);
      } catch (error) {
        tell(input.userId, dm, unreachable(error));
      }
    },

    async submit(userId: string, viewId: string, values: ViewValues): Promise<void> {
      const stack = workspace.modals.get(userId) ?? [];
      const modal: OpenModal | undefined = stack.find((m) => m.view.id === viewId);
      if (!modal) return;
      modal.values = values;
      const required = missingRequired(modal.view, values);
      if (Object.keys(required).length > 0) {
        modal.errors = required;
        modal.revision++;
        workspace.changed();
        return;
      }
      const payload = {
        type: 'view_submission',
        team,
        user: user(userId),
        ...common,
        trigger_id: workspace.newTrigger({ userId, viewId }),
        view: viewPayload(modal.view, values),
        response_urls: [],
        enterprise: null,
      };
      let answer: BotAnswer;
      try {
        answer = await send(interactionBody(payload));
      } catch (error) {
        modal.errors = { _: unreachable(error) };
        modal.revision++;
        workspace.changed();
        return;
      }
      const problem = failure(answer);
      const json = answer.json ?? {};
      const next = viewOf(json.view);
      if (problem) {
        modal.errors = { _: problem };
        modal.revision++;
      } else if (json.response_action === 'errors') {
        const errors = viewOf(json.errors) ?? {};
        modal.errors = Object.fromEntries(Object.entries(errors).map(([k, v]) => [k, String(v)]));
        modal.revision++;
      } else if ((json.response_action === 'update' || json.response_action === 'push') && next) {
        const stored: View = {
          ...next,
          id: json.response_action === 'update' ? modal.view.id : workspace.nextId('V'),
        };
        if (json.response_action === 'update') {
          modal.view = stored;
          modal.values = {};
          modal.errors = {};
          modal.revision++;
        } else {
          stack.push({ view: stored, values: {}, errors: {}, revision: 0 });
        }
      } else if (json.response_action === 'clear') {
        workspace.modals.delete(userId);
      } else {
        stack.splice(stack.indexOf(modal), 1);
        if (stack.length === 0) workspace.modals.delete(userId);
      }
      workspace.changed();
    },

    async close(userId: string, viewId: string): Promise<void> {
      const stack = workspace.modals.get(userId) ?? [];
      const modal = stack.find((m) => m.view.id === viewId);
      if (!modal) return;
      stack.splice(stack.indexOf(modal), 1);
      if (stack.length === 0) workspace.modals.delete(userId);
      workspace.changed();
      if (modal.view.notify_on_close !== true) return;
      const payload = {
        type: 'view_closed',
        team,
        user: user(userId),
        ...common,
        view: viewPayload(modal.view, modal.values),
        is_cleared: false,
      };
      await send(interactionBody(payload)).catch(() => undefined);
    },

    /** Type-ahead for an external_select: the bot's options handler answers. */
    async suggest(input: {
      userId: string;
      viewId: string;
      actionId: string;
      blockId: string;
      value: string;
    }): Promise<{ ok: true; options: Option[] } | { ok: false; error: string }> {
      const modal = workspace.modalOwner(input.viewId)?.modal;
      const payload = {
        type: 'block_suggestion',
        user: user(input.userId),
        container: { type: 'view', view_id: input.viewId },
        ...common,
        action_id: input.actionId,
        block_id: input.blockId,
        value: input.value,
        team,
        view: modal ? viewPayload(modal.view, modal.values) : { id: input.viewId },
      };
      try {
        const answer = await send(interactionBody(payload));
        const problem = failure(answer);
        if (problem) return { ok: false, error: problem };
        return { ok: true, options: flattenOptions(answer.json ?? {}) };
      } catch (error) {
        return { ok: false, error: unreachable(error) };
      }
    },

    async openHome(userId: string): Promise<void> {
      const now = Date.now();
      const body = jsonBody({
        token: common.token,
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
        event_id: `Ev${workspace.nextId('E')}`,
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
      try {
        const problem = failure(await send(body));
        if (problem) tell(userId, dmChannelOf(userId), problem);
      } catch (error) {
        tell(userId, dmChannelOf(userId), unreachable(error));
      }
    },

    /** A message posted to a response_url: ephemeral unless in_channel; replace_original edits the message. */
    respond(id: string, body: Record<string, unknown>): boolean {
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
    },
  };
}

export type PlaygroundInteractions = ReturnType<typeof playgroundInteractions>;

function flattenOptions(json: Record<string, unknown>): Option[] {
  const list = (value: unknown): Option[] =>
    Array.isArray(value)
      ? value
          .map((o) => viewOf(o) ?? {})
          .map((o) => ({ text: plainText(o.text), value: String(o.value ?? '') }))
      : [];
  const groups = Array.isArray(json.option_groups) ? json.option_groups : [];
  return [...list(json.options), ...groups.flatMap((g) => list(viewOf(g)?.options))];
}
