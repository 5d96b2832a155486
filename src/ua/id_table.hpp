// A compact hash table keyed by call id (non-zero uint64): open
// addressing with linear probing, one flat array, no node per entry. The
// UserAgent keeps one entry per call in two of them (issue #6: the heap per
// established dialog), where std::unordered_map spent a malloc chunk per
// entry plus a bucket. It grows at 3/4 full and shrinks at 1/8 full, so
// the array follows the number of live calls both ways.
//
// Erasing shifts back the entries of the probe run that follows (no
// tombstones). Any insert or erase may move entries: pointers from find()
// are valid until the next insert or erase.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <utility>

namespace sipua::ua_detail {

/// The value of a table used as a set.
struct no_value {};

template <class V>
class id_table {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] bool empty() const noexcept { return size_ == 0; }
  [[nodiscard]] std::size_t capacity() const noexcept { return capacity_; }

  [[nodiscard]] V* find(std::uint64_t id) noexcept {
    if (id == 0 || size_ == 0) return nullptr;
    for (std::size_t i = home(id);; i = next(i)) {
      if (slots_[i].id == id) return &slots_[i].value;
      if (slots_[i].id == 0) return nullptr;
    }
  }
  [[nodiscard]] bool contains(std::uint64_t id) noexcept { return find(id) != nullptr; }

  /// Adds `id` (non-zero) with `value`; false (nothing changed) when present.
  bool insert(std::uint64_t id, V value = V{}) {
    if (id == 0 || contains(id)) return false;
    if ((size_ + 1) * 4 > capacity_ * 3) rehash(capacity_ == 0 ? min_capacity : capacity_ * 2);
    place(id, std::move(value));
    ++size_;
    return true;
  }

  /// Removes `id`; false when absent.
  bool erase(std::uint64_t id) noexcept {
    if (id == 0 || size_ == 0) return false;
    std::size_t i = home(id);
    while (slots_[i].id != id) {
      if (slots_[i].id == 0) return false;
      i = next(i);
    }
    // Backward shift: move up each later entry of the run that may sit in
    // the hole (its home is not cyclically within (hole, its position]).
    std::size_t hole = i;
    for (std::size_t j = next(i); slots_[j].id != 0; j = next(j)) {
      const std::size_t h = home(slots_[j].id);
      const bool stays = hole <= j ? (hole < h && h <= j) : (hole < h || h <= j);
      if (stays) continue;
      slots_[hole] = std::move(slots_[j]);
      hole = j;
    }
    slots_[hole] = slot{};
    --size_;
    if (capacity_ > min_capacity && size_ * 8 < capacity_) shrink();
    return true;
  }

  void clear() noexcept {
    slots_.reset();
    capacity_ = 0;
    size_ = 0;
  }

 private:
  static constexpr std::size_t min_capacity = 16;  // a power of two

  struct slot {
    std::uint64_t id = 0;  ///< 0: empty
    [[no_unique_address]] V value{};
  };

  [[nodiscard]] std::size_t home(std::uint64_t id) const noexcept {
    // Ids are sequential: a multiplicative hash spreads them (Fibonacci hashing).
    return static_cast<std::size_t>((id * 0x9E3779B97F4A7C15ULL) >> 32U) & (capacity_ - 1);
  }
  [[nodiscard]] std::size_t next(std::size_t i) const noexcept { return (i + 1) & (capacity_ - 1); }

  void place(std::uint64_t id, V&& value) noexcept {
    std::size_t i = home(id);
    while (slots_[i].id != 0) i = next(i);
    slots_[i].id = id;
    slots_[i].value = std::move(value);
  }

  void rehash(std::size_t capacity) {
    std::unique_ptr<slot[]> old = std::exchange(slots_, std::make_unique<slot[]>(capacity));
    const std::size_t old_capacity = std::exchange(capacity_, capacity);
    for (std::size_t i = 0; i < old_capacity; ++i) {
      if (old[i].id != 0) place(old[i].id, std::move(old[i].value));
    }
  }

  /// Halves the array, keeping it under 3/4 full; a failed allocation
  /// keeps the larger one (erase stays noexcept).
  void shrink() noexcept {
    try {
      std::size_t capacity = capacity_ / 2;
      while (capacity > min_capacity && size_ * 4 < capacity) capacity /= 2;
      rehash(capacity);
    } catch (...) {  // NOLINT(bugprone-empty-catch): the larger array is still valid
    }
  }

  std::unique_ptr<slot[]> slots_;
  std::size_t capacity_ = 0;
  std::size_t size_ = 0;
};

}  // namespace sipua::ua_detail
