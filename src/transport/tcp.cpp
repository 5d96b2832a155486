// TCP transport (RFC 3261 §18 over TCP): the stream transport without TLS.
#include "sipua/transport/tcp.hpp"

#include "stream_transport.hpp"

namespace sipua {

struct tcp_transport::impl {
  impl(asio::io_context& io, tcp_config config)
      : stream(io, std::move(config), transport_protocol::tcp) {}
  detail::stream_transport stream;
};

tcp_transport::tcp_transport(asio::io_context& io, tcp_config config)
    : impl_(std::make_unique<impl>(io, std::move(config))) {}

tcp_transport::~tcp_transport() { close(); }

std::span<const socket_address> tcp_transport::local_addresses() const noexcept {
  return impl_->stream.local_addresses();
}

std::error_code tcp_transport::start(transport_user& user) { return impl_->stream.start(user); }

std::error_code tcp_transport::send(const socket_address& destination, std::string_view bytes) {
  return impl_->stream.send(destination, {}, bytes);
}

void tcp_transport::close() noexcept { impl_->stream.close(); }

std::size_t tcp_transport::connection_count() const noexcept {
  return impl_->stream.connection_count();
}

bool tcp_transport::output_pending() const noexcept { return impl_->stream.output_pending(); }

bool tcp_transport::has_connection(const socket_address& remote) const {
  return impl_->stream.has_connection(remote);
}

}  // namespace sipua
