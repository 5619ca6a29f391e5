// Chinese labels of the values and fields the API returns.

export const ROLE = {
  region_staff: '自治区工作人员',
  league_staff: '盟市工作人员',
  county_staff: '旗县工作人员',
  reviewer: '审查员',
  holder: '矿业权人',
};

export const LAYER_TITLE = {
  divisions: '行政区划',
  zones: '规划分区',
  rights: '矿业权',
  mines: '矿山',
  applications: '申请审查',
};

export const ZONE_KIND = {
  prohibited_area: '禁止开采区',
  red_line: '生态保护红线',
  reserve_core: '自然保护地核心保护区',
  restricted_area: '限制开采区',
  key_exploration_area: '重点勘查区',
  key_mining_area: '重点开采区',
  concentrated_area: '集中开采区',
  resource_base: '能源资源基地',
  national_planned_area: '国家规划矿区',
  exploration_block: '勘查规划区块',
  mining_block: '开采规划区块',
  consolidation_zone: '整合区',
  restoration_area: '矿山地质环境治理区',
  green_demo_zone: '绿色矿业发展示范区',
  farmland: '永久基本农田',
  town_boundary: '城镇开发边界',
  grassland: '草原',
};

export const RIGHT_KIND = { exploration: '探矿权', mining: '采矿权' };
export const STATUS = { producing: '生产', construction: '在建', stopped: '停产', closed: '闭坑', valid: '有效', expired: '过期' };
export const SCALE_CLASS = { large: '大型', medium: '中型', small: '小型', below_small: '小矿' };
export const GREEN_LEVEL = { national: '国家级', region: '自治区级', league: '盟市级' };
export const METHOD = { 'open-pit': '露天', underground: '地下（井工）' };
export const DIVISION_LEVEL = { region: '自治区', league: '盟市', county: '旗县' };
export const TARGET_KIND = { binding: '约束性', indicative: '预期性', unspecified: '未注明' };
export const PLAN_LEVEL = DIVISION_LEVEL;

export const ACTION = { new: '新立', extend: '延续', change: '变更', convert: '探矿权转采矿权', transfer: '转让' };
export const APPLICANT_TYPE = { company: '企业', individual: '个人', government: '政府', other: '其他' };
export const CONDITIONS = {
  green_mine_standard: '达到绿色矿山建设标准',
  restoration_plan: '矿山地质环境保护与土地复垦方案',
  restoration_fund: '矿山地质环境治理恢复基金',
  reclamation_plan: '土地复垦方案',
  eia: '环境影响评价',
  safety: '安全评价',
  recovery_rates: '“三率”达标',
  development_plan: '矿产资源开发利用方案',
};

export const OUTCOME = { pass: '符合', fail: '不符合', attention: '须核实', 'n/a': '不适用' };
export const VERDICT = { pass: '通过', conditional: '有条件通过', reject: '不通过' };
export const CHECK = {
  mineral_policy: '矿种政策', min_scale: '最低开采规模', timing: '时序', quota: '总量控制',
  zone_control: '分区管控', access_condition: '准入条件', provision: '规定', overlap: '矿业权重叠',
  register: '登记核对', boundary: '范围',
};

export const SEED = {
  '000': '内蒙古自治区矿产资源总体规划（2016-2020年）',
  '001': '达拉特旗矿产资源总体规划（2021-2025年）',
  '002': '二连浩特市矿产资源总体规划（2021-2025年）',
  '003': '乌拉特中旗非煤矿山整合提产方案',
  '004': '伊金霍洛旗绿色矿山建设规划',
};

export function seedTitle(seed) {
  if (!seed) return '';
  const t = SEED[String(seed).slice(0, 3)];
  return t ? `《${t}》` : seed;
}

// Field names of features, plans, mines and notices.
export const FIELD = {
  id: '编号', uid: '唯一编号', code: '代码', name: '名称', level: '级别', parent: '上级',
  plan_id: '所属规划', plan: '规划', zone_id: '分区编号', kind: '类型', minerals: '矿种', mineral: '矿种',
  licence_no: '许可证号', holder: '矿业权人', status: '状态', valid_from: '有效期起', valid_to: '有效期止',
  scale_class: '规模类型', green_level: '绿色矿山级别', green_year: '入库年度', scale: '生产规模',
  method: '开采方式', area: '面积', official_area_m2: '面积（平方米，高斯平面）', jurisdiction: '行政区',
  jurisdiction_name: '行政区', attributes: '台账属性', source: '来源', cite: '出处', citation: '出处',
  version_from: '版本起', version_to: '版本止', title: '标题', body: '内容', published: '发布时间',
  created_at: '发布时间', at: '时间', date: '日期', type: '类型', count: '数量', layer: '图层',
  area_km2: '面积（平方千米）', quota: '投放数量', controls: '管控要求', notes: '备注', note: '备注',
  verdict: '审查结论', applicant: '申请人', record_id: '审查记录号', holder_name: '矿业权人',
  in_force_from: '实施起', in_force_to: '实施止', base_year: '基期', outlook_year: '展望年',
};

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
export const DUE_STATUS = { overdue: '已逾期', due: '即将到期' };
export const REGISTRY = {
  'green-mine': '绿色矿山名录', consolidation: '整合提产', 'program-rectification': '问效整改',
  restoration: '治理恢复与土地复垦', 'annual-filings': '年度报送', 'green-mine-draw': '双随机抽查',
};
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
