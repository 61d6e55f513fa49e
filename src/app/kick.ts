import * as z from '../shared/zod';

/**
 * A kick: the slack function, having written what it decided, asks the worker
 * (the poller function, invoked asynchronously) to do the follow-up work now
 * instead of at the next scheduled run. The durable state is already written,
 * so a lost kick only delays work by up to a minute (see docs/architecture.md).
 *
 * - `request`: do the request's due work (card, thread replies, DMs, the
 *   CloudFront submission) and follow it. `held` names notices the kicker's
 *   write already claimed for this work (a new request's card), so the worker
 *   delivers them without a claim write of its own. `createdUnder` is the
 *   idempotency key of a creation: the slack function writes only that key's
 *   item, and the worker writes the request item from it (store/request-create).
 * - `tell`: an ephemeral answer that needs a Web API call (a refusal on a
 *   button click, which Slack does not let an HTTP answer carry); `dm` where
 *   there is no channel to answer in (the App Home).
 * - `home`: publish a person's App Home tab.
 */
export type KickEvent = z.infer<typeof kickEvent>;

const slackId = z.string().check(z.regex(/^[A-Z0-9]{2,40}$/));

export const kickEvent = z.lazy(() =>
  z.discriminatedUnion('kick', [
    z.object({
      kick: z.literal('request'),
      requestId: z.string().check(z.regex(/^[0-9A-HJKMNP-TV-Z]{26}$/)),
      held: z.optional(z.array(z.string().check(z.maxLength(80))).check(z.maxLength(50))),
      /** The idempotency key of the creation the kicker wrote: its request item may be the worker's to write. */
      createdUnder: z.optional(z.string().check(z.minLength(1), z.maxLength(300))),
    }),
    z.object({
      kick: z.literal('tell'),
      channel: slackId,
      user: slackId,
      text: z.string().check(z.minLength(1), z.maxLength(4_000)),
      blocks: z.optional(z.array(z.record(z.string(), z.unknown())).check(z.maxLength(50))),
      /** No channel to answer in (an App Home click): a direct message instead. */
      dm: z.optional(z.boolean()),
    }),
    z.object({ kick: z.literal('home'), user: slackId }),
  ]),
);

export interface Kicker {
  /**
   * Starts the work and returns once it is handed over (or the hand-over gave
   * up at its deadline). Never throws and never waits for the work itself.
   */
  kick(event: KickEvent): Promise<void>;
}
