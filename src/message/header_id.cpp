#include "sipua/message/header_id.hpp"

#include "header_table.hpp"

namespace sipua {

using detail::k_compact;
using detail::k_names;

header_id lookup_header(std::string_view name) noexcept { return detail::lookup_header_fast(name); }

// k_names lists the ids in enum order, starting after unknown.
static_assert([] {
  for (std::size_t i = 0; i < k_names.size(); ++i)
    if (static_cast<std::size_t>(k_names[i].id) != i + 1) return false;
  return k_names.size() + 1 == header_id_count;
}());

std::string_view header_name(header_id id) noexcept {
  const auto i = static_cast<std::size_t>(id);
  return i == 0 || i > k_names.size() ? std::string_view{} : k_names[i - 1].name;
}

char compact_form(header_id id) noexcept {
  for (auto c : k_compact)
    if (c.id == id) return c.c;
  return '\0';
}

}  // namespace sipua
