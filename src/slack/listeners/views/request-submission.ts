import type { AllMiddlewareArgs, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { createRequest } from '../../../app/create-request';
import type { BotDeps } from '../../../app/deps';
import { readPathsFile } from '../../files/paths-file';
import { toPlainText } from '../../messages/mrkdwn';
import { requestRefusalText } from '../../messages/request-refusals';
import { requestSubmission } from '../../payloads';
import { REQUEST_MODAL } from '../../views/request-modal';

type Args = AllMiddlewareArgs & SlackViewMiddlewareArgs<ViewSubmitAction>;

/** Slack shows an inline error under the field; keep it short enough to read there. */
const MAX_INLINE_ERROR = 1_500;

/**
 * The modal was submitted: validate, store (with the card and the requester's
 * confirmation DM queued), close the modal, kick the worker to post them.
 */
export function requestSubmissionHandler(deps: BotDeps) {
  return async ({ ack, body, client }: Args): Promise<void> => {
    const parsed = requestSubmission.safeParse(body);
    if (!parsed.success) {
      await ack({
        response_action: 'errors',
        errors: { paths: 'Slack sent a form I could not read. Please try again.' },
      });
      return;
    }
    const { user, view } = parsed.data;
    const values = view.state.values;
    // No distribution picked: a list of full URLs goes to the one owning their hosts.
    const alias = values.distribution?.distribution.selected_option?.value || undefined;
    const typed = values.paths?.paths.value ?? '';
    const fileId = values.paths_file?.paths_file.files?.[0]?.id;
    let pathsText = typed;
    // Errors name lines of whichever holds the list, so they are shown there.
    let pathsBlock: 'paths' | 'paths_file' = 'paths';
    if (fileId !== undefined) {
      if (typed.trim() !== '') {
        await ack({
          response_action: 'errors',
          errors: {
            paths_file: 'Type the paths or attach a file, not both (errors name the lines of one list).',
          },
        });
        return;
      }
      const file = await readPathsFile(client, fileId);
      if (!file.ok) {
        await ack({ response_action: 'errors', errors: { paths_file: file.message } });
        return;
      }
      pathsText = file.text;
      pathsBlock = 'paths_file';
    }
    let outcome: Awaited<ReturnType<typeof createRequest>>;
    try {
      outcome = await createRequest(deps, {
        requesterId: user.id,
        alias,
        pathsText,
        mode: 'lines',
        reason: values.reason?.reason.value ?? '',
        breakGlass: (values.break_glass?.break_glass.selected_options ?? []).some(
          (o) => o.value === REQUEST_MODAL.breakGlass,
        ),
        // Slack re-delivers a submission it did not see answered; the view id stays the same.
        idempotencyKey: `view:${view.id}`,
        // The modal closes without an answer: the requester hears back by DM.
        confirmByDm: true,
      });
    } catch (error) {
      deps.log.error('request submission failed', { user: user.id, error });
      await ack({
        response_action: 'errors',
        errors: { paths: 'Something went wrong on my side and nothing was requested. Please submit again.' },
      });
      return;
    }
    if (outcome.kind === 'refused') {
      await ack({
        response_action: 'errors',
        errors: {
          [outcome.field]: toPlainText(requestRefusalText(outcome.refusal)).slice(0, MAX_INLINE_ERROR),
        },
      });
      return;
    }
    if (outcome.kind === 'invalid') {
      await ack({
        response_action: 'errors',
        errors: {
          [outcome.field === 'paths' ? pathsBlock : outcome.field]: toPlainText(outcome.message).slice(
            0,
            MAX_INLINE_ERROR,
          ),
        },
      });
      return;
    }
    await ack();
    await deps.kicker.kick(outcome.followUp);
  };
}
