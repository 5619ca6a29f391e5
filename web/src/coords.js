// Pointer coordinates in the official plane: CGCS2000 3° Gauss-Krüger (docs/coordinates.md).
// Zone n = round(lon / 3), central meridian 3n; X is the northing, Y the easting with the zone
// number prefixed (37 512 345.67 = zone 37, easting 512 345.67, false easting 500 000).
// The map's lon/lat are WGS 84 (EPSG:3857); CGCS2000 agrees with it to a few centimetres, far
// below what a pointer position means, so lon/lat are taken as CGCS2000 (EPSG:4490).
import proj4 from 'proj4';

const cache = new Map();

export function gkZone(lon) {
  return Math.round(lon / 3);
}

export function gkProj(zone) {
  if (!cache.has(zone)) {
    const def = `+proj=tmerc +lat_0=0 +lon_0=${3 * zone} +k=1 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m +no_defs`;
    cache.set(zone, proj4('+proj=longlat +ellps=GRS80 +no_defs', def));
  }
  return cache.get(zone);
}

// {zone, x: northing, y: easting with the zone prefix, easting}
export function toGK(lon, lat, zone = gkZone(lon)) {
  const [e, n] = gkProj(zone).forward([lon, lat]);
  return { zone, x: n, easting: e, y: zone * 1e6 + e };
}

export function fromGK(x, y, zone) {
  const easting = y >= 1e6 ? y - zone * 1e6 : y;
  return gkProj(zone).inverse([easting, x]);
}

// 4412345.123 → "4 412 345.12" (groups of three, a plain space between them).
export function groupDigits(v, decimals = 2) {
  const [int, frac] = Math.abs(v).toFixed(decimals).split('.');
  const grouped = int.replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${v < 0 ? '-' : ''}${grouped}${frac ? `.${frac}` : ''}`;
}

export function formatGK(lon, lat) {
  if (!Number.isFinite(lon) || !Number.isFinite(lat) || Math.abs(lat) > 84) return '';
  const { zone, x, y } = toGK(lon, lat);
  return `CGCS2000 3°带 第${zone}带 X=${groupDigits(x)} Y=${groupDigits(y)} ` +
    `(经度 ${lon.toFixed(2)}° 纬度 ${lat.toFixed(2)}°)`;
}
