import { allowedDistributions } from '../../../app/allowed-distributions';
import type { BotDeps } from '../../../app/deps';
import { describePolicy } from '../../../domain/policy';
import { helpMessage } from '../../messages/help';
import type { SlackMessage } from '../../messages/slack-message';

/** `/invalidate help`: usage, and the distributions this person may use with their approval rules. */
export async function helpReply(deps: BotDeps, userId: string): Promise<SlackMessage> {
  const distributions = await allowedDistributions(deps, userId);
  return helpMessage({
    dryRun: deps.settings.dryRun,
    distributions: distributions.map((d) => ({
      alias: d.alias,
      id: d.id,
      description: d.description,
      policyText: describePolicy(d),
      domains: d.domains,
      cacheTags: d.cacheTags,
    })),
  });
}
