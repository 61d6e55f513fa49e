import { expect } from 'vitest';
import type { InvalidationRequest } from '../../src/domain/request';
import { APPROVAL_CHANNEL, type Bot, buttonsOf, cardPost, textOf } from './bot';
import type { SlackCall } from './slack-fake';
import { slashCommand } from './slack-requests';

/**
 * Checks the Slack end-to-end tests share, with vitest's expect (kept apart from bot.ts,
 * which the benchmark imports outside vitest).
 */

export interface EphemeralAnswer {
  response_type: string;
  text: string;
  blocks?: unknown[];
  /** Every text of the answer, its blocks' too (see textOf). */
  all: string;
}

/** `/invalidate <text>` as `userId` in a channel of their own; expects it answered ephemerally, in the HTTP response. */
export async function ephemeralAnswer(bot: Bot, userId: string, text: string): Promise<EphemeralAnswer> {
  const res = await bot.send(slashCommand({ text, userId, channelId: 'C0DEVCHAN' }));
  expect(res.statusCode).toBe(200);
  const body = JSON.parse(res.body) as Omit<EphemeralAnswer, 'all'>;
  expect(body.response_type).toBe('ephemeral');
  return { ...body, all: textOf(body as unknown as Record<string, unknown>) };
}

/**
 * Expects the request's card posted in the approval channel with Approve, Reject and Cancel
 * for it, and its ts stored on the request. Returns the card's post.
 */
export function expectApprovalCard(bot: Bot, request: InvalidationRequest): SlackCall | undefined {
  const card = cardPost(bot, request.id);
  expect(card?.args.channel).toBe(APPROVAL_CHANNEL);
  expect(buttonsOf(card?.args.blocks)).toEqual({
    approve: request.id,
    reject: request.id,
    cancel: request.id,
  });
  expect(request.cardTs).toBe(card?.response.ts);
  return card;
}
