// Symbology of the one-map layers: the conventional colours of Chinese mineral-planning maps
// (prohibited red, restricted orange, exploration blue-purple, mining green …). The colours are
// data (data/vocabulary.json, each value's "map" symbol, read through labels.js); each entry is
// used both by the OpenLayers style functions and by the legend swatches.
import { Style, Fill, Stroke, Circle, Text } from 'ol/style.js';
import { ZONE_KIND, RIGHT_KIND, GREEN_LEVEL, DIVISION_LEVEL, terms, vocabulary } from '../labels.js';

export const FONT_FAMILY = '"Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Microsoft YaHei", sans-serif';

// A CSS colour of "#rrggbb" and an opacity.
export function cssColor(hex, opacity = 1) {
  if (opacity >= 1 || !/^#[0-9a-f]{6}$/i.test(hex)) return hex;
  const n = parseInt(hex.slice(1), 16);
  return `rgba(${(n >> 16) & 255},${(n >> 8) & 255},${n & 255},${opacity})`;
}

// A vocabulary "map" symbol as the style functions want it: fill: CSS colour; hatch:
// {color, cross}; stroke colour, width, dash; z: drawing order.
function sym(m) {
  if (!m) return null;
  const out = { stroke: m.stroke, width: m.stroke_width };
  if (m.fill) out.fill = cssColor(m.fill, m.fill_opacity ?? 1);
  if (m.hatch) out.hatch = { color: m.hatch.color, cross: !!m.hatch.cross };
  if (m.dash && m.dash.length) out.dash = m.dash;
  if (m.z !== undefined) out.z = m.z;
  return out;
}

function table(set) {
  const out = {};
  for (const t of terms(set)) if (t.map) out[t.value] = sym(t.map);
  return out;
}

const GREY = { fill: 'rgba(160,160,160,0.25)', stroke: '#808080', width: 1, z: 1 };
function named(name) {
  const s = vocabulary.symbols[name];
  return (s && sym(s.map)) || GREY;
}
function namedLabel(name, fallback) {
  const s = vocabulary.symbols[name];
  return (s && s.label) || fallback;
}

// The tables, built once from the vocabulary (loaded before any layer is drawn).
export const ZONE_SYMBOLS = {};
export const RIGHT_SYMBOLS = {};
export const MINE_SYMBOLS = {};
export const DIVISION_SYMBOLS = {};
export const OUTCOME_SYMBOLS = {};
export let APPLICATION_SYMBOL = GREY;
let built = false;
function build() {
  if (built || !Object.keys(vocabulary.sets).length) return;
  built = true;
  Object.assign(ZONE_SYMBOLS, table('zone_kinds'), { other: named('other_zone') });
  Object.assign(RIGHT_SYMBOLS, table('right_kinds'));
  Object.assign(MINE_SYMBOLS, table('green_levels'), { none: named('mine') });
  Object.assign(DIVISION_SYMBOLS, table('division_levels'));
  Object.assign(OUTCOME_SYMBOLS, table('outcomes'), { other: named('other_outcome'), boundary: named('review_boundary') });
  delete OUTCOME_SYMBOLS['n/a']; // not-applicable findings draw as "other"
  APPLICATION_SYMBOL = named('application');
}

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
  build();
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
  build();
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
  build();
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
  build();
  switch (layerName) {
    case 'zones':
      return Object.keys(ZONE_SYMBOLS).map((k) => ({ key: k, label: k === 'other' ? namedLabel('other_zone', k) : ZONE_KIND[k], sym: ZONE_SYMBOLS[k], shape: 'area' }));
    case 'rights':
      return Object.keys(RIGHT_SYMBOLS).map((k) => ({ key: k, label: RIGHT_KIND[k], sym: RIGHT_SYMBOLS[k], shape: 'area' }));
    case 'mines':
      return Object.keys(MINE_SYMBOLS).map((k) => ({ key: k, label: k === 'none' ? namedLabel('mine', k) : `绿色矿山（${GREEN_LEVEL[k]}）`, sym: MINE_SYMBOLS[k], shape: 'point' }));
    case 'divisions':
      return [
        { key: 'league', label: `${DIVISION_LEVEL.league}界`, sym: DIVISION_SYMBOLS.league, shape: 'line' },
        { key: 'county', label: `${DIVISION_LEVEL.county}界`, sym: DIVISION_SYMBOLS.county, shape: 'line' },
      ];
    case 'applications':
      return [{ key: 'application', label: namedLabel('application', 'application'), sym: APPLICATION_SYMBOL, shape: 'area' }];
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
