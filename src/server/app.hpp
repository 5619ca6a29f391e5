#pragma once
// The mineplan web application: routes, authorisation, the API handlers, tiles and the static
// web app, over one store. HttpServer calls App::handle on its threads.
#include "server/http_server.hpp"

#include <filesystem>
#include <memory>
#include <string>

namespace mineplan::server {

struct ServeOptions {
  std::string store;              // the store location (a .gpkg file)
  std::filesystem::path web_dir;  // the built web app (web/dist); empty = API only
  std::filesystem::path data_dir; // data/ (layers.json, ledger-columns.json)
  bool secure_cookies = true;     // the cookie's Secure attribute
  // Serve reads only: every write answers 503 (mineplan serve --read-only). Set too when the
  // store cannot be written (read-only media, no write permission).
  bool read_only = false;
  int session_hours = 8;
  int login_failures_per_user = 5; // per username and client address, within login_window
  int login_failures_per_address = 20;
  std::chrono::seconds login_window{600};
};

class App {
public:
  explicit App(ServeOptions options);
  ~App();
  App(const App &) = delete;
  App &operator=(const App &) = delete;

  Response handle(const Request &request, const std::string &remote);

  // Rebuilds the read model (review engine, tiles, search) from the store: after a write.
  void refresh();

  // True when the store is served read-only (asked for, or it cannot be written).
  bool read_only() const;

  struct Impl;

private:
  std::unique_ptr<Impl> impl_;
};

} // namespace mineplan::server
