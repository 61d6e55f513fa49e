/**
 * The page's script, served as /playground.js: sends what the person does to
 * the playground server, and redraws a region when the workspace changes
 * (server-sent events, with a slow poll as a fallback). No framework.
 */
export const PAGE_SCRIPT = `
(() => {
  'use strict';
  const $ = (sel, root = document) => root.querySelector(sel);
  const $$ = (sel, root = document) => Array.from(root.querySelectorAll(sel));
  let viewer = document.body.dataset.viewer;
  let tab = 'dms';
  const drawn = {};

  async function post(path, body, raw) {
    const res = await fetch(path, raw
      ? { method: 'POST', body: raw.body, headers: { 'content-type': raw.type || 'application/octet-stream', 'x-playground-page': '1' } }
      : { method: 'POST', body: JSON.stringify(body), headers: { 'content-type': 'application/json', 'x-playground-page': '1' } });
    const text = await res.text();
    let json = {};
    try { json = text ? JSON.parse(text) : {}; } catch { json = { error: text }; }
    if (!res.ok) throw new Error(json.error || ('HTTP ' + res.status));
    return json;
  }

  function showProblem(message) {
    const box = $('#deploys');
    const div = document.createElement('div');
    div.className = 'msg ephemeral';
    div.innerHTML = '<div class="msg-head"><b>playground</b></div><div class="msg-body"></div>';
    div.lastChild.textContent = message;
    box.appendChild(div);
  }

  let refreshing = null;
  let again = false;
  async function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = (async () => {
      try {
        const res = await fetch('/regions?as=' + encodeURIComponent(viewer));
        const data = await res.json();
        for (const [id, html] of Object.entries(data.regions)) {
          if (drawn[id] === html) continue;
          const el = document.getElementById(id);
          const stick = el.scrollHeight - el.scrollTop - el.clientHeight < 40;
          el.innerHTML = html;
          drawn[id] = html;
          if (stick) el.scrollTop = el.scrollHeight;
        }
        const overlay = $('#overlay');
        const key = data.modal ? data.modal.key : '';
        if (overlay.dataset.key !== key) {
          overlay.dataset.key = key;
          overlay.innerHTML = data.modal ? data.modal.html : '';
          overlay.hidden = !data.modal;
        }
        document.body.dataset.version = String(data.version);
      } finally {
        const more = again;
        refreshing = null;
        again = false;
        if (more) refresh();
      }
    })();
    return refreshing;
  }

  function connect() {
    const events = new EventSource('/events');
    events.onmessage = () => refresh();
    events.onerror = () => { events.close(); setTimeout(connect, 2000); };
  }

  $('#viewer').addEventListener('change', (e) => {
    viewer = e.target.value;
    document.body.dataset.viewer = viewer;
    history.replaceState(null, '', '/?as=' + encodeURIComponent(viewer));
    for (const k of Object.keys(drawn)) delete drawn[k];
    $('#overlay').dataset.key = '-';
    refresh();
    if (tab === 'home') post('/ui/home', { as: viewer }).catch((err) => showProblem(err.message));
  });

  $('#composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = $('#message');
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    post('/ui/command', { as: viewer, text }).catch((err) => showProblem(err.message));
  });

  $$('.tab').forEach((button) => button.addEventListener('click', () => {
    tab = button.dataset.tab;
    $$('.tab').forEach((b) => b.classList.toggle('active', b === button));
    $('#dms').hidden = tab !== 'dms';
    $('#home').hidden = tab !== 'home';
    if (tab === 'home') post('/ui/home', { as: viewer }).catch((err) => showProblem(err.message));
  }));

  // Buttons in messages, the App Home and modals.
  document.addEventListener('click', (e) => {
    const button = e.target.closest('button[data-action-id]');
    if (!button) return;
    button.disabled = true;
    const d = button.dataset;
    post('/ui/click', {
      as: viewer, actionId: d.actionId, blockId: d.blockId || '', value: d.value, text: button.textContent,
      channel: d.channel, ts: d.ts, viewId: d.viewId,
    }).catch((err) => showProblem(err.message)).finally(() => { button.disabled = false; });
  });

  function modalValues(modal) {
    const values = {};
    for (const el of $$('[data-action-id][data-type]', modal)) {
      const { blockId, actionId, type } = el.dataset;
      values[blockId] = values[blockId] || {};
      let value;
      if (type === 'plain_text_input') value = { type, value: el.value === '' ? null : el.value };
      else if (type === 'external_select') {
        value = { type, selected_option: el.dataset.value
          ? { text: { type: 'plain_text', text: el.dataset.label, emoji: true }, value: el.dataset.value } : null };
      } else if (type === 'static_select') {
        const opt = el.selectedOptions[0];
        value = { type, selected_option: opt && opt.value
          ? { text: { type: 'plain_text', text: opt.dataset.text, emoji: true }, value: opt.value } : null };
      } else if (type === 'checkboxes' || type === 'radio_buttons') {
        const picked = $$('input:checked', el).map((c) => ({ text: { type: 'plain_text', text: c.dataset.text, emoji: true }, value: c.value }));
        value = type === 'checkboxes' ? { type, selected_options: picked } : { type, selected_option: picked[0] || null };
      } else if (type === 'file_input') {
        value = { type, files: el.dataset.files ? el.dataset.files.split(',') : [] };
      } else continue;
      values[blockId][actionId] = value;
    }
    return values;
  }

  const overlay = $('#overlay');
  overlay.addEventListener('click', (e) => {
    const modal = e.target.closest('.modal');
    if (!modal) return;
    const viewId = modal.dataset.viewId;
    if (e.target.closest('[data-modal-submit]')) {
      const button = e.target.closest('[data-modal-submit]');
      button.disabled = true;
      post('/ui/submit', { as: viewer, viewId, values: modalValues(modal) })
        .catch((err) => showProblem(err.message)).finally(() => { button.disabled = false; });
    } else if (e.target.closest('[data-modal-close]')) {
      post('/ui/close', { as: viewer, viewId }).catch((err) => showProblem(err.message));
    } else if (e.target.closest('.bk-options li')) {
      const li = e.target.closest('.bk-options li');
      const box = li.closest('.bk-typeahead');
      box.dataset.value = li.dataset.value;
      box.dataset.label = li.textContent;
      $('input', box).value = li.textContent;
      $('ul', box).hidden = true;
    }
  });

  // Type-ahead: the bot's options handler answers each keystroke (debounced), as in Slack.
  let timer = null;
  function suggest(input) {
    const box = input.closest('.bk-typeahead');
    const modal = input.closest('.modal');
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const list = $('ul', box);
      try {
        const data = await post('/ui/suggest', { as: viewer, viewId: modal.dataset.viewId, actionId: box.dataset.actionId, blockId: box.dataset.blockId, value: input.value });
        list.innerHTML = '';
        if (!data.ok) { const li = document.createElement('li'); li.textContent = data.error; list.appendChild(li); }
        else if (data.options.length === 0) { const li = document.createElement('li'); li.textContent = 'No matches'; li.className = 'none'; list.appendChild(li); }
        for (const o of data.options || []) { const li = document.createElement('li'); li.textContent = o.text; li.dataset.value = o.value; list.appendChild(li); }
        list.hidden = false;
      } catch (err) { showProblem(err.message); }
    }, 120);
  }
  overlay.addEventListener('input', (e) => {
    if (e.target.matches('.bk-typeahead input')) {
      const box = e.target.closest('.bk-typeahead');
      box.dataset.value = '';
      suggest(e.target);
    }
  });
  overlay.addEventListener('focusin', (e) => { if (e.target.matches('.bk-typeahead input')) suggest(e.target); });

  overlay.addEventListener('change', async (e) => {
    if (!e.target.matches('.bk-file input[type=file]')) return;
    const box = e.target.closest('.bk-file');
    const status = $('.bk-file-status', box);
    const file = e.target.files[0];
    if (!file) { box.dataset.files = ''; status.textContent = ''; return; }
    status.textContent = 'uploading…';
    try {
      const data = await post('/ui/upload?as=' + encodeURIComponent(viewer) + '&name=' + encodeURIComponent(file.name), null, { body: file, type: file.type || 'text/plain' });
      box.dataset.files = data.id;
      status.textContent = file.name + ' attached';
    } catch (err) { status.textContent = 'upload failed: ' + err.message; }
  });

  connect();
  setInterval(refresh, 15000);
  refresh();
})();
`;
