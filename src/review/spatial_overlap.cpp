#include "review/spatial_overlap.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_map>

namespace mineplan::review::detail {

int orientation(const geo::Point &a, const geo::Point &b, const geo::Point &c) {
  // GEOS's orientationIndexFilter (CGAlgorithmsDD, DP_SAFE_EPSILON = 1e-15): the sign of the
  // double determinant when it is certainly right, else the exact predicate.
  const double detleft = (a.x - c.x) * (b.y - c.y);
  const double detright = (a.y - c.y) * (b.x - c.x);
  const double det = detleft - detright;
  double detsum = 0;
  if (detleft > 0) {
    if (detright <= 0) return (det > 0) - (det < 0);
    detsum = detleft + detright;
  } else if (detleft < 0) {
    if (detright >= 0) return (det > 0) - (det < 0);
    detsum = -detleft - detright;
  } else {
    return (det > 0) - (det < 0);
  }
  const double errbound = 1e-15 * detsum;
  if (det >= errbound || -det >= errbound) return (det > 0) - (det < 0);
  const int r =
      GEOSOrientationIndex_r(geo::GeosContext::current().get(), a.x, a.y, b.x, b.y, c.x, c.y);
  return r == 2 ? 0 : r;
}

// ---------------------------------------------------------------------------------------------
namespace {
double signed_area2(const geo::Ring &r) {
  if (r.size() < 3) return 0;
  const geo::Point o = r.front();
  double s = 0;
  for (std::size_t i = 0; i + 1 < r.size(); ++i)
    s += (r[i].x - o.x) * (r[i + 1].y - o.y) - (r[i + 1].x - o.x) * (r[i].y - o.y);
  return s;
}
} // namespace

RingSet::RingSet(const geo::MultiPolygon &mp) {
  auto add = [&](const geo::Ring &r, bool hole) {
    // Rings are closed (front == back); edges are consecutive pairs.
    if (r.size() < 2) return;
    const double a = signed_area2(r);
    rings_.push_back(&r);
    reversed_.push_back(hole ? a > 0 : a < 0);
    for (const auto &p : r)
      env_.expand(p);
  };
  for (const auto &poly : mp) {
    add(poly.outer, false);
    for (const auto &h : poly.holes)
      add(h, true);
  }
  edge_start_.reserve(rings_.size() + 1);
  std::uint32_t n = 0;
  for (const geo::Ring *r : rings_) {
    edge_start_.push_back(n);
    n += static_cast<std::uint32_t>(r->size() - 1);
  }
  edge_start_.push_back(n);
  if (n == 0) return;

  // About four edges per slab: point-in-polygon and edge searches look at one slab's edges.
  const double height = env_.max_y - env_.min_y;
  slabs_ = std::clamp<std::uint32_t>(n / 4, 1, 1u << 16);
  if (!(height > 0)) slabs_ = 1;
  y0_ = env_.min_y;
  scale_ = slabs_ > 1 ? slabs_ / height : 0;
  std::vector<std::uint32_t> count(slabs_ + 1, 0);
  auto for_each_edge = [&](auto &&fn) {
    for (std::uint32_t r = 0; r < rings_.size(); ++r) {
      const geo::Ring &ring = *rings_[r];
      for (std::uint32_t i = 0; i + 1 < ring.size(); ++i) {
        if (ring[i] == ring[i + 1]) continue; // repeated point: no edge
        fn(edge_start_[r] + i, ring[i], ring[i + 1]);
      }
    }
  };
  for_each_edge([&](std::uint32_t, const geo::Point &a, const geo::Point &b) {
    const std::uint32_t s0 = slab_of(std::min(a.y, b.y)), s1 = slab_of(std::max(a.y, b.y));
    for (std::uint32_t s = s0; s <= s1; ++s)
      ++count[s + 1];
  });
  slab_start_.assign(slabs_ + 1, 0);
  for (std::uint32_t s = 0; s < slabs_; ++s)
    slab_start_[s + 1] = slab_start_[s] + count[s + 1];
  slab_edges_.resize(slab_start_.back());
  std::vector<std::uint32_t> fill(slab_start_.begin(), slab_start_.end() - 1);
  for_each_edge([&](std::uint32_t g, const geo::Point &a, const geo::Point &b) {
    const std::uint32_t s0 = slab_of(std::min(a.y, b.y)), s1 = slab_of(std::max(a.y, b.y));
    for (std::uint32_t s = s0; s <= s1; ++s)
      slab_edges_[fill[s]++] = g;
  });
}

std::uint32_t RingSet::slab_of(double y) const {
  if (slabs_ <= 1) return 0;
  const double s = std::floor((y - y0_) * scale_);
  if (!(s > 0)) return 0;
  if (s >= slabs_ - 1) return slabs_ - 1;
  return static_cast<std::uint32_t>(s);
}

RingSet::Edge RingSet::edge(std::uint32_t g) const {
  std::uint32_t r = 0;
  if (rings_.size() > 1)
    r = static_cast<std::uint32_t>(std::upper_bound(edge_start_.begin(), edge_start_.end() - 1, g) -
                                   edge_start_.begin() - 1);
  const std::uint32_t i = g - edge_start_[r];
  const geo::Ring &ring = *rings_[r];
  return {&ring[i], &ring[i + 1], reversed_[r] != 0, r, i};
}

std::size_t RingSet::memory_bytes() const {
  return sizeof(*this) + rings_.capacity() * sizeof(void *) +
         edge_start_.capacity() * sizeof(std::uint32_t) + reversed_.capacity() +
         (slab_start_.capacity() + slab_edges_.capacity()) * sizeof(std::uint32_t);
}

bool RingSet::contains(const geo::Point &p) const {
  if (slab_edges_.empty() || p.y < env_.min_y || p.y > env_.max_y || p.x < env_.min_x ||
      p.x > env_.max_x)
    return false;
  const std::uint32_t s = slab_of(p.y);
  bool inside = false;
  for (std::uint32_t k = slab_start_[s]; k < slab_start_[s + 1]; ++k) {
    const Edge e = edge(slab_edges_[k]);
    const geo::Point &a = *e.a, &b = *e.b;
    // Half-open in y: an edge counts when exactly one end lies strictly above the ray.
    if ((a.y > p.y) == (b.y > p.y)) continue;
    if (std::max(a.x, b.x) < p.x) continue; // entirely left of p: the ray cannot cross it
    const int o = orientation(a, b, p);
    if (b.y > a.y ? o > 0 : o < 0) inside = !inside;
  }
  return inside;
}

void RingSet::edges_in(const geo::Envelope &box, std::vector<std::uint32_t> &out) const {
  if (slab_edges_.empty() || !box.intersects(env_)) return;
  const std::uint32_t lo = slab_of(box.min_y), hi = slab_of(box.max_y);
  for (std::uint32_t s = lo; s <= hi; ++s)
    for (std::uint32_t k = slab_start_[s]; k < slab_start_[s + 1]; ++k) {
      const std::uint32_t g = slab_edges_[k];
      const Edge e = edge(g);
      const double ymin = std::min(e.a->y, e.b->y), ymax = std::max(e.a->y, e.b->y);
      // Report an edge from the first slab both it and the box occupy: once.
      if (s != std::max(lo, slab_of(ymin))) continue;
      if (ymax < box.min_y || ymin > box.max_y) continue;
      if (std::max(e.a->x, e.b->x) < box.min_x || std::min(e.a->x, e.b->x) > box.max_x) continue;
      out.push_back(g);
    }
}

// ---------------------------------------------------------------------------------------------
namespace {

// Where a piece of boundary starts or ends. Vertices of the boundary are already projected;
// feature vertices are projected when a piece that needs them is kept; crossings always.
struct Node {
  enum Kind : std::uint8_t { BoundaryVertex, FeatureVertex, Crossing } kind = Crossing;
  std::uint32_t ring = 0;  // BoundaryVertex, FeatureVertex
  std::uint32_t index = 0; // vertex index in the ring, or the crossing's number
};

struct Split {
  std::uint32_t edge;
  double t; // position along the edge in storage order, 0..1
  Node node;
  geo::Point p;
};

struct OnStretch { // part of an edge lying on the other geometry's boundary
  std::uint32_t edge;
  double lo, hi;
  bool same_direction; // the interiors lie on the same side
};

struct Piece {
  Node from, to;
  bool reversed;
};

// Position of x along a→b (on the segment), by the dominant axis; exact at the end points.
double param(const geo::Point &a, const geo::Point &b, const geo::Point &x) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  return std::fabs(dx) >= std::fabs(dy) ? (x.x - a.x) / dx : (x.y - a.y) / dy;
}

double distance_to_segment2(const geo::Point &p, const geo::Point &a, const geo::Point &b) {
  const double dx = b.x - a.x, dy = b.y - a.y;
  const double len2 = dx * dx + dy * dy;
  double t = len2 > 0 ? ((p.x - a.x) * dx + (p.y - a.y) * dy) / len2 : 0;
  t = std::clamp(t, 0.0, 1.0);
  const double ex = a.x + t * dx - p.x, ey = a.y + t * dy - p.y;
  return ex * ex + ey * ey;
}

// The crossing point of two segments known to cross properly.
geo::Point crossing(const geo::Point &p0, const geo::Point &p1, const geo::Point &q0,
                    const geo::Point &q1) {
  const double rx = p1.x - p0.x, ry = p1.y - p0.y, sx = q1.x - q0.x, sy = q1.y - q0.y;
  const double d = rx * sy - ry * sx;
  geo::Point x;
  const double t = ((q0.x - p0.x) * sy - (q0.y - p0.y) * sx) / d;
  if (d != 0 && std::isfinite(t)) {
    x = {p0.x + t * rx, p0.y + t * ry};
  } else {
    // Numerically parallel: the end point nearest the other segment (what GEOS falls back to).
    const geo::Point *cand[4] = {&p0, &p1, &q0, &q1};
    double best = std::numeric_limits<double>::infinity();
    for (int i = 0; i < 4; ++i) {
      const double dd =
          i < 2 ? distance_to_segment2(*cand[i], q0, q1) : distance_to_segment2(*cand[i], p0, p1);
      if (dd < best) {
        best = dd;
        x = *cand[i];
      }
    }
  }
  // Keep it inside both segments' boxes (rounding can push it just outside).
  x.x = std::clamp(x.x, std::max(std::min(p0.x, p1.x), std::min(q0.x, q1.x)),
                   std::min(std::max(p0.x, p1.x), std::max(q0.x, q1.x)));
  x.y = std::clamp(x.y, std::max(std::min(p0.y, p1.y), std::min(q0.y, q1.y)),
                   std::min(std::max(p0.y, p1.y), std::max(q0.y, q1.y)));
  return x;
}

class Overlap {
public:
  Overlap(const RingSet &b, const geo::MultiPolygon &b_gk, const RingSet &f,
          const geo::Transformer &gk)
      : b_(b), f_(f), gk_(gk), b_gk_mp_(b_gk) {
    for (const auto &poly : b_gk) {
      b_gk_.push_back(&poly.outer);
      for (const auto &h : poly.holes)
        b_gk_.push_back(&h);
    }
    if (b_gk_.size() != b_.ring_count())
      throw Error("overlap: the projected boundary does not match the boundary");
  }

  Relation run(bool want_area) {
    Relation out;
    std::vector<std::uint32_t> f_edges;
    f_.edges_in(b_.envelope(), f_edges);
    std::sort(f_edges.begin(), f_edges.end());
    std::vector<std::uint32_t> b_near;
    for (std::uint32_t fg : f_edges) {
      const RingSet::Edge fe = f_.edge(fg);
      geo::Envelope box;
      box.expand(*fe.a);
      box.expand(*fe.b);
      b_near.clear();
      b_.edges_in(box, b_near);
      std::sort(b_near.begin(), b_near.end());
      for (std::uint32_t bg : b_near)
        intersect(bg, b_.edge(bg), fg, fe);
    }
    out.touched = touched_;

    if (!touched_) {
      // The boundaries do not meet: every ring lies wholly inside or outside the other
      // geometry (its first vertex tells which), and so does every piece.
      std::vector<std::uint32_t> b_rings_in, f_rings_in;
      for (std::uint32_t r = 0; r < b_.ring_count(); ++r)
        if (f_.contains(b_.ring(r).front())) b_rings_in.push_back(r);
      // Feature rings without an edge near the boundary's envelope lie outside it.
      std::uint32_t last = std::numeric_limits<std::uint32_t>::max();
      for (std::uint32_t g : f_edges) {
        const std::uint32_t r = f_.edge(g).ring;
        if (r == last) continue;
        last = r;
        if (b_.contains(f_.ring(r).front())) f_rings_in.push_back(r);
      }
      out.intersects = !b_rings_in.empty() || !f_rings_in.empty();
      out.covers = b_rings_in.size() == b_.ring_count() && f_rings_in.empty();
      if (!want_area || !out.intersects) return out;
      if (out.covers) {
        out.overlap_m2 = boundary_area();
        return out;
      }
      for (std::uint32_t r : b_rings_in)
        whole_ring(b_, r, Node::BoundaryVertex);
      for (std::uint32_t r : f_rings_in)
        whole_ring(f_, r, Node::FeatureVertex);
      out.overlap_m2 = measure();
      return out;
    }

    auto by_edge = [](const Split &x, const Split &y) {
      return x.edge != y.edge ? x.edge < y.edge : x.t < y.t;
    };
    std::sort(b_splits_.begin(), b_splits_.end(), by_edge);
    std::sort(f_splits_.begin(), f_splits_.end(), by_edge);
    auto on_by_edge = [](const OnStretch &x, const OnStretch &y) {
      return x.edge != y.edge ? x.edge < y.edge : x.lo < y.lo;
    };
    std::sort(b_on_.begin(), b_on_.end(), on_by_edge);
    std::sort(f_on_.begin(), f_on_.end(), on_by_edge);

    // The boundary's edges: pieces inside the feature, and shared stretches facing the same way.
    {
      std::size_t si = 0, oi = 0;
      for (std::uint32_t g = 0; g < b_.edge_count(); ++g) {
        const RingSet::Edge e = b_.edge(g);
        if (*e.a == *e.b) continue;
        const std::size_t s0 = si;
        while (si < b_splits_.size() && b_splits_[si].edge == g)
          ++si;
        const std::size_t o0 = oi;
        while (oi < b_on_.size() && b_on_[oi].edge == g)
          ++oi;
        Node start{Node::BoundaryVertex, e.ring, e.index};
        Node end{Node::BoundaryVertex, e.ring, e.index + 1};
        if (s0 == si && o0 == oi) {
          // Untouched edge: wholly inside or wholly outside the feature.
          geo::Envelope box;
          box.expand(*e.a);
          box.expand(*e.b);
          if (box.intersects(f_.envelope()) && f_.contains(mid(*e.a, *e.b)))
            pieces_.push_back({start, end, e.reversed});
          else
            ++b_outside_;
          continue;
        }
        walk(e, start, end, b_splits_, s0, si, b_on_, o0, oi, f_, true);
      }
    }
    // The feature's edges near the boundary: pieces inside the boundary (shared stretches were
    // counted once, from the boundary's side).
    {
      std::size_t si = 0, oi = 0;
      for (std::uint32_t g : f_edges) {
        const RingSet::Edge e = f_.edge(g);
        while (si < f_splits_.size() && f_splits_[si].edge < g)
          ++si;
        const std::size_t s0 = si;
        while (si < f_splits_.size() && f_splits_[si].edge == g)
          ++si;
        while (oi < f_on_.size() && f_on_[oi].edge < g)
          ++oi;
        const std::size_t o0 = oi;
        while (oi < f_on_.size() && f_on_[oi].edge == g)
          ++oi;
        Node start{Node::FeatureVertex, e.ring, e.index};
        Node end{Node::FeatureVertex, e.ring, e.index + 1};
        if (s0 == si && o0 == oi) {
          if (b_.contains(mid(*e.a, *e.b))) {
            pieces_.push_back({start, end, e.reversed});
            ++f_inside_;
          }
          continue;
        }
        walk(e, start, end, f_splits_, s0, si, f_on_, o0, oi, b_, false);
      }
    }
    out.intersects = true;
    out.covers = !proper_ && b_outside_ == 0 && b_opposite_ == 0 && f_inside_ == 0;
    if (!want_area) return out;
    out.overlap_m2 = out.covers ? boundary_area() : measure();
    return out;
  }

private:
  static geo::Point mid(const geo::Point &a, const geo::Point &b) {
    return {a.x + (b.x - a.x) / 2, a.y + (b.y - a.y) / 2};
  }

  // The boundary's planar area, exactly as the caller's official area (same function, same
  // projected coordinates).
  double boundary_area() const { return geo::planar_area_m2(b_gk_mp_); }

  void whole_ring(const RingSet &rs, std::uint32_t r, Node::Kind kind) {
    const geo::Ring &ring = rs.ring(r);
    const bool reversed = rs.ring_reversed(r);
    for (std::uint32_t i = 0; i + 1 < ring.size(); ++i)
      if (!(ring[i] == ring[i + 1])) pieces_.push_back({{kind, r, i}, {kind, r, i + 1}, reversed});
  }

  Node crossing_node(const geo::Point &p) {
    crossings_.push_back(p);
    return {Node::Crossing, 0, static_cast<std::uint32_t>(crossings_.size() - 1)};
  }

  // Records where boundary edge bg and feature edge fg meet.
  void intersect(std::uint32_t bg, const RingSet::Edge &be, std::uint32_t fg,
                 const RingSet::Edge &fe) {
    const geo::Point &p0 = *be.a, &p1 = *be.b, &q0 = *fe.a, &q1 = *fe.b;
    if (p0 == p1 || q0 == q1) return;
    const int oq0 = orientation(p0, p1, q0), oq1 = orientation(p0, p1, q1);
    if (oq0 != 0 && oq0 == oq1) return;
    const int op0 = orientation(q0, q1, p0), op1 = orientation(q0, q1, p1);
    if (op0 != 0 && op0 == op1) return;
    const Node np0{Node::BoundaryVertex, be.ring, be.index};
    const Node np1{Node::BoundaryVertex, be.ring, be.index + 1};
    const Node nq0{Node::FeatureVertex, fe.ring, fe.index};
    const Node nq1{Node::FeatureVertex, fe.ring, fe.index + 1};

    if (oq0 == 0 && oq1 == 0 && op0 == 0 && op1 == 0) {
      // Collinear: the overlap, if it has length, is a shared stretch of both boundaries.
      const double tq0 = param(p0, p1, q0), tq1 = param(p0, p1, q1);
      const double lo = std::max(0.0, std::min(tq0, tq1)), hi = std::min(1.0, std::max(tq0, tq1));
      if (hi < lo) return; // apart on the same line
      touched_ = true;
      if (!(hi > lo)) return; // an end point in common: nothing to split
      const double dbx = (p1.x - p0.x) * (be.reversed ? -1 : 1);
      const double dby = (p1.y - p0.y) * (be.reversed ? -1 : 1);
      const double dfx = (q1.x - q0.x) * (fe.reversed ? -1 : 1);
      const double dfy = (q1.y - q0.y) * (fe.reversed ? -1 : 1);
      const bool same = dbx * dfx + dby * dfy > 0;
      auto at_p = [&](double t) -> std::pair<Node, geo::Point> {
        if (t == 0) return {np0, p0};
        if (t == 1) return {np1, p1};
        return t == tq0 ? std::pair{nq0, q0} : std::pair{nq1, q1};
      };
      auto [nlo, plo] = at_p(lo);
      auto [nhi, phi] = at_p(hi);
      b_splits_.push_back({bg, lo, nlo, plo});
      b_splits_.push_back({bg, hi, nhi, phi});
      b_on_.push_back({bg, lo, hi, same});
      const double tp0 = param(q0, q1, p0), tp1 = param(q0, q1, p1);
      const double lo2 = std::max(0.0, std::min(tp0, tp1)), hi2 = std::min(1.0, std::max(tp0, tp1));
      auto at_q = [&](double t) -> std::pair<Node, geo::Point> {
        if (t == 0) return {nq0, q0};
        if (t == 1) return {nq1, q1};
        return t == tp0 ? std::pair{np0, p0} : std::pair{np1, p1};
      };
      if (hi2 > lo2) {
        auto [mlo, qlo] = at_q(lo2);
        auto [mhi, qhi] = at_q(hi2);
        f_splits_.push_back({fg, lo2, mlo, qlo});
        f_splits_.push_back({fg, hi2, mhi, qhi});
        f_on_.push_back({fg, lo2, hi2, same});
      }
      return;
    }

    // One point in common: an end point on the other segment, or a proper crossing.
    touched_ = true;
    Node n;
    geo::Point x;
    if (oq0 == 0) {
      n = nq0, x = q0;
    } else if (oq1 == 0) {
      n = nq1, x = q1;
    } else if (op0 == 0) {
      n = np0, x = p0;
    } else if (op1 == 0) {
      n = np1, x = p1;
    } else {
      proper_ = true;
      x = crossing(p0, p1, q0, q1);
      n = crossing_node(x);
    }
    const double tb = x == p0 ? 0.0 : x == p1 ? 1.0 : std::clamp(param(p0, p1, x), 0.0, 1.0);
    const double tf = x == q0 ? 0.0 : x == q1 ? 1.0 : std::clamp(param(q0, q1, x), 0.0, 1.0);
    if (tb > 0 && tb < 1) b_splits_.push_back({bg, tb, n, x});
    if (tf > 0 && tf < 1) f_splits_.push_back({fg, tf, n, x});
  }

  // Cuts an edge at its splits and keeps the pieces that bound the overlap.
  void walk(const RingSet::Edge &e, Node start, Node end, const std::vector<Split> &splits,
            std::size_t s0, std::size_t s1, const std::vector<OnStretch> &on, std::size_t o0,
            std::size_t o1, const RingSet &other, bool boundary_side) {
    Node prev = start;
    geo::Point prev_p = *e.a;
    double prev_t = 0;
    auto piece = [&](Node to, const geo::Point &to_p, double to_t) {
      if (!(to_t > prev_t) || to_p == prev_p) return;
      const double m = (prev_t + to_t) / 2;
      bool keep = false;
      bool shared = false;
      for (std::size_t k = o0; k < o1; ++k)
        if (on[k].lo <= m && m <= on[k].hi) {
          shared = true;
          keep = boundary_side && on[k].same_direction;
          break;
        }
      if (!shared) keep = other.contains(mid(prev_p, to_p));
      if (keep) pieces_.push_back({prev, to, e.reversed});
      if (boundary_side && !keep) ++(shared ? b_opposite_ : b_outside_);
      if (!boundary_side && keep) ++f_inside_;
      prev = to;
      prev_p = to_p;
      prev_t = to_t;
    };
    for (std::size_t k = s0; k < s1; ++k)
      piece(splits[k].node, splits[k].p, splits[k].t);
    piece(end, *e.b, 1.0);
  }

  // Projects what the kept pieces need and sums their shoelace terms.
  double measure() {
    if (pieces_.empty()) return 0;
    // Feature vertices: each projected once.
    std::unordered_map<std::uint64_t, std::uint32_t> slot;
    std::vector<geo::Point> pts = crossings_;
    auto resolve = [&](Node &n) {
      if (n.kind != Node::FeatureVertex) return;
      const geo::Ring &r = f_.ring(n.ring);
      std::uint32_t i = n.index;
      if (i + 1 == r.size()) i = 0; // the closing point is the first one
      const std::uint64_t key = (std::uint64_t{n.ring} << 32) | i;
      auto [it, fresh] = slot.try_emplace(key, static_cast<std::uint32_t>(pts.size()));
      if (fresh) pts.push_back(r[i]);
      n.kind = Node::Crossing;
      n.index = it->second;
    };
    for (auto &pc : pieces_) {
      resolve(pc.from);
      resolve(pc.to);
    }
    gk_.apply(pts);
    const geo::Point origin = b_gk_.front()->front();
    auto at = [&](const Node &n) -> geo::Point {
      const geo::Point &p =
          n.kind == Node::BoundaryVertex ? (*b_gk_[n.ring])[n.index] : pts[n.index];
      return {p.x - origin.x, p.y - origin.y};
    };
    // Neumaier-compensated sum.
    double sum = 0, c = 0;
    for (const auto &pc : pieces_) {
      const geo::Point u = at(pc.from), v = at(pc.to);
      double term = u.x * v.y - v.x * u.y;
      if (pc.reversed) term = -term;
      const double t = sum + term;
      c += std::fabs(sum) >= std::fabs(term) ? (sum - t) + term : (term - t) + sum;
      sum = t;
    }
    return std::max(0.0, (sum + c) / 2);
  }

  const RingSet &b_;
  const RingSet &f_;
  const geo::Transformer &gk_;
  const geo::MultiPolygon &b_gk_mp_;
  std::vector<const geo::Ring *> b_gk_;
  std::vector<Split> b_splits_, f_splits_;
  std::vector<OnStretch> b_on_, f_on_;
  std::vector<geo::Point> crossings_;
  std::vector<Piece> pieces_;
  bool touched_ = false;       // the boundaries share a point
  bool proper_ = false;        // two edges cross at a point interior to both
  std::size_t b_outside_ = 0;  // boundary pieces outside the feature
  std::size_t b_opposite_ = 0; // shared stretches with the interiors on opposite sides
  std::size_t f_inside_ = 0;   // feature pieces strictly inside the boundary
};

} // namespace

Relation relate(const RingSet &boundary, const geo::MultiPolygon &boundary_gk,
                const RingSet &feature, const geo::Transformer &gk, bool area) {
  if (boundary.edge_count() == 0 || feature.edge_count() == 0) return {};
  if (!boundary.envelope().intersects(feature.envelope())) return {};
  Overlap o(boundary, boundary_gk, feature, gk);
  return o.run(area);
}

double overlap_area_m2(const RingSet &boundary, const geo::MultiPolygon &boundary_gk,
                       const RingSet &feature, const geo::Transformer &gk) {
  return relate(boundary, boundary_gk, feature, gk, true).overlap_m2;
}

} // namespace mineplan::review::detail
