#pragma once
// Inside the App: the read model every request shares, the request context, and the handlers
// (api_*.cpp). Not part of the server's interface.
#include "readmodel/read_model.hpp"
#include "registry/lifecycle.hpp"
#include "review/engine.hpp"
#include "server/accounts.hpp"
#include "server/app.hpp"
#include "store/store.hpp"
#include "tiles/layer_tiles.hpp"

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace mineplan::server {

// What the publication policy (data/layers.json) says of a layer.
struct LayerPolicy {
  std::string name;
  std::string title;
  std::string audience; // public | owner
  std::vector<std::string> restricted;
  std::vector<std::string> tile_properties;
};

using SearchEntry = readmodel::SearchEntry;

// The immutable read model of the store (src/readmodel), rebuilt after writes and swapped
// whole: requests hold a shared_ptr to the one they started with.
using Snapshot = readmodel::ReadModel;

// Who is asking. No account = the public.
struct Principal {
  std::optional<store::Account> account;
  std::string csrf;
  std::string token_hash;

  bool signed_in() const { return account.has_value(); }
  const std::string &role() const;
  bool staff() const { return account && is_staff(account->role); }
  // A holder's account linked to `licence_no` (the right and the mines under it). The holder
  // name on the account grants nothing.
  bool linked(const std::string &licence_no) const;
};

struct Context {
  const Request &request;
  std::string remote;
  std::string path;
  std::vector<std::string> segments; // path split on '/', percent-decoded
  std::map<std::string, std::string> query;
  Principal who;
  std::shared_ptr<const Snapshot> snap;
  store::Store &store;
};

// A 4xx the handler decided on: thrown anywhere below a handler, answered as JSON.
struct HttpError {
  unsigned status;
  std::string message;
  std::string field;
};

struct Job {
  std::string id;
  std::string owner;
  std::string state = "queued"; // queued | running | done | failed
  double progress = 0;
  std::string message;
  Json result;
};

struct App::Impl {
  ServeOptions options;
  std::vector<LayerPolicy> layers;
  std::map<std::string, registry::Lifecycle> lifecycles; // data/lifecycles, by id
  std::uint64_t instance = 0;
  LoginLimiter user_limiter;
  LoginLimiter address_limiter;

  std::mutex snapshot_mutex;
  std::shared_ptr<const Snapshot> snapshot;

  std::mutex jobs_mutex;
  std::map<std::string, Job> jobs;
  std::vector<std::thread> job_threads;
  std::mutex write_mutex; // one refresh at a time

  explicit Impl(ServeOptions o);
  ~Impl();

  store::Store &thread_store(); // this thread's own connection
  // How every connection opens the store: read-only when asked or when it cannot be written.
  store::Access access() const {
    return options.read_only ? store::Access::read : store::Access::write;
  }
  std::shared_ptr<const Snapshot> current();
  void refresh();
  std::shared_ptr<const Snapshot> build_snapshot(store::Store &store) const;
  const LayerPolicy *policy(const std::string &layer) const;
  Response handle(const Request &req, const std::string &remote);
  Response route(Context &c);
  // The one translation of an exception into an HTTP answer (status, Chinese message, field).
  Response error_response(const Request &req, std::exception_ptr error) const;
  Principal resolve_session(const Request &req, store::Store &store);
  void update_job(const std::string &id, const std::function<void(Job &)> &fn);
};

// --- helpers shared by the handlers -------------------------------------------------------
Response json_response(const Json &body, unsigned status = 200);
Json parse_json_body(const Context &c); // 415 unless application/json; 400 with the position
void require_signed_in(const Context &c);
void require_csrf(const Context &c);
std::string query_or(const Context &c, const std::string &key, const std::string &fallback);
std::string today_iso();
void check_date(const std::string &date, const std::string &field);
Json geojson_geometry(const geo::MultiPolygon &mp);
// Whether the caller sees the restricted fields of a right or mine with `licence_no` in
// `jurisdiction`: staff of that jurisdiction (or above) and a holder linked to the licence;
// not reviewers, not the public.
bool sees_restricted(const Context &c, const std::string &licence_no,
                     const std::string &jurisdiction);
// 403 unless the caller is a holder linked to `licence_no`: the refusal names the licence.
void require_linked(const Context &c, const std::string &licence_no);

// --- handlers (api_*.cpp) -------------------------------------------------------------------
Response api_session(App::Impl &app, Context &c);
Response api_login(App::Impl &app, Context &c);
Response api_logout(App::Impl &app, Context &c);
Response api_users(App::Impl &app, Context &c);
Response api_user_link(App::Impl &app, Context &c, const std::string &username);
Response api_user_unlink(App::Impl &app, Context &c, const std::string &username,
                         const std::string &licence_no);
Response api_audit(App::Impl &app, Context &c);
Response api_audit_heads(App::Impl &app, Context &c);

Response api_plans(App::Impl &app, Context &c);
Response api_plan(App::Impl &app, Context &c, const std::string &id);
Response api_plan_targets(App::Impl &app, Context &c, const std::string &id);
Response api_indicators(App::Impl &app, Context &c, const std::string &plan_id);
Response api_report(App::Impl &app, Context &c, const std::string &plan_id);
Response api_divisions(App::Impl &app, Context &c);
Response api_minerals(App::Impl &app, Context &c);
Response api_layers(App::Impl &app, Context &c);
Response api_vocabulary(App::Impl &app, Context &c);
Response api_feature(App::Impl &app, Context &c, const std::string &layer, const std::string &id);
Response api_search(App::Impl &app, Context &c);
Response api_rights(App::Impl &app, Context &c);
Response api_right_history(App::Impl &app, Context &c, const std::string &uid);
Response api_right_update(App::Impl &app, Context &c, const std::string &uid);
Response api_mines(App::Impl &app, Context &c);
Response api_mine_update(App::Impl &app, Context &c, const std::string &uid);
Response api_green_mines(App::Impl &app, Context &c);
Response api_notices(App::Impl &app, Context &c);
Response api_notice_add(App::Impl &app, Context &c);

Response api_review_submit(App::Impl &app, Context &c);
Response api_reviews(App::Impl &app, Context &c);
Response api_review(App::Impl &app, Context &c, std::int64_t id);
Response api_review_opinion(App::Impl &app, Context &c, std::int64_t id);

Response api_registry_green(App::Impl &app, Context &c, const std::string &uid);
Response api_registry_green_step(App::Impl &app, Context &c, const std::string &uid);
Response api_registry_program(App::Impl &app, Context &c);
Response api_registry_program_step(App::Impl &app, Context &c, const std::string &subject);
Response api_registry_restoration(App::Impl &app, Context &c, const std::string &uid);
Response api_registry_restoration_step(App::Impl &app, Context &c, const std::string &uid);
Response api_registry_ledger(App::Impl &app, Context &c);
Response api_registry_ledger_step(App::Impl &app, Context &c, const std::string &id);
Response api_registry_lifecycle(App::Impl &app, Context &c, const std::string &id);
Response api_registry_legacy(App::Impl &app, Context &c);
Response api_registry_legacy_step(App::Impl &app, Context &c, const std::string &id);
Response api_due(App::Impl &app, Context &c);
Response api_draws(App::Impl &app, Context &c);
Response api_draw_add(App::Impl &app, Context &c);
Response api_draw_verify(App::Impl &app, Context &c, const std::string &id);

Response api_import(App::Impl &app, Context &c);
Response api_job(App::Impl &app, Context &c, const std::string &id);

Response serve_tile(App::Impl &app, Context &c);
Response serve_static(App::Impl &app, Context &c);

} // namespace mineplan::server
