// The byte program that drives the stateful fuzz targets (fuzz_txn,
// fuzz_ua_core): each step reads what to do next from the input.
#pragma once

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

namespace sipua::fuzzing {

/// Reads the program; past its end every read gives zeros.
class program {
 public:
  program(const std::uint8_t* data, std::size_t size) : data_(data), size_(size) {}
  [[nodiscard]] bool done() const { return pos_ >= size_; }
  std::uint8_t byte() { return pos_ < size_ ? data_[pos_++] : 0; }
  std::uint16_t u16() {
    const std::uint16_t high = byte();  // two statements: a fixed reading order
    return static_cast<std::uint16_t>(high << 8 | byte());
  }
  template <class T, std::size_t N>
  const T& pick(const std::array<T, N>& from) {
    return from[byte() % N];
  }
  std::string_view bytes(std::size_t n) {
    n = std::min(n, size_ - std::min(pos_, size_));
    std::string_view v(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return v;
  }

 private:
  const std::uint8_t* data_;
  std::size_t size_;
  std::size_t pos_ = 0;
};

}  // namespace sipua::fuzzing
