import type { InputBlock } from '@slack/types';

/** Omitted per element type (a distributive conditional), so each keeps its own fields. */
type WithoutActionId<E> = E extends unknown ? Omit<E, 'action_id'> : never;

export interface OptionalInputSpec {
  /** The block id and the action id (docs/architecture.md, "Contracts"): listeners read `values[id][id]`. */
  id: string;
  label: string;
  element: WithoutActionId<InputBlock['element']>;
  hint?: string;
}

/**
 * An input a modal may be submitted without. Every field of our forms is one: what is
 * required depends on the other fields (paths or a file; a reason only for some
 * distributions), so the submission handler checks and answers per field.
 */
export function optionalInput(spec: OptionalInputSpec): InputBlock {
  return {
    type: 'input',
    block_id: spec.id,
    optional: true,
    label: { type: 'plain_text', text: spec.label },
    // type, action_id, then the settings: the order the views have always been sent in.
    element: Object.assign({ type: spec.element.type, action_id: spec.id }, spec.element),
    ...(spec.hint !== undefined ? { hint: { type: 'plain_text', text: spec.hint } } : {}),
  };
}
