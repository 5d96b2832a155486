// equivalent() and unescape(): every example pair of RFC 3261 §19.1.4, the
// RFC 5954 §4.2 IP address examples, RFC 3966 §4 tel comparison, and the
// rules one by one. Both URIs are parsed from exact-size heap buffers.
#include <gtest/gtest.h>

#include <string>

#include "support/split.hpp"

#include "sipua/message/uri.hpp"

namespace sipua {
namespace {

/// Parses a and b from exact-size buffers and returns equivalent(a, b),
/// checking along the way that the answer is symmetric and that each URI
/// is equivalent to itself.
bool equiv(std::string_view a, std::string_view b) {
  bool result = false;
  test::for_each_exact(a, [&](std::string_view da) {
    test::for_each_exact(b, [&](std::string_view db) {
      const auto x = parse_uri(da);
      const auto y = parse_uri(db);
      if (!x.has_value() || !y.has_value()) {
        ADD_FAILURE() << "does not parse: " << (x.has_value() ? b : a);
        return;
      }
      EXPECT_TRUE(equivalent(*x, *x)) << a;
      EXPECT_TRUE(equivalent(*y, *y)) << b;
      result = equivalent(*x, *y);
      EXPECT_EQ(result, equivalent(*y, *x)) << "asymmetric: " << a << " vs " << b;
    });
  });
  return result;
}

// ------------------------------------------------ RFC 3261 §19.1.4 examples

TEST(uri_compare, rfc3261_equivalent_sets) {
  EXPECT_TRUE(
      equiv("sip:%61lice@atlanta.com;transport=TCP", "sip:alice@AtLanTa.CoM;Transport=tcp"));

  EXPECT_TRUE(equiv("sip:carol@chicago.com", "sip:carol@chicago.com;newparam=5"));
  EXPECT_TRUE(equiv("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equiv("sip:carol@chicago.com;newparam=5", "sip:carol@chicago.com;security=on"));

  EXPECT_TRUE(equiv("sip:biloxi.com;transport=tcp;method=REGISTER?to=sip:bob%40biloxi.com",
                    "sip:biloxi.com;method=REGISTER;transport=tcp?to=sip:bob%40biloxi.com"));

  EXPECT_TRUE(equiv("sip:alice@atlanta.com?subject=project%20x&priority=urgent",
                    "sip:alice@atlanta.com?priority=urgent&subject=project%20x"));
}

TEST(uri_compare, rfc3261_not_equivalent_sets) {
  // different usernames
  EXPECT_FALSE(equiv("SIP:ALICE@AtLanTa.CoM;Transport=udp", "sip:alice@AtLanTa.CoM;Transport=UDP"));
  // can resolve to different ports
  EXPECT_FALSE(equiv("sip:bob@biloxi.com", "sip:bob@biloxi.com:5060"));
  // can resolve to different transports
  EXPECT_FALSE(equiv("sip:bob@biloxi.com", "sip:bob@biloxi.com;transport=udp"));
  // can resolve to different port and transports
  EXPECT_FALSE(equiv("sip:bob@biloxi.com", "sip:bob@biloxi.com:6000;transport=tcp"));
  // different header component
  EXPECT_FALSE(equiv("sip:carol@chicago.com", "sip:carol@chicago.com?Subject=next%20meeting"));
  // even though that's what phone21.boxesbybob.com resolves to
  EXPECT_FALSE(equiv("sip:bob@phone21.boxesbybob.com", "sip:bob@192.0.2.4"));
}

TEST(uri_compare, rfc3261_equality_is_not_transitive) {
  EXPECT_TRUE(equiv("sip:carol@chicago.com", "sip:carol@chicago.com;security=on"));
  EXPECT_TRUE(equiv("sip:carol@chicago.com", "sip:carol@chicago.com;security=off"));
  EXPECT_FALSE(equiv("sip:carol@chicago.com;security=on", "sip:carol@chicago.com;security=off"));
}

// ------------------------------------------------------ the rules one by one

TEST(uri_compare, sip_and_sips_are_never_equivalent) {
  EXPECT_FALSE(equiv("sip:alice@atlanta.com", "sips:alice@atlanta.com"));
  EXPECT_TRUE(equiv("SIPS:alice@atlanta.com", "sips:alice@atlanta.com"));
}

TEST(uri_compare, userinfo_is_case_sensitive_after_unescaping) {
  EXPECT_FALSE(equiv("sip:Alice@h", "sip:alice@h"));
  EXPECT_TRUE(equiv("sip:%41lice@h", "sip:Alice@h"));
  EXPECT_FALSE(equiv("sip:%41lice@h", "sip:alice@h"));
  EXPECT_TRUE(equiv("sip:%7e@h", "sip:~@h"));  // hex digits of an escape: any case
  EXPECT_TRUE(equiv("sip:a:%50w@h", "sip:a:Pw@h"));
  EXPECT_FALSE(equiv("sip:a:pw@h", "sip:a:PW@h"));
  EXPECT_FALSE(equiv("sip:+1-212-555-1212@h;user=phone", "sip:+12125551212@h;user=phone"));
}

TEST(uri_compare, escaped_reserved_characters_differ_from_literal_ones) {
  // Only characters outside "reserved" equal their %HH form (§19.1.4).
  EXPECT_FALSE(equiv("sip:a;b@h", "sip:a%3Bb@h"));
  EXPECT_FALSE(equiv("sip:a?b@h", "sip:a%3fb@h"));
  EXPECT_TRUE(equiv("sip:a%3Bb@h", "sip:a%3bb@h"));
  EXPECT_FALSE(equiv("sip:h?a=b/c", "sip:h?a=b%2Fc"));
}

TEST(uri_compare, escaped_nul_users_stay_distinct) {
  // RFC 4475 escnull registers two distinct contacts.
  EXPECT_FALSE(equiv("sip:%00@host5.example.com", "sip:%00%00@host5.example.com"));
  EXPECT_FALSE(equiv("sip:null-%00-null@example.com", "sip:null-@example.com"));
  EXPECT_TRUE(equiv("sip:null-%00-null@example.com", "sip:null-%00-null@example.com"));
}

TEST(uri_compare, rfc4475_escapes_in_parameters_are_not_decoded_twice) {
  const char* contact = "sip:cal%6Cer@host5.example.net;%6C%72;n%61me=v%61lue%25%34%31";
  EXPECT_TRUE(equiv(contact, "sip:caller@host5.example.net;lr;name=value%2541"));
  EXPECT_FALSE(equiv(contact, "sip:caller@host5.example.net;lr;name=valueA"));
}

TEST(uri_compare, user_and_password_presence) {
  EXPECT_FALSE(equiv("sip:h", "sip:u@h"));
  EXPECT_FALSE(equiv("sip:u@h", "sip:u:@h"));  // an empty password is still one
  EXPECT_FALSE(equiv("sip:u@h", "sip:u:p@h"));
  EXPECT_TRUE(equiv("sip:u:p@h", "sip:u:p@H"));
}

TEST(uri_compare, host_is_case_insensitive_and_names_never_equal_addresses) {
  EXPECT_TRUE(equiv("sip:u@EXAMPLE.com", "sip:u@example.COM"));
  EXPECT_FALSE(equiv("sip:u@example.com", "sip:u@example.org"));
  EXPECT_FALSE(equiv("sip:u@example.com", "sip:u@example.com."));
  EXPECT_FALSE(equiv("sip:u@192.0.2.4", "sip:u@[::ffff:192.0.2.4]"));
}

TEST(uri_compare, rfc5954_addresses_compare_by_binary_value) {
  EXPECT_TRUE(equiv("sip:bob@[::ffff:192.0.2.128]", "sip:bob@[::ffff:c000:280]"));
  EXPECT_TRUE(equiv("sip:bob@[2001:db8::9:1]", "sip:bob@[2001:db8::9:01]"));
  EXPECT_TRUE(equiv("sip:bob@[0:0:0:0:0:FFFF:129.144.52.38]", "sip:bob@[::FFFF:129.144.52.38]"));
  EXPECT_TRUE(equiv("sip:bob@192.0.2.128", "sip:bob@192.00.02.128"));
  EXPECT_TRUE(equiv("sip:u@[2001:db8:::192.0.2.1]", "sip:u@[2001:db8::c000:201]"));
  EXPECT_TRUE(equiv("sip:u@[2001:DB8::1]", "sip:u@[2001:db8:0:0:0:0:0:1]"));
  EXPECT_TRUE(equiv("sip:u@[::]", "sip:u@[0:0:0:0:0:0:0:0]"));
  EXPECT_TRUE(equiv("sip:u@[1::]", "sip:u@[1:0::0]"));
  EXPECT_FALSE(equiv("sip:u@[2001:db8::1]", "sip:u@[2001:db8::1:0]"));
  EXPECT_FALSE(equiv("sip:u@[1::2]", "sip:u@[1:2::]"));
  EXPECT_FALSE(equiv("sip:u@192.0.2.1", "sip:u@192.0.2.10"));
}

TEST(uri_compare, port_present_in_one_never_matches) {
  EXPECT_TRUE(equiv("sip:u@h:5060", "sip:u@h:05060"));
  EXPECT_FALSE(equiv("sip:u@h:5060", "sip:u@h:5061"));
  EXPECT_FALSE(equiv("sips:u@h", "sips:u@h:5061"));
  EXPECT_TRUE(equiv("sip:u@[::1]:5070", "sip:u@[0::1]:5070"));
}

TEST(uri_compare, user_ttl_method_maddr_transport_in_one_never_match) {
  for (const char* p : {";user=ip", ";ttl=1", ";method=INVITE", ";maddr=239.255.255.1",
                        ";transport=udp", ";USER=ip", ";%74tl=1"}) {
    SCOPED_TRACE(p);
    EXPECT_FALSE(equiv("sip:u@h", std::string{"sip:u@h"} + p));
    EXPECT_FALSE(equiv("sip:u@h;x=1", std::string{"sip:u@h"} + p + ";x=1"));
  }
  EXPECT_TRUE(equiv("sip:u@h;lr", "sip:u@h"));  // lr is an "other" parameter here
}

TEST(uri_compare, parameters_in_both_must_match) {
  EXPECT_TRUE(equiv("sip:u@h;ttl=15;maddr=239.255.255.1", "sip:u@h;maddr=239.255.255.1;TTL=15"));
  EXPECT_FALSE(equiv("sip:u@h;ttl=15", "sip:u@h;ttl=16"));
  EXPECT_FALSE(equiv("sip:u@h;user=phone", "sip:u@h;user=ip"));
  EXPECT_TRUE(equiv("sip:u@h;method=register", "sip:u@h;method=REGISTER"));
  EXPECT_TRUE(equiv("sip:u@h;maddr=Example.COM", "sip:u@h;maddr=example.com"));
  EXPECT_TRUE(equiv("sip:u@h;maddr=[::1]", "sip:u@h;maddr=[0:0::1]"));
  EXPECT_FALSE(equiv("sip:u@h;maddr=192.0.2.1", "sip:u@h;maddr=192.0.2.2"));
  EXPECT_TRUE(equiv("sip:u@h;x=%41", "sip:u@h;X=a"));
  EXPECT_FALSE(equiv("sip:u@h;x", "sip:u@h;x=1"));
  EXPECT_FALSE(equiv("sip:u@h;lr", "sip:u@h;lr=on"));
  EXPECT_TRUE(equiv("sip:u@h;%6C%72", "sip:u@h;LR"));
}

TEST(uri_compare, repeated_parameters_match_as_multisets) {
  EXPECT_TRUE(equiv("sip:u@h;x=1;x=2", "sip:u@h;x=2;x=1"));
  EXPECT_FALSE(equiv("sip:u@h;x=1;x=2", "sip:u@h;x=1"));
  EXPECT_FALSE(equiv("sip:u@h;x=1;x=1", "sip:u@h;x=1;x=2"));
}

TEST(uri_compare, headers_are_a_set_with_case_insensitive_names) {
  EXPECT_TRUE(equiv("sip:u@h?Subject=Hi&Priority=urgent", "sip:u@h?priority=urgent&subject=Hi"));
  EXPECT_TRUE(equiv("sip:u@h?subject=project%20x", "sip:u@h?%73ubject=project%20x"));
  EXPECT_FALSE(equiv("sip:u@h?subject=Hi", "sip:u@h?subject=hi"));
  EXPECT_FALSE(equiv("sip:u@h?a=1&b=2", "sip:u@h?a=1"));
  EXPECT_FALSE(equiv("sip:u@h?a=1", "sip:u@h?a=1&a=1"));
  EXPECT_FALSE(equiv("sip:u@h?a=", "sip:u@h?b="));
  EXPECT_TRUE(equiv("sip:u@h?a=&b=1", "sip:u@h?b=1&a="));
}

TEST(uri_compare, many_parameters_and_headers_leave_the_stack_buffer) {
  std::string a = "sip:u@h", b = "sip:u@h";
  for (int i = 0; i < 40; ++i) a += ";p" + std::to_string(i) + "=" + std::to_string(i);
  for (int i = 39; i >= 0; --i) b += ";P" + std::to_string(i) + "=" + std::to_string(i);
  EXPECT_TRUE(equiv(a, b));
  EXPECT_FALSE(equiv(a, b + ";ttl=1"));
  EXPECT_FALSE(equiv(a + ";p7=x", b));
  std::string ha = a + "?", hb = b + "?";
  for (int i = 0; i < 30; ++i) ha += (i ? "&h" : "h") + std::to_string(i) + "=v";
  for (int i = 29; i >= 0; --i) hb += (i != 29 ? "&H" : "H") + std::to_string(i) + "=v";
  EXPECT_TRUE(equiv(ha, hb));
  EXPECT_FALSE(equiv(ha, hb + "&x=y"));
}

// ---------------------------------------------------------- RFC 3966 §4 tel

TEST(uri_compare, tel_numbers_ignore_visual_separators) {
  EXPECT_TRUE(equiv("tel:+1-201-555-0123", "tel:+12015550123"));
  EXPECT_TRUE(equiv("tel:+1-201-555-0123", "tel:+1(201)555.0123"));
  EXPECT_FALSE(equiv("tel:+1-201-555-0123", "tel:+1-201-555-0124"));
  EXPECT_FALSE(equiv("tel:+1201555012", "tel:+12015550123"));
  EXPECT_TRUE(equiv("tel:12ab;phone-context=example.com", "tel:12-AB;phone-context=example.com"));
}

TEST(uri_compare, tel_global_and_local_never_match) {
  EXPECT_FALSE(equiv("tel:+7042", "tel:7042;phone-context=+1"));
}

TEST(uri_compare, tel_phone_context_as_host_or_digits) {
  EXPECT_TRUE(equiv("tel:7042;phone-context=example.com", "TEL:7042;PHONE-CONTEXT=Example.COM"));
  EXPECT_TRUE(equiv("tel:863-1234;phone-context=+1-914-555", "tel:8631234;phone-context=+1914555"));
  EXPECT_FALSE(equiv("tel:7042;phone-context=example.com", "tel:7042;phone-context=example.org"));
  EXPECT_FALSE(equiv("tel:7042;phone-context=ex-ample.com", "tel:7042;phone-context=example.com"));
  EXPECT_FALSE(equiv("tel:7042;phone-context=+1", "tel:7042;phone-context=+12"));
}

TEST(uri_compare, tel_parameters_are_a_set_and_all_must_be_in_both) {
  EXPECT_TRUE(equiv("tel:+1;a=1;b=2", "tel:+1;b=2;a=1"));
  EXPECT_FALSE(equiv("tel:+1;a=1", "tel:+1"));
  EXPECT_FALSE(equiv("tel:+1;a=1", "tel:+1;b=1"));
  EXPECT_FALSE(equiv("tel:+1;a=1", "tel:+1;a=2"));
  EXPECT_TRUE(equiv("tel:+1;a=x", "tel:+1;A=%58"));
  EXPECT_TRUE(equiv("tel:+1;ext=12-3", "tel:+1;ext=123"));
  EXPECT_TRUE(equiv("tel:+1;isub=AbC", "tel:+1;isub=abc"));
}

// ------------------------------------------------------ schemes and others

TEST(uri_compare, different_schemes_never_match) {
  EXPECT_FALSE(equiv("sip:+1@h", "tel:+1"));
  EXPECT_FALSE(equiv("im:alice@h", "pres:alice@h"));
}

TEST(uri_compare, other_schemes_compare_bytes_after_the_scheme) {
  EXPECT_TRUE(equiv("nobodyKnowsThisScheme:totallyopaquecontent",
                    "NOBODYKNOWSTHISSCHEME:totallyopaquecontent"));
  EXPECT_FALSE(equiv("name:John_Smith", "name:john_smith"));
  EXPECT_FALSE(equiv("name:%4a", "name:J"));
}

// ------------------------------------------------------------------ unescape

/// unescape() of an exact-size copy of `s`.
std::string unesc(std::string_view s) {
  std::string out;
  test::for_each_exact(s, [&](std::string_view d) { out = unescape(d); });
  return out;
}

TEST(uri_unescape, decodes_escapes_and_keeps_malformed_ones) {
  EXPECT_EQ(unesc("%41%42c"), "ABc");
  EXPECT_EQ(unesc("%4a%4A"), "JJ");
  EXPECT_EQ(unesc("I%20have%20spaces"), "I have spaces");
  EXPECT_EQ(unesc("%2541"), "%41");  // not recursive
  EXPECT_EQ(unesc("a%"), "a%");      // a '%' at the very end: no over-read
  EXPECT_EQ(unesc("a%4"), "a%4");
  EXPECT_EQ(unesc("%zz%4g"), "%zz%4g");
  EXPECT_EQ(unesc("%%41"), "%A");
  EXPECT_EQ(unesc(""), "");
  EXPECT_EQ(unesc(std::string_view{"%00%00"}), std::string(2, '\0'));
  EXPECT_EQ(unesc("%ff"), "\xff");
}

TEST(uri_unescape, reads_only_the_view) {
  // The escape is cut by the end of the view: kept as written.
  const std::string_view longer = "x%41y";
  EXPECT_EQ(unescape(longer.substr(0, 3)), "x%4");
  EXPECT_EQ(unescape(longer.substr(0, 4)), "xA");
}

}  // namespace
}  // namespace sipua
