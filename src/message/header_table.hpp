// The header-name table shared by lookup_header() and the parser's hot loop
// (which inlines the lookup). Private to src/message.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "sipua/message/header_id.hpp"

namespace sipua::detail {

struct entry {
  std::string_view name;
  header_id id;
};

// Long names (canonical spelling) and compact forms: RFC 3261 §7.3.3 and
// §20, RFC 3515 (r), RFC 3841 (a, j, d), RFC 3892 (b), RFC 4028 (x),
// RFC 6665 (o, u), RFC 8224 (y).
constexpr std::array k_names{
    entry{"Via", header_id::via},
    entry{"From", header_id::from},
    entry{"To", header_id::to},
    entry{"Call-ID", header_id::call_id},
    entry{"CSeq", header_id::cseq},
    entry{"Contact", header_id::contact},
    entry{"Max-Forwards", header_id::max_forwards},
    entry{"Content-Length", header_id::content_length},
    entry{"Content-Type", header_id::content_type},
    entry{"Route", header_id::route},
    entry{"Record-Route", header_id::record_route},
    entry{"Expires", header_id::expires},
    entry{"Accept", header_id::accept},
    entry{"Accept-Contact", header_id::accept_contact},
    entry{"Accept-Encoding", header_id::accept_encoding},
    entry{"Accept-Language", header_id::accept_language},
    entry{"Alert-Info", header_id::alert_info},
    entry{"Allow", header_id::allow},
    entry{"Allow-Events", header_id::allow_events},
    entry{"Authentication-Info", header_id::authentication_info},
    entry{"Authorization", header_id::authorization},
    entry{"Call-Info", header_id::call_info},
    entry{"Content-Disposition", header_id::content_disposition},
    entry{"Content-Encoding", header_id::content_encoding},
    entry{"Content-Language", header_id::content_language},
    entry{"Date", header_id::date},
    entry{"Error-Info", header_id::error_info},
    entry{"Event", header_id::event},
    entry{"Identity", header_id::identity},
    entry{"In-Reply-To", header_id::in_reply_to},
    entry{"Min-Expires", header_id::min_expires},
    entry{"Min-SE", header_id::min_se},
    entry{"MIME-Version", header_id::mime_version},
    entry{"Organization", header_id::organization},
    entry{"P-Asserted-Identity", header_id::p_asserted_identity},
    entry{"P-Preferred-Identity", header_id::p_preferred_identity},
    entry{"Path", header_id::path},
    entry{"Priority", header_id::priority},
    entry{"Privacy", header_id::privacy},
    entry{"Proxy-Authenticate", header_id::proxy_authenticate},
    entry{"Proxy-Authorization", header_id::proxy_authorization},
    entry{"Proxy-Require", header_id::proxy_require},
    entry{"RAck", header_id::rack},
    entry{"Reason", header_id::reason},
    entry{"Refer-To", header_id::refer_to},
    entry{"Referred-By", header_id::referred_by},
    entry{"Reject-Contact", header_id::reject_contact},
    entry{"Replaces", header_id::replaces},
    entry{"Reply-To", header_id::reply_to},
    entry{"Request-Disposition", header_id::request_disposition},
    entry{"Require", header_id::require},
    entry{"Retry-After", header_id::retry_after},
    entry{"RSeq", header_id::rseq},
    entry{"Server", header_id::server},
    entry{"Service-Route", header_id::service_route},
    entry{"Session-Expires", header_id::session_expires},
    entry{"Subject", header_id::subject},
    entry{"Subscription-State", header_id::subscription_state},
    entry{"Supported", header_id::supported},
    entry{"Timestamp", header_id::timestamp},
    entry{"Unsupported", header_id::unsupported},
    entry{"User-Agent", header_id::user_agent},
    entry{"Warning", header_id::warning},
    entry{"WWW-Authenticate", header_id::www_authenticate},
};

struct compact {
  char c;
  header_id id;
};
constexpr std::array k_compact{
    compact{'a', header_id::accept_contact},
    compact{'b', header_id::referred_by},
    compact{'c', header_id::content_type},
    compact{'d', header_id::request_disposition},
    compact{'e', header_id::content_encoding},
    compact{'f', header_id::from},
    compact{'i', header_id::call_id},
    compact{'j', header_id::reject_contact},
    compact{'k', header_id::supported},
    compact{'l', header_id::content_length},
    compact{'m', header_id::contact},
    compact{'o', header_id::event},
    compact{'r', header_id::refer_to},
    compact{'s', header_id::subject},
    compact{'t', header_id::to},
    compact{'u', header_id::allow_events},
    compact{'v', header_id::via},
    compact{'x', header_id::session_expires},
    compact{'y', header_id::identity},
};

constexpr unsigned char lower(char c) noexcept {
  return static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

// A perfect hash over the long names, found at compile time: one probe and
// one comparison per lookup. The input is a validated token, so OR-ing 0x20
// lower-cases letters and cannot turn another token character into a
// lower-case letter, digit or '-' (the only characters of the names).
constexpr std::size_t k_buckets = 512;

struct hash_params {
  unsigned a = 0, b = 0;
};

constexpr std::size_t bucket_of(const char* p, std::size_t n, hash_params h) noexcept {
  const unsigned first = static_cast<unsigned char>(p[0]) | 0x20u;
  const unsigned last = static_cast<unsigned char>(p[n - 1]) | 0x20u;
  const unsigned mid = static_cast<unsigned char>(p[n / 2]) | 0x20u;
  return (static_cast<unsigned>(n) * h.a + first * h.b + last * 3u + mid) & (k_buckets - 1);
}

struct alignas(64) name_entry {  // 64 bytes: an entry's address is one shift
  char lowered[24]{};            // lower-case name, zero padded
  char canonical[25]{};          // canonical spelling followed by ':'
  std::uint8_t size = 0;
  header_id id = header_id::unknown;
};

struct table {
  hash_params h;
  std::array<std::uint8_t, k_buckets> slot{};  // index into names + 1, 0 = empty
  std::array<name_entry, 64> names{};
};

constexpr bool try_fill(table& t) {
  t.slot = {};
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    const std::size_t b = bucket_of(k_names[i].name.data(), k_names[i].name.size(), t.h);
    if (t.slot[b] != 0) return false;
    t.slot[b] = static_cast<std::uint8_t>(i + 1);
  }
  return true;
}

constexpr table make_table() {
  table t{};
  for (unsigned a = 1; a < 256; ++a)
    for (unsigned b = 1; b < 64; ++b) {
      t.h = {a, b};
      if (try_fill(t)) {
        for (std::size_t i = 0; i < k_names.size(); ++i) {
          for (std::size_t j = 0; j < k_names[i].name.size(); ++j)
            t.names[i].lowered[j] = static_cast<char>(lower(k_names[i].name[j]));
          for (std::size_t j = 0; j < k_names[i].name.size(); ++j)
            t.names[i].canonical[j] = k_names[i].name[j];
          t.names[i].canonical[k_names[i].name.size()] = ':';
          t.names[i].size = static_cast<std::uint8_t>(k_names[i].name.size());
          t.names[i].id = k_names[i].id;
        }
        return t;
      }
    }
  return table{};
}
inline constexpr table k_table = make_table();
static_assert(k_table.h.a != 0, "no perfect hash found for the header names");
static_assert(k_names.size() <= 64);

template <class T>
inline T load(const char* p) noexcept {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}
constexpr std::uint64_t k_lower64 = 0x2020202020202020ULL;

constexpr std::array<header_id, 256> make_compact() {
  std::array<header_id, 256> a{};
  for (auto c : k_compact) {
    a[static_cast<unsigned char>(c.c)] = c.id;
    a[static_cast<unsigned char>(c.c - ('a' - 'A'))] = c.id;
  }
  return a;
}
inline constexpr std::array<header_id, 256> k_compact_table = make_compact();

[[gnu::always_inline]] inline header_id lookup_header_fast(std::string_view name) noexcept {
  const std::size_t n = name.size();
  if (n == 1) return k_compact_table[static_cast<unsigned char>(name[0])];
  if (n == 0 || n > 24) return header_id::unknown;
  const std::uint8_t s = k_table.slot[bucket_of(name.data(), n, k_table.h)];
  if (s == 0) return header_id::unknown;
  const name_entry& e = k_table.names[s - 1];
  if (e.size != n) return header_id::unknown;
  const char* lit = e.lowered;
  // Compare with overlapping word loads that stay inside the name.
  const char* p = name.data();
  std::uint64_t diff = 0;
  if (n >= 8) {
    std::size_t i = 0;
    for (; i + 8 < n; i += 8)
      diff |= (load<std::uint64_t>(p + i) | k_lower64) ^ load<std::uint64_t>(lit + i);
    diff |= (load<std::uint64_t>(p + n - 8) | k_lower64) ^ load<std::uint64_t>(lit + n - 8);
  } else if (n >= 4) {
    diff = ((load<std::uint32_t>(p) | 0x20202020u) ^ load<std::uint32_t>(lit)) |
           ((load<std::uint32_t>(p + n - 4) | 0x20202020u) ^ load<std::uint32_t>(lit + n - 4));
  } else {
    diff = ((load<std::uint16_t>(p) | 0x2020u) ^ load<std::uint16_t>(lit)) |
           ((load<std::uint16_t>(p + n - 2) | 0x2020u) ^ load<std::uint16_t>(lit + n - 2));
  }
  return diff == 0 ? e.id : header_id::unknown;
}

// Fast path for names written in their canonical spelling and followed
// directly by ':' (what nearly every UA sends). Names are bucketed by their
// first two bytes; a bucket lists its names most frequent first (enum order).
constexpr std::size_t k_fast_buckets = 256;
constexpr std::size_t k_fast_chain = 12;

constexpr std::size_t fast_bucket(unsigned char c0, unsigned char c1) noexcept {
  return (c0 * 7u + c1 * 3u) & (k_fast_buckets - 1);
}

struct fast_table {
  std::array<std::array<std::uint8_t, k_fast_chain>, k_fast_buckets> chain{};  // index + 1
  bool ok = true;
};

constexpr fast_table make_fast_table() {
  fast_table f{};
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    const auto& n = k_names[i].name;
    auto& c =
        f.chain[fast_bucket(static_cast<unsigned char>(n[0]), static_cast<unsigned char>(n[1]))];
    std::size_t k = 0;
    while (k < k_fast_chain && c[k] != 0) ++k;
    if (k == k_fast_chain) {
      f.ok = false;
      return f;
    }
    c[k] = static_cast<std::uint8_t>(i + 1);
  }
  return f;
}
inline constexpr fast_table k_fast = make_fast_table();
static_assert(k_fast.ok, "a fast-path bucket overflowed; raise k_fast_chain");

/// Exact comparison of m bytes (2 <= m <= 25) by overlapping word loads.
[[gnu::always_inline]] inline bool equal_bytes(const char* p, const char* q,
                                               std::size_t m) noexcept {
  if (m >= 8) {
    std::uint64_t diff = 0;
    std::size_t i = 0;
    for (; i + 8 < m; i += 8) diff |= load<std::uint64_t>(p + i) ^ load<std::uint64_t>(q + i);
    diff |= load<std::uint64_t>(p + m - 8) ^ load<std::uint64_t>(q + m - 8);
    return diff == 0;
  }
  if (m >= 4)
    return ((load<std::uint32_t>(p) ^ load<std::uint32_t>(q)) |
            (load<std::uint32_t>(p + m - 4) ^ load<std::uint32_t>(q + m - 4))) == 0;
  return ((load<std::uint16_t>(p) ^ load<std::uint16_t>(q)) |
          (load<std::uint16_t>(p + m - 2) ^ load<std::uint16_t>(q + m - 2))) == 0;
}

// The 16-byte matcher's own perfect hash: canonical spellings only (exact
// case, no folding) of names short enough for the colon to fall in the first
// 16 bytes (n <= 15).
constexpr std::size_t canon_bucket(const char* p, std::size_t n, hash_params h) noexcept {
  const auto first = static_cast<unsigned char>(p[0]);
  const auto last = static_cast<unsigned char>(p[n - 1]);
  const auto mid = static_cast<unsigned char>(p[n / 2]);
  return (static_cast<unsigned>(n) * h.a + first * h.b + last * 3u + mid) & (k_buckets - 1);
}

struct canon_table {
  hash_params h;
  std::array<std::uint8_t, k_buckets> slot{};  // index into k_table.names + 1
};

constexpr bool try_fill(canon_table& t) {
  t.slot = {};
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    const auto& n = k_names[i].name;
    if (n.size() > 15) continue;
    const std::size_t b = canon_bucket(n.data(), n.size(), t.h);
    if (t.slot[b] != 0) return false;
    t.slot[b] = static_cast<std::uint8_t>(i + 1);
  }
  return true;
}

constexpr canon_table make_canon_table() {
  canon_table t{};
  for (unsigned a = 1; a < 256; ++a)
    for (unsigned b = 1; b < 64; ++b) {
      t.h = {a, b};
      if (try_fill(t)) return t;
    }
  return canon_table{};
}
inline constexpr canon_table k_canon = make_canon_table();
static_assert(k_canon.h.a != 0, "no perfect hash found for the canonical header names");

/// If the line at p (ending at nl, the '\n') starts with a canonical name
/// and ':', returns its entry and sets `colon`; else nullptr (take the
/// general path). p < nl, p[0] is a token character, `end` ends the input.
[[gnu::always_inline]] inline const name_entry* match_canonical(const char* p, const char* nl,
                                                                const char* end,
                                                                const char*& colon) noexcept {
#if defined(__SSE2__)
  // Where 16 bytes can be read: the first ':' gives the name length, the
  // perfect hash gives the one candidate, one exact compare of name + ':'
  // proves it (and that the name is a token: the canonical spellings are).
  if (end - p >= 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const auto mask =
        static_cast<unsigned>(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8(':'))));
    if (mask == 0) return nullptr;
    const auto n = static_cast<std::size_t>(__builtin_ctz(mask));
    if (n < 2) return nullptr;
    const std::uint8_t slot = k_canon.slot[canon_bucket(p, n, k_canon.h)];
    if (slot == 0) return nullptr;
    const name_entry& e = k_table.names[slot - 1];
    // name + ':' equal to the canonical spelling: the first n + 1 of the 16
    // bytes already loaded (canonical[] is 25 bytes: the load stays inside).
    const auto same = static_cast<unsigned>(_mm_movemask_epi8(
        _mm_cmpeq_epi8(v, _mm_loadu_si128(reinterpret_cast<const __m128i*>(e.canonical)))));
    const unsigned want = (2u << n) - 1u;  // bits 0..n
    if (e.size != n || (same & want) != want) return nullptr;
    colon = p + n;
    return &e;
  }
#endif
  (void)end;
  const auto c0 = static_cast<unsigned char>(p[0]);
  const auto c1 = static_cast<unsigned char>(p[1]);
  const auto& chain = k_fast.chain[fast_bucket(c0, c1)];
  const auto room = static_cast<std::size_t>(nl - p);
  for (std::uint8_t idx : chain) {
    if (idx == 0) return nullptr;
    const name_entry& e = k_table.names[idx - 1];
    const std::size_t m = e.size + 1u;
    if (m <= room && equal_bytes(p, e.canonical, m)) {
      colon = p + e.size;
      return &e;
    }
  }
  return nullptr;
}

}  // namespace sipua::detail
