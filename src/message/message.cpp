#include "sipua/message/message.hpp"

#include <string>

#include "sipua/message/detail/chars.hpp"

namespace sipua {

const header_field* message::find(std::string_view name) const noexcept {
  const header_id id = lookup_header(name);
  if (id != header_id::unknown) return find(id);
  for (const header_field& f : headers())
    if (f.id == header_id::unknown && detail::iequals(f.name, name)) return &f;
  return nullptr;
}

std::size_t message::count(header_id id) const noexcept {
  const std::uint16_t first = first_[static_cast<std::size_t>(id)];
  if (first == k_none) return 0;
  std::size_t n = 0;
  for (const header_field& f : headers().subspan(first)) n += f.id == id ? 1 : 0;
  return n;
}

std::string unfold(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (std::size_t i = 0; i < value.size();) {
    const char c = value[i];
    if (c == '\r' || c == '\n') {
      // Drop the whitespace on both sides of the line break; write one SP.
      while (!out.empty() && (out.back() == ' ' || out.back() == '\t')) out.pop_back();
      i = detail::skip_lws(value, i);
      out.push_back(' ');
      continue;
    }
    out.push_back(c);
    ++i;
  }
  return out;
}

}  // namespace sipua
