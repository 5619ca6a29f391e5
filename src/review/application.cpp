#include "review/application.hpp"

#include "io/vocabulary_loader.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/model_json.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "geo/geos.hpp"
#include "geo/proj.hpp"
#include "io/survey_geometry.hpp"

#include <cmath>
#include <fstream>
#include <set>
#include <sstream>

namespace mineplan::review {
namespace {

namespace fs = std::filesystem;

// Every validation error goes through here so they all name the source and the JSON path.
struct Ctx {
  std::string source;
  [[noreturn]] void fail(const std::string &path, const std::string &message) const {
    throw InputError(source, 0, path, message);
  }
};

std::string type_name(const Json &j) {
  return j.is_null() ? "null" : std::string(j.type_name());
}

std::string text_of(const Json &j) {
  return j.is_string() ? "'" + j.get<std::string>() + "'" : j.dump();
}

const std::set<std::string> kKinds{"exploration", "mining"};
const std::set<std::string> kActions{"new", "extend", "change", "convert", "transfer"};
const std::set<std::string> kApplicantTypes{"company", "individual", "government", "other"};
const std::set<std::string> kMethods{"open-pit", "underground"};
const std::set<std::string> kFields{"kind",           "action",        "jurisdiction", "date",
                                    "applicant",      "licence_no",    "minerals",     "scale",
                                    "method",         "service_years", "temporary",    "change",
                                    "conditions_met", "boundary",      "note"};

std::string join(const std::set<std::string> &s) {
  std::string out;
  for (const auto &x : s)
    out += (out.empty() ? "" : "|") + x;
  return out;
}

std::string required_string(const Ctx &c, const Json &j, const std::string &key) {
  if (!j.contains(key)) c.fail(key, "missing (expected a string)");
  if (!j[key].is_string()) c.fail(key, "expected a string, found " + type_name(j[key]));
  std::string v = j[key].get<std::string>();
  if (v.empty()) c.fail(key, "expected a non-empty string");
  return v;
}

std::string one_of(const Ctx &c, const Json &j, const std::string &key,
                   const std::set<std::string> &allowed) {
  std::string v = required_string(c, j, key);
  if (!allowed.count(v)) c.fail(key, "expected " + join(allowed) + ", found '" + v + "'");
  return v;
}

bool iso_date(const std::string &s) {
  return is_iso_date(s);
}

const Mineral *find_mineral(const std::vector<Mineral> &minerals, const std::string &name) {
  for (const auto &m : minerals) {
    if (m.name == name) return &m;
    for (const auto &a : m.aliases)
      if (a == name) return &m;
  }
  return nullptr;
}

Json ring_json(const geo::Ring &r) {
  Json a = Json::array();
  for (const auto &p : r)
    a.push_back(Json::array({p.x, p.y}));
  return a;
}

Json multipolygon_json(const geo::MultiPolygon &mp) {
  Json polys = Json::array();
  for (const auto &poly : mp) {
    Json rings = Json::array();
    rings.push_back(ring_json(poly.outer));
    for (const auto &h : poly.holes)
      rings.push_back(ring_json(h));
    polys.push_back(rings);
  }
  return polys;
}

// The boundary from an exchange / registration coordinate file. Error-severity problems make
// the application unusable: the reviewer would be judging a shape the surveyor did not mean.
geo::MultiPolygon boundary_from_file(const Ctx &c, const fs::path &file, Application &app) {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec))
    c.fail("boundary", "cannot read the boundary file " + file.string() + " (no such file)");
  geo::CoordinateFile cf;
  try {
    cf = geo::read_coordinate_file(file);
  } catch (const InputError &e) {
    c.fail("boundary", "broken boundary file: " + std::string(e.what()));
  } catch (const Error &e) {
    c.fail("boundary", "broken boundary file " + file.string() + ": " + e.what());
  }
  if (cf.has_errors()) {
    std::string msg = "broken boundary file " + file.filename().string() + ":";
    for (const auto &p : cf.problems)
      if (p.severity == geo::Severity::Error)
        msg += " line " + std::to_string(p.line) + ": [" + p.code + "] " + p.message + ";";
    c.fail("boundary", msg);
  }
  for (const auto &p : cf.problems)
    if (p.severity == geo::Severity::Warning)
      app.boundary_warnings.push_back(file.filename().string() + ":" + std::to_string(p.line) +
                                      ": " + p.message);
  if (cf.parcels.empty()) c.fail("boundary", "boundary file " + file.string() + " has no parcels");
  if (!cf.crs.known())
    c.fail("boundary", "boundary file " + file.filename().string() +
                           ": the coordinate system cannot be placed on the earth (" +
                           cf.crs.name() + ": zone unknown)");
  geo::MultiPolygon mp;
  for (const auto &parcel : cf.parcels)
    mp.insert(mp.end(), parcel.geometry.begin(), parcel.geometry.end());
  try {
    auto r = geo::to_cgcs2000_lonlat(mp, cf.crs, cf.helmert);
    if (r.ballpark) app.boundary_warnings.push_back(geo::kBallparkWarning);
    return std::move(r.geometry);
  } catch (const Error &e) {
    c.fail("boundary", "boundary file " + file.filename().string() +
                           ": cannot transform to CGCS2000: " + e.what());
  }
}

int epsg_of(const Ctx &c, const Json &crs) {
  if (crs.is_number_integer()) return crs.get<int>();
  if (crs.is_string()) {
    std::string s = crs.get<std::string>();
    if (s.rfind("EPSG:", 0) == 0) s = s.substr(5);
    try {
      std::size_t used = 0;
      int code = std::stoi(s, &used);
      if (used == s.size()) return code;
    } catch (const std::exception &) {
    }
  }
  c.fail("boundary.crs", "expected an EPSG code (4490 or \"EPSG:4490\"), found " + text_of(crs));
}

geo::MultiPolygon boundary_from_geojson(const Ctx &c, const Json &g, Application &app) {
  geo::MultiPolygon mp;
  try {
    mp = io::geojson_multipolygon(g);
  } catch (const Error &e) {
    c.fail("boundary", std::string("bad GeoJSON geometry: ") + e.what());
  } catch (const Json::exception &e) {
    c.fail("boundary", std::string("bad GeoJSON geometry: ") + e.what());
  }
  for (const auto &poly : mp)
    for (const auto &p : poly.outer)
      if (!std::isfinite(p.x) || !std::isfinite(p.y))
        c.fail("boundary.coordinates", "non-finite coordinate");
  int epsg = g.contains("crs") ? epsg_of(c, g["crs"]) : 4490;
  auto crs = geo::Crs::from_epsg(epsg);
  if (!crs)
    c.fail("boundary.crs", "EPSG:" + std::to_string(epsg) +
                               " is not a CGCS2000 / Xian 1980 / Beijing 1954 geographic or "
                               "Gauss-Krüger CRS (docs/coordinates.md)");
  app.boundary_source = "geojson (EPSG:" + std::to_string(epsg) + ")";
  if (crs->geographic()) {
    for (const auto &poly : mp)
      for (const auto &p : poly.outer)
        if (std::fabs(p.x) > 180 || std::fabs(p.y) > 90)
          c.fail("boundary.coordinates",
                 "expected longitude, latitude in degrees for EPSG:" + std::to_string(epsg) +
                     ", found [" + std::to_string(p.x) + ", " + std::to_string(p.y) + "]");
  }
  if (auto problem = geo::validity_problem(mp))
    c.fail("boundary", "invalid polygon: " + problem->reason + " near [" +
                           std::to_string(problem->location.x) + ", " +
                           std::to_string(problem->location.y) + "]");
  if (*crs == geo::Crs::geographic(geo::Datum::CGCS2000)) return mp;
  try {
    auto r = geo::to_cgcs2000_lonlat(mp, *crs);
    if (r.ballpark) app.boundary_warnings.push_back(geo::kBallparkWarning);
    return std::move(r.geometry);
  } catch (const Error &e) {
    c.fail("boundary", std::string("cannot transform to CGCS2000: ") + e.what());
  }
}

// The official planar form: CGCS2000 3° Gauss-Krüger zone of the centroid, no zone prefix
// (the convention of geo::official_area_m2, so our areas match the spatial index's).
void set_planar(const Ctx &c, Application &app) {
  const geo::MultiPolygon &ll = *app.boundary_lonlat;
  geo::Point centroid = geo::planar_centroid(ll);
  if (!std::isfinite(centroid.x) || std::fabs(centroid.x) > 180 || std::fabs(centroid.y) > 90)
    c.fail("boundary", "the boundary does not lie on the earth once transformed to lon/lat");
  // Official areas are planar in the CGCS2000 3° Gauss-Krüger zones that cover China (25–45,
  // 73.5°E–136.5°E): a boundary beyond them cannot be measured the official way.
  const geo::Envelope extent = geo::envelope_of(ll);
  if (extent.min_x < 73.5 || extent.max_x > 136.5 || extent.min_y < 3 || extent.max_y > 54)
    c.fail("boundary",
           "边界超出中国境内 CGCS2000 3° 高斯-克吕格投影带（25–45 带，东经 73.5°–136.5°）的范围，"
           "无法按官方方法计算面积 (the boundary lies outside China's Gauss-Krüger zones)");
  int zone = geo::gauss_kruger_zone_for(centroid.x, 3);
  geo::Crs gk = geo::Crs::gauss_kruger(geo::Datum::CGCS2000, 3, zone, false);
  const geo::Transformer &t = geo::gauss_kruger_transformer(geo::Datum::CGCS2000, zone);
  geo::MultiPolygon planar = ll;
  for (auto &poly : planar) {
    t.apply(poly.outer);
    for (auto &h : poly.holes)
      t.apply(h);
  }
  if (geo::planar_area_m2(planar) <= 0) c.fail("boundary", "the boundary has no area");
  app.boundary_planar = std::move(planar);
  app.planar_crs = gk;
}

} // namespace

Application parse_application(const Json &j, const std::filesystem::path &base_dir,
                              const std::vector<Mineral> &minerals,
                              const std::vector<Division> &divisions, const std::string &source) {
  Application app = parse_application(j, base_dir, minerals, source);
  bool known = false;
  for (const auto &d : divisions)
    known |= d.code == app.jurisdiction;
  if (!known)
    throw InputError(source, 0, "jurisdiction",
                     "unknown division '" + app.jurisdiction +
                         "' (expected a GB/T 2260 code of the store's divisions)");
  return app;
}

Application parse_application(const Json &j, const std::filesystem::path &base_dir,
                              const std::vector<Mineral> &minerals) {
  return parse_application(j, base_dir, minerals, std::string("application"));
}

Application parse_application(const Json &j, const std::filesystem::path &base_dir,
                              const std::vector<Mineral> &minerals, const std::string &source) {
  const Ctx c{source};
  if (!j.is_object()) c.fail("", "expected a JSON object, found " + type_name(j));
  for (const auto &[key, value] : j.items())
    if (!kFields.count(key)) c.fail(key, "unknown field (expected one of " + join(kFields) + ")");

  Application app;
  app.kind = one_of(c, j, "kind", kKinds);
  app.action = one_of(c, j, "action", kActions);
  app.jurisdiction = required_string(c, j, "jurisdiction");
  if (app.jurisdiction.size() != 6 ||
      app.jurisdiction.find_first_not_of("0123456789") != std::string::npos)
    c.fail("jurisdiction", "expected a six-digit GB/T 2260 code, found '" + app.jurisdiction + "'");
  app.date = required_string(c, j, "date");
  if (!iso_date(app.date))
    c.fail("date", "expected an ISO date YYYY-MM-DD, found '" + app.date + "'");

  if (!j.contains("applicant") || !j["applicant"].is_object())
    c.fail("applicant", "expected an object {\"name\", \"type\"}");
  const Json &a = j["applicant"];
  for (const auto &[key, value] : a.items())
    if (key != "name" && key != "type") c.fail("applicant." + key, "unknown field");
  if (!a.contains("name") || !a["name"].is_string() || a["name"].get<std::string>().empty())
    c.fail("applicant.name", "expected a non-empty string");
  app.applicant_name = a["name"].get<std::string>();
  app.applicant_type = "company";
  if (a.contains("type")) {
    if (!a["type"].is_string() || !kApplicantTypes.count(a["type"].get<std::string>()))
      c.fail("applicant.type",
             "expected " + join(kApplicantTypes) + ", found " + text_of(a["type"]));
    app.applicant_type = a["type"].get<std::string>();
  }

  if (j.contains("licence_no") && !j["licence_no"].is_null()) {
    if (!j["licence_no"].is_string()) c.fail("licence_no", "expected a string or null");
    app.licence_no = j["licence_no"].get<std::string>();
  }
  // Every action but "new" concerns an existing right: without its number the review would
  // count the applicant's own right as someone else's overlap.
  if (app.action != "new" && app.licence_no.empty())
    c.fail("licence_no",
           "required for action '" + app.action + "' (the existing right's licence number)");

  if (!j.contains("minerals") || !j["minerals"].is_array() || j["minerals"].empty())
    c.fail("minerals", "expected a non-empty array of mineral names");
  std::vector<const Mineral *> resolved;
  for (std::size_t i = 0; i < j["minerals"].size(); ++i) {
    const Json &m = j["minerals"][i];
    std::string path = "minerals[" + std::to_string(i) + "]";
    if (!m.is_string()) c.fail(path, "expected a mineral name, found " + type_name(m));
    const Mineral *mineral = find_mineral(minerals, m.get<std::string>());
    if (!mineral)
      c.fail(path, "unknown mineral '" + m.get<std::string>() +
                       "' (expected a name or alias of the mineral catalogue)");
    // Canonical names from here on: the rules are matched through the catalogue.
    bool dup = false;
    for (const auto &n : app.minerals)
      dup |= n == mineral->name;
    if (!dup) {
      app.minerals.push_back(mineral->name);
      resolved.push_back(mineral);
    }
  }

  if (j.contains("scale") && !j["scale"].is_null()) {
    const Json &s = j["scale"];
    if (!s.is_object() || !s.contains("value") || !s["value"].is_number() || !s.contains("unit") ||
        !s["unit"].is_string())
      c.fail("scale", "expected {\"value\": number, \"unit\": \"万吨/年\" …}");
    double v = s["value"].get<double>();
    if (!std::isfinite(v) || v < 0) c.fail("scale.value", "expected a number >= 0");
    std::string unit = s["unit"].get<std::string>();
    const UnitInfo *u = find_unit(unit);
    if (!u) c.fail("scale.unit", "unknown unit '" + unit + "'");
    if (u->dimension != Dimension::MassRate && u->dimension != Dimension::VolumeRate)
      c.fail("scale.unit",
             "expected a production rate (万吨/年, 万立方米/年, 立方米/日 …), found '" + unit +
                 "'");
    // The scale is that of the main (first) mineral, in its catalogue dimension: sand in
    // 万吨/年 is a typing error that would silently compare tonnes with cubic metres.
    const Mineral &main = *resolved.front();
    const UnitInfo *mu = find_unit(main.scale_unit);
    if (mu && mu->dimension != u->dimension)
      c.fail("scale.unit", "'" + unit + "' (" + std::string(dimension_name(u->dimension)) +
                               ") does not fit " + main.name + ", whose scale is given in " +
                               main.scale_unit + " (" + std::string(dimension_name(mu->dimension)) +
                               ")");
    app.scale = Quantity{v, std::string(u->symbol)};
  }

  if (j.contains("method") && !j["method"].is_null()) {
    if (!j["method"].is_string() || !kMethods.count(j["method"].get<std::string>()))
      c.fail("method", "expected open-pit|underground, found " + text_of(j["method"]));
    app.method = j["method"].get<std::string>();
  }
  if (j.contains("service_years") && !j["service_years"].is_null()) {
    if (!j["service_years"].is_number() || j["service_years"].get<double>() < 0)
      c.fail("service_years",
             "expected a number of years >= 0, found " + text_of(j["service_years"]));
    app.service_years = j["service_years"].get<double>();
  }
  if (j.contains("temporary") && !j["temporary"].is_null()) {
    if (!j["temporary"].is_boolean()) c.fail("temporary", "expected true or false");
    app.temporary = j["temporary"].get<bool>();
  }
  if (j.contains("change") && !j["change"].is_null()) {
    const Json &ch = j["change"];
    if (!ch.is_object())
      c.fail("change", "expected {\"area\", \"method\", \"scale\", \"mineral\"}");
    for (const auto &[key, value] : ch.items()) {
      if (!value.is_boolean()) c.fail("change." + key, "expected true or false");
      bool b = value.get<bool>();
      if (key == "area")
        app.change.area = b;
      else if (key == "method")
        app.change.method = b;
      else if (key == "scale")
        app.change.scale = b;
      else if (key == "mineral")
        app.change.mineral = b;
      else
        c.fail("change." + key, "unknown field (expected area|method|scale|mineral)");
    }
  }
  if (j.contains("conditions_met") && !j["conditions_met"].is_null()) {
    if (!j["conditions_met"].is_array()) c.fail("conditions_met", "expected an array of strings");
    for (std::size_t i = 0; i < j["conditions_met"].size(); ++i) {
      const Json &x = j["conditions_met"][i];
      if (!x.is_string()) c.fail("conditions_met[" + std::to_string(i) + "]", "expected a string");
      app.conditions_met.push_back(x.get<std::string>());
    }
  }

  app.raw = j;
  if (j.contains("boundary") && !j["boundary"].is_null()) {
    const Json &b = j["boundary"];
    geo::MultiPolygon lonlat;
    if (b.is_string()) {
      fs::path p = b.get<std::string>();
      if (p.is_relative()) p = base_dir / p;
      app.boundary_source = fs::path(b.get<std::string>()).filename().string();
      lonlat = boundary_from_file(c, p, app);
    } else if (b.is_object()) {
      lonlat = boundary_from_geojson(c, b, app);
    } else {
      c.fail("boundary",
             "expected a coordinate file path or a GeoJSON geometry, found " + type_name(b));
    }
    app.boundary_lonlat = std::move(lonlat);
    set_planar(c, app);
    // What was reviewed is the resolved CGCS2000 boundary, not a file name whose content may
    // change: the record and the input hash carry the coordinates.
    app.raw["boundary"] = Json{{"type", "MultiPolygon"},
                               {"crs", 4490},
                               {"coordinates", multipolygon_json(*app.boundary_lonlat)}};
  }
  return app;
}

namespace {

Json read_json_file(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw InputError(file.string(), 0, "", "cannot open the application file");
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_json_text(ss.str(), file.string());
}

} // namespace

Application read_application(const std::filesystem::path &file,
                             const std::vector<Mineral> &minerals) {
  return parse_application(read_json_file(file), file.parent_path(), minerals,
                           file.filename().string());
}

Application read_application(const std::filesystem::path &file,
                             const std::vector<Mineral> &minerals,
                             const std::vector<Division> &divisions) {
  return parse_application(read_json_file(file), file.parent_path(), minerals, divisions,
                           file.filename().string());
}

std::string input_hash(const Json &raw) {
  // Canonical form: keys sorted (nlohmann::json sorts them), so the order the applicant wrote
  // the fields in does not change the hash.
  nlohmann::json sorted = nlohmann::json::parse(raw.dump());
  return content_fingerprint(Json::parse(sorted.dump()));
}

// The label in data/vocabulary.json ("actions"); the vocabulary lives as long as the process.
const char *action_chinese(const std::string &a) {
  const Term *t = io::vocabulary().find("actions", a);
  return t ? t->label.c_str() : "?";
}

} // namespace mineplan::review
