#pragma once
// Reader and writer of the coordinate text files land and mining administrations exchange
// (界址点坐标交换文件, "[属性描述] / [地块坐标]") and of the mining-right registration layout
// ("XY001=1,X,Y" … "标高=top,bottom"). docs/coordinates.md describes every accepted variant and
// every problem code.
//
// Two kinds of failure:
//  * the file cannot be read as a coordinate file at all (empty, invalid encoding, a
//    non-numeric coordinate, a truncated line, a point before any parcel header, an unknown
//    section, fewer than 3 distinct points, over the size limits): parse_coordinate_file throws
//    mineplan::InputError(source, line, field, "期望 … 实际 … / expected …, found …");
//  * the file reads, but something is wrong or was guessed (unclosed ring, bow-tie, duplicate
//    point, zone prefix vs 带号, declared vs computed area, swapped axes …): a Problem with a
//    stable code, a line and a severity. Importers must refuse files with error-severity
//    problems (has_errors()).
//
// Geometry is in the file's CRS, in GIS axis order (x = easting incl. any zone prefix,
// y = northing), whatever order the file used.
#include "geo/crs.hpp"
#include "core/geometry.hpp"
#include "geo/proj.hpp"

#include <cstddef>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace mineplan::geo {

enum class Severity { Error, Warning, Info };
std::string_view severity_id(Severity s); // "error" | "warning" | "info"

struct Problem {
  Severity severity = Severity::Info;
  std::string code;    // stable ASCII id, e.g. "self-intersection" (docs/coordinates.md)
  int line = 0;        // 1-based line of the file, 0 when not tied to a line
  std::string message; // Chinese and English
  int parcel = -1;     // index into CoordinateFile::parcels, -1 for the whole file
};

struct Elevations {
  double top = 0;    // 开采上限标高, m
  double bottom = 0; // 开采下限标高, m
};

struct KeyValue {
  std::string key;
  std::string value;
  int line = 0;
};

struct CoordinateParcel {
  int index = 0;      // 0-based position in the file
  std::string number; // 地块编号 (registration layout: the block's ordinal)
  std::string name;   // 地块名称 (registration layout: 矿山名称 or 矿区名称 when given)
  std::string shape;  // 点 / 线 / 面 as written ("面" when the file leaves it empty)
  std::optional<int> declared_points;   // point count of the header (closing points included)
  std::optional<double> declared_area;  // as written; the unit is not stated in the file
  int declared_area_decimals = 0;       // decimals the declared area was written with
  std::string sheet;                    // 图幅号
  std::string use;                      // 地块用途
  std::string class_code;               // 地类编码
  std::optional<Elevations> elevations; // registration layout
  MultiPolygon geometry;                // file CRS, GIS axis order, closed rings
  int first_line = 0;                   // header line (exchange) or first point line (registration)
  int point_lines = 0;                  // point lines read for this parcel
  bool xy_swapped = false;              // the file gave easting first; swapped on reading

  // Which unit the declared area matches once computed (filled by the reader):
  // "km2" | "ha" | "m2" | "mu", empty when it matches none or there is no declared area.
  std::string declared_area_unit;
  // How: "exact" (within half a unit of the last declared decimal), "truncated" (the
  // computed area cut, not rounded, to the declared decimals), "close" (within 0.1 %).
  std::string declared_area_match;
};

struct CoordinateFile {
  std::string source;                 // file name (or what the caller named the bytes)
  std::string encoding;               // "UTF-8", "UTF-8 BOM", "GB18030", "UTF-16LE", "UTF-16BE"
  std::string layout;                 // "exchange" | "registration"
  std::vector<KeyValue> attributes;   // [属性描述] (registration: the key lines) in file order
  std::vector<KeyValue> project_info; // [项目信息]
  Crs crs;
  std::optional<Helmert7> helmert; // 转换参数 (docs: order, units, convention)
  double precision = 0.01;         // 精度, m (or degrees for geographic files)
  std::vector<CoordinateParcel> parcels;
  std::vector<Problem> problems;

  bool has_errors() const;
  std::size_t count(Severity s) const;
  // First attribute with this key, or nullptr.
  const std::string *attribute(std::string_view key) const;
};

struct ReadOptions {
  std::size_t max_bytes = 256u << 20; // 256 MiB
  std::size_t max_points_per_parcel = 10'000'000;
  std::size_t max_rings_per_parcel = 10'000; // ring nesting is quadratic in the ring count
  std::size_t max_problems = 1000;           // then one "too-many-problems" and silence
  bool validate_geometry = true;             // GEOS validity (self-intersection …)
};

// Reads and validates. Throws mineplan::InputError for a fatal problem (see above).
CoordinateFile parse_coordinate_file(std::string_view bytes, std::string source,
                                     const ReadOptions &options = {});
// Same from a file; checks the size before reading it.
CoordinateFile read_coordinate_file(const std::filesystem::path &path,
                                    const ReadOptions &options = {});

enum class Encoding { Utf8, Gbk };

// Writes the exchange layout: [项目信息] (when present), [属性描述] (standard keys first,
// derived from crs/precision/helmert, then the file's other attributes), [地块坐标] with X
// (northing) first, `precision` decimals, every ring closed by repeating its first point,
// ring numbers 1.. per parcel (each part's outer ring followed by its holes), CRLF line ends.
// Encoding::Gbk writes GB18030 (a superset of GBK: identical bytes for every GBK character).
std::string write_exchange_file(const CoordinateFile &file, Encoding encoding = Encoding::Utf8);

} // namespace mineplan::geo
