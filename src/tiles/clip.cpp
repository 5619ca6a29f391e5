#include "tiles/clip.hpp"

#include <algorithm>
#include <cmath>
#include <utility>

namespace mineplan::tiles {

double twice_signed_area(const IRing &ring) {
  if (ring.size() < 3) return 0;
  const IPoint o = ring.front();
  double sum = 0;
  for (std::size_t i = 1; i + 1 < ring.size(); ++i) {
    const double ax = static_cast<double>(ring[i].x - o.x),
                 ay = static_cast<double>(ring[i].y - o.y);
    const double bx = static_cast<double>(ring[i + 1].x - o.x),
                 by = static_cast<double>(ring[i + 1].y - o.y);
    sum += ax * by - bx * ay;
  }
  return sum;
}

namespace {

// Where segment p-q crosses the line `axis` = c (axis 0: x = c, 1: y = c); p and q lie on
// opposite sides. The pair is ordered first, so that q-p gives the same point.
IPoint cross_at(IPoint p, IPoint q, int axis, std::int64_t c) {
  auto along = [axis](const IPoint &a) { return axis == 0 ? a.x : a.y; };
  auto other = [axis](const IPoint &a) { return axis == 0 ? a.y : a.x; };
  if (along(q) < along(p) || (along(q) == along(p) && other(q) < other(p))) std::swap(p, q);
  const double t = static_cast<double>(c - along(p)) / static_cast<double>(along(q) - along(p));
  const std::int64_t o = other(p) + std::llround(t * static_cast<double>(other(q) - other(p)));
  return axis == 0 ? IPoint{c, o} : IPoint{o, c};
}

// One Sutherland-Hodgman pass: keeps the side where sign * (coordinate - c) <= 0.
void clip_edge(const IRing &in, IRing &out, int axis, std::int64_t c, int sign) {
  out.clear();
  if (in.empty()) return;
  auto inside = [&](const IPoint &p) {
    const std::int64_t v = axis == 0 ? p.x : p.y;
    return sign > 0 ? v <= c : v >= c;
  };
  IPoint prev = in.back();
  bool prev_in = inside(prev);
  for (const IPoint &cur : in) {
    const bool cur_in = inside(cur);
    if (cur_in != prev_in) out.push_back(cross_at(prev, cur, axis, c));
    if (cur_in) out.push_back(cur);
    prev = cur;
    prev_in = cur_in;
  }
}

} // namespace

void clip_ring(const IRing &in, std::int64_t lo, std::int64_t hi, IRing &out, IRing &scratch) {
  clip_edge(in, out, 0, lo, -1);
  clip_edge(out, scratch, 0, hi, +1);
  clip_edge(scratch, out, 1, lo, -1);
  clip_edge(out, scratch, 1, hi, +1);
  out.swap(scratch);
}

bool clean_ring(IRing &ring, bool exterior, double min_area) {
  if (!ring.empty()) {
    auto end = std::unique(ring.begin(), ring.end());
    ring.erase(end, ring.end());
    while (ring.size() > 1 && ring.back() == ring.front())
      ring.pop_back();
  }
  if (ring.size() < 3) return false;
  const double a2 = twice_signed_area(ring);
  if (a2 == 0 || !(std::fabs(a2) >= 2 * min_area)) return false;
  if ((a2 > 0) != exterior) std::reverse(ring.begin(), ring.end());
  return true;
}

} // namespace mineplan::tiles
