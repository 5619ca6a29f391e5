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

  Database db_;
};

} // namespace mineplan::store::gpkg
