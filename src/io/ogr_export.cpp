#include "io/ogr_export.hpp"

#include "core/error.hpp"
#include "core/json_text.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "geo/proj.hpp"
#include "io/ogr_util.hpp"

#include <cpl_string.h>

#include <algorithm>
#include <cmath>
#include <fstream>
#include <set>

namespace mineplan::io {
namespace fs = std::filesystem;

namespace {

struct Column {
  std::string name;
  OGRFieldType type = OFTInteger64; // narrowed by the values: Integer64 < Real < String
  bool seen = false;
  std::size_t max_bytes = 0;
};

// JSON list columns of the store, written as 煤炭、铁矿 (the importer reads both forms).
bool list_column(const std::string &name) {
  return name == "minerals" || name == "aliases";
}

std::string list_text(const std::string &json_text) {
  auto parsed = try_parse_json_text(json_text);
  if (!parsed || !parsed->is_array()) return json_text;
  const Json &j = *parsed;
  std::string out;
  for (const auto &e : j) {
    if (!e.is_string()) return json_text;
    out += (out.empty() ? "" : "\xE3\x80\x81") + e.get<std::string>();
  }
  return out;
}

struct Rows {
  std::vector<Column> columns;
  std::vector<store::Feature> features;
};

Rows collect(store::Store &store, const std::string &layer) {
  Rows rows;
  std::map<std::string, std::size_t> index;
  store.for_each_feature(layer, [&](const store::Feature &f) {
    store::Feature g = f;
    for (auto &[k, v] : g.properties.items()) {
      if (k == "fid") continue;
      if (list_column(k) && v.is_string()) v = list_text(v.get<std::string>());
      auto [it, fresh] = index.emplace(k, rows.columns.size());
      if (fresh) rows.columns.push_back(Column{k});
      Column &c = rows.columns[it->second];
      if (v.is_null()) continue;
      c.seen = true;
      if (v.is_number_integer()) {
        c.max_bytes = std::max(c.max_bytes, std::to_string(v.get<std::int64_t>()).size());
      } else if (v.is_number()) {
        if (c.type == OFTInteger64) c.type = OFTReal;
      } else {
        c.type = OFTString;
        c.max_bytes =
            std::max(c.max_bytes, v.is_string() ? v.get<std::string>().size() : v.dump().size());
      }
    }
    g.properties.erase("fid");
    rows.features.push_back(std::move(g));
  });
  for (auto &c : rows.columns)
    if (!c.seen) c.type = OFTString;
  return rows;
}

std::string driver_of(const std::string &format) {
  if (format == "gpkg") return "GPKG";
  if (format == "shp") return "ESRI Shapefile";
  if (format == "geojson") return "GeoJSON";
  if (format == "csv") return "CSV";
  if (format == "xlsx") return "XLSX";
  return {};
}

void refuse_existing(const fs::path &p) {
  if (fs::exists(p))
    throw InputError(p.string(), 0, "",
                     "already exists; refusing to overwrite (remove it or choose another name)");
}

// --- shapefile strings ---------------------------------------------------------------------

constexpr std::size_t kDbfStringBytes = 254;

// Splits a string into pieces of at most 254 bytes at UTF-8 character boundaries, never
// next to a space (DBF pads with spaces and readers trim them).
std::vector<std::string> dbf_chunks(const std::string &s) {
  std::vector<std::string> out;
  std::size_t pos = 0;
  while (pos < s.size()) {
    std::size_t end = std::min(s.size(), pos + kDbfStringBytes);
    if (end < s.size()) {
      std::size_t e = end;
      while (e > pos &&
             ((static_cast<unsigned char>(s[e]) & 0xC0) == 0x80 || s[e] == ' ' || s[e - 1] == ' '))
        --e;
      if (e > pos) end = e;
    }
    out.push_back(s.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

// --- coordinate exchange file ------------------------------------------------------------

std::string parcel_text(std::string s) {
  // Header fields are comma-separated: keep names intact with the full-width comma.
  std::string out;
  for (char c : s) {
    if (c == ',')
      out += "\xEF\xBC\x8C";
    else if (c == '\r' || c == '\n')
      out += ' ';
    else
      out += c;
  }
  return out;
}

std::string prop_text(const Json &props, std::initializer_list<const char *> keys) {
  for (const char *k : keys)
    if (props.contains(k) && props[k].is_string() && !props[k].get<std::string>().empty())
      return props[k].get<std::string>();
  return {};
}

ExportResult export_txt(const Rows &rows, const fs::path &out, const std::string &layer) {
  ExportResult res;
  // Group features by the 3° zone of their centroid.
  std::map<int, std::vector<const store::Feature *>> by_zone;
  std::size_t without = 0;
  for (const auto &f : rows.features) {
    if (!f.geometry || f.geometry->empty()) {
      ++without;
      continue;
    }
    geo::Point c = geo::planar_centroid(*f.geometry);
    by_zone[geo::gauss_kruger_zone_for(c.x, 3)].push_back(&f);
  }
  if (by_zone.empty())
    throw InputError(layer, 0, "", "no feature has a geometry; nothing to write");
  if (without)
    res.warnings.push_back(std::to_string(without) + " feature(s) without geometry left out");
  std::map<int, fs::path> paths;
  for (const auto &[zone, feats] : by_zone) {
    fs::path p = out;
    if (by_zone.size() > 1)
      p = out.parent_path() /
          (out.stem().string() + "_" + std::to_string(zone) + out.extension().string());
    refuse_existing(p);
    paths[zone] = p;
  }
  if (by_zone.size() > 1)
    res.warnings.push_back("the features lie in " + std::to_string(by_zone.size()) +
                           " Gauss-Kruger zones: one file per zone");
  for (const auto &[zone, feats] : by_zone) {
    geo::CoordinateFile cf;
    cf.source = paths[zone].filename().string();
    cf.layout = "exchange";
    cf.crs = geo::Crs::gauss_kruger(geo::Datum::CGCS2000, 3, zone, true);
    cf.precision = 0.001;
    cf.attributes.push_back({"数据产生单位", "mineplan", 0});
    cf.attributes.push_back({"数据产生日期", today_iso(), 0});
    geo::Transformer to_gk(geo::Crs::geographic(geo::Datum::CGCS2000), cf.crs);
    int n = 0;
    for (const store::Feature *f : feats) {
      geo::CoordinateParcel p;
      p.index = n++;
      std::string id =
          prop_text(f->properties, {"licence_no", "right_uid", "mine_uid", "zone_id", "code"});
      p.number = parcel_text(id.empty() ? std::to_string(n) : id);
      p.name = parcel_text(
          prop_text(f->properties, {"name", "licence_no", "right_uid", "mine_uid", "zone_id"}));
      p.shape = "面";
      p.geometry = *f->geometry;
      // Round to the file's precision first, so the declared area is that of the written points.
      auto round_ring = [&](geo::Ring &r) {
        to_gk.apply(r);
        for (auto &pt : r) {
          pt.x = std::round(pt.x / cf.precision) * cf.precision;
          pt.y = std::round(pt.y / cf.precision) * cf.precision;
        }
      };
      for (auto &poly : p.geometry) {
        round_ring(poly.outer);
        for (auto &h : poly.holes)
          round_ring(h);
      }
      p.declared_area = geo::planar_area_m2(p.geometry) / geo::kM2PerHa; // 公顷
      p.declared_area_decimals = 4;
      cf.parcels.push_back(std::move(p));
    }
    std::string text = geo::write_exchange_file(cf, geo::Encoding::Utf8);
    std::ofstream os(paths[zone], std::ios::binary);
    os << text;
    if (!os) throw Error(paths[zone].string() + ": cannot write");
    res.files.push_back(paths[zone].string());
    res.features += static_cast<std::int64_t>(feats.size());
  }
  return res;
}

} // namespace

std::string format_for_path(const fs::path &out) {
  std::string ext = ogr::ascii_lower(out.extension().string());
  if (ext == ".gpkg") return "gpkg";
  if (ext == ".shp") return "shp";
  if (ext == ".geojson" || ext == ".json") return "geojson";
  if (ext == ".csv") return "csv";
  if (ext == ".xlsx") return "xlsx";
  if (ext == ".txt") return "txt";
  return {};
}

std::string continuation_name(const std::string &column, int part) {
  std::size_t cut = std::min<std::size_t>(column.size(), 8);
  while (cut > 0 && cut < column.size() && (static_cast<unsigned char>(column[cut]) & 0xC0) == 0x80)
    --cut;
  return column.substr(0, cut) + "_" + std::to_string(part);
}

std::map<std::string, std::string> shapefile_field_names(const std::vector<std::string> &columns,
                                                         const LedgerSchema &schema) {
  std::map<std::string, std::string> out;
  std::set<std::string> used;
  for (const auto &c : columns)
    if (c.size() <= 10) used.insert(ogr::ascii_lower(c));
  for (const auto &c : columns) {
    if (c.size() <= 10) continue;
    std::string name;
    if (auto it = schema.shapefile_names().find(c);
        it != schema.shapefile_names().end() && !used.count(ogr::ascii_lower(it->second)))
      name = it->second;
    for (int k = 1; name.empty(); ++k) {
      std::string suffix = std::string(1, '_').append(std::to_string(k));
      // the longest prefix of whole UTF-8 characters that leaves room for the suffix
      std::size_t cut = std::min(c.size(), 10 - suffix.size());
      while (cut > 0 && (static_cast<unsigned char>(c[cut]) & 0xC0) == 0x80)
        --cut;
      std::string cand = c.substr(0, cut) + suffix;
      if (!used.count(ogr::ascii_lower(cand))) name = cand;
    }
    used.insert(ogr::ascii_lower(name));
    out[c] = name;
  }
  return out;
}

Json ExportResult::json() const {
  Json j{{"layer", layer}, {"format", format}, {"features", features}, {"files", files}};
  Json r = Json::object();
  for (const auto &[k, v] : renamed)
    r[k] = v;
  j["renamed"] = r;
  j["warnings"] = warnings;
  return j;
}

ExportResult export_layer(store::Store &store, const fs::path &out, const ExportOptions &o,
                          const LedgerSchema &schema) {
  std::string format = o.format.empty() ? format_for_path(out) : ogr::ascii_lower(o.format);
  static const std::set<std::string> formats{"gpkg", "shp", "geojson", "csv", "xlsx", "txt"};
  if (!formats.count(format))
    throw InputError("--format", 0, "",
                     "expected gpkg, shp, geojson, csv, xlsx or txt, found '" +
                         (format.empty() ? out.extension().string() : format) + "'");
  std::optional<store::LayerInfo> info;
  std::string names;
  for (const auto &l : store.layers()) {
    names += (names.empty() ? "" : ", ") + l.name;
    if (l.name == o.layer) info = l;
  }
  if (!info)
    throw InputError("--layer", 0, "", "unknown layer '" + o.layer + "' (layers: " + names + ")");
  if (!info->spatial && (format == "shp" || format == "txt"))
    throw InputError("--format", 0, "",
                     "layer " + o.layer +
                         " has no geometry; export it as csv, xlsx, geojson or gpkg");
  refuse_existing(out);
  if (format == "shp")
    for (const char *ext : {".dbf", ".shx", ".prj", ".cpg"})
      refuse_existing(fs::path(out).replace_extension(ext));

  Rows rows = collect(store, o.layer);
  if (format == "txt") {
    ExportResult res = export_txt(rows, out, o.layer);
    res.layer = o.layer;
    res.format = format;
    return res;
  }

  ogr::ensure_registered();
  ExportResult res;
  res.layer = o.layer;
  res.format = format;
  const std::string driver_name = driver_of(format);
  GDALDriver *driver = GetGDALDriverManager()->GetDriverByName(driver_name.c_str());
  if (!driver) throw Error("GDAL has no " + driver_name + " driver");

  const bool with_geometry = info->spatial && format != "csv" && format != "xlsx";
  std::vector<std::string> field_names;
  for (const auto &c : rows.columns)
    field_names.push_back(c.name);
  if (format == "shp") res.renamed = shapefile_field_names(field_names, schema);

  ogr::ErrorCapture errors;
  GDALDatasetUniquePtr ds(driver->Create(out.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
  if (!ds) throw Error(out.string() + ": cannot create (" + errors.last_error() + ")");

  CPLStringList lco;
  if (format == "shp") {
    lco.AddString("ENCODING=UTF-8");
    lco.AddString("RESIZE=YES");
  } else if (format == "geojson") {
    lco.AddString("RFC7946=NO");
    lco.AddString("SIGNIFICANT_FIGURES=17");  // attributes
    lco.AddString("COORDINATE_PRECISION=17"); // coordinates: exact round trips
    lco.AddString("WRITE_NAME=NO");
  } else if (format == "csv") {
    lco.AddString("WRITE_BOM=YES");
    lco.AddString("STRING_QUOTING=IF_NEEDED");
  } else if (format == "gpkg") {
    lco.AddString(("DESCRIPTION=" + info->title).c_str());
  }
  OGRSpatialReference srs = ogr::cgcs2000_lonlat();
  OGRLayer *layer = ds->CreateLayer(o.layer.c_str(), with_geometry ? &srs : nullptr,
                                    with_geometry ? wkbMultiPolygon : wkbNone, lco.List());
  if (!layer)
    throw Error(out.string() + ": cannot create layer " + o.layer + " (" + errors.last_error() +
                ")");

  // Shapefile strings hold 254 bytes: longer values (the attributes JSON) continue in
  // fields NAME8_2, NAME8_3 … that the importer joins again.
  std::vector<int> parts(rows.columns.size(), 1);
  std::set<std::string> used_names;
  for (const auto &c : rows.columns) {
    auto it = res.renamed.find(c.name);
    used_names.insert(ogr::ascii_lower(it == res.renamed.end() ? c.name : it->second));
  }
  std::vector<std::vector<int>> part_fields(rows.columns.size());
  int next_field = 0;
  for (std::size_t i = 0; i < rows.columns.size(); ++i) {
    const auto &c = rows.columns[i];
    std::string name = c.name;
    if (auto it = res.renamed.find(name); it != res.renamed.end()) name = it->second;
    OGRFieldDefn fd(name.c_str(), c.type);
    if (format == "shp" && c.type == OFTString) {
      fd.SetWidth(static_cast<int>(std::clamp<std::size_t>(c.max_bytes, 1, kDbfStringBytes)));
      if (c.max_bytes > kDbfStringBytes)
        for (const auto &f : rows.features)
          if (f.properties.contains(c.name) && f.properties[c.name].is_string())
            parts[i] = std::max(
                parts[i],
                static_cast<int>(dbf_chunks(f.properties[c.name].get<std::string>()).size()));
    }
    if (layer->CreateField(&fd) != OGRERR_NONE)
      throw Error(out.string() + ": cannot create field " + name + " (" + errors.last_error() +
                  ")");
    part_fields[i].push_back(next_field++);
    for (int k = 2; k <= parts[i]; ++k) {
      std::string cont = continuation_name(c.name, k);
      if (!used_names.insert(ogr::ascii_lower(cont)).second)
        throw Error(out.string() + ": continuation field " + cont + " collides with another field");
      OGRFieldDefn cd(cont.c_str(), OFTString);
      cd.SetWidth(static_cast<int>(kDbfStringBytes));
      if (layer->CreateField(&cd) != OGRERR_NONE)
        throw Error(out.string() + ": cannot create field " + cont + " (" + errors.last_error() +
                    ")");
      res.renamed[c.name + " (part " + std::to_string(k) + ")"] = cont;
      part_fields[i].push_back(next_field++);
    }
  }

  const bool transaction = ds->StartTransaction() == OGRERR_NONE;
  OGRFeatureDefn *defn = layer->GetLayerDefn();
  for (const auto &f : rows.features) {
    OGRFeatureUniquePtr feature(OGRFeature::CreateFeature(defn));
    for (std::size_t i = 0; i < rows.columns.size(); ++i) {
      const Json *v = f.properties.contains(rows.columns[i].name)
                          ? &f.properties[rows.columns[i].name]
                          : nullptr;
      const int idx = part_fields[i][0];
      if (!v || v->is_null()) {
        for (int f : part_fields[i])
          feature->SetFieldNull(f);
      } else if (rows.columns[i].type == OFTInteger64) {
        feature->SetField(idx, static_cast<GIntBig>(v->get<std::int64_t>()));
      } else if (rows.columns[i].type == OFTReal) {
        feature->SetField(idx, v->get<double>());
      } else {
        std::string s = v->is_string() ? v->get<std::string>() : v->dump();
        if (part_fields[i].size() > 1) {
          auto chunks = dbf_chunks(s);
          for (std::size_t k = 0; k < part_fields[i].size(); ++k)
            if (k < chunks.size())
              feature->SetField(part_fields[i][k], chunks[k].c_str());
            else
              feature->SetFieldNull(part_fields[i][k]);
        } else {
          feature->SetField(part_fields[i][0], s.c_str());
        }
      }
    }
    if (with_geometry && f.geometry) {
      ogr::GeometryPtr g = ogr::to_ogr(*f.geometry);
      feature->SetGeometry(g.get());
    }
    if (layer->CreateFeature(feature.get()) != OGRERR_NONE)
      throw Error(out.string() + ": cannot write feature " + std::to_string(res.features + 1) +
                  " (" + errors.last_error() + ")");
    ++res.features;
  }
  if (transaction && ds->CommitTransaction() != OGRERR_NONE)
    throw Error(out.string() + ": cannot commit (" + errors.last_error() + ")");
  ds.reset(); // flush and close
  if (!errors.errors().empty()) throw Error(out.string() + ": " + errors.errors().back());
  for (const auto &w : errors.warnings())
    res.warnings.push_back(w);
  res.files.push_back(out.string());
  if (format == "shp")
    for (const char *ext : {".shx", ".dbf", ".prj", ".cpg"}) {
      fs::path p = fs::path(out).replace_extension(ext);
      if (fs::exists(p)) res.files.push_back(p.string());
    }
  return res;
}

} // namespace mineplan::io
