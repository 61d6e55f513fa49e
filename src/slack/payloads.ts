import * as z from 'zod';

/**
 * The parts of Slack's payloads the listeners use, parsed at the edge. Bolt
 * has verified the signature; these schemas check the shape, so a listener
 * never reaches into a payload with a non-null assertion. Each is built on its
 * first parse (`z.lazy`): a cold start builds only the one its request needs.
 */

export const commandPayload = z.lazy(() =>
  z.object({
    text: z.string().default(''),
    user_id: z.string().min(1),
    channel_id: z.string().min(1),
    trigger_id: z.string().min(1),
  }),
);
export type CommandPayload = z.infer<typeof commandPayload>;

export const buttonClick = z.lazy(() =>
  z.object({
    user: z.object({ id: z.string().min(1) }),
    channel: z.object({ id: z.string().min(1) }).optional(),
    container: z.object({ channel_id: z.string().optional(), message_ts: z.string().optional() }).optional(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(64) })).min(1),
  }),
);

export const requestSubmission = z.lazy(() => {
  const selectedOption = z.object({ value: z.string() }).nullish();
  return z.object({
    user: z.object({ id: z.string().min(1) }),
    view: z.object({
      id: z.string().min(1),
      private_metadata: z.string().optional(),
      state: z.object({
        values: z.object({
          distribution: z.object({ distribution: z.object({ selected_option: selectedOption }) }).optional(),
          paths: z.object({ paths: z.object({ value: z.string().nullish() }) }).optional(),
          paths_file: z
            .object({
              paths_file: z.object({
                files: z.array(z.object({ id: z.string().regex(/^F[A-Z0-9]+$/) })).nullish(),
              }),
            })
            .optional(),
          reason: z.object({ reason: z.object({ value: z.string().nullish() }) }).optional(),
          break_glass: z
            .object({
              break_glass: z.object({ selected_options: z.array(z.object({ value: z.string() })).nullish() }),
            })
            .optional(),
        }),
      }),
    }),
  });
});

export const optionsRequest = z.lazy(() =>
  z.object({
    user: z.object({ id: z.string().min(1) }),
    value: z.string().default(''),
  }),
);

export const homeOpened = z.lazy(() =>
  z.object({
    user: z.string().min(1),
    tab: z.string().optional(),
  }),
);

/** The reject form (`reject_request`): the request id in private_metadata, an optional reason. */
export const rejectSubmission = z.lazy(() =>
  z.object({
    user: z.object({ id: z.string().min(1) }),
    view: z.object({
      private_metadata: z.string().regex(/^[0-9A-HJKMNP-TV-Z]{26}$/),
      state: z.object({
        values: z.object({
          reason: z.object({ reason: z.object({ value: z.string().max(3_000).nullish() }) }).optional(),
        }),
      }),
    }),
  }),
);

/** A button click that opens a modal: the trigger id lives 3 s. */
export const modalButtonClick = z.lazy(() =>
  z.object({
    trigger_id: z.string().min(1),
    user: z.object({ id: z.string().min(1) }),
    channel: z.object({ id: z.string().min(1) }).optional(),
    container: z.object({ channel_id: z.string().optional() }).optional(),
    actions: z.array(z.object({ action_id: z.string(), value: z.string().min(1).max(64) })).min(1),
  }),
);
