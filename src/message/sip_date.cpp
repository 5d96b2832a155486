// SIP-date (RFC 3261 §20.17, §25.1; RFC 2616 §3.3.1 rfc1123-date).
#include <array>
#include <string_view>

#include "validate_detail.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua::detail {
namespace {

constexpr std::array<std::string_view, 7> k_wkday{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
constexpr std::array<std::string_view, 12> k_month{"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};

template <std::size_t N>
bool one_of(std::string_view s, const std::array<std::string_view, N>& names) noexcept {
  for (std::string_view n : names)
    if (iequals(s, n)) return true;
  return false;
}

// Walks the value; each step returns false at the first mismatch, leaving
// the failing offset in `i`.
struct date_cursor {
  std::string_view s;
  std::size_t i = 0;

  bool literal(std::string_view lit) noexcept {
    if (s.size() - i < lit.size() || !iequals(s.substr(i, lit.size()), lit)) return false;
    i += lit.size();
    return true;
  }
  template <std::size_t N>
  bool name(const std::array<std::string_view, N>& names) noexcept {
    if (s.size() - i < 3 || !one_of(s.substr(i, 3), names)) return false;
    i += 3;
    return true;
  }
  bool digits(std::size_t n) noexcept {
    for (std::size_t k = 0; k < n; ++k, ++i)
      if (i >= s.size() || !is(s[i], cc_digit)) return false;
    return true;
  }
};

}  // namespace

std::size_t check_sip_date(std::string_view value) noexcept {
  date_cursor c{value};
  const bool ok = c.name(k_wkday) && c.literal(", ") &&                // wkday "," SP
                  c.digits(2) && c.literal(" ") && c.name(k_month) &&  // date1
                  c.literal(" ") && c.digits(4) && c.literal(" ") &&   //
                  c.digits(2) && c.literal(":") && c.digits(2) &&      // time
                  c.literal(":") && c.digits(2) && c.literal(" ") && c.literal("GMT");
  if (ok && c.i == value.size()) return npos;
  return c.i;
}

}  // namespace sipua::detail
