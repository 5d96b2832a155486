// URI equivalence: RFC 3261 §19.1.4 (with the RFC 5954 §4.2 clarification
// for IP addresses) for sip/sips, RFC 3966 §4 for tel, and byte comparison
// after the scheme for any other scheme.
#include <algorithm>
#include <array>
#include <vector>

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

using detail::is;

namespace {

// ------------------------------------------------------- normalized strings

int hex_value(char h) noexcept { return is(h, detail::cc_digit) ? h - '0' : (h | 0x20) - 'a' + 10; }

/// Reads a URI component one character at a time with %HH decoded. RFC
/// 3261 §19.1.4: "Characters other than those in the reserved set are
/// equivalent to their %HEX HEX encoding", so an escaped reserved character
/// yields 256 + c, which never equals the literal c. Never recursive: "%25"
/// yields '%' and what follows is read as written (RFC 4475 §3.1.1.3).
class decoder {
 public:
  decoder(std::string_view s, bool icase) noexcept : s_(s), icase_(icase) {}

  /// Next character, or -1 at the end.
  int next() noexcept {
    if (i_ >= s_.size()) return -1;
    char c = s_[i_++];
    if (c == '%' && i_ + 1 < s_.size() && is(s_[i_], detail::cc_hex) &&
        is(s_[i_ + 1], detail::cc_hex)) {
      c = static_cast<char>(hex_value(s_[i_]) * 16 + hex_value(s_[i_ + 1]));
      i_ += 2;
      if (is(c, detail::cc_reserved)) return 256 + static_cast<unsigned char>(c);
    }
    return static_cast<unsigned char>(icase_ ? detail::to_lower(c) : c);
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
  bool icase_;
};

/// Total order on components after decoding (and case folding if icase).
int compare_decoded(std::string_view a, std::string_view b, bool icase) noexcept {
  decoder da{a, icase}, db{b, icase};
  for (;;) {
    const int x = da.next(), y = db.next();
    if (x != y) return x < y ? -1 : 1;
    if (x < 0) return 0;
  }
}

bool equal_decoded(std::string_view a, std::string_view b, bool icase) noexcept {
  return compare_decoded(a, b, icase) == 0;
}

/// True if the decoded, case-folded `s` is `word` (lower case, unreserved).
bool decoded_is(std::string_view s, std::string_view word) noexcept {
  return equal_decoded(s, word, true);
}

// ----------------------------------------------------------- IP addresses

bool ipv4_bytes(std::string_view s, std::uint8_t* out) noexcept {
  if (!is_ipv4_address(s)) return false;
  unsigned v = 0;
  int k = 0;
  for (const char c : s) {
    if (c == '.') {
      out[k++] = static_cast<std::uint8_t>(v);
      v = 0;
    } else {
      v = v * 10 + static_cast<unsigned>(c - '0');
    }
  }
  out[k] = static_cast<std::uint8_t>(v);
  return true;
}

/// Binary form of a validated IPv6 address (without brackets). Accepts the
/// RFC 5118 §4.10 three-colon form, as is_ipv6_address does.
bool ipv6_bytes(std::string_view s, std::array<std::uint8_t, 16>& out) noexcept {
  std::array<std::uint8_t, 16> b{};
  int n = 0, gap = -1;  // bytes before/after the "::", byte index of the gap
  for (std::size_t i = 0; i <= s.size();) {
    std::size_t j = s.find(':', i);
    if (j == std::string_view::npos) j = s.size();
    const std::string_view tok = s.substr(i, j - i);
    if (tok.empty()) {
      if (gap < 0) gap = n;
    } else if (tok.find('.') != std::string_view::npos) {
      if (n > 12 || !ipv4_bytes(tok, &b[n])) return false;
      n += 4;
    } else {
      if (n > 14 || tok.size() > 4) return false;
      int v = 0;
      for (const char c : tok) {
        if (!is(c, detail::cc_hex)) return false;
        v = v * 16 + hex_value(c);
      }
      b[n++] = static_cast<std::uint8_t>(v >> 8);
      b[n++] = static_cast<std::uint8_t>(v & 0xff);
    }
    i = j + 1;
  }
  if (gap < 0) {
    if (n != 16) return false;
    out = b;
    return true;
  }
  // Move the bytes after the gap to the end; the gap fills with zeros.
  out.fill(0);
  std::copy(b.begin(), b.begin() + gap, out.begin());
  std::copy(b.begin() + gap, b.begin() + n, out.end() - (n - gap));
  return true;
}

/// RFC 3261 §19.1.4: hosts compare case-insensitively; RFC 5954 §4.2: IP
/// addresses compare by their binary value ("[::ffff:c000:280]" equals
/// "[::ffff:192.0.2.128]"). A name never equals an address (§19.1.4).
bool same_host(std::string_view a, host_type ka, std::string_view b, host_type kb) noexcept {
  if (ka != kb) return false;
  if (ka == host_type::ipv4) {
    std::array<std::uint8_t, 4> x{}, y{};
    if (ipv4_bytes(a, x.data()) && ipv4_bytes(b, y.data())) return x == y;
  } else if (ka == host_type::ipv6 && a.size() >= 2 && b.size() >= 2) {
    std::array<std::uint8_t, 16> x{}, y{};
    if (ipv6_bytes(a.substr(1, a.size() - 2), x) && ipv6_bytes(b.substr(1, b.size() - 2), y))
      return x == y;
  }
  return detail::iequals(a, b);
}

// ------------------------------------------------------------ sorted lists

/// A few elements on the stack, more on the heap.
template <class T, std::size_t N = 16>
class small_vector {
 public:
  void push_back(const T& v) {
    if (heap_.empty() && n_ < N) {
      fixed_[n_++] = v;
      return;
    }
    if (heap_.empty()) heap_.assign(fixed_.begin(), fixed_.end());
    heap_.push_back(v);
    ++n_;
  }
  T* begin() noexcept { return heap_.empty() ? fixed_.data() : heap_.data(); }
  T* end() noexcept { return begin() + n_; }
  [[nodiscard]] std::size_t size() const noexcept { return n_; }
  T& operator[](std::size_t i) noexcept { return begin()[i]; }

 private:
  std::array<T, N> fixed_{};
  std::vector<T> heap_;
  std::size_t n_ = 0;
};

using param_vector = small_vector<param>;

/// Orders parameters by decoded, case-folded name, then value presence,
/// then value: equal names end up next to each other.
bool param_less(const param& x, const param& y) noexcept {
  if (const int c = compare_decoded(x.name, y.name, true)) return c < 0;
  if (x.has_value != y.has_value) return !x.has_value;
  return compare_decoded(x.value, y.value, true) < 0;
}

void sorted_params(const param_list& list, param_vector& out) {
  for (const param& p : list) out.push_back(p);
  std::sort(out.begin(), out.end(), param_less);
}

/// End of the run of parameters named like v[i].
std::size_t run_end(param_vector& v, std::size_t i) noexcept {
  std::size_t j = i + 1;
  while (j < v.size() && equal_decoded(v[j].name, v[i].name, true)) ++j;
  return j;
}

// ------------------------------------------------------------------ sip/sips

/// RFC 3261 §19.1.4: a user, ttl, method or maddr parameter, and (as for
/// every component with a default) a transport parameter, present in only
/// one URI makes them differ. Other parameters in only one are ignored.
bool must_be_in_both(std::string_view name) noexcept {
  return decoded_is(name, "user") || decoded_is(name, "ttl") || decoded_is(name, "method") ||
         decoded_is(name, "maddr") || decoded_is(name, "transport");
}

bool same_param_value(const param& x, const param& y) noexcept {
  if (x.has_value != y.has_value) return false;
  if (decoded_is(x.name, "maddr")) {
    // maddr = host: compared as a host (case, IP textual forms).
    const auto kx = classify_host(x.value), ky = classify_host(y.value);
    if (kx && ky) return same_host(x.value, *kx, y.value, *ky);
  }
  return equal_decoded(x.value, y.value, true);
}

/// "Any uri-parameter appearing in both URIs must match" (§19.1.4).
/// Parameters named more than once (which §19.1.1 forbids) must match as
/// multisets.
bool same_sip_params(const param_list& a, const param_list& b) {
  param_vector x, y;
  sorted_params(a, x);
  sorted_params(b, y);
  std::size_t i = 0, j = 0;
  while (i < x.size() || j < y.size()) {
    const int c = i == x.size()   ? 1
                  : j == y.size() ? -1
                                  : compare_decoded(x[i].name, y[j].name, true);
    if (c < 0) {
      if (must_be_in_both(x[i].name)) return false;
      i = run_end(x, i);
    } else if (c > 0) {
      if (must_be_in_both(y[j].name)) return false;
      j = run_end(y, j);
    } else {
      const std::size_t ie = run_end(x, i), je = run_end(y, j);
      if (ie - i != je - j) return false;
      for (; i < ie; ++i, ++j)
        if (!same_param_value(x[i], y[j])) return false;
    }
  }
  return true;
}

struct uri_header {
  std::string_view name, value;
};

/// Header names compare case-insensitively, values as written after
/// decoding (each header's own rules of §20 are not known here).
bool header_less(const uri_header& x, const uri_header& y) noexcept {
  if (const int c = compare_decoded(x.name, y.name, true)) return c < 0;
  return compare_decoded(x.value, y.value, false) < 0;
}

void sorted_headers(std::string_view text, small_vector<uri_header>& out) {
  while (!text.empty()) {
    const std::size_t amp = text.find('&');
    const std::string_view h = text.substr(0, amp);
    const std::size_t eq = h.find('=');
    out.push_back(
        {h.substr(0, eq), eq == std::string_view::npos ? std::string_view{} : h.substr(eq + 1)});
    if (amp == std::string_view::npos) break;
    text.remove_prefix(amp + 1);
  }
  std::sort(out.begin(), out.end(), header_less);
}

/// "URI header components are never ignored. Any present header component
/// MUST be present in both URIs and match" (§19.1.4); order is not
/// significant, so they compare as multisets.
bool same_headers(std::string_view a, std::string_view b) {
  if (a.empty() || b.empty()) return a.empty() && b.empty();
  small_vector<uri_header> x, y;
  sorted_headers(a, x);
  sorted_headers(b, y);
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i)
    if (header_less(x[i], y[i]) || header_less(y[i], x[i])) return false;
  return true;
}

bool equivalent_sip(const sip_uri& a, const sip_uri& b) {
  // "Comparison of the userinfo ... is case-sensitive"; a URI omitting the
  // user (or password) does not match one that includes it.
  if (a.has_user != b.has_user || a.has_password != b.has_password) return false;
  if (!equal_decoded(a.user, b.user, false) || !equal_decoded(a.password, b.password, false))
    return false;
  if (!same_host(a.host, a.host_kind, b.host, b.host_kind)) return false;
  // An omitted port never matches an explicit one, even 5060.
  if (a.port != b.port) return false;
  return same_sip_params(a.params, b.params) && same_headers(a.headers, b.headers);
}

// ----------------------------------------------------------------------- tel

bool is_visual_separator(char c) noexcept { return c == '-' || c == '.' || c == '(' || c == ')'; }

/// RFC 3966 §4: digits compare after removing visual separators, case-
/// insensitively (local numbers may hold hex digits).
bool same_phone_digits(std::string_view a, std::string_view b) noexcept {
  std::size_t i = 0, j = 0;
  for (;;) {
    while (i < a.size() && is_visual_separator(a[i])) ++i;
    while (j < b.size() && is_visual_separator(b[j])) ++j;
    if (i == a.size() || j == b.size()) return i == a.size() && j == b.size();
    if (detail::to_lower(a[i++]) != detail::to_lower(b[j++])) return false;
  }
}

bool same_tel_value(const param& x, const param& y) noexcept {
  if (x.has_value != y.has_value) return false;
  if (decoded_is(x.name, "phone-context")) {
    // A global-number-digits descriptor compares digit by digit without
    // separators, a domainname as a host name (§4).
    const bool gx = !x.value.empty() && x.value.front() == '+';
    const bool gy = !y.value.empty() && y.value.front() == '+';
    if (gx != gy) return false;
    return gx ? same_phone_digits(x.value, y.value) : detail::iequals(x.value, y.value);
  }
  if (decoded_is(x.name, "ext")) return same_phone_digits(x.value, y.value);
  return equal_decoded(x.value, y.value, true);
}

bool equivalent_tel(const tel_uri& a, const tel_uri& b) {
  if (a.global != b.global || !same_phone_digits(a.number, b.number)) return false;
  // "If one URI has a parameter name not found in the other, the two URIs
  // are not equal"; order does not matter.
  param_vector x, y;
  sorted_params(a.params, x);
  sorted_params(b.params, y);
  if (x.size() != y.size()) return false;
  for (std::size_t i = 0; i < x.size(); ++i) {
    if (!equal_decoded(x[i].name, y[i].name, true) || !same_tel_value(x[i], y[i])) return false;
  }
  return true;
}

}  // namespace

bool equivalent(const uri& a, const uri& b) {
  // §19.1.4: "A SIP and SIPS URI are never equivalent."
  if (a.scheme != b.scheme) return false;
  switch (a.scheme) {
    case uri_scheme::sip:
    case uri_scheme::sips: return equivalent_sip(a.sip, b.sip);
    case uri_scheme::tel: return equivalent_tel(a.tel, b.tel);
    case uri_scheme::other: break;
  }
  return detail::iequals(a.scheme_text, b.scheme_text) && a.opaque == b.opaque;
}

}  // namespace sipua
