#include "call_index.hpp"

namespace sipua {

namespace {

// SplitMix64's finalizer: spreads every input bit over the result.
constexpr std::uint64_t mix(std::uint64_t x) noexcept {
  x ^= x >> 30;
  x *= 0xbf58476d1ce4e5b9ULL;
  x ^= x >> 27;
  x *= 0x94d049bb133111ebULL;
  x ^= x >> 31;
  return x;
}

// FNV-1a over the bytes, then the length (so that "ab"+"c" and "a"+"bc"
// differ), from a running state.
std::uint64_t absorb(std::uint64_t h, std::string_view part) noexcept {
  for (const char ch : part) {
    h ^= static_cast<unsigned char>(ch);
    h *= 0x100000001b3ULL;
  }
  return mix(h ^ part.size());
}

}  // namespace

std::uint64_t call_index::key(std::string_view call_id, std::string_view local_tag,
                              std::string_view remote_tag) const noexcept {
  std::uint64_t h = mix(seed_ ^ 0xcbf29ce484222325ULL);
  h = absorb(h, call_id);
  h = absorb(h, local_tag);
  return absorb(h, remote_tag);
}

void call_index::remove(std::uint64_t key, call_handle h) noexcept {
  auto [it, end] = map_.equal_range(key);
  for (; it != end; ++it) {
    if (it->second == h) {
      map_.erase(it);
      return;
    }
  }
}

}  // namespace sipua
