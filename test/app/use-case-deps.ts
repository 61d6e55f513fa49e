import type { RequestStore } from '../../src/app/ports';
import { type BotConfig, botConfigSchema } from '../../src/config/bot-config';
import type { InvalidationRequest } from '../../src/domain/request';
import { distributionConfig } from '../support/request-fixtures';

/** What the use-case tests share: one distribution (`www`, approvers listed as users) and quiet ports. */

export const config: BotConfig = botConfigSchema.parse({
  approvalChannel: 'C0APPROVALS',
  distributions: [distributionConfig()],
});

export const log = { info: () => {}, warn: () => {}, error: () => {} };

/** Approvers here are users, not groups: a call to the directory would be a bug. */
export const groups = {
  members: async (groupId: string): Promise<string[]> => {
    throw new Error(`no group lookup expected (${groupId})`);
  },
};

/** Stores `request` as created by its requester, and returns it as stored. */
export async function stored(
  store: RequestStore,
  request: InvalidationRequest,
): Promise<InvalidationRequest> {
  const event = {
    requestId: request.id,
    at: request.createdAt,
    actor: request.requesterId,
    action: 'created',
  };
  return (await store.create(request, event, `key:${request.id}`)).request;
}
