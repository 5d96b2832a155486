// TLS transport: the stream transport with a TLS session per connection,
// and the server names remembered per address (SNI kept across
// reconnects).
#include "sipua/transport/tls.hpp"

#include <deque>
#include <string>
#include <unordered_map>

#include "stream_transport.hpp"
#include "tls_context.hpp"

namespace sipua {

struct tls_transport::impl {
  impl(asio::io_context& io, tls_config c)
      : stream(io, c.stream, transport_protocol::tls), config(std::move(c)) {}

  /// The name to use for `address`: the one given (remembered), else the
  /// one remembered for it, else none.
  std::string_view name_for(const socket_address& address, std::string_view given);

  detail::stream_transport stream;
  tls_config config;
  /// Bounded: at most config.remembered_names, forgotten oldest first.
  std::unordered_map<socket_address, std::string> names;
  std::deque<socket_address> name_order;
};

std::string_view tls_transport::impl::name_for(const socket_address& address,
                                               std::string_view given) {
  auto it = names.find(address);
  if (given.empty()) return it == names.end() ? std::string_view{} : std::string_view(it->second);
  if (config.remembered_names == 0) return given;
  if (it != names.end()) {
    it->second.assign(given);
    return it->second;
  }
  while (names.size() >= config.remembered_names && !name_order.empty()) {
    names.erase(name_order.front());
    name_order.pop_front();
  }
  name_order.push_back(address);
  return names.emplace(address, std::string(given)).first->second;
}

tls_transport::tls_transport(asio::io_context& io, tls_config config)
    : impl_(std::make_unique<impl>(io, std::move(config))) {}

tls_transport::~tls_transport() { close(); }

std::span<const socket_address> tls_transport::local_addresses() const noexcept {
  return impl_->stream.local_addresses();
}

std::error_code tls_transport::start(transport_user& user) {
  std::string detail;
  auto ctx =
      detail::tls_context::create(impl_->config, !impl_->config.stream.listen.empty(), detail);
  if (!ctx) return ctx.error();
  impl_->stream.set_tls(std::move(*ctx), impl_->config.handshake_timeout);
  return impl_->stream.start(user);
}

std::error_code tls_transport::send(const socket_address& destination, std::string_view bytes) {
  return send(send_target{destination, {}}, bytes);
}

std::error_code tls_transport::send(const send_target& target, std::string_view bytes) {
  const std::string_view name = impl_->name_for(target.address, target.server_name);
  return impl_->stream.send(target.address, name, bytes);
}

void tls_transport::close() noexcept { impl_->stream.close(); }

std::size_t tls_transport::connection_count() const noexcept {
  return impl_->stream.connection_count();
}

bool tls_transport::output_pending() const noexcept { return impl_->stream.output_pending(); }

bool tls_transport::has_connection(const socket_address& remote) const {
  return impl_->stream.has_connection(remote);
}

}  // namespace sipua
