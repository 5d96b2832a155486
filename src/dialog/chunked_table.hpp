// A growable table of records that never move (references stay valid as it
// grows), allocated N at a time: the call table's records sit side by side
// in a few large blocks instead of one heap chunk each between the short-
// lived allocations of call set-up (messages, transactions), so an idle
// call's record does not pin a page of otherwise freed memory.
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

namespace sipua {

template <class T, std::size_t N = 128>
class chunked_table {
 public:
  [[nodiscard]] std::size_t size() const noexcept { return size_; }
  T& operator[](std::size_t i) noexcept { return chunks_[i / N][i % N]; }
  const T& operator[](std::size_t i) const noexcept { return chunks_[i / N][i % N]; }

  /// Appends a default-constructed T (a new block every N).
  T& emplace_back() {
    if (size_ == chunks_.size() * N) chunks_.push_back(std::make_unique<T[]>(N));
    return (*this)[size_++];
  }

 private:
  std::vector<std::unique_ptr<T[]>> chunks_;
  std::size_t size_ = 0;
};

}  // namespace sipua
