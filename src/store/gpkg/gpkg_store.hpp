#pragma once
#include "store/sqlite.hpp"
#include "store/store.hpp"

namespace mineplan::store::gpkg {

// The embedded store: one SQLite file that is a valid OGC GeoPackage 1.3 with R-tree indexes,
// WAL journaling, and every write in one transaction.
class GpkgStore final : public Store {
public:
  GpkgStore(const std::string &path, bool create);

  std::string location() const override { return db_.path(); }
  int schema_version() override;
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

  void set_actor(const Actor &actor) override { actor_ = actor; }
  void audit(const std::string &action, const std::string &target, const Json &before,
             const Json &after) override;
  std::vector<AuditEntry> audit_entries(std::int64_t after_id, int limit) override;
  AuditCheck verify_audit() override;
  std::int64_t add_account(const Account &account) override;
  std::optional<Account> account(const std::string &username) override;
  std::vector<Account> accounts() override;
  void add_session(const SessionRecord &session) override;
  std::optional<SessionRecord> session(const std::string &token_hash) override;
  void remove_session(const std::string &token_hash) override;
  std::int64_t add_notice(const Notice &notice) override;
  std::vector<Notice> notices(int limit) override;
  std::int64_t add_reported_value(const ReportedValue &value) override;
  std::vector<ReportedValue> reported_values(const std::string &plan_id) override;

  Database &database() { return db_; }

private:
  void migrate();
  void register_layers();
  void update_extents();
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

  // Appends the audit row inside the caller's transaction.
  void append_audit(const std::string &action, const std::string &target, const Json &before,
                    const Json &after);

  Database db_;
  Actor actor_;
};

} // namespace mineplan::store::gpkg
