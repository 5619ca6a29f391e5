// Chinese labels of the values and fields the API returns. They are data: the server's
// data/vocabulary.json, read once at start-up from GET /api/vocabulary (loadVocabulary, called
// by main.js before any view is built). The tables below are filled in place, so modules that
// import them see the labels once the vocabulary is loaded.
import { api } from './api.js';

export const ROLE = {};
export const LAYER_TITLE = {};
export const ZONE_KIND = {};
export const RIGHT_KIND = {};
export const STATUS = {};
export const SCALE_CLASS = {};
export const GREEN_LEVEL = {};
export const METHOD = {};
export const DIVISION_LEVEL = {};
export const PLAN_LEVEL = {};
export const TARGET_KIND = {};
export const ACTION = {};
export const APPLICANT_TYPE = {};
export const CONDITIONS = {};
export const OUTCOME = {};
export const VERDICT = {};
export const CHECK = {};
export const SEED = {};
export const DUE_STATUS = {};
export const REGISTRY = {};
export const FIELD = {};

// Vocabulary set -> the table above it fills.
const TABLES = {
  roles: ROLE, layers: LAYER_TITLE, zone_kinds: ZONE_KIND, right_kinds: RIGHT_KIND, statuses: STATUS,
  scale_classes: SCALE_CLASS, green_levels: GREEN_LEVEL, methods: METHOD, division_levels: DIVISION_LEVEL,
  plan_levels: PLAN_LEVEL, target_kinds: TARGET_KIND, actions: ACTION, applicant_types: APPLICANT_TYPE,
  conditions: CONDITIONS, outcomes: OUTCOME, verdicts: VERDICT, checks: CHECK, seeds: SEED,
  due_statuses: DUE_STATUS, registries: REGISTRY, fields: FIELD,
};

// The whole vocabulary as served: { about, sets: { name: { about, values: [{value, label, en,
// map, print}] } }, symbols: { name: { label, map, print } } }.
export const vocabulary = { sets: {}, symbols: {} };

// The values of a set in the vocabulary's order (the legend order): [{value, label, map …}].
export function terms(set) {
  return (vocabulary.sets[set] && vocabulary.sets[set].values) || [];
}

// Fills the tables from a vocabulary document (GET /api/vocabulary).
export function useVocabulary(doc) {
  vocabulary.about = doc.about;
  vocabulary.sets = doc.sets || {};
  vocabulary.symbols = doc.symbols || {};
  for (const [set, table] of Object.entries(TABLES)) {
    for (const k of Object.keys(table)) delete table[k];
    for (const t of terms(set)) table[t.value] = t.label;
  }
}

let loading = null;
// Reads the vocabulary once; later calls share the first request.
export function loadVocabulary() {
  if (!loading) loading = api.vocabulary().then(useVocabulary);
  return loading;
}

export function seedTitle(seed) {
  if (!seed) return '';
  const t = SEED[String(seed).slice(0, 3)];
  return t ? `《${t}》` : seed;
}

// Field names of features, plans, mines and notices: FIELD (vocabulary set "fields").
export function fieldLabel(k) { return FIELD[k] || k; }

// A property value in Chinese where a vocabulary applies.
export function valueLabel(key, v, props = {}) {
  if (v === undefined || v === null || v === '') return '—';
  switch (key) {
    case 'kind':
      return ZONE_KIND[v] || RIGHT_KIND[v] || TARGET_KIND[v] || v;
    case 'status': return STATUS[v] || v;
    case 'scale_class': return SCALE_CLASS[v] || v;
    case 'green_level': return GREEN_LEVEL[v] || v;
    case 'method': return METHOD[v] || v;
    case 'level': return DIVISION_LEVEL[v] || v;
    case 'role': return ROLE[v] || v;
    case 'verdict': return VERDICT[v] || v;
    case 'outcome': return OUTCOME[v] || v;
    default: break;
  }
  if (Array.isArray(v)) return v.map((x) => (typeof x === 'object' ? JSON.stringify(x) : x)).join('、');
  if (typeof v === 'object') {
    if ('value' in v && 'unit' in v) return `${v.value} ${v.unit}`;
    if ('seed' in v && 'section' in v) return `${seedTitle(v.seed)} ${v.section}`;
    return JSON.stringify(v);
  }
  if (typeof v === 'string' && v.startsWith('[') && v.endsWith(']')) {
    try { const a = JSON.parse(v); if (Array.isArray(a)) return a.join('、'); } catch { /* plain text */ }
  }
  void props;
  return String(v);
}

// The lifecycles' states, steps and parameters with their Chinese labels are data
// (data/lifecycles/*.json): the portal reads them from GET /api/registry/lifecycles/{id} and
// from each `next` step's `fields` (registry.js), never from a copy here.
// A refused step or request in Chinese: what kind of refusal, then the server's reason.
// paramLabel(name) names the field at fault (from the lifecycle), when there is one.
export function apiErrorText(err, paramLabel = () => '') {
  const kind = {
    0: '', 400: '填写有误', 401: '请先登录', 403: '无权办理', 404: '未找到', 409: '当前状态不允许此操作',
  }[err && err.status];
  const field = err && err.field ? (paramLabel(String(err.field).split('.').pop()) || (err.field === 'role' ? '角色' : '')) : '';
  const msg = err && err.message ? err.message : String(err);
  return [kind ?? `请求失败（${err.status}）`, field ? `〔${field}〕` : '', kind === '' ? msg : `：${msg}`].join('');
}
