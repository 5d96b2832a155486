// The stream transports' listeners, connection table and send() (RFC 3261
// §18 over TCP and TLS) on standalone Asio. One connection:
// stream_connection.cpp.
#include "stream_transport.hpp"

#include <algorithm>

#include "asio_address.hpp"
#include "tls_engine.hpp"
#include <asio/ip/v6_only.hpp>

namespace sipua::detail {

using tcp = asio::ip::tcp;

class stream_listener : public std::enable_shared_from_this<stream_listener> {
 public:
  stream_listener(std::shared_ptr<stream_core> c, socket_address a)
      : core(std::move(c)), acceptor(core->io), local(a) {}

  std::shared_ptr<stream_core> core;
  tcp::acceptor acceptor;
  socket_address local;

  std::error_code open();
  void accept();

 private:
  void on_accept(const std::error_code& ec, tcp::socket socket);
};

namespace {

bool is_transient_accept_error(const std::error_code& ec) {
  return ec == std::errc::connection_aborted || ec == std::errc::connection_reset ||
         ec == std::errc::protocol_error || ec == std::errc::interrupted;
}

}  // namespace

std::error_code stream_listener::open() {
  const auto ep = to_endpoint<tcp::endpoint>(local);
  std::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (!ec && local.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(tcp::acceptor::max_listen_connections, ec);
  if (!ec) local = from_endpoint(acceptor.local_endpoint(ec));
  return to_std(ec);
}

void stream_listener::accept() {
  acceptor.async_accept([self = shared_from_this()](const std::error_code& ec, tcp::socket s) {
    self->on_accept(ec, std::move(s));
  });
}

void stream_listener::on_accept(const std::error_code& asio_ec, tcp::socket socket) {
  if (core->user == nullptr || asio_ec == asio::error::operation_aborted) return;
  const std::error_code ec = to_std(asio_ec);
  if (ec) {
    // A connection that died in the backlog is no reason to stop; anything
    // else (EMFILE ...) would fail again at once: report it and stop.
    if (is_transient_accept_error(ec)) {
      accept();
      return;
    }
    core->user->on_transport_error(
        transport_error_event{core->protocol, local, std::nullopt, ec, {}});
    return;
  }
  std::error_code e;
  const tcp::endpoint remote_ep = socket.remote_endpoint(e);
  const tcp::endpoint local_ep = socket.local_endpoint(e);
  std::unique_ptr<tls_engine> session;
  if (!e && core->tls) {
    if (ssl_ptr ssl = core->tls->new_server()) {
      session = std::make_unique<tls_engine>(std::move(ssl), false, std::string());
    }
  }
  if (e || core->connections.size() >= core->config.max_connections || (core->tls && !session)) {
    socket.close(e);  // past the cap: closed at once, no event
  } else {
    const socket_address remote = from_endpoint(remote_ep);
    auto conn = std::make_shared<stream_connection>(core, std::move(socket), remote,
                                                    from_endpoint(local_ep), std::move(session));
    // The table has one connection per remote address: a new one from the
    // same address replaces the old (which can only be a stale flow).
    auto it = core->connections.find(remote);
    if (it != core->connections.end()) it->second->close();
    core->connections.emplace(remote, conn);
    conn->start_accepted();
  }
  accept();
}

stream_transport::stream_transport(asio::io_context& io, tcp_config config,
                                   transport_protocol protocol)
    : core_(std::make_shared<stream_core>(io, std::move(config), protocol)) {
  core_->read_buffer.resize(std::max<std::size_t>(core_->config.read_buffer_size, 1));
}

stream_transport::~stream_transport() { close(); }

void stream_transport::set_tls(std::shared_ptr<const tls_context> tls,
                               std::chrono::milliseconds handshake_timeout) {
  core_->tls = std::move(tls);
  core_->handshake_timeout = handshake_timeout;
  // One TLS record carries at most 2^14 bytes of plaintext (RFC 8446 §5.1).
  core_->plain_buffer.resize(16 * 1024);
}

std::error_code stream_transport::start(transport_user& user) {
  if (closed_) return transport_errc::closed;
  if (started_) return std::make_error_code(std::errc::invalid_argument);
  for (const socket_address& where : core_->config.listen) {
    auto l = std::make_shared<stream_listener>(core_, where);
    if (std::error_code ec = l->open()) {
      std::error_code ignored;
      l->acceptor.close(ignored);
      for (auto& other : listeners_) other->acceptor.close(ignored);
      listeners_.clear();
      locals_.clear();
      return ec;
    }
    locals_.push_back(l->local);
    listeners_.push_back(std::move(l));
  }
  started_ = true;
  core_->user = &user;
  for (auto& l : listeners_) l->accept();
  return {};
}

std::error_code stream_transport::send(const socket_address& destination,
                                       std::string_view server_name, std::string_view bytes) {
  stream_core& core = *core_;
  if (closed_ || core.user == nullptr) return transport_errc::closed;
  // RFC 3261 §18.1.1 / §18.2.2: reuse the connection to that address,
  // whichever side opened it (over TLS, when it is good for the name).
  if (auto it = core.connections.find(destination); it != core.connections.end()) {
    if (!it->second->covers(server_name)) return tls_errc::name_not_covered;
    return it->second->enqueue(bytes);
  }
  if (core.connections.size() >= core.config.max_connections) {
    return transport_errc::too_many_connections;
  }
  std::unique_ptr<tls_engine> session;
  if (core.tls) {
    auto expected = std::make_unique<tls_expected_peer>();
    expected->server_name = std::string(server_name);
    expected->address = destination.address();
    expected->accept_common_name = core.tls->config().accept_common_name;
    ssl_ptr ssl = core.tls->new_client(std::move(expected));
    if (!ssl) return std::make_error_code(std::errc::not_enough_memory);
    session = std::make_unique<tls_engine>(std::move(ssl), true, std::string(server_name));
  }
  auto conn = std::make_shared<stream_connection>(core_, destination, std::move(session));
  if (std::error_code ec = conn->enqueue(bytes)) return ec;  // max_send_queue of 0
  core.connections.emplace(destination, conn);
  conn->start_connect();
  return {};
}

void stream_transport::close() noexcept {
  closed_ = true;
  stream_core& core = *core_;
  core.user = nullptr;
  std::error_code ignored;
  for (auto& l : listeners_) l->acceptor.close(ignored);
  listeners_.clear();
  auto connections = std::move(core.connections);
  core.connections.clear();
  for (auto& [remote, conn] : connections) conn->close();
}

}  // namespace sipua::detail
