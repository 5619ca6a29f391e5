// Registries in the 公示名录 view (docs/registries.md, docs/api.md):
// a green mine's lifecycle (GET /api/registry/green/{uid}) with its steps and, for signed-in
// users who get `next`, forms for the allowed steps (POST …/steps); the due list (GET /api/due);
// the random-inspection draws (GET /api/registry/draws) with their verification.
import { api, encPath } from './api.js';
import { h, clear, table, fmtValue } from './dom.js';
import {
  GREEN_STATE, GREEN_EVENT, GREEN_LEVEL, ROLE, DUE_STATUS, REGISTRY,
  stepParam, stepParamValue, apiErrorText,
} from './labels.js';
import { session } from './session.js';

// Today in the browser's time zone, YYYY-MM-DD.
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export const greenHref = (uid) => `#/lists/green/${encPath(uid)}`;
export const uidFromArg = (arg) => arg.split('/').map((p) => decodeURIComponent(p)).join('/');

const stateLabel = (s) => GREEN_STATE[s] || s || '—';
const eventLabel = (e) => GREEN_EVENT[e] || e;

// The parameters of a step (its `data`) as 「名称：值」 lines.
function stepData(data) {
  if (!data || typeof data !== 'object') return '—';
  const entries = Object.entries(data).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return '—';
  return h('div', {}, entries.map(([k, v]) => h('div', { class: 'small' },
    h('span', { class: 'muted' }, `${k === 'deadline' ? '期限' : stepParam(k).label}：`), stepParamValue(k, v))));
}

// ---- green mine detail -------------------------------------------------------------------

export async function showGreenMine(root, uid) {
  const panel = h('section', { class: 'list-section registry-detail', 'data-testid': 'green-detail' },
    h('div', { class: 'muted' }, '正在读取…'));
  clear(root,
    h('div', { class: 'crumbs' }, h('a', { href: '#/lists', 'data-testid': 'green-detail-back' }, '← 返回公示名录')),
    panel);
  await renderGreenMine(panel, uid);
}

async function renderGreenMine(panel, uid, notice) {
  let d;
  try {
    d = await api.greenMine(uid);
  } catch (e) {
    clear(panel, h('div', { class: 'error-box', 'data-testid': 'green-detail-error' },
      e.status === 404 ? '未找到该矿山，或其名录状态尚未公开。' : `无法读取：${apiErrorText(e)}`));
    return;
  }
  const mine = d.mine || {};
  const deadline = d.deadline && d.deadline.date
    ? h('span', { class: d.deadline.date < today() ? 'overdue' : '', 'data-testid': 'green-deadline' },
      `${d.deadline.label || '期限'}：${d.deadline.date}${d.deadline.date < today() ? '（已逾期）' : ''}`)
    : null;
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, '矿业权人'), h('dd', {}, mine.holder || '—'),
    h('dt', {}, '行政区'), h('dd', {}, mine.jurisdiction_name || mine.jurisdiction || '—'),
    h('dt', {}, '名录级别'), h('dd', {}, GREEN_LEVEL[d.level] || d.level || '—'),
    h('dt', {}, '当前状态'), h('dd', {},
      h('span', { class: `badge green-state state-${d.state}`, 'data-testid': 'green-state' }, d.state_label || stateLabel(d.state)),
      d.since ? h('span', { class: 'muted small' }, ` 自 ${d.since}`) : null,
      d.from_register && !d.since ? h('span', { class: 'muted small' }, ' （名录原有矿山）') : null),
    deadline ? h('dt', {}, '期限') : null, deadline ? h('dd', {}, deadline) : null);

  const steps = d.steps || [];
  const showWho = steps.some((s) => s.who);
  const cols = [
    { key: 'date', label: '日期' },
    { key: 'event', label: '环节', render: (s) => eventLabel(s.event) },
    { key: 'to', label: '状态变化', render: (s) => (s.to && s.to !== s.from ? `${stateLabel(s.from)} → ${stateLabel(s.to)}` : '（状态不变）') },
    showWho ? { key: 'who', label: '办理人', render: (s) => [s.who, s.role ? `（${ROLE[s.role] || s.role}）` : ''].filter(Boolean).join('') } : null,
    { key: 'data', label: '内容', render: (s) => stepData(s.data) },
  ].filter(Boolean);
  const stepsBox = steps.length
    ? table(steps, cols, { 'data-testid': 'green-steps-table' })
    : h('div', { class: 'muted', 'data-testid': 'green-steps-empty' },
      d.from_register ? '暂无办理记录（该矿山依名录原有记录列入）。' : '暂无办理记录。');

  const formHost = h('div', { 'data-testid': 'step-form-host' });
  const next = Array.isArray(d.next) ? d.next : null;
  const mayStep = next && session.user && /(_staff|reviewer|holder)$/.test(session.user.role || '');
  const nextBox = mayStep
    ? h('div', { class: 'next-steps' },
      h('h4', {}, '可办理的环节'),
      next.length
        ? h('div', { class: 'actions wrap', 'data-testid': 'green-next' }, next.map((n) => h('button', {
          type: 'button', 'data-testid': 'next-step', 'data-event': n.event,
          onclick: () => openStepForm(formHost, uid, n, () => renderGreenMine(panel, uid, `已登记：${n.label || eventLabel(n.event)}`)),
        }, n.label || eventLabel(n.event))))
        : h('div', { class: 'muted' }, '当前状态下没有可办理的环节。'),
      session.user.role === 'holder' ? h('div', { class: 'muted small' }, '矿业权人的申报事项由主管部门登记。') : null,
      formHost)
    : null;

  clear(panel,
    h('h3', { 'data-testid': 'green-detail-name' }, mine.name || uid),
    h('div', { class: 'muted small' }, `绿色矿山名录 · ${uid}`),
    notice ? h('div', { class: 'ok-box', 'data-testid': 'step-done', role: 'status' }, notice) : null,
    facts,
    h('h4', {}, d.full_history ? '办理记录' : '办理记录（公开部分）'),
    stepsBox,
    nextBox);
}

function fieldFor(name, required) {
  const p = stepParam(name);
  const attrs = { name, 'data-testid': `step-field-${name}`, required: required || undefined };
  let input;
  if (p.type === 'enum') {
    input = h('select', attrs, h('option', { value: '' }, required ? '请选择' : '（不填）'),
      Object.entries(p.values || {}).map(([v, l]) => h('option', { value: v }, l)));
  } else if (p.type === 'date') {
    input = h('input', { ...attrs, type: 'date' });
  } else if (p.type === 'year' || p.type === 'number') {
    input = h('input', { ...attrs, type: 'number', step: p.type === 'year' ? 1 : 'any', placeholder: p.type === 'year' ? String(new Date().getFullYear() - 1) : '' });
  } else {
    input = h('input', { ...attrs, type: 'text' });
  }
  return { name, p, input, el: h('label', { class: 'field' }, h('span', { class: 'field-label' }, `${p.label}${required ? ' *' : ''}`), input) };
}

function openStepForm(host, uid, step, onDone) {
  const date = h('input', { type: 'date', name: 'date', value: today(), required: true, 'data-testid': 'step-field-date' });
  const fields = [...(step.required || []).map((n) => fieldFor(n, true)), ...(step.optional || []).map((n) => fieldFor(n, false))];
  const error = h('div', { class: 'error-box', role: 'alert', 'data-testid': 'step-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'step-submit' }, '提交');
  const form = h('form', { class: 'step-form', 'data-testid': 'step-form', 'data-event': step.event },
    h('h4', {}, `办理：${step.label || eventLabel(step.event)}`),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '日期 *'), date),
    fields.map((f) => f.el),
    error,
    h('div', { class: 'actions' }, submit,
      h('button', { type: 'button', 'data-testid': 'step-cancel', onclick: () => clear(host) }, '取消')));
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    error.hidden = true;
    const body = { event: step.event, date: date.value };
    for (const f of fields) {
      const v = f.input.value.trim();
      if (v === '') continue;
      body[f.name] = (f.p.type === 'year' || f.p.type === 'number') && Number.isFinite(Number(v)) ? Number(v) : v;
    }
    submit.disabled = true;
    try {
      await api.greenStep(uid, body);
      clear(host);
      await onDone();
    } catch (err) {
      error.textContent = apiErrorText(err);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  clear(host, form);
  (fields[0] ? fields[0].input : date).focus();
}

// ---- due list ------------------------------------------------------------------------------

export function maySeeDue() {
  const role = session.user && session.user.role;
  return !!role && (/_staff$/.test(role) || role === 'holder');
}

export async function dueSection() {
  const asOf = today();
  let data;
  try {
    data = await api.due(asOf);
  } catch (e) {
    return h('div', { class: 'error-box', 'data-testid': 'due-error' }, `无法读取：${apiErrorText(e)}`);
  }
  const items = (data && data.items) || [];
  const head = h('div', { class: 'muted small' },
    `截至 ${data.as_of || asOf}，${data.within_days ?? 90} 天内到期及已逾期事项共 ${items.length} 条`,
    items.length ? `（已逾期 ${items.filter((i) => i.status === 'overdue').length} 条）` : '');
  if (!items.length) return h('div', {}, head, h('div', { class: 'muted', 'data-testid': 'due-table-empty' }, '暂无待办事项。'));
  const overdue = (r) => (r.status === 'overdue' ? { class: 'overdue' } : {});
  const cols = [
    { key: 'label', label: '事项', render: (r) => h('div', {}, r.label || r.rule, r.detail ? h('div', { class: 'muted small' }, r.detail) : null) },
    { key: 'registry', label: '类别', render: (r) => REGISTRY[r.registry] || r.registry || '—' },
    {
      key: 'subject', label: '对象',
      render: (r) => (r.registry === 'green-mine' && r.subject
        ? h('a', { href: greenHref(r.subject), 'data-testid': 'due-subject' }, r.name || r.subject)
        : (r.name || r.subject || '—')),
    },
    { key: 'holder', label: '矿业权人' },
    { key: 'due', label: '到期日' },
    {
      key: 'status', label: '状态',
      render: (r) => h('span', { class: `badge ${r.status === 'overdue' ? 'status-bad' : 'status-warn'}`, 'data-testid': `due-status-${r.status}` }, DUE_STATUS[r.status] || r.status),
    },
  ].map((c) => ({ ...c, tdAttrs: overdue }));
  return h('div', {}, head, table(items, cols, { 'data-testid': 'due-table', class: 'grid due' }));
}

// ---- inspection draws -------------------------------------------------------------------

export async function drawsSection(names = new Map()) {
  let draws;
  try {
    draws = await api.draws();
  } catch (e) {
    return h('div', { class: 'error-box' }, `无法读取：${apiErrorText(e)}`);
  }
  if (!draws.length) return h('div', { class: 'muted', 'data-testid': 'draws-table-empty' }, '暂无抽查批次。');
  const mineName = (uid) => names.get(uid) || uid;
  const cols = [
    { key: 'id', label: '批次' },
    { key: 'date', label: '抽取日期' },
    { key: 'quarter', label: '年度季度', render: (r) => (r.year ? `${r.year} 年第 ${r.quarter} 季度` : '—') },
    { key: 'listed', label: '名录矿山', render: (r) => fmtValue(r.listed) },
    { key: 'population', label: '抽取范围', render: (r) => (Array.isArray(r.population) ? `${r.population.length} 座` : '—') },
    { key: 'year_quota', label: '全年应抽', render: (r) => fmtValue(r.year_quota) },
    {
      key: 'drawn', label: '抽中矿山及检查专家',
      render: (r) => h('div', {}, (r.drawn || []).map((u) => h('div', { class: 'small' },
        h('a', { href: greenHref(u) }, mineName(u)),
        r.inspectors && r.inspectors[u] ? h('span', { class: 'muted' }, `（${r.inspectors[u].join('、')}）`) : null))),
    },
    { key: 'seed', label: '随机种子', render: (r) => h('code', { class: 'small' }, String(r.seed ?? '—')) },
    {
      key: 'verify', label: '校验',
      render: (r) => {
        const out = h('div', { class: 'small', 'data-testid': 'draw-verify-result' });
        const btn = h('button', {
          type: 'button', 'data-testid': 'draw-verify', 'data-draw': r.id,
          onclick: async () => {
            btn.disabled = true;
            clear(out, h('span', { class: 'muted' }, '正在校验…'));
            try {
              const v = await api.verifyDraw(r.id);
              const problems = v.problems || [];
              clear(out, v.ok
                ? h('span', { class: 'badge status-ok', 'data-ok': '1' }, '校验一致')
                : h('span', { class: 'badge status-bad', 'data-ok': '0' }, '校验不一致'),
              v.ok ? h('div', { class: 'muted' }, '按记录的随机种子重新抽取，结果与公布一致。') : null,
              problems.map((p) => h('div', { class: 'error' }, typeof p === 'string' ? p : JSON.stringify(p))));
            } catch (e) {
              clear(out, h('span', { class: 'error' }, apiErrorText(e)));
            } finally {
              btn.disabled = false;
            }
          },
        }, '校验');
        return h('div', {}, btn, out);
      },
    },
  ];
  return table(draws, cols, { 'data-testid': 'draws-table' });
}
