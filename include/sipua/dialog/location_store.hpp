// The location service of a registrar (RFC 3261 §10.2, §10.3): bindings
// of an address-of-record to contact addresses, the interface a registrar
// writes through and a proxy or redirect server reads through, and a
// bounded in-memory implementation.
//
// Sans-I/O: no clock is read. Every expiry is a time_point computed by the
// caller and every purge takes `now`.
//
// Threading: a store is not synchronized; use one from one thread (the
// endpoint's), or wrap it. Views and references handed out are valid until
// the next non-const call.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <unordered_map>
#include <vector>

#include "sipua/transport/address.hpp"

namespace sipua {

/// Where the REGISTER that made a binding came from, to route requests back
/// over the same flow (a NAT binding, a TCP/TLS connection: RFC 5626 §5.3
/// style) when the Contact is not reachable directly.
struct binding_source {
  transport_protocol protocol = transport_protocol::udp;
  socket_address local;  ///< the local address the REGISTER arrived on
  socket_address peer;   ///< its source address (RFC 3261 §18.2.1 "received")
};

/// One binding of an address-of-record (RFC 3261 §10.3 step 7).
struct binding {
  using clock = std::chrono::steady_clock;
  using time_point = clock::time_point;

  /// The Contact URI as written in the REGISTER (without "<" ">"). Bindings
  /// compare with the RFC 3261 §19.1.4 rules (sipua::equivalent on
  /// parse_uri of this text), which are not a canonical form: two URIs
  /// that differ in a parameter present in only one of them are equal.
  std::string contact;
  /// The Contact's other header parameters as written, starting with ';'
  /// (";+sip.instance=...;reg-id=1"), without expires and q; or empty.
  std::string params;
  time_point expires_at{};  ///< the binding does not exist at or after this instant
  /// q in thousandths (0..1000), when the Contact carried one.
  std::optional<std::uint16_t> q;
  std::string call_id;     ///< Call-ID of the REGISTER that last wrote it (§10.3 step 7)
  std::uint32_t cseq = 0;  ///< its CSeq number
  /// Path header field values of that REGISTER, in order (RFC 3327 §5.3),
  /// when the registrar stores Path; else empty.
  std::vector<std::string> path;
  /// Where that REGISTER came from, when the registrar records it.
  std::optional<binding_source> source;

  /// q for ordering: an absent q counts as 1.0 (the highest preference).
  [[nodiscard]] std::uint16_t preference() const noexcept { return q.value_or(1000); }
  /// True when the binding still exists at `now`.
  [[nodiscard]] bool active(time_point now) const noexcept { return now < expires_at; }
};

/// Why a store refused a change ("sipua.location").
enum class location_errc {
  ok = 0,
  too_many_aors = 1,      ///< the store holds max_aors addresses-of-record already
  too_many_bindings = 2,  ///< more bindings for one address-of-record than allowed
  backend_failure = 3,    ///< the store could not commit (for stores backed by a database)
};

const std::error_category& location_category() noexcept;

inline std::error_code make_error_code(location_errc e) noexcept {
  return {static_cast<int>(e), location_category()};
}

/// The store a registrar writes through. Addresses-of-record are keys in
/// the canonical form canonical_aor() (registrar.hpp) gives them.
class location_store {
 public:
  using time_point = binding::time_point;

  virtual ~location_store() = default;

  /// The bindings of `aor` as stored (expired ones may still be there:
  /// check binding::active). Empty when the AOR is unknown.
  [[nodiscard]] virtual std::vector<binding> bindings(std::string_view aor) const = 0;

  /// Replaces every binding of `aor` with `next`, all or nothing (RFC 3261
  /// §10.3 step 7: the updates are committed only if all succeed). An
  /// empty `next` forgets the AOR. `now` lets the store drop expired
  /// bindings to make room. Errors: location_errc (the store is left as it
  /// was).
  virtual std::error_code replace(std::string_view aor, std::vector<binding> next,
                                  time_point now) = 0;

  /// Removes every binding expired at `now` (and AORs left with none);
  /// returns how many bindings were removed.
  virtual std::size_t purge(time_point now) = 0;

  /// The earliest expires_at of any stored binding, if any: when the next
  /// purge has work (the runtime may arm a timer for it).
  [[nodiscard]] virtual std::optional<time_point> next_expiry() const = 0;
};

/// Limits of memory_location_store.
struct location_limits {
  std::size_t max_aors = 10000;  ///< addresses-of-record with at least one binding
  std::size_t max_bindings_per_aor = 10;
};

/// A location_store in memory, bounded by location_limits. Lookups are
/// O(bindings of the AOR); purge() and next_expiry() are O(all bindings);
/// replace() purges the whole store only when it is full.
class memory_location_store final : public location_store {
 public:
  explicit memory_location_store(location_limits limits = {});

  [[nodiscard]] std::vector<binding> bindings(std::string_view aor) const override;
  /// Errors: too_many_bindings when next.size() > max_bindings_per_aor
  /// (counting only bindings active at `now`); too_many_aors when `aor` is
  /// new, next is not empty and max_aors AORs hold active bindings.
  std::error_code replace(std::string_view aor, std::vector<binding> next, time_point now) override;
  std::size_t purge(time_point now) override;
  [[nodiscard]] std::optional<time_point> next_expiry() const override;

  /// How many AORs and bindings are stored (expired ones included until purged).
  [[nodiscard]] std::size_t aor_count() const noexcept { return aors_.size(); }
  [[nodiscard]] std::size_t binding_count() const noexcept;
  [[nodiscard]] const location_limits& limits() const noexcept { return limits_; }

 private:
  location_limits limits_;
  std::unordered_map<std::string, std::vector<binding>> aors_;
};

}  // namespace sipua

template <>
struct std::is_error_code_enum<sipua::location_errc> : std::true_type {};
