// Reading the socket error queue (Linux IP_RECVERR / IPV6_RECVERR): which
// destination an ICMP error is about. Private to src/transport.
#pragma once

#include <optional>
#include <system_error>
#include <vector>

#include "sipua/transport/address.hpp"

namespace sipua::detail {

struct queued_socket_error {
  std::optional<socket_address> peer;  ///< the original destination
  std::error_code error;
};

/// Asks the kernel to queue ICMP errors with their destination. Returns
/// false where that is not supported (the errors then come without a peer).
bool enable_error_queue(int fd, bool v6) noexcept;
/// Drains the error queue of `fd` without blocking.
std::vector<queued_socket_error> drain_error_queue(int fd);

}  // namespace sipua::detail
