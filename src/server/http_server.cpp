#include "server/http_server.hpp"

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/beast/core.hpp>
#include <nlohmann/json.hpp>

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
  res.body() = body.dump();
  res.prepare_payload();
  return res;
}

namespace {

class Connection : public std::enable_shared_from_this<Connection> {
public:
  Connection(tcp::socket &&socket, const Handler &handler, const HttpLimits &limits)
      : stream_(std::move(socket)), handler_(handler), limits_(limits) {
    beast::error_code ec;
    auto ep = stream_.socket().remote_endpoint(ec);
    remote_ = ec ? "unknown" : ep.address().to_string();
  }

  void start() {
    asio::dispatch(stream_.get_executor(),
                   beast::bind_front_handler(&Connection::read_header, shared_from_this()));
  }

private:
  void read_header() {
    parser_.emplace();
    parser_->header_limit(static_cast<std::uint32_t>(limits_.header_bytes));
    parser_->body_limit(limits_.body_bytes);
    stream_.expires_after(limits_.request_timeout);
    http::async_read_header(stream_, buffer_, *parser_,
                            beast::bind_front_handler(&Connection::on_header, shared_from_this()));
  }

  void on_header(beast::error_code ec, std::size_t) {
    if (ec) return fail_read(ec);
    if (parser_->get().target().starts_with(limits_.large_body_prefix))
      parser_->body_limit(limits_.large_body_bytes);
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
      return reply(json_error(413, "the request body is larger than this route accepts"), false);
    if (ec == http::error::header_limit)
      return reply(json_error(431, "the request headers are larger than 16 KiB"), false);
    return reply(json_error(400, "malformed HTTP request: " + ec.message()), false);
  }

  void on_read(beast::error_code ec, std::size_t) {
    if (ec) return fail_read(ec);
    Request req = parser_->release();
    Response res;
    try {
      res = handler_(req, remote_);
    } catch (const std::exception &e) {
      // The handler maps every input problem to 4xx; what reaches here is our fault.
      std::fprintf(stderr, "mineplan serve: %s %s: %s\n", std::string(req.method_string()).c_str(),
                   std::string(req.target()).c_str(), e.what());
      res = json_error(500, "internal error");
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
  std::string remote_;
};

} // namespace

struct HttpServer::Impl {
  Handler handler;
  HttpLimits limits;
  asio::io_context ioc;
  tcp::acceptor acceptor{ioc};
  std::vector<std::thread> threads;
  std::mutex mutex;
  bool stopped = false;

  void accept() {
    acceptor.async_accept(asio::make_strand(ioc), [this](beast::error_code ec, tcp::socket s) {
      if (ec == asio::error::operation_aborted) return;
      if (!ec) std::make_shared<Connection>(std::move(s), handler, limits)->start();
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
