#include "store/store.hpp"

#include "store/gpkg/gpkg_store.hpp"
#include "store/gpkg/schema.hpp"
#include "store/postgis/postgis_store.hpp"

namespace mineplan::store {

bool is_server_location(const std::string &location) {
  return location.starts_with("postgresql://") || location.starts_with("postgres://");
}

std::unique_ptr<Store> Store::open(const std::string &location, Access access) {
  if (is_server_location(location))
    return std::make_unique<postgis::PostgisStore>(location, access);
  return std::make_unique<gpkg::GpkgStore>(location, access);
}

int Store::known_schema_version() {
  // Both stores number their migrations alike.
  return gpkg::migrations().back().version;
}

} // namespace mineplan::store
