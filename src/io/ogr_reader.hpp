#pragma once
// Reads any vector source OGR knows (GeoPackage, Shapefile, GeoJSON, CSV, XLSX …) into a
// LedgerTable: attribute values as UTF-8 strings and geometries in CGCS2000 lon/lat,
// checked and measured.
//
// Encodings: Shapefiles honour their .cpg (GDAL maps "936" to CP936, "GBK" to GBK); without
// a .cpg (and without a code page in the DBF header) the strings are tried as UTF-8 and,
// when they are not, the file is re-opened with ENCODING=CP936 (GBK). CSV files that are not
// UTF-8 are read as GBK too. GeoPackage, GeoJSON and XLSX are UTF-8 by definition.
//
// Geometry: any source CRS is reprojected to EPSG:4490 (x = lon, y = lat); a source without
// a CRS is taken as CGCS2000 when its coordinates are plainly lon/lat or zone-prefixed
// Gauss-Krüger (with a warning), and refused otherwise. Only Polygon and MultiPolygon are
// accepted; invalid geometries are problems naming the feature and GEOS's reason. Valid
// geometries are oriented (outer rings counter-clockwise) and get their official area
// (geo::official_area_m2: planar Gauss-Krüger in the 3° zone of the centroid).
#include "io/ledger.hpp"

#include <filesystem>
#include <string>
#include <vector>

namespace mineplan::io {

struct ReadOptions {
  std::string source_layer; // the layer / sheet to read; empty: the only one, or the one
                            // named like `prefer_layer`
  std::string prefer_layer; // rights | mines | zones
  unsigned threads = 0;     // for geometry checks and areas; 0 = all cores
};

// Throws mineplan::Error when the file cannot be opened or the layer chosen; everything
// about individual features lands in LedgerTable::problems.
LedgerTable read_ogr(const std::filesystem::path &file, const ReadOptions &options = {});

// Checks, orients and measures the geometries of a table in parallel (used by read_ogr and
// by the coordinate-file path): sets official_area_m2, appends problems for invalid ones
// and drops their geometry.
void finish_geometries(LedgerTable &table, unsigned threads = 0);

// The layer names of a dataset.
std::vector<std::string> list_layers(const std::filesystem::path &file);

// True for byte strings that are valid UTF-8.
bool is_utf8(std::string_view s);

} // namespace mineplan::io
