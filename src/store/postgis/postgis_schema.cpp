// The PostgreSQL/PostGIS schema: the GeoPackage store's tables, column for column and in the
// same order (SELECT * and lossless copies rely on it), in PostgreSQL types, with GiST indexes
// and the append-only rules as triggers. Numbered as the GeoPackage migrations are.
#include "store/postgis/postgis_store.hpp"

namespace mineplan::store::postgis {
namespace {

// A trigger function refusing UPDATE and DELETE (and TRUNCATE) with the table's message.
constexpr std::string_view kMigration1 = R"SQL(
CREATE OR REPLACE FUNCTION mineplan_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'restrict_violation';
END $$;

CREATE TABLE divisions (
  fid bigserial PRIMARY KEY, geom geometry(MultiPolygon, 4490),
  code text NOT NULL UNIQUE, name text NOT NULL, level text NOT NULL, parent text);
CREATE TABLE minerals (
  fid bigserial PRIMARY KEY, name text NOT NULL UNIQUE, aliases text,
  category text NOT NULL, scale_unit text NOT NULL, exploration_risk text NOT NULL,
  cite_seed text, cite_section text, cite_quote text);
CREATE TABLE plans (
  fid bigserial PRIMARY KEY, plan_id text NOT NULL UNIQUE, title text NOT NULL,
  type text NOT NULL, level text NOT NULL, jurisdiction text NOT NULL, parent text,
  base_year bigint NOT NULL, period_start bigint NOT NULL, period_end bigint NOT NULL,
  outlook_year bigint, issued text, in_force_from text NOT NULL, in_force_to text NOT NULL,
  seed text NOT NULL, notes text, cite_seed text, cite_section text, cite_quote text);
CREATE TABLE zones (
  fid bigserial PRIMARY KEY, geom geometry(MultiPolygon, 4490),
  plan_id text NOT NULL, zone_id text NOT NULL, kind text NOT NULL, code text, name text NOT NULL,
  minerals text, area_value double precision, area_unit text, official_area_km2 double precision,
  geometry_source text, attributes text, cite_seed text, cite_section text, cite_quote text,
  UNIQUE (plan_id, zone_id));
CREATE TABLE targets (
  fid bigserial PRIMARY KEY, plan_id text NOT NULL, target_id text NOT NULL,
  name text NOT NULL, grp text, kind text NOT NULL, comparator text NOT NULL, unit text NOT NULL,
  mineral text, base_value double precision, base_year bigint, target_value double precision,
  target_min double precision, target_max double precision, target_year bigint,
  outlook_value double precision, outlook_year bigint, milestones text,
  cite_seed text, cite_section text, cite_quote text, UNIQUE (plan_id, target_id));
CREATE TABLE rules (
  fid bigserial PRIMARY KEY, plan_id text NOT NULL, rule_id text NOT NULL,
  type text NOT NULL, text text, body text NOT NULL,
  cite_seed text, cite_section text, cite_quote text, UNIQUE (plan_id, rule_id));
CREATE TABLE seed_tables (
  fid bigserial PRIMARY KEY, plan_id text NOT NULL, table_id text NOT NULL,
  section text NOT NULL, title text NOT NULL, columns text NOT NULL, rows text NOT NULL, notes text,
  cite_seed text, cite_section text, cite_quote text, UNIQUE (plan_id, table_id));
CREATE TABLE statistics (
  fid bigserial PRIMARY KEY, plan_id text NOT NULL, stat_id text NOT NULL,
  name text NOT NULL, value double precision NOT NULL, unit text NOT NULL, as_of text,
  mineral text, dimension text, cite_seed text, cite_section text, cite_quote text,
  UNIQUE (plan_id, stat_id));
CREATE TABLE rights (
  fid bigserial PRIMARY KEY, geom geometry(MultiPolygon, 4490),
  right_uid text NOT NULL, licence_no text, kind text NOT NULL, name text, holder text,
  minerals text, area_value double precision, area_unit text, official_area_km2 double precision,
  scale_value double precision, scale_unit text, scale_class text, method text, status text,
  valid_from text, valid_to text, jurisdiction text, attributes text, source text,
  cite_seed text, cite_section text, cite_quote text,
  version_from text NOT NULL, version_to text, fingerprint text NOT NULL,
  UNIQUE (right_uid, version_from));
CREATE INDEX rights_current ON rights (right_uid, version_to);
CREATE TABLE mines (
  fid bigserial PRIMARY KEY, geom geometry(MultiPolygon, 4490),
  mine_uid text NOT NULL, name text NOT NULL, holder text, licence_no text, minerals text,
  scale_value double precision, scale_unit text, scale_class text, method text, status text,
  jurisdiction text, green_level text, green_year bigint, attributes text, source text,
  cite_seed text, cite_section text, cite_quote text,
  version_from text NOT NULL, version_to text, fingerprint text NOT NULL,
  UNIQUE (mine_uid, version_from));
CREATE INDEX mines_current ON mines (mine_uid, version_to);
CREATE TABLE imports (
  fid bigserial PRIMARY KEY, at text NOT NULL, source text NOT NULL, layer text NOT NULL,
  inserted bigint NOT NULL, changed bigint NOT NULL, unchanged bigint NOT NULL);
CREATE INDEX divisions_geom ON divisions USING gist (geom);
CREATE INDEX zones_geom ON zones USING gist (geom);
CREATE INDEX rights_geom ON rights USING gist (geom);
CREATE INDEX mines_geom ON mines USING gist (geom);
)SQL";

constexpr std::string_view kMigration2 = R"SQL(
CREATE TABLE reviews (
  fid bigserial PRIMARY KEY, at text NOT NULL, who text NOT NULL,
  input_hash text NOT NULL, verdict text NOT NULL, application text NOT NULL,
  plan_versions text NOT NULL, result text NOT NULL);
CREATE INDEX reviews_hash ON reviews (input_hash);
CREATE TRIGGER reviews_append_only BEFORE UPDATE OR DELETE ON reviews
FOR EACH ROW EXECUTE FUNCTION mineplan_append_only('reviews are append-only');
CREATE TRIGGER reviews_no_truncate BEFORE TRUNCATE ON reviews
FOR EACH STATEMENT EXECUTE FUNCTION mineplan_append_only('reviews are append-only');
)SQL";

constexpr std::string_view kMigration3 = R"SQL(
ALTER TABLE minerals ADD COLUMN members text;
)SQL";

constexpr std::string_view kMigration4 = R"SQL(
CREATE TABLE accounts (
  fid bigserial PRIMARY KEY, username text NOT NULL UNIQUE,
  display_name text NOT NULL,
  role text NOT NULL CHECK (role IN ('region_staff', 'league_staff', 'county_staff', 'reviewer',
                                     'holder')),
  jurisdiction text NOT NULL, holder text, password_hash text NOT NULL,
  created_at text NOT NULL, active bigint NOT NULL DEFAULT 1);
CREATE TABLE sessions (
  token_hash text PRIMARY KEY, username text NOT NULL REFERENCES accounts (username),
  csrf text NOT NULL, created_at text NOT NULL, expires_at text NOT NULL);
CREATE TABLE notices (
  fid bigserial PRIMARY KEY, at text NOT NULL, who text NOT NULL,
  jurisdiction text NOT NULL, title text NOT NULL, body text NOT NULL);
CREATE TABLE audit_log (
  fid bigserial PRIMARY KEY, at text NOT NULL, who text NOT NULL, role text NOT NULL,
  action text NOT NULL, target text NOT NULL, before text, after text,
  prev_hash text NOT NULL, hash text NOT NULL);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
FOR EACH ROW EXECUTE FUNCTION mineplan_append_only('the audit log is append-only');
CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
FOR EACH STATEMENT EXECUTE FUNCTION mineplan_append_only('the audit log is append-only');
)SQL";

constexpr std::string_view kMigration5 = R"SQL(
ALTER TABLE targets ADD COLUMN measure text;
ALTER TABLE seed_tables ADD COLUMN register text;
CREATE TABLE reported_values (
  fid bigserial PRIMARY KEY, plan_id text NOT NULL, target_id text NOT NULL,
  value double precision NOT NULL, unit text NOT NULL, as_of text NOT NULL, who text NOT NULL,
  source text NOT NULL, note text, recorded_at text NOT NULL);
CREATE INDEX reported_values_target ON reported_values (plan_id, target_id, as_of);
CREATE TRIGGER reported_values_append_only BEFORE UPDATE OR DELETE ON reported_values
FOR EACH ROW EXECUTE FUNCTION mineplan_append_only('reported values are append-only');
CREATE TRIGGER reported_values_no_truncate BEFORE TRUNCATE ON reported_values
FOR EACH STATEMENT EXECUTE FUNCTION mineplan_append_only('reported values are append-only');
)SQL";

constexpr std::string_view kMigration6 = R"SQL(
CREATE TABLE registry_events (
  fid bigserial PRIMARY KEY, registry text NOT NULL, subject text NOT NULL,
  event text NOT NULL, from_state text NOT NULL, to_state text NOT NULL, on_date text NOT NULL,
  who text NOT NULL, role text NOT NULL, data text NOT NULL, recorded_at text NOT NULL);
CREATE INDEX registry_events_subject ON registry_events (registry, subject, fid);
CREATE TRIGGER registry_events_append_only BEFORE UPDATE OR DELETE ON registry_events
FOR EACH ROW EXECUTE FUNCTION mineplan_append_only('registry events are append-only');
CREATE TRIGGER registry_events_no_truncate BEFORE TRUNCATE ON registry_events
FOR EACH STATEMENT EXECUTE FUNCTION mineplan_append_only('registry events are append-only');
)SQL";

constexpr std::string_view kMigration7 = R"SQL(
CREATE TABLE account_licences (
  fid bigserial PRIMARY KEY,
  username text NOT NULL REFERENCES accounts (username), licence_no text NOT NULL,
  linked_at text NOT NULL, linked_by text NOT NULL, UNIQUE (username, licence_no));
CREATE INDEX account_licences_licence ON account_licences (licence_no);
)SQL";

constexpr std::string_view kMigration8 = R"SQL(
CREATE TABLE audit_heads (
  fid bigserial PRIMARY KEY, log_id text NOT NULL, tree_size bigint NOT NULL,
  root_hash text NOT NULL, signed_at text NOT NULL, algorithm text NOT NULL,
  public_key text NOT NULL, signature text NOT NULL, recorded_at text NOT NULL);
CREATE TRIGGER audit_heads_append_only BEFORE UPDATE OR DELETE ON audit_heads
FOR EACH ROW EXECUTE FUNCTION mineplan_append_only('published audit heads are append-only');
CREATE TRIGGER audit_heads_no_truncate BEFORE TRUNCATE ON audit_heads
FOR EACH STATEMENT EXECUTE FUNCTION mineplan_append_only('published audit heads are append-only');
)SQL";

} // namespace

const std::vector<sql::Migration> &postgis_migrations() {
  static const std::vector<sql::Migration> all{
      {1, "CGCS2000 plan database tables, GiST indexes", kMigration1},
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

} // namespace mineplan::store::postgis
