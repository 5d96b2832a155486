#include "sipua/auth/nonce_cache.hpp"

#include <algorithm>

namespace sipua::auth {

bool nonce_cache::accept(std::string_view nonce, std::uint64_t issued, std::uint32_t nc) {
  if (nc == 0) return false;  // RFC 7616 §3.4: the first request sends 00000001
  auto found = index_.find(nonce);
  if (found == index_.end()) {
    if (evicted_ && issued <= floor_) return false;  // its history is gone
    entry e;
    e.nonce = std::string(nonce);
    e.issued = issued;
    e.highest = nc;
    e.window = 1;
    lru_.push_front(std::move(e));
    index_.emplace(lru_.front().nonce, lru_.begin());
    if (lru_.size() > capacity_) {
      const entry& old = lru_.back();
      floor_ = evicted_ ? std::max(floor_, old.issued) : old.issued;
      evicted_ = true;
      index_.erase(old.nonce);
      lru_.pop_back();
    }
    return true;
  }
  auto it = found->second;
  lru_.splice(lru_.begin(), lru_, it);  // iterators stay valid
  entry& e = *it;
  if (nc > e.highest) {
    const std::uint32_t shift = nc - e.highest;
    e.window = shift >= 64 ? 1 : (e.window << shift) | 1;
    e.highest = nc;
    return true;
  }
  const std::uint32_t back = e.highest - nc;
  if (back >= 64) return false;
  const std::uint64_t bit = std::uint64_t{1} << back;
  if ((e.window & bit) != 0) return false;
  e.window |= bit;
  return true;
}

}  // namespace sipua::auth
