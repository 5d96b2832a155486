// The hashes of digest authentication (RFC 7616 §3.2, §6.1; RFC 8760 §2.2)
// and the HMAC the server signs its nonces with. The only code that talks to
// libcrypto is src/auth/hash.cpp; this header names no OpenSSL type.
//
// Pure functions: no state, safe from any thread.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

#include "sipua/message/auth.hpp"

namespace sipua::auth {

/// The unkeyed digest H() behind a Digest algorithm (RFC 7616 §3.3:
/// "<algorithm>" and "<algorithm>-sess" share it).
enum class hash_algorithm : std::uint8_t { md5, sha_256, sha_512_256 };

/// The hash of a known Digest algorithm; false for digest_algorithm::other.
bool hash_of(digest_algorithm a, hash_algorithm& out) noexcept;

/// True for the "-sess" variants (RFC 7616 §3.4.2).
bool is_session_variant(digest_algorithm a) noexcept;

/// The algorithm's name as RFC 7616 §6.1 registers it ("SHA-512-256-sess").
std::string_view algorithm_name(digest_algorithm a) noexcept;

/// Lower-case hex of H(concatenation of `parts`) (RFC 7616 §3.2): 32
/// characters for MD5, 64 for the others. Empty when libcrypto refuses the
/// algorithm (an MD5-less FIPS provider, say); callers treat that as an
/// error.
std::string hex_hash(hash_algorithm a, std::initializer_list<std::string_view> parts);

/// HMAC-SHA-256(key, concatenation of `parts`). `ok` is false when
/// libcrypto fails (the result is then all zero).
std::array<std::uint8_t, 32> hmac_sha256(std::string_view key,
                                         std::initializer_list<std::string_view> parts, bool& ok);

/// Compares two strings in time that depends on their length only, not on
/// where they differ (for response digests and MACs).
bool equal_constant_time(std::string_view a, std::string_view b) noexcept;

/// Lower-case hex of bytes.
std::string to_hex(const std::uint8_t* data, std::size_t size);

}  // namespace sipua::auth
