// UDP transport (RFC 3261 §18 over UDP) on standalone Asio.
#include "sipua/transport/udp.hpp"

#include <deque>
#include <string>

#include "asio_address.hpp"
#include "udp_errqueue.hpp"
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/ip/v6_only.hpp>
#include <asio/post.hpp>

namespace sipua {
namespace {

using udp = asio::ip::udp;
using reuse_port_option = asio::detail::socket_option::boolean<SOL_SOCKET, SO_REUSEPORT>;

/// What handlers share with the transport; outlives it while handlers are
/// pending. `user` is null once closed: nothing is delivered after that.
struct shared_core {
  asio::io_context& io;
  udp_config config;
  transport_user* user = nullptr;
};

struct socket_state : std::enable_shared_from_this<socket_state> {
  socket_state(std::shared_ptr<shared_core> c, socket_address a)
      : core(std::move(c)),
        socket(core->io),
        local(a),
        buffer(core->config.max_datagram_size + 1) {}

  std::shared_ptr<shared_core> core;
  udp::socket socket;
  socket_address local;
  std::vector<char> buffer;  ///< one receive buffer per socket
  udp::endpoint from;
  std::deque<std::pair<udp::endpoint, std::string>> queue;  ///< waiting for the send buffer
  bool waiting_write = false;

  void receive();
  void on_receive(const std::error_code& ec, std::size_t n);
  void report_error(const std::error_code& ec);
  void post_errors(std::error_code fallback);
  void flush();
};

bool is_icmp_error(const std::error_code& ec) {
  return ec == std::errc::connection_refused || ec == std::errc::host_unreachable ||
         ec == std::errc::network_unreachable || ec == std::errc::connection_reset ||
         ec == std::errc::message_size;
}

void socket_state::receive() {
  socket.async_receive_from(asio::buffer(buffer), from,
                            [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                              self->on_receive(ec, n);
                            });
}

void socket_state::on_receive(const std::error_code& asio_ec, std::size_t n) {
  if (core->user == nullptr || asio_ec == asio::error::operation_aborted) return;
  const std::error_code ec = detail::to_std(asio_ec);
  if (ec) {
    report_error(ec);
    // A pending ICMP error is per datagram; anything else (a closed
    // descriptor ...) would fail again at once, so the loop stops.
    if (is_icmp_error(ec) && core->user != nullptr) receive();
    return;
  }
  const transport_origin origin{transport_protocol::udp, local, detail::from_endpoint(from),
                                nullptr};
  auto bytes = std::make_shared<const std::string>(buffer.data(), n);
  if (n > core->config.max_datagram_size) {
    parse_error e{parse_errc::message_too_large, core->config.max_datagram_size, {}, 513};
    core->user->on_parse_failure(inbound_parse_failure{origin, std::move(bytes), e});
  } else {
    detail::deliver_datagram(*core->user, origin, std::move(bytes), core->config.parse);
  }
  if (core->user != nullptr) receive();  // the user may have closed
}

/// Reports a receive error: the queued ICMP errors with their destinations
/// when the error queue has them, else `ec` without a peer.
void socket_state::report_error(const std::error_code& ec) {
  auto queued = detail::drain_error_queue(socket.native_handle());
  if (queued.empty()) queued.push_back({std::nullopt, ec});
  for (const auto& q : queued) {
    if (core->user == nullptr) return;
    core->user->on_transport_error(
        transport_error_event{transport_protocol::udp, local, q.peer, q.error, {}});
  }
}

/// From inside send(): drain the error queue now (so the stale error does
/// not fail this send again) but deliver on the event loop.
void socket_state::post_errors(std::error_code fallback) {
  auto queued = detail::drain_error_queue(socket.native_handle());
  if (queued.empty()) queued.push_back({std::nullopt, fallback});
  for (auto& q : queued) {
    transport_error_event ev{transport_protocol::udp, local, q.peer, q.error, {}};
    asio::post(core->io, [c = core, ev] {
      if (c->user != nullptr) c->user->on_transport_error(ev);
    });
  }
}

void socket_state::flush() {
  while (!queue.empty()) {
    std::error_code ec;
    socket.send_to(asio::buffer(queue.front().second), queue.front().first, 0, ec);
    if (ec == asio::error::would_block || ec == asio::error::try_again) break;
    if (ec) {
      // Posted: flush() also runs inside send(), which delivers nothing.
      transport_error_event ev{transport_protocol::udp,
                               local,
                               detail::from_endpoint(queue.front().first),
                               detail::to_std(ec),
                               {}};
      asio::post(core->io, [c = core, ev] {
        if (c->user != nullptr) c->user->on_transport_error(ev);
      });
    }
    queue.pop_front();
  }
  if (queue.empty() || waiting_write) return;
  waiting_write = true;
  socket.async_wait(udp::socket::wait_write,
                    [self = shared_from_this()](const std::error_code& ec) {
                      self->waiting_write = false;
                      if (ec || self->core->user == nullptr) return;
                      self->flush();
                    });
}

}  // namespace

struct udp_transport::impl {
  explicit impl(asio::io_context& io, udp_config config)
      : core(std::make_shared<shared_core>(shared_core{io, std::move(config), nullptr})) {}

  std::shared_ptr<shared_core> core;
  std::vector<std::shared_ptr<socket_state>> sockets;
  std::vector<socket_address> locals;
  bool closed = false;

  std::error_code open(const socket_address& where);
};

std::error_code udp_transport::impl::open(const socket_address& where) {
  auto s = std::make_shared<socket_state>(core, where);
  const auto ep = detail::to_endpoint<udp::endpoint>(where);
  std::error_code ec;
  s->socket.open(ep.protocol(), ec);
  if (!ec && where.address().is_v6()) s->socket.set_option(asio::ip::v6_only(true), ec);
  if (!ec && core->config.reuse_port) s->socket.set_option(reuse_port_option(true), ec);
  if (!ec && core->config.receive_buffer_size != 0) {
    s->socket.set_option(
        udp::socket::receive_buffer_size(static_cast<int>(core->config.receive_buffer_size)), ec);
  }
  if (!ec && core->config.send_buffer_size != 0) {
    s->socket.set_option(
        udp::socket::send_buffer_size(static_cast<int>(core->config.send_buffer_size)), ec);
  }
  if (!ec) s->socket.non_blocking(true, ec);
  if (!ec) s->socket.bind(ep, ec);
  if (ec) return ec;
  detail::enable_error_queue(s->socket.native_handle(), where.address().is_v6());
  s->local = detail::from_endpoint(s->socket.local_endpoint(ec));
  if (ec) return ec;
  locals.push_back(s->local);
  sockets.push_back(std::move(s));
  return {};
}

udp_transport::udp_transport(asio::io_context& io, udp_config config)
    : impl_(std::make_unique<impl>(io, std::move(config))) {}

udp_transport::~udp_transport() { close(); }

std::span<const socket_address> udp_transport::local_addresses() const noexcept {
  return impl_->locals;
}

std::error_code udp_transport::start(transport_user& user) {
  if (impl_->closed) return transport_errc::closed;
  if (impl_->core->user != nullptr) return std::make_error_code(std::errc::invalid_argument);
  if (impl_->core->config.listen.empty()) return transport_errc::bad_address;
  for (const socket_address& where : impl_->core->config.listen) {
    if (std::error_code ec = impl_->open(where)) {
      for (auto& s : impl_->sockets) s->socket.close(ec);
      impl_->sockets.clear();
      impl_->locals.clear();
      return detail::to_std(ec);
    }
  }
  impl_->core->user = &user;
  for (auto& s : impl_->sockets) s->receive();
  return {};
}

std::error_code udp_transport::send(const socket_address& destination, std::string_view bytes) {
  if (impl_->closed || impl_->core->user == nullptr) return transport_errc::closed;
  if (bytes.size() > impl_->core->config.max_datagram_size) {
    return transport_errc::message_too_large;
  }
  socket_state* s = nullptr;
  for (auto& candidate : impl_->sockets) {
    if (candidate->local.family() == destination.family()) {
      s = candidate.get();
      break;
    }
  }
  if (s == nullptr) return transport_errc::no_socket_for_family;
  const auto ep = detail::to_endpoint<udp::endpoint>(destination);
  if (s->queue.empty()) {
    std::error_code ec;
    s->socket.send_to(asio::buffer(bytes.data(), bytes.size()), ep, 0, ec);
    ec = detail::to_std(ec);
    if (ec && is_icmp_error(ec)) {
      // A pending error of an earlier datagram (RFC 3261 §17.1.4 wants it
      // reported for that one); this datagram was not sent: try once more.
      s->post_errors(ec);
      s->socket.send_to(asio::buffer(bytes.data(), bytes.size()), ep, 0, ec);
      ec = detail::to_std(ec);
    }
    if (ec != std::errc::operation_would_block && ec != std::errc::resource_unavailable_try_again) {
      return ec;
    }
  }
  if (s->queue.size() >= impl_->core->config.max_send_queue) return transport_errc::send_queue_full;
  s->queue.emplace_back(ep, std::string(bytes));
  s->flush();
  return {};
}

void udp_transport::close() noexcept {
  impl_->closed = true;
  impl_->core->user = nullptr;
  for (auto& s : impl_->sockets) {
    std::error_code ignored;
    s->queue.clear();
    s->socket.close(ignored);
  }
  impl_->sockets.clear();
}

std::size_t udp_transport::receive_buffer_size(std::size_t index) const {
  if (index >= impl_->sockets.size()) return 0;
  udp::socket::receive_buffer_size option;
  std::error_code ec;
  impl_->sockets[index]->socket.get_option(option, ec);
  return ec ? 0 : static_cast<std::size_t>(option.value());
}

}  // namespace sipua
