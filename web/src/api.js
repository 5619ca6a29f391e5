// The JSON API of `mineplan serve` (docs/api.md). Every call is same-origin, so the session
// cookie travels by itself; writes made with a session carry X-CSRF-Token.

export class ApiError extends Error {
  constructor(status, body, retryAfter) {
    const msg = (body && body.error) || `HTTP ${status}`;
    super(msg);
    this.status = status;
    this.body = body || {};
    this.field = body && body.field;
    this.retryAfter = retryAfter;
  }
}

let csrf = null;
export function setCsrf(token) { csrf = token || null; }
export function getCsrf() { return csrf; }

async function parse(res) {
  const type = res.headers.get('content-type') || '';
  if (res.status === 204) return null;
  if (type.includes('json')) {
    try { return await res.json(); } catch { return null; }
  }
  const text = await res.text();
  try { return JSON.parse(text); } catch { return text ? { error: text } : null; }
}

export async function request(method, path, { json, body, headers = {}, signal } = {}) {
  const h = { Accept: 'application/json', ...headers };
  let payload = body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    payload = JSON.stringify(json);
  }
  if (method !== 'GET' && method !== 'HEAD' && csrf) h['X-CSRF-Token'] = csrf;
  let res;
  try {
    res = await fetch(path, { method, headers: h, body: payload, credentials: 'same-origin', signal });
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(0, { error: `无法连接服务器（${e.message}）` });
  }
  const data = await parse(res);
  if (!res.ok) throw new ApiError(res.status, typeof data === 'object' ? data : { error: String(data) },
    res.headers.get('Retry-After'));
  return data;
}

export const get = (path, opts) => request('GET', path, opts);
export const post = (path, json, opts = {}) => request('POST', path, { ...opts, json });
export const qs = (params) => {
  const u = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null && v !== '') u.set(k, v);
  const s = u.toString();
  return s ? `?${s}` : '';
};

// Lists come as an array or wrapped in an object ({plans: […]}, {items: […]} …): take the array.
export function listOf(data, ...keys) {
  if (Array.isArray(data)) return data;
  if (data && typeof data === 'object') {
    for (const k of [...keys, 'items', 'results', 'rows', 'data']) if (Array.isArray(data[k])) return data[k];
    const arrays = Object.values(data).filter(Array.isArray);
    if (arrays.length === 1) return arrays[0];
  }
  return [];
}

// A path of several parts (`plan/zone`, `JURISDICTION/YEAR-Qn`): each part encoded, the slashes kept.
export const encPath = (id) => String(id).split('/').map(encodeURIComponent).join('/');

// Paths of the API, one place.
export const api = {
  session: () => get('/api/session'),
  login: (username, password) => post('/api/login', { username, password }),
  logout: () => post('/api/logout', {}),
  layers: () => get('/api/layers').then((d) => listOf(d, 'layers')),
  vocabulary: () => get('/api/vocabulary'),
  divisions: () => get('/api/divisions').then((d) => listOf(d, 'divisions')),
  minerals: () => get('/api/minerals').then((d) => listOf(d, 'minerals')),
  plans: () => get('/api/plans').then((d) => listOf(d, 'plans')),
  targets: (id) => get(`/api/plans/${encodeURIComponent(id)}/targets`).then((d) => listOf(d, 'targets')),
  indicators: (id, asOf) => get(`/api/plans/${encodeURIComponent(id)}/indicators${asOf ? `?as_of=${encodeURIComponent(asOf)}` : ''}`),
  // A zone's id is `plan/zone`: each segment is encoded on its own, the slash kept.
  feature: (layer, id) => get(`/api/features/${encodeURIComponent(layer)}/${String(id).split('/').map(encodeURIComponent).join('/')}`),
  search: (q) => get(`/api/search${qs({ q })}`).then((d) => listOf(d, 'results')),
  greenMines: () => get('/api/lists/green-mines').then((d) => listOf(d, 'mines')),
  notices: () => get('/api/notices').then((d) => listOf(d, 'notices')),
  auditHeads: () => get('/api/audit/heads'),
  review: (payload) => post('/api/reviews', payload),
  startImport: (file, layer, asOf) => request('POST',
    `/api/imports${qs({ layer, as_of: asOf, filename: file.name })}`,
    { body: file, headers: { 'Content-Type': 'application/octet-stream' } }),
  // Registries (docs/registries.md). Uids and draw ids hold slashes: each part encoded on its own.
  greenMine: (uid) => get(`/api/registry/green/${encPath(uid)}`),
  greenStep: (uid, step) => post(`/api/registry/green/${encPath(uid)}/steps`, step),
  lifecycle: (id) => get(`/api/registry/lifecycles/${encodeURIComponent(id)}`),
  program: (asOf) => get(`/api/registry/program${qs({ as_of: asOf })}`),
  programStep: (right, step) => post(`/api/registry/program/${encPath(right)}/steps`, step),
  ledger: (asOf) => get(`/api/registry/ledger${qs({ as_of: asOf })}`),
  ledgerStep: (id, step) => post(`/api/registry/ledger/${encodeURIComponent(id)}/steps`, step),
  legacy: (asOf) => get(`/api/registry/legacy${qs({ as_of: asOf })}`),
  legacyStep: (site, step) => post(`/api/registry/legacy/${encodeURIComponent(site)}/steps`, step),
  restoration: (uid) => get(`/api/registry/restoration/${encPath(uid)}`),
  restorationStep: (uid, step) => post(`/api/registry/restoration/${encPath(uid)}/steps`, step),
  due: (asOf) => get(`/api/due${qs({ as_of: asOf })}`),
  draws: () => get('/api/registry/draws').then((d) => listOf(d, 'draws')),
  verifyDraw: (id) => get(`/api/registry/draws/${encPath(id)}/verify`),
  job: (id) => get(`/api/jobs/${encodeURIComponent(id)}`),
};
