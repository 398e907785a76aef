// Vigil's web console: plain JavaScript over the console's own /api/v1 (the same API any client uses).
// The API token lives in this tab's sessionStorage and travels only in the Authorization header, never in a URL
// or a cookie. Everything from the server is put in the page as text, never as HTML.
'use strict';

const state = { token: sessionStorage.getItem('vigil-token'), view: null, timer: null, lastAlert: null, snaps: {} };

// a camera's snapshot is fetched again at most this often, whatever the list's refresh
const SNAPSHOT_EVERY_MS = 30000;

function $(id) { return document.getElementById(id); }

// a form's control by name (form.id and form.name are the form's own attributes)
function field(form, name) { return form.elements.namedItem(name); }

function el(tag, attrs, ...children) {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (k === 'class') e.className = v; else if (k.startsWith('data-')) e.setAttribute(k, v); else e[k] = v;
  }
  for (const c of children) if (c !== null && c !== undefined) e.append(c instanceof Node ? c : String(c));
  return e;
}

async function api(path, options) {
  const opts = Object.assign({ headers: {} }, options || {});
  if (state.token) opts.headers.Authorization = 'Bearer ' + state.token;
  const r = await fetch(path, opts);
  if (r.status === 401) { showLogin('Log in with an API token.'); throw new Error('not logged in'); }
  return r;
}

async function json(path, options) {
  const r = await api(path, options);
  const body = r.status === 204 ? null : await r.json();
  if (!r.ok && r.status !== 422) throw new Error(body && body.error ? body.error : 'HTTP ' + r.status);
  return { status: r.status, body };
}

// images behind the token: fetched with the header, shown from a blob URL
async function image(img, path) {
  try {
    const r = await api(path);
    if (!r.ok) { img.alt = 'no image'; return; }
    const url = URL.createObjectURL(await r.blob());
    img.onload = () => URL.revokeObjectURL(url);
    img.src = url;
  } catch (e) { img.alt = 'no image'; }
}

function showLogin(message) {
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== 'login';
  $('login-error').hidden = !message;
  $('login-error').textContent = message || '';
  clearInterval(state.timer);
}

function age(ms) {
  if (!ms) return '-';
  const s = Math.max(0, (Date.now() - ms) / 1000);
  return s < 120 ? s.toFixed(0) + ' s ago' : (s / 60).toFixed(0) + ' min ago';
}

// ---- cameras

async function cameras() {
  const { body } = await json('/api/v1/cameras');
  const list = $('camera-list');
  list.replaceChildren();
  $('cameras-empty').hidden = body.cameras.length > 0;
  for (const c of body.cameras) {
    const img = el('img', { alt: 'snapshot of ' + c.id });
    const remove = el('button', { class: 'danger write', type: 'button' }, 'Remove');
    remove.onclick = async () => {
      if (!confirm('Remove camera ' + c.id + '?')) return;
      try { await json('/api/v1/cameras/' + encodeURIComponent(c.id), { method: 'DELETE' }); } catch (e) { alert(e.message); }
      cameras();
    };
    list.append(el('div', { class: 'item camera', 'data-camera': c.id }, img,
      el('div', { class: 'meta' },
        el('div', { class: 'title' }, c.id, ' ', el('span', { class: 'state ' + c.state }, c.state)),
        el('div', { class: 'sub' }, c.url),
        el('div', {}, 'in ' + c.inputFps.toFixed(1) + ' fps, out ' + c.publishedFps.toFixed(1) + ' fps, last frame ' + age(c.lastFrameAtMs)),
        c.reason ? el('div', { class: 'error' }, c.reason) : null,
        remove)));
    if (c.state === 'STREAMING') snapshot(img, c.id);
  }
}

async function snapshot(img, id) {
  const kept = state.snaps[id];
  if (kept && Date.now() - kept.at < SNAPSHOT_EVERY_MS) {
    img.src = kept.url;
    return;
  }
  try {
    const r = await api('/api/v1/cameras/' + encodeURIComponent(id) + '/snapshot');
    if (!r.ok) { img.alt = 'no recent frame'; return; }
    const url = URL.createObjectURL(await r.blob());
    if (kept) URL.revokeObjectURL(kept.url);
    state.snaps[id] = { url, at: Date.now() };
    img.src = url;
  } catch (e) { img.alt = 'no image'; }
}

async function addCamera(event) {
  event.preventDefault();
  const f = event.target;
  $('camera-error').textContent = '';
  try {
    await json('/api/v1/cameras', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        id: field(f, 'id').value.trim(), url: field(f, 'url').value.trim(), fps: Number(field(f, 'fps').value)
      })
    });
    f.reset();
    cameras();
  } catch (e) { $('camera-error').textContent = e.message; }
}

// ---- people

async function people() {
  const { body } = await json('/api/v1/people?limit=200');
  const list = $('people-list');
  list.replaceChildren();
  $('people-empty').hidden = body.people.length > 0;
  for (const p of body.people) {
    const img = el('img', { alt: 'photo of ' + p.name });
    const remove = el('button', { class: 'danger write', type: 'button' }, 'Remove');
    remove.onclick = async () => {
      if (!confirm('Remove ' + p.name + ' and their photos?')) return;
      try { await json('/api/v1/people/' + encodeURIComponent(p.id), { method: 'DELETE' }); } catch (e) { alert(e.message); }
      people();
    };
    list.append(el('div', { class: 'item person', 'data-person': p.id }, img,
      el('div', { class: 'meta' },
        el('div', { class: 'title' }, p.name),
        el('div', { class: 'sub' }, p.id),
        el('div', {}, p.embeddings + ' embedding' + (p.embeddings === 1 ? '' : 's') +
          (p.threshold ? ', threshold ' + p.threshold : '')),
        remove)));
    if (p.photo) image(img, p.photo);
  }
}

function feedbackLine(f) {
  const li = el('li', { class: f.usable ? 'ok' : 'error', 'data-index': String(f.index) });
  li.append((f.usable ? '✓ ' : '✗ ') + (f.fileName || 'photo ' + (f.index + 1)) + ': ');
  if (f.usable) {
    li.append('face ' + f.faceSize + ' px, sharpness ' + f.sharpness);
  } else {
    li.append(f.problem);
  }
  for (const d of f.duplicates || []) {
    li.append(el('div', { class: 'error duplicate' },
      'looks like ' + d.name + ' (' + d.personId + '), similarity ' + d.similarity.toFixed(3)));
  }
  return li;
}

async function enrol(event) {
  event.preventDefault();
  const f = event.target;
  $('enrol-error').textContent = '';
  $('feedback').replaceChildren();
  const data = new FormData();
  data.append('id', field(f, 'id').value.trim());
  if (field(f, 'name').value.trim()) data.append('name', field(f, 'name').value.trim());
  for (const file of field(f, 'photo').files) data.append('photo', file, file.name);
  try {
    const { status, body } = await json('/api/v1/people', { method: 'POST', body: data });
    for (const p of body.photos) $('feedback').append(feedbackLine(p));
    if (status === 201) {
      $('enrol-error').className = 'ok';
      $('enrol-error').textContent = body.person.name + ' enrolled from ' + body.person.embeddings + ' photo(s).';
      f.reset();
      people();
    } else {
      $('enrol-error').className = 'error';
      $('enrol-error').textContent = body.error;
    }
  } catch (e) {
    $('enrol-error').className = 'error';
    $('enrol-error').textContent = e.message;
  }
}

// ---- alerts: polled from the search API, newest first

async function alerts() {
  const from = state.lastAlert || new Date(Date.now() - 24 * 3600 * 1000).toISOString();
  let body;
  try {
    body = (await json('/api/v1/alerts?limit=100&from=' + encodeURIComponent(from))).body;
    $('alerts-status').textContent = 'live';
  } catch (e) {
    $('alerts-status').textContent = e.message;
    return;
  }
  const list = $('alert-list');
  const seen = new Set([...list.children].map(li => li.dataset.alertId));
  for (const a of body.alerts.slice().reverse()) {
    if (seen.has(a.alertId)) continue;
    const img = el('img', { alt: 'face of ' + a.displayName, src: 'data:image/jpeg;base64,' + a.thumbnail });
    list.prepend(el('li', { class: 'item alert new', 'data-alert-id': a.alertId }, img,
      el('div', { class: 'meta' },
        el('div', { class: 'title' }, a.displayName || a.personId),
        el('div', { class: 'sub' }, a.personId),
        el('div', {}, 'camera ' + a.cameraId),
        el('div', {}, 'similarity ' + a.similarity.toFixed(3)),
        el('div', { class: 'sub' }, new Date(a.capturedAt).toLocaleString()))));
    if (!state.lastAlert || a.capturedAt > state.lastAlert) state.lastAlert = a.capturedAt;
  }
  $('alerts-empty').hidden = list.children.length > 0;
}

// ---- who is logged in: a viewer sees no forms it may not use

async function whoAmI() {
  const { body } = await json('/api/v1/me');
  $('who').textContent = body.name + ' (' + body.role + ')';
  document.body.classList.toggle('viewer', body.role === 'viewer');
}

// ---- views

const views = { cameras: [cameras, 5000], people: [people, 0], alerts: [alerts, 2000] };

async function show(view) {
  if (!views[view]) view = 'cameras';
  state.view = view;
  clearInterval(state.timer);
  for (const s of document.querySelectorAll('main > section')) s.hidden = s.id !== view;
  for (const a of document.querySelectorAll('nav a')) a.classList.toggle('active', a.dataset.view === view);
  const [load, every] = views[view];
  try { await load(); } catch (e) { return; }
  if (every) state.timer = setInterval(() => load().catch(() => {}), every);
}

document.addEventListener('DOMContentLoaded', () => {
  $('login-form').addEventListener('submit', async event => {
    event.preventDefault();
    state.token = $('token').value.trim();
    const r = await fetch('/api/v1/cameras', { headers: { Authorization: 'Bearer ' + state.token } });
    if (r.ok) {
      sessionStorage.setItem('vigil-token', state.token);
      $('token').value = '';
      $('logout').hidden = false;
      whoAmI().catch(() => {});
      show(location.hash.slice(1));
    } else {
      state.token = null;
      showLogin('That token was refused.');
    }
  });
  $('logout').addEventListener('click', () => {
    sessionStorage.removeItem('vigil-token');
    state.token = null;
    $('who').textContent = '';
    showLogin('');
  });
  $('camera-form').addEventListener('submit', addCamera);
  $('enrol-form').addEventListener('submit', enrol);
  window.addEventListener('hashchange', () => show(location.hash.slice(1)));
  $('logout').hidden = !state.token;
  whoAmI().catch(() => {});
  show(location.hash.slice(1));
});
