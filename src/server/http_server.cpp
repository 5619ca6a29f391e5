#include "server/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <mutex>
#include <thread>
#include <vector>

namespace mineplan::server {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;
using tcp = asio::ip::tcp;

Response json_error(unsigned status, const std::string &message, const std::string &field,
                    unsigned version) {
  nlohmann::ordered_json body{{"error", message}};
  if (!field.empty()) body["field"] = field;
  Response res{static_cast<http::status>(status), version};
  res.set(http::field::content_type, "application/json; charset=utf-8");
  res.set(http::field::cache_control, "no-store");
  // A message may quote the caller's own bytes; invalid UTF-8 among them is replaced, not fatal.
  res.body() = body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  res.prepare_payload();
  return res;
}

namespace {

// Counts a connection as open for as long as it lives.
class ConnectionTicket {
public:
  explicit ConnectionTicket(std::atomic<std::size_t> &open) : open_(&open) { ++*open_; }
  ~ConnectionTicket() { --*open_; }
  ConnectionTicket(const ConnectionTicket &) = delete;
  ConnectionTicket &operator=(const ConnectionTicket &) = delete;

private:
  std::atomic<std::size_t> *open_;
};

class Connection : public std::enable_shared_from_this<Connection> {
public:
  Connection(tcp::socket &&socket, const Handler &handler, const HttpLimits &limits,
             std::atomic<std::size_t> &open)
      : stream_(std::move(socket)), handler_(handler), limits_(limits), ticket_(open) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "unknown" : ep.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Connection::read_header, shared_from_this()));
  }

  // Over the connection cap: read the request's header (so that the client, still writing,
  // is not reset before it reads the answer), answer 503 and close.
  void refuse_busy() {
    busy_ = true;
    start();
  }

private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
    // The parser checks a Content-Length against the body limit while it reads the header,
    // before the route is known: allow the largest here and apply the route's in on_header.
    parser_->body_limit(std::max(limits_.body_bytes, limits_.large_body_bytes));
    stream_.expires_after(limits_.request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Connection::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return fail_read(ec);
    if (busy_) {
      Response res =
          json_error(503, "服务器繁忙：同时连接数已达上限，请稍后再试 (too many connections)");
      res.set(http::field::retry_after, "5");
      return reply(std::move(res), false);
    }
    const std::size_t limit = parser_->get().target().starts_with(limits_.large_body_prefix)
                                  ? limits_.large_body_bytes
                                  : limits_.body_bytes;
    if (auto length = parser_->content_length(); length && *length > limit)
      return fail_read(http::error::body_limit);
    parser_->body_limit(limit); // a chunked body is counted as it arrives
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&Connection::on_read, shared_from_this()));
  }

  void fail_read(beast::error_code ec) {
    // A closed or timed-out connection has no one to answer; a broken request does.
    if (ec == http::error::end_of_stream || ec == beast::error::timeout ||
        ec == asio::error::operation_aborted || ec == asio::error::connection_reset ||
        ec == asio::error::eof)
      return close();
    if (ec == http::error::body_limit)
      return reply(json_error(413, "请求正文超过该接口允许的大小 (the request body is larger than "
                                   "this route accepts)"),
                   false);
    if (ec == http::error::header_limit)
      return reply(
          json_error(431, "请求头超过 16 KiB (the request headers are larger than 16 KiB)"), false);
    return reply(
        json_error(400, "HTTP 请求格式错误 (malformed HTTP request: " + ec.message() + ")"), false);
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail_read(ec);
    Request req = parser_->release();
    Response res;
    try {
      res = handler_(req, remote_);
    } catch (const std::exception &e) {
      // The handler translates every exception itself; this is the last guard of the thread.
      std::fprintf(stderr, "mineplan serve: %s %s: %s\n", std::string(req.method_string()).c_str(),
                   std::string(req.target()).c_str(), e.what());
      res = json_error(500, "服务器内部错误 (internal error)");
    }
    res.version(req.version());
    res.keep_alive(req.keep_alive());
    if (req.method() == http::verb::head) res.body().clear();
    reply(std::move(res), req.keep_alive());
  }

  void reply(Response &&res, bool keep_alive) {
    if (!keep_alive) res.keep_alive(false);
    auto sp = std::make_shared<Response>(std::move(res));
    response_ = sp;
    stream_.expires_after(limits_.request_timeout);
    http::async_write(stream_, *sp,
                      [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                        self->response_.reset();
                        if (ec || !keep_alive) return self->close();
                        self->read_header();
                      });
  }

  void close() {
    beast::error_code ec;
    stream_.socket().shutdown(tcp::socket::shutdown_send, ec);
    stream_.close();
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<http::request_parser<http::string_body>> parser_;
  std::shared_ptr<Response> response_;
  const Handler &handler_;
  const HttpLimits &limits_;
  ConnectionTicket ticket_;
  std::string remote_;
  bool busy_ = false;
};

} // namespace

struct HttpServer::Impl {
  Handler handler;
  HttpLimits limits;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  asio::steady_timer retry{ioc};
  std::atomic<std::size_t> open{0};
  std::vector<std::thread> threads;
  std::mutex mutex;
  bool stopped = false;

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (ec) {
        // Out of descriptors (EMFILE, ENFILE) or memory: accepting again at once would fail
        // again at once and spin a core. Pause, let connections finish, then go on.
        retry.expires_after(std::chrono::milliseconds(100));
        retry.async_wait([this](beast::error_code wait) {
          if (wait != asio::error::operation_aborted) accept();
        });
        return;
      }
      // Past twice the cap even a refusal costs too much: the socket is closed at once.
      if (open.load() >= 2 * limits.max_connections) {
        beast::error_code ignored;
        s.close(ignored);
        return accept();
      }
      auto c = std::make_shared<Connection>(std::move(s), handler, limits, open);
      if (open.load() > limits.max_connections)
        c->refuse_busy();
      else
        c->start();
      accept();
    });
  }
};

HttpServer::HttpServer(const std::string &host, unsigned short port, Handler handler,
                       HttpLimits limits)
    : impl_(std::make_unique<Impl>()) {
  impl_->handler = std::move(handler);
  impl_->limits = std::move(limits);
  tcp::endpoint ep{asio::ip::make_address(host), port};
  impl_->acceptor.open(ep.protocol());
  impl_->acceptor.set_option(asio::socket_base::reuse_address(true));
  impl_->acceptor.bind(ep);
  impl_->acceptor.listen(asio::socket_base::max_listen_connections);
}

HttpServer::~HttpServer() {
  stop();
}

unsigned short HttpServer::port() const {
  return impl_->acceptor.local_endpoint().port();
}

void HttpServer::start(int threads) {
  impl_->accept();
  for (int i = 0; i < std::max(1, threads); ++i)
    impl_->threads.emplace_back([this] { impl_->ioc.run(); });
}

void HttpServer::stop() {
  {
    std::lock_guard lock(impl_->mutex);
    if (impl_->stopped) return;
    impl_->stopped = true;
  }
  impl_->ioc.stop();
  for (auto &t : impl_->threads)
    if (t.joinable()) t.join();
}

} // namespace mineplan::server
