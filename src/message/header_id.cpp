#include "sipua/message/header_id.hpp"

#include <array>
#include <cstddef>

namespace sipua {
namespace {

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
    compact{'a', header_id::accept_contact},  compact{'b', header_id::referred_by},
    compact{'c', header_id::content_type},    compact{'d', header_id::request_disposition},
    compact{'e', header_id::content_encoding}, compact{'f', header_id::from},
    compact{'i', header_id::call_id},         compact{'j', header_id::reject_contact},
    compact{'k', header_id::supported},       compact{'l', header_id::content_length},
    compact{'m', header_id::contact},         compact{'o', header_id::event},
    compact{'r', header_id::refer_to},        compact{'s', header_id::subject},
    compact{'t', header_id::to},              compact{'u', header_id::allow_events},
    compact{'v', header_id::via},             compact{'x', header_id::session_expires},
    compact{'y', header_id::identity},
};

constexpr unsigned char lower(char c) noexcept {
  return static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c + ('a' - 'A') : c);
}

constexpr std::size_t k_buckets = 256;

constexpr std::size_t bucket_of(std::string_view s) noexcept {
  const std::size_t n = s.size();
  return (n * 37 + lower(s[0]) * 7 + lower(s[n - 1]) * 3 + lower(s[n / 2])) & (k_buckets - 1);
}

// Open-addressed table of the long names, built at compile time: one hash,
// usually one comparison per lookup.
struct table {
  std::array<std::uint8_t, k_buckets> slot{};  // index into k_names + 1, 0 = empty
};

constexpr table make_table() {
  table t{};
  for (std::size_t i = 0; i < k_names.size(); ++i) {
    std::size_t b = bucket_of(k_names[i].name);
    while (t.slot[b] != 0) b = (b + 1) & (k_buckets - 1);
    t.slot[b] = static_cast<std::uint8_t>(i + 1);
  }
  return t;
}
constexpr table k_table = make_table();

constexpr std::array<header_id, 256> make_compact() {
  std::array<header_id, 256> a{};
  for (auto c : k_compact) {
    a[static_cast<unsigned char>(c.c)] = c.id;
    a[static_cast<unsigned char>(c.c - ('a' - 'A'))] = c.id;
  }
  return a;
}
constexpr std::array<header_id, 256> k_compact_table = make_compact();

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i)
    if (lower(a[i]) != lower(b[i])) return false;
  return true;
}

}  // namespace

header_id lookup_header(std::string_view name) noexcept {
  if (name.size() == 1) return k_compact_table[static_cast<unsigned char>(name[0])];
  if (name.empty()) return header_id::unknown;
  for (std::size_t b = bucket_of(name);; b = (b + 1) & (k_buckets - 1)) {
    const std::uint8_t s = k_table.slot[b];
    if (s == 0) return header_id::unknown;
    const entry& e = k_names[s - 1];
    if (iequals(e.name, name)) return e.id;
  }
}

std::string_view header_name(header_id id) noexcept {
  for (const auto& e : k_names)
    if (e.id == id) return e.name;
  return {};
}

char compact_form(header_id id) noexcept {
  for (auto c : k_compact)
    if (c.id == id) return c.c;
  return '\0';
}

}  // namespace sipua
