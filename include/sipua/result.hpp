// A small expected-like result for functions that return a value or an error.
// The core does not throw; misusing a result (value() on an error) is a
// programming error caught by an assert in debug builds.
#pragma once

#include <cassert>
#include <type_traits>
#include <utility>
#include <variant>

namespace sipua {

template <class E>
struct unexpected {
  E error;
};
template <class E>
unexpected(E) -> unexpected<E>;

template <class T, class E>
class result {
 public:
  using value_type = T;
  using error_type = E;

  template <class U = T>
  requires std::is_constructible_v<T, U&&> result(U&& v)
      : v_(std::in_place_index<0>, std::forward<U>(v)) {}  // NOLINT(google-explicit-constructor)
  template <class G>
  result(unexpected<G> e) : v_(std::in_place_index<1>, std::move(e.error)) {}  // NOLINT

  [[nodiscard]] bool has_value() const noexcept { return v_.index() == 0; }
  explicit operator bool() const noexcept { return has_value(); }

  T& value() & {
    assert(has_value());
    return *std::get_if<0>(&v_);
  }
  const T& value() const& {
    assert(has_value());
    return *std::get_if<0>(&v_);
  }
  T&& value() && {
    assert(has_value());
    return std::move(*std::get_if<0>(&v_));
  }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

  const E& error() const& {
    assert(!has_value());
    return *std::get_if<1>(&v_);
  }
  E& error() & {
    assert(!has_value());
    return *std::get_if<1>(&v_);
  }

 private:
  std::variant<T, E> v_;
};

}  // namespace sipua
