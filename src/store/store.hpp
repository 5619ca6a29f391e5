#pragma once
// The store interface. The embedded store is a GeoPackage file (store/gpkg); the multi-user
// server store (PostgreSQL/PostGIS) implements the same interface.
#include "core/model.hpp"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mineplan::store {

struct PlanSummary {
  Plan plan;
  std::string jurisdiction_name;
  int zones = 0;
  int zones_with_geometry = 0;
  int targets = 0;
  int rules = 0;
  int tables = 0;
  int rights = 0;
  int mines = 0;
  int statistics = 0;
};

// A feature as a row of named values, for generic export and display.
struct Feature {
  Json properties = Json::object();
  std::optional<geo::MultiPolygon> geometry; // CGCS2000 lon/lat
};

struct LayerInfo {
  std::string name;
  std::string title; // Chinese caption
  bool spatial = false;
  std::int64_t count = 0;
};

struct ImportSummary {
  std::int64_t inserted = 0;  // new rights/mines/zones
  std::int64_t changed = 0;   // a new version of an existing one
  std::int64_t unchanged = 0; // identical to the current version
};

// Which version of a right or mine counts: the one valid on `as_of` (ISO date), or the
// current one when empty.
struct AsOf {
  std::string date;
};

// A stored plan-conformance review: what was asked, against which plan versions, and the answer.
// Re-running the application against the same plan versions must give the same result.
struct ReviewRecord {
  std::int64_t id = 0;
  std::string at;         // ISO timestamp (UTC), set by the store
  std::string who;        // user or "cli"
  std::string input_hash; // of the canonical application JSON
  std::string verdict;
  Json application;
  Json plan_versions; // [{"id", "version"}]
  Json result;
};

// A user account of the portal. Roles: region_staff, league_staff, county_staff, reviewer,
// holder. Staff and reviewers act within `jurisdiction` (a division code and everything below
// it); a holder acts on the rights linked to the account by licence number (许可证号) and on
// the mines under those licences, nothing else. `holder` (the 矿业权人 name) is shown, and is
// the name a holder applies in; it grants nothing.
struct Account {
  std::int64_t id = 0;
  std::string username;
  std::string display_name;
  std::string role;
  std::string jurisdiction;
  std::string holder;
  std::vector<std::string> licences; // a holder's linked licence numbers, sorted
  std::string password_hash;         // argon2id, libsodium's encoded form
  std::string created_at;
  bool active = true;
};

struct SessionRecord {
  std::string token_hash; // SHA-256 of the cookie value: a stolen store file holds no token
  std::string username;
  std::string csrf;
  std::string created_at;
  std::string expires_at;
};

// Who is writing. Every write of the store appends an audit row naming them, in the same
// transaction as the write.
struct Actor {
  std::string who = "cli";
  std::string role = "cli";
};

// One row of the append-only audit log. `hash` chains the row to the one before it:
// SHA-256(prev_hash, at, who, role, action, target, before, after).
struct AuditEntry {
  std::int64_t id = 0;
  std::string at;
  std::string who;
  std::string role;
  std::string action; // e.g. review.record, rights.import, right.update, account.add, login
  std::string target;
  Json before; // null when nothing was there
  Json after;
  std::string prev_hash;
  std::string hash;
};

struct AuditCheck {
  bool ok = true;
  std::int64_t rows = 0;
  std::int64_t first_bad = 0; // id of the first row whose hash does not verify
  std::string problem;
};

struct Notice {
  std::int64_t id = 0;
  std::string at;
  std::string who;
  std::string jurisdiction;
  std::string title;
  std::string body;
};

// A value reported for an indicator the register cannot compute (survey km2 completed, the
// technology spending ratio …): who reported it, when, from which document. Append-only: a
// correction is a new row, so the rows of an indicator are its history.
struct ReportedValue {
  std::int64_t id = 0;
  std::string plan_id;
  std::string target_id;
  double value = 0;
  std::string unit;
  std::string as_of; // the date the value describes (ISO)
  std::string who;
  std::string source; // the document it comes from (文号, report title …)
  std::string note;
  std::string recorded_at; // set by the store (UTC timestamp)
};

// One dated, attributed step of a registry lifecycle (green-mine list, consolidation program,
// restoration, annual filings; src/registry, docs/registries.md): the subject (a mine uid, a
// right uid, a draw id …) moved from one state to another by `event`. Append-only.
struct RegistryEvent {
  std::int64_t id = 0;
  std::string registry; // the lifecycle's id, e.g. green-mine
  std::string subject;
  std::string event;
  std::string from_state;
  std::string to_state;
  std::string date; // ISO date the step took place
  std::string who;
  std::string role;
  Json data = Json::object(); // the step's parameters (level, grounds, deadline, amounts …)
  std::string recorded_at;    // set by the store (UTC timestamp)
};

// The registry and state a mine must have reached before Store::update_mine may close it
// (the closure gate: no closure without restoration acceptance).
inline constexpr const char *kClosureGateRegistry = "restoration";
inline constexpr const char *kClosureGateState = "accepted";

// True for a postgresql:// or postgres:// URL (the server store), false for a file path.
bool is_server_location(const std::string &location);

// How a command uses a store (Store::open). Every access but `create` first checks that the
// store is a mineplan store this binary can read — a foreign GeoPackage or schema (without
// mineplan_migrations), or a store of a newer mineplan, is refused with StoreError and left
// exactly as it was.
enum class Access {
  // Reads only: nothing is written, not even a migration (a store of an older mineplan is
  // refused, asking for `mineplan migrate`). A GeoPackage whose directory cannot be written
  // (no -shm can be made) is read as immutable.
  read,
  // Reads and writes; migrations not yet applied are applied. A read-only store is refused.
  write,
  // As write when the store can be written, else as read (the server on read-only media).
  read_or_write,
  // A new store (refusing to overwrite an existing one).
  create,
};

// The store is split by concern, as SqlStore is split in files (store/sql/*.cpp): code that
// needs one concern (the use cases of src/service, above all) takes that interface; `Store`
// holds them all. Every write is one transaction with its audit row unless run inside
// Transactional::in_transaction.

// Runs several writes as one transaction.
class Transactional {
public:
  virtual ~Transactional() = default;
  // Runs `fn` in one transaction: the writes it makes through this store (each its own
  // transaction otherwise) land together or, when fn throws, not at all — e.g. an import and
  // the registry steps it causes. A write inside that fails and is caught undoes only itself.
  virtual void in_transaction(const std::function<void()> &fn) = 0;
};

// The plan catalogue: divisions, minerals, plans with their zones, targets, rules and tables;
// the layers as features; anything by id.
class CatalogueStore {
public:
  virtual ~CatalogueStore() = default;
  // Loads the whole catalogue (divisions, minerals, plans with everything in them) in one
  // transaction; a plan already present is replaced as a whole.
  virtual void load_catalogue(const Catalogue &catalogue) = 0;

  virtual std::vector<PlanSummary> plan_summaries() = 0;
  virtual std::optional<PlanData> plan(const std::string &id) = 0;
  virtual std::vector<Division> divisions() = 0;
  virtual std::vector<Mineral> minerals() = 0;

  // Zones by (plan_id, id): a zone present is updated (geometry arriving with a survey).
  virtual ImportSummary import_zones(const std::vector<Zone> &zones, const std::string &source) = 0;

  virtual std::vector<LayerInfo> layers() = 0;
  // Streams a layer's features (the current versions for versioned layers).
  virtual void for_each_feature(const std::string &layer,
                                const std::function<void(const Feature &)> &fn) = 0;

  // Anything by id: a plan id, "plan/zone", a licence number or right uid, a mine uid,
  // a division code. Null when nothing matches.
  virtual Json show(const std::string &id) = 0;
};

// The register: rights and mines, versioned.
class RegisterStore {
public:
  virtual ~RegisterStore() = default;
  // Rights and mines land in one transaction. A right whose content differs from its current
  // version closes that version on `effective` and starts a new one.
  virtual ImportSummary import_rights(const std::vector<Right> &rights,
                                      const std::string &effective, const std::string &source) = 0;
  virtual ImportSummary import_mines(const std::vector<Mine> &mines, const std::string &effective,
                                     const std::string &source) = 0;

  // One right changed by hand (status, scale …): a new version from `effective`, audited with
  // the version before and after. Throws when the right does not exist.
  virtual void update_right(const Right &updated, const std::string &effective) = 0;

  // One mine changed by hand (status, green level …): a new version from `effective`, audited
  // with the version before and after. Throws when the mine does not exist or nothing changed.
  // The closure gate: a change of status to closed is refused (InputError) unless the mine's
  // restoration has been accepted (a registry event of kClosureGateRegistry reaching
  // kClosureGateState). Ledger imports record the register as found and are not gated.
  virtual void update_mine(const Mine &updated, const std::string &effective) = 0;

  virtual std::vector<Right> rights(const AsOf &as_of) = 0;
  virtual std::vector<Right> right_history(const std::string &uid) = 0;
  virtual std::vector<Mine> mines(const AsOf &as_of) = 0;
};

// The steps of the registry lifecycles (src/registry), append-only.
class RegistryEventStore {
public:
  virtual ~RegistryEventStore() = default;
  // Appends a registry step and its audit row in one transaction, with `mine_change` (a new
  // version of a mine the step makes, effective on the step's date; closure-gated as
  // update_mine) in the same transaction. InputError when the subject's last recorded state is
  // not `e.from_state` (another step came first) or the date is not an ISO date.
  virtual std::int64_t append_registry_event(const RegistryEvent &e,
                                             const std::optional<Mine> &mine_change) = 0;
  // The steps of `registry` in recording order; `subject` empty = every subject's.
  virtual std::vector<RegistryEvent> registry_events(const std::string &registry,
                                                     const std::string &subject) = 0;
};

// Plan-conformance reviews are append-only: recorded once, never updated.
class ReviewStore {
public:
  virtual ~ReviewStore() = default;
  virtual std::int64_t record_review(const ReviewRecord &record) = 0;
  virtual std::optional<ReviewRecord> review_record(std::int64_t id) = 0;
  // Newest first; `who` empty = everyone's.
  virtual std::vector<ReviewRecord> review_records(const std::string &who, int limit) = 0;
};

// The append-only, hash-chained audit log and who the writes are made by.
class AuditLog {
public:
  virtual ~AuditLog() = default;
  // The actor named in the audit rows of this connection's writes from now on.
  virtual void set_actor(const Actor &actor) = 0;
  // Appends an audit row for an event that is not itself a store write (a login, a refusal).
  virtual void audit(const std::string &action, const std::string &target, const Json &before,
                     const Json &after) = 0;
  virtual std::vector<AuditEntry> audit_entries(std::int64_t after_id, int limit) = 0;
  // Recomputes the hash chain from the first row.
  virtual AuditCheck verify_audit() = 0;
};

// The portal's accounts, their licence links and sessions.
class AccountStore {
public:
  virtual ~AccountStore() = default;
  // Accounts: a username is unique (InputError when taken). A holder's account arrives with
  // its `licences` linked in the same transaction (InputError when another role has some).
  virtual std::int64_t add_account(const Account &account) = 0;
  // With their linked licences.
  virtual std::optional<Account> account(const std::string &username) = 0;
  virtual std::vector<Account> accounts() = 0;

  // Links a holder's account to a right (and the mines under it) by licence number, or removes
  // the link: each change one transaction with its audit row (account.link / account.unlink).
  // Whether the licence is in the register and who may link it is the caller's to check.
  // False when there was nothing to do (linked already / not linked); InputError when the
  // account is unknown or not a holder's, or the licence number is empty or too long.
  virtual bool link_licence(const std::string &username, const std::string &licence_no) = 0;
  virtual bool unlink_licence(const std::string &username, const std::string &licence_no) = 0;

  virtual void add_session(const SessionRecord &session) = 0;
  virtual std::optional<SessionRecord> session(const std::string &token_hash) = 0;
  virtual void remove_session(const std::string &token_hash) = 0;
};

// Notices the staff publish.
class NoticeStore {
public:
  virtual ~NoticeStore() = default;
  virtual std::int64_t add_notice(const Notice &notice) = 0;
  virtual std::vector<Notice> notices(int limit) = 0;
};

// Reported indicator values (monitoring).
class ReportedValueStore {
public:
  virtual ~ReportedValueStore() = default;
  // Appended with an audit row; InputError when the plan or target is unknown or the date is
  // not an ISO date.
  virtual std::int64_t add_reported_value(const ReportedValue &value) = 0;
  // A plan's reported values, by target, date described, then order of recording.
  virtual std::vector<ReportedValue> reported_values(const std::string &plan_id) = 0;
};

// The whole store: every concern, and how it is opened.
class Store : public Transactional,
              public CatalogueStore,
              public RegisterStore,
              public RegistryEventStore,
              public ReviewStore,
              public AuditLog,
              public AccountStore,
              public NoticeStore,
              public ReportedValueStore {
public:
  ~Store() override = default;

  // Opens a store: a postgresql:// URL (with an optional `schema` parameter, default
  // "mineplan") is the PostgreSQL/PostGIS server store, anything else the path of the embedded
  // GeoPackage store. Throws StoreError (core/error.hpp) for a store that cannot be used so.
  static std::unique_ptr<Store> open(const std::string &location, Access access);
  // `create` makes a new one (Access::create), otherwise Access::write.
  static std::unique_ptr<Store> open(const std::string &location, bool create = false) {
    return open(location, create ? Access::create : Access::write);
  }
  // The schema version this mineplan writes (its highest migration).
  static int known_schema_version();

  virtual std::string location() const = 0;
  virtual int schema_version() = 0;
  // True when every write is refused (StoreError, kind read_only): opened for reading, or the
  // store cannot be written.
  virtual bool read_only() const = 0;
};

} // namespace mineplan::store
