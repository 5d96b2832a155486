// A deterministic random source for ua_core_config::random and the
// registrar's in tests, fuzzing and benchmarks: splitmix64 over a counter
// started at `seed`. Never for a UA on a network (tags, branches and
// Call-IDs must be unguessable, RFC 3261 §19.3: the UserAgent uses a
// CSPRNG).
#pragma once

#include <cstdint>
#include <functional>

namespace sipua {

/// The next splitmix64 value of the counter `state` (advanced).
constexpr std::uint64_t splitmix64(std::uint64_t& state) noexcept {
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30U)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27U)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31U);
}

/// A source yielding splitmix64 from `seed`: two sources with seeds far
/// apart (2**40, say) never meet within any test's reach.
inline std::function<std::uint64_t()> seeded_random(std::uint64_t seed) {
  return [state = seed]() mutable { return splitmix64(state); };
}

}  // namespace sipua
