// SIP methods. Method names are case-sensitive (RFC 3261 §7.1); any token is
// a legal extension method and maps to method::extension.
#pragma once

#include <cstdint>
#include <string_view>

namespace sipua {

enum class method : std::uint8_t {
  extension = 0,  ///< any other token (kept verbatim in the message)
  invite,
  ack,
  bye,
  cancel,
  register_,
  options,
  prack,      // RFC 3262
  update,     // RFC 3311
  subscribe,  // RFC 6665
  notify,     // RFC 6665
  refer,      // RFC 3515
  message,    // RFC 3428
  info,       // RFC 6086
  publish,    // RFC 3903
};

/// The id of a method token (exact, case-sensitive match).
method to_method(std::string_view token) noexcept;

/// The token of a known method; empty for method::extension.
std::string_view to_string(method m) noexcept;

}  // namespace sipua
