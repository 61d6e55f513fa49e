import { BOT, COMMAND_CHANNEL, dmChannelOf } from './people';
import { newResponseUrl } from './response-urls';
import { type BotAnswer, postSigned, type SlackBody } from './signed-post';
import {
  appHomeOpened,
  type ButtonPress,
  blockSuggestion,
  messageButtonPress,
  slashCommand,
  submittedView,
  viewButtonPress,
  viewClosed,
  viewSubmission,
} from './slack-payloads';
import { missingRequired, stateValues } from './view-state';
import { blocksOf, viewOf } from './web-api';
import type { OpenModal, View, ViewValues, Workspace } from './workspace';

/**
 * What a person does on the page, sent to the bot as Slack would send it, and
 * the bot's HTTP answers applied as Slack applies them: a command's JSON is a
 * message for the person, a submission's `response_action` keeps, updates,
 * pushes or closes the modal. Anything that goes wrong is said on the page.
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

export type Suggestions = { ok: true; options: Option[] } | { ok: false; error: string };

export interface Click {
  userId: string;
  actionId: string;
  blockId: string;
  value?: string;
  text: string;
  /** A button in a message… */
  channel?: string;
  ts?: string;
  /** …or in a view (App Home, modal). */
  viewId?: string;
}

function failure(answer: BotAnswer): string | undefined {
  return answer.status === 200
    ? undefined
    : `The bot answered HTTP ${answer.status}${answer.text ? `: ${answer.text.slice(0, 300)}` : ''}`;
}

function unreachable(error: unknown): string {
  return `The playground could not reach the bot (${error instanceof Error ? error.message : String(error)}).`;
}

function flattenOptions(json: Record<string, unknown>): Option[] {
  const list = (value: unknown): Option[] =>
    Array.isArray(value)
      ? value
          .map((o) => viewOf(o) ?? {})
          .map((o) => ({ text: String(viewOf(o.text)?.text ?? ''), value: String(o.value ?? '') }))
      : [];
  const groups = Array.isArray(json.option_groups) ? json.option_groups : [];
  return [...list(json.options), ...groups.flatMap((g) => list(viewOf(g)?.options))];
}

export function playgroundInteractions(options: InteractionOptions) {
  const { workspace } = options;

  /** Sends, and turns a network failure into the sentence to show instead. */
  const send = async (body: SlackBody): Promise<BotAnswer | string> => {
    try {
      return await postSigned(options.eventsUrl, options.signingSecret, body);
    } catch (error) {
      return unreachable(error);
    }
  };

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

  /** A command's or click's JSON answer is a message for the person (ephemeral unless in_channel). */
  const showAnswer = (
    userId: string,
    channel: string,
    answer: BotAnswer | string,
    threadTs?: string,
  ): void => {
    const problem = typeof answer === 'string' ? answer : failure(answer);
    if (problem || typeof answer === 'string') {
      tell(userId, channel, problem ?? '', threadTs);
      return;
    }
    const json = answer.json;
    const blocks = blocksOf(json?.blocks);
    if (!json || (typeof json.text !== 'string' && !blocks)) return;
    workspace.post({
      channel,
      ts: workspace.nextTs(),
      user: BOT.userId,
      text: typeof json.text === 'string' ? json.text : '',
      ...(blocks ? { blocks } : {}),
      ...(json.response_type === 'in_channel' ? {} : { visibleTo: userId }),
      ...(threadTs ? { threadTs } : {}),
    });
  };

  const responseUrl = (userId: string, channel: string, messageTs?: string): string =>
    newResponseUrl(workspace, options.origin, { userId, channel, ...(messageTs ? { messageTs } : {}) });

  const viewWithState = (view: View, values: ViewValues): object =>
    submittedView(view, stateValues(values, workspace, options.origin));

  const redraw = (modal: OpenModal, errors: Record<string, string>): void => {
    modal.errors = errors;
    modal.revision++;
  };

  /** Slack's handling of a view_submission answer. */
  const applySubmissionAnswer = (
    userId: string,
    stack: OpenModal[],
    modal: OpenModal,
    answer: BotAnswer,
  ): void => {
    const json = answer.json ?? {};
    const next = viewOf(json.view);
    const problem = failure(answer);
    if (problem) redraw(modal, { _: problem });
    else if (json.response_action === 'errors') {
      redraw(
        modal,
        Object.fromEntries(Object.entries(viewOf(json.errors) ?? {}).map(([k, v]) => [k, String(v)])),
      );
    } else if (json.response_action === 'update' && next) {
      modal.view = { ...next, id: modal.view.id };
      modal.values = {};
      redraw(modal, {});
    } else if (json.response_action === 'push' && next) {
      stack.push({ view: { ...next, id: workspace.nextId('V') }, values: {}, errors: {}, revision: 0 });
    } else if (json.response_action === 'clear') {
      workspace.modals.delete(userId);
    } else {
      stack.splice(stack.indexOf(modal), 1);
      if (stack.length === 0) workspace.modals.delete(userId);
    }
  };

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
      const body = slashCommand({
        userId,
        channel,
        text: match[2] ?? '',
        responseUrl: responseUrl(userId, channel),
        triggerId: workspace.newTrigger({ userId }),
      });
      showAnswer(userId, channel, await send(body));
    },

    async click(click: Click): Promise<void> {
      const press: ButtonPress = {
        ...click,
        triggerId: workspace.newTrigger({ userId: click.userId }),
      };
      if (click.channel && click.ts) {
        const message = workspace.find(click.channel, click.ts);
        const body = messageButtonPress(press, {
          channel: click.channel,
          ts: click.ts,
          message,
          responseUrl: responseUrl(click.userId, click.channel, click.ts),
        });
        showAnswer(click.userId, click.channel, await send(body), message?.threadTs);
        return;
      }
      const viewId = click.viewId ?? '';
      const modal = workspace.modalOwner(viewId)?.modal;
      const view = modal?.view ?? workspace.homes.get(click.userId);
      const answer = await send(
        viewButtonPress(press, viewId, view ? viewWithState(view, modal?.values ?? {}) : { id: viewId }),
      );
      const problem = typeof answer === 'string' ? answer : failure(answer);
      if (problem) tell(click.userId, dmChannelOf(click.userId), problem);
    },

    async submit(userId: string, viewId: string, values: ViewValues): Promise<void> {
      const stack = workspace.modals.get(userId) ?? [];
      const modal = stack.find((m) => m.view.id === viewId);
      if (!modal) return;
      modal.values = values;
      const required = missingRequired(modal.view, values);
      if (Object.keys(required).length > 0) {
        redraw(modal, required);
        workspace.changed();
        return;
      }
      const answer = await send(
        viewSubmission(userId, viewWithState(modal.view, values), workspace.newTrigger({ userId })),
      );
      if (typeof answer === 'string') redraw(modal, { _: answer });
      else applySubmissionAnswer(userId, stack, modal, answer);
      workspace.changed();
    },

    async close(userId: string, viewId: string): Promise<void> {
      const stack = workspace.modals.get(userId) ?? [];
      const modal = stack.find((m) => m.view.id === viewId);
      if (!modal) return;
      stack.splice(stack.indexOf(modal), 1);
      if (stack.length === 0) workspace.modals.delete(userId);
      workspace.changed();
      if (modal.view.notify_on_close === true)
        await send(viewClosed(userId, viewWithState(modal.view, modal.values)));
    },

    /** Type-ahead for an external_select: the bot's options handler answers. */
    async suggest(input: {
      userId: string;
      viewId: string;
      actionId: string;
      blockId: string;
      value: string;
    }): Promise<Suggestions> {
      const modal = workspace.modalOwner(input.viewId)?.modal;
      const view = modal ? viewWithState(modal.view, modal.values) : { id: input.viewId };
      const answer = await send(blockSuggestion({ ...input, view }));
      if (typeof answer === 'string') return { ok: false, error: answer };
      const problem = failure(answer);
      return problem
        ? { ok: false, error: problem }
        : { ok: true, options: flattenOptions(answer.json ?? {}) };
    },

    async openHome(userId: string): Promise<void> {
      const answer = await send(appHomeOpened(userId, `Ev${workspace.nextId('E')}`));
      const problem = typeof answer === 'string' ? answer : failure(answer);
      if (problem) tell(userId, dmChannelOf(userId), problem);
    },
  };
}

export type PlaygroundInteractions = ReturnType<typeof playgroundInteractions>;
