#include "store/store.hpp"

#include "store/gpkg/gpkg_store.hpp"
#include "store/postgis/postgis_store.hpp"

namespace mineplan::store {

bool is_server_location(const std::string &location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Store> Store::open(const std::string &location, bool create) {
  if (is_server_location(location))
    return std::make_unique<postgis::PostgisStore>(location, create);
  return std::make_unique<gpkg::GpkgStore>(location, create);
}

} // namespace mineplan::store
