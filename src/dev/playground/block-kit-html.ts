import { escapeHtml, mrkdwnHtml, plainTextHtml } from './mrkdwn-html';
import type { ViewValues } from './workspace';

/**
 * Block Kit as HTML, for the block and element types the bot uses: header,
 * section (text, fields, accessory), context, divider, actions with buttons,
 * image, and input blocks with plain_text_input, external_select,
 * static_select, checkboxes, radio_buttons and file_input. Anything else is
 * shown as its JSON, marked as not rendered, so nothing the bot sends is lost.
 */

export interface Surface {
  kind: 'message' | 'home' | 'modal';
  channel?: string;
  ts?: string;
  viewId?: string;
  /** What the person entered so far (modal), shown again when the modal is redrawn. */
  values?: ViewValues;
  /** Inline errors by block id. */
  errors?: Record<string, string>;
  now?: number;
}

type Json = Record<string, unknown>;

const obj = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : undefined;
const list = (value: unknown): Json[] => (Array.isArray(value) ? value.map((v) => obj(v) ?? {}) : []);
const str = (value: unknown): string => (typeof value === 'string' ? value : '');
const attr = (value: unknown): string =>
  escapeHtml(typeof value === 'string' ? value : JSON.stringify(value ?? ''));

export function unrendered(what: string, value: unknown): string {
  return `<details class="bk-json" open><summary>Not drawn by the playground: ${escapeHtml(what)} (its JSON)</summary><pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre></details>`;
}

/** A text object: mrkdwn or plain_text. */
export function textHtml(value: unknown, surface: Surface): string {
  const text = obj(value);
  if (!text) return '';
  if (text.type === 'mrkdwn') return mrkdwnHtml(str(text.text), surface.now);
  if (text.type === 'plain_text') return plainTextHtml(str(text.text));
  return unrendered(`text of type ${String(text.type)}`, value);
}

function button(element: Json, blockId: string, surface: Surface): string {
  const style = element.style === 'primary' || element.style === 'danger' ? ` bk-${element.style}` : '';
  const where =
    surface.kind === 'message'
      ? `data-channel="${attr(surface.channel)}" data-ts="${attr(surface.ts)}"`
      : `data-view-id="${attr(surface.viewId)}"`;
  const value = element.value === undefined ? '' : ` data-value="${attr(element.value)}"`;
  if (typeof element.url === 'string') {
    return `<a class="bk-button${style}" href="${attr(element.url)}" target="_blank" rel="noreferrer">${textHtml(element.text, surface)}</a>`;
  }
  return `<button type="button" class="bk-button${style}" data-action-id="${attr(element.action_id)}" data-block-id="${attr(blockId)}"${value} ${where}>${textHtml(element.text, surface)}</button>`;
}

function optionHtml(option: Json, surface: Surface): string {
  return textHtml(option.text, surface);
}

/** An interactive element outside an input block (in actions, or a section's accessory). */
function element(el: Json, blockId: string, surface: Surface): string {
  switch (el.type) {
    case 'button':
      return button(el, blockId, surface);
    case 'image':
      return `<span class="bk-image" title="${attr(el.alt_text)}">🖼 ${escapeHtml(str(el.alt_text))}</span>`;
    default:
      return unrendered(`element ${String(el.type)}`, el);
  }
}

function inputElement(el: Json, blockId: string, surface: Surface): string {
  const actionId = str(el.action_id);
  const value = surface.values?.[blockId]?.[actionId];
  const data = `data-block-id="${attr(blockId)}" data-action-id="${attr(actionId)}" data-type="${attr(el.type)}"`;
  const placeholder = obj(el.placeholder) ? ` placeholder="${attr(str(obj(el.placeholder)?.text))}"` : '';
  switch (el.type) {
    case 'plain_text_input': {
      const current = typeof value?.value === 'string' ? value.value : str(el.initial_value);
      return el.multiline === true
        ? `<textarea class="bk-field" rows="4" ${data}${placeholder}>${escapeHtml(current)}</textarea>`
        : `<input class="bk-field" type="text" ${data}${placeholder} value="${attr(current)}">`;
    }
    case 'external_select': {
      const chosen = obj(value?.selected_option) ?? obj(el.initial_option);
      const label = chosen ? str(obj(chosen.text)?.text) : '';
      return `<div class="bk-typeahead" ${data} data-view-id="${attr(surface.viewId)}" data-value="${attr(chosen ? str(chosen.value) : '')}" data-label="${attr(label)}"><input class="bk-field" type="text" autocomplete="off"${placeholder} value="${attr(label)}"><ul class="bk-options" hidden></ul></div>`;
    }
    case 'static_select': {
      const chosen = str(obj(value?.selected_option)?.value ?? obj(el.initial_option)?.value);
      const options = list(el.options)
        .map(
          (o) =>
            `<option value="${attr(o.value)}" data-text="${attr(str(obj(o.text)?.text))}"${str(o.value) === chosen ? ' selected' : ''}>${escapeHtml(str(obj(o.text)?.text))}</option>`,
        )
        .join('');
      return `<select class="bk-field" ${data}><option value="">${escapeHtml(str(obj(el.placeholder)?.text) || 'Choose…')}</option>${options}</select>`;
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const multiple = el.type === 'checkboxes';
      const picked = new Set(
        (multiple
          ? list(value?.selected_options ?? el.initial_options)
          : [obj(value?.selected_option ?? el.initial_option) ?? {}]
        ).map((o) => str(o.value)),
      );
      const options = list(el.options)
        .map((o) => {
          const description = o.description
            ? `<div class="bk-hint">${textHtml(o.description, surface)}</div>`
            : '';
          return `<label class="bk-choice"><input type="${multiple ? 'checkbox' : 'radio'}" name="${attr(`${blockId}.${actionId}`)}" value="${attr(o.value)}" data-text="${attr(str(obj(o.text)?.text))}"${picked.has(str(o.value)) ? ' checked' : ''}> <span>${optionHtml(o, surface)}${description}</span></label>`;
        })
        .join('');
      return `<div class="bk-choices" ${data}>${options}</div>`;
    }
    case 'file_input': {
      const files = Array.isArray(value?.files) ? value.files.map(String) : [];
      const types = Array.isArray(el.filetypes)
        ? ` accept="${attr((el.filetypes as unknown[]).map((t) => `.${String(t)}`).join(','))}"`
        : '';
      return `<div class="bk-file" ${data} data-files="${attr(files.join(','))}"><input type="file"${types}><span class="bk-file-status">${files.length > 0 ? `${files.length} file(s) attached` : ''}</span></div>`;
    }
    default:
      return unrendered(`input element ${String(el.type)}`, el);
  }
}

function block(b: Json, surface: Surface): string {
  const blockId = str(b.block_id);
  switch (b.type) {
    case 'header':
      return `<div class="bk-header">${textHtml(b.text, surface)}</div>`;
    case 'divider':
      return '<hr class="bk-divider">';
    case 'section': {
      const text = b.text ? `<div class="bk-text">${textHtml(b.text, surface)}</div>` : '';
      const fields = Array.isArray(b.fields)
        ? `<div class="bk-fields">${list(b.fields)
            .map((f) => `<div>${textHtml(f, surface)}</div>`)
            .join('')}</div>`
        : '';
      const accessory = obj(b.accessory)
        ? `<div class="bk-accessory">${element(obj(b.accessory) ?? {}, blockId, surface)}</div>`
        : '';
      return `<div class="bk-section"><div class="bk-section-body">${text}${fields}</div>${accessory}</div>`;
    }
    case 'context':
      return `<div class="bk-context">${list(b.elements)
        .map((e) =>
          e.type === 'image'
            ? `<span class="bk-image">🖼 ${escapeHtml(str(e.alt_text))}</span>`
            : `<span>${textHtml(e, surface)}</span>`,
        )
        .join('')}</div>`;
    case 'actions':
      return `<div class="bk-actions">${list(b.elements)
        .map((e) => element(e, blockId, surface))
        .join('')}</div>`;
    case 'image':
      return `<div class="bk-image">🖼 ${escapeHtml(str(b.alt_text))}${b.title ? ` — ${textHtml(b.title, surface)}` : ''}</div>`;
    case 'input': {
      const el = obj(b.element) ?? {};
      const optional = b.optional === true ? ' <span class="bk-optional">(optional)</span>' : '';
      const hint = b.hint ? `<div class="bk-hint">${textHtml(b.hint, surface)}</div>` : '';
      const error = surface.errors?.[blockId];
      return `<div class="bk-input${error ? ' bk-has-error' : ''}" data-block="${attr(blockId)}"><label class="bk-label">${textHtml(b.label, surface)}${optional}</label>${inputElement(el, blockId, surface)}${error ? `<div class="bk-error" role="alert">${plainTextHtml(error)}</div>` : ''}${hint}</div>`;
    }
    default:
      return unrendered(`block ${String(b.type)}`, b);
  }
}

export function blocksHtml(blocks: unknown, surface: Surface): string {
  if (!Array.isArray(blocks)) return unrendered('blocks that are not a list', blocks);
  return blocks
    .map((b) => (obj(b) ? block(obj(b) ?? {}, surface) : unrendered('a block that is not an object', b)))
    .join('');
}
