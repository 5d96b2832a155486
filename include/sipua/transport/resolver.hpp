// Resolution: from a SIP target (host, optional port, optional transport)
// to the ordered list of addresses and transports to try. RFC 3263 (NAPTR,
// SRV) will plug in behind the same interface; today's implementation does
// literals and A/AAAA.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <vector>

#include "sipua/transport/address.hpp"

namespace asio {
class io_context;
}

namespace sipua {

/// What to resolve: the host part of a SIP URI (or an outbound proxy) and
/// what the URI says about port and transport (RFC 3263 §4).
struct resolve_query {
  std::string host;  ///< name or IP literal; an IPv6 literal may be bracketed
  std::optional<std::uint16_t> port;
  std::optional<transport_protocol> protocol;  ///< from a transport= parameter
  bool secure = false;                         ///< sips: URI: TLS only (RFC 3263 §4.1)
};

/// One place to try.
struct resolved_target {
  socket_address address;
  transport_protocol protocol = transport_protocol::udp;
  friend bool operator==(const resolved_target&, const resolved_target&) noexcept = default;
};

/// Called once, on the resolver's event loop, never from inside resolve().
/// On success `targets` is non-empty, in the order to try them.
using resolve_handler = std::function<void(std::error_code, std::vector<resolved_target>)>;

/// The seam. Threading as transports: one event loop, single-threaded.
class resolver {
 public:
  virtual ~resolver() = default;
  virtual void resolve(const resolve_query& query, resolve_handler handler) = 0;
  /// Abandons pending look-ups: their handlers get std::errc::
  /// operation_canceled (or are dropped if the resolver is destroyed).
  virtual void cancel() noexcept = 0;
};

/// Numeric and A/AAAA resolution (RFC 3263 §4.2 without NAPTR/SRV): the
/// transport is the query's, else TLS when secure, else UDP (§4.1 for a
/// target without NAPTR/SRV); the port is the query's, else
/// default_port(transport). A literal resolves to itself without DNS; a
/// name goes through the system resolver (getaddrinfo via asio) unless
/// `numeric_only`, which fails with transport_errc::not_numeric.
/// Errors: transport_errc::bad_address (empty host or bad literal),
/// transport_errc::host_not_found (any failed look-up), std::errc::
/// operation_canceled after cancel().
class basic_resolver final : public resolver {
 public:
  /// `io` must outlive the resolver.
  explicit basic_resolver(asio::io_context& io, bool numeric_only = false);
  ~basic_resolver() override;
  void resolve(const resolve_query& query, resolve_handler handler) override;
  void cancel() noexcept override;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace sipua
