// 导入 (staff): a rights or mines ledger → POST /api/imports with the raw file, then the job
// polled every 500 ms with a progress bar until it is done or failed.
import { api } from './api.js';
import { h, clear } from './dom.js';
import { isStaff, onSessionChange } from './session.js';
import { today } from './review.js';
import { refreshTiles } from './map.js';

const POLL_MS = 500;

export function initImports(el, { onDone } = {}) {
  const file = h('input', { type: 'file', 'data-testid': 'import-file', accept: '.gpkg,.shp,.zip,.geojson,.json,.csv,.xlsx,.txt' });
  const layer = h('select', { 'data-testid': 'import-layer' }, h('option', { value: 'rights' }, '矿业权'), h('option', { value: 'mines' }, '矿山'));
  const asOf = h('input', { type: 'date', 'data-testid': 'import-asof', value: today() });
  const submit = h('button', { type: 'button', class: 'primary', 'data-testid': 'import-submit' }, '导入');
  const progress = h('progress', { max: 1, value: 0, 'data-testid': 'import-progress', hidden: true });
  const status = h('div', { class: 'import-status', 'data-testid': 'import-status' });
  const panel = h('details', { class: 'panel-section import-panel', 'data-testid': 'import-panel' },
    h('summary', {}, '导入'),
    h('label', { class: 'field' }, h('span', { class: 'field-label' }, '文件'), file),
    h('div', { class: 'row' },
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, '图层'), layer),
      h('label', { class: 'field' }, h('span', { class: 'field-label' }, '台账日期'), asOf)),
    h('div', { class: 'actions' }, submit), progress, status);
  clear(el, panel);

  let timer = null;
  submit.addEventListener('click', async () => {
    const f = file.files && file.files[0];
    clear(status);
    status.className = 'import-status';
    if (!f) { status.textContent = '请选择文件'; status.classList.add('error'); return; }
    if (!asOf.value) { status.textContent = '请填写台账日期'; status.classList.add('error'); return; }
    submit.disabled = true;
    progress.hidden = false;
    progress.value = 0;
    status.textContent = '正在上传…';
    let job;
    try {
      const answer = await api.startImport(f, layer.value, asOf.value);
      job = answer && (answer.job ?? answer.id);
    } catch (e) {
      finish(`导入失败：${e.message}${e.field ? `（字段：${e.field}）` : ''}`, true);
      return;
    }
    if (job === undefined || job === null) { finish('导入失败：服务器没有返回任务号', true); return; }
    status.textContent = `任务 ${job} 已排队`;
    const poll = async () => {
      let st;
      try {
        st = await api.job(job);
      } catch (e) {
        finish(`无法读取任务状态：${e.message}`, true);
        return;
      }
      if (Number.isFinite(st.progress)) progress.value = Math.max(0, Math.min(1, st.progress));
      const stateText = { queued: '排队中', running: '导入中', done: '完成', failed: '失败' }[st.state] || st.state;
      status.textContent = `${stateText}${Number.isFinite(st.progress) ? ` ${Math.round(st.progress * 100)}%` : ''}${st.message ? `：${st.message}` : ''}`;
      if (st.state === 'done') {
        progress.value = 1;
        finish(null, false, st);
        refreshTiles([layer.value]);
        if (onDone) onDone(layer.value);
      } else if (st.state === 'failed') {
        finish(`导入失败：${st.message || (st.result && st.result.error) || '未知错误'}`, true, st);
      } else {
        timer = setTimeout(poll, POLL_MS);
      }
    };
    timer = setTimeout(poll, POLL_MS);
  });

  function finish(message, isError, st) {
    clearTimeout(timer);
    submit.disabled = false;
    if (isError) {
      status.classList.add('error');
      status.setAttribute('data-state', 'failed');
    } else {
      status.setAttribute('data-state', 'done');
    }
    if (message) status.textContent = message;
    requestAnimationFrame(() => status.scrollIntoView({ block: 'nearest', behavior: 'smooth' }));
    const r = st && st.result;
    if (r && typeof r === 'object') {
      if (Number.isFinite(r.records)) {
        status.append(h('div', { 'data-testid': 'import-summary' },
          `共 ${r.records} 条${r.written ? '' : '，未写入'}`,
          Number.isFinite(r.inserted) ? `；新增 ${r.inserted}` : '',
          Number.isFinite(r.changed) ? `；变更 ${r.changed}` : '',
          Number.isFinite(r.unchanged) ? `；未变 ${r.unchanged}` : ''));
      }
      const problems = Array.isArray(r.problems) ? r.problems : [];
      if (problems.length) {
        status.append(h('table', { class: 'grid problems', 'data-testid': 'import-problems' },
          h('thead', {}, h('tr', {}, h('th', {}, '行'), h('th', {}, '列'), h('th', {}, '问题'))),
          h('tbody', {}, problems.slice(0, 200).map((p) => h('tr', {},
            h('td', {}, p.row ?? p.line ?? ''), h('td', {}, p.column ?? p.field ?? ''), h('td', {}, p.message ?? JSON.stringify(p)))))));
      }
      const warnings = Array.isArray(r.warnings) ? r.warnings : [];
      if (warnings.length) status.append(h('div', { class: 'muted small' }, `提示：${warnings.map((w) => (typeof w === 'string' ? w : w.message || JSON.stringify(w))).join('；')}`));
      status.append(h('details', {}, h('summary', { class: 'small' }, '详细结果'),
        h('pre', { class: 'result', 'data-testid': 'import-result' }, JSON.stringify(r, null, 2))));
    } else if (r !== undefined && r !== null) {
      status.append(h('pre', { class: 'result', 'data-testid': 'import-result' }, String(r)));
    }
  }

  const sync = () => { el.hidden = !isStaff(); };
  onSessionChange(sync);
  sync();
}
