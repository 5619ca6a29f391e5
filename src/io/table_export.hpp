#pragma once
// Plain tables (a header row and rows of cells) to an XLSX workbook through GDAL's XLSX driver:
// the statistics tables of monitoring (`mineplan stats --xlsx`).
#include <filesystem>
#include <string>
#include <vector>

namespace mineplan::io {

struct SheetTable {
  std::string name; // the sheet name (at most 31 characters are kept by Excel)
  std::vector<std::string> columns;
  std::vector<std::vector<std::string>> rows;
};

// One sheet per table; a column whose every cell is an integer is written as numbers. Empty
// or repeated header cells are named 列N. Throws mineplan::InputError when `out` exists and
// mineplan::Error when GDAL fails.
void write_xlsx(const std::filesystem::path &out, const std::vector<SheetTable> &sheets);

} // namespace mineplan::io
