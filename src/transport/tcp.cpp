// TCP transport (RFC 3261 §18 over TCP) on standalone Asio: the listeners,
// the connection table and send(). One connection: tcp_connection.cpp.
#include "sipua/transport/tcp.hpp"

#include "asio_address.hpp"
#include "tcp_connection.hpp"
#include <asio/ip/v6_only.hpp>

namespace sipua {
namespace {

using tcp = asio::ip::tcp;
using detail::tcp_connection;
using detail::tcp_core;

struct listener : std::enable_shared_from_this<listener> {
  listener(std::shared_ptr<tcp_core> c, socket_address a)
      : core(std::move(c)), acceptor(core->io), local(a) {}

  std::shared_ptr<tcp_core> core;
  tcp::acceptor acceptor;
  socket_address local;

  std::error_code open();
  void accept();
  void on_accept(const std::error_code& ec, tcp::socket socket);
};

std::error_code listener::open() {
  const auto ep = detail::to_endpoint<tcp::endpoint>(local);
  std::error_code ec;
  acceptor.open(ep.protocol(), ec);
  if (!ec && local.address().is_v6()) acceptor.set_option(asio::ip::v6_only(true), ec);
  if (!ec) acceptor.set_option(tcp::acceptor::reuse_address(true), ec);
  if (!ec) acceptor.bind(ep, ec);
  if (!ec) acceptor.listen(tcp::acceptor::max_listen_connections, ec);
  if (!ec) local = detail::from_endpoint(acceptor.local_endpoint(ec));
  return detail::to_std(ec);
}

void listener::accept() {
  acceptor.async_accept([self = shared_from_this()](const std::error_code& ec, tcp::socket s) {
    self->on_accept(ec, std::move(s));
  });
}

bool is_transient_accept_error(const std::error_code& ec) {
  return ec == std::errc::connection_aborted || ec == std::errc::connection_reset ||
         ec == std::errc::protocol_error || ec == std::errc::interrupted;
}

void listener::on_accept(const std::error_code& asio_ec, tcp::socket socket) {
  if (core->user == nullptr || asio_ec == asio::error::operation_aborted) return;
  const std::error_code ec = detail::to_std(asio_ec);
  if (ec) {
    // A connection that died in the backlog is no reason to stop; anything
    // else (EMFILE ...) would fail again at once: report it and stop.
    if (is_transient_accept_error(ec)) {
      accept();
      return;
    }
    core->user->on_transport_error(
        transport_error_event{transport_protocol::tcp, local, std::nullopt, ec});
    return;
  }
  std::error_code e;
  const tcp::endpoint remote_ep = socket.remote_endpoint(e);
  const tcp::endpoint local_ep = socket.local_endpoint(e);
  if (e || core->connections.size() >= core->config.max_connections) {
    socket.close(e);  // past the cap: closed at once, no event
  } else {
    const socket_address remote = detail::from_endpoint(remote_ep);
    auto conn = std::make_shared<tcp_connection>(core, std::move(socket), remote,
                                                 detail::from_endpoint(local_ep));
    // The table has one connection per remote address: a new one from the
    // same address replaces the old (which can only be a stale flow).
    auto it = core->connections.find(remote);
    if (it != core->connections.end()) it->second->close();
    core->connections.emplace(remote, conn);
    conn->start_accepted();
  }
  accept();
}

}  // namespace

struct tcp_transport::impl {
  impl(asio::io_context& io, tcp_config config)
      : core(std::make_shared<tcp_core>(io, std::move(config))) {}

  std::shared_ptr<tcp_core> core;
  std::vector<std::shared_ptr<listener>> listeners;
  std::vector<socket_address> locals;
  bool closed = false;
  bool started = false;
};

tcp_transport::tcp_transport(asio::io_context& io, tcp_config config)
    : impl_(std::make_unique<impl>(io, std::move(config))) {}

tcp_transport::~tcp_transport() { close(); }

std::span<const socket_address> tcp_transport::local_addresses() const noexcept {
  return impl_->locals;
}

std::error_code tcp_transport::start(transport_user& user) {
  if (impl_->closed) return transport_errc::closed;
  if (impl_->started) return std::make_error_code(std::errc::invalid_argument);
  for (const socket_address& where : impl_->core->config.listen) {
    auto l = std::make_shared<listener>(impl_->core, where);
    if (std::error_code ec = l->open()) {
      std::error_code ignored;
      l->acceptor.close(ignored);
      for (auto& other : impl_->listeners) other->acceptor.close(ignored);
      impl_->listeners.clear();
      impl_->locals.clear();
      return ec;
    }
    impl_->locals.push_back(l->local);
    impl_->listeners.push_back(std::move(l));
  }
  impl_->started = true;
  impl_->core->user = &user;
  for (auto& l : impl_->listeners) l->accept();
  return {};
}

std::error_code tcp_transport::send(const socket_address& destination, std::string_view bytes) {
  tcp_core& core = *impl_->core;
  if (impl_->closed || core.user == nullptr) return transport_errc::closed;
  // RFC 3261 §18.1.1 / §18.2.2: reuse the connection to that address,
  // whichever side opened it.
  if (auto it = core.connections.find(destination); it != core.connections.end()) {
    return it->second->enqueue(bytes);
  }
  if (core.connections.size() >= core.config.max_connections) {
    return transport_errc::too_many_connections;
  }
  auto conn = std::make_shared<tcp_connection>(impl_->core, destination);
  if (std::error_code ec = conn->enqueue(bytes)) return ec;  // max_send_queue of 0
  core.connections.emplace(destination, conn);
  conn->start_connect();
  return {};
}

void tcp_transport::close() noexcept {
  impl_->closed = true;
  tcp_core& core = *impl_->core;
  core.user = nullptr;
  std::error_code ignored;
  for (auto& l : impl_->listeners) l->acceptor.close(ignored);
  impl_->listeners.clear();
  auto connections = std::move(core.connections);
  core.connections.clear();
  for (auto& [remote, conn] : connections) conn->close();
}

std::size_t tcp_transport::connection_count() const noexcept {
  return impl_->core->connections.size();
}

bool tcp_transport::has_connection(const socket_address& remote) const {
  return impl_->core->connections.contains(remote);
}

}  // namespace sipua
