#include "tiles/rtree.hpp"

#include <algorithm>
#include <cmath>

namespace mineplan::tiles {

namespace {

double cx(const geo::Envelope &e) {
  return (e.min_x + e.max_x) / 2;
}
double cy(const geo::Envelope &e) {
  return (e.min_y + e.max_y) / 2;
}

void merge(geo::Envelope &into, const geo::Envelope &e) {
  into.min_x = std::min(into.min_x, e.min_x);
  into.min_y = std::min(into.min_y, e.min_y);
  into.max_x = std::max(into.max_x, e.max_x);
  into.max_y = std::max(into.max_y, e.max_y);
}

// STR order of `boxes` (indices), then nodes of kNodeSize consecutive entries.
std::vector<std::uint32_t> str_order(const std::vector<geo::Envelope> &boxes, std::size_t m) {
  std::vector<std::uint32_t> idx(boxes.size());
  for (std::size_t i = 0; i < idx.size(); ++i)
    idx[i] = static_cast<std::uint32_t>(i);
  auto by_x = [&](std::uint32_t a, std::uint32_t b) {
    return cx(boxes[a]) < cx(boxes[b]) || (cx(boxes[a]) == cx(boxes[b]) && a < b);
  };
  auto by_y = [&](std::uint32_t a, std::uint32_t b) {
    return cy(boxes[a]) < cy(boxes[b]) || (cy(boxes[a]) == cy(boxes[b]) && a < b);
  };
  std::sort(idx.begin(), idx.end(), by_x);
  const std::size_t nodes = (idx.size() + m - 1) / m;
  const auto slices = static_cast<std::size_t>(std::ceil(std::sqrt(static_cast<double>(nodes))));
  const std::size_t per_slice = slices * m;
  for (std::size_t s = 0; s < idx.size(); s += per_slice)
    std::sort(idx.begin() + static_cast<std::ptrdiff_t>(s),
              idx.begin() + static_cast<std::ptrdiff_t>(std::min(idx.size(), s + per_slice)), by_y);
  return idx;
}

} // namespace

PackedRTree::PackedRTree(const std::vector<geo::Envelope> &boxes) {
  std::vector<geo::Envelope> present;
  std::vector<std::uint32_t> ids;
  for (std::size_t i = 0; i < boxes.size(); ++i)
    if (!boxes[i].empty()) {
      present.push_back(boxes[i]);
      ids.push_back(static_cast<std::uint32_t>(i));
    }
  items_ = present.size();
  if (present.empty()) return;

  for (std::uint32_t i : str_order(present, kNodeSize)) {
    order_.push_back(ids[i]);
    item_boxes_.push_back(present[i]);
  }
  std::vector<Node> level;
  for (std::size_t i = 0; i < item_boxes_.size(); i += kNodeSize) {
    Node n;
    n.first = static_cast<std::uint32_t>(i);
    n.count = static_cast<std::uint32_t>(std::min(kNodeSize, item_boxes_.size() - i));
    for (std::size_t k = i; k < i + n.count; ++k)
      merge(n.box, item_boxes_[k]);
    level.push_back(n);
  }
  levels_.push_back(std::move(level));
  while (levels_.back().size() > 1) {
    // Pack the nodes of the level below: reorder them by STR, then group.
    std::vector<Node> &below = levels_.back();
    std::vector<geo::Envelope> nb;
    for (const auto &n : below)
      nb.push_back(n.box);
    std::vector<Node> sorted;
    for (std::uint32_t i : str_order(nb, kNodeSize))
      sorted.push_back(below[i]);
    below = std::move(sorted);
    std::vector<Node> up;
    for (std::size_t i = 0; i < below.size(); i += kNodeSize) {
      Node n;
      n.first = static_cast<std::uint32_t>(i);
      n.count = static_cast<std::uint32_t>(std::min(kNodeSize, below.size() - i));
      for (std::size_t k = i; k < i + n.count; ++k)
        merge(n.box, below[k].box);
      up.push_back(n);
    }
    levels_.push_back(std::move(up));
  }
}

void PackedRTree::query(const geo::Envelope &q, std::vector<std::uint32_t> &out) const {
  out.clear();
  if (levels_.empty() || q.empty()) return;
  struct Entry {
    std::size_t level;
    std::uint32_t node;
  };
  std::vector<Entry> stack;
  const std::size_t top = levels_.size() - 1;
  for (std::uint32_t i = 0; i < levels_[top].size(); ++i)
    stack.push_back({top, i});
  while (!stack.empty()) {
    const Entry e = stack.back();
    stack.pop_back();
    const Node &n = levels_[e.level][e.node];
    if (!n.box.intersects(q)) continue;
    if (e.level == 0) {
      for (std::uint32_t k = n.first; k < n.first + n.count; ++k)
        if (item_boxes_[k].intersects(q)) out.push_back(order_[k]);
    } else {
      for (std::uint32_t k = n.first; k < n.first + n.count; ++k)
        stack.push_back({e.level - 1, k});
    }
  }
  std::sort(out.begin(), out.end());
}

std::size_t PackedRTree::memory_bytes() const {
  std::size_t b =
      order_.capacity() * sizeof(std::uint32_t) + item_boxes_.capacity() * sizeof(geo::Envelope);
  for (const auto &l : levels_)
    b += l.capacity() * sizeof(Node);
  return b;
}

} // namespace mineplan::tiles
