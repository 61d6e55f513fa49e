import type { KnownBlock, ModalView } from '@slack/types';
import { contextBlock } from '../messages/sections';
import { BLOCK_KIT_LIMITS } from '../messages/slack-message';
import { optionalInput } from './optional-input';

/** The modal's ids (docs/architecture.md, "Contracts"): block id and action id are the same word. */
export const REQUEST_MODAL = {
  callbackId: 'invalidate_request',
  distribution: 'distribution',
  paths: 'paths',
  /** Optional `file_input`: a plain-text list, for lists longer than the field's 3,000 characters. */
  pathsFile: 'paths_file',
  reason: 'reason',
  breakGlass: 'break_glass',
} as const;

export interface RequestModalInput {
  dryRun: boolean;
  /** Preselects a distribution, e.g. from `/invalidate www`. */
  initialAlias?: string;
  /** Carried to the submission (e.g. the channel the command came from); at most 3,000 characters. */
  privateMetadata?: string;
  /** Pre-filled, e.g. by "Request again": the paths one per line, and the reason. */
  initialPaths?: string;
  initialReason?: string;
  /** The person may break glass on some distribution: show the checkbox. */
  offerBreakGlass?: boolean;
}

/** The `/invalidate` form: distribution, paths, reason. */
export function requestModal(input: RequestModalInput): ModalView & { blocks: KnownBlock[] } {
  if (
    input.privateMetadata !== undefined &&
    input.privateMetadata.length > BLOCK_KIT_LIMITS.privateMetadata
  ) {
    // Cutting it would hand the submission handler corrupt data; this is a bug in the caller.
    throw new RangeError(`private_metadata is ${input.privateMetadata.length} characters; Slack allows 3000`);
  }
  const blocks: KnownBlock[] = [];
  if (input.dryRun) {
    blocks.push(contextBlock(':test_tube: Dry run: no invalidation will be sent.'));
  }
  blocks.push(
    // Left empty, a list of full URLs goes to the distribution owning their hosts.
    optionalInput({
      id: REQUEST_MODAL.distribution,
      label: 'Distribution',
      element: {
        type: 'external_select',
        min_query_length: 0,
        placeholder: { type: 'plain_text', text: 'Search by alias, id or description' },
        ...(input.initialAlias === undefined
          ? {}
          : {
              initial_option: {
                text: { type: 'plain_text', text: input.initialAlias },
                value: input.initialAlias,
              },
            }),
      },
    }),
    // May be empty when a file of paths is attached below.
    optionalInput({
      id: REQUEST_MODAL.paths,
      label: 'Paths',
      element: {
        type: 'plain_text_input',
        multiline: true,
        ...(input.initialPaths !== undefined && input.initialPaths !== ''
          ? { initial_value: input.initialPaths.slice(0, 3_000) }
          : {}),
        placeholder: { type: 'plain_text', text: '/index.html\n/css/*' },
      },
      hint:
        'One path per line, each starting with /. Full URLs are OK (https://example.com/a.png?v=2 becomes /a.png). ' +
        '* only at the end: /images/* clears everything under /images/. Paths are case sensitive. ' +
        '#tag clears a cache tag. No distribution picked: full URLs go to the one that serves their host.',
    }),
    optionalInput({
      id: REQUEST_MODAL.pathsFile,
      label: 'Or a file of paths',
      element: { type: 'file_input', filetypes: ['txt', 'text', 'csv'], max_files: 1 },
      hint: 'A plain-text file, one path, URL or #tag per line, for lists too long for the field (up to 100,000 items).',
    }),
    optionalInput({
      id: REQUEST_MODAL.reason,
      label: 'Reason',
      element: {
        type: 'plain_text_input',
        ...(input.initialReason !== undefined && input.initialReason !== ''
          ? { initial_value: input.initialReason.slice(0, 3_000) }
          : {}),
        placeholder: { type: 'plain_text', text: 'What changed, so approvers know why' },
      },
    }),
  );
  if (input.offerBreakGlass === true) blocks.push(breakGlassBlock());
  const view: ModalView & { blocks: KnownBlock[] } = {
    type: 'modal',
    callback_id: REQUEST_MODAL.callbackId,
    title: { type: 'plain_text', text: 'Invalidate cache' },
    submit: { type: 'plain_text', text: 'Request' },
    close: { type: 'plain_text', text: 'Cancel' },
    blocks,
  };
  if (input.privateMetadata !== undefined) view.private_metadata = input.privateMetadata;
  return view;
}

/** Break-glass: submit at once without approval; a reason is then required, and approvers review it. */
function breakGlassBlock(): KnownBlock {
  return optionalInput({
    id: REQUEST_MODAL.breakGlass,
    label: 'Break-glass',
    element: {
      type: 'checkboxes',
      options: [
        {
          text: { type: 'plain_text', text: 'Skip approval: submit now (incident)' },
          description: {
            type: 'plain_text',
            text: 'Needs a reason. Approvers are told and review it afterwards.',
          },
          value: REQUEST_MODAL.breakGlass,
        },
      ],
    },
  });
}
