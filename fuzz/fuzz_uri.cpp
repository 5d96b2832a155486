// Fuzz target for parse_uri, unescape and equivalent().
// Properties checked (a violation traps):
// - every view of a parsed URI lies inside the input;
// - a parsed URI is equivalent to itself, and to a parse of a copy of it;
// - equivalent() is symmetric (the input is also split in two URIs).
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/uri.hpp"

namespace {

void check_inside(std::string_view v, std::string_view in) {
  if (v.empty()) return;
  if (v.data() < in.data() || v.data() + v.size() > in.data() + in.size()) __builtin_trap();
}

std::size_t touch_params(const sipua::param_list& l, std::string_view in) {
  std::size_t n = 0;
  for (const sipua::param& p : l) {
    check_inside(p.name, in);
    check_inside(p.value, in);
    n += sipua::unescape(p.name).size() + sipua::unescape(p.value).size() + p.has_value;
  }
  return n;
}

std::size_t touch(const sipua::uri& u, std::string_view in) {
  std::size_t n = u.text.size() + static_cast<std::size_t>(u.scheme);
  check_inside(u.scheme_text, in);
  check_inside(u.opaque, in);
  const sipua::sip_uri& s = u.sip;
  for (std::string_view v : {s.user, s.password, s.host, s.headers, s.transport(), s.user_param(),
                             s.method_param(), s.maddr()}) {
    check_inside(v, in);
    n += v.size();
  }
  n += s.secure + s.has_user + s.has_password + s.lr() + static_cast<std::size_t>(s.host_kind);
  n += s.port.value_or(0);
  n += sipua::unescape(s.user).size() + sipua::unescape(s.password).size() +
       sipua::unescape(s.headers).size();
  n += touch_params(s.params, in);
  check_inside(u.tel.number, in);
  check_inside(u.tel.phone_context(), in);
  n += u.tel.number.size() + u.tel.global + touch_params(u.tel.params, in);
  if (!sipua::equivalent(u, u)) __builtin_trap();
  return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in{reinterpret_cast<const char*>(data), size};
  volatile std::size_t sink = 0;
  const auto r = sipua::parse_uri(in);
  if (r.has_value()) {
    sink = sink + touch(*r, in);
    // The same bytes elsewhere give an equivalent URI.
    const std::vector<char> copy(in.begin(), in.end());
    const auto c = sipua::parse_uri({copy.data(), copy.size()});
    if (!c.has_value() || !sipua::equivalent(*r, *c) || !sipua::equivalent(*c, *r))
      __builtin_trap();
  } else if (r.error().offset > size) {
    __builtin_trap();
  }
  // Two URIs from one input: split at the first NUL byte, or in the middle.
  std::size_t cut = in.find('\0');
  if (cut == std::string_view::npos) cut = size / 2;
  const std::string_view a = in.substr(0, cut), b = in.substr(cut < size ? cut + 1 : size);
  const auto x = sipua::parse_uri(a);
  const auto y = sipua::parse_uri(b);
  if (x.has_value() && y.has_value()) {
    sink = sink + touch(*x, a) + touch(*y, b);
    if (sipua::equivalent(*x, *y) != sipua::equivalent(*y, *x)) __builtin_trap();
  }
  return 0;
}
