// 一张图: the OpenLayers map (EPSG:3857, no external basemap), the vector-tile layers the
// caller may see, the layer switcher and legend, identify, search and pointer coordinates.
import OlMap from 'ol/Map.js';
import View from 'ol/View.js';
import Overlay from 'ol/Overlay.js';
import VectorTileLayer from 'ol/layer/VectorTile.js';
import VectorTileSource from 'ol/source/VectorTile.js';
import VectorLayer from 'ol/layer/Vector.js';
import VectorSource from 'ol/source/Vector.js';
import MVT from 'ol/format/MVT.js';
import GeoJSON from 'ol/format/GeoJSON.js';
import Feature from 'ol/Feature.js';
import Draw from 'ol/interaction/Draw.js';
import MultiPolygon from 'ol/geom/MultiPolygon.js';
import { defaults as defaultControls, ScaleLine } from 'ol/control.js';
import { fromLonLat, toLonLat, transformExtent } from 'ol/proj.js';
import { isEmpty as extentIsEmpty, getWidth, getHeight, buffer as bufferExtent } from 'ol/extent.js';
import { Style, Fill, Stroke, Circle } from 'ol/style.js';

import { api, ApiError } from './api.js';
import { h, clear } from './dom.js';
import { formatGK } from './coords.js';
import { fieldLabel, valueLabel, LAYER_TITLE, seedTitle } from './labels.js';
import { styleFor, reviewStyle, highlightStyle, legendEntries, swatch, hidden, divisionLabelStyle, LABEL_MIN_ZOOM } from './layers/style.js';

export const CENTER = [111.7, 44];
export const ZOOM = 5;
const LAYER_ORDER = ['divisions', 'zones', 'rights', 'mines', 'applications'];
const geojson = new GeoJSON();
const READ = { dataProjection: 'EPSG:4326', featureProjection: 'EPSG:3857' };

let map;
let popup;
let popupEl;
let mapEl;
const tileLayers = new Map(); // name -> VectorTileLayer
let labelLayer = null; // county names (see divisionLabelStyle)
let layerList = [];
const switchedOff = new Set(); // layer names the user unticked
let tileVersion = 0;
const stats = { tilesLoaded: 0, tilesEmpty: 0, tileErrors: 0, renders: 0 };

const reviewSource = new VectorSource();
const drawSource = new VectorSource();
const highlightSource = new VectorSource();
let draw = null;
let lastDrawAt = 0;

export function getMap() { return map; }

export function initMap(target) {
  mapEl = target;
  popupEl = h('div', { class: 'ol-popup', 'data-testid': 'identify-popup' });
  popup = new Overlay({ element: popupEl, autoPan: { animation: { duration: 200 } }, positioning: 'bottom-center', offset: [0, -10] });

  map = new OlMap({
    target,
    layers: [
      new VectorLayer({ source: reviewSource, style: reviewStyle, zIndex: 20, properties: { name: 'review' } }),
      new VectorLayer({
        source: drawSource, zIndex: 21, properties: { name: 'draw' },
        style: new Style({
          fill: new Fill({ color: 'rgba(13,71,161,0.15)' }),
          stroke: new Stroke({ color: '#0d47a1', width: 2.5, lineDash: [8, 4] }),
          image: new Circle({ radius: 5, fill: new Fill({ color: '#0d47a1' }) }),
        }),
      }),
      new VectorLayer({ source: highlightSource, style: highlightStyle, zIndex: 22, properties: { name: 'highlight' } }),
    ],
    overlays: [popup],
    controls: defaultControls({ attribution: false, rotate: false }).extend([new ScaleLine({ units: 'metric' })]),
    view: new View({ projection: 'EPSG:3857', center: fromLonLat(CENTER), zoom: ZOOM, minZoom: 3, maxZoom: 19 }),
  });

  map.on('rendercomplete', () => {
    stats.renders += 1;
    mapEl.dataset.renders = String(stats.renders);
  });

  const coordsEl = document.querySelector('[data-testid="pointer-coords"]');
  map.on('pointermove', (e) => {
    if (e.dragging) return;
    const [lon, lat] = toLonLat(e.coordinate);
    coordsEl.textContent = formatGK(lon, lat);
  });
  target.addEventListener('mouseleave', () => { coordsEl.textContent = ''; });

  map.on('singleclick', (e) => {
    // A click that finished a drawing arrives as a singleclick 250 ms later: not an identify.
    if (draw || Date.now() - lastDrawAt < 600) return;
    identify(e.pixel, e.coordinate);
  });
  map.on('pointermove', (e) => {
    if (e.dragging || draw) return;
    const hit = map.hasFeatureAtPixel(e.pixel, { layerFilter: (l) => !!l.get('mpLayer') && l.get('mpLayer') !== 'divisions', hitTolerance: 3 });
    target.style.cursor = hit ? 'pointer' : '';
  });
  window.mineplan = { map, stats, tileLayers };
  return map;
}

export function updateSize() {
  if (map) map.updateSize();
}

// ---- vector-tile layers ------------------------------------------------------------------
function tileUrl(layer) {
  const base = typeof layer.tiles === 'string' && layer.tiles.includes('{z}')
    ? layer.tiles : `/tiles/${encodeURIComponent(layer.name)}/{z}/{x}/{y}.mvt`;
  return tileVersion ? `${base}${base.includes('?') ? '&' : '?'}v=${tileVersion}` : base;
}

function makeTileLayer(layer) {
  const source = new VectorTileSource({
    format: new MVT({ layers: [layer.name] }),
    url: tileUrl(layer),
    maxZoom: 14,
    transition: 0,
  });
  source.on('tileloadend', () => { stats.tilesLoaded += 1; mapEl.dataset.tilesLoaded = String(stats.tilesLoaded); });
  source.on('tileloaderror', () => { stats.tileErrors += 1; mapEl.dataset.tileErrors = String(stats.tileErrors); });
  const z = LAYER_ORDER.indexOf(layer.name);
  return new VectorTileLayer({
    source,
    style: styleFor(layer.name),
    renderMode: 'hybrid',
    zIndex: z < 0 ? 5 : z,
    visible: !switchedOff.has(layer.name),
    properties: { mpLayer: layer.name, title: layer.title || LAYER_TITLE[layer.name] || layer.name },
  });
}

// Which layers the caller may see: the server lists them (GET /api/layers). A layer whose
// audience is not public is offered only with a session and only when the server gives it tiles.
export function offeredLayers(list, user) {
  return list.filter((l) => l && l.name && l.tiles !== false && l.tiles !== null &&
    (l.audience === undefined || l.audience === 'public' || !!user) && l.visible !== false && l.allowed !== false);
}

// A county cut by tile edges comes in pieces: only its largest piece (by extent) is labelled.
const bestLabel = new Map(); // name -> {tile, area}
let relabel = null;
function labelSource(l) {
  const source = new VectorTileSource({ format: new MVT({ layers: [l.name] }), url: tileUrl(l), maxZoom: 6, transition: 0 });
  source.on('tileloadend', (e) => {
    const key = e.tile.tileCoord.join('/');
    let changed = false;
    for (const f of e.tile.getFeatures() || []) {
      if (f.get('level') !== 'county' || !f.get('name')) continue;
      f.getProperties().__tile = key;
      const ext = f.getExtent();
      const area = (ext[2] - ext[0]) * (ext[3] - ext[1]);
      const cur = bestLabel.get(f.get('name'));
      if (!cur || area > cur.area || (cur.tile === key && area !== cur.area)) {
        if (!cur || cur.tile !== key) changed = true;
        bestLabel.set(f.get('name'), { tile: key, area });
      }
    }
    if (changed && !relabel) {
      relabel = setTimeout(() => { relabel = null; if (labelLayer) labelLayer.changed(); }, 100);
    }
  });
  return source;
}

export function setLayers(list, user) {
  const wanted = offeredLayers(list, user);
  for (const layer of tileLayers.values()) map.removeLayer(layer);
  tileLayers.clear();
  if (labelLayer) { map.removeLayer(labelLayer); labelLayer = null; }
  for (const l of wanted) {
    const layer = makeTileLayer(l);
    tileLayers.set(l.name, layer);
    map.addLayer(layer);
    if (l.name === 'divisions') {
      labelLayer = new VectorTileLayer({
        source: labelSource(l),
        style: (f, res) => {
          const best = bestLabel.get(f.get('name'));
          return best && best.tile !== f.get('__tile') ? null : divisionLabelStyle(f, res);
        },
        declutter: true,
        minZoom: LABEL_MIN_ZOOM - 0.001,
        zIndex: 15,
        visible: layer.getVisible(),
        properties: { name: 'division-labels' },
      });
      layer.on('change:visible', () => labelLayer && labelLayer.setVisible(layer.getVisible()));
      map.addLayer(labelLayer);
    }
  }
  layerList = wanted.sort((a, b) => rank(a.name) - rank(b.name));
  renderLayerPanel();
}

function rank(name) {
  const i = LAYER_ORDER.indexOf(name);
  return i < 0 ? 99 : i;
}

export function refreshTiles(names) {
  tileVersion += 1;
  for (const l of layerList) {
    if (names && !names.includes(l.name)) continue;
    const layer = tileLayers.get(l.name);
    if (!layer) continue;
    const src = layer.getSource();
    src.setUrl(tileUrl(l));
    src.clear();
    src.refresh();
  }
}

// ---- layer switcher and legend --------------------------------------------------------
function renderLayerPanel() {
  const listEl = document.querySelector('[data-testid="layer-list"]');
  const legendEl = document.querySelector('[data-testid="legend"]');
  if (!listEl || !legendEl) return;
  clear(listEl);
  for (const l of layerList) {
    const layer = tileLayers.get(l.name);
    const title = l.title || LAYER_TITLE[l.name] || l.name;
    listEl.append(h('label', { class: 'layer-item', 'data-testid': `layer-item-${l.name}` },
      h('input', {
        type: 'checkbox', checked: layer.getVisible(), 'data-testid': `layer-toggle-${l.name}`,
        onchange: (e) => {
          layer.setVisible(e.target.checked);
          if (e.target.checked) switchedOff.delete(l.name); else switchedOff.add(l.name);
          renderLegend(legendEl);
        },
      }),
      h('span', { class: 'layer-title' }, title),
      Number.isFinite(l.count) ? h('span', { class: 'layer-count' }, `${l.count}`) : null));
  }
  renderLegend(legendEl);
}

function renderLegend(legendEl) {
  clear(legendEl);
  for (const l of [...layerList].reverse()) {
    const layer = tileLayers.get(l.name);
    if (!layer || !layer.getVisible()) continue;
    const toggles = hidden[l.name];
    legendEl.append(h('div', { class: 'legend-group', 'data-testid': `legend-${l.name}` },
      h('div', { class: 'legend-title' }, l.title || LAYER_TITLE[l.name] || l.name),
      legendEntries(l.name).map((entry) => h('label', { class: 'legend-item', title: toggles ? '点击显示/隐藏' : '' },
        toggles ? h('input', {
          type: 'checkbox', checked: !toggles.has(entry.key),
          onchange: (e) => {
            if (e.target.checked) toggles.delete(entry.key); else toggles.add(entry.key);
            layer.changed();
          },
        }) : null,
        swatch(entry),
        h('span', {}, entry.label)))));
  }
}

// ---- identify -----------------------------------------------------------------------------
const SKIP = new Set(['layer', 'geometry']);
const POPUP_FIELDS = {
  divisions: ['name', 'code', 'level'],
  zones: ['name', 'kind', 'code', 'plan_id', 'zone_id', 'minerals'],
  rights: ['name', 'licence_no', 'kind', 'holder', 'minerals', 'status', 'valid_to'],
  mines: ['name', 'minerals', 'scale_class', 'status', 'green_level'],
};

// The API id of a tile feature: zones `plan/zone`, rights and mines their uid, divisions their code.
export function featureId(layer, p) {
  if (layer === 'zones' && p.plan_id && p.zone_id) return `${p.plan_id}/${p.zone_id}`;
  if ((layer === 'rights' || layer === 'mines') && p.uid) return p.uid;
  if (layer === 'divisions' && p.code) return p.code;
  return p.id;
}

function identify(pixel, coordinate) {
  const hits = [];
  const seen = new Set();
  map.forEachFeatureAtPixel(pixel, (f, layer) => {
    const name = layer && layer.get('mpLayer');
    if (!name) return;
    const props = f.getProperties();
    const id = featureId(name, props);
    const key = `${name}|${id}`;
    if (seen.has(key)) return;
    seen.add(key);
    hits.push({ layer: name, title: layer.get('title'), props, id });
  }, { hitTolerance: 4, layerFilter: (l) => !!l.get('mpLayer') });
  if (!hits.length) { closePopup(); return; }
  hits.sort((a, b) => rank(b.layer) - rank(a.layer));
  renderHits(hits.slice(0, 8), coordinate);
}

function closePopup() {
  popup.setPosition(undefined);
  highlightSource.clear();
}

function popupShell(...content) {
  clear(popupEl);
  popupEl.append(h('button', { class: 'popup-close', title: '关闭', 'data-testid': 'popup-close', onclick: closePopup }, '×'),
    h('div', { class: 'popup-body' }, content));
}

function renderHits(hits, coordinate) {
  popupShell(hits.map((hit) => {
    const fields = (POPUP_FIELDS[hit.layer] || Object.keys(hit.props)).filter((k) => hit.props[k] !== undefined && !SKIP.has(k));
    return h('div', { class: 'hit', 'data-testid': 'identify-hit' },
      h('div', { class: 'hit-title' }, h('span', { class: 'hit-layer' }, hit.title), ' ', hit.props.name || hit.id || ''),
      h('table', { class: 'kv' }, fields.map((k) => h('tr', {}, h('th', {}, fieldLabel(k)), h('td', {}, valueLabel(k, hit.props[k]))))),
      hit.id !== undefined && hit.id !== null ? h('a', {
        href: '#', class: 'detail-link', 'data-testid': 'identify-detail',
        onclick: (e) => { e.preventDefault(); showDetail(hit.layer, hit.id, hit.title, () => renderHits(hits, coordinate)); },
      }, '详情') : null);
  }));
  popup.setPosition(coordinate);
}

async function showDetail(layer, id, title, back) {
  popupShell(h('div', { class: 'muted' }, '正在读取…'));
  let data;
  try {
    data = await api.feature(layer, id);
  } catch (e) {
    popupShell(h('div', { class: 'error' }, e instanceof ApiError && e.status === 401 ? '请先登录后查看' : `无法读取：${e.message}`),
      h('a', { href: '#', onclick: (ev) => { ev.preventDefault(); back(); } }, '返回'));
    return;
  }
  const feature = data && data.type === 'FeatureCollection' ? (data.features || [])[0] : data;
  const props = { ...((feature && feature.properties) || {}) };
  if (feature && feature.id !== undefined && props.id === undefined) props.id = feature.id;
  highlightSource.clear();
  if (feature && feature.geometry) {
    try {
      const geom = { ...feature.geometry };
      delete geom.crs;
      highlightSource.addFeature(new Feature(geojson.readGeometry(geom, READ)));
    } catch (e) { console.warn('detail geometry', e); }
  }
  popupShell(
    h('div', { class: 'hit-title' }, h('span', { class: 'hit-layer' }, title), ' ', props.name || id),
    h('div', { class: 'detail', 'data-testid': 'feature-detail' }, kvTable(props)),
    h('a', { href: '#', 'data-testid': 'detail-back', onclick: (e) => { e.preventDefault(); highlightSource.clear(); back(); } }, '返回'));
}

function kvTable(obj) {
  return h('table', { class: 'kv' }, Object.entries(obj).filter(([k]) => !SKIP.has(k)).map(([k, v]) =>
    h('tr', {}, h('th', {}, fieldLabel(k)), h('td', {}, renderValue(k, v)))));
}

function renderValue(k, v) {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    if ('seed' in v && 'section' in v) {
      return h('span', { title: v.quote || '' }, `${seedTitle(v.seed)} ${v.section}`, v.quote ? h('div', { class: 'quote' }, `“${v.quote}”`) : null);
    }
    if ('value' in v && 'unit' in v && Object.keys(v).length <= 3) return `${v.value} ${v.unit}`;
    return Object.keys(v).length ? kvTable(v) : '—';
  }
  return valueLabel(k, v);
}

// ---- search ------------------------------------------------------------------------------
export function initSearch(form, input, results) {
  form.addEventListener('submit', async (e) => {
    e.preventDefault();
    const q = input.value.trim();
    clear(results);
    if (!q) return;
    results.append(h('li', { class: 'muted' }, '正在搜索…'));
    let rows;
    try {
      rows = await api.search(q);
    } catch (err) {
      clear(results, h('li', { class: 'error' }, `搜索失败：${err.message}`));
      return;
    }
    clear(results);
    if (!rows.length) { results.append(h('li', { class: 'muted', 'data-testid': 'search-empty' }, '没有找到')); return; }
    for (const r of rows) {
      const label = [h('span', { class: 'hit-layer' }, LAYER_TITLE[r.layer] || r.layer), ' ', r.name || r.id,
        r.licence_no ? h('span', { class: 'muted' }, ` ${r.licence_no}`) : null];
      const hasBox = Array.isArray(r.bbox) && r.bbox.length >= 4;
      results.append(h('li', {}, hasBox
        ? h('a', { href: '#', 'data-testid': 'search-result', onclick: (ev) => { ev.preventDefault(); zoomToBbox(r.bbox); } }, label)
        : h('span', { 'data-testid': 'search-result', title: '尚无空间范围数据' }, label, h('span', { class: 'muted small' }, '（无范围）'))));
    }
  });
}

// bbox: [minLon, minLat, maxLon, maxLat] (CGCS2000 ≈ WGS 84 at map scale).
export function zoomToBbox(bbox) {
  if (!Array.isArray(bbox) || bbox.length < 4 || !bbox.every(Number.isFinite)) return;
  let ext = transformExtent(bbox.slice(0, 4), 'EPSG:4326', 'EPSG:3857');
  if (getWidth(ext) < 200 && getHeight(ext) < 200) ext = bufferExtent(ext, 500);
  map.getView().fit(ext, { padding: [40, 40, 40, 40], maxZoom: 16, duration: 400 });
}

// ---- review overlay ------------------------------------------------------------------------
export function showReview(boundary, features) {
  reviewSource.clear();
  const added = [];
  if (features && Array.isArray(features.features)) {
    for (const f of features.features) {
      if (!f || !f.geometry) continue;
      try {
        const g = { ...f.geometry };
        delete g.crs;
        const feat = new Feature({ ...(f.properties || {}), geometry: geojson.readGeometry(g, READ) });
        reviewSource.addFeature(feat);
      } catch (e) { console.warn('review feature', e); }
    }
  }
  if (boundary && boundary.type) {
    try {
      const g = { ...boundary };
      delete g.crs;
      const feat = new Feature({ role: 'boundary', geometry: geojson.readGeometry(g, READ) });
      reviewSource.addFeature(feat);
      added.push(feat);
    } catch (e) { console.warn('review boundary', e); }
  }
  const ext = added.length ? added[0].getGeometry().getExtent() : reviewSource.getExtent();
  if (ext && !extentIsEmpty(ext) && Number.isFinite(ext[0])) {
    map.getView().fit(bufferExtent(ext, Math.max(getWidth(ext), getHeight(ext)) * 0.6 + 100),
      { maxZoom: 16, duration: 400, padding: [30, 30, 30, 30] });
  }
}

export function clearReview() { reviewSource.clear(); }

// ---- drawing a boundary ------------------------------------------------------------------
export function startDraw(onChange) {
  stopDraw();
  closePopup();
  draw = new Draw({ source: drawSource, type: 'Polygon' });
  draw.on('drawend', () => {
    lastDrawAt = Date.now();
    setTimeout(() => onChange && onChange(drawnCount()), 0);
  });
  map.addInteraction(draw);
  mapEl.classList.add('drawing');
}

export function stopDraw() {
  if (draw) { map.removeInteraction(draw); draw = null; lastDrawAt = Date.now(); }
  if (mapEl) mapEl.classList.remove('drawing');
}

export function clearDrawn() { drawSource.clear(); }
export function drawnCount() { return drawSource.getFeatures().length; }

// The drawn polygons as one GeoJSON geometry in CGCS2000 lon/lat ("crs": 4490).
export function drawnGeometry() {
  const polys = drawSource.getFeatures().map((f) => f.getGeometry()).filter(Boolean);
  if (!polys.length) return null;
  const geom = polys.length === 1 ? polys[0] : new MultiPolygon(polys.map((p) => p.getCoordinates()));
  const obj = geojson.writeGeometryObject(geom, { ...READ, decimals: 8 });
  return { ...obj, crs: 4490 };
}

export function viewCenterLonLat() {
  return toLonLat(map.getView().getCenter());
}
