import { fileObject, viewOf } from './web-api';
import type { View, ViewValues, Workspace } from './workspace';

/** A modal's state as Slack sends it, and the one check Slack makes itself before sending it. */

const REQUIRED_FIELD = 'Please complete this required field.';

/** The page's values with uploaded files' ids replaced by Slack's file objects. */
export function stateValues(values: ViewValues, workspace: Workspace, origin: string): ViewValues {
  const out: ViewValues = {};
  for (const [blockId, actions] of Object.entries(values)) {
    const block: Record<string, Record<string, unknown>> = {};
    for (const [actionId, value] of Object.entries(actions)) {
      block[actionId] = Array.isArray(value.files)
        ? {
            ...value,
            files: value.files
              .map((id) => workspace.files.get(String(id)))
              .filter((f) => f !== undefined)
              .map((f) => fileObject(f, origin)),
          }
        : value;
    }
    out[blockId] = block;
  }
  return out;
}

function isEmpty(value: Record<string, unknown> | undefined): boolean {
  if (value === undefined) return true;
  if ('value' in value) return value.value === null || String(value.value).trim() === '';
  if ('selected_option' in value) return value.selected_option === null;
  if (Array.isArray(value.selected_options)) return value.selected_options.length === 0;
  if (Array.isArray(value.files)) return value.files.length === 0;
  return false;
}

/** Slack never sends a form with a required input empty: it marks the field instead. */
export function missingRequired(view: View, values: ViewValues): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const block of (view.blocks ?? []).map(viewOf)) {
    if (block?.type !== 'input' || block.optional === true) continue;
    const blockId = String(block.block_id ?? '');
    const actionId = String(viewOf(block.element)?.action_id ?? '');
    if (isEmpty(values[blockId]?.[actionId])) errors[blockId] = REQUIRED_FIELD;
  }
  return errors;
}
