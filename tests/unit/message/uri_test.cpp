// parse_uri: RFC 3261 §19.1.3 examples, RFC 4475 and RFC 5118 URIs, RFC
// 3966 tel examples, other schemes, and malformed inputs with their error
// offsets. Every input is parsed from an exact-size heap buffer.
#include "sipua/message/uri.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split.hpp"

namespace sipua {
namespace {

/// Parses `text` from an exact-size buffer, expects success, runs `check`.
template <class F>
void with_uri(std::string_view text, F&& check) {
  SCOPED_TRACE(std::string{text});
  test::for_each_exact(text, [&](std::string_view data) {
    const auto r = parse_uri(data);
    ASSERT_TRUE(r.has_value()) << "error at offset " << r.error().offset;
    EXPECT_EQ(r->text.data(), data.data());
    EXPECT_EQ(r->text.size(), data.size());
    // Every successfully parsed URI is equivalent to itself.
    EXPECT_TRUE(equivalent(*r, *r));
    check(*r);
  });
}

/// Expects parse_uri(text) to fail with bad_uri at `offset`.
void expect_bad(std::string_view text, std::size_t offset) {
  SCOPED_TRACE(std::string{text});
  test::for_each_exact(text, [&](std::string_view data) {
    const auto r = parse_uri(data);
    ASSERT_FALSE(r.has_value());
    EXPECT_EQ(r.error().code, parse_errc::bad_uri);
    EXPECT_EQ(r.error().offset, offset);
    EXPECT_EQ(r.error().status, 400);
  });
}

std::vector<std::pair<std::string, std::string>> params_of(const param_list& l) {
  std::vector<std::pair<std::string, std::string>> v;
  for (const param& p : l)
    v.emplace_back(std::string{p.name}, p.has_value ? std::string{p.value} : "<none>");
  return v;
}

using pv = std::vector<std::pair<std::string, std::string>>;

// ------------------------------------------------ RFC 3261 §19.1.3 examples

TEST(uri, rfc3261_example_plain) {
  with_uri("sip:alice@atlanta.com", [](const uri& u) {
    EXPECT_EQ(u.scheme, uri_scheme::sip);
    EXPECT_EQ(u.scheme_text, "sip");
    EXPECT_FALSE(u.sip.secure);
    EXPECT_TRUE(u.sip.has_user);
    EXPECT_FALSE(u.sip.has_password);
    EXPECT_EQ(u.sip.user, "alice");
    EXPECT_EQ(u.sip.host, "atlanta.com");
    EXPECT_EQ(u.sip.host_kind, host_type::name);
    EXPECT_FALSE(u.sip.port.has_value());
    EXPECT_TRUE(u.sip.params.empty());
    EXPECT_TRUE(u.sip.headers.empty());
  });
}

TEST(uri, rfc3261_example_password_and_transport) {
  with_uri("sip:alice:secretword@atlanta.com;transport=tcp", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "alice");
    EXPECT_TRUE(u.sip.has_password);
    EXPECT_EQ(u.sip.password, "secretword");
    EXPECT_EQ(u.sip.host, "atlanta.com");
    EXPECT_EQ(u.sip.params.raw(), ";transport=tcp");
    EXPECT_EQ(u.sip.transport(), "tcp");
    EXPECT_FALSE(u.sip.lr());
  });
}

TEST(uri, rfc3261_example_sips_with_headers) {
  with_uri("sips:alice@atlanta.com?subject=project%20x&priority=urgent", [](const uri& u) {
    EXPECT_EQ(u.scheme, uri_scheme::sips);
    EXPECT_TRUE(u.sip.secure);
    EXPECT_EQ(u.sip.host, "atlanta.com");
    EXPECT_TRUE(u.sip.params.empty());
    EXPECT_EQ(u.sip.headers, "subject=project%20x&priority=urgent");
  });
}

TEST(uri, rfc3261_example_telephone_subscriber_user) {
  with_uri("sip:+1-212-555-1212:1234@gateway.com;user=phone", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "+1-212-555-1212");
    EXPECT_EQ(u.sip.password, "1234");
    EXPECT_EQ(u.sip.host, "gateway.com");
    EXPECT_EQ(u.sip.user_param(), "phone");
  });
}

TEST(uri, rfc3261_example_numeric_user_and_ipv4) {
  with_uri("sips:1212@gateway.com", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "1212");
    EXPECT_TRUE(u.sip.secure);
  });
  with_uri("sip:alice@192.0.2.4", [](const uri& u) {
    EXPECT_EQ(u.sip.host, "192.0.2.4");
    EXPECT_EQ(u.sip.host_kind, host_type::ipv4);
  });
}

TEST(uri, rfc3261_example_no_user_method_and_header) {
  with_uri("sip:atlanta.com;method=REGISTER?to=alice%40atlanta.com", [](const uri& u) {
    EXPECT_FALSE(u.sip.has_user);
    EXPECT_TRUE(u.sip.user.empty());
    EXPECT_EQ(u.sip.host, "atlanta.com");
    EXPECT_EQ(u.sip.method_param(), "REGISTER");
    EXPECT_EQ(u.sip.headers, "to=alice%40atlanta.com");
  });
}

TEST(uri, rfc3261_example_semicolon_in_user) {
  // §19.1.3: the user is "alice;day=tuesday", and there are no parameters.
  with_uri("sip:alice;day=tuesday@atlanta.com", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "alice;day=tuesday");
    EXPECT_EQ(u.sip.host, "atlanta.com");
    EXPECT_TRUE(u.sip.params.empty());
  });
}

TEST(uri, well_known_parameter_accessors) {
  with_uri("sip:alice@atlanta.com;maddr=239.255.255.1;ttl=15;LR;Transport=UDP;x", [](const uri& u) {
    EXPECT_EQ(u.sip.maddr(), "239.255.255.1");
    EXPECT_TRUE(u.sip.lr());
    EXPECT_EQ(u.sip.transport(), "UDP");
    EXPECT_EQ(u.sip.user_param(), "");
    EXPECT_EQ(u.sip.method_param(), "");
    EXPECT_EQ(params_of(u.sip.params), (pv{{"maddr", "239.255.255.1"},
                                           {"ttl", "15"},
                                           {"LR", "<none>"},
                                           {"Transport", "UDP"},
                                           {"x", "<none>"}}));
  });
}

TEST(uri, scheme_is_case_insensitive_and_kept_as_written) {
  with_uri("SIP:ALICE@AtLanTa.CoM;Transport=udp", [](const uri& u) {
    EXPECT_EQ(u.scheme, uri_scheme::sip);
    EXPECT_EQ(u.scheme_text, "SIP");
    EXPECT_EQ(u.sip.user, "ALICE");
  });
  with_uri("SiPs:x", [](const uri& u) { EXPECT_EQ(u.scheme, uri_scheme::sips); });
  with_uri("TEL:+1", [](const uri& u) { EXPECT_EQ(u.scheme, uri_scheme::tel); });
}

TEST(uri, views_point_into_the_input) {
  test::for_each_exact("sip:bob:pw@example.com:5060;lr?h=v", [](std::string_view d) {
    const auto r = parse_uri(d);
    ASSERT_TRUE(r.has_value());
    for (std::string_view v :
         {r->sip.user, r->sip.password, r->sip.host, r->sip.params.raw(), r->sip.headers}) {
      EXPECT_GE(v.data(), d.data());
      EXPECT_LE(v.data() + v.size(), d.data() + d.size());
    }
    EXPECT_EQ(r->sip.port, 5060);
    EXPECT_EQ(r->sip.headers, "h=v");
  });
}

TEST(uri, headers_allow_empty_value_and_question_mark) {
  with_uri("sip:h?a=&b=c?d&e=%3C[x]%3E", [](const uri& u) {
    EXPECT_EQ(u.sip.host, "h");
    EXPECT_EQ(u.sip.headers, "a=&b=c?d&e=%3C[x]%3E");
  });
}

// ------------------------------------------------------------ RFC 4475 URIs

TEST(uri, rfc4475_esc01_sips_uri_in_user) {
  with_uri("sip:sips%3Auser%40example.com@example.net", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "sips%3Auser%40example.com");
    EXPECT_EQ(unescape(u.sip.user), "sips:user@example.com");
    EXPECT_EQ(u.sip.host, "example.net");
  });
  with_uri("sip:%75se%72@example.com",
           [](const uri& u) { EXPECT_EQ(unescape(u.sip.user), "user"); });
  with_uri("sip:I%20have%20spaces@example.net",
           [](const uri& u) { EXPECT_EQ(unescape(u.sip.user), "I have spaces"); });
  with_uri("sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31", [](const uri& u) {
    EXPECT_EQ(params_of(u.sip.params), (pv{{"%6C%72", "<none>"}, {"n%61me", "v%61lue%25%34%31"}}));
    // RFC 4475 §3.1.1.3: the value is "value%41", not "valueA".
    EXPECT_EQ(unescape(u.sip.params.find("n%61me")->value), "value%41");
    EXPECT_EQ(unescape(u.sip.params.begin()->name), "lr");
  });
}

TEST(uri, rfc4475_escnull_keeps_the_escaped_nul) {
  with_uri("sip:null-%00-null@example.com", [](const uri& u) {
    const std::string user = unescape(u.sip.user);
    EXPECT_EQ(user.size(), 11u);
    EXPECT_EQ(user, std::string("null-\0-null", 11));
  });
  with_uri("sip:%00%00@host5.example.com",
           [](const uri& u) { EXPECT_EQ(unescape(u.sip.user), std::string(2, '\0')); });
}

TEST(uri, rfc4475_semiuri_user_with_escaped_at) {
  with_uri("sip:user;par=u%40example.net@example.com", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "user;par=u%40example.net");
    EXPECT_EQ(unescape(u.sip.user), "user;par=u@example.net");
    EXPECT_EQ(u.sip.host, "example.com");
    EXPECT_TRUE(u.sip.params.empty());
  });
}

TEST(uri, rfc4475_intmeth_unusual_user_and_password) {
  with_uri(
      "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*"
      ":&it+has=1,weird!*pas$wo~d_too.(doesn't-it)@example.com",
      [](const uri& u) {
        EXPECT_EQ(u.sip.user, "1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*");
        EXPECT_EQ(u.sip.password, "&it+has=1,weird!*pas$wo~d_too.(doesn't-it)");
        EXPECT_EQ(u.sip.host, "example.com");
      });
}

TEST(uri, rfc4475_unknown_and_atypical_schemes) {
  with_uri("nobodyKnowsThisScheme:totallyopaquecontent", [](const uri& u) {
    EXPECT_EQ(u.scheme, uri_scheme::other);
    EXPECT_EQ(u.scheme_text, "nobodyKnowsThisScheme");
    EXPECT_EQ(u.opaque, "totallyopaquecontent");
  });
  with_uri("soap.beep://192.0.2.103:3002", [](const uri& u) {
    EXPECT_EQ(u.scheme, uri_scheme::other);
    EXPECT_EQ(u.scheme_text, "soap.beep");
    EXPECT_EQ(u.opaque, "//192.0.2.103:3002");
  });
  with_uri("isbn:2983792873", [](const uri& u) { EXPECT_EQ(u.opaque, "2983792873"); });
  with_uri("http://www.example.com", [](const uri& u) { EXPECT_EQ(u.scheme_text, "http"); });
  with_uri("name:John_Smith", [](const uri& u) { EXPECT_EQ(u.opaque, "John_Smith"); });
  with_uri("x-a+b.c:?#[]", [](const uri& u) { EXPECT_EQ(u.opaque, "?#[]"); });
}

TEST(uri, rfc4475_escruri_headers_parse_as_uri) {
  // The Request-URI context forbids headers (§19.1.1 table 1); the URI
  // grammar itself accepts them.
  with_uri("sip:user@example.com?Route=%3Csip:example.com%3E",
           [](const uri& u) { EXPECT_EQ(u.sip.headers, "Route=%3Csip:example.com%3E"); });
}

// ------------------------------------------------------------- RFC 5118 IPv6

TEST(uri, rfc5118_ipv6_references) {
  with_uri("sip:[2001:db8::10]", [](const uri& u) {
    EXPECT_EQ(u.sip.host, "[2001:db8::10]");
    EXPECT_EQ(u.sip.host_kind, host_type::ipv6);
    EXPECT_FALSE(u.sip.port.has_value());
  });
  // §4.3: the port inside the brackets is part of the address.
  with_uri("sip:[2001:db8::10:5070]", [](const uri& u) {
    EXPECT_EQ(u.sip.host, "[2001:db8::10:5070]");
    EXPECT_FALSE(u.sip.port.has_value());
  });
  // §4.4: outside the brackets it is the port.
  with_uri("sip:[2001:db8::10]:5070", [](const uri& u) {
    EXPECT_EQ(u.sip.host, "[2001:db8::10]");
    EXPECT_EQ(u.sip.port, 5070);
  });
  with_uri("sip:caller@[2001:db8::1];transport=tcp", [](const uri& u) {
    EXPECT_EQ(u.sip.user, "caller");
    EXPECT_EQ(u.sip.host, "[2001:db8::1]");
    EXPECT_EQ(u.sip.transport(), "tcp");
  });
  with_uri("sip:ted@[::ffff:192.0.2.2]",
           [](const uri& u) { EXPECT_EQ(u.sip.host_kind, host_type::ipv6); });
  with_uri("sip:user@[2001:db8::192.0.2.1]",
           [](const uri& u) { EXPECT_EQ(u.sip.host_kind, host_type::ipv6); });
}

TEST(uri, rfc5118_three_colon_form_is_tolerated) {
  // §4.10: the RFC 3261 ABNF bug yields "[2001:db8:::192.0.2.1]".
  with_uri("sip:user@[2001:db8:::192.0.2.1]", [](const uri& u) {
    EXPECT_EQ(u.sip.host, "[2001:db8:::192.0.2.1]");
    EXPECT_EQ(u.sip.host_kind, host_type::ipv6);
  });
}

TEST(uri, rfc5118_unbracketed_ipv6_is_rejected) {
  // §4.2: "sip:2001:db8::10" reads as host "2001", which is no hostname
  // (its top label starts with a digit) and no IPv4 address.
  expect_bad("sip:2001:db8::10", 4);
  expect_bad("sip:user@2001:db8::1", 9);
  expect_bad("sip:user@a2001:db8::1", 15);  // a valid name, then a bad port
}

// ----------------------------------------------------------------- RFC 3966

TEST(uri, rfc3966_examples) {
  with_uri("tel:+1-201-555-0123", [](const uri& u) {
    EXPECT_EQ(u.scheme, uri_scheme::tel);
    EXPECT_TRUE(u.tel.global);
    EXPECT_EQ(u.tel.number, "+1-201-555-0123");
    EXPECT_TRUE(u.tel.params.empty());
  });
  with_uri("tel:7042;phone-context=example.com", [](const uri& u) {
    EXPECT_FALSE(u.tel.global);
    EXPECT_EQ(u.tel.number, "7042");
    EXPECT_EQ(u.tel.phone_context(), "example.com");
  });
  with_uri("tel:863-1234;phone-context=+1-914-555", [](const uri& u) {
    EXPECT_EQ(u.tel.number, "863-1234");
    EXPECT_EQ(u.tel.phone_context(), "+1-914-555");
  });
}

TEST(uri, tel_visual_separators_hex_and_parameters) {
  with_uri("tel:+1-(201).555-0123;ext=1-23;foo=b%41r;flag", [](const uri& u) {
    EXPECT_EQ(u.tel.number, "+1-(201).555-0123");
    EXPECT_EQ(params_of(u.tel.params), (pv{{"ext", "1-23"}, {"foo", "b%41r"}, {"flag", "<none>"}}));
  });
  with_uri("tel:*12#AB;phone-context=pbx.example.com.;isub=x/y:z", [](const uri& u) {
    EXPECT_EQ(u.tel.number, "*12#AB");
    EXPECT_EQ(params_of(u.tel.params),
              (pv{{"phone-context", "pbx.example.com."}, {"isub", "x/y:z"}}));
  });
}

TEST(uri, tel_malformed) {
  expect_bad("tel:", 4);
  expect_bad("tel:+", 5);
  expect_bad("tel:+-()", 8);  // no DIGIT in the global number
  expect_bad("tel:7042", 8);  // local number without phone-context
  expect_bad("tel:7042;ext=1", 14);
  expect_bad("tel:xyz", 4);
  expect_bad("tel:+1 2", 6);
  expect_bad("tel:+1a", 6);
  expect_bad("tel:+1;", 7);  // empty pname
  expect_bad("tel:+1;ext=", 11);
  expect_bad("tel:+1;ext", 10);           // ext needs a value
  expect_bad("tel:+1;ext=1;ext=2", 13);   // at most once
  expect_bad("tel:+1;isub=a;ext=1", 14);  // not both (RFC 3966 §5.3)
  expect_bad("tel:+1;ext=1;isub=a", 13);
  expect_bad("tel:1;phone-context=1.2.3.4", 20);  // descriptor is no domainname
  expect_bad("tel:1;phone-context=+", 21);
  expect_bad("tel:1;phone-context=a;phone-context=b", 22);
  expect_bad("tel:+1;a=", 9);
  expect_bad("tel:+1;a_b=1", 8);
  expect_bad("tel:+1;a=%4", 9);
  expect_bad("tel:+1;a=b c", 10);
}

// ------------------------------------------------------------ malformed sip

TEST(uri, scheme_errors) {
  expect_bad("", 0);
  expect_bad("sip", 3);
  expect_bad("1sip:x", 0);
  expect_bad("+foo:x", 0);
  expect_bad("fo o:x", 2);
  expect_bad(":x", 0);
  expect_bad("<sip:x>", 0);
}

TEST(uri, userinfo_errors) {
  expect_bad("sip:@host", 4);  // "@" present, user empty (§19.1.1)
  expect_bad("sip::pw@host", 4);
  expect_bad("sip:user:pa:ss@host", 11);  // ':' is not a password char
  expect_bad("sip:%zzuser@host", 4);      // bad escape
  expect_bad("sip:us%4@host", 6);
  expect_bad("sip:us\"er@host", 6);
  expect_bad("sip:a@b@c", 7);  // '@' only ends the userinfo
  expect_bad("sip:us[er@host", 6);
}

TEST(uri, host_and_port_errors) {
  expect_bad("sip:", 4);
  expect_bad("sip:user@", 9);
  expect_bad("sip:user@-host", 9);
  expect_bad("sip:user@host-", 9);
  expect_bad("sip:user@host..com", 9);
  expect_bad("sip:user@1.2.3.256", 9);
  expect_bad("sip:user@ho%41st", 11);  // no escapes in host (§19.1.2)
  expect_bad("sip:user@host:", 14);
  expect_bad("sip:user@host:65536", 14);
  expect_bad("sip:host:123456", 9);
  expect_bad("sip:user@host:50a", 16);
  expect_bad("sip:[2001:db8::1", 16);
  expect_bad("sip:[2001:db8::1]x", 17);
  expect_bad("sip:[2001:db8::1]:", 18);
  expect_bad("sip:[1:2]", 4);
  expect_bad("sip:[]", 4);
  expect_bad("sip:[2001:db8::g]", 15);
  expect_bad("sip:user@host>", 13);
  expect_bad("sip:user_x@host_y", 15);
}

TEST(uri, parameter_and_header_errors) {
  expect_bad("sip:user@host;", 14);
  expect_bad("sip:user@host;;lr", 14);
  expect_bad("sip:user@host;a=", 16);
  expect_bad("sip:user@host;a==b", 16);
  expect_bad("sip:user@host;a=%2", 16);
  expect_bad("sip:user@host;a=b%2", 17);
  expect_bad("sip:user@host;a=\"b\"", 16);
  expect_bad("sip:user@host;a,b", 15);
  expect_bad("sip:user@host?", 14);
  expect_bad("sip:user@host?a", 15);
  expect_bad("sip:user@host?=b", 14);
  expect_bad("sip:user@host?a=b&", 18);
  expect_bad("sip:user@host?a=b&&c=d", 18);
  expect_bad("sip:user@host?a=b;c", 17);
  expect_bad("sip:user@host?a=b=c", 17);
}

TEST(uri, lws_inside_a_uri_is_rejected) {
  expect_bad(" sip:x", 0);
  expect_bad("sip :x", 3);
  expect_bad("sip: x", 4);
  expect_bad("sip:x ", 5);
  expect_bad("sip:us er@host", 6);
  expect_bad("sip:user@host name", 13);
  expect_bad("sip:alice@atlanta.com ;transport=tcp", 21);
  expect_bad("sip:user@example.com; lr", 21);  // RFC 4475 lwsruri
  expect_bad("sip:user@host;lr\t", 16);
  expect_bad("sip:user@host\r\n", 13);
  expect_bad("sip:user@host;a=b ?x=y", 17);
  expect_bad("sip:user@host?a=b c", 17);
  expect_bad("tel:+1 ;ext=2", 6);
}

TEST(uri, other_scheme_errors) {
  expect_bad("foo:", 4);
  expect_bad("foo: bar", 4);
  expect_bad("foo:bar baz", 7);
  expect_bad("foo:b\x7f", 5);
  expect_bad("foo:\xc3\xa9", 4);
  expect_bad(std::string_view{"foo:a\0b", 7}, 5);
}

// Every prefix of a set of valid URIs either parses (and then equals itself)
// or fails at an offset inside the prefix: no over-read, no wild offset.
TEST(uri, every_prefix_parses_or_fails_inside_it) {
  const std::string_view samples[] = {
      "sips:alice:pw@[2001:db8::1]:5061;transport=tcp;lr?subject=x%20y&priority=urgent",
      "sip:+1-212-555-1212:1234@gateway.com;user=phone",
      "tel:863-1234;phone-context=+1-914-555;ext=12;isub=a/b",
      "soap.beep://192.0.2.103:3002",
  };
  for (std::string_view s : samples) {
    for (std::size_t n = 0; n <= s.size(); ++n) {
      SCOPED_TRACE(std::string{s.substr(0, n)});
      test::for_each_exact(s.substr(0, n), [&](std::string_view d) {
        const auto r = parse_uri(d);
        if (r.has_value()) {
          EXPECT_TRUE(equivalent(*r, *r));
        } else {
          EXPECT_LE(r.error().offset, n);
        }
      });
    }
  }
}

}  // namespace
}  // namespace sipua
