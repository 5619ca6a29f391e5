#include "io/ogr_import.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"
#include "geo/proj.hpp"
#include "io/ogr_reader.hpp"
#include "io/ogr_util.hpp"

#include <algorithm>
#include <type_traits>

namespace mineplan::io {
namespace fs = std::filesystem;

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

// A coordinate exchange file as a table: one record per parcel with its geometry in CGCS2000
// lon/lat. The official area is the planar area of the surveyed Gauss-Krüger coordinates
// themselves (as io/survey_geometry does for zones), or geo::official_area_m2 for a
// geographic file.
LedgerTable read_coordinate_table(const fs::path &file) {
  LedgerTable t;
  t.source = file.filename().string();
  t.format = "coordinate file";
  t.unit = "parcel";
  t.spatial = true;
  t.columns = {"地块编号", "地块名称"};
  geo::CoordinateFile cf;
  try {
    cf = geo::read_coordinate_file(file);
  } catch (const InputError &e) {
    t.problems.push_back({"line", e.line(), e.field(), e.detail()});
    return t;
  }
  t.layer = cf.layout;
  t.crs = cf.crs.name() + (cf.crs.epsg() ? ", EPSG:" + std::to_string(cf.crs.epsg()) : "");
  for (const auto &p : cf.problems) {
    if (p.severity == geo::Severity::Error)
      t.problems.push_back({"line", p.line, p.code, p.message});
    else if (p.severity == geo::Severity::Warning)
      t.warnings.push_back("line " + std::to_string(p.line) + ": " + p.message);
  }
  if (cf.has_errors()) return t;
  bool ballpark = false;
  for (const auto &parcel : cf.parcels) {
    LedgerTable::Record rec;
    rec.number = parcel.index + 1;
    rec.values = {parcel.number.empty() ? std::nullopt : std::optional<std::string>(parcel.number),
                  parcel.name.empty() ? std::nullopt : std::optional<std::string>(parcel.name)};
    try {
      auto lonlat = geo::to_cgcs2000_lonlat(parcel.geometry, cf.crs, cf.helmert);
      ballpark |= lonlat.ballpark;
      rec.geometry = std::move(lonlat.geometry);
      ogr::normalize_orientation(*rec.geometry);
      rec.official_area_m2 = cf.crs.geographic()
                                 ? geo::official_area_m2(*rec.geometry, cf.crs.datum)
                                 : geo::planar_area_m2(parcel.geometry);
    } catch (const std::exception &e) {
      t.problems.push_back({"parcel", rec.number, "", e.what()});
    }
    t.records.push_back(std::move(rec));
  }
  if (ballpark) t.warnings.push_back(cf.crs.name() + " -> CGCS2000: " + geo::kBallparkWarning);
  return t;
}

std::string cell(const LedgerTable::Record &r, std::size_t i) {
  return i < r.values.size() && r.values[i] ? trim_cell(*r.values[i]) : std::string();
}

// Parcels give known rights / mines / zones their boundary.
template <class T, class Match>
std::vector<T> parcels_to(const LedgerTable &t, const std::vector<T> &known, Match match,
                          const std::string &what, std::vector<ImportProblem> &problems) {
  std::vector<T> out;
  std::map<const T *, int> used;
  for (const auto &rec : t.records) {
    if (!rec.geometry) continue;
    std::string number = cell(rec, 0), name = cell(rec, 1);
    const T *hit = nullptr;
    for (const auto &k : known)
      if (match(k, number, name)) {
        hit = &k;
        break;
      }
    if constexpr (std::is_same_v<T, Zone>) {
      // 绿色矿业发展示范区 names 伊金霍洛旗绿色矿业发展示范区: the one zone whose name contains
      // the parcel's (or the other way round).
      if (!hit && !name.empty()) {
        const T *only = nullptr;
        int count = 0;
        for (const auto &k : known)
          if (!k.name.empty() &&
              (k.name.find(name) != std::string::npos || name.find(k.name) != std::string::npos)) {
            only = &k;
            ++count;
          }
        if (count == 1) hit = only;
      }
    }
    if (!hit) {
      problems.push_back({"parcel", rec.number, "地块名称",
                          "no " + what + " with the licence number, id or name \"" +
                              (name.empty() ? number : name) + "\" (地块编号 \"" + number +
                              "\"); a coordinate file gives boundaries to " + what +
                              "s already in the store"});
      continue;
    }
    if (auto [it, fresh] = used.emplace(hit, rec.number); !fresh) {
      problems.push_back({"parcel", rec.number, "地块名称",
                          "\"" + name + "\" was already given a boundary by parcel " +
                              std::to_string(it->second)});
      continue;
    }
    T item = *hit;
    item.geometry = rec.geometry;
    if constexpr (requires { item.official_area_m2; }) item.official_area_m2 = rec.official_area_m2;
    out.push_back(std::move(item));
  }
  return out;
}

template <class T> void clear_version(std::vector<T> &items) {
  for (auto &i : items) {
    i.version_from.clear();
    i.version_to.clear();
    i.source.clear();
  }
}

} // namespace

Json ImportResult::json(std::size_t max_problems) const {
  Json j{{"ok", problems.empty()},       {"file", file},      {"format", format},
         {"source_layer", source_layer}, {"layer", layer},    {"as_of", as_of},
         {"records", records},           {"written", written}};
  if (problems.empty()) {
    j["inserted"] = summary.inserted;
    j["changed"] = summary.changed;
    j["unchanged"] = summary.unchanged;
  }
  j["problem_count"] = problems.size();
  Json ps = Json::array();
  for (std::size_t i = 0; i < problems.size() && i < max_problems; ++i)
    ps.push_back(problems[i].json());
  j["problems"] = ps;
  j["warnings"] = warnings;
  return j;
}

ImportResult import_file(store::Store &store, const fs::path &file, const ImportOptions &o,
                         const LedgerSchema &schema) {
  ImportResult res;
  res.file = file.string();
  res.layer = o.layer;
  if (o.layer != "rights" && o.layer != "mines" && o.layer != "zones")
    throw InputError("--layer", 0, "", "expected rights, mines or zones, found '" + o.layer + "'");
  if (o.as_of.empty()) {
    res.as_of = today_iso();
  } else if (auto d = parse_date(o.as_of)) {
    res.as_of = *d;
  } else {
    throw InputError("--as-of", 0, "", "expected a date (YYYY-MM-DD), found '" + o.as_of + "'");
  }

  LedgerReference ref;
  ref.minerals = store.minerals();
  ref.divisions = store.divisions();
  ref.plan = o.plan;
  if (!o.plan.empty()) {
    auto p = store.plan(o.plan);
    if (!p) {
      std::string known;
      for (const auto &s : store.plan_summaries())
        known += (known.empty() ? "" : ", ") + s.plan.id;
      throw InputError("--plan", 0, "",
                       "no plan '" + o.plan + "' in the store (plans: " + known + ")");
    }
    ref.plan_zones = p->zones;
  }

  const bool coordinate_file = lower(file.extension().string()) == ".txt";
  LedgerTable table;
  if (coordinate_file) {
    if (!fs::exists(file)) throw Error(file.string() + ": no such file");
    table = read_coordinate_table(file);
  } else {
    ReadOptions ro;
    ro.source_layer = o.source_layer;
    ro.prefer_layer = o.layer;
    ro.threads = o.threads;
    table = read_ogr(file, ro);
  }
  res.format = table.format;
  res.source_layer = table.layer;
  res.records = static_cast<std::int64_t>(table.records.size());
  res.warnings = table.warnings;
  res.problems = table.problems;

  if (o.layer == "zones" && o.plan.empty()) {
    // zones of several plans (a plan_id column): all plans' zones are candidates
    for (const auto &s : store.plan_summaries())
      if (auto p = store.plan(s.plan.id))
        ref.plan_zones.insert(ref.plan_zones.end(), p->zones.begin(), p->zones.end());
  }
  if (o.layer == "rights") {
    if (o.current_rights)
      for (const auto &r : *o.current_rights)
        ref.rights.emplace(r.uid, r);
    else
      for (auto &r : store.rights({}))
        ref.rights.emplace(r.uid, std::move(r));
  }
  if (o.layer == "mines") {
    if (o.current_mines)
      for (const auto &m : *o.current_mines)
        ref.mines.emplace(m.uid, m);
    else
      for (auto &m : store.mines({}))
        ref.mines.emplace(m.uid, std::move(m));
  }

  std::vector<Right> rights;
  std::vector<Mine> mines;
  std::vector<Zone> zones;
  if (coordinate_file) {
    if (res.problems.empty()) {
      if (o.layer == "rights") {
        std::vector<Right> known;
        for (const auto &[uid, r] : ref.rights)
          known.push_back(r);
        rights = parcels_to(
            table, known,
            [](const Right &r, const std::string &number, const std::string &name) {
              return (!name.empty() && (r.licence_no == name || r.uid == name || r.name == name)) ||
                     (!number.empty() && (r.licence_no == number || r.uid == number));
            },
            "right", res.problems);
        clear_version(rights);
      } else if (o.layer == "mines") {
        std::vector<Mine> known;
        for (const auto &[uid, m] : ref.mines)
          known.push_back(m);
        mines = parcels_to(
            table, known,
            [](const Mine &m, const std::string &number, const std::string &name) {
              return (!name.empty() && (m.licence_no == name || m.uid == name || m.name == name)) ||
                     (!number.empty() && (m.licence_no == number || m.uid == number));
            },
            "mine", res.problems);
        clear_version(mines);
      } else {
        if (o.plan.empty())
          throw InputError("--plan", 0, "", "a coordinate file of zones needs --plan ID");
        zones = parcels_to(
            table, ref.plan_zones,
            [](const Zone &z, const std::string &, const std::string &name) {
              return !name.empty() && (z.name == name || z.id == name || z.code == name);
            },
            "zone", res.problems);
        for (auto &z : zones)
          z.geometry_source = table.source + " (" + table.crs + ")";
      }
    }
  } else if (o.layer == "rights") {
    rights = ledger_rights(table, schema, ref, res.problems);
  } else if (o.layer == "mines") {
    mines = ledger_mines(table, schema, ref, res.problems);
  } else {
    zones = ledger_zones(table, schema, ref, res.problems);
  }
  if (o.refuse_jurisdiction) {
    auto check = [&](const auto &items, const char *what) {
      int n = 0;
      for (const auto &item : items) {
        ++n;
        std::string why = o.refuse_jurisdiction(item.jurisdiction);
        if (!why.empty())
          res.problems.push_back({"row", n, "jurisdiction",
                                  std::string(what) + " " +
                                      (item.licence_no.empty() ? item.uid : item.licence_no) +
                                      ": " + why});
      }
    };
    check(rights, "right");
    check(mines, "mine");
  }
  std::stable_sort(res.problems.begin(), res.problems.end(),
                   [](const ImportProblem &a, const ImportProblem &b) {
                     auto rank = [](const ImportProblem &p) { return p.unit == "file" ? 0 : 1; };
                     return std::make_pair(rank(a), a.number) < std::make_pair(rank(b), b.number);
                   });
  if (!res.problems.empty() || o.dry_run) return res;

  const std::string source = table.source;
  for (auto &r : rights)
    r.source = source;
  for (auto &m : mines)
    m.source = source;
  if (o.layer == "rights")
    res.summary = store.import_rights(rights, res.as_of, source);
  else if (o.layer == "mines")
    res.summary = store.import_mines(mines, res.as_of, source);
  else
    res.summary = store.import_zones(zones, source);
  res.written = true;
  res.rights = std::move(rights);
  res.mines = std::move(mines);
  return res;
}

} // namespace mineplan::io
