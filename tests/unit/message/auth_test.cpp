#include "sipua/message/auth.hpp"

#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "support/split.hpp"

namespace sipua {
namespace {

// Parses `text` from an exact-size buffer and hands the result to `check`.
template <class F>
void with_challenge(std::string_view text, F&& check, const auth_parse_options& o = {}) {
  test::for_each_exact(text, [&](std::string_view v) { check(parse_challenge(v, o), v); });
}
template <class F>
void with_credentials(std::string_view text, F&& check, const auth_parse_options& o = {}) {
  test::for_each_exact(text, [&](std::string_view v) { check(parse_credentials(v, o), v); });
}

void expect_challenge_error(std::string_view text, parse_errc code, std::size_t offset,
                            const auth_parse_options& o = {}) {
  with_challenge(
      text,
      [&](const parse_result<challenge>& r, std::string_view) {
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, code) << text;
        EXPECT_EQ(r.error().offset, offset) << text;
      },
      o);
}
void expect_credentials_error(std::string_view text, parse_errc code, std::size_t offset,
                              const auth_parse_options& o = {}) {
  with_credentials(
      text,
      [&](const parse_result<credentials>& r, std::string_view) {
        ASSERT_FALSE(r) << text;
        EXPECT_EQ(r.error().code, code) << text;
        EXPECT_EQ(r.error().offset, offset) << text;
      },
      o);
}

std::vector<std::string> names_of(const auth_params& ps) {
  std::vector<std::string> out;
  for (const param& p : ps) out.emplace_back(p.name);
  return out;
}

bool inside(std::string_view view, std::string_view buffer) {
  return view.data() >= buffer.data() && view.data() + view.size() <= buffer.data() + buffer.size();
}

// ---- challenges --------------------------------------------------------

TEST(auth_challenge, rfc2617_section_3_5_folded_over_lines) {
  // The header value as the framer hands it over: folds kept inside.
  constexpr std::string_view text =
      "Digest\r\n        realm=\"testrealm@host.com\",\r\n        qop=\"auth,auth-int\",\r\n"
      "        nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n"
      "        opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
  with_challenge(text, [](const parse_result<challenge>& r, std::string_view buf) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->scheme, "Digest");
    EXPECT_TRUE(r->is_digest);
    EXPECT_EQ(r->realm, "testrealm@host.com");
    EXPECT_EQ(r->qop, "auth,auth-int");
    EXPECT_TRUE(r->qop_auth);
    EXPECT_TRUE(r->qop_auth_int);
    EXPECT_TRUE(r->offers_qop("AUTH-INT"));
    EXPECT_FALSE(r->offers_qop("auth-conf"));
    EXPECT_EQ(r->nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
    EXPECT_EQ(r->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
    EXPECT_FALSE(r->algorithm);  // absent means MD5
    EXPECT_FALSE(r->stale);
    EXPECT_FALSE(r->domain);
    EXPECT_EQ(names_of(r->params), (std::vector<std::string>{"realm", "qop", "nonce", "opaque"}));
    EXPECT_TRUE(inside(*r->nonce, buf));
    EXPECT_TRUE(r->rest.empty());
  });
}

TEST(auth_challenge, rfc3261_section_20_27_proxy_authenticate) {
  constexpr std::string_view text =
      "Digest realm=\"atlanta.com\",\r\n domain=\"sip:ss1.carrier.com\", qop=\"auth\",\r\n"
      " nonce=\"f84f1cec41e6cbe5aea9c8e88d359\",\r\n opaque=\"\", stale=FALSE, algorithm=MD5";
  with_challenge(text, [](const parse_result<challenge>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->realm, "atlanta.com");
    EXPECT_EQ(r->domain, "sip:ss1.carrier.com");
    EXPECT_EQ(r->opaque, "");  // present, empty
    EXPECT_EQ(r->stale, false);
    EXPECT_EQ(r->algorithm, digest_algorithm::md5);
    EXPECT_EQ(r->algorithm_name, "MD5");
    EXPECT_TRUE(r->qop_auth);
    EXPECT_FALSE(r->qop_auth_int);
  });
}

TEST(auth_challenge, rfc7616_section_3_9_1_sha256_and_md5) {
  constexpr std::string_view sha =
      "Digest\r\n    realm=\"http-auth@example.org\",\r\n    qop=\"auth, auth-int\",\r\n"
      "    algorithm=SHA-256,\r\n    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
      "    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
  with_challenge(sha, [](const parse_result<challenge>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->realm, "http-auth@example.org");
    EXPECT_EQ(r->algorithm, digest_algorithm::sha_256);
    EXPECT_EQ(r->qop, "auth, auth-int");
    EXPECT_TRUE(r->qop_auth && r->qop_auth_int);
    std::vector<std::string_view> qops;
    for (std::string_view q : comma_list{*r->qop}) qops.push_back(q);
    EXPECT_EQ(qops, (std::vector<std::string_view>{"auth", "auth-int"}));
    EXPECT_EQ(r->nonce, "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v");
  });
  with_challenge("Digest realm=\"http-auth@example.org\", algorithm=MD5, nonce=\"x\"",
                 [](const parse_result<challenge>& r, std::string_view) {
                   ASSERT_TRUE(r);
                   EXPECT_EQ(r->algorithm, digest_algorithm::md5);
                 });
}

TEST(auth_challenge, rfc7616_section_3_9_2_charset_and_userhash) {
  constexpr std::string_view text =
      "Digest\r\n    realm=\"api@example.org\",\r\n    qop=\"auth\",\r\n    "
      "algorithm=SHA-512-256,\r\n"
      "    nonce=\"5TsQWLVdgBdmrQ0XsxbDODV+57QdFR34I9HAbC/RVvkK\",\r\n"
      "    opaque=\"HRPCssKJSGjCrkzDg8OhwpzCiGPChXYjwrI2QmXDnsOS\",\r\n    charset=UTF-8,\r\n"
      "    userhash=true";
  with_challenge(text, [](const parse_result<challenge>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->algorithm, digest_algorithm::sha_512_256);
    EXPECT_EQ(r->charset, "UTF-8");
    EXPECT_EQ(r->userhash, true);
  });
}

TEST(auth_challenge, every_algorithm_name_maps_case_insensitively) {
  EXPECT_EQ(to_digest_algorithm("md5"), digest_algorithm::md5);
  EXPECT_EQ(to_digest_algorithm("MD5-SESS"), digest_algorithm::md5_sess);
  EXPECT_EQ(to_digest_algorithm("SHA-256"), digest_algorithm::sha_256);
  EXPECT_EQ(to_digest_algorithm("sha-256-sess"), digest_algorithm::sha_256_sess);
  EXPECT_EQ(to_digest_algorithm("SHA-512-256"), digest_algorithm::sha_512_256);
  EXPECT_EQ(to_digest_algorithm("SHA-512-256-sess"), digest_algorithm::sha_512_256_sess);
  EXPECT_EQ(to_digest_algorithm("SHA-512"), digest_algorithm::other);
  EXPECT_EQ(to_digest_algorithm(""), digest_algorithm::other);
  with_challenge("Digest algorithm=AKAv1-MD5, realm=\"r\"",
                 [](const parse_result<challenge>& r, std::string_view) {
                   ASSERT_TRUE(r);
                   EXPECT_EQ(r->algorithm, digest_algorithm::other);
                   EXPECT_EQ(r->algorithm_name, "AKAv1-MD5");
                 });
}

TEST(auth_challenge, domain_lists_uris_separated_by_spaces) {
  with_challenge("Digest realm=\"r\", domain=\"sip:a.example.com  /path sip:b.example.com\"",
                 [](const parse_result<challenge>& r, std::string_view) {
                   ASSERT_TRUE(r);
                   std::vector<std::string_view> uris(r->domain_uris().begin(),
                                                      r->domain_uris().end());
                   EXPECT_EQ(uris, (std::vector<std::string_view>{"sip:a.example.com", "/path",
                                                                  "sip:b.example.com"}));
                 });
  with_challenge("Digest realm=\"r\", domain=\"\"",
                 [](const parse_result<challenge>& r, std::string_view) {
                   ASSERT_TRUE(r);
                   EXPECT_EQ(r->domain, "");
                   EXPECT_EQ(r->domain_uris().begin(), r->domain_uris().end());
                 });
  //                           0123456789012345678901234567
  expect_challenge_error("Digest realm=\"r\", domain=\" /p\"", parse_errc::bad_param, 26);
  expect_challenge_error("Digest realm=\"r\", domain=\"/p \"", parse_errc::bad_param, 28);
  expect_challenge_error("Digest realm=\"r\", domain=\"/p\\\"q\"", parse_errc::bad_param, 28);
  expect_challenge_error("Digest realm=\"r\", domain=\"/a\tb\"", parse_errc::bad_param, 28);
}

TEST(auth_challenge, unknown_schemes_parse_generically) {
  // RFC 4475 §3.3.7 regaut01 carries this in Authorization; a challenge with
  // an unknown scheme parses the same way.
  with_challenge("NoOneKnowsThisScheme opaque-data=here",
                 [](const parse_result<challenge>& r, std::string_view) {
                   ASSERT_TRUE(r);
                   EXPECT_EQ(r->scheme, "NoOneKnowsThisScheme");
                   EXPECT_FALSE(r->is_digest);
                   EXPECT_FALSE(r->opaque);  // Digest names mean nothing for other schemes
                   ASSERT_TRUE(r->params.find("OPAQUE-DATA"));
                   EXPECT_EQ(r->params.find("opaque-data")->value, "here");
                 });
  // Other schemes may repeat names and use any value.
  with_challenge("Foo realm=a, realm=\"b\", stale=maybe", [](const parse_result<challenge>& r,
                                                             std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(names_of(r->params), (std::vector<std::string>{"realm", "realm", "stale"}));
    EXPECT_FALSE(r->realm);
  });
}

TEST(auth_challenge, scheme_is_case_insensitive_and_unknown_digest_params_are_kept) {
  with_challenge(
      "dIgEsT realm=\"r\", x-extra=\"1,2\", x-token=abc",
      [](const parse_result<challenge>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_TRUE(r->is_digest);
        EXPECT_EQ(r->scheme, "dIgEsT");
        EXPECT_EQ(names_of(r->params), (std::vector<std::string>{"realm", "x-extra", "x-token"}));
        EXPECT_EQ(r->params.find("x-extra")->value, "\"1,2\"");
        EXPECT_EQ(r->params.find("x-extra")->unquoted(), "1,2");
      });
}

TEST(auth_challenge, lws_around_equals_and_commas) {
  with_challenge("  Digest \t realm = \"r\"\r\n\t ,\r\n nonce=\r\n \"n\"  ",
                 [](const parse_result<challenge>& r, std::string_view) {
                   ASSERT_TRUE(r);
                   EXPECT_EQ(r->realm, "r");
                   EXPECT_EQ(r->nonce, "n");
                   EXPECT_EQ(r->params.raw(), "realm = \"r\"\r\n\t ,\r\n nonce=\r\n \"n\"");
                 });
}

TEST(auth_challenge, malformed_lists_and_params) {
  //                      0123456789012345678
  expect_challenge_error("", parse_errc::bad_header_value, 0);
  expect_challenge_error("   ", parse_errc::bad_header_value, 3);
  expect_challenge_error("Digest", parse_errc::bad_header_value, 6);
  expect_challenge_error("Digest   ", parse_errc::bad_header_value, 9);
  expect_challenge_error("Digest,realm=\"r\"", parse_errc::bad_header_value, 6);
  expect_challenge_error("\"Digest\" realm=\"r\"", parse_errc::bad_header_value, 0);
  expect_challenge_error("Digest realm", parse_errc::bad_header_value, 12);
  expect_challenge_error("Digest realm=", parse_errc::bad_header_value, 13);
  expect_challenge_error("Digest realm=,", parse_errc::bad_header_value, 13);
  expect_challenge_error("Digest realm=\"r\",", parse_errc::bad_header_value, 17);
  expect_challenge_error("Digest realm=\"r\", ,nonce=\"n\"", parse_errc::bad_header_value, 18);
  expect_challenge_error("Digest realm=\"r\" nonce=\"n\"", parse_errc::bad_header_value, 17);
  expect_challenge_error("Digest realm=\"r\";nonce=\"n\"", parse_errc::bad_header_value, 16);
  expect_challenge_error("Digest realm=\"r", parse_errc::bad_quoted_string, 13);
  expect_challenge_error("Digest realm=\"r\\", parse_errc::bad_quoted_string, 13);
  expect_challenge_error(std::string_view{"Digest realm=\"a\0b\"", 18},
                         parse_errc::bad_quoted_string, 13);
  expect_challenge_error("Digest x=a@b", parse_errc::bad_header_value, 10);
  // A Digest parameter's value is checked as soon as it is read.
  expect_challenge_error("Digest realm=a@b", parse_errc::bad_param, 13);
  expect_challenge_error("Basic QWxhZGRpbjpvcGVuIHNlc2FtZQ==", parse_errc::bad_header_value, 33);
}

TEST(auth_challenge, duplicated_digest_params_are_rejected_at_the_second_name) {
  //                      0123456789012345678901234
  expect_challenge_error("Digest realm=\"a\", REALM=\"b\"", parse_errc::bad_param, 18);
  expect_challenge_error("Digest nonce=\"a\", stale=true, nonce=\"a\"", parse_errc::bad_param, 30);
  expect_challenge_error("Digest qop=\"auth\", qop=\"auth\"", parse_errc::bad_param, 19);
}

TEST(auth_challenge, digest_value_grammar_is_strict_by_default) {
  //                      0123456789012345678
  expect_challenge_error("Digest realm=r", parse_errc::bad_param, 13);
  expect_challenge_error("Digest nonce=n", parse_errc::bad_param, 13);
  expect_challenge_error("Digest opaque=o", parse_errc::bad_param, 14);
  expect_challenge_error("Digest domain=d", parse_errc::bad_param, 14);
  expect_challenge_error("Digest qop=auth", parse_errc::bad_param, 11);
  expect_challenge_error("Digest stale=\"true\"", parse_errc::bad_param, 13);
  expect_challenge_error("Digest stale=yes", parse_errc::bad_param, 13);
  expect_challenge_error("Digest algorithm=\"MD5\"", parse_errc::bad_param, 17);
  expect_challenge_error("Digest userhash=1", parse_errc::bad_param, 16);
  expect_challenge_error("Digest charset=latin1", parse_errc::bad_param, 15);
  // qop-options content: token *("," token)
  expect_challenge_error("Digest qop=\"\"", parse_errc::bad_param, 12);
  expect_challenge_error("Digest qop=\"auth,\"", parse_errc::bad_param, 17);
  expect_challenge_error("Digest qop=\"auth auth-int\"", parse_errc::bad_param, 17);
  expect_challenge_error("Digest qop=\"auth,,x\"", parse_errc::bad_param, 17);
}

TEST(auth_challenge, relaxed_values_are_a_named_opt_in) {
  auth_parse_options o;
  o.relaxed_digest_values = true;
  with_challenge(
      "Digest realm=example.com, nonce=abc, algorithm=\"SHA-256\", stale=\"TRUE\", qop=auth",
      [](const parse_result<challenge>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->realm, "example.com");
        EXPECT_EQ(r->nonce, "abc");
        EXPECT_EQ(r->algorithm, digest_algorithm::sha_256);
        EXPECT_EQ(r->algorithm_name, "SHA-256");
        EXPECT_EQ(r->stale, true);
        EXPECT_TRUE(r->qop_auth);
      },
      o);
  // RFC 7616 §3.3: anything other than true is false.
  with_challenge(
      "Digest stale=yes",
      [](const parse_result<challenge>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->stale, false);
      },
      o);
  // A quoted algorithm must still hold a token.
  expect_challenge_error("Digest algorithm=\"MD 5\"", parse_errc::bad_param, 17, o);
}

TEST(auth_challenge, a_second_challenge_in_one_value) {
  // RFC 3261 §25.1: one challenge per field. RFC 7235 §4.1 allows a list;
  // by default the second challenge is an error at its scheme.
  constexpr std::string_view two =
      "Digest realm=\"a\", nonce=\"n\", Digest realm=\"b\", nonce=\"m\"";
  expect_challenge_error(two, parse_errc::bad_header_value, 29);
  expect_challenge_error("Digest realm=\"a\", Newauth", parse_errc::bad_header_value, 18);
  expect_challenge_error("Digest realm=\"a\", Newauth, Basic realm=\"x\"",
                         parse_errc::bad_header_value, 18);

  auth_parse_options o;
  o.allow_challenge_list = true;
  with_challenge(
      two,
      [](const parse_result<challenge>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->realm, "a");
        EXPECT_EQ(r->params.raw(), "realm=\"a\", nonce=\"n\"");
        EXPECT_EQ(r->rest, "Digest realm=\"b\", nonce=\"m\"");
        auto second = parse_challenge(r->rest, {.allow_challenge_list = true});
        ASSERT_TRUE(second);
        EXPECT_EQ(second->realm, "b");
        EXPECT_TRUE(second->rest.empty());
      },
      o);
  // A following challenge that is itself malformed fails when parsed.
  with_challenge(
      "Digest realm=\"a\", Basic",
      [](const parse_result<challenge>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->rest, "Basic");
        EXPECT_FALSE(parse_challenge(r->rest));
      },
      o);
}

TEST(auth_challenge, every_prefix_of_a_valid_value_is_handled) {
  // Truncations must fail cleanly or parse a shorter valid value; ASan
  // checks that no byte past the end is read.
  constexpr std::string_view text =
      "Digest realm=\"atlanta.com\", domain=\"sip:ss1.carrier.com\", qop=\"auth\", "
      "nonce=\"f84f1cec41e6cbe5aea9c8e88d359\", opaque=\"\", stale=FALSE, algorithm=MD5";
  std::size_t ok = 0;
  for (std::size_t n = 0; n <= text.size(); ++n)
    test::for_each_exact(text.substr(0, n),
                         [&](std::string_view v) { ok += parse_challenge(v) ? 1 : 0; });
  EXPECT_GT(ok, 5u);
  EXPECT_LT(ok, text.size());
}

// ---- credentials ---------------------------------------------------------

TEST(auth_credentials, rfc2617_section_3_5_and_rfc3261_section_22_4) {
  constexpr std::string_view text =
      "Digest username=\"bob\",\r\n        realm=\"biloxi.com\",\r\n"
      "        nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\",\r\n        "
      "uri=\"sip:bob@biloxi.com\",\r\n"
      "        qop=auth,\r\n        nc=00000001,\r\n        cnonce=\"0a4f113b\",\r\n"
      "        response=\"6629fae49393a05397450978507c4ef1\",\r\n"
      "        opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";
  with_credentials(text, [](const parse_result<credentials>& r, std::string_view buf) {
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->is_digest);
    EXPECT_EQ(r->username, "bob");
    EXPECT_EQ(r->realm, "biloxi.com");
    EXPECT_EQ(r->nonce, "dcd98b7102dd2f0e8b11d0f600bfb0c093");
    EXPECT_EQ(r->uri, "sip:bob@biloxi.com");
    EXPECT_EQ(r->qop, "auth");
    EXPECT_EQ(r->nc, 1u);
    EXPECT_EQ(r->nc_text, "00000001");
    EXPECT_EQ(r->cnonce, "0a4f113b");
    EXPECT_EQ(r->response, "6629fae49393a05397450978507c4ef1");
    EXPECT_EQ(r->opaque, "5ccc069c403ebaf9f0171e9517f40e41");
    EXPECT_FALSE(r->algorithm);
    EXPECT_FALSE(r->username_star);
    EXPECT_TRUE(inside(*r->response, buf));
    EXPECT_EQ(names_of(r->params).size(), 9u);
  });
}

TEST(auth_credentials, rfc3261_section_20_7_short_response) {
  // The RFC's own example has 35 hex digits: RFC 8760 §2.7 request-digest
  // is *LHEX, so the length is the digest layer's business.
  with_credentials(
      "Digest username=\"Alice\", realm=\"atlanta.com\",\r\n "
      "nonce=\"84a4cc6f3082121f32b42a2187831a9e\","
      "\r\n response=\"7587245234b3434cc3412213e5f113a5432\"",
      [](const parse_result<credentials>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->response, "7587245234b3434cc3412213e5f113a5432");
        EXPECT_FALSE(r->uri);
      });
  with_credentials("Digest response=\"\"",
                   [](const parse_result<credentials>& r, std::string_view) {
                     ASSERT_TRUE(r);
                     EXPECT_EQ(r->response, "");
                   });
}

TEST(auth_credentials, rfc7616_section_3_9_sha256_and_username_star) {
  constexpr std::string_view sha =
      "Digest username=\"Mufasa\",\r\n    realm=\"http-auth@example.org\",\r\n    "
      "uri=\"/dir/index.html\",\r\n"
      "    algorithm=SHA-256,\r\n    nonce=\"7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v\",\r\n"
      "    nc=00000001,\r\n    cnonce=\"f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ\",\r\n    "
      "qop=auth,\r\n"
      "    response=\"753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1\",\r\n"
      "    opaque=\"FQhe/qaU925kfnzjCev0ciny7QMkPqMAFRtzCUYo5tdS\"";
  with_credentials(sha, [](const parse_result<credentials>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->algorithm, digest_algorithm::sha_256);
    EXPECT_EQ(r->response->size(), 64u);
    EXPECT_EQ(r->uri, "/dir/index.html");
  });
  constexpr std::string_view star =
      "Digest\r\n    username*=UTF-8''J%C3%A4s%C3%B8n%20Doe,\r\n    realm=\"api@example.org\",\r\n"
      "    uri=\"/doe.json\",\r\n    algorithm=SHA-512-256,\r\n    nc=00000001,\r\n    "
      "qop=auth,\r\n"
      "    userhash=false";
  with_credentials(star, [](const parse_result<credentials>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->username_star, "UTF-8''J%C3%A4s%C3%B8n%20Doe");
    EXPECT_FALSE(r->username);
    EXPECT_EQ(r->userhash, false);
    EXPECT_EQ(r->algorithm, digest_algorithm::sha_512_256);
  });
}

TEST(auth_credentials, regaut01_unknown_scheme) {
  // RFC 4475 §3.3.7: a registrar must not break on an unknown scheme.
  with_credentials("NoOneKnowsThisScheme opaque-data=here",
                   [](const parse_result<credentials>& r, std::string_view) {
                     ASSERT_TRUE(r);
                     EXPECT_EQ(r->scheme, "NoOneKnowsThisScheme");
                     EXPECT_FALSE(r->is_digest);
                     EXPECT_EQ(names_of(r->params), (std::vector<std::string>{"opaque-data"}));
                   });
}

TEST(auth_credentials, nc_and_response_are_hex) {
  with_credentials("Digest nc=ffffffff", [](const parse_result<credentials>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->nc, 0xffffffffu);
  });
  with_credentials("Digest nc=0000a0b1", [](const parse_result<credentials>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->nc, 0xa0b1u);
  });
  //                        0123456789012345678
  expect_credentials_error("Digest nc=0000001", parse_errc::bad_param, 10);
  expect_credentials_error("Digest nc=000000001", parse_errc::bad_param, 10);
  expect_credentials_error("Digest nc=0000000g", parse_errc::bad_param, 10);
  expect_credentials_error("Digest nc=0000000A", parse_errc::bad_param, 10);
  expect_credentials_error("Digest nc=\"00000001\"", parse_errc::bad_param, 10);
  expect_credentials_error("Digest response=\"ABCD\"", parse_errc::bad_param, 16);
  expect_credentials_error("Digest response=\"12 4\"", parse_errc::bad_param, 16);
  auth_parse_options o;
  o.relaxed_digest_values = true;
  with_credentials(
      "Digest nc=\"0000000A\", response=\"ABCD\"",
      [](const parse_result<credentials>& r, std::string_view) {
        ASSERT_TRUE(r);
        EXPECT_EQ(r->nc, 10u);
        EXPECT_EQ(r->response, "ABCD");
      },
      o);
}

TEST(auth_credentials, quoting_rules_of_rfc7616_section_3_4) {
  //                        012345678901234567
  expect_credentials_error("Digest username=bob", parse_errc::bad_param, 16);
  expect_credentials_error("Digest uri=sip:x", parse_errc::bad_param,
                           11);  // unquoted, seen before the ':'
  expect_credentials_error("Digest uri=x", parse_errc::bad_param, 11);
  expect_credentials_error("Digest cnonce=x", parse_errc::bad_param, 14);
  expect_credentials_error("Digest qop=\"auth\"", parse_errc::bad_param, 11);
  expect_credentials_error("Digest algorithm=\"MD5\"", parse_errc::bad_param, 17);
  expect_credentials_error("Digest username*=\"UTF-8''x\"", parse_errc::bad_param, 17);
  expect_credentials_error("Digest userhash=maybe", parse_errc::bad_param, 16);
}

TEST(auth_credentials, username_star_must_be_an_ext_value) {
  //                        01234567890123456789
  expect_credentials_error("Digest username*=bob", parse_errc::bad_param, 17);
  expect_credentials_error("Digest username*='en'bob", parse_errc::bad_param, 17);
  expect_credentials_error("Digest username*=UTF-8'en", parse_errc::bad_param, 17);
  expect_credentials_error("Digest username*=UTF-8''%C", parse_errc::bad_param, 17);
  expect_credentials_error("Digest username*=UTF-8''%G0", parse_errc::bad_param, 17);
  expect_credentials_error("Digest username*=UTF-8''a*b", parse_errc::bad_param, 17);
  with_credentials("Digest username*=ISO-8859-1'en-US'%E4",
                   [](const parse_result<credentials>& r, std::string_view) {
                     ASSERT_TRUE(r);
                     EXPECT_EQ(r->username_star, "ISO-8859-1'en-US'%E4");
                   });
}

TEST(auth_credentials, duplicates_and_username_with_username_star) {
  //                        0123456789012345678901234567890
  expect_credentials_error("Digest username=\"a\", Username=\"a\"", parse_errc::bad_param, 21);
  expect_credentials_error("Digest username=\"a\", username*=UTF-8''a", parse_errc::bad_param, 21);
  expect_credentials_error("Digest username*=UTF-8''a, username=\"a\"", parse_errc::bad_param, 27);
  expect_credentials_error("Digest nc=00000001, nc=00000002", parse_errc::bad_param, 20);
  // Unknown parameters may repeat.
  with_credentials("Digest x=1, x=2", [](const parse_result<credentials>& r, std::string_view) {
    ASSERT_TRUE(r);
    EXPECT_EQ(names_of(r->params).size(), 2u);
  });
}

TEST(auth_credentials, credentials_never_come_as_a_list) {
  //                        0123456789012345678901
  expect_credentials_error("Digest username=\"a\", Digest username=\"b\"",
                           parse_errc::bad_header_value, 21);
  // The option is about challenges; credentials ignore it.
  expect_credentials_error("Digest username=\"a\", Digest username=\"b\"",
                           parse_errc::bad_header_value, 21, {.allow_challenge_list = true});
}

TEST(auth_credentials, unescape_quoted_is_rfc7616_unq) {
  EXPECT_EQ(unescape_quoted(R"(a\"b\\c)"), "a\"b\\c");
  EXPECT_EQ(unescape_quoted("plain"), "plain");
  EXPECT_EQ(unescape_quoted("end\\"), "end\\");
  with_credentials(R"(Digest username="J\"D")",
                   [](const parse_result<credentials>& r, std::string_view) {
                     ASSERT_TRUE(r);
                     EXPECT_EQ(r->username, R"(J\"D)");
                     EXPECT_EQ(unescape_quoted(*r->username), "J\"D");
                   });
}

static_assert(std::forward_iterator<auth_params::iterator>);
static_assert(std::forward_iterator<uri_words::iterator>);

TEST(auth_params, iteration_yields_each_param_with_its_value_as_written) {
  with_credentials("Digest a=1,b=\"x,y\" ,\r\n c = tok",
                   [](const parse_result<credentials>& r, std::string_view) {
                     ASSERT_TRUE(r);
                     std::vector<std::pair<std::string_view, std::string_view>> got;
                     for (const param& p : r->params) {
                       EXPECT_TRUE(p.has_value);
                       got.emplace_back(p.name, p.value);
                     }
                     using pv = std::pair<std::string_view, std::string_view>;
                     EXPECT_EQ(got, (std::vector<pv>{{"a", "1"}, {"b", "\"x,y\""}, {"c", "tok"}}));
                     EXPECT_FALSE(r->params.find("d"));
                   });
  const auth_params empty;
  EXPECT_EQ(empty.begin(), empty.end());
}

}  // namespace
}  // namespace sipua
