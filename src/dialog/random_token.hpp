// Injected randomness with a deterministic fallback, and the hex tokens
// made from it: shared by the UA core (tags, branches, Call-IDs) and the
// registrar (To tags).
#pragma once

#include <cstdint>
#include <cstdio>
#include <functional>
#include <string>

#include "sipua/dialog/seeded_random.hpp"

namespace sipua::detail {

/// `random()` when set; else splitmix64 over the counter `state`:
/// deterministic, for tests only.
inline std::uint64_t next_random(const std::function<std::uint64_t()>& random,
                                 std::uint64_t& state) {
  if (random) return random();
  return splitmix64(state);
}

/// `v` as 16 lower-case hex digits (a token, RFC 3261 §25.1).
inline std::string hex16(std::uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}

}  // namespace sipua::detail
