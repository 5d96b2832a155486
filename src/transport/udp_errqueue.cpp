#include "udp_errqueue.hpp"

#include <netinet/in.h>
#include <sys/socket.h>

#include <cstring>

#ifdef __linux__
#include <linux/errqueue.h>
#endif

namespace sipua::detail {
namespace {

std::optional<socket_address> from_sockaddr(const sockaddr_storage& ss) {
  if (ss.ss_family == AF_INET) {
    sockaddr_in sin{};
    std::memcpy(&sin, &ss, sizeof sin);
    std::array<std::uint8_t, 4> b{};
    std::memcpy(b.data(), &sin.sin_addr, 4);
    return socket_address{ip_address::v4(b), ntohs(sin.sin_port)};
  }
  if (ss.ss_family == AF_INET6) {
    sockaddr_in6 sin6{};
    std::memcpy(&sin6, &ss, sizeof sin6);
    std::array<std::uint8_t, 16> b{};
    std::memcpy(b.data(), &sin6.sin6_addr, 16);
    return socket_address{ip_address::v6(b), ntohs(sin6.sin6_port)};
  }
  return std::nullopt;
}

}  // namespace

#ifdef __linux__

bool enable_error_queue(int fd, bool v6) noexcept {
  const int one = 1;
  return v6 ? setsockopt(fd, IPPROTO_IPV6, IPV6_RECVERR, &one, sizeof one) == 0
            : setsockopt(fd, IPPROTO_IP, IP_RECVERR, &one, sizeof one) == 0;
}

std::vector<queued_socket_error> drain_error_queue(int fd) {
  std::vector<queued_socket_error> out;
  // Bounded: the kernel keeps a limited queue, and we stop at 256 entries.
  for (int i = 0; i < 256; ++i) {
    sockaddr_storage name{};
    char payload[64];
    alignas(cmsghdr) char control[512];
    iovec iov{payload, sizeof payload};
    msghdr msg{};
    msg.msg_name = &name;
    msg.msg_namelen = sizeof name;
    msg.msg_iov = &iov;
    msg.msg_iovlen = 1;
    msg.msg_control = control;
    msg.msg_controllen = sizeof control;
    if (recvmsg(fd, &msg, MSG_ERRQUEUE | MSG_DONTWAIT) < 0) break;
    for (cmsghdr* c = CMSG_FIRSTHDR(&msg); c != nullptr; c = CMSG_NXTHDR(&msg, c)) {
      const bool v4 = c->cmsg_level == IPPROTO_IP && c->cmsg_type == IP_RECVERR;
      const bool v6 = c->cmsg_level == IPPROTO_IPV6 && c->cmsg_type == IPV6_RECVERR;
      if (!v4 && !v6) continue;
      sock_extended_err ee{};
      std::memcpy(&ee, CMSG_DATA(c), sizeof ee);
      // msg_name is the destination of the datagram that caused the error.
      out.push_back({from_sockaddr(name),
                     std::error_code(static_cast<int>(ee.ee_errno), std::system_category())});
    }
  }
  return out;
}

#else

bool enable_error_queue(int, bool) noexcept { return false; }
std::vector<queued_socket_error> drain_error_queue(int) { return {}; }

#endif

}  // namespace sipua::detail
