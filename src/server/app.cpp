// Routing, sessions, the read model, the helpers every handler shares, static files and tiles.
#include "server/app_impl.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"
#include "core/model_json.hpp"
#include "core/store_error.hpp"

#include <boost/beast/http.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <sstream>

namespace mineplan::server {

namespace http = boost::beast::http;

namespace {

std::atomic<std::uint64_t> next_instance{1};

std::vector<LayerPolicy> load_layer_policy(const std::filesystem::path &file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) throw Error("cannot read " + file.string() + " (the layers' publication policy)");
  std::stringstream text;
  text << in.rdbuf();
  const Json j = parse_json_text(text.str(), file.string());
  std::vector<LayerPolicy> out;
  int i = 0;
  for (const auto &l : j.at("layers")) {
    const std::string where = file.filename().string() + ": layers[" + std::to_string(i++) + "]";
    LayerPolicy p;
    p.name = l.at("name").get<std::string>();
    p.title = l.at("title").get<std::string>();
    p.audience = l.at("audience").get<std::string>();
    if (p.audience != "public" && p.audience != "owner")
      throw InputError(file.string(), 0, where + ".audience",
                       "expected public or owner, found '" + p.audience + "'");
    p.restricted = l.value("restricted", std::vector<std::string>{});
    p.tile_properties = l.value("tile_properties", std::vector<std::string>{});
    out.push_back(std::move(p));
  }
  return out;
}

std::string percent_decode(std::string_view s, bool plus_is_space) {
  std::string out;
  out.reserve(s.size());
  auto hexval = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && hexval(s[i + 1]) >= 0 && hexval(s[i + 2]) >= 0) {
      out += static_cast<char>(hexval(s[i + 1]) * 16 + hexval(s[i + 2]));
      i += 2;
    } else if (plus_is_space && s[i] == '+') {
      out += ' ';
    } else {
      out += s[i];
    }
  }
  return out;
}

std::string cookie_value(const Request &req, const std::string &name) {
  auto it = req.find(http::field::cookie);
  if (it == req.end()) return {};
  std::string_view all(it->value().data(), it->value().size());
  while (!all.empty()) {
    auto semi = all.find(';');
    std::string_view part = all.substr(0, semi);
    while (!part.empty() && part.front() == ' ')
      part.remove_prefix(1);
    if (part.starts_with(name + "=")) return std::string(part.substr(name.size() + 1));
    if (semi == std::string_view::npos) break;
    all.remove_prefix(semi + 1);
  }
  return {};
}

} // namespace

// --- the read model ---------------------------------------------------------------------------

const std::string &Principal::role() const {
  static const std::string public_role = "public";
  return account ? account->role : public_role;
}

App::Impl::Impl(ServeOptions o)
    : options(std::move(o)), instance(next_instance++),
      user_limiter(options.login_failures_per_user, options.login_window),
      address_limiter(options.login_failures_per_address, options.login_window) {
  layers = load_layer_policy(options.data_dir / "layers.json");
  if (std::filesystem::is_directory(options.data_dir / "lifecycles"))
    lifecycles = registry::load_lifecycles((options.data_dir / "lifecycles").string());
  // The first connection decides: a store that cannot be written is served read-only; one of
  // an older mineplan is migrated; a foreign or newer one is refused (StoreError).
  options.read_only =
      store::Store::open(options.store,
                         options.read_only ? store::Access::read : store::Access::read_or_write)
          ->read_only();
  refresh();
}

App::Impl::~Impl() {
  for (auto &t : job_threads)
    if (t.joinable()) t.join();
}

store::Store &App::Impl::thread_store() {
  // One connection per thread and App: SQLite in WAL lets them read while one writes.
  thread_local std::map<std::uint64_t, std::unique_ptr<store::Store>> stores;
  auto &s = stores[instance];
  if (!s) s = store::Store::open(options.store, access());
  return *s;
}

std::shared_ptr<const Snapshot> App::Impl::current() {
  std::lock_guard lock(snapshot_mutex);
  return snapshot;
}

void App::Impl::refresh() {
  std::lock_guard writer(write_mutex);
  // A connection of its own: refresh runs on request and job threads alike.
  auto st = store::Store::open(options.store, access());
  std::shared_ptr<const Snapshot> next = build_snapshot(*st);
  std::lock_guard lock(snapshot_mutex);
  snapshot = std::move(next);
}

std::shared_ptr<const Snapshot> App::Impl::build_snapshot(store::Store &st) const {
  readmodel::BuildOptions o;
  for (const auto &p : layers)
    o.tiled.push_back({p.name, p.tile_properties});
  return readmodel::ReadModel::build(st, o);
}

const LayerPolicy *App::Impl::policy(const std::string &layer) const {
  for (const auto &p : layers)
    if (p.name == layer) return &p;
  return nullptr;
}

Principal App::Impl::resolve_session(const Request &req, store::Store &st) {
  Principal p;
  std::string token = cookie_value(req, "mineplan_session");
  if (token.size() != 64) return p;
  std::string hash = sha256_hex(token);
  auto session = st.session(hash);
  if (!session) return p;
  auto account = st.account(session->username);
  if (!account || !account->active) return p;
  p.account = std::move(account);
  p.csrf = session->csrf;
  p.token_hash = hash;
  return p;
}

void App::Impl::update_job(const std::string &id, const std::function<void(Job &)> &fn) {
  std::lock_guard lock(jobs_mutex);
  auto it = jobs.find(id);
  if (it != jobs.end()) fn(it->second);
}

// --- routing ----------------------------------------------------------------------------------

Response App::Impl::route(Context &c) {
  const auto method = c.request.method();
  const auto &s = c.segments;
  const bool get = method == http::verb::get || method == http::verb::head;
  const bool post = method == http::verb::post;
  auto is = [&](std::initializer_list<const char *> parts) {
    if (s.size() != parts.size()) return false;
    std::size_t i = 0;
    for (const char *p : parts) {
      if (std::string_view(p) != "*" && s[i] != p) return false;
      ++i;
    }
    return true;
  };
  auto to_id = [](const std::string &text) -> std::int64_t {
    try {
      std::size_t used = 0;
      long long v = std::stoll(text, &used);
      if (used == text.size() && v > 0) return v;
    } catch (...) {
    }
    throw HttpError{404, "no review '" + text + "'", ""};
  };
  if (!s.empty() && s[0] == "tiles") {
    if (!get) throw HttpError{405, "tiles are read with GET", ""};
    return serve_tile(*this, c);
  }
  if (s.empty() || s[0] != "api") {
    if (!get) throw HttpError{405, "only GET outside /api", ""};
    return serve_static(*this, c);
  }
  if (is({"api", "session"}) && get) return api_session(*this, c);
  if (is({"api", "login"}) && post) return api_login(*this, c);
  if (is({"api", "logout"}) && post) return api_logout(*this, c);
  if (is({"api", "users"}) && post) return api_users(*this, c);
  if (is({"api", "users", "*", "links"}) && post) return api_user_link(*this, c, s[2]);
  if (s.size() >= 5 && s[1] == "users" && s[3] == "links" && method == http::verb::delete_) {
    std::string licence = s[4]; // the rest of the path, should a licence number hold a slash
    for (std::size_t i = 5; i < s.size(); ++i)
      licence.append("/").append(s[i]);
    return api_user_unlink(*this, c, s[2], licence);
  }
  if (is({"api", "audit"}) && get) return api_audit(*this, c);
  if (is({"api", "audit", "heads"}) && get) return api_audit_heads(*this, c);
  if (is({"api", "plans"}) && get) return api_plans(*this, c);
  if (is({"api", "plans", "*"}) && get) return api_plan(*this, c, s[2]);
  if (is({"api", "plans", "*", "targets"}) && get) return api_plan_targets(*this, c, s[2]);
  if (is({"api", "plans", "*", "indicators"}) && get) return api_indicators(*this, c, s[2]);
  if (is({"api", "plans", "*", "report"}) && get) return api_report(*this, c, s[2]);
  if (is({"api", "divisions"}) && get) return api_divisions(*this, c);
  if (is({"api", "minerals"}) && get) return api_minerals(*this, c);
  if (is({"api", "layers"}) && get) return api_layers(*this, c);
  if (is({"api", "vocabulary"}) && get) return api_vocabulary(*this, c);
  if (s.size() >= 4 && s[1] == "features" && get) {
    // Zone ids contain a slash: "plan/zone".
    std::string id = s[3];
    for (std::size_t i = 4; i < s.size(); ++i)
      id += "/" + s[i];
    return api_feature(*this, c, s[2], id);
  }
  if (is({"api", "search"}) && get) return api_search(*this, c);
  if (is({"api", "rights"}) && get) return api_rights(*this, c);
  if (s.size() >= 3 && s[1] == "rights") {
    // Right uids may hold a slash ("erenhot-2021/mr-01"): the id is the rest of the path.
    const bool history = s.size() >= 4 && s.back() == "history";
    std::string uid = s[2];
    for (std::size_t i = 3; i < s.size() - (history ? 1 : 0); ++i)
      uid += "/" + s[i];
    if (history && get) return api_right_history(*this, c, uid);
    if (!history && method == http::verb::patch) return api_right_update(*this, c, uid);
  }
  if (is({"api", "mines"}) && get) return api_mines(*this, c);
  if (s.size() >= 3 && s[1] == "mines" && method == http::verb::patch) {
    // Mine uids hold slashes ("dalad-2021/dlt-coal-wusigedu"): the uid is the rest of the path.
    std::string uid = s[2];
    for (std::size_t i = 3; i < s.size(); ++i)
      uid.append("/").append(s[i]);
    return api_mine_update(*this, c, uid);
  }
  if (is({"api", "lists", "green-mines"}) && get) return api_green_mines(*this, c);
  if (s.size() >= 4 && s[1] == "registry" && s[2] == "green") {
    // Mine uids hold a slash ("dalad-2021/dlt-coal-wusigedu"): the uid is the rest of the path.
    const bool steps = s.size() >= 5 && s.back() == "steps";
    std::string uid = s[3];
    for (std::size_t i = 4; i < s.size() - (steps ? 1 : 0); ++i)
      uid.append("/").append(s[i]);
    if (steps && post) return api_registry_green_step(*this, c, uid);
    if (!steps && get) return api_registry_green(*this, c, uid);
  }
  if (is({"api", "registry", "program"}) && get) return api_registry_program(*this, c);
  if (s.size() >= 4 && s[1] == "registry" && (s[2] == "program" || s[2] == "restoration")) {
    // Right and mine uids hold slashes: the subject is the rest of the path.
    const bool steps = s.size() >= 5 && s.back() == "steps";
    std::string subject = s[3];
    for (std::size_t i = 4; i < s.size() - (steps ? 1 : 0); ++i)
      subject.append("/").append(s[i]);
    const bool program = s[2] == "program";
    if (program && steps && post) return api_registry_program_step(*this, c, subject);
    if (!program && steps && post) return api_registry_restoration_step(*this, c, subject);
    if (!program && !steps && get) return api_registry_restoration(*this, c, subject);
  }
  if (is({"api", "registry", "ledger"}) && get) return api_registry_ledger(*this, c);
  if (is({"api", "registry", "ledger", "*", "steps"}) && post)
    return api_registry_ledger_step(*this, c, s[3]);
  if (is({"api", "registry", "legacy"}) && get) return api_registry_legacy(*this, c);
  if (is({"api", "registry", "legacy", "*", "steps"}) && post)
    return api_registry_legacy_step(*this, c, s[3]);
  if (is({"api", "registry", "lifecycles", "*"}) && get)
    return api_registry_lifecycle(*this, c, s[3]);
  if (is({"api", "registry", "draws"}) && get) return api_draws(*this, c);
  if (is({"api", "registry", "draws"}) && post) return api_draw_add(*this, c);
  if (s.size() >= 5 && s[1] == "registry" && s[2] == "draws" && s.back() == "verify" && get) {
    // Draw ids are "<jurisdiction>/<year>-Q<quarter>".
    std::string id = s[3];
    for (std::size_t i = 4; i + 1 < s.size(); ++i)
      id.append("/").append(s[i]);
    return api_draw_verify(*this, c, id);
  }
  if (is({"api", "due"}) && get) return api_due(*this, c);
  if (is({"api", "notices"}) && get) return api_notices(*this, c);
  if (is({"api", "notices"}) && post) return api_notice_add(*this, c);
  if (is({"api", "reviews"}) && post) return api_review_submit(*this, c);
  if (is({"api", "reviews"}) && get) return api_reviews(*this, c);
  if (is({"api", "reviews", "*"}) && get) return api_review(*this, c, to_id(s[2]));
  if (is({"api", "reviews", "*", "opinion"}) && get)
    return api_review_opinion(*this, c, to_id(s[2]));
  if (is({"api", "imports"}) && post) return api_import(*this, c);
  if (is({"api", "jobs", "*"}) && get) return api_job(*this, c, s[2]);
  throw HttpError{
      404, "no such API route: " + std::string(c.request.method_string()) + " " + c.path, ""};
}

App::App(ServeOptions options) : impl_(std::make_unique<Impl>(std::move(options))) {}
App::~App() = default;

void App::refresh() {
  impl_->refresh();
}

namespace {

// Server paths (the data and web folders, the store's folder, temporary upload folders) say
// nothing to a user and much to an attacker: a message names a file by its last component.
std::string without_server_paths(std::string message, const std::vector<std::string> &roots) {
  for (const auto &root : roots) {
    if (root.size() < 2 || root.front() != '/') continue;
    std::size_t at = 0;
    while ((at = message.find(root, at)) != std::string::npos) {
      std::size_t end = at + root.size();
      while (end < message.size() &&
             std::string_view(" \t\n'\"`:,;)]}>").find(message[end]) == std::string_view::npos)
        ++end;
      std::string_view path(message.data() + at, end - at);
      std::string_view name = path.substr(path.find_last_of('/') + 1);
      const std::string shown(name.empty() ? std::string_view("…") : name);
      message.replace(at, end - at, shown);
      at += shown.size();
    }
  }
  return message;
}

std::vector<std::string> server_roots(const ServeOptions &o) {
  std::vector<std::string> roots;
  auto add = [&](const std::filesystem::path &p) {
    if (p.empty()) return;
    std::error_code ec;
    auto abs = std::filesystem::absolute(p, ec);
    if (!ec) roots.push_back(abs.lexically_normal().string());
    roots.push_back(p.string());
  };
  add(o.data_dir);
  add(o.web_dir);
  if (!store::is_server_location(o.store)) add(std::filesystem::path(o.store).parent_path());
  std::error_code ec;
  add(std::filesystem::temp_directory_path(ec));
  add("/tmp");
  // Longest first, so that a folder inside another is cut at its own end.
  std::sort(roots.begin(), roots.end(),
            [](const std::string &a, const std::string &b) { return a.size() > b.size(); });
  return roots;
}

} // namespace

// The one place where an exception becomes an HTTP status. The domain throws what it decided
// (InputError: the input is wrong; HttpError: the handler refused); nlohmann's exceptions reach
// here only from a value of the wrong type or range in a request; what remains is ours.
Response App::Impl::error_response(const Request &req, std::exception_ptr error) const {
  const auto roots = server_roots(options);
  auto answer = [&](unsigned status, const std::string &message, const std::string &field) {
    return json_error(status, without_server_paths(message, roots), field, req.version());
  };
  try {
    std::rethrow_exception(std::move(error));
  } catch (const HttpError &e) {
    return answer(e.status, e.message, e.field);
  } catch (const StoreError &e) {
    // A write to a read-only store: the service is there, this store cannot take writes. The
    // detail, not what(): what() begins with the store's location.
    // A store that is not mineplan's or is newer cannot be served either: 503 too.
    return answer(503, e.detail(), "");
  } catch (const Refusal &e) {
    // A refusal the domain decided (src/service): its kind is the status.
    static const std::map<ErrorKind, unsigned> status{
        {ErrorKind::invalid_input, 400}, {ErrorKind::not_found, 404},
        {ErrorKind::forbidden, 403},     {ErrorKind::conflict, 409},
        {ErrorKind::unavailable, 503},   {ErrorKind::internal, 500}};
    return answer(status.at(e.kind()), e.what(), e.field());
  } catch (const InputError &e) {
    return answer(400, e.what(), e.field());
  } catch (const nlohmann::json::exception &e) {
    return answer(400,
                  std::string("请求中的值类型或范围不符 (a value of the wrong type or range: ")
                      .append(e.what())
                      .append(")"),
                  "");
  } catch (const std::bad_alloc &) {
    return answer(503, "服务器暂时无法处理该请求（内存不足），请稍后再试", "");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mineplan serve: %s %s: %s\n", std::string(req.method_string()).c_str(),
                 std::string(req.target()).c_str(), e.what());
    return answer(500, "服务器内部错误 (internal error)", "");
  }
}

bool App::read_only() const {
  return impl_->options.read_only;
}

Response App::handle(const Request &req, const std::string &remote) {
  try {
    return impl_->handle(req, remote);
  } catch (...) {
    // Opening this thread's store connection, say, failed before a route was chosen.
    return impl_->error_response(req, std::current_exception());
  }
}

Response App::Impl::handle(const Request &req, const std::string &remote) {
  std::string_view target(req.target().data(), req.target().size());
  if (target.empty() || target.front() != '/')
    return json_error(400, "请求目标应为绝对路径 (the request target must be an absolute path)", "",
                      req.version());
  auto qpos = target.find('?');
  std::string path = percent_decode(target.substr(0, qpos), false);
  if (path.find('\0') != std::string::npos)
    return json_error(400, "请求路径含有 NUL 字节 (the path holds a NUL byte)", "", req.version());
  if (!is_valid_utf8(path))
    return json_error(400, "请求路径含有无效的 UTF-8 字节 (the path is not valid UTF-8)", "",
                      req.version());
  store::Store &st = thread_store();
  Context c{req, remote, path, {}, {}, {}, current(), st};
  {
    std::string_view p(path);
    while (!p.empty()) {
      p.remove_prefix(1);
      auto slash = p.find('/');
      std::string seg(p.substr(0, slash));
      if (!seg.empty()) c.segments.push_back(seg);
      if (slash == std::string_view::npos) break;
      p.remove_prefix(slash);
    }
  }
  if (qpos != std::string_view::npos) {
    std::string_view q = target.substr(qpos + 1);
    while (!q.empty()) {
      auto amp = q.find('&');
      std::string_view kv = q.substr(0, amp);
      auto eq = kv.find('=');
      std::string key = percent_decode(kv.substr(0, eq), true);
      std::string value =
          eq == std::string_view::npos ? std::string() : percent_decode(kv.substr(eq + 1), true);
      if (!is_valid_utf8(key) || !is_valid_utf8(value) || key.find('\0') != std::string::npos ||
          value.find('\0') != std::string::npos)
        return json_error(400,
                          "查询参数含有无效的 UTF-8 或 NUL 字节 (a query value is not valid text)",
                          is_valid_utf8(key) ? key : "", req.version());
      if (!key.empty()) c.query[key] = value;
      if (amp == std::string_view::npos) break;
      q.remove_prefix(amp + 1);
    }
  }
  try {
    c.who = resolve_session(req, st);
    if (c.who.signed_in())
      st.set_actor({c.who.account->username, c.who.account->role});
    else
      st.set_actor({"public@" + remote, "public"});
    return route(c);
  } catch (...) {
    return error_response(req, std::current_exception());
  }
}

// --- helpers ------------------------------------------------------------------------------------

Response json_response(const Json &body, unsigned status) {
  Response res{static_cast<http::status>(status), 11};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  res.body() = body.dump(-1, ' ', false, Json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

Json parse_json_body(const Context &c) {
  auto it = c.request.find(http::field::content_type);
  if (it == c.request.end() ||
      !std::string_view(it->value().data(), it->value().size()).starts_with("application/json"))
    throw HttpError{415, "请求正文应为 JSON（Content-Type: application/json）", ""};
  Json j = parse_json_text(c.request.body(), "请求正文");
  if (!j.is_object()) throw HttpError{400, "请求正文应为 JSON 对象 (expected a JSON object)", ""};
  return j;
}

void require_signed_in(const Context &c) {
  if (!c.who.signed_in()) throw HttpError{401, "sign in first (登录后才能进行此操作)", ""};
}

void require_csrf(const Context &c) {
  require_signed_in(c);
  auto it = c.request.find("X-CSRF-Token");
  if (it == c.request.end() || std::string(it->value()) != c.who.csrf)
    throw HttpError{403, "missing or wrong X-CSRF-Token header (take it from GET /api/session)",
                    ""};
}

std::string query_or(const Context &c, const std::string &key, const std::string &fallback) {
  auto it = c.query.find(key);
  return it == c.query.end() || it->second.empty() ? fallback : it->second;
}

std::string today_iso() {
  return now_utc_iso().substr(0, 10);
}

void check_date(const std::string &date, const std::string &field) {
  if (!is_iso_date(date))
    throw HttpError{400, "expected an ISO date YYYY-MM-DD, found '" + date + "'", field};
}

Json geojson_geometry(const geo::MultiPolygon &mp) {
  Json polys = Json::array();
  for (const auto &poly : mp) {
    Json rings = Json::array();
    auto ring = [](const geo::Ring &r) {
      Json pts = Json::array();
      for (const auto &p : r)
        pts.push_back(Json::array({p.x, p.y}));
      return pts;
    };
    rings.push_back(ring(poly.outer));
    for (const auto &h : poly.holes)
      rings.push_back(ring(h));
    polys.push_back(std::move(rings));
  }
  return Json{{"type", "MultiPolygon"}, {"coordinates", polys}};
}

bool Principal::linked(const std::string &licence_no) const {
  if (!account || account->role != "holder" || licence_no.empty()) return false;
  return std::find(account->licences.begin(), account->licences.end(), licence_no) !=
         account->licences.end();
}

bool sees_restricted(const Context &c, const std::string &licence_no,
                     const std::string &jurisdiction) {
  if (!c.who.signed_in()) return false;
  if (c.who.account->role == "holder") return c.who.linked(licence_no);
  return c.who.staff() && c.snap->within(jurisdiction, c.who.account->jurisdiction);
}

void require_linked(const Context &c, const std::string &licence_no) {
  if (c.who.linked(licence_no)) return;
  throw HttpError{403,
                  "只能查看或办理与本账户关联的矿业权（许可证号 " +
                      (licence_no.empty() ? std::string("无") : licence_no) +
                      " 未关联本账户）(a holder acts only on the rights linked to the account)",
                  "licence_no"};
}

// --- static files and tiles ---------------------------------------------------------------------

Response serve_static(App::Impl &app, Context &c) {
  if (app.options.web_dir.empty()) throw HttpError{404, "this server serves the API only", ""};
  for (const auto &seg : c.segments)
    if (seg == ".." || seg == "." || seg.find('\\') != std::string::npos)
      throw HttpError{400, "bad path", ""};
  std::filesystem::path file = app.options.web_dir;
  for (const auto &seg : c.segments)
    file /= seg;
  std::error_code ec;
  if (c.segments.empty() || !std::filesystem::is_regular_file(file, ec)) {
    if (!c.segments.empty() && c.segments[0] == "assets")
      throw HttpError{404, "no such asset: " + c.path, ""};
    file = app.options.web_dir / "index.html"; // the app routes itself
  }
  std::ifstream in(file, std::ios::binary);
  if (!in) throw HttpError{404, "the web app is not built (npm run build in web/)", ""};
  std::stringstream ss;
  ss << in.rdbuf();
  static const std::map<std::string, std::string> types{{".html", "text/html; charset=utf-8"},
                                                        {".js", "text/javascript; charset=utf-8"},
                                                        {".css", "text/css; charset=utf-8"},
                                                        {".svg", "image/svg+xml"},
                                                        {".png", "image/png"},
                                                        {".json", "application/json"},
                                                        {".woff2", "font/woff2"},
                                                        {".ico", "image/x-icon"}};
  auto t = types.find(file.extension().string());
  Response res{http::status::ok, 11};
  res.set(http::field::content_type, t == types.end() ? "application/octet-stream" : t->second);
  // Vite names assets by content hash: they never change under their name.
  res.set(http::field::cache_control, !c.segments.empty() && c.segments[0] == "assets"
                                          ? "public, max-age=31536000, immutable"
                                          : "no-cache");
  res.set("X-Content-Type-Options", "nosniff");
  res.body() = ss.str();
  res.prepare_payload();
  return res;
}

Response serve_tile(App::Impl &app, Context &c) {
  const auto &s = c.segments;
  if (s.size() != 5 || !s[4].ends_with(".mvt"))
    throw HttpError{404, "tiles are /tiles/{layer}/{z}/{x}/{y}.mvt", ""};
  const LayerPolicy *policy = app.policy(s[1]);
  auto it = c.snap->tiles.find(s[1]);
  if (!policy || it == c.snap->tiles.end()) {
    if (policy && policy->audience != "public") {
      require_signed_in(c);
      throw HttpError{403, "the layer " + s[1] + " is not published as tiles", ""};
    }
    throw HttpError{404, "no tiled layer '" + s[1] + "'", ""};
  }
  auto number = [](const std::string &text, const char *what) -> std::int64_t {
    std::size_t used = 0;
    long long v = 0;
    try {
      v = std::stoll(text, &used);
    } catch (...) {
      used = 0;
    }
    if (used != text.size() || text.empty())
      throw HttpError{
          400, std::string("tile ") + what + " must be an integer, found '" + text + "'", ""};
    return v;
  };
  tiles::TileId t;
  t.z = static_cast<int>(std::clamp<std::int64_t>(number(s[2], "z"), -1, 99));
  t.x = number(s[3], "x");
  t.y = number(s[4].substr(0, s[4].size() - 4), "y");
  if (!tiles::valid(t))
    throw HttpError{400,
                    "no such tile: z must be 0–" + std::to_string(tiles::kMaxZoom) +
                        " and x, y within 0…2^z−1",
                    ""};
  std::string bytes = it->second->tile(t);
  Response res{bytes.empty() ? http::status::no_content : http::status::ok, 11};
  res.set(http::field::content_type, "application/vnd.mapbox-vector-tile");
  res.set(http::field::cache_control, "public, max-age=60");
  res.set(http::field::access_control_allow_origin, "*");
  res.body() = std::move(bytes);
  res.prepare_payload();
  return res;
}

} // namespace mineplan::server
