#pragma once
// Shared helpers of the review tests (tests/unit/review_*.cpp): a store holding the seed plans,
// built once and copied per test, and the per-case setup files (zones.geojson, rights.json).
#include "core/error.hpp"
#include "core/model_json.hpp"
#include "geo/area.hpp"
#include "io/catalogue_loader.hpp"
#include "io/survey_geometry.hpp"
#include "review/application.hpp"
#include "review/engine.hpp"
#include "store/store.hpp"
#include "store_support.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <unistd.h>

namespace review_test {

namespace fs = std::filesystem;
using mineplan::Json;

using mineplan::testing::TempDir;

inline std::string read_text(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline void write_text(const fs::path &p, const std::string &text) {
  std::ofstream out(p, std::ios::binary);
  out << text;
}

// The seed plans, loaded once per test binary.
inline const mineplan::Catalogue &seed_catalogue() {
  static const mineplan::Catalogue cat =
      mineplan::io::load_catalogue(fs::path(MINEPLAN_SOURCE_DIR) / "data");
  return cat;
}

// A GeoPackage store holding the seed plans, written once per process into its own temporary
// folder; each test copies the file (loading the catalogue costs far more than a copy).
inline fs::path base_store_file() {
  static TempDir dir;
  static const fs::path file = [] {
    fs::path f = dir.path() / "base.gpkg";
    auto st = mineplan::store::Store::open(f.string(), true);
    st->load_catalogue(seed_catalogue());
    return f; // the store closes here: its WAL is checkpointed into the file
  }();
  return file;
}

// A store holding the seed plans at `file` (or, on PostgreSQL, in a schema named after it).
inline std::unique_ptr<mineplan::store::Store> fresh_store(const fs::path &file) {
  return mineplan::testing::copy_store(base_store_file(), file);
}

inline std::int64_t review_count(mineplan::store::Store &st) {
  for (const auto &l : st.layers())
    if (l.name == "reviews") return l.count;
  return -1;
}

inline std::optional<mineplan::geo::MultiPolygon> geometry_of(const Json &j) {
  if (!j.contains("geometry") || j["geometry"].is_null()) return std::nullopt;
  return mineplan::io::geojson_multipolygon(j["geometry"]);
}

// zones.geojson: features whose properties name {plan, id}. A zone the plan already has gets
// the geometry (a survey arriving); otherwise {kind, name, minerals} make a new zone.
inline void import_case_zones(mineplan::store::Store &st, const fs::path &file) {
  using namespace mineplan;
  Json fc = Json::parse(read_text(file));
  std::vector<Zone> zones;
  for (const auto &f : fc["features"]) {
    const Json &p = f["properties"];
    const std::string plan = p["plan"].get<std::string>(), id = p["id"].get<std::string>();
    auto pd = st.plan(plan);
    if (!pd) throw Error(file.string() + ": unknown plan " + plan);
    Zone z;
    bool found = false;
    for (const auto &existing : pd->zones)
      if (existing.id == id) {
        z = existing;
        found = true;
      }
    if (!found) {
      z.id = id;
      z.plan_id = plan;
      z.kind = p.at("kind").get<std::string>();
      z.name = p.value("name", id);
      if (p.contains("minerals")) z.minerals = p["minerals"].get<std::vector<std::string>>();
      z.cite = Citation{"test", "case", ""};
    }
    z.geometry = io::geojson_multipolygon(f["geometry"]);
    z.official_area_m2 = geo::official_area_m2(*z.geometry);
    z.geometry_source = "test case " + file.parent_path().filename().string();
    zones.push_back(std::move(z));
  }
  st.import_zones(zones, file.string());
}

// rights.json: [{uid, licence_no, kind, name, holder, minerals, scale, status, jurisdiction,
// valid_from, valid_to, geometry (GeoJSON, lon/lat)}].
inline void import_case_rights(mineplan::store::Store &st, const fs::path &file) {
  using namespace mineplan;
  Json arr = Json::parse(read_text(file));
  std::vector<Right> rights;
  for (const auto &j : arr) {
    Right r;
    r.uid = j.at("uid").get<std::string>();
    r.licence_no = j.value("licence_no", std::string());
    r.kind = j.value("kind", std::string("mining"));
    r.name = j.value("name", r.uid);
    r.holder = j.value("holder", std::string());
    r.minerals = j.value("minerals", std::vector<std::string>{});
    if (j.contains("scale"))
      r.scale =
          Quantity::make(j["scale"]["value"].get<double>(), j["scale"]["unit"].get<std::string>());
    r.method = j.value("method", std::string("open-pit"));
    r.status = j.value("status", std::string("producing"));
    r.jurisdiction = j.value("jurisdiction", std::string());
    r.valid_from = j.value("valid_from", std::string());
    r.valid_to = j.value("valid_to", std::string());
    r.geometry = geometry_of(j);
    if (r.geometry) r.official_area_m2 = geo::official_area_m2(*r.geometry);
    r.source = "test";
    rights.push_back(std::move(r));
  }
  st.import_rights(rights, "2020-01-01", file.string());
}

// Applies a case folder's setup files to a store.
inline void apply_setup(mineplan::store::Store &st, const fs::path &dir) {
  if (fs::exists(dir / "zones.geojson")) import_case_zones(st, dir / "zones.geojson");
  if (fs::exists(dir / "rights.json")) import_case_rights(st, dir / "rights.json");
}

struct RunResult {
  int status = -1;
  std::string output; // stdout and stderr
  std::string out;    // stdout only
};

// Runs the mineplan binary; stdout and stderr captured separately.
inline RunResult run_cli(const std::string &args, const fs::path &tmp) {
  RunResult r;
  const fs::path err = tmp / "stderr.txt";
  std::string cmd = std::string("'") + MINEPLAN_BINARY + "' " + args + " 2>'" + err.string() + "'";
  FILE *p = popen(cmd.c_str(), "r");
  if (!p) return r;
  std::array<char, 4096> buf{};
  while (std::size_t n = std::fread(buf.data(), 1, buf.size(), p))
    r.out.append(buf.data(), n);
  int st = pclose(p);
  r.status = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
  r.output = r.out + read_text(err);
  return r;
}

// Quoted for the shell. Built by appending: GCC 12 warns (-Wrestrict, a false positive) on
// "'" + s + "'".
inline std::string q(const fs::path &p) {
  std::string s;
  s.reserve(p.native().size() + 2);
  s += '\'';
  s += p.native();
  s += '\'';
  return s;
}

} // namespace review_test
