// The digest computation against the worked examples of RFC 2617 §3.5 and
// RFC 7616 §3.9, and the hashes against their known empty-string values
// (RFC 3261 §22.4 item 7, RFC 8760 §2.6 item 7).
#include "sipua/auth/digest.hpp"

#include <gtest/gtest.h>

#include "sipua/auth/error.hpp"
#include "sipua/auth/hash.hpp"

namespace sipua::auth {
namespace {

TEST(auth_hash, empty_string_digests) {
  EXPECT_EQ(hex_hash(hash_algorithm::md5, {""}), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(hex_hash(hash_algorithm::sha_256, {}),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  // FIPS 180-4 SHA-512/256 of the empty string.
  EXPECT_EQ(hex_hash(hash_algorithm::sha_512_256, {}),
            "c672b8d1ef56ed28ab87c3622c5114069bdd3ad7b8f9737498d0c01ecef0967a");
}

TEST(auth_hash, parts_are_concatenated) {
  EXPECT_EQ(hex_hash(hash_algorithm::sha_256, {"ab", "", "c"}),
            hex_hash(hash_algorithm::sha_256, {"abc"}));
  // FIPS 180-2 example "abc".
  EXPECT_EQ(hex_hash(hash_algorithm::sha_256, {"abc"}),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(auth_hash, hmac_sha256_rfc4231_case_2) {
  bool ok = false;
  const auto mac = hmac_sha256("Jefe", {"what do ya want ", "for nothing?"}, ok);
  ASSERT_TRUE(ok);
  EXPECT_EQ(to_hex(mac.data(), mac.size()),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(auth_hash, constant_time_compare) {
  EXPECT_TRUE(equal_constant_time("abc", "abc"));
  EXPECT_FALSE(equal_constant_time("abc", "abd"));
  EXPECT_FALSE(equal_constant_time("abc", "ab"));
  EXPECT_TRUE(equal_constant_time("", ""));
}

TEST(auth_hash, algorithm_names_and_hashes) {
  hash_algorithm h{};
  EXPECT_TRUE(hash_of(digest_algorithm::sha_512_256_sess, h));
  EXPECT_EQ(h, hash_algorithm::sha_512_256);
  EXPECT_FALSE(hash_of(digest_algorithm::other, h));
  EXPECT_TRUE(is_session_variant(digest_algorithm::md5_sess));
  EXPECT_FALSE(is_session_variant(digest_algorithm::sha_256));
  for (auto a : {digest_algorithm::md5, digest_algorithm::md5_sess, digest_algorithm::sha_256,
                 digest_algorithm::sha_256_sess, digest_algorithm::sha_512_256,
                 digest_algorithm::sha_512_256_sess})
    EXPECT_EQ(to_digest_algorithm(algorithm_name(a)), a) << algorithm_name(a);
}

// RFC 2617 §3.5 (the example RFC 3261 §22.2 copies).
TEST(auth_digest, rfc2617_example) {
  const std::string ha1 =
      compute_ha1(digest_algorithm::md5, "Mufasa", "testrealm@host.com", "Circle Of Life");
  digest_input in;
  in.algorithm = digest_algorithm::md5;
  in.ha1 = ha1;
  in.nonce = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
  in.cnonce = "0a4f113b";
  in.nc = "00000001";
  in.qop = "auth";
  in.method = "GET";
  in.uri = "/dir/index.html";
  EXPECT_EQ(compute_response(in), "6629fae49393a05397450978507c4ef1");
}

digest_input rfc7616_input(digest_algorithm a, const std::string& ha1) {
  digest_input in;
  in.algorithm = a;
  in.ha1 = ha1;
  in.nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
  in.cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
  in.nc = "00000001";
  in.qop = "auth";
  in.method = "GET";
  in.uri = "/dir/index.html";
  return in;
}

// RFC 7616 §3.9.1, MD5.
TEST(auth_digest, rfc7616_example_md5) {
  const std::string ha1 =
      compute_ha1(digest_algorithm::md5, "Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(compute_response(rfc7616_input(digest_algorithm::md5, ha1)),
            "8ca523f5e9506fed4657c9700eebdbec");
}

// RFC 7616 §3.9.1, SHA-256.
TEST(auth_digest, rfc7616_example_sha256) {
  const std::string ha1 =
      compute_ha1(digest_algorithm::sha_256, "Mufasa", "http-auth@example.org", "Circle of Life");
  EXPECT_EQ(compute_response(rfc7616_input(digest_algorithm::sha_256, ha1)),
            "753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
}

// The session variant: A1 = H(user:realm:pass) ":" nonce ":" cnonce
// (RFC 7616 §3.4.2), checked against the formula written out.
TEST(auth_digest, sess_variant_uses_nonce_and_cnonce) {
  const std::string ha1 =
      compute_ha1(digest_algorithm::sha_256, "Mufasa", "http-auth@example.org", "Circle of Life");
  digest_input in = rfc7616_input(digest_algorithm::sha_256_sess, ha1);
  const std::string sess = hex_hash(hash_algorithm::sha_256, {ha1, ":", in.nonce, ":", in.cnonce});
  const std::string ha2 = hex_hash(hash_algorithm::sha_256, {"GET:/dir/index.html"});
  EXPECT_EQ(compute_response(in),
            hex_hash(hash_algorithm::sha_256,
                     {sess, ":", in.nonce, ":00000001:", in.cnonce, ":auth:", ha2}));
  EXPECT_NE(compute_response(in), compute_response(rfc7616_input(digest_algorithm::sha_256, ha1)));
}

// auth-int with an empty body hashes "" (RFC 8760 §2.6 item 7).
TEST(auth_digest, auth_int_empty_body) {
  const std::string ha1 = compute_ha1(digest_algorithm::sha_256, "u", "r", "p");
  digest_input in = rfc7616_input(digest_algorithm::sha_256, ha1);
  in.qop = "auth-int";
  const std::string ha2 = hex_hash(
      hash_algorithm::sha_256,
      {"GET:/dir/index.html:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"});
  EXPECT_EQ(compute_response(in),
            hex_hash(hash_algorithm::sha_256,
                     {ha1, ":", in.nonce, ":00000001:", in.cnonce, ":auth-int:", ha2}));
  in.body = "v=0\r\n";
  EXPECT_NE(compute_response(in),
            hex_hash(hash_algorithm::sha_256,
                     {ha1, ":", in.nonce, ":00000001:", in.cnonce, ":auth-int:", ha2}));
}

// RFC 2069 form (no qop): KD(HA1, nonce ":" HA2), RFC 2617 §3.2.2.1.
TEST(auth_digest, rfc2069_form) {
  const std::string ha1 = compute_ha1(digest_algorithm::md5, "u", "r", "p");
  digest_input in = rfc7616_input(digest_algorithm::md5, ha1);
  in.qop = "";
  const std::string ha2 = hex_hash(hash_algorithm::md5, {"GET:/dir/index.html"});
  EXPECT_EQ(compute_response(in), hex_hash(hash_algorithm::md5, {ha1, ":", in.nonce, ":", ha2}));
}

TEST(auth_digest, unknown_algorithm_gives_nothing) {
  digest_input in = rfc7616_input(digest_algorithm::other, "00");
  EXPECT_EQ(compute_response(in), "");
  EXPECT_EQ(compute_ha1(digest_algorithm::other, "u", "r", "p"), "");
}

TEST(auth_digest, quote_escapes) {
  EXPECT_EQ(quote(R"(a"b\c)"), R"("a\"b\\c")");
  const std::string q = quote(R"(a"b\c)");
  EXPECT_EQ(unescape_quoted(std::string_view(q).substr(1, q.size() - 2)), R"(a"b\c)");
}

TEST(auth_error, category_names_codes) {
  const std::error_code e = auth_errc::credentials_rejected;
  EXPECT_STREQ(e.category().name(), "sipua.auth");
  EXPECT_NE(e.message().find("rejected"), std::string::npos);
}

}  // namespace
}  // namespace sipua::auth
