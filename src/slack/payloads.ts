import * as z from 'zod';

/**
 * The parts of Slack's payloads the listeners use, parsed at the edge. Bolt
 * has verified the signature; these schemas check the shape, so a listener
 * never reaches into a payload with a non-null assertion.
 */

export const commandPayload = z.object({
  text: z.string().default(''),
  user_id: z.string().min(1),
  channel_id: z.string().min(1),
  trigger_id: z.string().min(1),
});
export type CommandPayload = z.infer<typeof commandPayload>;

export const buttonClick = z.object({
  user: z.object({ id: z.string().min(1) }),
  channel: z.object({ id: z.string().min(1) }).optional(),
  container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
  actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(64) })).min(1),
});

const selectedOption = z.object({ value: z.string() }).nullish();

export const requestSubmission = z.object({
  user: z.object({ id: z.string().min(1) }),
  view: z.object({
    id: z.string().min(1),
    private_metadata: z.string().optional(),
    state: z.object({
      values: z.object({
        distribution: z.object({ distribution: z.object({ selected_option: selectedOption }) }),
        paths: z.object({ paths: z.object({ value: z.string().nullish() }) }),
        reason: z.object({ reason: z.object({ value: z.string().nullish() }) }).optional(),
      }),
    }),
  }),
});

export const optionsRequest = z.object({
  user: z.object({ id: z.string().min(1) }),
  value: z.string().default(''),
});

export const homeOpened = z.object({
  user: z.string().min(1),
  tab: z.string().optional(),
});
