#include "sipua/message/name_addr.hpp"

#include <gtest/gtest.h>

#include <string_view>
#include <vector>

#include "support/parse_check.hpp"

namespace sipua {
namespace {

using namespace std::string_view_literals;
using test::expect_error;
using test::expect_ok;
using test::within;

TEST(name_addr, token_display_name_bracketed_uri_and_tag) {
  expect_ok(parse_name_addr, "Alice <sip:alice@atlanta.example.com>;tag=1928301774",
            [](const name_addr& n, std::string_view in) {
              EXPECT_EQ(n.display_name, "Alice");
              EXPECT_EQ(n.uri, "sip:alice@atlanta.example.com");
              EXPECT_TRUE(n.bracketed);
              EXPECT_EQ(n.tag(), "1928301774");
              EXPECT_EQ(n.params.raw(), ";tag=1928301774");
              EXPECT_TRUE(within(in, n.display_name));
              EXPECT_TRUE(within(in, n.uri));
              EXPECT_TRUE(within(in, n.params.raw()));
            });
}

TEST(name_addr, several_tokens_keep_inner_lws) {
  expect_ok(parse_name_addr, "A. Bell <sip:a.g.bell@example.com>;tag=qweoiqpe",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.display_name, "A. Bell");
              EXPECT_EQ(n.tag(), "qweoiqpe");
            });
}

TEST(name_addr, rfc4475_lwsdisp_no_lws_before_laquot) {
  // RFC 4475 §3.1.1.6: "From: caller<sip:caller@example.com>;tag=323"
  expect_ok(parse_name_addr, "caller<sip:caller@example.com>;tag=323",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.display_name, "caller");
              EXPECT_EQ(n.uri, "sip:caller@example.com");
              EXPECT_EQ(n.tag(), "323");
            });
}

TEST(name_addr, rfc4475_wsinv_quoted_name_with_escapes_and_folded_params) {
  expect_ok(parse_name_addr,
            "\"J Rosenberg \\\\\\\"\"       <sip:jdrosen@example.com>\r\n  ;\r\n  tag = 98asjd8",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.display_name, "\"J Rosenberg \\\\\\\"\"");
              EXPECT_EQ(n.display_name_unquoted(), "J Rosenberg \\\\\\\"");
              EXPECT_EQ(n.uri, "sip:jdrosen@example.com");
              EXPECT_EQ(n.tag(), "98asjd8");
            });
  // "TO :\r\n sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n"
  expect_ok(parse_name_addr, "sip:vivekg@chair-dnrc.example.com ;   tag    = 1918181833n",
            [](const name_addr& n, std::string_view) {
              EXPECT_TRUE(n.display_name.empty());
              EXPECT_FALSE(n.bracketed);
              EXPECT_EQ(n.uri, "sip:vivekg@chair-dnrc.example.com");
              EXPECT_EQ(n.tag(), "1918181833n");
            });
}

TEST(name_addr, rfc4475_intmeth_escaped_controls_in_quotes_and_odd_tokens) {
  // RFC 4475 §3.1.1.2 To: the quoted string holds escaped BEL, NUL, DEL; the
  // bracketed URI holds ',' and '?'.
  expect_ok(
      parse_name_addr,
      "\"BEL:\\\x07 NUL:\\\x00 DEL:\\\x7f\" <sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com>"sv,
      [](const name_addr& n, std::string_view) {
        EXPECT_EQ(n.display_name.size(), 22u);
        EXPECT_EQ(n.uri, "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com");
        EXPECT_TRUE(n.params.empty());
      });
  // From: token display name of odd token characters, UTF-8 quoted param.
  expect_ok(parse_name_addr,
            "token1~` token2'+_ token3*%!.- <sip:mundane@example.com>;fromParam''~+*_!.-%="
            "\"\xd1\x80\xd0\xb0\xd0\xb1\xd0\xbe\xd1\x82\xd0\xb0\xd1\x8e\xd1\x89\xd0\xb8\xd0\xb9\""
            ";tag=_token~1'+`*%!-.",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.display_name, "token1~` token2'+_ token3*%!.-");
              EXPECT_EQ(n.uri, "sip:mundane@example.com");
              EXPECT_EQ(n.tag(), "_token~1'+`*%!-.");
              auto p = n.params.find("fromParam''~+*_!.-%");
              ASSERT_TRUE(p.has_value());
              EXPECT_EQ(p->unquoted().size(), 20u);
            });
}

TEST(name_addr, rfc4475_esc02_percent_text_in_display_name) {
  expect_ok(parse_name_addr, "\"%Z%45\" <sip:resource@example.com>;tag=f232jadfj23",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.display_name_unquoted(), "%Z%45");
              EXPECT_EQ(n.tag(), "f232jadfj23");
            });
}

TEST(name_addr, rfc4475_longreq_long_quoted_name_without_lws_before_laquot) {
  constexpr std::string_view to =
      "\"I have a user name of "
      "extremeextremeextremeextremeextremeextremeextremeextremeextremeextreme "
      "proportion\"<sip:user@example.com:6000;unknownparam1="
      "verylonglonglonglonglonglonglonglonglonglo"
      "nglonglonglonglonglonglonglonglonglonglongvalue;"
      "longparamnamenamenamenamenamenamenamenamenamena"
      "menamenamenamenamenamenamenamenamenamenamenamenamenamenamename=shortvalue;"
      "verylonglonglonglongl"
      "onglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongParameter"
      "Nam"
      "eWithNoValue>";
  expect_ok(parse_name_addr, to, [](const name_addr& n, std::string_view) {
    EXPECT_TRUE(n.display_name_unquoted().starts_with("I have a user name"));
    EXPECT_TRUE(n.uri.starts_with("sip:user@example.com:6000;unknownparam1="));
    EXPECT_TRUE(n.uri.ends_with("ParameterNameWithNoValue"));
    EXPECT_TRUE(n.params.empty());
  });
  constexpr std::string_view from =
      "sip:"
      "amazinglylongcallernameamazinglylongcallernameamazinglylongcallernameamazinglylongcallernam"
      "eamazinglylongcallername@example.net;tag="
      "129829829829829829829829829829829829829829829829829829"
      "82982982982982982982982982982982982982982982982982982982982982982982982982982982982982982982"
      "982"
      "982424;"
      "unknownheaderparamnamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamenamena"
      "menamename="
      "unknowheaderparamvaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevaluevalueva"
      "luevalue;"
      "unknownValuelessparamnameparamnameparamnameparamnameparamnameparamnameparamnameparamna"
      "meparamnameparamname";
  expect_ok(parse_name_addr, from, [](const name_addr& n, std::string_view) {
    EXPECT_FALSE(n.bracketed);
    EXPECT_TRUE(n.uri.ends_with("@example.net"));
    EXPECT_TRUE(n.tag().ends_with("982424"));
    EXPECT_EQ(std::distance(n.params.begin(), n.params.end()), 3);
  });
}

TEST(name_addr, other_schemes_and_ipv6) {
  // RFC 4475 unksm2 and friends: absoluteURI in both forms.
  expect_ok(parse_name_addr, "isbn:2983792873", [](const name_addr& n, std::string_view) {
    EXPECT_EQ(n.uri, "isbn:2983792873");
    EXPECT_FALSE(n.bracketed);
  });
  expect_ok(parse_name_addr, "<http://www.example.com>;tag=3234233",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.uri, "http://www.example.com");
              EXPECT_EQ(n.tag(), "3234233");
            });
  expect_ok(parse_name_addr, "\"Caller\" <sip:caller@[2001:db8::1]>",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.display_name_unquoted(), "Caller");
              EXPECT_EQ(n.uri, "sip:caller@[2001:db8::1]");
            });
  expect_ok(parse_name_addr, "sip:user@[2001:db8::10]", [](const name_addr& n, std::string_view) {
    EXPECT_EQ(n.uri, "sip:user@[2001:db8::10]");
  });
}

TEST(name_addr, addr_spec_ends_at_semicolon) {
  // RFC 3261 §20.10: in the addr-spec form the parameters are header
  // parameters.
  expect_ok(parse_name_addr, "sip:caller@example.net;tag=134161461246",
            [](const name_addr& n, std::string_view) {
              EXPECT_EQ(n.uri, "sip:caller@example.net");
              EXPECT_EQ(n.tag(), "134161461246");
            });
  // A quoted param value may hold '<' and ','.
  expect_ok(parse_name_addr, "sip:a@b;x=\"<,>\"", [](const name_addr& n, std::string_view) {
    EXPECT_EQ(n.uri, "sip:a@b");
    EXPECT_EQ(n.params.find("x")->value, "\"<,>\"");
  });
  expect_ok(parse_name_addr, "  <sip:a@b>  ;  lr  ", [](const name_addr& n, std::string_view) {
    EXPECT_EQ(n.uri, "sip:a@b");
    EXPECT_TRUE(n.params.contains("lr"));
  });
  expect_ok(parse_name_addr, "\"\"<sip:a@b>", [](const name_addr& n, std::string_view) {
    EXPECT_EQ(n.display_name, "\"\"");
    EXPECT_EQ(n.display_name_unquoted(), "");
  });
}

TEST(name_addr, rfc4475_quotbal_unterminated_quote) {
  // RFC 4475 §3.1.2.6
  expect_error(parse_name_addr, "\"Mr. J. User <sip:j.user@example.com>",
               parse_errc::bad_quoted_string, 0);
  expect_error(parse_name_addr, "  \"abc\\", parse_errc::bad_quoted_string, 2);
}

TEST(name_addr, quoted_string_content_is_checked) {
  expect_error(parse_name_addr, "\"a\x01z\" <sip:a@b>", parse_errc::bad_quoted_string, 2);
  expect_error(parse_name_addr, "\"a\x7fz\" <sip:a@b>", parse_errc::bad_quoted_string, 2);
  expect_error(parse_name_addr, "\"a\\\rz\" <sip:a@b>", parse_errc::bad_quoted_string, 3);
  expect_error(parse_name_addr, "\"a\\\xc3z\" <sip:a@b>", parse_errc::bad_quoted_string, 3);
  // UTF-8 and folded LWS are qdtext.
  expect_ok(parse_name_addr, "\"Bj\xc3\xb6rn\r\n x\" <sip:a@b>",
            [](const name_addr& n, std::string_view) { EXPECT_EQ(n.display_name.size(), 12u); });
}

TEST(name_addr, rfc4475_baddn_unquoted_comma_in_display_name) {
  // RFC 4475 §3.1.2.15
  expect_error(parse_name_addr, "Bell, Alexander <sip:a.g.bell@example.com>;tag=43",
               parse_errc::bad_header_value, 4);
  expect_error(parse_name_addr, "Watson, Thomas <sip:t.watson@example.org>",
               parse_errc::bad_header_value, 6);
  expect_error(parse_name_addr, "\"Joe\" sip:joe@example.org", parse_errc::bad_header_value, 6);
  expect_error(parse_name_addr, "Alice sip:alice@example.org <sip:a@b>",
               parse_errc::bad_header_value, 9);
}

TEST(name_addr, rfc4475_badaspec_lws_inside_brackets) {
  // RFC 4475 §3.1.2.14
  expect_error(parse_name_addr, "\"Watson, Thomas\" < sip:t.watson@example.org >",
               parse_errc::bad_uri, 18);
  expect_error(parse_name_addr, "<sip:t.watson@example.org >", parse_errc::bad_uri, 25);
  expect_error(parse_name_addr, "<sip:a @b>", parse_errc::bad_uri, 6);
}

TEST(name_addr, rfc4475_regbadct_unbracketed_uri_with_headers) {
  // RFC 4475 §3.1.2.13
  expect_error(parse_name_addr, "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
               parse_errc::bad_uri, 20);
  expect_error(parse_name_addr, "sip:a@b,c", parse_errc::bad_uri, 7);
  expect_error(parse_name_addr, "sip:a@b c", parse_errc::bad_uri, 7);
  expect_error(parse_name_addr, "sip:a@b\r\n c", parse_errc::bad_uri, 7);
}

TEST(name_addr, uri_shape_errors) {
  expect_error(parse_name_addr, "<>", parse_errc::bad_uri, 1);
  expect_error(parse_name_addr, "<sip:>", parse_errc::bad_uri, 5);
  expect_error(parse_name_addr, "<1sip:a>", parse_errc::bad_uri, 1);
  expect_error(parse_name_addr, "<sip>", parse_errc::bad_uri, 4);
  expect_error(parse_name_addr, "<sip:a\"b>", parse_errc::bad_uri, 6);
  expect_error(parse_name_addr, "<sip:a<b>", parse_errc::bad_uri, 6);
  expect_error(parse_name_addr, "<sip:\xc3\xa9>", parse_errc::bad_uri, 5);
  expect_error(parse_name_addr, "foo", parse_errc::bad_uri, 3);
  expect_error(parse_name_addr, "*;expires=0", parse_errc::bad_uri, 0);
}

TEST(name_addr, structural_errors) {
  expect_error(parse_name_addr, "", parse_errc::bad_header_value, 0);
  expect_error(parse_name_addr, " \r\n ", parse_errc::bad_header_value, 4);
  expect_error(parse_name_addr, "<sip:a@b", parse_errc::bad_header_value, 0);
  expect_error(parse_name_addr, "Bob <sip:a@b", parse_errc::bad_header_value, 4);
  expect_error(parse_name_addr, "<sip:a@b> junk", parse_errc::bad_header_value, 10);
  expect_error(parse_name_addr, "<sip:a@b>;tag=1 junk", parse_errc::bad_header_value, 16);
  expect_error(parse_name_addr, "<sip:a@b>,<sip:c@d>", parse_errc::bad_header_value, 9);
}

TEST(name_addr, bad_params) {
  // RFC 4475 badinv01: "Contact: \"Joe\" <sip:joe@example.org>;;;;"
  expect_error(parse_name_addr, "\"Joe\" <sip:joe@example.org>;;;;", parse_errc::bad_param, 28);
  expect_error(parse_name_addr, "<sip:a@b>;", parse_errc::bad_param, 10);
  expect_error(parse_name_addr, "<sip:a@b>;tag=", parse_errc::bad_param, 14);
  expect_error(parse_name_addr, "<sip:a@b>;tag=\"x", parse_errc::bad_param, 14);
  expect_error(parse_name_addr, "sip:a@b;=1", parse_errc::bad_param, 8);
}

}  // namespace
}  // namespace sipua
