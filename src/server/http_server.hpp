#pragma once
// The HTTP/1.1 front of the server on Boost.Beast: accepts connections, reads requests within
// limits and deadlines, hands each to the handler, writes the answer. It knows nothing of the
// API; a bad request never reaches the handler and never takes the server down.
#include <boost/beast/http.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>

namespace mineplan::server {

using Request = boost::beast::http::request<boost::beast::http::string_body>;
using Response = boost::beast::http::response<boost::beast::http::string_body>;

struct HttpLimits {
  std::size_t header_bytes = 16 * 1024;
  std::size_t body_bytes = 1 << 20;
  std::size_t large_body_bytes = 64 << 20; // for targets starting with large_body_prefix
  std::string large_body_prefix = "/api/imports";
  // A request (headers and body) must arrive within this from the moment the server starts
  // waiting for it, idle keep-alive time included; slow clients are cut off.
  std::chrono::milliseconds request_timeout{30000};
  // Open connections served at once; one more is answered 503 and closed, so that a flood of
  // idle connections cannot take every descriptor and thread from the clients being served.
  std::size_t max_connections = 512;
};

// `remote` is the client's address.
using Handler = std::function<Response(const Request &request, const std::string &remote)>;

Response json_error(unsigned status, const std::string &message, const std::string &field = "",
                    unsigned version = 11);

class HttpServer {
public:
  // Binds at once (port 0 = any free port); serving starts with start().
  HttpServer(const std::string &host, unsigned short port, Handler handler, HttpLimits limits);
  ~HttpServer();
  HttpServer(const HttpServer &) = delete;
  HttpServer &operator=(const HttpServer &) = delete;

  unsigned short port() const;
  void start(int threads); // returns at once
  void stop();             // stops accepting, closes connections, joins the threads

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

} // namespace mineplan::server
