// Finds a call by the identifiers of one of its dialogs (RFC 3261 §12:
// Call-ID, local tag, remote tag) without a copy of them per call: the index
// holds a 64-bit hash of the identifiers and the call's handle, and a lookup
// checks each candidate against the call's own record. Two dialogs whose
// identifiers hash alike are both kept; only the record decides.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "sipua/dialog/core_events.hpp"

namespace sipua {

class call_index {
 public:
  /// `seed` varies the hash between cores (a peer cannot know which
  /// identifiers collide).
  explicit call_index(std::uint64_t seed) noexcept : seed_(seed) {}

  /// The hash of the identifiers (an empty part counts as one).
  [[nodiscard]] std::uint64_t key(std::string_view call_id, std::string_view local_tag,
                                  std::string_view remote_tag) const noexcept;

  void add(std::uint64_t key, call_handle h) { map_.emplace(key, h); }
  /// Removes one entry (key, h), if there is one.
  void remove(std::uint64_t key, call_handle h) noexcept;

  /// The first call under `key` for which `is_it(handle)` holds, else an
  /// invalid handle.
  template <class Pred>
  [[nodiscard]] call_handle find(std::uint64_t key, Pred&& is_it) const {
    auto [it, end] = map_.equal_range(key);
    for (; it != end; ++it) {
      if (std::invoke(is_it, it->second)) return it->second;
    }
    return {};
  }

  [[nodiscard]] std::size_t size() const noexcept { return map_.size(); }

 private:
  std::uint64_t seed_;
  std::unordered_multimap<std::uint64_t, call_handle> map_;
};

}  // namespace sipua
