// Symbology of the one-map layers: the conventional colours of Chinese mineral-planning maps
// (prohibited red, restricted orange, exploration blue-purple, mining green …). Each entry is
// used both by the OpenLayers style functions and by the legend swatches.
import { Style, Fill, Stroke, Circle, Text } from 'ol/style.js';
import { ZONE_KIND, RIGHT_KIND, GREEN_LEVEL } from '../labels.js';

export const FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';

// fill: CSS colour; hatch: {color, cross}; stroke colour, width, dash; z: drawing order.
export const ZONE_SYMBOLS = {
  prohibited_area: { hatch: { color: '#d7191c' }, fill: 'rgba(215,25,28,0.12)', stroke: '#d7191c', width: 1.6, z: 6 },
  red_line: { fill: 'rgba(215,25,28,0.40)', stroke: '#b2182b', width: 1.2, z: 6 },
  reserve_core: { hatch: { color: '#b2182b', cross: true }, fill: 'rgba(178,24,43,0.10)', stroke: '#b2182b', width: 1.4, z: 6 },
  restricted_area: { fill: 'rgba(253,174,97,0.45)', stroke: '#f28e2b', width: 1.2, z: 5 },
  key_exploration_area: { fill: 'rgba(117,107,177,0.32)', stroke: '#5e4fa2', width: 1.2, z: 2 },
  key_mining_area: { fill: 'rgba(49,163,84,0.32)', stroke: '#1b7837', width: 1.2, z: 2 },
  concentrated_area: { fill: 'rgba(116,196,118,0.45)', stroke: '#238b45', width: 1.4, z: 4 },
  resource_base: { fill: 'rgba(161,217,155,0.30)', stroke: '#41ab5d', width: 1, z: 1 },
  exploration_block: { fill: 'rgba(33,113,181,0.04)', stroke: '#2171b5', width: 2, z: 4 },
  mining_block: { fill: 'rgba(35,139,69,0.04)', stroke: '#238b45', width: 2, z: 4 },
  consolidation_zone: { fill: 'rgba(0,139,139,0.08)', stroke: '#007b7b', width: 2, dash: [8, 5], z: 3 },
  restoration_area: { fill: 'rgba(140,81,10,0.35)', stroke: '#8c510a', width: 1.2, z: 3 },
  green_demo_zone: { fill: 'rgba(0,230,64,0.35)', stroke: '#00b140', width: 1.6, z: 2 },
  national_planned_area: { fill: 'rgba(150,150,150,0.22)', stroke: '#777777', width: 1, z: 1 },
  farmland: { fill: 'rgba(170,170,170,0.22)', stroke: '#8c8c8c', width: 1, dash: [4, 3], z: 3 },
  town_boundary: { fill: 'rgba(120,120,120,0.18)', stroke: '#666666', width: 1, dash: [2, 3], z: 3 },
  grassland: { fill: 'rgba(190,190,170,0.22)', stroke: '#999988', width: 1, z: 3 },
  other: { fill: 'rgba(160,160,160,0.25)', stroke: '#808080', width: 1, z: 1 },
};

export const RIGHT_SYMBOLS = {
  exploration: { fill: 'rgba(31,95,191,0.07)', stroke: '#1f5fbf', width: 1.6 },
  mining: { fill: 'rgba(139,58,26,0.10)', stroke: '#8b3a1a', width: 1.6 },
};

export const MINE_SYMBOLS = {
  national: { fill: '#1b7f3b', stroke: '#0b3d1b', label: '绿色矿山（国家级）' },
  region: { fill: '#4caf50', stroke: '#1b5e20', label: '绿色矿山（自治区级）' },
  league: { fill: '#a5d66f', stroke: '#33691e', label: '绿色矿山（盟市级）' },
  none: { fill: '#3a3a3a', stroke: '#111111', label: '矿山' },
};

export const DIVISION_SYMBOLS = {
  region: { stroke: '#6b6b6b', width: 2, fill: '#fdfcf6' },
  league: { stroke: '#8d8d8d', width: 1.2 },
  county: { stroke: '#b0b0b0', width: 0.7 },
};

export const APPLICATION_SYMBOL = { fill: 'rgba(197,27,138,0.10)', stroke: '#c51b8a', width: 1.8, dash: [6, 4] };

export const OUTCOME_SYMBOLS = {
  fail: { fill: 'rgba(227,26,28,0.30)', stroke: '#e31a1c', width: 2.2 },
  attention: { fill: 'rgba(255,127,0,0.28)', stroke: '#ff7f00', width: 2.2 },
  pass: { fill: 'rgba(51,160,44,0.12)', stroke: '#33a02c', width: 1.6 },
  other: { fill: 'rgba(128,128,128,0.12)', stroke: '#777777', width: 1.4 },
  boundary: { fill: 'rgba(13,71,161,0.12)', stroke: '#0d47a1', width: 3 },
};

// ---- patterns ---------------------------------------------------------------------------
const patterns = new Map();
export function hatchPattern(color, cross = false, size = 10) {
  const key = `${color}|${cross}|${size}`;
  if (patterns.has(key)) return patterns.get(key);
  const c = document.createElement('canvas');
  c.width = c.height = size;
  const g = c.getContext('2d');
  g.strokeStyle = color;
  g.lineWidth = 1.3;
  g.beginPath();
  g.moveTo(0, size); g.lineTo(size, 0);
  g.moveTo(-size / 2, size / 2); g.lineTo(size / 2, -size / 2);
  g.moveTo(size / 2, size * 1.5); g.lineTo(size * 1.5, size / 2);
  if (cross) {
    g.moveTo(0, 0); g.lineTo(size, size);
    g.moveTo(-size / 2, size / 2); g.lineTo(size / 2, size * 1.5);
    g.moveTo(size / 2, -size / 2); g.lineTo(size * 1.5, size / 2);
  }
  g.stroke();
  const p = g.createPattern(c, 'repeat');
  patterns.set(key, p);
  return p;
}

function polygonStyles(sym) {
  const out = [];
  out.push(new Style({
    fill: sym.fill ? new Fill({ color: sym.fill }) : undefined,
    stroke: new Stroke({ color: sym.stroke, width: sym.width || 1, lineDash: sym.dash }),
    zIndex: sym.z || 0,
  }));
  if (sym.hatch) out.unshift(new Style({ fill: new Fill({ color: hatchPattern(sym.hatch.color, sym.hatch.cross) }), zIndex: sym.z || 0 }));
  return out;
}

// ---- style functions ------------------------------------------------------------------
const cache = new Map();
function cached(key, make) {
  if (!cache.has(key)) cache.set(key, make());
  return cache.get(key);
}

// Kinds the user switched off in the legend, per layer.
export const hidden = { zones: new Set(), rights: new Set(), mines: new Set() };

export function zoneKindOf(kind) {
  return ZONE_SYMBOLS[kind] ? kind : 'other';
}

function zoneStyle(feature) {
  const kind = zoneKindOf(feature.get('kind'));
  if (hidden.zones.has(kind)) return null;
  return cached(`zones|${kind}`, () => polygonStyles(ZONE_SYMBOLS[kind]));
}

function rightStyle(feature) {
  const kind = feature.get('kind') === 'exploration' ? 'exploration' : 'mining';
  if (hidden.rights.has(kind)) return null;
  const closed = feature.get('status') === 'closed';
  return cached(`rights|${kind}|${closed}`, () => {
    const sym = RIGHT_SYMBOLS[kind];
    return polygonStyles({ ...sym, dash: closed ? [3, 3] : undefined });
  });
}

function mineStyle(feature) {
  const level = MINE_SYMBOLS[feature.get('green_level')] ? feature.get('green_level') : 'none';
  if (hidden.mines.has(level)) return null;
  return cached(`mines|${level}`, () => {
    const sym = MINE_SYMBOLS[level];
    return new Style({
      image: new Circle({ radius: level === 'none' ? 4 : 5, fill: new Fill({ color: sym.fill }), stroke: new Stroke({ color: '#ffffff', width: 1 }) }),
      fill: new Fill({ color: sym.fill }),
      stroke: new Stroke({ color: sym.stroke, width: 1.2 }),
      zIndex: 1,
    });
  });
}

// Resolution of zoom 7 in EPSG:3857 (156543.03 / 2^7) and a hair of slack.
const Z7 = 156543.03392804097 / 128 + 1;

function divisionStyle(feature) {
  const level = DIVISION_SYMBOLS[feature.get('level')] ? feature.get('level') : 'county';
  const sym = DIVISION_SYMBOLS[level];
  return cached(`div|${level}`, () => new Style({
    fill: sym.fill ? new Fill({ color: sym.fill }) : undefined,
    stroke: new Stroke({ color: sym.stroke, width: sym.width }),
    zIndex: level === 'region' ? 0 : level === 'league' ? 2 : 1,
  }));
}

// County names at zoom >= 7. They are drawn from a separate, coarse (z<=6) tile source of the
// divisions layer: a polygon cut at every tile edge would otherwise be labelled once per tile.
export const LABEL_MIN_ZOOM = 7;
export function divisionLabelStyle(feature, resolution) {
  if (feature.get('level') !== 'county' || resolution > Z7) return null;
  const name = feature.get('name');
  if (!name) return null;
  return cached(`divlabel|${name}`, () => new Style({
    text: new Text({
      text: name, font: `12px ${FONT_FAMILY}`, fill: new Fill({ color: '#555555' }),
      stroke: new Stroke({ color: 'rgba(255,255,255,0.9)', width: 3 }), overflow: true,
    }),
  }));
}

function applicationStyle() {
  return cached('applications', () => polygonStyles(APPLICATION_SYMBOL));
}

export function styleFor(layerName) {
  switch (layerName) {
    case 'zones': return zoneStyle;
    case 'rights': return rightStyle;
    case 'mines': return mineStyle;
    case 'divisions': return divisionStyle;
    case 'applications': return applicationStyle;
    default: return () => cached(`other|${layerName}`, () => polygonStyles(ZONE_SYMBOLS.other));
  }
}

// The review overlay: the boundary and the zones/rights the findings name, by outcome.
export function reviewStyle(feature) {
  const role = feature.get('role') === 'boundary' ? 'boundary' : (OUTCOME_SYMBOLS[feature.get('outcome')] ? feature.get('outcome') : 'other');
  return cached(`review|${role}`, () => {
    const sym = OUTCOME_SYMBOLS[role];
    return new Style({
      fill: new Fill({ color: sym.fill }),
      stroke: new Stroke({ color: sym.stroke, width: sym.width, lineDash: role === 'boundary' ? undefined : [6, 3] }),
      image: new Circle({ radius: 6, fill: new Fill({ color: sym.stroke }) }),
      zIndex: role === 'boundary' ? 10 : role === 'fail' ? 3 : role === 'attention' ? 2 : 1,
    });
  });
}

export const highlightStyle = new Style({
  fill: new Fill({ color: 'rgba(0,188,212,0.18)' }),
  stroke: new Stroke({ color: '#00acc1', width: 3 }),
  image: new Circle({ radius: 7, stroke: new Stroke({ color: '#00acc1', width: 3 }) }),
});

// ---- legend -----------------------------------------------------------------------------
// [{key, label, sym, shape: 'area'|'line'|'point'}] per layer.
export function legendEntries(layerName) {
  switch (layerName) {
    case 'zones':
      return Object.keys(ZONE_SYMBOLS).map((k) => ({ key: k, label: k === 'other' ? '其他分区' : ZONE_KIND[k], sym: ZONE_SYMBOLS[k], shape: 'area' }));
    case 'rights':
      return Object.keys(RIGHT_SYMBOLS).map((k) => ({ key: k, label: RIGHT_KIND[k], sym: RIGHT_SYMBOLS[k], shape: 'area' }));
    case 'mines':
      return Object.keys(MINE_SYMBOLS).map((k) => ({ key: k, label: k === 'none' ? '矿山' : `绿色矿山（${GREEN_LEVEL[k]}）`, sym: MINE_SYMBOLS[k], shape: 'point' }));
    case 'divisions':
      return [
        { key: 'league', label: '盟市界', sym: DIVISION_SYMBOLS.league, shape: 'line' },
        { key: 'county', label: '旗县界', sym: DIVISION_SYMBOLS.county, shape: 'line' },
      ];
    case 'applications':
      return [{ key: 'application', label: '申请范围', sym: APPLICATION_SYMBOL, shape: 'area' }];
    default:
      return [{ key: 'other', label: layerName, sym: ZONE_SYMBOLS.other, shape: 'area' }];
  }
}

// A small canvas swatch drawn with the same symbol as the map.
export function swatch(entry, w = 30, hgt = 16) {
  const c = document.createElement('canvas');
  const ratio = window.devicePixelRatio || 1;
  c.width = w * ratio; c.height = hgt * ratio;
  c.style.width = `${w}px`; c.style.height = `${hgt}px`;
  c.className = 'swatch';
  const g = c.getContext('2d');
  g.scale(ratio, ratio);
  const { sym, shape } = entry;
  if (shape === 'point') {
    g.beginPath(); g.arc(w / 2, hgt / 2, 5, 0, Math.PI * 2);
    g.fillStyle = sym.fill; g.fill(); g.strokeStyle = '#fff'; g.lineWidth = 1; g.stroke();
    return c;
  }
  if (shape === 'line') {
    g.beginPath(); g.moveTo(2, hgt / 2); g.lineTo(w - 2, hgt / 2);
    g.strokeStyle = sym.stroke; g.lineWidth = Math.max(1, sym.width); g.stroke();
    return c;
  }
  const x = 2, y = 2, rw = w - 4, rh = hgt - 4;
  if (sym.fill) { g.fillStyle = sym.fill; g.fillRect(x, y, rw, rh); }
  if (sym.hatch) { g.fillStyle = hatchPattern(sym.hatch.color, sym.hatch.cross, 6); g.fillRect(x, y, rw, rh); }
  g.setLineDash(sym.dash ? sym.dash.map((d) => d / 2) : []);
  g.strokeStyle = sym.stroke; g.lineWidth = Math.min(2, sym.width || 1);
  g.strokeRect(x, y, rw, rh);
  return c;
}
