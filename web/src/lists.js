// 公示名录: the published green-mine list and the notices, as tables; for signed-in staff and
// holders the due list (待办事项); the random-inspection draws; a green mine's detail at
// #/lists/green/<uid>, a mine's restoration at #/lists/restoration/<uid>, the consolidation
// program with its rectification ledger at #/lists/program (registry.js); the audit log's newest
// signed tree head (docs/audit.md).
import { api } from './api.js';
import { h, clear, table } from './dom.js';
import { fieldLabel, valueLabel, GREEN_LEVEL } from './labels.js';
import {
  showGreenMine, showRestoration, showProgram, greenHref, programHref, uidFromArg, maySeeDue, dueSection, drawsSection, legacySection,
} from './registry.js';

const GREEN_COLUMNS = ['name', 'holder', 'licence_no', 'minerals', 'scale_class', 'status', 'level', 'green_level', 'year', 'green_year', 'jurisdiction_name'];
const NOTICE_COLUMNS = ['title', 'jurisdiction_name', 'published', 'created_at', 'at', 'date', 'body'];
const NEVER = new Set(['geometry', 'attributes', 'cite', 'version_from', 'version_to', 'uid', 'id', 'source']);
const LABEL = { name: '矿山名称', green_level: '级别', jurisdiction_name: '行政区', jurisdiction: '行政区代码' };
// In the green-mine list `level` and `year` are the list's level (national|region|league) and year.
const GREEN_LABEL = { ...LABEL, level: '名录级别', year: '入选年度' };
// A mine's name links to its detail (state, steps, next steps).
const greenValue = (k, v, row) => {
  if (k === 'name' && row && row.uid) return h('a', { href: greenHref(row.uid), 'data-testid': 'green-mine-link', 'data-uid': row.uid }, v || row.uid);
  return (k === 'level' || k === 'green_level') ? (GREEN_LEVEL[v] || valueLabel(k, v)) : valueLabel(k, v);
};

let root;
export function initLists(el) { root = el; }

function columnsFor(rows, preferred, labels = LABEL, value = valueLabel) {
  const keys = new Set();
  for (const r of rows) for (const k of Object.keys(r)) keys.add(k);
  const cols = preferred.filter((k) => keys.has(k));
  if (!keys.has('jurisdiction_name') && keys.has('jurisdiction')) cols.push('jurisdiction');
  for (const k of keys) {
    if (cols.includes(k) || NEVER.has(k) || (k === 'jurisdiction' && keys.has('jurisdiction_name'))) continue;
    if (rows.some((r) => r[k] !== null && typeof r[k] === 'object' && !Array.isArray(r[k]) && !('value' in r[k]))) continue;
    cols.push(k);
  }
  return cols.map((k) => ({ key: k, label: labels[k] || fieldLabel(k), render: (r) => value(k, r[k], r) }));
}

async function section(title, testid, load, preferred, empty, labels, value) {
  const box = h('section', { class: 'list-section', 'data-testid': `${testid}-section` }, h('h3', {}, title), h('div', { class: 'muted' }, '正在读取…'));
  root.append(box);
  let rows;
  try {
    rows = await load();
  } catch (e) {
    box.lastChild.replaceWith(h('div', { class: 'error-box' }, `无法读取：${e.message}`));
    return;
  }
  const body = rows.length
    ? h('div', {}, h('div', { class: 'muted small' }, `共 ${rows.length} 条`), table(rows, columnsFor(rows, preferred, labels, value), { 'data-testid': testid }))
    : h('div', { class: 'muted', 'data-testid': `${testid}-empty` }, empty);
  box.lastChild.replaceWith(body);
}

// A section whose body comes from make() (a node); 'loading' until then.
async function custom(title, testid, make) {
  const box = h('section', { class: 'list-section', 'data-testid': testid }, h('h3', {}, title), h('div', { class: 'muted' }, '正在读取…'));
  root.append(box);
  try {
    box.lastChild.replaceWith(await make());
  } catch (e) {
    box.lastChild.replaceWith(h('div', { class: 'error-box' }, `无法读取：${e.message}`));
  }
}

// The newest signed tree head of the audit log: what anyone may archive and later hold the
// bureau to (`mineplan audit DB --against HEAD`).
async function auditHeadSection() {
  const { latest, heads } = await api.auditHeads();
  if (!latest) return h('div', { class: 'muted', 'data-testid': 'audit-head-empty' }, '尚未发布签名树头。');
  const row = (label, value, testid) => h('tr', {}, h('th', {}, label), h('td', { 'data-testid': testid }, h('code', { class: 'hash' }, String(value))));
  return h('div', {},
    h('table', { class: 'grid audit-head', 'data-testid': 'audit-head' },
      h('tbody', {},
        row('日志行数（树大小）', latest.tree_size, 'audit-head-size'),
        row('Merkle 根哈希', latest.root_hash, 'audit-head-root'),
        row('签名时间（UTC）', latest.timestamp, 'audit-head-time'),
        row('Ed25519 签名', latest.signature, 'audit-head-signature'),
        row('公钥指纹（SHA-256）', latest.key_fingerprint, 'audit-head-fingerprint'),
        h('tr', {}, h('th', {}, '签名校验'), h('td', { 'data-testid': 'audit-head-valid' }, latest.signature_valid ? '有效' : '无效')))),
    h('div', { class: 'muted small' },
      `已发布 ${heads.length} 个树头。请将公钥指纹与本局公告的指纹核对；存档树头后，可用 mineplan audit DB --against 树头文件 验证审计日志未被截断或改写。`));
}

// arg: '' (the lists) or 'green/<uid parts, each encoded>' (a green mine's detail).
export async function showLists(arg = '') {
  if (arg.startsWith('green/') && arg.length > 6) {
    await showGreenMine(root, uidFromArg(arg.slice(6)));
    return;
  }
  if (arg.startsWith('restoration/') && arg.length > 12) {
    await showRestoration(root, uidFromArg(arg.slice(12)));
    return;
  }
  if (arg === 'program' || arg.startsWith('program/')) {
    await showProgram(root);
    return;
  }
  clear(root, h('h2', {}, '公示名录'),
    h('div', { class: 'actions' }, h('a', { href: programHref, 'data-testid': 'program-link' }, '乌拉特中旗非煤矿山整合提产方案（进展与问效整改台账）')));
  const names = new Map();
  const greenMines = () => api.greenMines().then((rows) => { for (const r of rows) names.set(r.uid, r.name); return rows; });
  const parts = [];
  if (maySeeDue()) parts.push(custom('待办事项', 'due-section', () => dueSection()));
  parts.push(section('绿色矿山名录', 'green-mines-table', greenMines, GREEN_COLUMNS, '暂无绿色矿山。', GREEN_LABEL, greenValue));
  await parts[parts.length - 1];
  parts.push(custom('双随机抽查（绿色矿山）', 'draws-section', () => drawsSection(names)));
  parts.push(custom('历史遗留矿山地质环境治理', 'legacy-section', () => legacySection()));
  parts.push(section('公示公告', 'notices-table', api.notices, NOTICE_COLUMNS, '暂无公示公告。'));
  parts.push(custom('审计日志签名树头', 'audit-head-section', () => auditHeadSection()));
  await Promise.all(parts);
}
