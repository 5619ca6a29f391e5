// 公示名录: the published green-mine list and the notices, as tables.
import { api } from './api.js';
import { h, clear, table } from './dom.js';
import { fieldLabel, valueLabel, GREEN_LEVEL } from './labels.js';

const GREEN_COLUMNS = ['name', 'holder', 'licence_no', 'minerals', 'scale_class', 'status', 'level', 'green_level', 'year', 'green_year', 'jurisdiction_name'];
const NOTICE_COLUMNS = ['title', 'jurisdiction_name', 'published', 'created_at', 'at', 'date', 'body'];
const NEVER = new Set(['geometry', 'attributes', 'cite', 'version_from', 'version_to', 'uid', 'id', 'source']);
const LABEL = { name: '矿山名称', green_level: '级别', jurisdiction_name: '行政区', jurisdiction: '行政区代码' };
// In the green-mine list `level` and `year` are the list's level (national|region|league) and year.
const GREEN_LABEL = { ...LABEL, level: '名录级别', year: '入选年度' };
const greenValue = (k, v) => ((k === 'level' || k === 'green_level') ? (GREEN_LEVEL[v] || valueLabel(k, v)) : valueLabel(k, v));

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
  return cols.map((k) => ({ key: k, label: labels[k] || fieldLabel(k), render: (r) => value(k, r[k]) }));
}

async function section(title, testid, load, preferred, empty, labels, value) {
  const box = h('section', { class: 'list-section' }, h('h3', {}, title), h('div', { class: 'muted' }, '正在读取…'));
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

export async function showLists() {
  clear(root, h('h2', {}, '公示名录'));
  await Promise.all([
    section('绿色矿山名录', 'green-mines-table', api.greenMines, GREEN_COLUMNS, '暂无绿色矿山。', GREEN_LABEL, greenValue),
    section('公示公告', 'notices-table', api.notices, NOTICE_COLUMNS, '暂无公示公告。'),
  ]);
}
