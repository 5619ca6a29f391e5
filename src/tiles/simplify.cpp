#include "tiles/simplify.hpp"

#include <algorithm>
#include <limits>

namespace mineplan::tiles {

namespace {

double segment_distance_sq(const geo::Point &p, const geo::Point &a, const geo::Point &b) {
  double x = a.x, y = a.y;
  const double dx = b.x - a.x, dy = b.y - a.y;
  if (dx != 0 || dy != 0) {
    const double t = ((p.x - a.x) * dx + (p.y - a.y) * dy) / (dx * dx + dy * dy);
    if (t > 1) {
      x = b.x;
      y = b.y;
    } else if (t > 0) {
      x += dx * t;
      y += dy * t;
    }
  }
  const double ex = p.x - x, ey = p.y - y;
  return ex * ex + ey * ey;
}

} // namespace

void douglas_peucker_importance(const std::vector<geo::Point> &ring, std::vector<double> &out) {
  const std::size_t n = ring.size();
  constexpr double inf = std::numeric_limits<double>::infinity();
  out.assign(n, 0.0);
  if (n == 0) return;
  out.front() = inf;
  out.back() = inf;
  struct Range {
    std::size_t first, last;
    double cap;
  };
  std::vector<Range> stack;
  stack.push_back({0, n - 1, inf});
  while (!stack.empty()) {
    const Range r = stack.back();
    stack.pop_back();
    if (r.last - r.first < 2) continue;
    double best = -1;
    std::size_t split = r.first + 1;
    for (std::size_t i = r.first + 1; i < r.last; ++i) {
      const double d = segment_distance_sq(ring[i], ring[r.first], ring[r.last]);
      if (d > best) {
        best = d;
        split = i;
      }
    }
    const double v = std::min(best, r.cap);
    out[split] = v;
    stack.push_back({r.first, split, v});
    stack.push_back({split, r.last, v});
  }
}

} // namespace mineplan::tiles
