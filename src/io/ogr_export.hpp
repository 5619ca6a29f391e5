#pragma once
// `mineplan export`: one layer of the store to GeoPackage, Shapefile, GeoJSON, CSV, XLSX or
// the coordinate exchange text file.
//
// Rows are the store's generic rows (Store::for_each_feature: the current versions of
// versioned layers) with their MultiPolygon in EPSG:4490 (x = lon, y = lat). Column names are
// the store's; `minerals` and `aliases` (JSON arrays in the store) are written as 煤炭、铁矿.
// Shapefile: .prj, a .cpg of UTF-8, and names longer than 10 characters mapped to the short
// names of data/ledger-columns.json ("shapefile_names"), others truncated and numbered;
// strings longer than 254 bytes continue in fields NAME8_2, NAME8_3 … (joined on import).
// txt: CGCS2000 3° Gauss-Krüger with the zone number prefixed, zone from the centroid; one
// parcel per feature; a layer spanning several zones is written as one file per zone.
// An existing output is never overwritten.
#include "io/ledger.hpp"
#include "store/store.hpp"

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace mineplan::io {

struct ExportOptions {
  std::string layer;  // a store layer (rights, mines, zones, divisions, plans, targets …)
  std::string format; // gpkg | shp | geojson | csv | xlsx | txt; empty = from the extension
};

struct ExportResult {
  std::string layer;
  std::string format;
  std::int64_t features = 0;
  std::vector<std::string> files;             // written
  std::map<std::string, std::string> renamed; // column -> shapefile field name
  std::vector<std::string> warnings;
  Json json() const;
};

// The format for an output path's extension (.gpkg, .shp, .geojson/.json, .csv, .xlsx,
// .txt), or empty.
std::string format_for_path(const std::filesystem::path &out);

// The name of part k (2, 3 …) of a Shapefile string column longer than 254 bytes:
// the first 8 characters of the column name, "_", k ("attribut_2").
std::string continuation_name(const std::string &column, int part);

// The 10-character field names a Shapefile export uses for `columns`.
std::map<std::string, std::string> shapefile_field_names(const std::vector<std::string> &columns,
                                                         const LedgerSchema &schema);

// Throws mineplan::InputError for a bad layer / format / existing output, mineplan::Error
// when GDAL fails.
ExportResult export_layer(store::Store &store, const std::filesystem::path &out,
                          const ExportOptions &options, const LedgerSchema &schema);

} // namespace mineplan::io
