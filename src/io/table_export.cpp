#include "io/table_export.hpp"

#include "core/error.hpp"
#include "io/ogr_util.hpp"

#include <cstdlib>
#include <set>

namespace mineplan::io {
namespace {

bool is_integer(const std::string &s) {
  if (s.empty()) return false;
  std::size_t i = s[0] == '-' ? 1 : 0;
  if (i == s.size() || s.size() > 15) return false;
  for (; i < s.size(); ++i)
    if (s[i] < '0' || s[i] > '9') return false;
  return true;
}

} // namespace

void write_xlsx(const std::filesystem::path &out, const std::vector<SheetTable> &sheets) {
  if (std::filesystem::exists(out))
    throw InputError(out.string(), 0, "", "already exists; refusing to overwrite");
  if (sheets.empty()) throw Error("no table to write");
  ogr::ensure_registered();
  GDALDriver *driver = GetGDALDriverManager()->GetDriverByName("XLSX");
  if (!driver) throw Error("GDAL has no XLSX driver");
  ogr::ErrorCapture errors;
  GDALDatasetUniquePtr ds(driver->Create(out.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw Error(out.string() + ": cannot create (" + errors.last_error() + ")");
  std::set<std::string> sheet_names;
  for (const auto &t : sheets) {
    std::string name = t.name.empty() ? "表" : t.name;
    for (int k = 2; sheet_names.count(name); ++k)
      name = t.name + "_" + std::to_string(k);
    sheet_names.insert(name);
    OGRLayer *layer = ds->CreateLayer(name.c_str(), nullptr, wkbNone, nullptr);
    if (!layer) throw Error(out.string() + ": cannot create sheet " + name);
    std::set<std::string> used;
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      std::string col = t.columns[c];
      if (col.empty() || used.count(col)) col = "列" + std::to_string(c + 1);
      used.insert(col);
      bool numeric = !t.rows.empty();
      for (const auto &r : t.rows)
        numeric = numeric && c < r.size() && is_integer(r[c]);
      OGRFieldDefn field(col.c_str(), numeric ? OFTInteger64 : OFTString);
      if (layer->CreateField(&field) != OGRERR_NONE)
        throw Error(out.string() + ": cannot create column " + col + " (" + errors.last_error() +
                    ")");
    }
    for (const auto &r : t.rows) {
      OGRFeature feature(layer->GetLayerDefn());
      for (std::size_t c = 0; c < t.columns.size() && c < r.size(); ++c) {
        if (r[c].empty()) continue;
        int i = static_cast<int>(c);
        if (feature.GetFieldDefnRef(i)->GetType() == OFTInteger64)
          feature.SetField(i, static_cast<GIntBig>(std::strtoll(r[c].c_str(), nullptr, 10)));
        else
          feature.SetField(i, r[c].c_str());
      }
      if (layer->CreateFeature(&feature) != OGRERR_NONE)
        throw Error(out.string() + ": cannot write a row (" + errors.last_error() + ")");
    }
  }
  ds.reset(); // flush and close
  if (!errors.errors().empty())
    throw Error(out.string() + ": writing failed (" + errors.last_error() + ")");
}

} // namespace mineplan::io
