// Character classes of RFC 3261 §25.1 as one table, and the small lexing
// steps every typed parser shares. Internal: not part of the API.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace sipua::detail {

enum char_class : std::uint16_t {
  cc_token = 1 << 0,             // token
  cc_word = 1 << 1,              // word (Call-ID)
  cc_unreserved = 1 << 2,        // alphanum / mark
  cc_user_unreserved = 1 << 3,   // & = + $ , ; ? /
  cc_param_unreserved = 1 << 4,  // [ ] / : & + $
  cc_hnv_unreserved = 1 << 5,    // [ ] / ? : + $
  cc_alpha = 1 << 6,
  cc_digit = 1 << 7,
  cc_hex = 1 << 8,
  cc_wsp = 1 << 9,         // SP HTAB
  cc_lws = 1 << 10,        // SP HTAB CR LF (LWS inside a folded value)
  cc_scheme = 1 << 11,     // ALPHA DIGIT + - .
  cc_password = 1 << 12,   // & = + $ ,
  cc_reserved = 1 << 13,   // ; / ? : @ & = + $ ,
  cc_gen_value = 1 << 14,  // gen-value without quotes: token / host (token : [ ])
  cc_hostname = 1 << 15,   // hostname and IPv4 characters: alphanum - .
};

constexpr std::array<std::uint16_t, 256> make_char_table() {
  std::array<std::uint16_t, 256> t{};
  auto add = [&t](std::string_view chars, std::uint16_t bits) {
    for (char c : chars) t[static_cast<unsigned char>(c)] |= bits;
  };
  for (int c = 'a'; c <= 'z'; ++c)
    t[c] |= cc_alpha | cc_token | cc_word | cc_unreserved | cc_scheme;
  for (int c = 'A'; c <= 'Z'; ++c)
    t[c] |= cc_alpha | cc_token | cc_word | cc_unreserved | cc_scheme;
  for (int c = '0'; c <= '9'; ++c)
    t[c] |= cc_digit | cc_hex | cc_token | cc_word | cc_unreserved | cc_scheme;
  add("abcdefABCDEF", cc_hex);
  add("-.!%*_+`'~", cc_token | cc_word);
  for (std::size_t c = 0; c < 256; ++c)
    if (t[c] & cc_token) t[c] |= cc_gen_value;
  add(":[]", cc_gen_value);
  for (std::size_t c = 0; c < 256; ++c)
    if (t[c] & (cc_alpha | cc_digit)) t[c] |= cc_hostname;
  add("-.", cc_hostname);
  add("()<>:\\\"/[]?{}", cc_word);
  add("-_.!~*'()", cc_unreserved);
  add("&=+$,;?/", cc_user_unreserved);
  add("[]/:&+$", cc_param_unreserved);
  add("[]/?:+$", cc_hnv_unreserved);
  add(" \t", cc_wsp | cc_lws);
  add("\r\n", cc_lws);
  add("+-.", cc_scheme);
  add("&=+$,", cc_password);
  add(";/?:@&=+$,", cc_reserved);
  return t;
}

inline constexpr std::array<std::uint16_t, 256> char_table = make_char_table();

constexpr bool is(char c, std::uint16_t cls) noexcept {
  return (char_table[static_cast<unsigned char>(c)] & cls) != 0;
}

constexpr char to_lower(char c) noexcept {
  return c >= 'A' && c <= 'Z' ? static_cast<char>(c + ('a' - 'A')) : c;
}

constexpr bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  return true;
}

inline constexpr std::size_t npos = std::string_view::npos;

/// s[b, e) without substr's range check (and its exception path): for the
/// parsers' hot paths, where b <= e <= s.size() holds by construction.
constexpr std::string_view slice(std::string_view s, std::size_t b, std::size_t e) noexcept {
  return {s.data() + b, e - b};
}

/// Case-insensitive equality of a token with a lower-case literal made of
/// letters, digits and '-', by two overlapping word loads (no byte loop).
/// OR-ing 0x20 folds letters and maps no other token character onto a
/// letter, digit or '-', so `s` must be a token (already scanned as one).
template <std::size_t N>
inline bool token_equals(std::string_view s, const char (&lit)[N]) noexcept {
  constexpr std::size_t n = N - 1;
  static_assert(n >= 2 && n <= 16);
  if (s.size() != n) return false;
  auto fold = [](auto w, auto ones) { return w | (ones * 0x20); };
  if constexpr (n >= 8) {
    std::uint64_t a, b, x, y;
    __builtin_memcpy(&a, s.data(), 8);
    __builtin_memcpy(&b, s.data() + n - 8, 8);
    __builtin_memcpy(&x, lit, 8);
    __builtin_memcpy(&y, lit + n - 8, 8);
    constexpr std::uint64_t ones = 0x0101010101010101ULL;
    return ((fold(a, ones) ^ x) | (fold(b, ones) ^ y)) == 0;
  } else if constexpr (n >= 4) {
    std::uint32_t a, b, x, y;
    __builtin_memcpy(&a, s.data(), 4);
    __builtin_memcpy(&b, s.data() + n - 4, 4);
    __builtin_memcpy(&x, lit, 4);
    __builtin_memcpy(&y, lit + n - 4, 4);
    constexpr std::uint32_t ones = 0x01010101U;
    return ((fold(a, ones) ^ x) | (fold(b, ones) ^ y)) == 0;
  } else {
    std::uint16_t a, b, x, y;
    __builtin_memcpy(&a, s.data(), 2);
    __builtin_memcpy(&b, s.data() + n - 2, 2);
    __builtin_memcpy(&x, lit, 2);
    __builtin_memcpy(&y, lit + n - 2, 2);
    constexpr std::uint32_t ones = 0x0101U;
    return static_cast<std::uint16_t>((fold(static_cast<std::uint32_t>(a), ones) ^ x) |
                                      (fold(static_cast<std::uint32_t>(b), ones) ^ y)) == 0;
  }
}

/// First index at or after `i` that is not SP/HTAB/CR/LF (LWS inside a
/// possibly folded value; the framer has already checked that any CRLF in a
/// value is followed by whitespace).
constexpr std::size_t skip_lws(std::string_view s, std::size_t i) noexcept {
  while (i < s.size() && is(s[i], cc_lws)) ++i;
  return i;
}

/// s without leading and trailing LWS.
constexpr std::string_view trim_lws(std::string_view s) noexcept {
  std::size_t b = 0, e = s.size();
  while (b < e && is(s[b], cc_lws)) ++b;
  while (e > b && is(s[e - 1], cc_lws)) --e;
  return s.substr(b, e - b);
}

/// End of the run of characters of class `cls` starting at `i`.
constexpr std::size_t scan(std::string_view s, std::size_t i, std::uint16_t cls) noexcept {
  // Four characters per bounds check: this loop is most of the typed parsers.
  const std::size_t n = s.size();
  const char* p = s.data();
  for (; i + 4 <= n; i += 4) {
    if (!is(p[i], cls)) return i;
    if (!is(p[i + 1], cls)) return i + 1;
    if (!is(p[i + 2], cls)) return i + 2;
    if (!is(p[i + 3], cls)) return i + 3;
  }
  while (i < n && is(p[i], cls)) ++i;
  return i;
}

/// The first index at or after i whose byte is not plain qdtext: '"', '\\',
/// a control character (LWS included) or DEL; s.size() if none. Bytes
/// >= 0x80 are plain (UTF8-NONASCII). Sixteen bytes at a time with SSE2.
inline std::size_t skip_qdtext(std::string_view s, std::size_t i) noexcept {
  const std::size_t n = s.size();
  const char* p = s.data();
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i c1f = _mm_set1_epi8(0x1f);
  const __m128i del = _mm_set1_epi8(0x7f);
  for (; i + 16 <= n; i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + i));
    const __m128i ctl = _mm_cmpeq_epi8(_mm_min_epu8(v, c1f), v);  // v <= 0x1f, unsigned
    const __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                     _mm_or_si128(ctl, _mm_cmpeq_epi8(v, del)));
    const int mask = _mm_movemask_epi8(special);
    if (mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(static_cast<unsigned>(mask)));
  }
#endif
  for (; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c == '"' || c == '\\' || c < 0x20 || c == 0x7f) return i;
  }
  return n;
}

/// `s[i]` must be '"'. Returns the index just past the closing quote, or
/// npos if the quoted-string is unterminated or malformed:
/// quoted-string = SWS DQUOTE *(qdtext / quoted-pair ) DQUOTE
/// qdtext = LWS / %x21 / %x23-5B / %x5D-7E / UTF8-NONASCII
/// quoted-pair = "\" (%x00-09 / %x0B-0C / %x0E-7F)   (RFC 3261 §25.1)
/// With `bad`, a malformed one also reports the offending index (the
/// opening quote when it is never closed).
inline std::size_t skip_quoted(std::string_view s, std::size_t i,
                               std::size_t* bad = nullptr) noexcept {
  const std::size_t open = i;
  const std::size_t n = s.size();
  for (std::size_t j = i + 1;;) {
    j = skip_qdtext(s, j);
    if (j >= n) break;
    const auto c = static_cast<unsigned char>(s[j]);
    if (c == '"') return j + 1;
    if (c == '\\') {
      if (j + 1 >= n) break;
      const auto q = static_cast<unsigned char>(s[j + 1]);
      if (q == 0x0A || q == 0x0D || q > 0x7F) {
        if (bad) *bad = j + 1;
        return npos;
      }
      j += 2;
      continue;
    }
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {  // control or DEL
      if (bad) *bad = j;
      return npos;
    }
    ++j;
  }
  if (bad) *bad = open;
  return npos;
}

/// True if every byte of s is visible ASCII (%x21-7E) and none equals
/// `x`, `y` or `z`: no LWS, control character, DEL or non-ASCII byte.
/// Sixteen bytes at a time with SSE2 (eight with plain 64-bit words
/// elsewhere). Pass '\x7f' for x, y or z to exclude nothing more.
inline bool all_visible_except(std::string_view s, char x, char y, char z = '\x7f') noexcept {
  const std::size_t n = s.size();
  const char* p = s.data();
#if defined(__SSE2__)
  if (n >= 16) {
    // Signed compares: bytes >= 0x80 are negative, so "< 0x21" catches them.
    const __m128i lo = _mm_set1_epi8(0x21);
    const __m128i del = _mm_set1_epi8(0x7f);
    const __m128i xv = _mm_set1_epi8(x);
    const __m128i yv = _mm_set1_epi8(y);
    const __m128i zv = _mm_set1_epi8(z);
    auto bad = [&](const char* q) {
      const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
      const __m128i b =
          _mm_or_si128(_mm_or_si128(_mm_or_si128(_mm_cmplt_epi8(v, lo), _mm_cmpeq_epi8(v, del)),
                                    _mm_or_si128(_mm_cmpeq_epi8(v, xv), _mm_cmpeq_epi8(v, yv))),
                       _mm_cmpeq_epi8(v, zv));
      return _mm_movemask_epi8(b);
    };
    int acc = 0;
    for (std::size_t i = 0; i + 16 <= n; i += 16) acc |= bad(p + i);
    return (acc | bad(p + n - 16)) == 0;
  }
#endif
  constexpr std::uint64_t ones = 0x0101010101010101ULL;
  constexpr std::uint64_t highs = 0x8080808080808080ULL;
  if (n >= 8) {
    const std::uint64_t xs = ones * static_cast<unsigned char>(x);
    const std::uint64_t ys = ones * static_cast<unsigned char>(y);
    const std::uint64_t zs = ones * static_cast<unsigned char>(z);
    auto zero_byte = [](std::uint64_t v) { return (v - ones) & ~v; };
    // Per byte b: b < 0x21 (classic has-less), b == 0x7f (b + 1 sets the
    // high bit of an ASCII byte only for 0x7f), b >= 0x80, b == x, y or z.
    // Each test is exact as "some byte is bad", which is all we need.
    auto bad = [&](std::uint64_t w) {
      const std::uint64_t below_21 = (w - ones * 0x21) & ~w;
      return (below_21 | (w + ones) | w | zero_byte(w ^ xs) | zero_byte(w ^ ys) |
              zero_byte(w ^ zs)) &
             highs;
    };
    std::uint64_t acc = 0;
    for (std::size_t i = 0; i + 8 <= n; i += 8) {
      std::uint64_t w;
      __builtin_memcpy(&w, p + i, 8);
      acc |= bad(w);
    }
    std::uint64_t w;
    __builtin_memcpy(&w, p + n - 8, 8);
    return (acc | bad(w)) == 0;
  }
  for (std::size_t i = 0; i < n; ++i) {
    const auto c = static_cast<unsigned char>(p[i]);
    if (c < 0x21 || c > 0x7e || p[i] == x || p[i] == y || p[i] == z) return false;
  }
  return true;
}

/// True if every byte of s is visible ASCII (%x21-7E).
inline bool all_visible(std::string_view s) noexcept {
  return all_visible_except(s, '\x7f', '\x7f', '\x7f');
}

/// The first byte equal to `c` in [p, end), or nullptr. The runs searched
/// are short (tens of bytes), so an inline 32/16-byte loop beats a call to
/// memchr; it never reads outside [p, end).
inline const char* find_char(const char* p, const char* end, char c) noexcept {
#if defined(__SSE2__)
  const __m128i cv = _mm_set1_epi8(c);
  while (end - p >= 32) {
    const __m128i a = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i b = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 16));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(a, cv))) |
                          static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(b, cv))) << 16;
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 32;
  }
  while (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, cv)));
    if (mask != 0) return p + __builtin_ctz(mask);
    p += 16;
  }
#endif
  for (; p < end; ++p)
    if (*p == c) return p;
  return nullptr;
}

/// The first '\n' in [p, end), or nullptr.
inline const char* find_lf(const char* p, const char* end) noexcept {
  return find_char(p, end, '\n');
}

/// The leading run of ASCII digits of the 8 bytes at p, at most 7 long:
/// sets `value` and returns the run's length (0..7), or 8 when all eight are
/// digits (value unset: take the byte-wise path for long numbers). SWAR:
/// a byte is a digit when its high nibble is 3 and adding 6 keeps it 3.
inline std::size_t digits8(const char* p, std::uint64_t& value) noexcept {
  constexpr std::uint64_t nibbles = 0xF0F0F0F0F0F0F0F0ULL;
  constexpr std::uint64_t threes = 0x3030303030303030ULL;
  std::uint64_t w;
  __builtin_memcpy(&w, p, 8);
  const std::uint64_t other =
      ((w & nibbles) ^ threes) | (((w + 0x0606060606060606ULL) & nibbles) ^ threes);
  if (other == 0) return 8;
  // Little endian: the first byte that is not a digit ends the run. A carry
  // out of a non-digit byte can only spoil the bytes after it.
  const auto k = static_cast<std::size_t>(__builtin_ctzll(other)) / 8;
  if (k == 0) return 0;
  // Align the k digits to the top bytes (zeros before them are leading
  // zeros), then fold pairs, quads and octets (8 digits -> one number).
  std::uint64_t v = (w & 0x0F0F0F0F0F0F0F0FULL) << (8 * (8 - k));
  v = (v * 2561) >> 8;
  v = ((v & 0x00FF00FF00FF00FFULL) * 6553601) >> 16;
  value = ((v & 0x0000FFFF0000FFFFULL) * 42949672960001ULL) >> 32;
  return k;
}

/// Parses 1*DIGIT at s (whole view) into a value no greater than max.
/// Returns false on empty, non-digit or overflow past max.
constexpr bool parse_uint(std::string_view s, std::uint64_t max, std::uint64_t& out) noexcept {
  if (s.empty()) return false;
  std::uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    v = v * 10 + static_cast<std::uint64_t>(c - '0');
    if (v > max) return false;
  }
  out = v;
  return true;
}

}  // namespace sipua::detail
