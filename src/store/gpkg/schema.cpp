#include "store/gpkg/schema.hpp"

namespace mineplan::store::gpkg {

// GeoPackage 1.3 core tables, the CGCS2000 SRS, and the mineplan tables.
static constexpr std::string_view kMigration1 = R"SQL(
CREATE TABLE IF NOT EXISTS gpkg_spatial_ref_sys (
  srs_name TEXT NOT NULL, srs_id INTEGER NOT NULL PRIMARY KEY, organization TEXT NOT NULL,
  organization_coordsys_id INTEGER NOT NULL, definition TEXT NOT NULL, description TEXT);
INSERT OR IGNORE INTO gpkg_spatial_ref_sys VALUES
 ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
 ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
 ('WGS 84 geodetic', 4326, 'EPSG', 4326,
  'GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563,AUTHORITY["EPSG","7030"]],AUTHORITY["EPSG","6326"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4326"]]',
  'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid'),
 ('China Geodetic Coordinate System 2000', 4490, 'EPSG', 4490,
  'GEOGCS["China Geodetic Coordinate System 2000",DATUM["China_2000",SPHEROID["CGCS2000",6378137,298.257222101,AUTHORITY["EPSG","1024"]],AUTHORITY["EPSG","1043"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AXIS["Latitude",NORTH],AXIS["Longitude",EAST],AUTHORITY["EPSG","4490"]]',
  '2000国家大地坐标系 (CGCS2000) geographic; stored x = longitude, y = latitude');
CREATE TABLE IF NOT EXISTS gpkg_contents (
  table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL, identifier TEXT UNIQUE,
  description TEXT DEFAULT '', last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
  min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
  CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
CREATE TABLE IF NOT EXISTS gpkg_geometry_columns (
  table_name TEXT NOT NULL, column_name TEXT NOT NULL, geometry_type_name TEXT NOT NULL,
  srs_id INTEGER NOT NULL, z TINYINT NOT NULL, m TINYINT NOT NULL,
  CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
  CONSTRAINT uk_gc_table_name UNIQUE (table_name),
  CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
  CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));
CREATE TABLE IF NOT EXISTS gpkg_extensions (
  table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL,
  scope TEXT NOT NULL, CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name));

CREATE TABLE divisions (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
  code TEXT NOT NULL UNIQUE, name TEXT NOT NULL, level TEXT NOT NULL, parent TEXT);
CREATE TABLE minerals (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT NOT NULL UNIQUE, aliases TEXT,
  category TEXT NOT NULL, scale_unit TEXT NOT NULL, exploration_risk TEXT NOT NULL,
  cite_seed TEXT, cite_section TEXT, cite_quote TEXT);
CREATE TABLE plans (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL UNIQUE, title TEXT NOT NULL,
  type TEXT NOT NULL, level TEXT NOT NULL, jurisdiction TEXT NOT NULL, parent TEXT,
  base_year INTEGER NOT NULL, period_start INTEGER NOT NULL, period_end INTEGER NOT NULL,
  outlook_year INTEGER, issued TEXT, in_force_from TEXT NOT NULL, in_force_to TEXT NOT NULL,
  seed TEXT NOT NULL, notes TEXT, cite_seed TEXT, cite_section TEXT, cite_quote TEXT);
CREATE TABLE zones (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
  plan_id TEXT NOT NULL, zone_id TEXT NOT NULL, kind TEXT NOT NULL, code TEXT, name TEXT NOT NULL,
  minerals TEXT, area_value REAL, area_unit TEXT, official_area_km2 REAL, geometry_source TEXT,
  attributes TEXT, cite_seed TEXT, cite_section TEXT, cite_quote TEXT,
  UNIQUE (plan_id, zone_id));
CREATE TABLE targets (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, target_id TEXT NOT NULL,
  name TEXT NOT NULL, grp TEXT, kind TEXT NOT NULL, comparator TEXT NOT NULL, unit TEXT NOT NULL,
  mineral TEXT, base_value REAL, base_year INTEGER, target_value REAL, target_min REAL,
  target_max REAL, target_year INTEGER, outlook_value REAL, outlook_year INTEGER, milestones TEXT,
  cite_seed TEXT, cite_section TEXT, cite_quote TEXT, UNIQUE (plan_id, target_id));
CREATE TABLE rules (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, rule_id TEXT NOT NULL,
  type TEXT NOT NULL, text TEXT, body TEXT NOT NULL,
  cite_seed TEXT, cite_section TEXT, cite_quote TEXT, UNIQUE (plan_id, rule_id));
CREATE TABLE seed_tables (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, table_id TEXT NOT NULL,
  section TEXT NOT NULL, title TEXT NOT NULL, columns TEXT NOT NULL, rows TEXT NOT NULL, notes TEXT,
  cite_seed TEXT, cite_section TEXT, cite_quote TEXT, UNIQUE (plan_id, table_id));
CREATE TABLE statistics (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, stat_id TEXT NOT NULL,
  name TEXT NOT NULL, value REAL NOT NULL, unit TEXT NOT NULL, as_of TEXT, mineral TEXT,
  dimension TEXT, cite_seed TEXT, cite_section TEXT, cite_quote TEXT, UNIQUE (plan_id, stat_id));
CREATE TABLE rights (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
  right_uid TEXT NOT NULL, licence_no TEXT, kind TEXT NOT NULL, name TEXT, holder TEXT,
  minerals TEXT, area_value REAL, area_unit TEXT, official_area_km2 REAL,
  scale_value REAL, scale_unit TEXT, scale_class TEXT, method TEXT, status TEXT,
  valid_from TEXT, valid_to TEXT, jurisdiction TEXT, attributes TEXT, source TEXT,
  cite_seed TEXT, cite_section TEXT, cite_quote TEXT,
  version_from TEXT NOT NULL, version_to TEXT, fingerprint TEXT NOT NULL,
  UNIQUE (right_uid, version_from));
CREATE INDEX rights_current ON rights (right_uid, version_to);
CREATE TABLE mines (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, geom MULTIPOLYGON,
  mine_uid TEXT NOT NULL, name TEXT NOT NULL, holder TEXT, licence_no TEXT, minerals TEXT,
  scale_value REAL, scale_unit TEXT, scale_class TEXT, method TEXT, status TEXT, jurisdiction TEXT,
  green_level TEXT, green_year INTEGER, attributes TEXT, source TEXT,
  cite_seed TEXT, cite_section TEXT, cite_quote TEXT,
  version_from TEXT NOT NULL, version_to TEXT, fingerprint TEXT NOT NULL,
  UNIQUE (mine_uid, version_from));
CREATE INDEX mines_current ON mines (mine_uid, version_to);
CREATE TABLE imports (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, source TEXT NOT NULL, layer TEXT NOT NULL,
  inserted INTEGER NOT NULL, changed INTEGER NOT NULL, unchanged INTEGER NOT NULL);
)SQL";

// Plan-conformance reviews; triggers keep the record append-only.
static constexpr std::string_view kMigration2 = R"SQL(
CREATE TABLE reviews (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
  input_hash TEXT NOT NULL, verdict TEXT NOT NULL, application TEXT NOT NULL,
  plan_versions TEXT NOT NULL, result TEXT NOT NULL);
CREATE INDEX reviews_hash ON reviews (input_hash);
CREATE TRIGGER reviews_no_update BEFORE UPDATE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
CREATE TRIGGER reviews_no_delete BEFORE DELETE ON reviews
BEGIN SELECT RAISE(ABORT, 'reviews are append-only'); END;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
VALUES ('reviews', 'attributes', 'reviews', '规划审查记录');
)SQL";

// Mineral groups (砂石, 稀有金属 …) list the catalogue minerals they cover.
static constexpr std::string_view kMigration3 = R"SQL(
ALTER TABLE minerals ADD COLUMN members TEXT;
)SQL";

// Accounts, sessions, notices, and the audit log the store itself keeps append-only.
static constexpr std::string_view kMigration4 = R"SQL(
CREATE TABLE accounts (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL UNIQUE,
  display_name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('region_staff', 'league_staff', 'county_staff', 'reviewer',
                                     'holder')),
  jurisdiction TEXT NOT NULL, holder TEXT, password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL, active INTEGER NOT NULL DEFAULT 1);
CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY, username TEXT NOT NULL REFERENCES accounts (username),
  csrf TEXT NOT NULL, created_at TEXT NOT NULL, expires_at TEXT NOT NULL);
CREATE TABLE notices (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL,
  jurisdiction TEXT NOT NULL, title TEXT NOT NULL, body TEXT NOT NULL);
CREATE TABLE audit_log (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, at TEXT NOT NULL, who TEXT NOT NULL, role TEXT NOT NULL,
  action TEXT NOT NULL, target TEXT NOT NULL, before TEXT, after TEXT,
  prev_hash TEXT NOT NULL, hash TEXT NOT NULL);
CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
VALUES ('accounts', 'attributes', 'accounts', '用户账户'),
       ('notices', 'attributes', 'notices', '公告'),
       ('audit_log', 'attributes', 'audit_log', '操作审计日志');
)SQL";

// Monitoring: indicator definitions travel with targets and seed tables; reported values of
// indicators the register cannot compute are kept append-only, with who, when and the source
// document: the history of a value is its rows.
static constexpr std::string_view kMigration5 = R"SQL(
ALTER TABLE targets ADD COLUMN measure TEXT;
ALTER TABLE seed_tables ADD COLUMN register TEXT;
CREATE TABLE reported_values (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, plan_id TEXT NOT NULL, target_id TEXT NOT NULL,
  value REAL NOT NULL, unit TEXT NOT NULL, as_of TEXT NOT NULL, who TEXT NOT NULL,
  source TEXT NOT NULL, note TEXT, recorded_at TEXT NOT NULL);
CREATE INDEX reported_values_target ON reported_values (plan_id, target_id, as_of);
CREATE TRIGGER reported_values_no_update BEFORE UPDATE ON reported_values
BEGIN SELECT RAISE(ABORT, 'reported values are append-only'); END;
CREATE TRIGGER reported_values_no_delete BEFORE DELETE ON reported_values
BEGIN SELECT RAISE(ABORT, 'reported values are append-only'); END;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
VALUES ('reported_values', 'attributes', 'reported_values', '指标填报值');
)SQL";

// Registries and programs as lifecycles (src/registry): every dated, attributed step of the
// green-mine list, the consolidation program, restoration and annual filings, append-only.
static constexpr std::string_view kMigration6 = R"SQL(
CREATE TABLE registry_events (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, registry TEXT NOT NULL, subject TEXT NOT NULL,
  event TEXT NOT NULL, from_state TEXT NOT NULL, to_state TEXT NOT NULL, on_date TEXT NOT NULL,
  who TEXT NOT NULL, role TEXT NOT NULL, data TEXT NOT NULL, recorded_at TEXT NOT NULL);
CREATE INDEX registry_events_subject ON registry_events (registry, subject, fid);
CREATE TRIGGER registry_events_no_update BEFORE UPDATE ON registry_events
BEGIN SELECT RAISE(ABORT, 'registry events are append-only'); END;
CREATE TRIGGER registry_events_no_delete BEFORE DELETE ON registry_events
BEGIN SELECT RAISE(ABORT, 'registry events are append-only'); END;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
VALUES ('registry_events', 'attributes', 'registry_events', '名录与专项工作台账');
)SQL";

// A holder's account is linked to rights by licence number (许可证号): what a holder may see
// and do follows these links, made and removed by staff of the rights' jurisdiction (audited).
static constexpr std::string_view kMigration7 = R"SQL(
CREATE TABLE account_licences (
  fid INTEGER PRIMARY KEY AUTOINCREMENT,
  username TEXT NOT NULL REFERENCES accounts (username), licence_no TEXT NOT NULL,
  linked_at TEXT NOT NULL, linked_by TEXT NOT NULL, UNIQUE (username, licence_no));
CREATE INDEX account_licences_licence ON account_licences (licence_no);
)SQL";

// Signed tree heads of the audit log (docs/audit.md), published by `mineplan audit --sign`:
// public data only — sizes, roots, times, public keys, signatures; the signing key is never
// here. Append-only: a signed head is never taken back.
static constexpr std::string_view kMigration8 = R"SQL(
CREATE TABLE audit_heads (
  fid INTEGER PRIMARY KEY AUTOINCREMENT, log_id TEXT NOT NULL, tree_size INTEGER NOT NULL,
  root_hash TEXT NOT NULL, signed_at TEXT NOT NULL, algorithm TEXT NOT NULL,
  public_key TEXT NOT NULL, signature TEXT NOT NULL, recorded_at TEXT NOT NULL);
CREATE TRIGGER audit_heads_no_update BEFORE UPDATE ON audit_heads
BEGIN SELECT RAISE(ABORT, 'published audit heads are append-only'); END;
CREATE TRIGGER audit_heads_no_delete BEFORE DELETE ON audit_heads
BEGIN SELECT RAISE(ABORT, 'published audit heads are append-only'); END;
INSERT INTO gpkg_contents (table_name, data_type, identifier, description)
VALUES ('audit_heads', 'attributes', 'audit_heads', '审计日志签名树头');
)SQL";

const std::vector<sql::Migration> &migrations() {
  static const std::vector<sql::Migration> all{
      {1, "GeoPackage core, CGCS2000, plan database tables", kMigration1},
      {2, "plan-conformance review records", kMigration2},
      {3, "mineral group members", kMigration3},
      {4, "accounts, sessions, notices, audit log", kMigration4},
      {5, "indicator definitions, reported indicator values", kMigration5},
      {6, "registry lifecycle events", kMigration6},
      {7, "holder accounts linked to rights by licence number", kMigration7},
      {8, "signed tree heads of the audit log", kMigration8},
  };
  return all;
}

} // namespace mineplan::store::gpkg
