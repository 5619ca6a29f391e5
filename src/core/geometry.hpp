#pragma once
// Plain geometry values. Coordinates are in GIS axis order everywhere in the code:
// x = easting (or longitude), y = northing (or latitude). Surveyors' files give X = northing
// first; readers swap on the way in and writers swap on the way out.
#include <algorithm>
#include <limits>
#include <vector>

namespace mineplan::geo {

struct Point {
  double x = 0;
  double y = 0;
  bool operator==(const Point &) const = default;
};

using Ring = std::vector<Point>; // closed: front() == back()

struct Polygon {
  Ring outer;
  std::vector<Ring> holes;
};

using MultiPolygon = std::vector<Polygon>;

struct Envelope {
  double min_x = std::numeric_limits<double>::infinity();
  double min_y = std::numeric_limits<double>::infinity();
  double max_x = -std::numeric_limits<double>::infinity();
  double max_y = -std::numeric_limits<double>::infinity();

  bool empty() const { return min_x > max_x; }
  void expand(const Point &p) {
    min_x = std::min(min_x, p.x);
    min_y = std::min(min_y, p.y);
    max_x = std::max(max_x, p.x);
    max_y = std::max(max_y, p.y);
  }
  bool intersects(const Envelope &o) const {
    return !(o.min_x > max_x || o.max_x < min_x || o.min_y > max_y || o.max_y < min_y);
  }
};

inline Envelope envelope_of(const MultiPolygon &mp) {
  Envelope e;
  for (const auto &poly : mp)
    for (const auto &p : poly.outer)
      e.expand(p);
  return e;
}

inline std::size_t vertex_count(const MultiPolygon &mp) {
  std::size_t n = 0;
  for (const auto &poly : mp) {
    n += poly.outer.size();
    for (const auto &h : poly.holes)
      n += h.size();
  }
  return n;
}

} // namespace mineplan::geo
