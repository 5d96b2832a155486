// Replay protection for the digest server (RFC 7616 §5.5 "Replay
// Attacks"; §3.4 nc: "if the same nc value is seen twice, then the request
// is a replay"): for each recently used nonce, the highest nonce count seen
// and a 64-bit window of the counts below it, in an LRU of bounded size.
//
// A nonce pushed out of the LRU can never be accepted again: the cache
// remembers the highest issue serial among evicted nonces (`floor`), and an
// unknown nonce issued at or before it is refused (the server then sends
// stale=true and the client moves to a fresh nonce, issued later). Serials,
// not times, so that a burst of nonces issued within one clock tick does
// not refuse fresh ones. Memory is bounded by
// `capacity` entries of about 150 bytes plus the nonce text.
#pragma once

#include <cstddef>
#include <cstdint>
#include <list>
#include <string>
#include <string_view>
#include <unordered_map>

namespace sipua::auth {

class nonce_cache {
 public:
  explicit nonce_cache(std::size_t capacity) : capacity_(capacity == 0 ? 1 : capacity) {}

  /// Records (nonce, nc) and returns true if it was not seen before; false
  /// for a replay, an nc of 0, an nc more than 64 below the highest seen
  /// for that nonce, or a nonce evicted earlier (`issued` is the nonce's
  /// issue serial, increasing with every nonce the server makes).
  bool accept(std::string_view nonce, std::uint64_t issued, std::uint32_t nc);

  [[nodiscard]] std::size_t size() const noexcept { return lru_.size(); }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

 private:
  struct entry {
    std::string nonce;
    std::uint64_t issued = 0;
    std::uint32_t highest = 0;
    std::uint64_t window = 0;  ///< bit i: nc == highest - i seen
  };
  std::size_t capacity_;
  std::list<entry> lru_;  ///< most recently used first
  std::unordered_map<std::string_view, std::list<entry>::iterator> index_;
  std::uint64_t floor_ = 0;
  bool evicted_ = false;
};

}  // namespace sipua::auth
