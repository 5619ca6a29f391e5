#pragma once
// The deterministic application boundaries the review benchmarks query with (bench_review,
// bench_postgis): one header, so that both measure exactly the same N boundaries for a seed.
#include "geo/area.hpp"
#include "core/geometry.hpp"
#include "geo/geos.hpp"
#include "store/store.hpp"

#include <cmath>
#include <cstdint>
#include <random>
#include <stdexcept>
#include <string>
#include <vector>

namespace mineplan::bench {

// Raw mt19937_64 output turned into doubles here (the standard distributions differ between
// libraries), so the boundaries are the same everywhere.
class Rng {
public:
  explicit Rng(std::uint64_t seed) : eng_(seed) {}
  double uniform() { return static_cast<double>(eng_() >> 11) * 0x1.0p-53; }
  double uniform(double a, double b) { return a + (b - a) * uniform(); }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * n) % n; }

private:
  std::mt19937_64 eng_;
};

// A point inside each current right with geometry (its planar centroid), in register order:
// where half of the boundaries are placed.
inline std::vector<geo::Point> right_sites(const std::vector<Right> &rights) {
  std::vector<geo::Point> out;
  for (const auto &r : rights)
    if (r.geometry) out.push_back(geo::planar_centroid(*r.geometry));
  return out;
}

// A 50-vertex star-shaped boundary (simple by construction), radius 1-3 km, around c.
inline geo::MultiPolygon boundary_around(Rng &rng, geo::Point c) {
  constexpr double kPi = 3.14159265358979323846;
  const double radius_km = rng.uniform(1.0, 3.0);
  const double kx = 111.3195 * std::cos(c.y * kPi / 180), ky = 110.574;
  const double a2 = rng.uniform(0, 0.2), p2 = rng.uniform(0, 2 * kPi);
  const double a3 = rng.uniform(0, 0.15), p3 = rng.uniform(0, 2 * kPi);
  geo::Ring ring;
  for (int i = 0; i < 50; ++i) {
    const double t = 2 * kPi * (i + rng.uniform(-0.3, 0.3)) / 50;
    const double r = radius_km * (1 + a2 * std::sin(2 * t + p2) + a3 * std::sin(3 * t + p3) +
                                  rng.uniform(-0.08, 0.08));
    ring.push_back({std::nearbyint((c.x + r * std::cos(t) / kx) * 1e7) / 1e7,
                    std::nearbyint((c.y + r * std::sin(t) / ky) * 1e7) / 1e7});
  }
  ring.push_back(ring.front());
  return {geo::Polygon{std::move(ring), {}}};
}

struct Boundaries {
  std::vector<geo::MultiPolygon> shapes;
  std::vector<std::string> jurisdictions; // county code of each shape's centroid
};

// N boundaries of 50 vertices, 2-6 km across, inside the region outline (150000), each in a
// county: even ones centred anywhere in the region, odd ones near one of `right_sites` (the
// planar centroids of the current rights, in Store::rights() order).
inline Boundaries review_boundaries(store::Store &st, const std::vector<geo::Point> &right_sites,
                                    int n, std::uint64_t seed) {
  struct County {
    std::string code;
    geo::Envelope envelope;
    geo::PreparedGeometry outline;
  };
  std::optional<geo::PreparedGeometry> region;
  std::vector<County> counties;
  geo::Envelope region_env;
  for (const auto &d : st.divisions()) {
    if (!d.outline) continue;
    if (d.code == "150000") {
      region.emplace(geo::to_geos(*d.outline));
      region_env = geo::envelope_of(*d.outline);
    } else if (d.level == "county") {
      counties.push_back(
          {d.code, geo::envelope_of(*d.outline), geo::PreparedGeometry(geo::to_geos(*d.outline))});
    }
  }
  if (!region) throw std::runtime_error("the store has no outline of 150000");
  auto county_of = [&](geo::Point p) -> std::string {
    for (const auto &c : counties)
      if (p.x >= c.envelope.min_x && p.x <= c.envelope.max_x && p.y >= c.envelope.min_y &&
          p.y <= c.envelope.max_y && c.outline.contains_point(p))
        return c.code;
    return {};
  };
  Rng rng(0x6d696e65706c616eULL ^ seed);
  Boundaries out;
  while (static_cast<int>(out.shapes.size()) < n) {
    geo::Point c;
    if (out.shapes.size() % 2 == 1 && !right_sites.empty()) { // near an existing right
      const geo::Point s = right_sites[rng.below(right_sites.size())];
      c = {s.x + rng.uniform(-0.03, 0.03), s.y + rng.uniform(-0.02, 0.02)};
    } else {
      c = {rng.uniform(region_env.min_x, region_env.max_x),
           rng.uniform(region_env.min_y, region_env.max_y)};
    }
    if (!region->contains_point(c)) continue;
    geo::MultiPolygon b = boundary_around(rng, c);
    if (!region->covers(geo::to_geos(b)) || geo::validity_problem(b)) continue;
    std::string county = county_of(geo::planar_centroid(b));
    if (county.empty()) continue;
    out.shapes.push_back(std::move(b));
    out.jurisdictions.push_back(std::move(county));
  }
  return out;
}

} // namespace mineplan::bench
