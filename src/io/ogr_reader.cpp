#include "io/ogr_reader.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "geo/proj.hpp"
#include "io/ogr_export.hpp"
#include "io/ogr_util.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <fstream>
#include <sstream>
#include <thread>

namespace mineplan::io {
namespace fs = std::filesystem;

namespace {

struct CplFree {
  void operator()(char *p) const { CPLFree(p); }
};

std::string recode_gbk(const std::string &s) {
  std::unique_ptr<char, CplFree> out(CPLRecode(s.c_str(), "CP936", CPL_ENC_UTF8));
  return out ? std::string(out.get()) : s;
}

std::string shortest(double v) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
  if (ec != std::errc()) return std::to_string(v);
  return std::string(buf, p);
}

// A cell as text: numbers in their shortest exact form, dates as ISO.
std::optional<std::string> cell_text(OGRFeature &f, int i, OGRFieldType type) {
  if (!f.IsFieldSetAndNotNull(i)) return std::nullopt;
  std::string s;
  switch (type) {
  case OFTInteger: s = std::to_string(f.GetFieldAsInteger(i)); break;
  case OFTInteger64: s = std::to_string(f.GetFieldAsInteger64(i)); break;
  case OFTReal: s = shortest(f.GetFieldAsDouble(i)); break;
  case OFTDate:
  case OFTDateTime: {
    int y = 0, m = 0, d = 0, hh = 0, mm = 0, tz = 0;
    float ss = 0;
    if (f.GetFieldAsDateTime(i, &y, &m, &d, &hh, &mm, &ss, &tz)) {
      char buf[16];
      std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
      s = buf;
    } else {
      s = f.GetFieldAsString(i);
    }
    break;
  }
  default: s = f.GetFieldAsString(i); break;
  }
  if (trim_cell(s).empty()) return std::nullopt;
  return s;
}

GDALDatasetUniquePtr open_dataset(const fs::path &file, const std::vector<std::string> &drivers,
                                  const std::vector<std::string> &open_options) {
  CPLStringList drv, opts;
  for (const auto &d : drivers)
    drv.AddString(d.c_str());
  for (const auto &o : open_options)
    opts.AddString(o.c_str());
  ogr::ErrorCapture errors;
  GDALDatasetUniquePtr ds(GDALDataset::Open(file.string().c_str(),
                                            GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                            drivers.empty() ? nullptr : drv.List(),
                                            open_options.empty() ? nullptr : opts.List(), nullptr));
  if (!ds)
    throw Error(file.string() + ": cannot open as a vector dataset (" +
                errors.last_error("not a format GDAL recognises") + ")");
  return ds;
}

OGRLayer *choose_layer(GDALDataset &ds, const fs::path &file, const ReadOptions &o) {
  std::vector<std::string> names;
  for (auto *l : ds.GetLayers())
    names.push_back(l->GetName());
  std::string all;
  for (const auto &n : names)
    all += (all.empty() ? "" : ", ") + n;
  if (!o.source_layer.empty()) {
    if (OGRLayer *l = ds.GetLayerByName(o.source_layer.c_str())) return l;
    throw Error(file.string() + ": no layer '" + o.source_layer + "' (layers: " + all + ")");
  }
  if (names.empty()) throw Error(file.string() + ": no layers");
  if (names.size() == 1) return ds.GetLayer(0);
  if (!o.prefer_layer.empty())
    if (OGRLayer *l = ds.GetLayerByName(o.prefer_layer.c_str())) return l;
  // Spreadsheets: the first sheet with rows.
  if (std::string(ds.GetDriver()->GetDescription()) == "XLSX")
    for (auto *l : ds.GetLayers())
      if (l->GetFeatureCount(TRUE) > 0) return l;
  throw Error(file.string() + ": several layers (" + all +
              "); choose one with --source-layer NAME");
}

// The CRS of a source without one, guessed from its extent; nullopt when it cannot be.
std::optional<int> guess_epsg(OGRLayer &layer, std::string &why) {
  OGREnvelope env;
  if (layer.GetExtent(&env, TRUE) != OGRERR_NONE) return std::nullopt;
  if (env.MinX >= -180 && env.MaxX <= 180 && env.MinY >= -90 && env.MaxY <= 90) {
    why = "coordinates look like longitude/latitude; taken as CGCS2000 (EPSG:4490)";
    return 4490;
  }
  const int zmin = static_cast<int>(std::floor(env.MinX / 1e6)),
            zmax = static_cast<int>(std::floor(env.MaxX / 1e6));
  if (zmin == zmax && env.MinY >= 0 && env.MaxY < 1e7) {
    if (zmin >= 25 && zmin <= 45) {
      why = "eastings carry the 3-degree zone number " + std::to_string(zmin) +
            "; taken as CGCS2000 3-degree Gauss-Kruger (EPSG:" + std::to_string(4513 + zmin - 25) +
            ")";
      return 4513 + zmin - 25;
    }
    if (zmin >= 13 && zmin <= 23) {
      why = "eastings carry the 6-degree zone number " + std::to_string(zmin) +
            "; taken as CGCS2000 6-degree Gauss-Kruger (EPSG:" + std::to_string(4491 + zmin - 13) +
            ")";
      return 4491 + zmin - 13;
    }
  }
  return std::nullopt;
}

bool old_datum(const OGRSpatialReference &srs) {
  const char *datum = srs.GetAttrValue("DATUM");
  if (!datum) return false;
  std::string d = ogr::ascii_lower(datum);
  return d.find("xian") != std::string::npos || d.find("beijing") != std::string::npos;
}

struct Layout {
  std::vector<int> fields; // OGR field index per table column
  std::vector<OGRFieldType> types;
};

// Reads the rows of `layer` into `table` (values raw; geometry transformed).
void read_layer(OGRLayer &layer, LedgerTable &table, OGRCoordinateTransformation *ct, bool gbk) {
  OGRFeatureDefn *defn = layer.GetLayerDefn();
  Layout lay;
  table.columns.clear();
  for (int i = 0; i < defn->GetFieldCount(); ++i) {
    OGRFieldDefn *fd = defn->GetFieldDefn(i);
    std::string name = fd->GetNameRef();
    if (gbk) name = recode_gbk(name);
    table.columns.push_back(name);
    lay.fields.push_back(i);
    lay.types.push_back(fd->GetType());
  }
  table.spatial = defn->GetGeomFieldCount() > 0;
  layer.ResetReading();
  int index = 0;
  const bool rows = table.unit == "row";
  for (auto &feature : layer) {
    ++index;
    LedgerTable::Record rec;
    rec.number = rows ? index + 1 : index;
    rec.values.reserve(lay.fields.size());
    for (std::size_t c = 0; c < lay.fields.size(); ++c) {
      auto v = cell_text(*feature, lay.fields[c], lay.types[c]);
      if (v && gbk) v = recode_gbk(*v);
      rec.values.push_back(std::move(v));
    }
    const OGRGeometry *g = feature->GetGeometryRef();
    if (g && !g->IsEmpty()) {
      std::string type;
      auto flat = wkbFlatten(g->getGeometryType());
      if (flat != wkbPolygon && flat != wkbMultiPolygon) {
        table.problems.push_back({table.unit, rec.number, "geometry",
                                  std::string("expected a Polygon or MultiPolygon, found ") +
                                      OGRGeometryTypeToName(g->getGeometryType())});
      } else if (ct) {
        ogr::GeometryPtr copy(g->clone());
        ogr::ErrorCapture errors;
        if (copy->transform(ct) != OGRERR_NONE)
          table.problems.push_back(
              {table.unit, rec.number, "geometry",
               "cannot reproject to CGCS2000 (" + errors.last_error("PROJ failed") + ")"});
        else
          rec.geometry = ogr::to_multipolygon(*copy);
      } else {
        rec.geometry = ogr::to_multipolygon(*g);
      }
    }
    table.records.push_back(std::move(rec));
  }
}

// Shapefile exports split strings longer than 254 bytes into NAME, NAME8_2, NAME8_3 …
// (io/ogr_export): join them again.
void join_continuations(LedgerTable &t) {
  std::vector<bool> drop(t.columns.size(), false);
  for (std::size_t i = 0; i < t.columns.size(); ++i) {
    if (drop[i]) continue;
    std::vector<std::size_t> parts;
    for (int k = 2;; ++k) {
      auto it = std::find(t.columns.begin(), t.columns.end(), continuation_name(t.columns[i], k));
      if (it == t.columns.end() || static_cast<std::size_t>(it - t.columns.begin()) == i) break;
      parts.push_back(static_cast<std::size_t>(it - t.columns.begin()));
    }
    if (parts.empty()) continue;
    for (auto &r : t.records) {
      for (std::size_t p : parts) {
        if (p >= r.values.size() || !r.values[p]) continue;
        if (!r.values[i]) r.values[i] = std::string();
        *r.values[i] += *r.values[p];
      }
    }
    for (std::size_t p : parts)
      drop[p] = true;
  }
  for (std::size_t i = t.columns.size(); i-- > 0;)
    if (drop[i]) {
      t.columns.erase(t.columns.begin() + static_cast<std::ptrdiff_t>(i));
      for (auto &r : t.records)
        if (i < r.values.size()) r.values.erase(r.values.begin() + static_cast<std::ptrdiff_t>(i));
    }
}

bool table_is_utf8(const LedgerTable &t) {
  for (const auto &c : t.columns)
    if (!is_utf8(c)) return false;
  for (const auto &r : t.records)
    for (const auto &v : r.values)
      if (v && !is_utf8(*v)) return false;
  return true;
}

bool file_is_utf8(const fs::path &file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return is_utf8(ss.str());
}

} // namespace

bool is_utf8(std::string_view s) {
  return CPLIsUTF8(s.data(), static_cast<int>(s.size())) != 0;
}

std::vector<std::string> list_layers(const fs::path &file) {
  ogr::ensure_registered();
  auto ds = open_dataset(file, {}, {});
  std::vector<std::string> out;
  for (auto *l : ds->GetLayers())
    out.push_back(l->GetName());
  return out;
}

void finish_geometries(LedgerTable &table, unsigned threads) {
  std::vector<std::size_t> pending;
  for (std::size_t i = 0; i < table.records.size(); ++i)
    if (table.records[i].geometry) pending.push_back(i);
  if (pending.empty()) return;
  std::vector<std::optional<ImportProblem>> found(pending.size());
  std::atomic<std::size_t> next{0};
  auto work = [&] {
    for (std::size_t k; (k = next.fetch_add(1)) < pending.size();) {
      auto &rec = table.records[pending[k]];
      try {
        auto &g = *rec.geometry;
        bool empty_ring = false;
        for (const auto &p : g) {
          empty_ring |= p.outer.size() < 4;
          for (const auto &h : p.holes)
            empty_ring |= h.size() < 4;
        }
        if (g.empty() || empty_ring) {
          found[k] = ImportProblem{
              table.unit, rec.number, "geometry",
              "a ring has fewer than 4 points (3 distinct corners and the closing one)"};
          continue;
        }
        if (auto bad = geo::validity_problem(g)) {
          char where[96];
          std::snprintf(where, sizeof where, " at (%.7f %.7f)", bad->location.x, bad->location.y);
          found[k] = ImportProblem{table.unit, rec.number, "geometry",
                                   "invalid polygon: " + bad->reason + where};
          continue;
        }
        ogr::normalize_orientation(g);
        rec.official_area_m2 = geo::official_area_m2(g);
      } catch (const std::exception &e) {
        found[k] = ImportProblem{table.unit, rec.number, "geometry", e.what()};
      }
    }
  };
  unsigned n = threads ? threads : std::max(1u, std::thread::hardware_concurrency());
  n = static_cast<unsigned>(std::min<std::size_t>(n, (pending.size() + 63) / 64));
  std::vector<std::jthread> pool;
  for (unsigned i = 1; i < n; ++i)
    pool.emplace_back(work);
  work();
  pool.clear(); // joins
  for (std::size_t k = 0; k < pending.size(); ++k)
    if (found[k]) {
      table.problems.push_back(*found[k]);
      table.records[pending[k]].geometry.reset();
      table.records[pending[k]].official_area_m2.reset();
    }
  std::stable_sort(
      table.problems.begin(), table.problems.end(),
      [](const ImportProblem &a, const ImportProblem &b) { return a.number < b.number; });
}

LedgerTable read_ogr(const fs::path &file, const ReadOptions &o) {
  ogr::ensure_registered();
  if (!fs::exists(file)) throw Error(file.string() + ": no such file");
  const std::string ext = ogr::ascii_lower(file.extension().string());
  std::vector<std::string> drivers, options;
  LedgerTable t;
  t.source = file.filename().string();
  t.unit = "feature";
  if (ext == ".csv") {
    drivers = {"CSV"};
    options = {"HEADERS=YES", "AUTODETECT_TYPE=NO"};
    t.unit = "row";
  } else if (ext == ".xlsx") {
    drivers = {"XLSX"};
    options = {"HEADERS=FORCE", "FIELD_TYPES=AUTO"};
    t.unit = "row";
    t.excel_dates = true;
  } else if (ext == ".shp" || ext == ".dbf") {
    drivers = {"ESRI Shapefile"};
  } else if (ext == ".gpkg") {
    drivers = {"GPKG"};
  } else if (ext == ".geojson" || ext == ".json") {
    drivers = {"GeoJSON"};
  }

  auto ds = open_dataset(file, drivers, options);
  OGRLayer *layer = choose_layer(*ds, file, o);
  t.format = ds->GetDriver()->GetDescription();
  t.layer = layer->GetName();
  if (t.format == "CSV" || t.format == "XLSX" || t.format == "ODS") t.unit = "row";

  // --- the transformation to CGCS2000 lon/lat
  OGRSpatialReference target = ogr::cgcs2000_lonlat();
  ogr::TransformPtr ct;
  if (layer->GetGeomType() != wkbNone && layer->GetLayerDefn()->GetGeomFieldCount() > 0) {
    const OGRSpatialReference *src = layer->GetSpatialRef();
    std::optional<OGRSpatialReference> source;
    if (src) {
      source = *src;
      source->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    } else if (layer->GetFeatureCount(TRUE) > 0) {
      std::string why;
      if (auto code = guess_epsg(*layer, why)) {
        source = ogr::from_epsg(*code);
        t.warnings.push_back(
            "no CRS (" + std::string(t.format == "ESRI Shapefile" ? "no .prj" : "none declared") +
            "): " + why);
      } else {
        t.problems.push_back(
            {"file", 0, "geometry",
             "no CRS (.prj missing) and the coordinates are neither longitude/latitude "
             "nor zone-prefixed Gauss-Kruger; add the .prj"});
        return t;
      }
    }
    if (source) t.crs = ogr::describe(*source);
    if (source && !ogr::same_crs(*source, target)) {
      ogr::ErrorCapture errors;
      ct.reset(OGRCreateCoordinateTransformation(&*source, &target));
      if (!ct)
        throw Error(file.string() + ": cannot transform from " + ogr::describe(*source) +
                    " to CGCS2000 (" + errors.last_error() + ")");
      if (old_datum(*source))
        t.warnings.push_back(ogr::describe(*source) + " -> CGCS2000: " + geo::kBallparkWarning);
    }
  }

  // --- read, with the encoding fallback
  const bool shapefile = t.format == "ESRI Shapefile";
  bool gbk = false;
  if (t.format == "CSV" && !file_is_utf8(file)) {
    gbk = true;
    t.warnings.push_back("not UTF-8: read as GBK (CP936)");
  }
  {
    ogr::ErrorCapture errors; // recoding warnings are expected on a wrong guess
    read_layer(*layer, t, ct.get(), gbk);
  }
  if (shapefile && !layer->TestCapability(OLCStringsAsUTF8) && !table_is_utf8(t)) {
    // No .cpg and no code page in the DBF: Chinese shapefiles without one are GBK.
    auto ds2 = open_dataset(file, drivers, {"ENCODING=CP936"});
    OGRLayer *l2 = choose_layer(*ds2, file, o);
    LedgerTable again;
    again.source = t.source;
    again.format = t.format;
    again.layer = t.layer;
    again.unit = t.unit;
    again.warnings = t.warnings;
    again.warnings.push_back("no .cpg and the strings are not UTF-8: read as GBK (CP936)");
    read_layer(*l2, again, ct.get(), false);
    t = std::move(again);
  }
  if (shapefile) join_continuations(t);
  if (!table_is_utf8(t))
    t.problems.push_back(
        {"file", 0, "", "text is not valid UTF-8 (nor GBK); save the file as UTF-8"});
  finish_geometries(t, o.threads);
  return t;
}

} // namespace mineplan::io
