#pragma once
// Ledgers (台账): the tables of rights, mines and zones that bureaus keep in Excel, CSV or as
// the attribute table of a GIS layer, with Chinese headers (许可证号, 矿山名称, 开采矿种 …).
//
// The header -> field mapping and the value vocabularies (大型 -> large, 露天 -> open-pit …)
// are data: data/ledger-columns.json, loaded and validated by LedgerSchema. This file turns
// rows of strings (LedgerTable, filled by io/ogr_reader) into Rights, Mines and Zones,
// collecting every problem with its row, column and what was expected.
#include "core/model.hpp"

#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace mineplan::io {

// One problem of an import: where (row / feature / parcel number, column) and what was
// expected there.
struct ImportProblem {
  std::string unit = "row"; // row | feature | parcel | file
  int number = 0;           // 1-based; 0 = the file as a whole
  std::string column;       // the header as written in the file, "geometry", or empty
  std::string message;

  // "row 3: 生产规模: expected a number, found \"abc\""
  std::string str() const;
  Json json() const;
};

// Rows of named values, as read from a ledger or the attribute table of a feature layer.
struct LedgerTable {
  struct Record {
    int number = 0; // row (header = row 1, first record = row 2) or feature (1-based)
    std::vector<std::optional<std::string>> values; // per column; nullopt = null or empty
    std::optional<geo::MultiPolygon> geometry;      // CGCS2000 lon/lat, valid, oriented
    std::optional<double> official_area_m2;         // planar Gauss-Krüger of `geometry`
  };

  std::string source;               // the file name used in messages
  std::string format;               // GDAL driver short name, or "coordinate file"
  std::string layer;                // the source layer (sheet) read
  std::string crs;                  // the source CRS as described to users (empty: no geometry)
  std::string unit = "row";         // how records are named in messages: row | feature | parcel
  bool excel_dates = false;         // numbers in date columns are Excel serial dates (XLSX)
  bool spatial = false;             // the source has a geometry column
  std::vector<std::string> columns; // headers (UTF-8) exactly as in the file
  std::vector<Record> records;
  std::vector<ImportProblem> problems; // found while reading (geometry, encoding …)
  std::vector<std::string> warnings;
};

// data/ledger-columns.json.
class LedgerSchema {
public:
  // Loads and validates; throws mineplan::Error listing every problem (JSON path + expected).
  static LedgerSchema load(const std::filesystem::path &file);
  static LedgerSchema parse(const Json &j, const std::string &source_name);
  // <default data dir>/ledger-columns.json.
  static LedgerSchema load_default();

  // The fields the importer understands, per layer (rights | mines | zones).
  static const std::set<std::string> &known_fields(const std::string &layer);
  // The canonical values a vocabulary may map to.
  static const std::set<std::string> &canonical_values(const std::string &vocabulary);

  struct Match {
    std::string field; // empty when the header maps to no field
    bool ignored = false;
    std::string unit; // the unit written in brackets after the header, canonical symbol
  };
  // What a header of a `layer` source means. Shapefile short names are mapped back first.
  Match match(const std::string &layer, std::string_view header) const;

  // The vocabulary a field's values go through, or empty.
  std::string vocabulary_of(const std::string &layer, const std::string &field) const;
  // Looks a cell value up in a vocabulary (canonical values accepted as themselves).
  std::optional<std::string> lookup(const std::string &vocabulary, std::string_view value) const;
  // The keys of a vocabulary, for "expected one of …" messages.
  std::vector<std::string> vocabulary_keys(const std::string &vocabulary) const;
  // The headers a field is known by in a layer (first = the usual Chinese header).
  std::vector<std::string> headers_of(const std::string &layer, const std::string &field) const;

  // mining | exploration when a header (采矿权人, 勘查矿种 …) tells the kind of right.
  std::optional<std::string> kind_hint(std::string_view header) const;
  // mining | exploration from the first letter of a licence number (C…, T…).
  std::optional<std::string> kind_from_licence(std::string_view licence_no) const;
  std::optional<std::string> default_unit(const std::string &field) const;

  // Long store column name -> 10-character shapefile field name (and back).
  const std::map<std::string, std::string> &shapefile_names() const { return shapefile_names_; }

private:
  struct FieldEntry {
    std::string field;
    std::set<std::string> layers;
    std::vector<std::string> headers;
    std::string vocabulary;
  };
  std::vector<FieldEntry> fields_;
  // layer -> normalised header -> field
  std::map<std::string, std::map<std::string, std::string>> by_header_;
  std::set<std::string> ignore_;
  std::map<std::string, std::string> kind_hints_;
  std::map<std::string, std::string> licence_prefixes_;
  std::map<std::string, std::string> default_units_;
  std::map<std::string, std::map<std::string, std::string>> vocabularies_;
  std::map<std::string, std::string> shapefile_names_;
  std::map<std::string, std::string> shapefile_long_; // short (lower case) -> long
};

// What the store already holds, for validation and for fields a source does not carry.
struct LedgerReference {
  std::vector<Mineral> minerals;
  std::vector<Division> divisions;     // empty: jurisdiction codes are not checked
  std::map<std::string, Right> rights; // current versions by uid
  std::map<std::string, Mine> mines;   // current versions by uid
  std::string plan;                    // --plan: the plan zones belong to
  std::vector<Zone> plan_zones;        // that plan's zones

  const Mineral *find_mineral(std::string_view name) const;
};

// Rows -> domain values. Problems are appended to `problems`; rows with problems are left
// out of the result (the caller writes nothing when there is any problem).
//
// Semantics (docs/import-export.md): a column the file does not have keeps the field as it
// is in the current version of that right/mine/zone; an empty cell clears it. A row without
// geometry keeps the current geometry.
std::vector<Right> ledger_rights(const LedgerTable &table, const LedgerSchema &schema,
                                 const LedgerReference &ref, std::vector<ImportProblem> &problems);
std::vector<Mine> ledger_mines(const LedgerTable &table, const LedgerSchema &schema,
                               const LedgerReference &ref, std::vector<ImportProblem> &problems);
std::vector<Zone> ledger_zones(const LedgerTable &table, const LedgerSchema &schema,
                               const LedgerReference &ref, std::vector<ImportProblem> &problems);

// --- cell parsers (exposed for tests) ---------------------------------------------------

// 2021-03-01, 2021/3/1, 2021.3.1, 2021年3月1日, 20210301, "2021-03-01 00:00:00" and, when
// `excel_serial`, Excel serial day numbers (1900 date system: 44256 = 2021-03-01).
// nullopt when the text is not a valid calendar date.
std::optional<std::string> parse_date(std::string_view text, bool excel_serial = false);
// A decimal number, allowing thousands separators and full-width digits; nullopt otherwise.
std::optional<double> parse_number(std::string_view text);
// A number followed by a unit ("13.9万吨/年"): the number and the unit text (may be empty).
std::optional<std::pair<double, std::string>> parse_number_with_unit(std::string_view text);
// 煤炭、铁矿 / 煤炭,铁矿 / ["煤炭","铁矿"] -> {煤炭, 铁矿}
std::vector<std::string> split_list(std::string_view text);
// Trims ASCII and full-width spaces, a UTF-8 byte-order mark and line breaks.
std::string trim_cell(std::string_view text);
// 生产规模（万吨/年） -> {"生产规模", "万吨/年"}; no brackets -> {header, ""}.
std::pair<std::string, std::string> split_header(std::string_view header);
// Today's date (local time), ISO.
std::string today_iso();

} // namespace mineplan::io
