// mineplan serve DB [--port P] [--host ADDR] [--web DIR] [--threads N] [--insecure-cookies]
// [--read-only]:
// the one-map portal, the JSON API and vector tiles over one store (docs/api.md).
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "io/catalogue_loader.hpp"
#include "server/app.hpp"

#include <csignal>
#include <cstdio>
#include <thread>

namespace mineplan::cli {

int cmd_serve(const Args &args) {
  Options o(args,
            "mineplan serve DB [--port P] [--host ADDR] [--web DIR] [--threads N] "
            "[--insecure-cookies] [--read-only]",
            {"insecure-cookies", "read-only"}, {"port", "host", "web", "threads"});
  const std::string &db = o.positional(0, "DB (the store)");
  o.expect_positionals(1);
  auto number = [&](const char *key, long fallback, long lo, long hi) {
    auto v = o.value(key);
    if (!v) return fallback;
    try {
      std::size_t used = 0;
      long n = std::stol(*v, &used);
      if (used == v->size() && n >= lo && n <= hi) return n;
    } catch (...) {
    }
    o.fail("--" + std::string(key) + " expects a number from " + std::to_string(lo) + " to " +
           std::to_string(hi));
  };
  const auto port = static_cast<unsigned short>(number("port", 8080, 0, 65535));
  const int threads = static_cast<int>(
      number("threads", std::max(2u, std::thread::hardware_concurrency()), 1, 256));
  const std::string host = o.value("host").value_or("127.0.0.1");

  server::ServeOptions so;
  so.store = db;
  so.data_dir = io::default_data_dir();
  so.web_dir = o.value("web").value_or((so.data_dir.parent_path() / "web" / "dist").string());
  // Browsers keep Secure cookies on http://localhost; elsewhere TLS ends at the proxy in front.
  so.secure_cookies = !o.flag("insecure-cookies");
  so.read_only = o.flag("read-only");

  // Signals are taken by this thread alone (sigwait below), never by a server thread.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  server::App app(so);
  server::HttpServer http(
      host, port,
      [&app](const server::Request &r, const std::string &remote) { return app.handle(r, remote); },
      {});
  http.start(threads);
  std::printf("listening on http://%s:%u (store %s, web %s, %d threads)\n", host.c_str(),
              http.port(), db.c_str(), so.web_dir.c_str(), threads);
  if (app.read_only())
    std::printf("存储只读：只提供查询，登录和一切写操作答 503（the store is served read-only）\n");
  std::fflush(stdout);
  int sig = 0;
  sigwait(&signals, &sig);
  std::printf("stopping (signal %d)\n", sig);
  http.stop();
  return 0;
}

MINEPLAN_COMMAND("serve", cmd_serve,
                 "mineplan serve DB [--port P] [--host ADDR] [--web DIR] [--threads N] "
                 "[--insecure-cookies] [--read-only]",
                 "serve the one-map portal, the API and vector tiles (docs/api.md)");

} // namespace mineplan::cli
