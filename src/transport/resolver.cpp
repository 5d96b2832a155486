// Numeric and A/AAAA resolution through asio's resolver (getaddrinfo).
#include "sipua/transport/resolver.hpp"

// GCC 12 at -O2 reports a -Wrestrict overlap inside std::string copies that
// Asio's resolver makes (a known false positive, GCC bug 105329); nothing
// in this file copies overlapping memory.
#if defined(__GNUC__) && !defined(__clang__) && __GNUC__ == 12
#pragma GCC diagnostic ignored "-Wrestrict"
#endif

#include <algorithm>

#include "asio_address.hpp"
#include <asio/io_context.hpp>
#include <asio/ip/udp.hpp>
#include <asio/post.hpp>

namespace sipua {

struct basic_resolver::impl {
  impl(asio::io_context& i, bool numeric) : io(i), dns(i), numeric_only(numeric) {}
  asio::io_context& io;
  asio::ip::udp::resolver dns;
  bool numeric_only;
  std::uint64_t generation = 0;  ///< bumped by cancel(): older posted results are cancelled
};

namespace {

/// RFC 3263 §4.1 without NAPTR/SRV: the URI's transport, else TLS for
/// sips, else UDP. A sips URI always gets TLS (WSS for a WebSocket
/// transport): RFC 3261 §26.2.2 reads "sips:...;transport=tcp" as TLS over
/// TCP, and no transport= parameter may downgrade it to cleartext.
transport_protocol pick_protocol(const resolve_query& q) {
  if (q.secure) {
    const bool websocket = q.protocol && (*q.protocol == transport_protocol::ws ||
                                          *q.protocol == transport_protocol::wss);
    return websocket ? transport_protocol::wss : transport_protocol::tls;
  }
  return q.protocol.value_or(transport_protocol::udp);
}

}  // namespace

basic_resolver::basic_resolver(asio::io_context& io, bool numeric_only)
    : impl_(std::make_shared<impl>(io, numeric_only)) {}

basic_resolver::~basic_resolver() { cancel(); }

void basic_resolver::resolve(const resolve_query& query, resolve_handler handler) {
  const transport_protocol protocol = pick_protocol(query);
  const std::uint16_t port = query.port.value_or(default_port(protocol));
  const std::uint64_t generation = impl_->generation;
  auto finish = [state = impl_, generation, h = std::move(handler)](
                    std::error_code ec, std::vector<resolved_target> targets) {
    if (state->generation != generation) {
      ec = std::make_error_code(std::errc::operation_canceled);
      targets.clear();
    }
    h(ec, std::move(targets));
  };
  const bool looks_numeric =
      !query.host.empty() &&
      (query.host.front() == '[' || query.host.find(':') != std::string::npos ||
       query.host.find_first_not_of("0123456789.") == std::string::npos);
  if (query.host.empty() || looks_numeric) {
    auto addr = ip_address::parse(query.host);
    std::error_code ec;
    std::vector<resolved_target> targets;
    if (addr) {
      targets.push_back({socket_address{*addr, port}, protocol});
    } else {
      ec = transport_errc::bad_address;
    }
    asio::post(impl_->io, [f = std::move(finish), ec, t = std::move(targets)]() mutable {
      f(ec, std::move(t));
    });
    return;
  }
  if (impl_->numeric_only) {
    asio::post(impl_->io,
               [f = std::move(finish)]() mutable { f(transport_errc::not_numeric, {}); });
    return;
  }
  impl_->dns.async_resolve(
      query.host, "",
      [f = std::move(finish), port, protocol](
          const std::error_code& ec, const asio::ip::udp::resolver::results_type& r) mutable {
        std::vector<resolved_target> targets;
        if (ec) {
          f(ec == asio::error::operation_aborted
                ? std::make_error_code(std::errc::operation_canceled)
                : std::error_code(transport_errc::host_not_found),
            {});
          return;
        }
        for (const auto& entry : r) {
          resolved_target t{socket_address{detail::from_asio(entry.endpoint().address()), port},
                            protocol};
          if (std::find(targets.begin(), targets.end(), t) == targets.end()) targets.push_back(t);
        }
        if (targets.empty()) {
          f(transport_errc::host_not_found, {});
          return;
        }
        f({}, std::move(targets));
      });
}

void basic_resolver::cancel() noexcept {
  ++impl_->generation;
  impl_->dns.cancel();
}

}  // namespace sipua
