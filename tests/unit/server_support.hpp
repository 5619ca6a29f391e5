#pragma once
// The server under test: a copy of the seed store with a few accounts, the real App and
// HttpServer on a free loopback port, and a small HTTP client speaking to it over TCP.
#include "review_support.hpp"
#include "server/accounts.hpp"
#include "server/app.hpp"
#include "server/http_server.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>

namespace server_test {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;
using mineplan::Json;

struct Reply {
  unsigned status = 0;
  std::map<std::string, std::string> headers; // lower-case names
  std::string body;
  Json json() const { return Json::parse(body); }
};

struct Call {
  std::string cookie;
  std::string csrf;
  std::string content_type = "application/json";
};

inline Reply send(unsigned short port, http::verb method, const std::string &target,
                  const std::string &body = "", const Call &call = {}) {
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port));
  http::request<http::string_body> req{method, target, 11};
  req.set(http::field::host, "127.0.0.1");
  if (!call.cookie.empty()) req.set(http::field::cookie, call.cookie);
  if (!call.csrf.empty()) req.set("X-CSRF-Token", call.csrf);
  if (!body.empty()) {
    req.set(http::field::content_type, call.content_type);
    req.body() = body;
  }
  req.prepare_payload();
  http::write(socket, req);
  beast::flat_buffer buffer;
  http::response_parser<http::string_body> parser;
  parser.body_limit(256u << 20);
  http::read(socket, buffer, parser);
  auto res = parser.release();
  Reply r;
  r.status = res.result_int();
  for (const auto &h : res) {
    std::string name(h.name_string());
    for (auto &ch : name)
      ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    r.headers[name] = std::string(h.value());
  }
  r.body = res.body();
  beast::error_code ec;
  socket.shutdown(tcp::socket::shutdown_both, ec);
  return r;
}

// The accounts every server test has; the password is the same for all.
inline const char *kPassword = "correct horse battery";

// The licence numbers the test holders are linked to: rights of the seed store (a right listed
// without a licence number is linked by its uid) and the test mines of the registry tests.
inline const char *kPetrochinaOilfield = "erenhot-2021/mr-01"; // 152501, seed table
inline const char *kPetrochinaDalad = "API-TEST-PC-DALAD";     // the registry tests' Dalad mines
inline const char *kFluoriteMine = "erenhot-2021/mr-02";       // 152501, seed table
inline const char *kFluoriteErenhot = "API-TEST-FL-ERENHOT";   // the registry tests' Erenhot mine

struct Account {
  const char *username, *role, *jurisdiction, *holder;
  std::vector<std::string> licences; // a holder's linked rights: what it sees and acts on
};
inline const std::vector<Account> &test_accounts() {
  static const std::vector<Account> all{
      {"region", "region_staff", "150000", "", {}},
      {"ordos", "league_staff", "150600", "", {}},
      {"dalad", "county_staff", "150621", "", {}},
      {"erenhot", "county_staff", "152501", "", {}},
      {"urad", "county_staff", "150824", "", {}}, // the consolidation program's county (seed 003)
      {"reviewer", "reviewer", "150621", "", {}},
      {"urad-reviewer", "reviewer", "150824", "", {}}, // reads the program's rectification ledger
      {"petrochina",
       "holder",
       "150000",
       "中国石油天然气股份有限公司",
       {kPetrochinaOilfield, kPetrochinaDalad}},
      {"fluorite",
       "holder",
       "150000",
       "二连浩特市白音敖包萤石矿",
       {kFluoriteMine, kFluoriteErenhot}},
  };
  return all;
}

// The base store with the accounts, made once per process (argon2id is slow on purpose).
inline std::filesystem::path accounts_store_file() {
  static mineplan::testing::TempDir dir;
  static const std::filesystem::path file = [] {
    auto f = dir.path() / "accounts.gpkg";
    std::filesystem::copy_file(review_test::base_store_file(), f);
    auto st = mineplan::store::Store::open(f.string());
    const std::string hash = mineplan::server::hash_password(kPassword);
    for (const auto &a : test_accounts()) {
      mineplan::store::Account acc;
      acc.username = a.username;
      acc.display_name = a.username;
      acc.role = a.role;
      acc.jurisdiction = a.jurisdiction;
      acc.holder = a.holder;
      acc.licences = a.licences;
      acc.password_hash = hash;
      st->add_account(acc);
    }
    return f;
  }();
  return file;
}

class TestServer {
public:
  explicit TestServer(mineplan::server::HttpLimits limits = {},
                      mineplan::server::ServeOptions tweak = {}) {
    const auto file = dir_.path() / "store.gpkg";
    mineplan::testing::copy_store(accounts_store_file(), file).reset();
    location_ = mineplan::testing::store_location(file);
    tweak.store = location_;
    tweak.data_dir = std::filesystem::path(MINEPLAN_SOURCE_DIR) / "data";
    tweak.secure_cookies = false;
    app_ = std::make_unique<mineplan::server::App>(tweak);
    http_ = std::make_unique<mineplan::server::HttpServer>(
        "127.0.0.1", 0,
        [this](const mineplan::server::Request &r, const std::string &remote) {
          return app_->handle(r, remote);
        },
        limits);
    http_->start(4);
  }
  ~TestServer() { http_->stop(); }

  unsigned short port() const { return http_->port(); }
  // Rebuilds the server's read model after a test wrote to the store directly.
  void refresh() const { app_->refresh(); }
  // The store the server runs on: a file, or a postgresql:// URL (store_support.hpp).
  const std::string &store_location() const { return location_; }
  std::filesystem::path store_file() const { return location_; }

  Reply get(const std::string &target, const Call &call = {}) const {
    return send(port(), http::verb::get, target, "", call);
  }
  Reply post(const std::string &target, const Json &body, const Call &call = {}) const {
    return send(port(), http::verb::post, target, body.dump(), call);
  }
  Reply patch(const std::string &target, const Json &body, const Call &call = {}) const {
    return send(port(), http::verb::patch, target, body.dump(), call);
  }
  Reply del(const std::string &target, const Call &call = {}) const {
    return send(port(), http::verb::delete_, target, "", call);
  }
  // Signs in and returns the cookie and CSRF token to send with later calls.
  Call login(const std::string &username) const {
    Reply r = post("/api/login", Json{{"username", username}, {"password", kPassword}});
    if (r.status != 200) throw std::runtime_error("login " + username + ": " + r.body);
    Call c;
    std::string cookie = r.headers["set-cookie"];
    c.cookie = cookie.substr(0, cookie.find(';'));
    c.csrf = r.json()["csrf"].get<std::string>();
    return c;
  }

private:
  mineplan::testing::TempDir dir_;
  std::string location_;
  std::unique_ptr<mineplan::server::App> app_;
  std::unique_ptr<mineplan::server::HttpServer> http_;
};

} // namespace server_test
