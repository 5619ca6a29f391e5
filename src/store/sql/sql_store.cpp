#include "store/sql/sql_store.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/model_json.hpp"
#include "core/store_error.hpp"
#include "store/gpkg/geometry_blob.hpp"

#include <chrono>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <map>
#include <set>

namespace mineplan::store::sql {
namespace {

using gpkg::encode_blob;

constexpr std::int32_t kSrsCgcs2000 = 4490;

// --- binding helpers ----------------------------------------------------------------------

std::string json_text(const Json &j) {
  return j.dump();
}

Json parse_json_column(const std::string &s, Json fallback) {
  if (s.empty()) return fallback;
  auto j = try_parse_json_text(s);
  return j ? std::move(*j) : Json(Json::value_t::discarded);
}

std::vector<std::string> string_list(const std::string &s) {
  std::vector<std::string> out;
  Json j = parse_json_column(s, Json::array());
  if (j.is_array())
    for (const auto &e : j)
      if (e.is_string()) out.push_back(e.get<std::string>());
  return out;
}

void bind_cite(Statement &st, int first, const Citation &c) {
  st.bind_text_or_null(first, c.seed);
  st.bind_text_or_null(first + 1, c.section);
  st.bind_text_or_null(first + 2, c.quote);
}

void bind_cite(Statement &st, int first, const std::optional<Citation> &c) {
  if (c)
    bind_cite(st, first, *c);
  else
    for (int i = 0; i < 3; ++i)
      st.bind(first + i, std::nullopt);
}

Citation read_cite(const Statement &st, int first) {
  return Citation{st.text(first), st.text(first + 1), st.text(first + 2)};
}

std::optional<Citation> read_opt_cite(const Statement &st, int first) {
  if (st.is_null(first)) return std::nullopt;
  return read_cite(st, first);
}

void bind_geometry(Statement &st, int index, const std::optional<geo::MultiPolygon> &g) {
  st.bind_geometry(index, g);
}

std::optional<geo::MultiPolygon> read_geometry(const Statement &st, int col) {
  return st.geometry(col);
}

void bind_quantity(Statement &st, int first, const std::optional<Quantity> &q) {
  if (q) {
    st.bind(first, q->value);
    st.bind(first + 1, q->unit);
  } else {
    st.bind(first, std::nullopt);
    st.bind(first + 1, std::nullopt);
  }
}

std::optional<Quantity> read_quantity(const Statement &st, int first) {
  if (st.is_null(first) || st.is_null(first + 1)) return std::nullopt;
  return Quantity{st.real(first), st.text(first + 1)};
}

std::optional<int> read_opt_int(const Statement &st, int col) {
  if (st.is_null(col)) return std::nullopt;
  return static_cast<int>(st.int64(col));
}

void bind_target_value(Statement &st, int first, const std::optional<TargetValue> &v,
                       bool with_range) {
  // base/outlook: value, year; target: value, min, max, year
  if (!v) {
    for (int i = 0; i < (with_range ? 4 : 2); ++i)
      st.bind(first + i, std::nullopt);
    return;
  }
  st.bind(first, v->value);
  if (with_range) {
    st.bind(first + 1, v->min);
    st.bind(first + 2, v->max);
    st.bind(first + 3, v->year);
  } else {
    st.bind(first + 1, v->year);
  }
}

std::string right_fingerprint(const Right &r) {
  Json j = to_json(r);
  j.erase("version_from");
  j.erase("version_to");
  j.erase("source");
  j.erase("has_geometry");
  if (r.geometry) {
    auto blob = encode_blob(*r.geometry, kSrsCgcs2000);
    j["geometry"] = content_fingerprint(Json::binary(std::vector<std::uint8_t>(blob)));
  }
  return content_fingerprint(j);
}

std::string mine_fingerprint(const Mine &m) {
  Json j = to_json(m);
  j.erase("version_from");
  j.erase("version_to");
  j.erase("source");
  j.erase("has_geometry");
  if (m.geometry) {
    auto blob = encode_blob(*m.geometry, kSrsCgcs2000);
    j["geometry"] = content_fingerprint(Json::binary(std::vector<std::uint8_t>(blob)));
  }
  return content_fingerprint(j);
}

constexpr std::string_view kRightColumns =
    "fid, geom, right_uid, licence_no, kind, name, holder, minerals, area_value, area_unit, "
    "official_area_km2, scale_value, scale_unit, scale_class, method, status, valid_from, "
    "valid_to, jurisdiction, attributes, source, cite_seed, cite_section, cite_quote, "
    "version_from, version_to";

constexpr std::string_view kMineColumns =
    "fid, geom, mine_uid, name, holder, licence_no, minerals, scale_value, scale_unit, "
    "scale_class, method, status, jurisdiction, green_level, green_year, attributes, source, "
    "cite_seed, cite_section, cite_quote, version_from, version_to";

Right read_right(const Statement &st) {
  Right r;
  r.geometry = read_geometry(st, 1);
  r.uid = st.text(2);
  r.licence_no = st.text(3);
  r.kind = st.text(4);
  r.name = st.text(5);
  r.holder = st.text(6);
  r.minerals = string_list(st.text(7));
  r.area = read_quantity(st, 8);
  if (!st.is_null(10)) r.official_area_m2 = st.real(10) * 1e6;
  r.scale = read_quantity(st, 11);
  r.scale_class = st.text(13);
  r.method = st.text(14);
  r.status = st.text(15);
  r.valid_from = st.text(16);
  r.valid_to = st.text(17);
  r.jurisdiction = st.text(18);
  r.attributes = parse_json_column(st.text(19), Json::object());
  r.source = st.text(20);
  r.cite = read_opt_cite(st, 21);
  r.version_from = st.text(24);
  r.version_to = st.text(25);
  return r;
}

Mine read_mine(const Statement &st) {
  Mine m;
  m.geometry = read_geometry(st, 1);
  m.uid = st.text(2);
  m.name = st.text(3);
  m.holder = st.text(4);
  m.licence_no = st.text(5);
  m.minerals = string_list(st.text(6));
  m.scale = read_quantity(st, 7);
  m.scale_class = st.text(9);
  m.method = st.text(10);
  m.status = st.text(11);
  m.jurisdiction = st.text(12);
  m.green_level = st.text(13);
  m.green_year = read_opt_int(st, 14);
  m.attributes = parse_json_column(st.text(15), Json::object());
  m.source = st.text(16);
  m.cite = read_opt_cite(st, 17);
  m.version_from = st.text(20);
  m.version_to = st.text(21);
  return m;
}

std::string as_of_clause(const AsOf &as_of) {
  // A version counts on day d when version_from <= d < version_to.
  if (as_of.date.empty()) return "version_to IS NULL";
  return "version_from <= ?1 AND (version_to IS NULL OR version_to > ?1)";
}

} // namespace

SqlStore::SqlStore(std::unique_ptr<sql::Connection> connection)
    : connection_(std::move(connection)), db_(*connection_) {}

int SqlStore::schema_version() {
  auto st = db_.prepare("SELECT coalesce(max(version), 0) FROM mineplan_migrations");
  st.step();
  return static_cast<int>(st.int64(0));
}

void SqlStore::migrate() {
  db_.exec("CREATE TABLE IF NOT EXISTS mineplan_migrations (version INTEGER PRIMARY KEY, "
           "description TEXT NOT NULL, applied_at TEXT NOT NULL)");
  int current = schema_version();
  for (const auto &m : migrations()) {
    if (m.version <= current) continue;
    Transaction tx(db_);
    db_.exec(m.sql);
    after_migration(m.version);
    db_.prepare("INSERT INTO mineplan_migrations VALUES (?1, ?2, ?3)")
        .bind(1, m.version)
        .bind(2, m.description)
        .bind(3, now_utc_iso())
        .run();
    tx.commit();
  }
}

bool SqlStore::check_existing() {
  const std::string where = location();
  if (!has_table("mineplan_migrations")) {
    std::string missing;
    for (const char *t :
         {"mineplan_migrations", "divisions", "plans", "zones", "rights", "mines", "audit_log"})
      if (!has_table(t)) missing.append(missing.empty() ? "" : "、").append(t);
    throw StoreError(StoreError::Kind::not_mineplan, where,
                     "不是 mineplan 数据库：缺少表 " + missing +
                         "；未做任何修改（not a mineplan store, left as it is）");
  }
  const int found = schema_version();
  const int known = migrations().back().version;
  if (found > known)
    throw StoreError(StoreError::Kind::newer_version, where,
                     "存储的结构版本为 " + std::to_string(found) + "，比本程序支持的版本 " +
                         std::to_string(known) + " 新：请使用更新版本的 mineplan（store schema " +
                         std::to_string(found) + " is newer than this mineplan's " +
                         std::to_string(known) + "）");
  if (found < known && db_.read_only())
    throw StoreError(
        StoreError::Kind::needs_migration, where,
        "存储的结构版本为 " + std::to_string(found) + "，本程序为 " + std::to_string(known) +
            "：读命令和只读存储不做升级，请先在可写的存储上运行 `mineplan migrate "
            "DB`（store schema " +
            std::to_string(found) + " needs migrating to " + std::to_string(known) + "）");
  return found < known;
}

void SqlStore::open_existing() {
  if (check_existing()) migrate();
}

void SqlStore::load_catalogue(const Catalogue &cat) {
  Transaction tx(db_);
  {
    // No UPSERT on spatial tables: its ABORT policy overrides the R-tree triggers' INSERT OR
    // REPLACE and fails on update. Update first, insert when nothing was there.
    auto update = db_.prepare(
        "UPDATE divisions SET geom = ?1, name = ?3, level = ?4, parent = ?5 WHERE code = ?2");
    auto insert = db_.prepare(
        "INSERT INTO divisions (geom, code, name, level, parent) VALUES (?1, ?2, ?3, ?4, ?5)");
    for (const auto &d : cat.divisions) {
      for (Statement *st : {&update, &insert}) {
        bind_geometry(*st, 1, d.outline);
        if (st->bind(2, d.code)
                .bind(3, d.name)
                .bind(4, d.level)
                .bind_text_or_null(5, d.parent)
                .run() > 0)
          break;
      }
    }
  }
  {
    auto st = db_.prepare(
        "INSERT INTO minerals (name, aliases, category, scale_unit, exploration_risk, cite_seed, "
        "cite_section, cite_quote, members) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9) ON "
        "CONFLICT(name) DO UPDATE SET aliases = excluded.aliases, members = excluded.members, "
        "category = excluded.category, scale_unit = "
        "excluded.scale_unit, exploration_risk = excluded.exploration_risk, cite_seed = "
        "excluded.cite_seed, cite_section = excluded.cite_section, cite_quote = "
        "excluded.cite_quote");
    for (const auto &m : cat.minerals) {
      st.bind(1, m.name)
          .bind(2, json_text(Json(m.aliases)))
          .bind(3, m.category)
          .bind(4, m.scale_unit)
          .bind(5, m.exploration_risk);
      bind_cite(st, 6, m.cite);
      st.bind(9, json_text(Json(m.members)));
      st.run();
    }
  }
  Json plans = Json::array();
  for (const auto &p : cat.plans) {
    write_plan(p);
    plans.push_back(p.plan.id);
  }
  after_spatial_write();
  append_audit("catalogue.load", "catalogue", nullptr,
               Json{{"divisions", cat.divisions.size()},
                    {"minerals", cat.minerals.size()},
                    {"plans", plans}});
  tx.commit();
}

void SqlStore::write_plan(const PlanData &pd) {
  const Plan &p = pd.plan;
  for (const char *table : {"targets", "rules", "seed_tables", "statistics"})
    db_.prepare(std::string("DELETE FROM ") + table + " WHERE plan_id = ?1").bind(1, p.id).run();
  // Zones are kept by id so that survey geometry imported since is not lost on a reload;
  // zones the plan no longer names go.
  {
    std::set<std::string> keep;
    for (const auto &z : pd.zones)
      keep.insert(z.id);
    auto ids = db_.prepare("SELECT zone_id FROM zones WHERE plan_id = ?1");
    ids.bind(1, p.id);
    std::vector<std::string> drop;
    while (ids.step())
      if (!keep.count(ids.text(0))) drop.push_back(ids.text(0));
    auto del = db_.prepare("DELETE FROM zones WHERE plan_id = ?1 AND zone_id = ?2");
    for (const auto &id : drop)
      del.bind(1, p.id).bind(2, id).run();
  }
  db_.prepare("DELETE FROM plans WHERE plan_id = ?1").bind(1, p.id).run();

  auto st = db_.prepare(
      "INSERT INTO plans (plan_id, title, type, level, jurisdiction, parent, base_year, "
      "period_start, period_end, outlook_year, issued, in_force_from, in_force_to, seed, notes, "
      "cite_seed, cite_section, cite_quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, "
      "?12, ?13, ?14, ?15, ?16, ?17, ?18)");
  st.bind(1, p.id).bind(2, p.title).bind(3, p.type).bind(4, p.level).bind(5, p.jurisdiction);
  st.bind_text_or_null(6, p.parent).bind(7, p.base_year).bind(8, p.period_start);
  st.bind(9, p.period_end).bind(10, p.outlook_year).bind_text_or_null(11, p.issued);
  st.bind(12, p.in_force_from).bind(13, p.in_force_to).bind(14, p.seed).bind(15, p.notes);
  bind_cite(st, 16, p.cite);
  st.run();

  write_zones(pd.zones);

  auto tst = db_.prepare(
      "INSERT INTO targets (plan_id, target_id, name, grp, kind, comparator, unit, mineral, "
      "base_value, base_year, target_value, target_min, target_max, target_year, outlook_value, "
      "outlook_year, cite_seed, cite_section, cite_quote, milestones, measure) VALUES (?1, ?2, ?3, "
      "?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)");
  for (const auto &t : pd.targets) {
    tst.bind(1, p.id).bind(2, t.id).bind(3, t.name).bind_text_or_null(4, t.group);
    tst.bind(5, t.kind).bind(6, t.comparator).bind(7, t.unit).bind_text_or_null(8, t.mineral);
    bind_target_value(tst, 9, t.base, false);
    bind_target_value(tst, 11, t.target, true);
    bind_target_value(tst, 15, t.outlook, false);
    bind_cite(tst, 17, t.cite);
    Json milestones = Json::array();
    for (const auto &m : t.milestones)
      milestones.push_back(to_json(m));
    tst.bind(20, json_text(milestones));
    if (t.measure.is_null())
      tst.bind(21, std::nullopt);
    else
      tst.bind(21, json_text(t.measure));
    tst.run();
  }

  auto rst = db_.prepare("INSERT INTO rules (plan_id, rule_id, type, text, body, cite_seed, "
                         "cite_section, cite_quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)");
  for (const auto &r : pd.rules) {
    rst.bind(1, p.id).bind(2, r.id).bind(3, r.type).bind(4, r.text).bind(5, json_text(r.body));
    bind_cite(rst, 6, r.cite);
    rst.run();
  }

  auto sst = db_.prepare("INSERT INTO seed_tables (plan_id, table_id, section, title, columns, "
                         "rows, notes, cite_seed, cite_section, cite_quote, register) VALUES "
                         "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  for (const auto &t : pd.tables) {
    sst.bind(1, p.id).bind(2, t.id).bind(3, t.section).bind(4, t.title);
    sst.bind(5, json_text(Json(t.columns))).bind(6, json_text(Json(t.rows))).bind(7, t.notes);
    bind_cite(sst, 8, t.cite);
    if (t.register_def.is_null())
      sst.bind(11, std::nullopt);
    else
      sst.bind(11, json_text(t.register_def));
    sst.run();
  }

  auto stat = db_.prepare("INSERT INTO statistics (plan_id, stat_id, name, value, unit, as_of, "
                          "mineral, dimension, cite_seed, cite_section, cite_quote) VALUES (?1, "
                          "?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
  for (const auto &s : pd.statistics) {
    stat.bind(1, p.id).bind(2, s.id).bind(3, s.name).bind(4, s.value.value).bind(5, s.value.unit);
    stat.bind_text_or_null(6, s.as_of).bind_text_or_null(7, s.mineral);
    stat.bind(8, json_text(s.dimension));
    bind_cite(stat, 9, s.cite);
    stat.run();
  }

  // Rights and mines the seed lists enter the register as of the end of the plan's base year.
  std::string as_of = std::to_string(p.base_year) + "-12-31";
  if (!pd.rights.empty()) log_import(p.id, "rights", write_rights(pd.rights, as_of));
  if (!pd.mines.empty()) log_import(p.id, "mines", write_mines(pd.mines, as_of));
}

ImportSummary SqlStore::write_zones(const std::vector<Zone> &zones) {
  ImportSummary sum;
  auto exists = db_.prepare("SELECT fid FROM zones WHERE plan_id = ?1 AND zone_id = ?2");
  // See load_catalogue for why this is not an UPSERT. A survey that arrives later keeps the
  // geometry when the plan data is reloaded without one.
  auto update = db_.prepare(
      "UPDATE zones SET geom = coalesce(?1, geom), kind = ?4, code = ?5, name = ?6, minerals = ?7, "
      "area_value = ?8, area_unit = ?9, official_area_km2 = coalesce(?10, official_area_km2), "
      "geometry_source = coalesce(?11, geometry_source), attributes = ?12, cite_seed = ?13, "
      "cite_section = ?14, cite_quote = ?15 WHERE plan_id = ?2 AND zone_id = ?3");
  auto insert = db_.prepare(
      "INSERT INTO zones (geom, plan_id, zone_id, kind, code, name, minerals, area_value, "
      "area_unit, official_area_km2, geometry_source, attributes, cite_seed, cite_section, "
      "cite_quote) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)");
  for (const auto &z : zones) {
    exists.bind(1, z.plan_id).bind(2, z.id);
    bool present = exists.step();
    exists.reset();
    Statement &st = present ? update : insert;
    bind_geometry(st, 1, z.geometry);
    st.bind(2, z.plan_id).bind(3, z.id).bind(4, z.kind).bind_text_or_null(5, z.code);
    st.bind(6, z.name).bind(7, json_text(Json(z.minerals)));
    bind_quantity(st, 8, z.area);
    if (z.official_area_m2)
      st.bind(10, *z.official_area_m2 / 1e6);
    else
      st.bind(10, std::nullopt);
    st.bind_text_or_null(11, z.geometry_source).bind(12, json_text(z.attributes));
    bind_cite(st, 13, z.cite);
    st.run();
    (present ? sum.changed : sum.inserted)++;
  }
  return sum;
}

namespace {

// Decides, for one item of a versioned layer, whether it is new, unchanged or a change, and
// closes the current version for a change. Returns false when nothing is to be inserted.
class VersionedWriter {
public:
  VersionedWriter(Connection &db, const std::string &table, const std::string &uid_column)
      : what_(table == "rights" ? "right" : "mine"),
        current_(db.prepare("SELECT fid, fingerprint, version_from FROM " + table + " WHERE " +
                            uid_column + " = ?1 AND version_to IS NULL")),
        close_(db.prepare("UPDATE " + table + " SET version_to = ?2 WHERE fid = ?1")),
        drop_(db.prepare("DELETE FROM " + table + " WHERE fid = ?1")) {}

  bool admit(const std::string &uid, const std::string &fingerprint, const std::string &from,
             ImportSummary &sum) {
    current_.bind(1, uid);
    if (!current_.step()) {
      current_.reset();
      ++sum.inserted;
      return true;
    }
    std::int64_t fid = current_.int64(0);
    std::string old_fp = current_.text(1);
    std::string old_from = current_.text(2);
    current_.reset();
    if (old_fp == fingerprint) {
      ++sum.unchanged;
      return false;
    }
    if (from < old_from)
      throw Error(what_ + " " + uid + ": a change effective " + from +
                  " does not follow its current version of " + old_from);
    if (from == old_from) {
      // A change effective the same day as the current version corrects that version: the
      // register keeps one version per day (e.g. a county ledger as of the base date completing
      // what the plan data already listed for that date).
      drop_.bind(1, fid).run();
      ++sum.changed;
      return true;
    }
    close_.bind(1, fid).bind(2, from).run();
    ++sum.changed;
    return true;
  }

private:
  std::string what_;
  Statement current_;
  Statement close_;
  Statement drop_;
};

} // namespace

ImportSummary SqlStore::write_rights(const std::vector<Right> &rights,
                                     const std::string &effective) {
  ImportSummary sum;
  VersionedWriter versions(db_, "rights", "right_uid");
  auto insert = db_.prepare(
      "INSERT INTO rights (geom, right_uid, licence_no, kind, name, holder, minerals, area_value, "
      "area_unit, official_area_km2, scale_value, scale_unit, scale_class, method, status, "
      "valid_from, valid_to, jurisdiction, attributes, source, cite_seed, cite_section, "
      "cite_quote, version_from, version_to, fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
      "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22, ?23, ?24, NULL, "
      "?25)");
  for (const auto &r : rights) {
    if (r.uid.empty()) throw Error("right without uid: " + r.name);
    std::string fp = right_fingerprint(r);
    std::string from = r.version_from.empty() ? effective : r.version_from;
    if (!versions.admit(r.uid, fp, from, sum)) continue;
    bind_geometry(insert, 1, r.geometry);
    insert.bind(2, r.uid).bind_text_or_null(3, r.licence_no).bind(4, r.kind);
    insert.bind_text_or_null(5, r.name).bind_text_or_null(6, r.holder);
    insert.bind(7, json_text(Json(r.minerals)));
    bind_quantity(insert, 8, r.area);
    if (r.official_area_m2)
      insert.bind(10, *r.official_area_m2 / 1e6);
    else
      insert.bind(10, std::nullopt);
    bind_quantity(insert, 11, r.scale);
    insert.bind_text_or_null(13, r.scale_class).bind_text_or_null(14, r.method);
    insert.bind_text_or_null(15, r.status).bind_text_or_null(16, r.valid_from);
    insert.bind_text_or_null(17, r.valid_to).bind_text_or_null(18, r.jurisdiction);
    insert.bind(19, json_text(r.attributes)).bind(20, r.source);
    bind_cite(insert, 21, r.cite);
    insert.bind(24, from).bind(25, fp);
    insert.run();
  }
  return sum;
}

ImportSummary SqlStore::write_mines(const std::vector<Mine> &mines, const std::string &effective) {
  ImportSummary sum;
  VersionedWriter versions(db_, "mines", "mine_uid");
  auto insert = db_.prepare(
      "INSERT INTO mines (geom, mine_uid, name, holder, licence_no, minerals, scale_value, "
      "scale_unit, scale_class, method, status, jurisdiction, green_level, green_year, "
      "attributes, source, cite_seed, cite_section, cite_quote, version_from, version_to, "
      "fingerprint) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, "
      "?16, ?17, ?18, ?19, ?20, NULL, ?21)");
  for (const auto &m : mines) {
    if (m.uid.empty()) throw Error("mine without uid: " + m.name);
    std::string fp = mine_fingerprint(m);
    std::string from = m.version_from.empty() ? effective : m.version_from;
    if (!versions.admit(m.uid, fp, from, sum)) continue;
    bind_geometry(insert, 1, m.geometry);
    insert.bind(2, m.uid).bind(3, m.name).bind_text_or_null(4, m.holder);
    insert.bind_text_or_null(5, m.licence_no).bind(6, json_text(Json(m.minerals)));
    bind_quantity(insert, 7, m.scale);
    insert.bind_text_or_null(9, m.scale_class).bind_text_or_null(10, m.method);
    insert.bind_text_or_null(11, m.status).bind_text_or_null(12, m.jurisdiction);
    insert.bind_text_or_null(13, m.green_level).bind(14, m.green_year);
    insert.bind(15, json_text(m.attributes)).bind(16, m.source);
    bind_cite(insert, 17, m.cite);
    insert.bind(20, from).bind(21, fp);
    insert.run();
  }
  return sum;
}

void SqlStore::log_import(const std::string &source, const std::string &layer,
                          const ImportSummary &s) {
  db_.prepare("INSERT INTO imports (at, source, layer, inserted, changed, unchanged) VALUES (?1, "
              "?2, ?3, ?4, ?5, ?6)")
      .bind(1, now_utc_iso())
      .bind(2, source)
      .bind(3, layer)
      .bind(4, s.inserted)
      .bind(5, s.changed)
      .bind(6, s.unchanged)
      .run();
  append_audit(layer + ".import", source, nullptr,
               Json{{"inserted", s.inserted}, {"changed", s.changed}, {"unchanged", s.unchanged}});
}

ImportSummary SqlStore::import_rights(const std::vector<Right> &rights,
                                      const std::string &effective, const std::string &source) {
  Transaction tx(db_);
  auto s = write_rights(rights, effective);
  log_import(source, "rights", s);
  after_spatial_write();
  tx.commit();
  return s;
}

ImportSummary SqlStore::import_mines(const std::vector<Mine> &mines, const std::string &effective,
                                     const std::string &source) {
  Transaction tx(db_);
  auto s = write_mines(mines, effective);
  log_import(source, "mines", s);
  after_spatial_write();
  tx.commit();
  return s;
}

ImportSummary SqlStore::import_zones(const std::vector<Zone> &zones, const std::string &source) {
  Transaction tx(db_);
  auto known = db_.prepare("SELECT 1 FROM plans WHERE plan_id = ?1");
  for (const auto &z : zones) {
    known.bind(1, z.plan_id);
    bool ok = known.step();
    known.reset();
    if (!ok) throw Error("zone " + z.id + ": unknown plan '" + z.plan_id + "'");
  }
  auto s = write_zones(zones);
  log_import(source, "zones", s);
  after_spatial_write();
  tx.commit();
  return s;
}

std::vector<Right> SqlStore::query_rights(const std::string &where,
                                          const std::vector<std::string> &args) {
  auto st = db_.prepare("SELECT " + std::string(kRightColumns) + " FROM rights WHERE " + where +
                        " ORDER BY right_uid, version_from");
  for (std::size_t i = 0; i < args.size(); ++i)
    st.bind(static_cast<int>(i + 1), args[i]);
  std::vector<Right> out;
  while (st.step())
    out.push_back(read_right(st));
  return out;
}

std::vector<Mine> SqlStore::query_mines(const std::string &where,
                                        const std::vector<std::string> &args) {
  auto st = db_.prepare("SELECT " + std::string(kMineColumns) + " FROM mines WHERE " + where +
                        " ORDER BY mine_uid, version_from");
  for (std::size_t i = 0; i < args.size(); ++i)
    st.bind(static_cast<int>(i + 1), args[i]);
  std::vector<Mine> out;
  while (st.step())
    out.push_back(read_mine(st));
  return out;
}

std::vector<Right> SqlStore::rights(const AsOf &as_of) {
  std::vector<std::string> args;
  if (!as_of.date.empty()) args.push_back(as_of.date);
  return query_rights(as_of_clause(as_of), args);
}

std::vector<Right> SqlStore::right_history(const std::string &uid) {
  return query_rights("right_uid = ?1 OR licence_no = ?1", {uid});
}

std::vector<Mine> SqlStore::mines(const AsOf &as_of) {
  std::vector<std::string> args;
  if (!as_of.date.empty()) args.push_back(as_of.date);
  return query_mines(as_of_clause(as_of), args);
}

std::vector<Zone> SqlStore::query_zones(const std::string &plan_id) {
  auto st = db_.prepare(
      "SELECT geom, zone_id, kind, code, name, minerals, area_value, area_unit, "
      "official_area_km2, geometry_source, attributes, cite_seed, cite_section, cite_quote "
      "FROM zones WHERE plan_id = ?1 ORDER BY fid");
  st.bind(1, plan_id);
  std::vector<Zone> out;
  while (st.step()) {
    Zone z;
    z.plan_id = plan_id;
    z.geometry = read_geometry(st, 0);
    z.id = st.text(1);
    z.kind = st.text(2);
    z.code = st.text(3);
    z.name = st.text(4);
    z.minerals = string_list(st.text(5));
    z.area = read_quantity(st, 6);
    if (!st.is_null(8)) z.official_area_m2 = st.real(8) * 1e6;
    z.geometry_source = st.text(9);
    z.attributes = parse_json_column(st.text(10), Json::object());
    z.cite = read_cite(st, 11);
    out.push_back(std::move(z));
  }
  return out;
}

namespace {

Plan read_plan_row(const Statement &st) {
  Plan p;
  p.id = st.text(0);
  p.title = st.text(1);
  p.type = st.text(2);
  p.level = st.text(3);
  p.jurisdiction = st.text(4);
  p.parent = st.text(5);
  p.base_year = static_cast<int>(st.int64(6));
  p.period_start = static_cast<int>(st.int64(7));
  p.period_end = static_cast<int>(st.int64(8));
  p.outlook_year = read_opt_int(st, 9);
  p.issued = st.text(10);
  p.in_force_from = st.text(11);
  p.in_force_to = st.text(12);
  p.seed = st.text(13);
  p.notes = st.text(14);
  p.cite = read_cite(st, 15);
  return p;
}

constexpr std::string_view kPlanColumns =
    "plan_id, title, type, level, jurisdiction, parent, base_year, period_start, period_end, "
    "outlook_year, issued, in_force_from, in_force_to, seed, notes, cite_seed, cite_section, "
    "cite_quote";

std::optional<TargetValue> read_target_value(const Statement &st, int value_col, int year_col,
                                             int min_col = -1, int max_col = -1) {
  TargetValue v;
  if (!st.is_null(value_col)) v.value = st.real(value_col);
  if (min_col >= 0 && !st.is_null(min_col)) v.min = st.real(min_col);
  if (max_col >= 0 && !st.is_null(max_col)) v.max = st.real(max_col);
  v.year = read_opt_int(st, year_col);
  if (!v.value && !v.min && !v.max && !v.year) return std::nullopt;
  return v;
}

} // namespace

std::vector<PlanSummary> SqlStore::plan_summaries() {
  auto st = db_.prepare(
      "SELECT " + std::string(kPlanColumns) +
      ", (SELECT name FROM divisions d WHERE d.code = p.jurisdiction), "
      "(SELECT count(*) FROM zones z WHERE z.plan_id = p.plan_id), "
      "(SELECT count(*) FROM zones z WHERE z.plan_id = p.plan_id AND z.geom IS NOT NULL), "
      "(SELECT count(*) FROM targets t WHERE t.plan_id = p.plan_id), "
      "(SELECT count(*) FROM rules r WHERE r.plan_id = p.plan_id), "
      "(SELECT count(*) FROM seed_tables s WHERE s.plan_id = p.plan_id), "
      "(SELECT count(*) FROM rights r WHERE r.source = p.plan_id AND r.version_to IS NULL), "
      "(SELECT count(*) FROM mines m WHERE m.source = p.plan_id AND m.version_to IS NULL), "
      "(SELECT count(*) FROM statistics s WHERE s.plan_id = p.plan_id) "
      "FROM plans p ORDER BY (p.level != 'region'), p.jurisdiction, p.plan_id");
  std::vector<PlanSummary> out;
  while (st.step()) {
    PlanSummary s;
    s.plan = read_plan_row(st);
    s.jurisdiction_name = st.text(18);
    s.zones = static_cast<int>(st.int64(19));
    s.zones_with_geometry = static_cast<int>(st.int64(20));
    s.targets = static_cast<int>(st.int64(21));
    s.rules = static_cast<int>(st.int64(22));
    s.tables = static_cast<int>(st.int64(23));
    s.rights = static_cast<int>(st.int64(24));
    s.mines = static_cast<int>(st.int64(25));
    s.statistics = static_cast<int>(st.int64(26));
    out.push_back(std::move(s));
  }
  return out;
}

std::optional<PlanData> SqlStore::plan(const std::string &id) {
  auto st = db_.prepare("SELECT " + std::string(kPlanColumns) + " FROM plans WHERE plan_id = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  PlanData pd;
  pd.plan = read_plan_row(st);
  pd.zones = query_zones(id);

  auto ts = db_.prepare(
      "SELECT target_id, name, grp, kind, comparator, unit, mineral, base_value, base_year, "
      "target_value, target_min, target_max, target_year, outlook_value, outlook_year, "
      "cite_seed, cite_section, cite_quote, milestones, measure FROM targets WHERE plan_id = ?1 "
      "ORDER BY fid");
  ts.bind(1, id);
  while (ts.step()) {
    Target t;
    t.plan_id = id;
    t.id = ts.text(0);
    t.name = ts.text(1);
    t.group = ts.text(2);
    t.kind = ts.text(3);
    t.comparator = ts.text(4);
    t.unit = ts.text(5);
    t.mineral = ts.text(6);
    t.base = read_target_value(ts, 7, 8);
    t.target = read_target_value(ts, 9, 12, 10, 11).value_or(TargetValue{});
    t.outlook = read_target_value(ts, 13, 14);
    t.cite = read_cite(ts, 15);
    for (const auto &m : parse_json_column(ts.text(18), Json::array())) {
      TargetValue v;
      if (m.contains("value") && m["value"].is_number()) v.value = m["value"].get<double>();
      if (m.contains("year") && m["year"].is_number_integer()) v.year = m["year"].get<int>();
      t.milestones.push_back(v);
    }
    if (!ts.is_null(19)) t.measure = parse_json_column(ts.text(19), Json());
    pd.targets.push_back(std::move(t));
  }

  auto rs = db_.prepare("SELECT rule_id, type, text, body, cite_seed, cite_section, cite_quote "
                        "FROM rules WHERE plan_id = ?1 ORDER BY fid");
  rs.bind(1, id);
  while (rs.step()) {
    Rule r;
    r.plan_id = id;
    r.id = rs.text(0);
    r.type = rs.text(1);
    r.text = rs.text(2);
    r.body = parse_json_column(rs.text(3), Json::object());
    r.cite = read_cite(rs, 4);
    pd.rules.push_back(std::move(r));
  }

  auto tb =
      db_.prepare("SELECT table_id, section, title, columns, rows, notes, cite_seed, "
                  "cite_section, cite_quote, register FROM seed_tables WHERE plan_id = ?1 ORDER "
                  "BY fid");
  tb.bind(1, id);
  while (tb.step()) {
    SeedTable t;
    t.plan_id = id;
    t.id = tb.text(0);
    t.section = tb.text(1);
    t.title = tb.text(2);
    t.columns = string_list(tb.text(3));
    Json rows = parse_json_column(tb.text(4), Json::array());
    for (const auto &row : rows)
      t.rows.push_back(row.get<std::vector<std::string>>());
    t.notes = tb.text(5);
    t.cite = read_cite(tb, 6);
    if (!tb.is_null(9)) t.register_def = parse_json_column(tb.text(9), Json());
    pd.tables.push_back(std::move(t));
  }

  auto ss = db_.prepare("SELECT stat_id, name, value, unit, as_of, mineral, dimension, cite_seed, "
                        "cite_section, cite_quote FROM statistics WHERE plan_id = ?1 ORDER BY fid");
  ss.bind(1, id);
  while (ss.step()) {
    Statistic s;
    s.plan_id = id;
    s.id = ss.text(0);
    s.name = ss.text(1);
    s.value = Quantity{ss.real(2), ss.text(3)};
    s.as_of = ss.text(4);
    s.mineral = ss.text(5);
    s.dimension = parse_json_column(ss.text(6), Json::object());
    s.cite = read_cite(ss, 7);
    pd.statistics.push_back(std::move(s));
  }

  pd.rights = query_rights("source = ?1 AND version_to IS NULL", {id});
  pd.mines = query_mines("source = ?1 AND version_to IS NULL", {id});
  return pd;
}

std::vector<Division> SqlStore::divisions() {
  auto st = db_.prepare("SELECT code, name, level, parent, geom FROM divisions ORDER BY code");
  std::vector<Division> out;
  while (st.step())
    out.push_back(Division{st.text(0), st.text(1), st.text(2), st.text(3), read_geometry(st, 4)});
  return out;
}

std::vector<Mineral> SqlStore::minerals() {
  auto st = db_.prepare("SELECT name, aliases, category, scale_unit, exploration_risk, cite_seed, "
                        "cite_section, cite_quote, members FROM minerals ORDER BY fid");
  std::vector<Mineral> out;
  while (st.step()) {
    Mineral m;
    m.name = st.text(0);
    m.aliases = string_list(st.text(1));
    m.category = st.text(2);
    m.scale_unit = st.text(3);
    m.exploration_risk = st.text(4);
    m.cite = read_cite(st, 5);
    m.members = string_list(st.text(8));
    out.push_back(std::move(m));
  }
  return out;
}

std::vector<LayerInfo> SqlStore::layers() {
  std::vector<LayerInfo> out;
  auto add = [&](const Layer &l, bool spatial) {
    std::string where = is_versioned(l.table) ? " WHERE version_to IS NULL" : "";
    auto st = db_.prepare("SELECT count(*) FROM " + std::string(l.table) + where);
    st.step();
    out.push_back(LayerInfo{std::string(l.table), std::string(l.title), spatial, st.int64(0)});
  };
  for (const auto &l : spatial_layers())
    add(l, true);
  for (const auto &l : attribute_layers())
    add(l, false);
  return out;
}

void SqlStore::for_each_feature(const std::string &layer,
                                const std::function<void(const Feature &)> &fn) {
  bool known = false;
  for (const auto &l : spatial_layers())
    known |= l.table == layer;
  for (const auto &l : attribute_layers())
    known |= l.table == layer;
  if (!known) {
    std::string names;
    for (const auto &l : layers())
      names += (names.empty() ? "" : ", ") + l.name;
    throw Error("unknown layer '" + layer + "' (layers: " + names + ")");
  }
  std::string where = is_versioned(layer) ? " WHERE version_to IS NULL" : "";
  auto st = db_.prepare("SELECT * FROM " + layer + where + " ORDER BY fid");
  const int columns = st.column_count();
  while (st.step()) {
    Feature f;
    for (int c = 0; c < columns; ++c) {
      std::string name = st.column_name(c);
      if (name == "geom") {
        f.geometry = read_geometry(st, c);
        continue;
      }
      if (name == "fingerprint") continue;
      switch (st.column_type(c)) {
      case ColumnType::null: f.properties[name] = nullptr; break;
      case ColumnType::integer: f.properties[name] = st.int64(c); break;
      case ColumnType::real: f.properties[name] = st.real(c); break;
      default: f.properties[name] = st.text(c); break;
      }
    }
    fn(f);
  }
}

Json SqlStore::show(const std::string &id) {
  if (auto p = plan(id)) {
    Json j = to_json(p->plan);
    for (const auto &s : plan_summaries())
      if (s.plan.id == id) {
        j["jurisdiction_name"] = s.jurisdiction_name;
        j["counts"] = Json{{"zones", s.zones},     {"zones_with_geometry", s.zones_with_geometry},
                           {"targets", s.targets}, {"rules", s.rules},
                           {"tables", s.tables},   {"rights", s.rights},
                           {"mines", s.mines},     {"statistics", s.statistics}};
      }
    j["targets"] = Json::array();
    for (const auto &t : p->targets)
      j["targets"].push_back(to_json(t));
    j["zones"] = Json::array();
    for (const auto &z : p->zones)
      j["zones"].push_back(to_json(z));
    j["tables"] = Json::array();
    for (const auto &t : p->tables)
      j["tables"].push_back(
          Json{{"id", t.id}, {"section", t.section}, {"title", t.title}, {"rows", t.rows.size()}});
    Json rule_counts = Json::object();
    for (const auto &r : p->rules)
      rule_counts[r.type] = rule_counts.value(r.type, 0) + 1;
    j["rules_by_type"] = rule_counts;
    return Json{{"type", "plan"}, {"plan", j}};
  }
  if (auto slash = id.find('/'); slash != std::string::npos) {
    std::string plan_id = id.substr(0, slash), rest = id.substr(slash + 1);
    for (const auto &z : query_zones(plan_id))
      if (z.id == rest) return Json{{"type", "zone"}, {"zone", to_json(z)}};
    if (auto p = plan(plan_id)) {
      for (const auto &t : p->targets)
        if (t.id == rest) return Json{{"type", "target"}, {"target", to_json(t)}};
      for (const auto &r : p->rules)
        if (r.id == rest) return Json{{"type", "rule"}, {"rule", to_json(r)}};
      for (const auto &t : p->tables)
        if (t.id == rest) return Json{{"type", "table"}, {"table", to_json(t)}};
      for (const auto &s : p->statistics)
        if (s.id == rest) return Json{{"type", "statistic"}, {"statistic", to_json(s)}};
    }
  }
  if (auto hist = right_history(id); !hist.empty()) {
    Json versions = Json::array();
    for (const auto &r : hist)
      versions.push_back(to_json(r));
    return Json{{"type", "right"}, {"right", versions.back()}, {"versions", versions}};
  }
  if (auto ms = query_mines("mine_uid = ?1", {id}); !ms.empty()) {
    Json versions = Json::array();
    for (const auto &m : ms)
      versions.push_back(to_json(m));
    return Json{{"type", "mine"}, {"mine", versions.back()}, {"versions", versions}};
  }
  for (const auto &d : divisions())
    if (d.code == id) return Json{{"type", "division"}, {"division", to_json(d)}};
  for (const auto &m : minerals()) {
    bool hit = m.name == id;
    for (const auto &a : m.aliases)
      hit |= a == id;
    if (hit) return Json{{"type", "mineral"}, {"mineral", to_json(m)}};
  }
  return nullptr;
}

std::int64_t SqlStore::record_review(const ReviewRecord &r) {
  Transaction tx(db_);
  db_.prepare("INSERT INTO reviews (at, who, input_hash, verdict, application, plan_versions, "
              "result) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)")
      .bind(1, r.at.empty() ? now_utc_iso() : r.at)
      .bind(2, r.who.empty() ? std::string("cli") : r.who)
      .bind(3, r.input_hash)
      .bind(4, r.verdict)
      .bind(5, r.application.dump())
      .bind(6, r.plan_versions.dump())
      .bind(7, r.result.dump())
      .run();
  std::int64_t id = db_.last_insert_id();
  append_audit("review.record", "reviews/" + std::to_string(id), nullptr,
               Json{{"input_hash", r.input_hash},
                    {"verdict", r.verdict},
                    {"plan_versions", r.plan_versions}});
  tx.commit();
  return id;
}

std::optional<ReviewRecord> SqlStore::review_record(std::int64_t id) {
  auto st = db_.prepare("SELECT fid, at, who, input_hash, verdict, application, plan_versions, "
                        "result FROM reviews WHERE fid = ?1");
  st.bind(1, id);
  if (!st.step()) return std::nullopt;
  ReviewRecord r;
  r.id = st.int64(0);
  r.at = st.text(1);
  r.who = st.text(2);
  r.input_hash = st.text(3);
  r.verdict = st.text(4);
  r.application = parse_json_text(st.text(5), "reviews");
  r.plan_versions = parse_json_text(st.text(6), "reviews");
  r.result = parse_json_text(st.text(7), "reviews");
  return r;
}

std::vector<ReviewRecord> SqlStore::review_records(const std::string &who, int limit) {
  std::vector<ReviewRecord> out;
  auto st = db_.prepare("SELECT fid FROM reviews WHERE ?1 = '' OR who = ?1 ORDER BY fid DESC "
                        "LIMIT ?2");
  st.bind(1, who).bind(2, limit);
  std::vector<std::int64_t> ids;
  while (st.step())
    ids.push_back(st.int64(0));
  for (auto id : ids)
    if (auto r = review_record(id)) out.push_back(std::move(*r));
  return out;
}

void SqlStore::update_right(const Right &updated, const std::string &effective) {
  Transaction tx(db_);
  auto current = query_rights("right_uid = ?1 AND version_to IS NULL", {updated.uid});
  if (current.empty())
    throw InputError("right", 0, "uid", "no current right '" + updated.uid + "'");
  if (effective < current.front().version_from)
    throw InputError("right", 0, "effective",
                     "the change takes effect on " + effective +
                         ", before the current version began (" + current.front().version_from +
                         ")");
  Right next = updated;
  next.version_from.clear();
  next.version_to.clear();
  auto s = write_rights({next}, effective);
  if (s.changed == 0) throw InputError("right", 0, "", "nothing changed");
  after_spatial_write();
  append_audit("right.update", "rights/" + updated.uid, to_json(current.front()), to_json(next));
  tx.commit();
}

} // namespace mineplan::store::sql
