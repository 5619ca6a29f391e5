#pragma once
// The GeoPackage schema of the embedded store, as numbered migrations. A migration runs once,
// inside a transaction, and is recorded in mineplan_migrations.
#include <string_view>
#include <vector>

namespace mineplan::store::gpkg {

struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

const std::vector<Migration> &migrations();

// Feature tables with a geometry column `geom` (MULTIPOLYGON, EPSG:4490) and an R-tree.
struct SpatialLayer {
  std::string_view table;
  std::string_view title;
};
const std::vector<SpatialLayer> &spatial_layers();

// Attribute-only tables registered in gpkg_contents.
const std::vector<SpatialLayer> &attribute_layers();

// Layers whose rows are versions ([version_from, version_to)).
bool is_versioned(std::string_view table);

} // namespace mineplan::store::gpkg
