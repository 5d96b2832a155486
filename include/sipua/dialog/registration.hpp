// Registration client (RFC 3261 §10.2) as the UA core runs it: what the
// application asks for and what it is told. The timing rules (when to
// refresh, how long to wait after a failure) are plain functions here so
// that they can be checked on their own.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace sipua {

/// One registration the application asked for (ua_core::register_binding).
struct registration_handle {
  std::uint64_t id = 0;  ///< 0: none; never reused
  [[nodiscard]] bool valid() const noexcept { return id != 0; }
  friend bool operator==(const registration_handle&, const registration_handle&) noexcept = default;
};

struct registration_options {
  /// The registrar: the REGISTER's Request-URI, e.g. "sip:example.com"
  /// (§10.2: no user part). Sent through the outbound proxy if configured.
  std::string registrar;
  /// The address of record (To and From); empty: the core's identity.
  std::string aor;
  /// The expiration we ask for (§10.2.1.1); the registrar may lower it, or
  /// ask for more with 423 (§10.2.8).
  std::chrono::seconds expires{3600};
};

enum class registration_state : std::uint8_t {
  registered,    ///< a 2xx listed our binding; refreshed before it expires
  failed,        ///< the REGISTER failed; retried after `retry_in`
  unregistered,  ///< our binding was removed (unregister() or shutdown()); the handle is done
};
std::string_view to_string(registration_state s) noexcept;

/// A registration's news for the application.
struct registration_event {
  registration_handle registration;
  registration_state state = registration_state::failed;
  /// The final response's status (200, 403, 423 ...), 408/503 made up
  /// locally when nothing answered (§8.1.3.1).
  int status = 0;
  std::string phrase;
  /// registered: the expiration the registrar granted our binding.
  std::chrono::seconds expires{0};
  /// registered: our Contact as registered (after a NAT update, the
  /// address the registrar saw, RFC 3581).
  std::string contact;
  /// registered: every binding of the AOR the registrar returned, as
  /// written ("<sip:alice@192.0.2.4:5060>;expires=3600").
  std::vector<std::string> bindings;
  /// failed: when the next attempt goes.
  std::optional<std::chrono::milliseconds> retry_in;
};

/// When a binding granted for `granted` is refreshed, counted from the 2xx:
/// halfway for short registrations, else 64 s before it expires (64·T1
/// covers a REGISTER whose transaction times out, plus one retry), never
/// sooner than 1 s.
std::chrono::milliseconds refresh_after(std::chrono::seconds granted) noexcept;

/// How long to wait after `failures` consecutive failures (1 for the
/// first): RFC 5626 §4.5's W = min(max-time, base-time · 2^failures) with
/// base-time 30 s and max-time 1800 s, then a uniform time between 50% and
/// 100% of W, drawn from `random` (any 64-bit value).
std::chrono::milliseconds retry_after_failures(unsigned failures, std::uint64_t random) noexcept;

}  // namespace sipua
