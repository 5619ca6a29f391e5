#pragma once
// A multipolygon held once and shared: the read model's record owns the coordinates, the
// review's spatial index and the tile source refer to them. Immutable: a changed feature gets
// a new geometry (copy on write), and whoever holds the old one keeps it. Reads like a
// `const geo::MultiPolygon &` (iteration, empty(), implicit conversion); assigning a
// MultiPolygon value makes a geometry of its own.
#include "core/geometry.hpp"

#include <memory>
#include <utility>

namespace mineplan::geo {

class SharedGeometry {
public:
  SharedGeometry() = default;
  // Owns a copy (or the moved value) of its own.
  SharedGeometry(MultiPolygon value) // NOLINT(google-explicit-constructor): reads as a value
      : p_(std::make_shared<const MultiPolygon>(std::move(value))) {}
  // Shares `shared` (which may alias a larger owner, e.g. a record of the read model).
  explicit SharedGeometry(std::shared_ptr<const MultiPolygon> shared) : p_(std::move(shared)) {}

  SharedGeometry &operator=(MultiPolygon value) {
    p_ = std::make_shared<const MultiPolygon>(std::move(value));
    return *this;
  }

  const MultiPolygon &get() const { return p_ ? *p_ : empty_value(); }
  operator const MultiPolygon &() const { return get(); } // NOLINT(google-explicit-constructor)
  bool empty() const { return !p_ || p_->empty(); }
  std::size_t size() const { return p_ ? p_->size() : 0; }
  MultiPolygon::const_iterator begin() const { return get().begin(); }
  MultiPolygon::const_iterator end() const { return get().end(); }
  const Polygon &front() const { return get().front(); }
  void reset() { p_.reset(); }
  // The shared coordinates (null when none): pointer identity says "the same geometry".
  const std::shared_ptr<const MultiPolygon> &shared() const { return p_; }

private:
  static const MultiPolygon &empty_value() {
    static const MultiPolygon none;
    return none;
  }
  std::shared_ptr<const MultiPolygon> p_;
};

} // namespace mineplan::geo
