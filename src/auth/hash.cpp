// The one file of the sans-I/O core that includes OpenSSL: libcrypto's
// digests for RFC 7616 (MD5, SHA-256, SHA-512/256) and HMAC-SHA-256 for the
// server's nonces. Never libssl. scripts/check_layers.sh allows openssl/
// includes in this file only.
#include "sipua/auth/hash.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <memory>

namespace sipua::auth {
namespace {

const EVP_MD* evp_of(hash_algorithm a) noexcept {
  switch (a) {
    case hash_algorithm::md5: return EVP_md5();
    case hash_algorithm::sha_256: return EVP_sha256();
    case hash_algorithm::sha_512_256: return EVP_sha512_256();
  }
  return nullptr;
}

struct md_ctx_free {
  void operator()(EVP_MD_CTX* c) const noexcept { EVP_MD_CTX_free(c); }
};

}  // namespace

bool hash_of(digest_algorithm a, hash_algorithm& out) noexcept {
  switch (a) {
    case digest_algorithm::md5:
    case digest_algorithm::md5_sess: out = hash_algorithm::md5; return true;
    case digest_algorithm::sha_256:
    case digest_algorithm::sha_256_sess: out = hash_algorithm::sha_256; return true;
    case digest_algorithm::sha_512_256:
    case digest_algorithm::sha_512_256_sess: out = hash_algorithm::sha_512_256; return true;
    case digest_algorithm::other: break;
  }
  return false;
}

bool is_session_variant(digest_algorithm a) noexcept {
  return a == digest_algorithm::md5_sess || a == digest_algorithm::sha_256_sess ||
         a == digest_algorithm::sha_512_256_sess;
}

std::string_view algorithm_name(digest_algorithm a) noexcept {
  switch (a) {
    case digest_algorithm::md5: return "MD5";
    case digest_algorithm::md5_sess: return "MD5-sess";
    case digest_algorithm::sha_256: return "SHA-256";
    case digest_algorithm::sha_256_sess: return "SHA-256-sess";
    case digest_algorithm::sha_512_256: return "SHA-512-256";
    case digest_algorithm::sha_512_256_sess: return "SHA-512-256-sess";
    case digest_algorithm::other: break;
  }
  return {};
}

std::string to_hex(const std::uint8_t* data, std::size_t size) {
  static constexpr char digits[] = "0123456789abcdef";
  std::string out(size * 2, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = digits[data[i] >> 4];
    out[2 * i + 1] = digits[data[i] & 0x0f];
  }
  return out;
}

std::string hex_hash(hash_algorithm a, std::initializer_list<std::string_view> parts) {
  const EVP_MD* md = evp_of(a);
  std::unique_ptr<EVP_MD_CTX, md_ctx_free> ctx(EVP_MD_CTX_new());
  if (md == nullptr || !ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) return {};
  for (std::string_view p : parts) {
    if (!p.empty() && EVP_DigestUpdate(ctx.get(), p.data(), p.size()) != 1) return {};
  }
  std::array<std::uint8_t, EVP_MAX_MD_SIZE> out{};
  unsigned int size = 0;
  if (EVP_DigestFinal_ex(ctx.get(), out.data(), &size) != 1) return {};
  return to_hex(out.data(), size);
}

std::array<std::uint8_t, 32> hmac_sha256(std::string_view key,
                                         std::initializer_list<std::string_view> parts, bool& ok) {
  std::string data;
  for (std::string_view p : parts) data.append(p);
  std::array<std::uint8_t, 32> out{};
  unsigned int size = 0;
  const unsigned char* r =
      HMAC(EVP_sha256(), key.data(), static_cast<int>(key.size()),
           reinterpret_cast<const unsigned char*>(data.data()), data.size(), out.data(), &size);
  ok = r != nullptr && size == out.size();
  if (!ok) out.fill(0);
  return out;
}

bool equal_constant_time(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace sipua::auth
