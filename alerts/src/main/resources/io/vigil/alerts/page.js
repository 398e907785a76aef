(() => {
  const params = new URLSearchParams(location.search);
  const filters = new URLSearchParams();
  for (const k of ['camera', 'person']) if (params.get(k)) filters.set(k, params.get(k));
  const qs = filters.toString() ? '&' + filters.toString() : '';
  const list = document.getElementById('alerts');
  const status = document.getElementById('status');
  const seen = new Set();

  function text(tag, cls, value) { const e = document.createElement(tag); e.className = cls; e.textContent = value; return e; }

  function render(a, fresh) {
    if (seen.has(a.alertId)) return;
    seen.add(a.alertId);
    document.getElementById('empty').hidden = true;
    const li = document.createElement('li');
    li.className = 'alert' + (fresh ? ' new' : '');
    li.dataset.alertId = a.alertId;
    li.dataset.camera = a.cameraId;
    li.dataset.person = a.personId;
    const img = document.createElement('img');
    img.alt = 'face of ' + a.displayName;
    if (a.thumbnail) img.src = 'data:image/jpeg;base64,' + a.thumbnail;
    const info = document.createElement('div');
    info.className = 'meta';
    info.append(text('div', 'who', a.displayName), text('div', 'id', a.personId));
    info.append(text('div', 'camera', 'camera ' + a.cameraId));
    info.append(text('div', 'sim', 'similarity ' + a.similarity.toFixed(3) + ' (threshold ' + a.threshold.toFixed(2) + ')'));
    info.append(text('div', 'time', new Date(a.capturedAt).toLocaleString() + ' · ' + a.latencyMs + ' ms'));
    li.append(img, info);
    li.tabIndex = 0;
    li.title = 'open the whole frame';
    li.addEventListener('click', () => open(a));
    li.addEventListener('keydown', e => { if (e.key === 'Enter') open(a); });
    list.prepend(li);
  }

  // the evidence: the whole frame with the face boxed, while the frames topic still holds it
  const viewer = document.getElementById('frame');
  const frameImg = document.getElementById('frame-img');
  const frameNote = document.getElementById('frame-note');
  function open(a) {
    frameNote.textContent = a.displayName + ' · camera ' + a.cameraId + ' · ' + new Date(a.capturedAt).toLocaleString();
    frameImg.hidden = true;
    frameImg.onload = () => { frameImg.hidden = false; };
    frameImg.onerror = () => {
      fetch('/alerts/' + encodeURIComponent(a.alertId) + '/frame').then(loginAgain)
        .then(r => r.ok ? null : r.json()).then(j => { if (j) frameNote.textContent = j.error || 'frame unavailable'; });
    };
    frameImg.dataset.alertId = a.alertId;
    frameImg.src = '/alerts/' + encodeURIComponent(a.alertId) + '/frame';
    viewer.showModal();
  }
  document.getElementById('frame-close').addEventListener('click', () => viewer.close());

  // the session cookie travels with every same-origin request; when it has expired, log in again
  function loginAgain(r) { if (r.status === 401) location.assign('/login'); return r; }

  fetch('/alerts/recent?limit=50' + qs).then(loginAgain).then(r => r.ok ? r.json() : []).then(alerts => {
    alerts.slice().reverse().forEach(a => render(a, false));
  });

  function connect() {
    const es = new EventSource('/alerts/stream?' + filters.toString());
    es.onopen = () => { status.textContent = 'live'; status.className = 'live'; };
    es.addEventListener('alert', e => render(JSON.parse(e.data), true));
    es.onerror = () => {
      status.textContent = 'reconnecting…'; status.className = 'down';
      fetch('/alerts/recent?limit=1').then(loginAgain);
    };
  }
  connect();
})();
