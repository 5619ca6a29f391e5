// Resource limits of the server: the connection cap answers 503 and recovers, large uploads
// with a Content-Length reach the import route, and failed logins lock out a name only from the
// address that failed.
#include "server_support.hpp"

#include <sys/resource.h>

#include <thread>

using namespace server_test;
using review_test::read_text;

namespace {

// A request to App::handle as if it came from `remote`.
mineplan::server::Request login_request(const std::string &username, const std::string &password) {
  mineplan::server::Request req{http::verb::post, "/api/login", 11};
  req.set(http::field::content_type, "application/json");
  req.body() = Json{{"username", username}, {"password", password}}.dump();
  req.prepare_payload();
  return req;
}

} // namespace

TEST(ServerLimits, ConnectionsBeyondTheCapGet503AndTheServerRecovers) {
  mineplan::server::HttpLimits limits;
  limits.max_connections = 3;
  TestServer s(limits);
  asio::io_context ioc;
  std::vector<tcp::socket> idle;
  for (int i = 0; i < 3; ++i) {
    idle.emplace_back(ioc);
    idle.back().connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300)); // let the server accept them
  Reply busy = s.get("/api/session");
  EXPECT_EQ(busy.status, 503u) << busy.body;
  EXPECT_FALSE(busy.headers["retry-after"].empty());
  EXPECT_NE(busy.json()["error"].get<std::string>().find("连接数"), std::string::npos);
  for (auto &sock : idle)
    sock.close();
  unsigned status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    status = s.get("/api/session").status;
  }
  EXPECT_EQ(status, 200u);
}

TEST(ServerLimits, AnUploadAboveOneMiBWithAContentLengthReachesTheImportRoute) {
  TestServer s;
  Call ordos = s.login("ordos");
  // A real ledger padded past the 1 MiB limit of other routes with a comment column's worth of
  // blank lines: sent with Content-Length (not chunked), as browsers and curl send files.
  std::string csv =
      read_text(std::filesystem::path(MINEPLAN_SOURCE_DIR) / "tests/cases/import/ok_standard.csv");
  csv += std::string(3u << 20, '\n');
  Reply r = send(s.port(), http::verb::post,
                 "/api/imports?layer=rights&as_of=2024-01-01&filename=ledger.csv", csv,
                 Call{ordos.cookie, ordos.csrf, "text/csv"});
  EXPECT_EQ(r.status, 202u) << r.body;
  // Past the route's limit it is refused from the announced length, before the body is sent
  // (a client still writing would meet the closed connection).
  asio::io_context ioc;
  tcp::socket socket(ioc);
  socket.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()));
  const std::string head = "POST /api/imports?layer=rights&filename=a.csv HTTP/1.1\r\nHost: x\r\n"
                           "Content-Type: text/csv\r\nCookie: " +
                           ordos.cookie + "\r\nX-CSRF-Token: " + ordos.csrf +
                           "\r\nContent-Length: " + std::to_string((64u << 20) + 1) + "\r\n\r\n";
  asio::write(socket, asio::buffer(head));
  beast::flat_buffer buffer;
  http::response<http::string_body> res;
  http::read(socket, buffer, res);
  EXPECT_EQ(res.result_int(), 413u) << res.body();
}

TEST(ServerLimits, FailedLoginsFromOneAddressDoNotLockTheUserOutElsewhere) {
  mineplan::testing::TempDir dir;
  const auto file = dir.path() / "store.gpkg";
  mineplan::testing::copy_store(accounts_store_file(), file).reset();
  mineplan::server::ServeOptions o;
  o.store = mineplan::testing::store_location(file);
  o.data_dir = std::filesystem::path(MINEPLAN_SOURCE_DIR) / "data";
  o.secure_cookies = false;
  mineplan::server::App app(o);
  for (int i = 0; i < 5; ++i)
    EXPECT_EQ(app.handle(login_request("dalad", "wrong password!"), "203.0.113.9").result_int(),
              401);
  // The attacker's address is locked out for this name, even with the right password …
  EXPECT_EQ(app.handle(login_request("dalad", kPassword), "203.0.113.9").result_int(), 429);
  // … the user at their own address is not.
  EXPECT_EQ(app.handle(login_request("dalad", kPassword), "10.1.2.3").result_int(), 200);
  // One address guessing over many names is bounded too (20 per address).
  int limited = 0;
  for (int i = 0; i < 25; ++i)
    limited +=
        app.handle(login_request("name" + std::to_string(i), "x"), "198.51.100.7").result_int() ==
        429;
  EXPECT_GE(limited, 5);
}

TEST(ServerLimits, OutOfDescriptorsTheAcceptLoopWaitsInsteadOfSpinning) {
  TestServer s;
  EXPECT_EQ(s.get("/api/session").status, 200u); // every thread's store is open
  // This test runs in a process of its own (ctest): lower its descriptor limit to a few above
  // what is open, then use them up with connections the server accepts.
  rlimit old{};
  ASSERT_EQ(getrlimit(RLIMIT_NOFILE, &old), 0);
  int open_now = 0;
  for (const auto &e : std::filesystem::directory_iterator("/proc/self/fd"))
    open_now += e.is_symlink() ? 1 : 0;
  rlimit tight = old;
  tight.rlim_cur = static_cast<rlim_t>(open_now + 8);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &tight), 0);
  asio::io_context ioc;
  std::vector<tcp::socket> held;
  for (int i = 0; i < 16; ++i) {
    tcp::socket sock(ioc);
    beast::error_code ec;
    sock.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()), ec);
    if (ec) break;
    held.push_back(std::move(sock));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(held.empty());
  // Free one descriptor for one more client connection: the server cannot accept it.
  held.pop_back();
  tcp::socket pending(ioc);
  beast::error_code ec;
  pending.connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), s.port()), ec);
  auto cpu = [] {
    rusage u{};
    getrusage(RUSAGE_SELF, &u);
    return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
           static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
  };
  const double before = cpu();
  std::this_thread::sleep_for(std::chrono::milliseconds(1000));
  const double used = cpu() - before;
  // A loop retrying accept at once burns a whole core (~1 s here); waiting costs nothing.
  EXPECT_LT(used, 0.3) << "CPU seconds spent while out of descriptors";
  held.clear();
  pending.close(ec);
  ASSERT_EQ(setrlimit(RLIMIT_NOFILE, &old), 0);
  unsigned status = 0;
  for (int i = 0; i < 100 && status != 200; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    try {
      status = s.get("/api/session").status;
    } catch (const std::exception &) {
    }
  }
  EXPECT_EQ(status, 200u);
}
