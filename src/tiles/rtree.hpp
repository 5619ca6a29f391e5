#pragma once
// A static R-tree packed once by Sort-Tile-Recursive (Leutenegger et al. 1997): the boxes
// are sorted into vertical slices by centre x, each slice by centre y, and cut into nodes of
// `kNodeSize`; the level above is packed the same way from the nodes' boxes.
#include "core/geometry.hpp"

#include <cstdint>
#include <vector>

namespace mineplan::tiles {

class PackedRTree {
public:
  static constexpr std::size_t kNodeSize = 16;

  PackedRTree() = default;
  // Item i is boxes[i]; empty boxes are never found.
  explicit PackedRTree(const std::vector<geo::Envelope> &boxes);

  // The items whose box meets `query` (touching counts), ascending.
  void query(const geo::Envelope &query, std::vector<std::uint32_t> &out) const;

  std::size_t size() const { return items_; }
  std::size_t memory_bytes() const;

private:
  struct Node {
    geo::Envelope box;
    std::uint32_t first = 0; // into the level below, or into order_ for leaves
    std::uint32_t count = 0;
  };
  std::size_t items_ = 0;
  std::vector<std::uint32_t> order_;      // item ids in leaf order
  std::vector<geo::Envelope> item_boxes_; // in leaf order
  std::vector<std::vector<Node>> levels_; // levels_[0] = leaves, back() = root level
};

} // namespace mineplan::tiles
