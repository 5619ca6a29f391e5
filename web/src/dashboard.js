// 规划指标: a plan's targets (GET /api/plans/{id}/targets) with their values computed from the
// register as of a date (GET /api/plans/{id}/indicators): a table with status and the yearly
// change still needed, and small SVG bar charts drawn here (base, milestones, now, target,
// outlook), binding targets marked; the evaluation report opens for printing.
import { api } from './api.js';
import { h, s, clear } from './dom.js';
import { TARGET_KIND, PLAN_LEVEL, seedTitle } from './labels.js';

const CMP = { '<=': '≤', '>=': '≥', '=': '=', '<': '<', '>': '>', range: '介于' };
let root;
let plans = null;
let currentPlan = null;
let asOf = new Date().toISOString().slice(0, 10);
const STATUS_CLASS = { met: 'ok', on_track: 'ok', at_risk: 'warn', off_track: 'bad', no_data: 'muted' };

export function initDashboard(el) {
  root = el;
}

export async function showDashboard(planId) {
  if (!plans) {
    clear(root, h('h2', {}, '规划指标'), h('div', { class: 'muted' }, '正在读取规划…'));
    try {
      plans = await api.plans();
    } catch (e) {
      clear(root, h('h2', {}, '规划指标'), h('div', { class: 'error-box' }, `无法读取规划列表：${e.message}`));
      plans = null;
      return;
    }
    renderShell();
  }
  const sel = root.querySelector('[data-testid="plan-select"]');
  const id = planId || currentPlan || (plans[0] && plans[0].id);
  if (!id) return;
  if (sel.value !== id) sel.value = id;
  if (id === currentPlan && root.querySelector('[data-testid="targets-table"]')) return;
  currentPlan = id;
  await renderTargets(id);
}

function renderShell() {
  const sel = h('select', {
    'data-testid': 'plan-select',
    onchange: (e) => { location.hash = `#/dashboard/${encodeURIComponent(e.target.value)}`; },
  }, plans.map((p) => h('option', { value: p.id }, `${p.title || p.id}`)));
  clear(root, 
    h('div', { class: 'page-head' }, h('h2', {}, '规划指标'), h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, '规划：'), sel)),
    h('div', { class: 'page-head' },
      h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, '统计日期：'),
        h('input', { type: 'date', value: asOf, 'data-testid': 'as-of',
          onchange: (e) => { if (e.target.value) { asOf = e.target.value; renderTargets(currentPlan); } } })),
      h('button', { type: 'button', 'data-testid': 'open-report',
        onclick: () => window.open(`/api/plans/${encodeURIComponent(currentPlan)}/report?kind=annual&year=${asOf.slice(0, 4)}`, '_blank') },
        '打印年度评估报告')),
    h('div', { 'data-testid': 'plan-info', class: 'plan-info' }),
    h('div', { 'data-testid': 'targets-body' }));
}

function fmt(v) {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  return Number.isInteger(v) ? v.toLocaleString('zh-CN') : (Math.round(v * 100) / 100).toLocaleString('zh-CN');
}

function valueText(tv) {
  if (!tv) return '—';
  let v;
  if (typeof tv === 'number') v = fmt(tv);
  else if (tv.value !== undefined && tv.value !== null) v = fmt(tv.value);
  else if (tv.min !== undefined || tv.max !== undefined) v = `${fmt(tv.min)}–${fmt(tv.max)}`;
  else v = '—';
  return tv.year ? `${v}（${tv.year}年）` : v;
}

function top(tv) {
  if (!tv) return null;
  if (typeof tv === 'number') return tv;
  if (Number.isFinite(tv.value)) return tv.value;
  if (Number.isFinite(tv.max)) return tv.max;
  if (Number.isFinite(tv.min)) return tv.min;
  return null;
}

async function renderTargets(id) {
  const plan = plans.find((p) => p.id === id) || { id };
  const info = root.querySelector('[data-testid="plan-info"]');
  const inForce = Array.isArray(plan.in_force) ? plan.in_force : [plan.in_force_from, plan.in_force_to];
  const period = Array.isArray(plan.period) ? plan.period : null;
  clear(info,
    h('strong', {}, plan.title || plan.id),
    plan.jurisdiction_name ? h('span', {}, ` · ${plan.jurisdiction_name}`) : null,
    plan.level ? h('span', {}, ` · ${PLAN_LEVEL[plan.level] || plan.level}`) : null,
    plan.base_year ? h('span', { class: 'muted' }, ` · 基期 ${plan.base_year}年`) : null,
    period && period[0] ? h('span', { class: 'muted' }, ` · 规划期 ${period[0]}–${period[1] || ''}年`) : null,
    plan.outlook_year ? h('span', { class: 'muted' }, ` · 展望 ${plan.outlook_year}年`) : null,
    inForce[0] ? h('span', { class: 'muted' }, ` · 实施 ${inForce[0]} 至 ${inForce[1] || '—'}`) : null);
  const body = root.querySelector('[data-testid="targets-body"]');
  clear(body, h('div', { class: 'muted' }, '正在读取指标…'));
  let targets;
  try {
    targets = await api.targets(id);
    // Values from the register as of the date; a target keeps its data when they are missing.
    const computed = await api.indicators(id, asOf).catch(() => null);
    const byId = new Map(((computed && computed.indicators) || []).map((i) => [i.id, i]));
    targets = targets.map((t) => {
      const i = byId.get(t.id);
      if (!i) return t;
      return { ...t, status: i.status, status_zh: i.status_zh, needed_per_year: i.needed_per_year,
        explanation: i.explanation,
        current: Number.isFinite(i.value) ? { value: i.value, year: Number(asOf.slice(0, 4)) } : undefined };
    });
  } catch (e) {
    clear(body, h('div', { class: 'error-box' }, `无法读取指标：${e.message}`));
    return;
  }
  if (currentPlan !== id) return;
  clear(body);
  if (!targets.length) { body.append(h('div', { class: 'muted', 'data-testid': 'targets-empty' }, '该规划没有量化指标。')); return; }
  const binding = targets.filter((t) => t.kind === 'binding').length;
  body.append(h('div', { class: 'counts' },
    h('span', { class: 'badge kind-binding' }, `约束性 ${binding}`),
    h('span', { class: 'badge kind-indicative' }, `预期性 ${targets.filter((t) => t.kind === 'indicative').length}`),
    targets.length - binding - targets.filter((t) => t.kind === 'indicative').length
      ? h('span', { class: 'badge' }, `未注明 ${targets.length - binding - targets.filter((t) => t.kind === 'indicative').length}`) : null));
  body.append(h('div', { class: 'charts', 'data-testid': 'targets-chart' }, targets.map(chartCard).filter(Boolean)));
  body.append(targetsTable(targets));
}

function cite(t) {
  const c = t.citation || t.cite;
  if (!c) return null;
  if (typeof c === 'string') return c;
  return `${seedTitle(c.seed)} ${c.section || ''}`.trim();
}

function targetsTable(targets) {
  return h('table', { class: 'grid targets', 'data-testid': 'targets-table' },
    h('thead', {}, h('tr', {}, ['指标', '分组', '属性', '基期', '阶段目标', '规划目标', '展望', '单位', `现状（${asOf}）`, '状态', '每年需变化', '出处'].map((x) => h('th', {}, x)))),
    h('tbody', {}, targets.map((t) => h('tr', { 'data-testid': 'target-row', 'data-target': t.id, class: `kind-${t.kind}` },
      h('td', {}, t.name, t.mineral ? h('span', { class: 'muted' }, `（${t.mineral}）`) : null),
      h('td', {}, t.group || ''),
      h('td', {}, h('span', { class: `badge kind-${t.kind}` }, TARGET_KIND[t.kind] || t.kind || '')),
      h('td', {}, valueText(t.base)),
      h('td', {}, (t.milestones || []).map(valueText).join('；') || '—'),
      h('td', {}, `${CMP[t.comparator] && t.comparator !== 'range' ? `${CMP[t.comparator]} ` : ''}${valueText(t.target)}`),
      h('td', {}, valueText(t.outlook)),
      h('td', {}, t.unit || ''),
      h('td', { 'data-testid': 'target-current' }, t.current ? fmt(t.current.value) : '—'),
      h('td', { title: t.explanation || '' }, t.status
        ? h('span', { class: `badge status-${STATUS_CLASS[t.status] || 'muted'}`, 'data-testid': 'target-status', 'data-status': t.status }, t.status_zh || t.status)
        : '—'),
      h('td', {}, Number.isFinite(t.needed_per_year) ? `${t.needed_per_year > 0 ? '+' : ''}${fmt(t.needed_per_year)}` : '—'),
      h('td', { class: 'cite', title: (t.citation || t.cite || {}).quote || '' }, cite(t) || '—')))));
}

// One card per target that has a number: horizontal bars on a common scale.
function chartCard(t) {
  const bars = [];
  if (top(t.base) !== null) bars.push({ label: `基期${t.base.year ? ` ${t.base.year}` : ''}`, v: top(t.base), cls: 'bar-base', tv: t.base });
  for (const m of t.milestones || []) if (top(m) !== null) bars.push({ label: `阶段${m.year ? ` ${m.year}` : ''}`, v: top(m), cls: 'bar-milestone', tv: m });
  if (t.current !== undefined && top(t.current) !== null) bars.push({ label: `现状${t.current.year ? ` ${t.current.year}` : ''}`, v: top(t.current), cls: 'bar-current', tv: t.current });
  if (top(t.target) !== null) bars.push({ label: `目标${t.target.year ? ` ${t.target.year}` : ''}`, v: top(t.target), cls: `bar-target bar-${t.kind}`, tv: t.target });
  if (top(t.outlook) !== null) bars.push({ label: `展望${t.outlook.year ? ` ${t.outlook.year}` : ''}`, v: top(t.outlook), cls: 'bar-outlook', tv: t.outlook });
  if (!bars.length) return null;

  const W = 340, L = 70, R = 70, row = 22, pad = 6;
  const H = bars.length * row + pad * 2;
  const max = Math.max(...bars.map((b) => Math.abs(b.v)), 1e-9);
  const x = (v) => L + (W - L - R) * (Math.abs(v) / max);
  const svg = s('svg', { viewBox: `0 0 ${W} ${H}`, width: W, height: H, class: 'bar-chart', 'data-testid': 'target-chart', role: 'img', 'aria-label': t.name },
    bars.map((b, i) => {
      const y = pad + i * row;
      const g = s('g', { class: b.cls },
        s('text', { x: L - 6, y: y + row / 2 + 4, 'text-anchor': 'end', class: 'bar-label' }, b.label),
        s('rect', { x: L, y: y + 3, width: Math.max(1, x(b.v) - L), height: row - 7, rx: 2 }),
        s('text', { x: x(b.v) + 4, y: y + row / 2 + 4, class: 'bar-value' }, fmt(b.v)));
      // A range target: the band between min and max.
      if (b.tv && Number.isFinite(b.tv.min) && Number.isFinite(b.tv.max)) {
        g.append(s('rect', { x: x(b.tv.min), y: y + 3, width: Math.max(1, x(b.tv.max) - x(b.tv.min)), height: row - 7, class: 'bar-range' }));
      }
      return g;
    }),
    s('line', { x1: L, x2: L, y1: pad - 2, y2: H - pad + 2, class: 'axis' }));
  return h('figure', { class: `chart-card kind-${t.kind}`, 'data-testid': 'target-card', 'data-target': t.id },
    h('figcaption', {},
      h('span', { class: `badge kind-${t.kind}` }, TARGET_KIND[t.kind] || t.kind || ''), ' ',
      h('strong', {}, t.name),
      h('span', { class: 'muted' }, ` ${CMP[t.comparator] && t.comparator !== 'range' ? CMP[t.comparator] : ''}${valueText(t.target)} ${t.unit || ''}`)),
    svg,
    cite(t) ? h('div', { class: 'cite small', title: (t.citation || t.cite || {}).quote || '' }, `出处：${cite(t)}`) : null);
}

export function resetDashboard() {
  plans = null;
  currentPlan = null;
}
