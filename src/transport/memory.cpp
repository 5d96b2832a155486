// In-memory transport: a FIFO of datagrams between transports on one
// memory_network, delivered when the test says so.
#include "sipua/transport/memory.hpp"

namespace sipua {

bool memory_network::deliver_one() {
  if (queue_.empty()) return false;
  datagram d = std::move(queue_.front());
  queue_.pop_front();
  const auto to = bound_.find(d.to);
  if (to == bound_.end() || to->second->user_ == nullptr) {
    // Like ICMP port unreachable (RFC 3261 §17.1.4 makes it a 503).
    const auto from = bound_.find(d.from);
    if (from != bound_.end() && from->second->user_ != nullptr) {
      from->second->user_->on_transport_error(transport_error_event{
          d.protocol, d.from, d.to, std::make_error_code(std::errc::connection_refused), {}});
    }
    return true;
  }
  memory_transport& target = *to->second;
  const transport_origin origin{d.protocol, d.to, d.from, nullptr};
  detail::deliver_datagram(*target.user_, origin,
                           std::make_shared<const std::string>(std::move(d.bytes)),
                           target.options_);
  return true;
}

std::size_t memory_network::deliver_all(std::size_t limit) {
  std::size_t n = 0;
  while (n < limit && deliver_one()) ++n;
  return n;
}

std::size_t memory_network::drop_all() noexcept {
  const std::size_t n = queue_.size();
  queue_.clear();
  return n;
}

memory_transport::memory_transport(memory_network& network, socket_address local,
                                   transport_protocol protocol, parse_options options)
    : network_(network), local_(local), protocol_(protocol), options_(options) {}

memory_transport::~memory_transport() { close(); }

std::error_code memory_transport::start(transport_user& user) {
  if (closed_) return transport_errc::closed;
  const auto [it, inserted] = network_.bound_.emplace(local_, this);
  if (!inserted && it->second != this) return std::make_error_code(std::errc::address_in_use);
  user_ = &user;
  return {};
}

std::error_code memory_transport::send(const socket_address& destination, std::string_view bytes) {
  if (closed_ || user_ == nullptr) return transport_errc::closed;
  if (destination.family() != local_.family()) return transport_errc::no_socket_for_family;
  network_.queue_.push_back({protocol_, local_, destination, std::string(bytes)});
  return {};
}

void memory_transport::close() noexcept {
  if (closed_) return;
  closed_ = true;
  user_ = nullptr;
  const auto it = network_.bound_.find(local_);
  if (it != network_.bound_.end() && it->second == this) network_.bound_.erase(it);
}

}  // namespace sipua
