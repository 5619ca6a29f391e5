// 规划审查: the application form (docs/review.md), the boundary drawn on the map or uploaded as a
// coordinate file, POST /api/reviews, and the verdict with its findings on the table and map.
import { api, ApiError } from './api.js';
import { h, clear, $ } from './dom.js';
import {
  ACTION, APPLICANT_TYPE, CONDITIONS, OUTCOME, VERDICT, CHECK, METHOD, RIGHT_KIND, seedTitle, DIVISION_LEVEL, terms,
} from './labels.js';
import { session, isSignedIn, onSessionChange } from './session.js';
import * as mapApi from './map.js';

const UNITS = ['万吨/年', '万立方米/年', '立方米/日', '吨/年', '千克/年'];
const CATEGORY = { energy: '能源矿产', metal: '金属矿产', nonmetal: '非金属矿产', water_gas: '水气矿产' };
const CHANGE = { area: '范围', method: '开采方式', scale: '生产规模', mineral: '开采矿种' };

let root;
let form;
let minerals = [];
let divisions = [];
let loaded = false;

export function today() {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function field(label, input, attrs = {}) {
  return h('label', { class: 'field', ...attrs }, h('span', { class: 'field-label' }, label), input);
}

function select(name, testid, options, attrs = {}) {
  return h('select', { name, 'data-field': name, 'data-testid': testid, ...attrs },
    options.map(([v, t]) => h('option', { value: v }, t)));
}

export function initReview(el) {
  root = el;
  form = h('form', { class: 'review-form', 'data-testid': 'review-form', novalidate: true });
  const errorEl = h('div', { class: 'error-box', 'data-testid': 'review-error', role: 'alert', hidden: true });
  const resultEl = h('div', { class: 'review-result', 'data-testid': 'review-result', hidden: true });
  const loginHint = h('div', { class: 'hint', 'data-testid': 'review-login-hint' },
    '提交审查需要登录。', h('a', { href: '#/login' }, '登录'));

  const kind = select('kind', 'review-kind', Object.entries(RIGHT_KIND).reverse());
  const action = select('action', 'review-action', Object.entries(ACTION));
  const licence = h('input', { name: 'licence_no', 'data-field': 'licence_no', 'data-testid': 'review-licence', placeholder: '现有矿业权许可证号' });
  const licenceField = field('许可证号', licence);
  const changeBox = h('div', { class: 'checks', 'data-field': 'change' },
    Object.entries(CHANGE).map(([k, t]) => h('label', {}, h('input', { type: 'checkbox', name: `change.${k}`, value: k, 'data-testid': `review-change-${k}` }), t)));
  const changeField = field('变更内容', changeBox);
  const jurisdiction = h('select', { name: 'jurisdiction', 'data-field': 'jurisdiction', 'data-testid': 'review-jurisdiction' });
  const date = h('input', { type: 'date', name: 'date', 'data-field': 'date', 'data-testid': 'review-date', value: today() });
  const applicant = h('input', { name: 'applicant.name', 'data-field': 'applicant', 'data-testid': 'review-applicant', placeholder: '申请人名称' });
  const applicantType = select('applicant.type', 'review-applicant-type', Object.entries(APPLICANT_TYPE));
  const mineral = h('select', { name: 'mineral', 'data-field': 'minerals', 'data-testid': 'review-mineral' });
  const extra = h('select', { name: 'minerals_extra', multiple: true, size: 3, 'data-field': 'minerals', 'data-testid': 'review-minerals-extra' });
  const scale = h('input', { type: 'number', name: 'scale.value', min: '0', step: 'any', 'data-field': 'scale', 'data-testid': 'review-scale', placeholder: '数值' });
  const unit = select('scale.unit', 'review-scale-unit', UNITS.map((u) => [u, u]));
  const method = select('method', 'review-method', [['', '（未填）'], ...Object.entries(METHOD)]);
  const years = h('input', { type: 'number', name: 'service_years', min: '0', step: 'any', 'data-field': 'service_years', 'data-testid': 'review-service-years', placeholder: '年' });
  const temporary = h('input', { type: 'checkbox', name: 'temporary', 'data-field': 'temporary', 'data-testid': 'review-temporary' });
  const conditions = h('div', { class: 'checks', 'data-field': 'conditions_met' },
    Object.entries(CONDITIONS).map(([k, t]) => h('label', {},
      h('input', { type: 'checkbox', name: 'conditions_met', value: k, 'data-testid': `review-condition-${k}` }), t)));

  // The boundary: drawn on the map or a coordinate exchange file.
  const modeDraw = h('input', { type: 'radio', name: 'boundary_mode', value: 'draw', checked: true, 'data-testid': 'review-boundary-mode-draw' });
  const modeFile = h('input', { type: 'radio', name: 'boundary_mode', value: 'file', 'data-testid': 'review-boundary-mode-file' });
  const drawStatus = h('span', { class: 'muted', 'data-testid': 'review-draw-status' }, '未绘制');
  const drawBtn = h('button', { type: 'button', 'data-testid': 'review-draw-start' }, '在地图上绘制');
  const clearBtn = h('button', { type: 'button', 'data-testid': 'review-draw-clear' }, '清除');
  const file = h('input', { type: 'file', name: 'boundary_file', 'data-field': 'boundary', 'data-testid': 'review-boundary-file', accept: '.txt,.dat,.csv,text/plain' });
  const drawPane = h('div', { class: 'boundary-pane' }, drawBtn, ' ', clearBtn, ' ', drawStatus,
    h('div', { class: 'muted small' }, '单击地图逐点绘制，双击结束；可绘制多个地块。'));
  const filePane = h('div', { class: 'boundary-pane', hidden: true }, file,
    h('div', { class: 'muted small' }, '坐标交换文件（[属性描述]/[地块坐标]）或采矿权登记坐标文件，GBK/UTF-8 均可。'));
  const updateMode = () => {
    drawPane.hidden = !modeDraw.checked;
    filePane.hidden = !modeFile.checked;
    if (!modeDraw.checked) mapApi.stopDraw();
  };
  modeDraw.addEventListener('change', updateMode);
  modeFile.addEventListener('change', updateMode);
  const setDrawStatus = (n) => { drawStatus.textContent = n ? `已绘制 ${n} 个地块` : '未绘制'; };
  drawBtn.addEventListener('click', () => {
    mapApi.clearReview();
    mapApi.startDraw((n) => { setDrawStatus(n); });
    drawStatus.textContent = '绘制中：单击添加点，双击结束';
  });
  clearBtn.addEventListener('click', () => { mapApi.stopDraw(); mapApi.clearDrawn(); setDrawStatus(0); });

  const record = h('input', { type: 'checkbox', name: 'record', checked: true, 'data-testid': 'review-record' });
  const recordField = h('label', { class: 'inline', hidden: true }, record, ' 记录本次审查（生成审查意见书）');
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'review-submit' }, '提交审查');

  const updateAction = () => {
    licenceField.hidden = action.value === 'new';
    changeField.hidden = action.value !== 'change';
  };
  action.addEventListener('change', updateAction);
  mineral.addEventListener('change', () => {
    const m = minerals.find((x) => x.name === mineral.value);
    if (m && m.scale_unit && UNITS.includes(m.scale_unit)) unit.value = m.scale_unit;
  });

  clear(form,
    loginHint,
    h('fieldset', {}, h('legend', {}, '申请事项'),
      h('div', { class: 'row' }, field('矿业权类型', kind), field('申请类型', action)),
      licenceField, changeField,
      h('div', { class: 'row' }, field('行政区', jurisdiction), field('审查日期', date)),
      h('div', { class: 'row' }, field('申请人', applicant), field('申请人类型', applicantType)),
      h('div', { class: 'row' }, field('主矿种', mineral), field('共伴生矿种', extra)),
      h('div', { class: 'row' }, field('生产规模', h('span', { class: 'pair' }, scale, unit)), field('开采方式', method)),
      h('div', { class: 'row' }, field('服务年限（年）', years), h('label', { class: 'inline' }, temporary, ' 临时取料点'))),
    h('fieldset', {}, h('legend', {}, '已具备的准入条件'), conditions),
    h('fieldset', { 'data-field': 'boundary' }, h('legend', {}, '申请范围'),
      h('div', { class: 'checks' }, h('label', {}, modeDraw, '地图绘制'), h('label', {}, modeFile, '上传坐标文件')),
      drawPane, filePane),
    recordField,
    errorEl,
    h('div', { class: 'actions' }, submit));
  clear(root, h('h2', {}, '规划审查'), form, resultEl);
  updateAction();

  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    errorEl.hidden = true;
    for (const el of form.querySelectorAll('.invalid')) el.classList.remove('invalid');
    let payload;
    try {
      payload = await buildPayload({ modeFile, file });
    } catch (err) {
      showError(errorEl, err.message, err.field);
      return;
    }
    submit.disabled = true;
    submit.textContent = '审查中…';
    try {
      const answer = await api.review(payload);
      renderResult(resultEl, answer);
      mapApi.stopDraw();
      mapApi.showReview(answer.boundary, answer.features);
    } catch (err) {
      resultEl.hidden = true;
      if (err instanceof ApiError) showError(errorEl, errorText(err), err.field);
      else showError(errorEl, `审查失败：${err.message}`);
    } finally {
      submit.disabled = false;
      submit.textContent = '提交审查';
    }
  });

  const sync = () => {
    loginHint.hidden = isSignedIn();
    submit.disabled = !isSignedIn();
    const u = session.user;
    recordField.hidden = !(u && /_staff$|^reviewer$/.test(u.role || ''));
    if (u && u.role === 'holder' && u.holder) {
      applicant.value = u.holder;
      applicant.readOnly = true;
    } else {
      applicant.readOnly = false;
    }
    if (u && u.jurisdiction && jurisdiction.options.length) jurisdiction.value = u.jurisdiction;
  };
  onSessionChange(sync);
  sync();
  form.sync = sync;
}

function errorText(err) {
  const msg = err.message;
  switch (err.status) {
    case 401: return `请先登录：${msg}`;
    case 403: return `无权提交：${msg}`;
    case 413: return `文件过大：${msg}`;
    case 0: return msg;
    default: return err.status >= 400 && err.status < 500 ? `申请有误：${msg}` : `服务器错误（${err.status}）：${msg}`;
  }
}

const FIELD_NAME = {
  kind: '矿业权类型', action: '申请类型', jurisdiction: '行政区', date: '审查日期', applicant: '申请人',
  'applicant.name': '申请人', 'applicant.type': '申请人类型', licence_no: '许可证号', minerals: '矿种',
  scale: '生产规模', 'scale.value': '生产规模', 'scale.unit': '规模单位', method: '开采方式',
  service_years: '服务年限', boundary: '申请范围', boundary_file: '坐标文件', conditions_met: '准入条件',
  change: '变更内容', temporary: '临时取料点', record: '记录',
};

function showError(el, text, fieldPath) {
  clear(el, h('strong', {}, text));
  if (fieldPath) {
    const path = String(fieldPath).replace(/^application\./, '');
    const head = path.split(/[.[]/)[0];
    const name = FIELD_NAME[path] || FIELD_NAME[head];
    el.append(h('span', { class: 'error-field', 'data-testid': 'review-error-field' }, `（字段：${name ? `${name} ` : ''}${fieldPath}）`));
    const target = form.querySelector(`[data-field="${CSS.escape(path)}"]`) ||
      form.querySelector(`[data-field="${CSS.escape(head)}"]`) ||
      (path.startsWith('boundary') ? form.querySelector('[data-field="boundary"]') : null);
    if (target) target.classList.add('invalid');
  }
  el.hidden = false;
  el.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
}

// Loads the divisions and minerals once the view is first opened.
export async function loadReviewLists() {
  if (loaded) return;
  loaded = true;
  const [divs, mins] = await Promise.allSettled([api.divisions(), api.minerals()]);
  const jurisdiction = $('[data-testid="review-jurisdiction"]', form);
  const mineral = $('[data-testid="review-mineral"]', form);
  const extra = $('[data-testid="review-minerals-extra"]', form);
  if (divs.status === 'fulfilled') {
    divisions = divs.value.slice().sort((a, b) => String(a.code).localeCompare(String(b.code)));
    clear(jurisdiction);
    for (const d of divisions) {
      const pad = d.level === 'county' ? '\u3000\u3000' : d.level === 'league' ? '\u3000' : '';
      jurisdiction.append(h('option', { value: d.code }, `${pad}${d.name}（${d.code}${DIVISION_LEVEL[d.level] ? ` ${DIVISION_LEVEL[d.level]}` : ''}）`));
    }
  } else {
    loaded = false;
    jurisdiction.append(h('option', { value: '' }, '行政区列表读取失败'));
  }
  if (mins.status === 'fulfilled') {
    minerals = mins.value;
    clear(mineral, h('option', { value: '' }, '（请选择）'));
    clear(extra);
    const groups = {};
    for (const m of minerals) (groups[m.category] ||= []).push(m);
    for (const [cat, list] of Object.entries(groups)) {
      const opts = list.map((m) => h('option', { value: m.name }, m.name));
      mineral.append(h('optgroup', { label: CATEGORY[cat] || cat || '其他' }, opts));
      extra.append(h('optgroup', { label: CATEGORY[cat] || cat || '其他' }, list.map((m) => h('option', { value: m.name }, m.name))));
    }
  } else {
    loaded = false;
  }
  if (form.sync) form.sync();
}

function toBase64(buf) {
  const bytes = new Uint8Array(buf);
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

function fail(message, fieldPath) {
  const e = new Error(message);
  e.field = fieldPath;
  return e;
}

async function buildPayload({ modeFile, file }) {
  const fd = new FormData(form);
  const val = (k) => String(fd.get(k) ?? '').trim();
  const app = {
    kind: val('kind'),
    action: val('action'),
    jurisdiction: val('jurisdiction'),
    date: val('date'),
    applicant: { name: val('applicant.name'), type: val('applicant.type') },
  };
  if (app.action !== 'new') app.licence_no = val('licence_no');
  const main = val('mineral');
  if (!main) throw fail('请选择主矿种', 'minerals');
  app.minerals = [main, ...fd.getAll('minerals_extra').map(String).filter((m) => m && m !== main)];
  const scale = val('scale.value');
  if (scale !== '') app.scale = { value: Number(scale), unit: val('scale.unit') };
  if (val('method')) app.method = val('method');
  if (val('service_years') !== '') app.service_years = Number(val('service_years'));
  if (fd.get('temporary')) app.temporary = true;
  if (app.action === 'change') {
    app.change = Object.fromEntries(Object.keys(CHANGE).map((k) => [k, !!fd.get(`change.${k}`)]));
  }
  const conds = fd.getAll('conditions_met').map(String);
  if (conds.length) app.conditions_met = conds;

  const payload = { application: app };
  if (modeFile.checked) {
    const f = file.files && file.files[0];
    if (!f) throw fail('请选择坐标文件', 'boundary');
    if (f.size > 1024 * 1024 * 0.7) throw fail('坐标文件过大（上限约 700 KB）', 'boundary');
    payload.boundary_file = { name: f.name, content_base64: toBase64(await f.arrayBuffer()) };
  } else {
    const g = mapApi.drawnGeometry();
    if (g) app.boundary = g;
  }
  const rec = form.querySelector('[data-testid="review-record"]');
  if (rec && !rec.closest('label').hidden && !rec.checked) payload.record = false;
  return payload;
}

// ---- the answer ------------------------------------------------------------------------
const OUTCOME_ORDER = ['fail', 'attention', 'pass', 'n/a'];

function renderResult(el, answer) {
  const result = answer.result || answer;
  const findings = Array.isArray(result.findings) ? result.findings : [];
  const counts = {};
  for (const f of findings) if (!f.superseded_by) counts[f.outcome] = (counts[f.outcome] || 0) + 1;
  const verdict = result.verdict;
  const opinion = answer.opinion;
  clear(el, 
    h('div', { class: `verdict verdict-${verdict}` },
      h('span', { class: 'verdict-label' }, '审查结论：'),
      h('strong', { 'data-testid': 'review-verdict', 'data-verdict': verdict }, VERDICT[verdict] || verdict || '—'),
      answer.record_id !== null && answer.record_id !== undefined
        ? h('span', { class: 'muted', 'data-testid': 'review-record-id' }, ` 记录号 ${answer.record_id}`) : h('span', { class: 'muted' }, ' （未记录）')),
    h('div', { class: 'counts', 'data-testid': 'review-counts' },
      OUTCOME_ORDER.filter((o) => counts[o]).map((o) => h('span', { class: `badge outcome-${cls(o)}` }, `${OUTCOME[o]} ${counts[o]}`))),
    Array.isArray(result.plans) && result.plans.length ? h('div', { class: 'plans-applied' }, '适用规划：',
      result.plans.map((p, i) => h('span', { title: `版本 ${p.version || ''}` }, i ? '；' : '', p.title || p.id))) : null,
    h('div', { class: 'actions' },
      h('button', {
        type: 'button', class: 'primary', 'data-testid': 'review-opinion', disabled: !opinion,
        title: opinion ? '' : '未记录的审查没有审查意见书',
        onclick: () => { if (opinion) window.open(opinion, '_blank'); },
      }, '打印审查意见书')),
    findingsTable(findings));
  el.hidden = false;
  el.scrollIntoView({ block: 'start', behavior: 'smooth' });
}

const cls = (o) => (o === 'n/a' ? 'na' : o);

// Evidence keys as the opinion names them (vocabulary set "evidence_keys"); areas in m².
function evidenceLabel(k) {
  const t = terms('evidence_keys').find((x) => x.value === k);
  if (!t) return k;
  return k.endsWith('_m2') ? `${t.label}（m²）` : t.label;
}
const methodAny = () => ({ any: '不限', ...METHOD });

function evidenceText(ev) {
  if (!ev || typeof ev !== 'object') return '';
  const parts = [];
  for (const [k, v] of Object.entries(ev)) {
    if (v === null || v === undefined || v === '') continue;
    const label = evidenceLabel(k);
    if (Array.isArray(v)) {
      if (v.length) parts.push(`${label}：${v.map((x) => (typeof x === 'object' && x ? (x.name || x.uid || x.id || JSON.stringify(x)) : x)).join('、')}`);
      continue;
    }
    if (typeof v === 'object') { parts.push(`${label}：${JSON.stringify(v)}`); continue; }
    let text = typeof v === 'number' ? String(Math.round(v * 100) / 100) : String(v);
    if (k === 'method') text = methodAny()[v] || text;
    if (k === 'best_share' && typeof v === 'number' && v <= 1) text = `${Math.round(v * 1000) / 10}%`;
    parts.push(`${label}：${text}`);
  }
  return parts.join('；');
}

function findingsTable(findings) {
  return h('table', { class: 'grid findings', 'data-testid': 'findings-table' },
    h('thead', {}, h('tr', {}, ['结论', '审查内容', '依据'].map((t) => h('th', {}, t)))),
    h('tbody', {}, findings.map((f) => {
      const c = f.citation || {};
      return h('tr', {
        class: `outcome-${cls(f.outcome)}${f.superseded_by ? ' superseded' : ''}`,
        'data-testid': 'finding-row', 'data-rule': f.rule, 'data-outcome': f.outcome,
      },
      h('td', { class: 'outcome' }, h('span', { class: `badge outcome-${cls(f.outcome)}` }, OUTCOME[f.outcome] || f.outcome)),
      h('td', { class: 'message' },
        h('div', { class: 'check' }, h('strong', {}, CHECK[f.check] || f.check || ''), ' ', h('code', { class: 'rule' }, f.rule)),
        h('div', { class: 'text' }, f.message),
        f.superseded_by ? h('div', { class: 'muted small' }, `（从严适用 ${f.superseded_by}，本条不作结论依据）`) : null,
        evidenceText(f.evidence) ? h('div', { class: 'evidence small' }, evidenceText(f.evidence)) : null),
      h('td', { class: 'cite', title: c.quote || '' },
        c.seed ? h('div', {}, seedTitle(c.seed)) : null,
        c.section ? h('div', {}, c.section) : null,
        c.quote ? h('div', { class: 'quote small' }, `“${c.quote}”`) : null,
        !c.seed && !c.section && typeof f.citation === 'string' ? f.citation : null));
    })));
}
