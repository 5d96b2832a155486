// A call's handlers as the engine keeps them (issue #6: the heap per
// dialog): only the non-empty ones, in one allocation, after a bit mask
// of which are there. CallHandlers holds six std::function (192 bytes);
// a call with on_answered and on_ended set costs 72 bytes here, one
// with none nothing (handler_pack::make returns null).
#pragma once

#include <algorithm>
#include <bit>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <new>
#include <tuple>
#include <type_traits>
#include <utility>

#include "sipua/ua/call.hpp"

namespace sipua::ua_detail {

namespace handler_pack_detail {
/// Calls f.operator()<I>() for I in [0, N).
template <unsigned N, class F>
constexpr void for_each(F&& f) {
  [&]<unsigned... I>(std::integer_sequence<unsigned, I...>) { (f.template operator()<I>(), ...); }
  (std::make_integer_sequence<unsigned, N>{});
}
}  // namespace handler_pack_detail

class handler_pack {
 public:
  /// The handlers by index.
  enum index : unsigned { progress, early_media, answered, media_updated, info, ended, count };
  using types =
      std::tuple<decltype(CallHandlers::on_progress), decltype(CallHandlers::on_early_media),
                 decltype(CallHandlers::on_answered), decltype(CallHandlers::on_media_updated),
                 decltype(CallHandlers::on_info), decltype(CallHandlers::on_ended)>;
  template <unsigned I>
  using type = std::tuple_element_t<I, types>;
  static_assert(std::tuple_size_v<types> == count);

  struct deleter {
    void operator()(handler_pack* p) const noexcept { destroy(p); }
  };
  using pointer = std::unique_ptr<handler_pack, deleter>;

  /// The non-empty handlers of `h`; null when every one is empty.
  static pointer make(CallHandlers&& h) {
    unsigned mask = 0;
    handler_pack_detail::for_each<count>([&]<unsigned I>() {
      if (member<I>(h)) mask |= 1U << I;
    });
    if (mask == 0) return nullptr;
    void* raw = ::operator new(header + static_cast<std::size_t>(std::popcount(mask)) * slot);
    auto* p = ::new (raw) handler_pack{static_cast<std::uint8_t>(mask)};
    // std::function's move constructor does not throw: no partial state.
    handler_pack_detail::for_each<count>([&]<unsigned I>() {
      if ((mask & (1U << I)) != 0) ::new (p->at(I)) type<I>(std::move(member<I>(h)));
    });
    return pointer{p};
  }

  /// Handler I, null when it is empty.
  template <unsigned I>
  [[nodiscard]] type<I>* get() noexcept {
    if ((mask_ & (1U << I)) == 0) return nullptr;
    return std::launder(static_cast<type<I>*>(at(I)));
  }

  handler_pack(const handler_pack&) = delete;
  handler_pack& operator=(const handler_pack&) = delete;

 private:
  static constexpr std::size_t slot = []<unsigned... I>(std::integer_sequence<unsigned, I...>) {
    return std::max({sizeof(type<I>)...});
  }
  (std::make_integer_sequence<unsigned, count>{});
  static constexpr std::size_t align = []<unsigned... I>(std::integer_sequence<unsigned, I...>) {
    return std::max({alignof(type<I>)...});
  }
  (std::make_integer_sequence<unsigned, count>{});
  static_assert(align <= __STDCPP_DEFAULT_NEW_ALIGNMENT__);
  static constexpr std::size_t header = std::max(sizeof(std::uint8_t), align);
  static_assert(slot % align == 0);

  template <unsigned I>
  static type<I>& member(CallHandlers& h) noexcept {
    constexpr auto members = std::tuple{&CallHandlers::on_progress, &CallHandlers::on_early_media,
                                        &CallHandlers::on_answered, &CallHandlers::on_media_updated,
                                        &CallHandlers::on_info,     &CallHandlers::on_ended};
    return h.*std::get<I>(members);
  }

  explicit handler_pack(std::uint8_t mask) noexcept : mask_(mask) {}

  /// Where handler I lives (it must be present): after the header, in
  /// the order of the indexes, present ones only.
  [[nodiscard]] void* at(unsigned i) noexcept {
    const auto before = static_cast<std::size_t>(std::popcount(mask_ & ((1U << i) - 1U)));
    return reinterpret_cast<std::byte*>(this) + header + before * slot;
  }

  static void destroy(handler_pack* p) noexcept {
    handler_pack_detail::for_each<count>([&]<unsigned I>() {
      if (type<I>* f = p->get<I>()) f->~type<I>();
    });
    p->~handler_pack();
    ::operator delete(static_cast<void*>(p));
  }

  std::uint8_t mask_;
};

}  // namespace sipua::ua_detail
