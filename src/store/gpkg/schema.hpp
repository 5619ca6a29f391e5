#pragma once
// The GeoPackage schema of the embedded store, as numbered migrations (store/sql/sql_store.hpp).
#include "store/sql/sql_store.hpp"

#include <vector>

namespace mineplan::store::gpkg {

const std::vector<sql::Migration> &migrations();

} // namespace mineplan::store::gpkg
