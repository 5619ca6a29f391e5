#pragma once
// Areas, in the conventions Chinese plans use.
//
// The official convention (the one plan tables quote, e.g. "示范区总面积为 1202.62km²") is the
// planar area of the Gauss-Krüger coordinates: the shoelace formula on (easting, northing) in
// metres, holes subtracted. It differs from the area on the ellipsoid by the GK scale
// distortion (about +2.5e-4 at 100 km from the central meridian), so both are offered and named
// for what they are. Note: since 2022 the Ministry computes mining-right (矿业权) areas on the
// ellipsoid (TD/T 1055-2019 Appendix D); planning zones keep the planar figure.
#include "core/units.hpp"
#include "geo/crs.hpp"
#include "core/geometry.hpp"

#include <string_view>

namespace mineplan::geo {

// Signed shoelace area of a ring (positive when counter-clockwise in x=east, y=north). The
// ring may be closed (front()==back()) or not. Numerically careful: coordinates are taken
// relative to the ring's first vertex (8-digit prefixed eastings times 7-digit northings
// would otherwise cancel catastrophically) and the terms are summed with Neumaier's
// compensated summation.
double signed_ring_area(const Ring &ring);

// Planar area in m2 of the coordinates as given (GK metres): |outer| - sum |holes|,
// independent of ring orientation. Multipolygon parts are summed (they are assumed not to
// overlap; validate with geos.hpp first).
double planar_area_m2(const Polygon &poly);
double planar_area_m2(const MultiPolygon &mp);

// Area on the datum's ellipsoid (geodesic polygon, PROJ's geod_polygonarea, Karney's
// algorithm) of a lon/lat (degrees, x = lon, y = lat) geometry, in m2.
double ellipsoidal_area_m2(const MultiPolygon &lonlat, Datum datum);

// Gauss-Krüger zone containing a longitude: 3° zones are centred on 3n (zone n covers
// 3n-1.5 .. 3n+1.5), 6° zones on 6n-3 (zone n covers 6n-6 .. 6n). Throws mineplan::Error for
// a width other than 3 or 6 or a non-finite longitude.
int gauss_kruger_zone_for(double lon, int width);

// Area-weighted centroid of the planar coordinates (falls back to the vertex mean for a
// degenerate, zero-area geometry). Same units as the input.
Point planar_centroid(const MultiPolygon &mp);

// The official area of a geometry that arrived in lon/lat on `datum`: reprojects to the 3°
// Gauss-Krüger zone (unprefixed) of its centroid on the same datum and takes the planar area.
double official_area_m2(const MultiPolygon &lonlat, Datum datum = Datum::CGCS2000);

// The area as a plan table states it. Coordinates given to `precision` metres (精度) fix the
// planar area only to within ±uncertainty: each vertex may be off by precision/2 in X and Y,
// and the area moves by half the span of its neighbours times that. Digits finer than the
// uncertainty's decade are not data, so the area is first expressed at that resolution, then
// rounded to `decimals` km2 by GB/T 8170-2008 (四舍六入五成双: a trailing 5 rounds to even).
// The Ejin Horo demonstration zone (23 points, 精度 0.01 m): 1202.625014 ± 0.0013 km2 is
// 1202.625 at its resolution, reported 1202.62 km2, as 附表5 states.
struct ReportedArea {
  double km2 = 0; // rounded to `decimals`
  int decimals = 2;
  double uncertainty_km2 = 0; // the bound described above
  double resolution_km2 = 0;  // the decade the coordinates support
};
double area_uncertainty_m2(const MultiPolygon &planar, double precision_m);
// Rounds x to `decimals` by GB/T 8170 after taking it to `resolution` (a power of ten).
double round_gbt8170(double x, double resolution, int decimals);
ReportedArea reported_area(const MultiPolygon &planar, double precision_m, int decimals = 2);

// Area units of Chinese documents, as factors to m2.
inline constexpr double kM2PerKm2 = 1e6;
inline constexpr double kM2PerHa = 1e4;                          // 公顷
inline constexpr double kM2PerMu = mineplan::kSquareMetresPerMu; // 亩 = 10000/15 m2

} // namespace mineplan::geo
