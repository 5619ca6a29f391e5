#include "geo/area.hpp"

#include <map>

#include "core/error.hpp"
#include "geo/proj.hpp"

#include <geodesic.h>

#include <cmath>
#include <string>
#include <vector>

namespace mineplan::geo {
namespace {

// Neumaier's variant of Kahan summation: also exact when a term is larger than the running
// sum, which happens with the alternating-sign shoelace terms.
class CompensatedSum {
public:
  void add(double v) {
    double t = sum_ + v;
    if (std::fabs(sum_) >= std::fabs(v))
      comp_ += (sum_ - t) + v;
    else
      comp_ += (v - t) + sum_;
    sum_ = t;
  }
  double value() const { return sum_ + comp_; }

private:
  double sum_ = 0;
  double comp_ = 0;
};

// Drops the closing vertex if present, so geodesic and shoelace code can treat the ring as
// implicitly closed.
std::size_t open_size(const Ring &ring) {
  std::size_t n = ring.size();
  if (n >= 2 && ring.front() == ring.back()) --n;
  return n;
}

double geodesic_ring_area(const geod_geodesic &g, const Ring &ring) {
  const std::size_t n = open_size(ring);
  if (n < 3) return 0;
  // geod_polygonarea wants separate latitude/longitude arrays.
  std::vector<double> lats(n), lons(n);
  for (std::size_t i = 0; i < n; ++i) {
    lons[i] = ring[i].x;
    lats[i] = ring[i].y;
  }
  double area = 0, perimeter = 0;
  geod_polygonarea(&g, lats.data(), lons.data(), static_cast<int>(n), &area, &perimeter);
  return std::fabs(area);
}

} // namespace

double signed_ring_area(const Ring &ring) {
  const std::size_t n = open_size(ring);
  if (n < 3) return 0;
  const double ox = ring[0].x, oy = ring[0].y;
  CompensatedSum sum;
  // Terms x_i*y_{i+1} - x_{i+1}*y_i relative to the origin; the i=0 and i=n-1 terms vanish
  // because vertex 0 is the origin, so only 1..n-2 contribute.
  for (std::size_t i = 1; i + 1 < n; ++i) {
    const double x1 = ring[i].x - ox, y1 = ring[i].y - oy;
    const double x2 = ring[i + 1].x - ox, y2 = ring[i + 1].y - oy;
    sum.add(x1 * y2);
    sum.add(-x2 * y1);
  }
  return sum.value() / 2.0;
}

double planar_area_m2(const Polygon &poly) {
  double a = std::fabs(signed_ring_area(poly.outer));
  for (const auto &h : poly.holes)
    a -= std::fabs(signed_ring_area(h));
  return a;
}

double planar_area_m2(const MultiPolygon &mp) {
  CompensatedSum sum;
  for (const auto &p : mp)
    sum.add(planar_area_m2(p));
  return sum.value();
}

double ellipsoidal_area_m2(const MultiPolygon &lonlat, Datum datum) {
  const Ellipsoid e = ellipsoid_of(datum);
  geod_geodesic g;
  geod_init(&g, e.a, e.f());
  CompensatedSum sum;
  for (const auto &poly : lonlat) {
    sum.add(geodesic_ring_area(g, poly.outer));
    for (const auto &h : poly.holes)
      sum.add(-geodesic_ring_area(g, h));
  }
  return sum.value();
}

int gauss_kruger_zone_for(double lon, int width) {
  if (!std::isfinite(lon) || std::fabs(lon) > 360)
    throw Error("gauss_kruger_zone_for: expected a longitude in degrees, found " +
                std::to_string(lon));
  if (width == 3) return static_cast<int>(std::floor((lon + 1.5) / 3.0));
  if (width == 6) return static_cast<int>(std::floor(lon / 6.0)) + 1;
  throw Error("gauss_kruger_zone_for: zone width must be 3 or 6, found " + std::to_string(width));
}

Point planar_centroid(const MultiPolygon &mp) {
  // Area-weighted centroid of each ring relative to a common origin, holes with negative
  // weight. Relative coordinates keep the products small (see signed_ring_area).
  Point origin;
  bool have_origin = false;
  for (const auto &poly : mp)
    if (!poly.outer.empty()) {
      origin = poly.outer.front();
      have_origin = true;
      break;
    }
  if (!have_origin) return {std::nan(""), std::nan("")};

  CompensatedSum area, cx, cy;
  auto ring_moments = [&](const Ring &ring, double sign) {
    const std::size_t n = open_size(ring);
    if (n < 3) return;
    // Orientation-normalised: the ring's own signed area decides the sign of its terms.
    const double s = signed_ring_area(ring) >= 0 ? sign : -sign;
    for (std::size_t i = 0; i < n; ++i) {
      const Point &p = ring[i], &q = ring[(i + 1) % n];
      const double x1 = p.x - origin.x, y1 = p.y - origin.y;
      const double x2 = q.x - origin.x, y2 = q.y - origin.y;
      const double cross = x1 * y2 - x2 * y1;
      area.add(s * cross / 2.0);
      cx.add(s * (x1 + x2) * cross / 6.0);
      cy.add(s * (y1 + y2) * cross / 6.0);
    }
  };
  for (const auto &poly : mp) {
    ring_moments(poly.outer, 1.0);
    for (const auto &h : poly.holes)
      ring_moments(h, -1.0);
  }
  const double a = area.value();
  if (a != 0 && std::isfinite(a)) return {origin.x + cx.value() / a, origin.y + cy.value() / a};

  // Degenerate: mean of the vertices.
  CompensatedSum mx, my;
  std::size_t n = 0;
  for (const auto &poly : mp)
    for (const auto &p : poly.outer) {
      mx.add(p.x - origin.x);
      my.add(p.y - origin.y);
      ++n;
    }
  return {origin.x + mx.value() / static_cast<double>(n),
          origin.y + my.value() / static_cast<double>(n)};
}

double area_uncertainty_m2(const MultiPolygon &planar, double precision_m) {
  // |dA/dx_i| = |y_{i+1} - y_{i-1}| / 2 and likewise for y: the first-order bound when every
  // coordinate may be off by precision/2.
  double sum = 0;
  auto ring_term = [&](const Ring &r) {
    std::size_t n = r.size();
    if (n > 1 && r.front() == r.back()) --n; // closing point repeats the first
    if (n < 3) return;
    for (std::size_t i = 0; i < n; ++i) {
      const Point &prev = r[(i + n - 1) % n];
      const Point &next = r[(i + 1) % n];
      sum += (std::fabs(next.y - prev.y) + std::fabs(next.x - prev.x)) / 2;
    }
  };
  for (const auto &poly : planar) {
    ring_term(poly.outer);
    for (const auto &h : poly.holes)
      ring_term(h);
  }
  return sum * precision_m / 2;
}

double round_gbt8170(double x, double resolution, int decimals) {
  if (!std::isfinite(x)) return x;
  const double unit = std::pow(10.0, -decimals);
  if (!(resolution > 0) || resolution > unit) resolution = unit;
  // Count in whole resolution steps, then round that integer to the reporting unit, so the
  // half-way case is decided in decimal, not by binary representation error.
  const double steps_d = std::nearbyint(std::fabs(x) / resolution);
  if (steps_d > 9e15) return x; // beyond exact integers in a double: nothing to round
  const auto steps = static_cast<long long>(steps_d);
  const auto per_unit = static_cast<long long>(std::llround(unit / resolution));
  long long q = steps / per_unit;
  const long long r = steps % per_unit;
  if (2 * r > per_unit || (2 * r == per_unit && (q % 2) == 1)) ++q;
  // Dividing by the power of ten gives the double nearest the decimal (120262 / 100 is
  // 1202.62; 120262 * 0.01 is 1202.6200000000001).
  const double value = decimals >= 0 ? static_cast<double>(q) / std::pow(10.0, decimals)
                                     : static_cast<double>(q) * unit;
  return std::copysign(value, x);
}

ReportedArea reported_area(const MultiPolygon &planar, double precision_m, int decimals) {
  ReportedArea out;
  out.decimals = decimals;
  const double km2 = planar_area_m2(planar) / kM2PerKm2;
  out.uncertainty_km2 = area_uncertainty_m2(planar, precision_m) / kM2PerKm2;
  out.resolution_km2 = out.uncertainty_km2 > 0
                           ? std::pow(10.0, std::floor(std::log10(out.uncertainty_km2)))
                           : std::pow(10.0, -decimals - 6);
  out.km2 = round_gbt8170(km2, out.resolution_km2, decimals);
  return out;
}

double official_area_m2(const MultiPolygon &lonlat, Datum datum) {
  if (lonlat.empty()) return 0;
  const Point c = planar_centroid(lonlat);
  const int zone = gauss_kruger_zone_for(c.x, 3);
  const Transformer &t = gauss_kruger_transformer(datum, zone);
  MultiPolygon gk = lonlat;
  for (auto &poly : gk) {
    t.apply(poly.outer);
    for (auto &h : poly.holes)
      t.apply(h);
  }
  return planar_area_m2(gk);
}

} // namespace mineplan::geo
