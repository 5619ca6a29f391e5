#pragma once
// Shared helpers of the use-case tests (src/service): a seeded store with synthetic mines
// (registry_support.hpp), actors, the store's division tree as places, and a store that counts
// how often the whole register is read.
#include "registry_support.hpp"
#include "service/actor.hpp"

#include <memory>

namespace service_test {

using mineplan::Json;
namespace service = mineplan::service;
namespace store = mineplan::store;

inline service::Actor staff(const std::string &jurisdiction,
                            const std::string &role = "county_staff",
                            const std::string &username = "staff") {
  service::Actor a;
  a.username = username;
  a.role = role;
  a.jurisdiction = jurisdiction;
  return a;
}

inline service::Actor holder(std::vector<std::string> licences) {
  service::Actor a;
  a.username = "holder";
  a.role = "holder";
  a.holder = "甲公司";
  a.licences = std::move(licences);
  return a;
}

// Forwards every call to a store and counts the reads of the whole register.
class CountingStore : public store::Store {
public:
  explicit CountingStore(store::Store &s) : s_(s) {}
  int register_reads = 0; // rights() or mines() of the current register

  std::string location() const override { return s_.location(); }
  int schema_version() override { return s_.schema_version(); }
  bool read_only() const override { return s_.read_only(); }
  void in_transaction(const std::function<void()> &fn) override { s_.in_transaction(fn); }
  void load_catalogue(const mineplan::Catalogue &c) override { s_.load_catalogue(c); }
  std::vector<store::PlanSummary> plan_summaries() override { return s_.plan_summaries(); }
  std::optional<mineplan::PlanData> plan(const std::string &id) override { return s_.plan(id); }
  std::vector<mineplan::Division> divisions() override { return s_.divisions(); }
  std::vector<mineplan::Mineral> minerals() override { return s_.minerals(); }
  store::ImportSummary import_zones(const std::vector<mineplan::Zone> &z,
                                    const std::string &source) override {
    return s_.import_zones(z, source);
  }
  std::vector<store::LayerInfo> layers() override { return s_.layers(); }
  void for_each_feature(const std::string &layer,
                        const std::function<void(const store::Feature &)> &fn) override {
    s_.for_each_feature(layer, fn);
  }
  Json show(const std::string &id) override { return s_.show(id); }
  store::ImportSummary import_rights(const std::vector<mineplan::Right> &r, const std::string &e,
                                     const std::string &source) override {
    return s_.import_rights(r, e, source);
  }
  store::ImportSummary import_mines(const std::vector<mineplan::Mine> &m, const std::string &e,
                                    const std::string &source) override {
    return s_.import_mines(m, e, source);
  }
  void update_right(const mineplan::Right &r, const std::string &e) override {
    s_.update_right(r, e);
  }
  void update_mine(const mineplan::Mine &m, const std::string &e) override { s_.update_mine(m, e); }
  std::vector<mineplan::Right> rights(const store::AsOf &a) override {
    register_reads += a.date.empty();
    return s_.rights(a);
  }
  std::vector<mineplan::Right> right_history(const std::string &uid) override {
    return s_.right_history(uid);
  }
  std::vector<mineplan::Mine> mines(const store::AsOf &a) override {
    register_reads += a.date.empty();
    return s_.mines(a);
  }
  std::int64_t append_registry_event(const store::RegistryEvent &e,
                                     const std::optional<mineplan::Mine> &m) override {
    return s_.append_registry_event(e, m);
  }
  std::vector<store::RegistryEvent> registry_events(const std::string &r,
                                                    const std::string &subject) override {
    return s_.registry_events(r, subject);
  }
  std::int64_t record_review(const store::ReviewRecord &r) override { return s_.record_review(r); }
  std::optional<store::ReviewRecord> review_record(std::int64_t id) override {
    return s_.review_record(id);
  }
  std::vector<store::ReviewRecord> review_records(const std::string &who, int limit) override {
    return s_.review_records(who, limit);
  }
  void set_actor(const store::Actor &a) override { s_.set_actor(a); }
  void audit(const std::string &action, const std::string &target, const Json &before,
             const Json &after) override {
    s_.audit(action, target, before, after);
  }
  std::vector<store::AuditEntry> audit_entries(std::int64_t after_id, int limit) override {
    return s_.audit_entries(after_id, limit);
  }
  store::AuditCheck verify_audit() override { return s_.verify_audit(); }
  std::int64_t add_account(const store::Account &a) override { return s_.add_account(a); }
  std::optional<store::Account> account(const std::string &u) override { return s_.account(u); }
  std::vector<store::Account> accounts() override { return s_.accounts(); }
  bool link_licence(const std::string &u, const std::string &l) override {
    return s_.link_licence(u, l);
  }
  bool unlink_licence(const std::string &u, const std::string &l) override {
    return s_.unlink_licence(u, l);
  }
  void add_session(const store::SessionRecord &s) override { s_.add_session(s); }
  std::optional<store::SessionRecord> session(const std::string &t) override {
    return s_.session(t);
  }
  void remove_session(const std::string &t) override { s_.remove_session(t); }
  std::int64_t add_notice(const store::Notice &n) override { return s_.add_notice(n); }
  std::vector<store::Notice> notices(int limit) override { return s_.notices(limit); }
  std::int64_t add_reported_value(const store::ReportedValue &v) override {
    return s_.add_reported_value(v);
  }
  std::vector<store::ReportedValue> reported_values(const std::string &plan_id) override {
    return s_.reported_values(plan_id);
  }

private:
  store::Store &s_;
};

// The audit rows whose action is `action`.
inline int audit_rows(store::Store &st, const std::string &action) {
  int n = 0;
  for (const auto &e : st.audit_entries(0, 100000))
    n += e.action == action;
  return n;
}

} // namespace service_test
