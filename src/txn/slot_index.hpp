// An index from a key's hash to transaction slots: open addressing with
// linear probing, 16 bytes an entry, no allocation per entry. The keys
// themselves stay in the transaction records; a look-up compares hashes
// first and asks the caller to compare keys only on a hash match, so it
// reads no other transaction's request buffer. Private to src/txn.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace sipua::detail {

class slot_index {
 public:
  static constexpr std::uint32_t none = 0xffffffffu;

  /// The slot of the first entry with `hash` for which same(slot) holds.
  template <class Same>
  [[nodiscard]] std::uint32_t find(std::size_t hash, Same&& same) const {
    if (entries_.empty()) return none;
    for (std::size_t i = hash & mask_;; i = (i + 1) & mask_) {
      const entry& e = entries_[i];
      if (e.slot == none) return none;
      if (e.hash == hash && same(e.slot)) return e.slot;
    }
  }

  void insert(std::size_t hash, std::uint32_t slot) {
    if ((size_ + 1) * 2 > entries_.size()) grow();
    place(hash, slot);
    ++size_;
  }

  /// Removes the entry (hash, slot) if present (backward-shift deletion:
  /// no tombstones, probe sequences stay short).
  void erase(std::size_t hash, std::uint32_t slot) noexcept {
    if (entries_.empty()) return;
    std::size_t i = hash & mask_;
    while (true) {
      const entry& e = entries_[i];
      if (e.slot == none) return;
      if (e.hash == hash && e.slot == slot) break;
      i = (i + 1) & mask_;
    }
    std::size_t hole = i;
    for (std::size_t j = (i + 1) & mask_;; j = (j + 1) & mask_) {
      const entry& e = entries_[j];
      if (e.slot == none) break;
      const std::size_t home = e.hash & mask_;
      // e may move into the hole when its home is not in (hole, j].
      const bool stays = hole <= j ? (home > hole && home <= j) : (home > hole || home <= j);
      if (!stays) {
        entries_[hole] = e;
        hole = j;
      }
    }
    entries_[hole] = entry{};
    --size_;
  }

  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  [[nodiscard]] std::size_t capacity() const noexcept { return entries_.size(); }

  /// Rehashes into the smallest table that holds the entries at the usual
  /// load (at most half full); frees the table when empty.
  void shrink_to_fit() {
    std::size_t want = 0;
    if (size_ != 0) {
      want = 64;
      while (size_ * 2 > want) want *= 2;
    }
    if (want >= entries_.size()) return;
    std::vector<entry> old = std::move(entries_);
    entries_ = std::vector<entry>();
    if (want == 0) {
      mask_ = 0;
      return;
    }
    entries_.assign(want, entry{});
    mask_ = want - 1;
    for (const entry& e : old) {
      if (e.slot != none) place(e.hash, e.slot);
    }
  }

 private:
  struct entry {
    std::size_t hash = 0;
    std::uint32_t slot = none;
  };

  void place(std::size_t hash, std::uint32_t slot) noexcept {
    std::size_t i = hash & mask_;
    while (entries_[i].slot != none) i = (i + 1) & mask_;
    entries_[i] = entry{hash, slot};
  }

  void grow() {
    std::vector<entry> old = std::move(entries_);
    entries_.assign(old.empty() ? 64 : old.size() * 2, entry{});
    mask_ = entries_.size() - 1;
    for (const entry& e : old) {
      if (e.slot != none) place(e.hash, e.slot);
    }
  }

  std::vector<entry> entries_;
  std::size_t mask_ = 0;
  std::size_t size_ = 0;
};

}  // namespace sipua::detail
