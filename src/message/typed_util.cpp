#include "typed_util.hpp"

namespace sipua::detail {

std::size_t generic_params_error(std::string_view s, std::size_t i) noexcept {
  // Walks the list the way scan_generic_params does (RFC 3261 §25.1:
  // *( SEMI generic-param ), generic-param = token [ EQUAL gen-value ]),
  // but stops at the first character that does not fit. Only run on input
  // that scan_generic_params has rejected, so it always finds one.
  for (;;) {
    const std::size_t semi = skip_lws(s, i);
    if (semi >= s.size() || s[semi] != ';') return semi;
    std::size_t p = skip_lws(s, semi + 1);
    const std::size_t name_end = scan(s, p, cc_token);
    if (name_end == p) return p;
    p = skip_lws(s, name_end);
    if (p >= s.size() || s[p] != '=') {
      i = name_end;
      continue;
    }
    p = skip_lws(s, p + 1);
    if (p < s.size() && s[p] == '"') {
      const std::size_t q = skip_quoted(s, p);
      if (q == npos) return p;
      i = q;
      continue;
    }
    const std::size_t vb = p;
    while (p < s.size() && (is(s[p], cc_token) || s[p] == ':' || s[p] == '[' || s[p] == ']')) ++p;
    if (p == vb) return p;
    i = p;
  }
}

}  // namespace sipua::detail
