import type { AllMiddlewareArgs, RespondArguments, SlackCommandMiddlewareArgs } from '@slack/bolt';
import { unknownDistribution } from '../../../app/create-request';
import type { BotDeps } from '../../../app/deps';
import { findDistribution } from '../../../config/load-config';
import { type CommandForm, parseCommand } from '../../command-text';
import { errorMessage } from '../../messages/errors';
import { requestRefusalText } from '../../messages/request-refusals';
import type { SlackMessage } from '../../messages/slack-message';
import { commandPayload } from '../../payloads';
import { helpReply } from './help';
import { openRequestModal } from './open-request-modal';
import { quickRequest } from './quick-request';
import { statusReply } from './status';

type Args = AllMiddlewareArgs & SlackCommandMiddlewareArgs;

/** `/invalidate …`: one command, four forms. Every form answers the person. */
export function invalidateCommand(deps: BotDeps) {
  return async ({ ack, command, client }: Args): Promise<void> => {
    const parsed = commandPayload.safeParse(command);
    if (!parsed.success) {
      await ack(ephemeral(errorMessage('Slack sent a command I could not read. Please try again.')));
      return;
    }
    const payload = parsed.data;
    const form: CommandForm = parseCommand(payload.text);
    try {
      if (form.kind === 'modal') {
        // `/invalidate nosuch`: say so, rather than open a blank form.
        if (
          form.alias !== undefined &&
          findDistribution(deps.config, form.alias.toLowerCase()) === undefined
        ) {
          const refusal = await unknownDistribution(deps, payload.user_id, form.alias);
          await ack(ephemeral(errorMessage(requestRefusalText(refusal))));
          return;
        }
        // The trigger id expires 3 s after the command: open the modal before anything slow.
        const opened = await openRequestModal(deps, client, {
          triggerId: payload.trigger_id,
          userId: payload.user_id,
          channelId: payload.channel_id,
          ...(form.alias !== undefined ? { alias: form.alias.toLowerCase() } : {}),
        });
        await (opened
          ? ack()
          : ack(ephemeral(errorMessage('I could not open the form. Please run `/invalidate` again.'))));
        return;
      }
      const reply =
        form.kind === 'help'
          ? await helpReply(deps, payload.user_id)
          : form.kind === 'status'
            ? await statusReply(deps, payload.user_id, form.id)
            : await quickRequest(deps, payload, form);
      await ack(ephemeral(reply));
    } catch (error) {
      deps.log.error('command failed', { form: form.kind, user: payload.user_id, error });
      await ack(
        ephemeral(
          errorMessage(
            'Something went wrong on my side, and nothing was requested. Please try again in a minute.',
          ),
        ),
      );
    }
  };
}

function ephemeral(message: SlackMessage): RespondArguments {
  return {
    response_type: 'ephemeral',
    text: message.text,
    ...(message.blocks ? { blocks: message.blocks } : {}),
  };
}
