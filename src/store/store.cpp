#include "store/store.hpp"

#include "core/error.hpp"
#include "store/gpkg/gpkg_store.hpp"

namespace mineplan::store {

std::unique_ptr<Store> Store::open(const std::string &location, bool create) {
  if (location.starts_with("postgresql://") || location.starts_with("postgres://"))
    throw Error(location + ": the PostgreSQL/PostGIS store is not part of this build yet");
  return std::make_unique<gpkg::GpkgStore>(location, create);
}

} // namespace mineplan::store
