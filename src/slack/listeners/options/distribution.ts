import type { AllMiddlewareArgs, SlackOptionsMiddlewareArgs } from '@slack/bolt';
import { allowedDistributions } from '../../../app/allowed-distributions';
import type { BotDeps } from '../../../app/deps';
import { distributionOptions } from '../../options/distribution-options';
import { optionsRequest } from '../../payloads';

type Args = AllMiddlewareArgs & SlackOptionsMiddlewareArgs<'block_suggestion'>;

/** Type-ahead for the modal's distribution field: only the ones this person may request. */
export function distributionOptionsHandler(deps: BotDeps) {
  return async ({ ack, body }: Args): Promise<void> => {
    const parsed = optionsRequest.safeParse(body);
    if (!parsed.success) {
      await ack({ options: [] });
      return;
    }
    try {
      const allowed = await allowedDistributions(deps, parsed.data.user.id);
      await ack(distributionOptions(allowed, parsed.data.value));
    } catch (error) {
      deps.log.error('options load failed', { error });
      await ack({ options: [] });
    }
  };
}
