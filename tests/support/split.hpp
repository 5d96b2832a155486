// Test helpers: feed input from exact-size heap buffers so that AddressSanitizer
// catches any read past the end, and (for incremental parsers) split at every
// offset.
#pragma once

#include <cstring>
#include <memory>
#include <string_view>

namespace sipua::test {

/// A heap copy of `s` with no spare byte after it.
class exact_buffer {
 public:
  explicit exact_buffer(std::string_view s)
      : size_(s.size()), data_(new char[s.size() ? s.size() : 1]) {
    if (!s.empty()) std::memcpy(data_.get(), s.data(), s.size());
  }
  [[nodiscard]] std::string_view view() const noexcept { return {data_.get(), size_}; }

 private:
  std::size_t size_;
  std::unique_ptr<char[]> data_;
};

/// Calls f(view) on an exact-size copy of `s`.
template <class F>
void for_each_exact(std::string_view s, F&& f) {
  exact_buffer b{s};
  f(b.view());
}

/// Calls f(first, second) for every split point 0..size, each part in its
/// own exact-size buffer.
template <class F>
void for_each_split(std::string_view s, F&& f) {
  for (std::size_t i = 0; i <= s.size(); ++i) {
    exact_buffer a{s.substr(0, i)};
    exact_buffer b{s.substr(i)};
    f(a.view(), b.view());
  }
}

}  // namespace sipua::test
