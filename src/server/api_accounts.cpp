// Sessions, logins, accounts and the audit log over HTTP.
#include "core/clock.hpp"
#include "core/error.hpp"
#include "server/app_impl.hpp"
#include "server/service_glue.hpp"
#include "service/accounts.hpp"
#include "store/audit_log.hpp"

#include <boost/beast/http.hpp>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <set>

namespace mineplan::server {

namespace http = boost::beast::http;

namespace {

Json user_json(const Context &c, const store::Account &a) {
  return Json{{"username", a.username},
              {"display_name", a.display_name},
              {"role", a.role},
              {"role_name", role_chinese(a.role)},
              {"jurisdiction", a.jurisdiction},
              {"jurisdiction_name", c.snap->division_name(a.jurisdiction)},
              {"holder", a.holder.empty() ? Json(nullptr) : Json(a.holder)},
              {"licences", a.licences}};
}

std::string iso_after(std::chrono::hours h) {
  std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + h);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string string_field(const Json &j, const char *key, bool required = true) {
  if (!j.contains(key) || j[key].is_null()) {
    if (required) throw HttpError{400, std::string("missing ") + key, key};
    return {};
  }
  if (!j[key].is_string()) throw HttpError{400, std::string("expected a string"), key};
  return j[key].get<std::string>();
}

// At most `max_bytes` of `s`, cut where a UTF-8 character starts: what a failed login's audit
// row keeps of the name tried, so that a stranger cannot fill the log with long names.
std::string utf8_prefix(const std::string &s, std::size_t max_bytes) {
  if (s.size() <= max_bytes) return s;
  std::size_t n = max_bytes;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  return s.substr(0, n);
}

constexpr std::size_t kAuditedUsernameBytes = 64;

// `licences` of a body: an array of licence numbers (许可证号); absent = none.
std::vector<std::string> licences_field(const Json &j, bool required) {
  if (!j.contains("licences") || j["licences"].is_null()) {
    if (required) throw HttpError{400, "缺少许可证号 (missing licences)", "licences"};
    return {};
  }
  const Json &v = j["licences"];
  if (!v.is_array() || (required && v.empty()))
    throw HttpError{400, "许可证号应为字符串数组 (expected an array of licence numbers)",
                    "licences"};
  std::vector<std::string> out;
  for (const auto &x : v) {
    if (!x.is_string() || x.get<std::string>().empty())
      throw HttpError{400, "许可证号应为非空字符串 (expected a licence number string)", "licences"};
    out.push_back(x.get<std::string>());
  }
  if (out.size() > 1000)
    throw HttpError{400, "一次至多关联1000个许可证号 (at most 1000 licences at once)", "licences"};
  return out;
}

void require_staff(const Context &c, const char *what) {
  require_csrf(c);
  service::check_may_manage_accounts(actor_of(c), what);
}

service::AccountDeps account_deps(Context &c, const SnapshotPlaces &places) {
  return service::AccountDeps{c.store, c.snap->rights, c.snap->mines, c.snap->divisions, places};
}

} // namespace

Response api_session(App::Impl &, Context &c) {
  if (!c.who.signed_in()) return json_response(Json{{"user", nullptr}});
  return json_response(Json{{"user", user_json(c, *c.who.account)}, {"csrf", c.who.csrf}});
}

Response api_login(App::Impl &app, Context &c) {
  Json body = parse_json_body(c);
  const std::string username = string_field(body, "username");
  const std::string password = string_field(body, "password");
  // Failures count per name and address together (OWASP): someone elsewhere guessing a
  // user's password cannot lock that user out of their own machine; per address alone they
  // bound one machine's guessing over all names. The name is hashed: the key stays small.
  const std::string user_key = "u:" + sha256_hex(username) + "@" + c.remote,
                    address_key = "a:" + c.remote;
  int wait = std::max(app.user_limiter.retry_after(user_key),
                      app.address_limiter.retry_after(address_key));
  if (wait > 0) {
    Response res = json_error(429, "登录失败次数过多，请 " + std::to_string(wait) +
                                       " 秒后再试 (too many failed logins)");
    res.set(http::field::retry_after, std::to_string(wait));
    return res;
  }
  auto account = c.store.account(username);
  // Verify against a fixed hash when the name is unknown, so timing does not tell names apart.
  static const std::string dummy = hash_password("not-a-password-of-anyone");
  bool ok = verify_password(account ? account->password_hash : dummy, password) && account &&
            account->active;
  if (!ok) {
    app.user_limiter.failed(user_key);
    app.address_limiter.failed(address_key);
    Json detail{{"address", c.remote}};
    if (username.size() > kAuditedUsernameBytes) detail["username_bytes"] = username.size();
    c.store.audit("login.failed", "accounts/" + utf8_prefix(username, kAuditedUsernameBytes),
                  nullptr, detail);
    throw HttpError{401, "wrong username or password (用户名或密码错误)", ""};
  }
  app.user_limiter.succeeded(user_key);
  const std::string token = random_token();
  store::SessionRecord s;
  s.token_hash = sha256_hex(token);
  s.username = account->username;
  s.csrf = random_token();
  s.expires_at = iso_after(std::chrono::hours(app.options.session_hours));
  c.store.set_actor({account->username, account->role});
  c.store.add_session(s);
  Response res = json_response(Json{{"user", user_json(c, *account)}, {"csrf", s.csrf}});
  std::string cookie = "mineplan_session=" + token +
                       "; Path=/; HttpOnly; SameSite=Strict; Max-Age=" +
                       std::to_string(app.options.session_hours * 3600);
  if (app.options.secure_cookies) cookie += "; Secure";
  res.set(http::field::set_cookie, cookie);
  return res;
}

Response api_logout(App::Impl &, Context &c) {
  require_csrf(c);
  c.store.remove_session(c.who.token_hash);
  Response res = json_response(Json{{"user", nullptr}});
  res.set(http::field::set_cookie,
          "mineplan_session=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
  return res;
}

Response api_users(App::Impl &, Context &c) {
  require_staff(c, "创建账户");
  Json body = parse_json_body(c);
  store::Account a;
  a.username = string_field(body, "username");
  a.display_name = string_field(body, "display_name", false);
  a.role = string_field(body, "role");
  a.jurisdiction = string_field(body, "jurisdiction");
  a.holder = string_field(body, "holder", false);
  a.licences = licences_field(body, false);
  const std::string password = string_field(body, "password");
  const SnapshotPlaces places(*c.snap);
  a = service::create_account(account_deps(c, places), actor_of(c), std::move(a), password,
                              hash_password);
  return json_response(Json{{"user", user_json(c, a)}}, 201);
}

Response api_user_link(App::Impl &, Context &c, const std::string &username) {
  require_staff(c, "关联矿业权");
  Json body = parse_json_body(c);
  const std::vector<std::string> licences = licences_field(body, true);
  const SnapshotPlaces places(*c.snap);
  const auto linked =
      service::link_licences(account_deps(c, places), actor_of(c), username, licences);
  store::Account a = *c.store.account(username);
  return json_response(Json{{"user", user_json(c, a)}, {"linked", linked}});
}

Response api_user_unlink(App::Impl &, Context &c, const std::string &username,
                         const std::string &licence_no) {
  require_staff(c, "解除关联");
  const SnapshotPlaces places(*c.snap);
  service::unlink_licences(account_deps(c, places), actor_of(c), username, {licence_no});
  store::Account a = *c.store.account(username);
  return json_response(Json{{"user", user_json(c, a)}, {"unlinked", licence_no}});
}

Response api_audit(App::Impl &, Context &c) {
  require_signed_in(c);
  if (c.who.role() != "region_staff")
    throw HttpError{403, "the audit log is read by region staff", ""};
  int limit = 100;
  try {
    limit = std::clamp(std::stoi(query_or(c, "limit", "100")), 1, 1000);
  } catch (...) {
    throw HttpError{400, "limit must be a number", "limit"};
  }
  std::int64_t after = 0;
  try {
    after = std::stoll(query_or(c, "after", "0"));
  } catch (...) {
    throw HttpError{400, "after must be a row id", "after"};
  }
  // A row edited behind the store's back into something that is not JSON is named by
  // verify_audit below (problem), not answered as a server error.
  std::vector<store::AuditEntry> entries;
  try {
    entries = c.store.audit_entries(after, limit);
  } catch (const Error &) {
  }
  Json rows = Json::array();
  for (const auto &e : entries)
    rows.push_back(Json{{"id", e.id},
                        {"at", e.at},
                        {"who", e.who},
                        {"role", e.role},
                        {"action", e.action},
                        {"target", e.target},
                        {"before", e.before},
                        {"after", e.after},
                        {"hash", e.hash}});
  auto check = c.store.verify_audit();
  return json_response(Json{
      {"entries", rows}, {"verified", check.ok}, {"rows", check.rows}, {"problem", check.problem}});
}

// The published signed tree heads of the audit log (docs/audit.md), public: anyone may archive
// them and later ask the bureau to prove the log still extends them. Each head's signature is
// checked against its own key here; which key is the bureau's is for the reader to compare (the
// fingerprint), as the bureau publishes it elsewhere too.
Response api_audit_heads(App::Impl &, Context &c) {
  Json heads = Json::array();
  for (const auto &h : store::audit_heads(c.store, 20)) {
    Json j = store::head_json(h);
    j["signature_valid"] = store::head_signature_valid(h);
    heads.push_back(std::move(j));
  }
  Json latest = heads.empty() ? Json(nullptr) : heads[0];
  return json_response(Json{{"latest", latest}, {"heads", heads}});
}

} // namespace mineplan::server
