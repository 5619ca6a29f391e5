// Registries in the 公示名录 view (docs/registries.md, docs/api.md):
// a green mine's lifecycle (GET /api/registry/green/{uid}) with its steps and, for signed-in
// users who get `next`, forms for the steps their role may take (POST …/steps); a mine's
// restoration (GET /api/registry/restoration/{uid}): plan, annual plans, fund, areas; the
// consolidation program of seed 003 (GET /api/registry/program) with its rectification ledger
// (GET /api/registry/ledger); the due list (GET /api/due); the random-inspection draws.
// Labels of states, steps and parameters come from the lifecycle files through the API
// (GET /api/registry/lifecycles/{id}, `next[].fields`): no copy here.
import { api, encPath } from './api.js';
import { h, clear, table, fmtValue } from './dom.js';
import { GREEN_LEVEL, ZONE_KIND, ROLE, DUE_STATUS, REGISTRY, STATUS, valueLabel, fieldLabel, apiErrorText } from './labels.js';
import { session } from './session.js';

// Today in the browser's time zone, YYYY-MM-DD.
export function today() {
  const d = new Date();
  const p = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export const greenHref = (uid) => `#/lists/green/${encPath(uid)}`;
export const restorationHref = (uid) => `#/lists/restoration/${encPath(uid)}`;
export const programHref = '#/lists/program';
export const uidFromArg = (arg) => arg.split('/').map((p) => decodeURIComponent(p)).join('/');

// ---- lifecycles (labels) ---------------------------------------------------------------------

const lifecycles = new Map();
// The lifecycle `id` with helpers for labels; read once per page load.
export async function lifecycle(id) {
  if (!lifecycles.has(id)) {
    lifecycles.set(id, api.lifecycle(id).then((d) => {
      const states = new Map((d.states || []).map((x) => [x.id, x.label]));
      const steps = new Map((d.steps || []).map((x) => [x.event, x]));
      const params = d.params || {};
      return {
        raw: d,
        state: (x) => states.get(x) || x || '—',
        event: (e) => (steps.get(e) ? steps.get(e).label : e),
        role: (r) => (d.roles && d.roles[r]) || ROLE[r] || r,
        paramLabel: (k) => (params[k] ? params[k].label : ''),
        value: (k, v) => {
          const p = params[k];
          if (p && Array.isArray(p.values) && typeof v === 'string') {
            const hit = p.values.find((x) => x.value === v);
            if (hit) return hit.label;
          }
          if (v && typeof v === 'object' && 'date' in v && 'label' in v) return `${v.label} ${v.date}`;
          return valueLabel(k, v);
        },
      };
    }).catch((e) => { lifecycles.delete(id); throw e; }));
  }
  return lifecycles.get(id);
}

// The parameters of a step (its `data`) as 「名称：值」 lines. The system's grounds (trigger)
// are shown as what changed and who changed it.
function stepData(lc, data) {
  if (!data || typeof data !== 'object') return '—';
  const entries = Object.entries(data).filter(([, v]) => v !== null && v !== undefined && v !== '');
  if (!entries.length) return '—';
  return h('div', {}, entries.map(([k, v]) => {
    if (k === 'trigger' && v && typeof v === 'object') {
      const fields = (v.changes || []).flatMap((c) => c.fields || []).map((f) => lc.value('change', f));
      return h('div', { class: 'small', 'data-testid': 'step-trigger' },
        h('span', { class: 'muted' }, '系统依据：'), `登记变更（${[...new Set(fields)].join('、')}）${v.by ? `，由 ${v.by} 办理` : ''}`);
    }
    return h('div', { class: 'small' },
      h('span', { class: 'muted' }, `${k === 'deadline' ? '期限' : (lc.paramLabel(k) || k)}：`), lc.value(k, v));
  }));
}

function stepsTable(lc, steps, testid) {
  const showWho = steps.some((s) => s.who);
  const cols = [
    { key: 'date', label: '日期' },
    { key: 'event', label: '环节', render: (s) => s.label || lc.event(s.event) },
    { key: 'to', label: '状态变化', render: (s) => (s.to && s.to !== s.from ? `${lc.state(s.from)} → ${lc.state(s.to)}` : '（状态不变）') },
    showWho ? { key: 'who', label: '办理人', render: (s) => [s.who === 'system' ? '系统' : s.who, s.role ? `（${lc.role(s.role)}）` : ''].filter(Boolean).join('') } : null,
    steps.some((s) => s.data) ? { key: 'data', label: '内容', render: (s) => stepData(lc, s.data) } : null,
  ].filter(Boolean);
  return table(steps, cols, { 'data-testid': testid });
}

// Buttons for the steps the caller may take (`next`, already filtered by role on the server),
// each opening a form built from the step's fields; post(body) records it.
function nextButtons(next, host, post, onDone, lc, extra = {}) {
  if (!Array.isArray(next) || !next.length) return null;
  return h('div', { class: 'actions wrap', 'data-testid': extra.testid || 'green-next' }, next.map((n) => h('button', {
    type: 'button', 'data-testid': 'next-step', 'data-event': n.event,
    onclick: () => openStepForm(host, n, post, () => onDone(`已登记：${n.label}`), lc, extra),
  }, n.label)));
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
  let lc;
  try {
    [d, lc] = await Promise.all([api.greenMine(uid), lifecycle('green-mine')]);
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
    h('dt', {}, fieldLabel('holder')), h('dd', {}, mine.holder || '—'),
    h('dt', {}, '行政区'), h('dd', {}, mine.jurisdiction_name || mine.jurisdiction || '—'),
    h('dt', {}, '名录级别'), h('dd', {}, GREEN_LEVEL[d.level] || d.level || '—'),
    h('dt', {}, '当前状态'), h('dd', {},
      h('span', { class: `badge green-state state-${d.state}`, 'data-testid': 'green-state' }, d.state_label || lc.state(d.state)),
      d.since ? h('span', { class: 'muted small' }, ` 自 ${d.since}`) : null,
      d.from_register && !d.since ? h('span', { class: 'muted small' }, ' （名录原有矿山）') : null),
    deadline ? h('dt', {}, '期限') : null, deadline ? h('dd', {}, deadline) : null);

  const steps = d.steps || [];
  const stepsBox = steps.length
    ? stepsTable(lc, steps, 'green-steps-table')
    : h('div', { class: 'muted', 'data-testid': 'green-steps-empty' },
      d.from_register ? '暂无办理记录（该矿山依名录原有记录列入）。' : '暂无办理记录。');

  const formHost = h('div', { 'data-testid': 'step-form-host' });
  const next = Array.isArray(d.next) ? d.next : null;
  const again = (msg) => renderGreenMine(panel, uid, msg);
  const nextBox = next && session.user
    ? h('div', { class: 'next-steps' },
      h('h4', {}, '可办理的环节'),
      nextButtons(next, formHost, (body) => api.greenStep(uid, body), again, lc)
        || h('div', { class: 'muted', 'data-testid': 'green-next-none' }, '当前状态下没有您可办理的环节。'),
      formHost)
    : null;

  clear(panel,
    h('h3', { 'data-testid': 'green-detail-name' }, mine.name || uid),
    h('div', { class: 'muted small' }, `绿色矿山名录 · ${uid} · `, h('a', { href: restorationHref(uid), 'data-testid': 'restoration-link' }, '治理恢复与土地复垦')),
    notice ? h('div', { class: 'ok-box', 'data-testid': 'step-done', role: 'status' }, notice) : null,
    facts,
    h('h4', {}, d.full_history ? '办理记录' : '办理记录（公开部分）'),
    stepsBox,
    nextBox);
}

// A field of a step's form from its description (name, label, type, required, values).
function fieldFor(f, extra = {}) {
  const attrs = { name: f.name, 'data-testid': `step-field-${f.name}`, required: f.required || undefined };
  let input;
  if (f.type === 'enum') {
    input = h('select', attrs, h('option', { value: '' }, f.required ? '请选择' : '（不填）'),
      (f.values || []).map((v) => h('option', { value: v.value }, v.label)));
  } else if (f.type === 'date') {
    input = h('input', { ...attrs, type: 'date' });
  } else if (f.type === 'year' || f.type === 'number') {
    input = h('input', { ...attrs, type: 'number', step: f.type === 'year' ? 1 : 'any', placeholder: f.type === 'year' ? String(new Date().getFullYear() - 1) : '' });
  } else {
    input = h('input', { ...attrs, type: 'text' });
  }
  void extra;
  return { name: f.name, type: f.type, input, el: h('label', { class: 'field' }, h('span', { class: 'field-label' }, `${f.label}${f.required ? ' *' : ''}`), input) };
}

// The form of one step; extra.idField asks for the subject's id first (a new ledger item).
function openStepForm(host, step, post, onDone, lc, extra = {}) {
  const date = h('input', { type: 'date', name: 'date', value: today(), required: true, 'data-testid': 'step-field-date' });
  const idInput = extra.idField ? h('input', { type: 'text', name: 'id', required: true, 'data-testid': 'step-field-id', placeholder: extra.idPlaceholder || '' }) : null;
  const fields = (step.fields || []).map((f) => fieldFor(f));
  const error = h('div', { class: 'error-box', role: 'alert', 'data-testid': 'step-error', hidden: true });
  const submit = h('button', { type: 'submit', class: 'primary', 'data-testid': 'step-submit' }, '提交');
  const form = h('form', { class: 'step-form', 'data-testid': 'step-form', 'data-event': step.event },
    h('h4', {}, `办理：${step.label}`),
    idInput ? h('label', { class: 'field' }, h('span', { class: 'field-label' }, `${extra.idField} *`), idInput) : null,
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
      body[f.name] = (f.type === 'year' || f.type === 'number') && Number.isFinite(Number(v)) ? Number(v) : v;
    }
    submit.disabled = true;
    try {
      if (idInput) await post(idInput.value.trim(), body);
      else await post(body);
      clear(host);
      await onDone();
    } catch (err) {
      error.textContent = apiErrorText(err, lc ? lc.paramLabel : undefined);
      error.hidden = false;
    } finally {
      submit.disabled = false;
    }
  });
  clear(host, form);
  (idInput || (fields[0] ? fields[0].input : date)).focus();
}

// ---- restoration of a mine ---------------------------------------------------------------

const num = (v, digits = 2) => (typeof v === 'number' && Number.isFinite(v) ? v.toFixed(digits).replace(/\.?0+$/, '') : '—');

export async function showRestoration(root, uid) {
  const panel = h('section', { class: 'list-section registry-detail', 'data-testid': 'restoration-detail' },
    h('div', { class: 'muted' }, '正在读取…'));
  clear(root,
    h('div', { class: 'crumbs' }, h('a', { href: '#/lists' }, '← 返回公示名录'), ' · ', h('a', { href: greenHref(uid) }, '绿色矿山名录状态')),
    panel);
  await renderRestoration(panel, uid);
}

async function renderRestoration(panel, uid, notice) {
  let d;
  let lc;
  try {
    [d, lc] = await Promise.all([api.restoration(uid), lifecycle('restoration')]);
  } catch (e) {
    clear(panel, h('div', { class: 'error-box', 'data-testid': 'restoration-error' },
      e.status === 404 ? '未找到该矿山。' : `无法读取：${apiErrorText(e)}`));
    return;
  }
  const mine = d.mine || {};
  const steps = d.steps || [];
  // The plan in force: the last one filed (an annual plan's document is not the plan).
  const planStep = [...steps].reverse().find((x) => x.event === 'file_plan' || x.event === 'replan');
  const plan = (planStep && planStep.data) || {};
  const facts = h('dl', { class: 'facts' },
    h('dt', {}, fieldLabel('holder')), h('dd', {}, mine.holder || '—'),
    h('dt', {}, '行政区'), h('dd', {}, mine.jurisdiction_name || mine.jurisdiction || '—'),
    h('dt', {}, '矿山状态'), h('dd', {}, STATUS[mine.status] || mine.status || '—'),
    h('dt', {}, '治理状态'), h('dd', {},
      h('span', { class: `badge state-${d.state}`, 'data-testid': 'restoration-state' }, d.state_label || lc.state(d.state)),
      d.since ? h('span', { class: 'muted small' }, ` 自 ${d.since}`) : null),
    plan.plan_doc ? h('dt', {}, '方案') : null,
    plan.plan_doc ? h('dd', { 'data-testid': 'restoration-plan' }, `${plan.plan_doc}${plan.area_ha !== undefined ? `（治理面积 ${num(plan.area_ha)} 公顷，${planStep.date}）` : ''}`) : null);

  // Areas per year: damaged vs restored, cumulative, with a bar of the share restored.
  const years = d.years || [];
  const areaBox = years.length
    ? table(years, [
      { key: 'year', label: '年度' },
      { key: 'damaged_ha', label: '当年损毁（公顷）', render: (r) => num(r.damaged_ha) },
      { key: 'restored_ha', label: '当年治理恢复（公顷）', render: (r) => num(r.restored_ha) },
      { key: 'cumulative_damaged_ha', label: '累计损毁', render: (r) => num(r.cumulative_damaged_ha) },
      { key: 'cumulative_restored_ha', label: '累计治理恢复', render: (r) => num(r.cumulative_restored_ha) },
      { key: 'unrestored_ha', label: '尚未治理', render: (r) => num(r.unrestored_ha) },
      {
        key: 'share', label: '治理率',
        render: (r) => {
          const share = r.cumulative_damaged_ha > 0 ? Math.min(1, r.cumulative_restored_ha / r.cumulative_damaged_ha) : 0;
          return h('span', { class: 'bar', title: `${Math.round(share * 100)}%` },
            h('span', { class: 'bar-fill', style: `display:inline-block;height:8px;background:#2e7d32;width:${Math.round(share * 80)}px` }),
            ` ${Math.round(share * 100)}%`);
        },
      },
    ], { 'data-testid': 'restoration-years' })
    : h('div', { class: 'muted', 'data-testid': 'restoration-years-empty' }, '暂无年度损毁与治理面积报告。');

  // The fund: only the holder's and the bureau's (the API sends it to them only).
  let fundBox = null;
  if (d.fund) {
    const moves = steps.filter((s) => s.event === 'accrue' || s.event === 'use');
    let balance = 0;
    const rows = moves.map((s) => {
      const amount = Number(s.data && s.data.amount) || 0;
      balance += s.event === 'accrue' ? amount : -amount;
      return { date: s.date, event: s.event, amount, note: s.data && s.data.note, balance };
    });
    fundBox = h('div', {},
      h('h4', {}, '治理恢复基金（万元）'),
      h('div', { 'data-testid': 'restoration-fund' },
        `累计计提 ${num(d.fund.accrued)}，累计使用 ${num(d.fund.used)}，余额 `,
        h('strong', { 'data-testid': 'restoration-balance' }, num(d.fund.balance))),
      rows.length ? table(rows, [
        { key: 'date', label: '日期' },
        { key: 'event', label: '事项', render: (r) => lc.event(r.event) },
        { key: 'amount', label: '金额', render: (r) => `${r.event === 'use' ? '−' : '+'}${num(r.amount)}` },
        { key: 'balance', label: '余额', render: (r) => num(r.balance) },
        { key: 'note', label: '说明' },
      ], { 'data-testid': 'restoration-fund-table' }) : null);
  }
  const annual = steps.filter((s) => s.event === 'annual_plan');
  const annualBox = annual.length
    ? h('div', {}, h('h4', {}, '年度治理计划'), table(annual, [
      { key: 'year', label: '年度', render: (s) => s.data && s.data.year },
      { key: 'doc', label: '计划书', render: (s) => s.data && s.data.plan_doc },
      { key: 'date', label: '报送日期' },
    ], { 'data-testid': 'restoration-annual' }))
    : null;

  const formHost = h('div', { 'data-testid': 'step-form-host' });
  const again = (msg) => renderRestoration(panel, uid, msg);
  const nextBox = Array.isArray(d.next) && session.user
    ? h('div', { class: 'next-steps' }, h('h4', {}, '可办理的环节'),
      nextButtons(d.next, formHost, (body) => api.restorationStep(uid, body), again, lc, { testid: 'restoration-next' })
        || h('div', { class: 'muted' }, '当前状态下没有您可办理的环节。'),
      formHost)
    : null;

  clear(panel,
    h('h3', { 'data-testid': 'restoration-name' }, mine.name || uid),
    h('div', { class: 'muted small' }, `矿山地质环境治理恢复与土地复垦 · ${uid}`),
    notice ? h('div', { class: 'ok-box', 'data-testid': 'step-done', role: 'status' }, notice) : null,
    facts,
    h('h4', {}, '损毁与治理恢复面积'),
    h('div', { 'data-testid': 'restoration-totals' },
      `累计损毁 ${num(d.damaged_ha)} 公顷，累计治理恢复 ${num(d.restored_ha)} 公顷，尚未治理 ${num(d.unrestored_ha)} 公顷`),
    areaBox,
    annualBox,
    fundBox,
    steps.length ? h('h4', {}, '办理记录') : null,
    steps.length ? stepsTable(lc, steps, 'restoration-steps') : null,
    nextBox);
}

// ---- the consolidation program (seed 003) and its rectification ledger ----------------------

export async function showProgram(root, asOf = today()) {
  const panel = h('section', { class: 'list-section registry-detail', 'data-testid': 'program' }, h('div', { class: 'muted' }, '正在读取…'));
  const dateInput = h('input', { type: 'date', value: asOf, 'data-testid': 'program-as-of' });
  dateInput.addEventListener('change', () => { if (dateInput.value) renderProgram(panel, dateInput.value); });
  clear(root,
    h('div', { class: 'crumbs' }, h('a', { href: '#/lists' }, '← 返回公示名录')),
    h('h2', {}, '乌拉特中旗非煤矿山整合提产方案'),
    h('label', { class: 'field inline' }, h('span', { class: 'field-label' }, '截至日期 '), dateInput),
    panel);
  await renderProgram(panel, asOf);
}

async function renderProgram(panel, asOf, notice) {
  let d;
  let ledger;
  let lc;
  let llc;
  try {
    [d, ledger, lc, llc] = await Promise.all([api.program(asOf), api.ledger(asOf), lifecycle('consolidation'), lifecycle('program-rectification')]);
  } catch (e) {
    clear(panel, h('div', { class: 'error-box', 'data-testid': 'program-error' }, `无法读取：${apiErrorText(e)}`));
    return;
  }
  const again = (msg) => renderProgram(panel, asOf, msg);
  const phase = (d.phases || []).find((p) => p.id === d.phase);
  const head = h('div', { 'data-testid': 'program-head' },
    h('div', {}, `截至 ${d.as_of}，当前阶段：`, h('strong', { 'data-testid': 'program-phase' }, phase ? phase.label : '（不在方案阶段内）'),
      phase ? h('span', { class: 'muted small' }, `（${phase.from} — ${phase.to}）`) : null),
    h('div', { class: 'muted small' }, (d.phases || []).map((p) => `${p.label} ${p.from} — ${p.to}`).join('；')));

  // The program's figures, computed live by monitoring.
  const STATUS_LABEL = { met: '已达标', on_track: '按计划推进', at_risk: '存在风险', off_track: '偏离目标', no_data: '无数据', no_definition: '未定义' };
  const figures = table(d.figures || [], [
    { key: 'name', label: '指标' },
    { key: 'target', label: '目标', render: (t) => (t.target === null ? '—' : `${t.comparator || ''} ${fmtValue(t.target)} ${t.unit || ''}`) },
    { key: 'year', label: '目标年' },
    { key: 'value', label: '当前值', render: (t) => (t.value === null ? '—' : `${fmtValue(t.value)} ${t.unit || ''}`) },
    { key: 'source', label: '来源', render: (t) => ({ register: '登记数据', reported: '填报' }[t.source] || t.source || '—') },
    { key: 'status', label: '状态', render: (t) => h('span', { class: `badge status-${t.status}` }, STATUS_LABEL[t.status] || t.status || '—') },
  ], { 'data-testid': 'program-figures' });

  const actionLabel = (a) => lc.value('action', a);
  const zoneLabel = (z) => lc.value('zone', z);
  const zones = table(d.zones || [], [
    { key: 'id', label: '编号' },
    { key: 'name', label: ZONE_KIND.consolidation_zone },
    { key: 'minerals', label: '矿种', render: (z) => (z.minerals || []).join('、') },
    { key: 'mining_rights_planned', label: '采矿权（宗）' },
    { key: 'exploration_rights_planned', label: '探矿权（宗）' },
    { key: 'rights', label: '已列入方案的矿业权', render: (z) => ((z.rights || []).length ? (z.rights || []).map((r) => `${r.right}（${actionLabel(r.action)}，${lc.state(r.state)}）`).join('；') : '—') },
  ], { 'data-testid': 'program-zones' });

  const categories = table(d.categories || [], [
    { key: 'label', label: '工作类别' },
    { key: 'implementer', label: '实施主体' },
    { key: 'departments', label: '责任单位', render: (c) => (c.departments || []).join('、') },
    { key: 'rights_by_state', label: '进展', render: (c) => Object.entries(c.rights_by_state || {}).map(([s, n]) => `${lc.state(s)} ${n}`).join('，') || '—' },
  ], { 'data-testid': 'program-categories' });

  // Actions per right; staff of the county get the steps they may take.
  const rightHost = h('div', { 'data-testid': 'program-step-host' });
  const rights = (d.rights || []).length
    ? table(d.rights, [
      { key: 'right', label: '矿业权' },
      { key: 'name', label: '名称' },
      { key: 'action', label: '工作类别', render: (r) => actionLabel(r.action) },
      { key: 'zone', label: ZONE_KIND.consolidation_zone, render: (r) => (r.zone ? zoneLabel(r.zone) : '—') },
      { key: 'state', label: '状态', render: (r) => r.state_label || lc.state(r.state) },
      { key: 'last_step', label: '最近办理' },
      d.full_history ? { key: 'next', label: '办理', render: (r) => nextButtons(r.next, rightHost, (body) => api.programStep(r.right, body), again, lc, { testid: 'program-right-next' }) || '—' } : null,
    ].filter(Boolean), { 'data-testid': 'program-rights' })
    : h('div', { class: 'muted', 'data-testid': 'program-rights-empty' }, '尚无矿业权列入方案。');

  // The rectification ledger.
  const ledgerHost = h('div', { 'data-testid': 'ledger-step-host' });
  const items = ledger.items || [];
  const ledgerTable = items.length
    ? table(items, [
      { key: 'id', label: '编号' },
      { key: 'name', label: '问题名称' },
      { key: 'issue', label: '问题' },
      ledger.full_history ? { key: 'responsible', label: '整改责任人' } : null,
      { key: 'standard', label: '整改标准' },
      { key: 'deadline', label: '整改时限', render: (r) => h('span', { class: r.overdue ? 'overdue' : '', 'data-testid': r.overdue ? 'ledger-overdue' : 'ledger-deadline' }, `${r.deadline || '—'}${r.overdue ? '（已逾期）' : ''}`) },
      { key: 'state', label: '状态', render: (r) => h('span', { class: 'badge', 'data-testid': 'ledger-state' }, r.state_label || llc.state(r.state)) },
      { key: 'steps', label: '办理记录', render: (r) => h('div', {}, (r.steps || []).map((s) => h('div', { class: 'small' }, `${s.date} ${s.label || llc.event(s.event)}${s.who ? `（${s.who}）` : ''}${s.data && s.data.note ? `：${s.data.note}` : ''}`))) },
      ledger.full_history ? { key: 'next', label: '办理', render: (r) => nextButtons(r.next, ledgerHost, (body) => api.ledgerStep(r.id, body), again, llc, { testid: 'ledger-next' }) || '—' } : null,
    ].filter(Boolean), { 'data-testid': 'ledger-table' })
    : h('div', { class: 'muted', 'data-testid': 'ledger-empty' }, '暂无整改问题。');
  const newItem = ledger.full_history && Array.isArray(ledger.new_item) && ledger.new_item.length
    ? h('div', { class: 'actions' }, ledger.new_item.map((n) => h('button', {
      type: 'button', 'data-testid': 'ledger-new',
      onclick: () => openStepForm(ledgerHost, n, (id, body) => api.ledgerStep(id, body), () => again(`已登记：${n.label}`), llc, { idField: '台账编号', idPlaceholder: 'ZG-2026-001' }),
    }, `${n.label}`)))
    : null;
  const counts = Object.entries(ledger.counts || {}).map(([s, n]) => `${llc.state(s)} ${n} 项`).join('，');

  clear(panel,
    notice ? h('div', { class: 'ok-box', 'data-testid': 'step-done', role: 'status' }, notice) : null,
    head,
    h('h3', {}, '方案指标（按登记数据实时计算）'), figures,
    h('h3', {}, `整合区（${d.zone_count} 个）`), zones,
    h('h3', {}, '六类工作'), categories,
    h('h3', {}, '逐宗矿业权工作'), rights, rightHost,
    h('h3', {}, '问效整改台账'),
    h('div', { class: 'muted small', 'data-testid': 'ledger-summary' }, `共 ${items.length} 项${counts ? `：${counts}` : ''}${ledger.overdue ? `；已逾期 ${ledger.overdue} 项` : ''}`),
    newItem, ledgerTable, ledgerHost);
}

// ---- legacy sites restored by the government (历史遗留矿山) ------------------------------------

export async function legacySection(notice) {
  const box = h('div', { 'data-testid': 'legacy-body' });
  await renderLegacy(box, notice);
  return box;
}

async function renderLegacy(box, notice) {
  const asOf = today();
  const [d, lc] = await Promise.all([api.legacy(asOf), lifecycle('legacy-restoration')]);
  const host = h('div', { 'data-testid': 'legacy-step-host' });
  const again = (msg) => renderLegacy(box, msg);
  const mayStep = (d.sites || []).some((r) => Array.isArray(r.next) && r.next.length);
  const sites = table(d.sites || [], [
    { key: 'name', label: '治理对象' },
    { key: 'jurisdiction_name', label: '行政区', render: (r) => r.jurisdiction_name || r.jurisdiction },
    { key: 'responsible', label: '治理责任主体' },
    { key: 'state', label: '状态', render: (r) => h('span', { class: 'badge', 'data-testid': 'legacy-state' }, `${r.state_label}${r.from_seed ? '（据规划文本）' : ''}`) },
    { key: 'accepted_km2', label: '已验收面积（平方千米）', render: (r) => (r.accepted_km2 ? num(r.accepted_km2) : '—') },
    { key: 'events', label: '办理记录', render: (r) => ((r.events || []).length ? h('div', {}, r.events.map((e) => h('div', { class: 'small' }, `${e.date} ${lc.event(e.event)}${e.who ? `（${e.who}）` : ''}`))) : '—') },
    { key: 'cite', label: '出处', render: (r) => (r.cite ? `${r.cite.seed.slice(0, 3)} ${r.cite.section}` : '—') },
    mayStep ? { key: 'next', label: '办理', render: (r) => nextButtons(r.next, host, (body) => api.legacyStep(r.id, body), again, lc, { testid: 'legacy-next' }) || '—' } : null,
  ].filter(Boolean), { 'data-testid': 'legacy-sites' });
  const TARGET_STATUS = { met: '已完成', open: '未完成', no_data: '无待治理对象' };
  const targets = table(d.targets || [], [
    { key: 'label', label: '目标' },
    { key: 'jurisdiction_name', label: '范围' },
    { key: 'period', label: '期限', render: (t) => `${t.from} — ${t.to}` },
    { key: 'goal', label: '目标值', render: (t) => ('value' in t ? `${num(t.value)} 平方千米` : '全部完成') },
    { key: 'achieved', label: '已完成', render: (t) => (t.achieved === null ? '—' : 'value' in t ? `${num(t.achieved)} 平方千米` : `${Math.round(t.achieved * 100)}%`) },
    { key: 'status', label: '状态', render: (t) => TARGET_STATUS[t.status] || t.status },
  ], { 'data-testid': 'legacy-targets' });
  clear(box,
    notice ? h('div', { class: 'ok-box', 'data-testid': 'step-done', role: 'status' }, notice) : null,
    h('div', { class: 'muted small' }, `截至 ${d.as_of}，历史遗留、无责任主体和政策性关闭矿山由政府负责治理`),
    sites, host, h('h4', {}, '治理目标'), targets);
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
        : r.registry === 'restoration' && r.subject
          ? h('a', { href: restorationHref(r.subject) }, r.name || r.subject)
        : (r.name || r.subject || '—')),
    },
    { key: 'holder', label: fieldLabel('holder') },
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
