#pragma once
// The store written once over store/sql/connection.hpp: every read and write of the Store
// interface, each write one transaction with its audit row. The GeoPackage store (store/gpkg)
// and the PostgreSQL/PostGIS store (store/postgis) supply the connection, their schema
// migrations, and what their format adds (GeoPackage metadata, R-trees, extents).
#include "store/sql/connection.hpp"
#include "store/store.hpp"

#include <map>
#include <string_view>
#include <vector>

namespace mineplan::store::sql {

// A schema migration: runs once, inside a transaction, recorded in mineplan_migrations.
// Both stores number their migrations alike, so schema_version() means the same in each.
struct Migration {
  int version;
  std::string_view description;
  std::string_view sql;
};

// Feature tables with a geometry column `geom` (MultiPolygon, EPSG:4490).
struct Layer {
  std::string_view table;
  std::string_view title;
};
const std::vector<Layer> &spatial_layers();
// Attribute-only tables shown as layers (accounts and sessions are not: they hold password
// hashes and session tokens).
const std::vector<Layer> &attribute_layers();
// Layers whose rows are versions ([version_from, version_to)).
bool is_versioned(std::string_view table);

struct CopySummary {
  std::map<std::string, std::int64_t> rows; // by table
};

class SqlStore : public Store {
public:
  std::string location() const override { return db_.location(); }
  int schema_version() override;
  bool read_only() const override { return db_.read_only(); }
  void load_catalogue(const Catalogue &catalogue) override;
  std::vector<PlanSummary> plan_summaries() override;
  std::optional<PlanData> plan(const std::string &id) override;
  std::vector<Division> divisions() override;
  std::vector<Mineral> minerals() override;
  ImportSummary import_rights(const std::vector<Right> &rights, const std::string &effective,
                              const std::string &source) override;
  ImportSummary import_mines(const std::vector<Mine> &mines, const std::string &effective,
                             const std::string &source) override;
  ImportSummary import_zones(const std::vector<Zone> &zones, const std::string &source) override;
  std::vector<Right> rights(const AsOf &as_of) override;
  std::vector<Right> right_history(const std::string &uid) override;
  std::vector<Mine> mines(const AsOf &as_of) override;
  std::vector<LayerInfo> layers() override;
  void for_each_feature(const std::string &layer,
                        const std::function<void(const Feature &)> &fn) override;
  Json show(const std::string &id) override;
  std::int64_t record_review(const ReviewRecord &record) override;
  std::optional<ReviewRecord> review_record(std::int64_t id) override;
  std::vector<ReviewRecord> review_records(const std::string &who, int limit) override;
  void update_right(const Right &updated, const std::string &effective) override;
  void update_mine(const Mine &updated, const std::string &effective) override;
  std::int64_t append_registry_event(const RegistryEvent &e,
                                     const std::optional<Mine> &mine_change) override;
  std::vector<RegistryEvent> registry_events(const std::string &registry,
                                             const std::string &subject) override;
  void in_transaction(const std::function<void()> &fn) override;

  void set_actor(const Actor &actor) override { actor_ = actor; }
  void audit(const std::string &action, const std::string &target, const Json &before,
             const Json &after) override;
  std::vector<AuditEntry> audit_entries(std::int64_t after_id, int limit) override;
  AuditCheck verify_audit() override;
  std::int64_t add_account(const Account &account) override;
  std::optional<Account> account(const std::string &username) override;
  std::vector<Account> accounts() override;
  bool link_licence(const std::string &username, const std::string &licence_no) override;
  bool unlink_licence(const std::string &username, const std::string &licence_no) override;
  void add_session(const SessionRecord &session) override;
  std::optional<SessionRecord> session(const std::string &token_hash) override;
  void remove_session(const std::string &token_hash) override;
  std::int64_t add_notice(const Notice &notice) override;
  std::vector<Notice> notices(int limit) override;
  std::int64_t add_reported_value(const ReportedValue &value) override;
  std::vector<ReportedValue> reported_values(const std::string &plan_id) override;

  Connection &connection() { return db_; }

  // Copies every row of `source` (a store of either kind, same schema version) into this
  // store, which must be new and empty: ids, versions, reviews, accounts, sessions, registry
  // events, reported values and the audit log with its hash chain, in one transaction, then
  // appends a `store.copy` audit row naming the source.
  CopySummary copy_from(SqlStore &source);

protected:
  explicit SqlStore(std::unique_ptr<Connection> connection);

  // Runs the migrations not yet applied; the derived constructor calls it.
  void migrate();
  // For an existing store, before anything is written to it: refuses (StoreError) what is not
  // a mineplan store (naming the tables missing), a store of a newer mineplan, and an older
  // one on a read-only connection; migrates an older one otherwise.
  void open_existing();
  // The refusals of open_existing(), writing nothing; true when migrations are due.
  bool check_existing();
  virtual bool has_table(const std::string &name) = 0;
  virtual const std::vector<Migration> &migrations() const = 0;
  // Inside the migration's transaction, after its SQL.
  virtual void after_migration(int /*version*/) {}
  // Inside the transaction of a write that changed a spatial layer.
  virtual void after_spatial_write() {}
  // Inside copy_from's transaction, after rows arrived with their ids.
  virtual void after_copy(const std::vector<std::string> & /*tables*/) {}

private:
  void write_plan(const PlanData &plan);
  ImportSummary write_rights(const std::vector<Right> &rights, const std::string &effective);
  ImportSummary write_mines(const std::vector<Mine> &mines, const std::string &effective);
  ImportSummary write_zones(const std::vector<Zone> &zones);
  void log_import(const std::string &source, const std::string &layer, const ImportSummary &s);
  std::vector<Right> query_rights(const std::string &where, const std::vector<std::string> &args);
  std::vector<Mine> query_mines(const std::string &where, const std::vector<std::string> &args);
  std::vector<Zone> query_zones(const std::string &plan_id);

  // Writes a mine's new version inside the caller's transaction (closure-gated), audited.
  void write_mine_change(const Mine &updated, const std::string &effective);

  // Inserts one link of a holder's account inside the caller's transaction, audited; false
  // when it is there already.
  bool write_link(const Account &account, const std::string &licence_no);
  std::vector<std::string> licences_of(const std::string &username);

  // Appends the audit row inside the caller's transaction.
  void append_audit(const std::string &action, const std::string &target, const Json &before,
                    const Json &after);

  std::unique_ptr<Connection> connection_;

protected:
  Connection &db_;

private:
  Actor actor_;
};

} // namespace mineplan::store::sql
