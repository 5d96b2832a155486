#include "sipua/message/contact.hpp"

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

#include "support/parse_check.hpp"

namespace sipua {
namespace {

using test::expect_error;
using test::expect_ok;

TEST(contact, star) {
  for (std::string_view s : {"*", "  *  ", "\r\n *"}) {
    expect_ok(parse_contact, s, [](const contact& c, std::string_view) {
      EXPECT_TRUE(c.star);
      EXPECT_TRUE(c.addr.uri.empty());
    });
  }
  // '*' is a token character: followed by more text it is a display name.
  expect_ok(parse_contact, "* <sip:a@b>", [](const contact& c, std::string_view) {
    EXPECT_FALSE(c.star);
    EXPECT_EQ(c.addr.display_name, "*");
    EXPECT_EQ(c.addr.uri, "sip:a@b");
  });
  expect_error(parse_contact, "*;expires=0", parse_errc::bad_uri, 0);
}

TEST(contact, rfc4475_cparam01_param_outside_brackets_is_a_contact_param) {
  // RFC 4475 §3.3.12
  expect_ok(parse_contact, "sip:+19725552222@gw1.example.net;unknownparam",
            [](const contact& c, std::string_view in) {
              EXPECT_EQ(c.addr.uri, "sip:+19725552222@gw1.example.net");
              EXPECT_FALSE(c.addr.bracketed);
              EXPECT_TRUE(c.addr.params.contains("unknownparam"));
              EXPECT_TRUE(test::within(in, c.addr.uri));
            });
}

TEST(contact, rfc4475_cparam02_param_inside_brackets_is_a_uri_param) {
  // RFC 4475 §3.3.13
  expect_ok(parse_contact, "<sip:+19725552222@gw1.example.net;unknownparam>",
            [](const contact& c, std::string_view) {
              EXPECT_EQ(c.addr.uri, "sip:+19725552222@gw1.example.net;unknownparam");
              EXPECT_TRUE(c.addr.params.empty());
            });
}

TEST(contact, rfc4475_regescrt_escaped_route_inside_brackets) {
  // RFC 4475 §3.3.14 ("M: <sip:user@example.com?Route=%3Csip:sip.example.com%3E>")
  expect_ok(parse_contact, "<sip:user@example.com?Route=%3Csip:sip.example.com%3E>",
            [](const contact& c, std::string_view) {
              EXPECT_EQ(c.addr.uri, "sip:user@example.com?Route=%3Csip:sip.example.com%3E");
            });
  // ... and RFC 4475 §3.1.2.13 regbadct, the same without brackets.
  expect_error(parse_contact, "sip:user@example.com?Route=%3Csip:sip.example.com%3E",
               parse_errc::bad_uri, 20);
}

TEST(contact, qvalue_in_thousandths) {
  const std::pair<const char*, std::uint16_t> ok[] = {
      {"<sip:a@b>;q=0", 0},      {"<sip:a@b>;q=0.", 0},          {"<sip:a@b>;q=0.7", 700},
      {"<sip:a@b>;q=0.33", 330}, {"<sip:a@b>;q=0.001", 1},       {"<sip:a@b>;q=0.999", 999},
      {"<sip:a@b>;q=1", 1000},   {"<sip:a@b>;q=1.", 1000},       {"<sip:a@b>;q=1.000", 1000},
      {"<sip:a@b>;Q=0.5", 500},  {"<sip:a@b>;q=0.5;q=0.9", 500},
  };
  for (const auto& [text, q] : ok) {
    expect_ok(parse_contact, text,
              [q = q](const contact& c, std::string_view) { EXPECT_EQ(c.q, q); });
  }
  expect_ok(parse_contact, "<sip:a@b>", [](const contact& c, std::string_view) {
    EXPECT_FALSE(c.q.has_value());
    EXPECT_FALSE(c.expires.has_value());
  });
}

TEST(contact, bad_qvalues_point_at_the_value) {
  for (std::string_view v :
       {"1.5", "1.001", "2", "0.1234", ".5", "00.5", "0.a", "01", "\"0.5\"", "0x"}) {
    const std::string text = std::string{"<sip:a@b>;q="} + std::string{v};
    expect_error(parse_contact, text, parse_errc::bad_param, 12);
  }
  expect_error(parse_contact, "<sip:a@b>;q", parse_errc::bad_param, 10);
  // A later duplicate is still checked.
  expect_error(parse_contact, "<sip:a@b>;q=0.5;q=7", parse_errc::bad_param, 18);
}

TEST(contact, rfc4475_wsinv_folded_params_and_q) {
  // "m:\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n
  // secondparam ; q = 0.33"
  expect_ok(
      parse_contact,
      "\"Quoted string \\\"\\\"\" <sip:jdrosen@example.com> ; newparam =\r\n      newvalue ;\r\n"
      "  secondparam ; q = 0.33",
      [](const contact& c, std::string_view) {
        EXPECT_EQ(c.addr.display_name_unquoted(), "Quoted string \\\"\\\"");
        EXPECT_EQ(c.q, 330);
        ASSERT_TRUE(c.addr.params.find("newparam").has_value());
        EXPECT_EQ(c.addr.params.find("newparam")->value, "newvalue");
        EXPECT_TRUE(c.addr.params.contains("secondparam"));
      });
}

TEST(contact, expires_saturates_at_2_pow_32_minus_1) {
  expect_ok(parse_contact, "<sip:a@b>;expires=3600",
            [](const contact& c, std::string_view) { EXPECT_EQ(c.expires, 3600u); });
  expect_ok(parse_contact, "<sip:a@b>;expires=0",
            [](const contact& c, std::string_view) { EXPECT_EQ(c.expires, 0u); });
  expect_ok(parse_contact, "<sip:a@b>;expires=4294967295",
            [](const contact& c, std::string_view) { EXPECT_EQ(c.expires, 4294967295u); });
  expect_ok(parse_contact, "<sip:a@b>;expires=4294967296",
            [](const contact& c, std::string_view) { EXPECT_EQ(c.expires, 4294967295u); });
  // RFC 4475 §3.1.2.4 scalar02: "Contact: <sip:user@host129.example.com>\r\n
  // ;expires=280297596632815"
  expect_ok(parse_contact, "<sip:user@host129.example.com>\r\n  ;expires=280297596632815",
            [](const contact& c, std::string_view) { EXPECT_EQ(c.expires, 4294967295u); });
  expect_ok(parse_contact, "<sip:a@b>;expires=60;expires=120",
            [](const contact& c, std::string_view) { EXPECT_EQ(c.expires, 60u); });
  expect_error(parse_contact, "<sip:a@b>;expires=abc", parse_errc::bad_param, 18);
  expect_error(parse_contact, "<sip:a@b>;expires=\"60\"", parse_errc::bad_param, 18);
  expect_error(parse_contact, "<sip:a@b>;expires=-1", parse_errc::bad_param, 18);
  expect_error(parse_contact, "<sip:a@b>;expires", parse_errc::bad_param, 10);
}

TEST(contact, list_elements_through_comma_list) {
  // RFC 4475 esc02 has two Contact fields; here one field with two values,
  // a comma inside the quoted display name.
  constexpr std::string_view value =
      "<sip:alias1@host1.example.com>;q=0.5, \"X, Y\" <sip:alias3@host3.example.com>;expires=60";
  test::for_each_exact(value, [](std::string_view in) {
    std::vector<contact> cs;
    for (std::string_view element : comma_list{in}) {
      auto c = parse_contact(element);
      ASSERT_TRUE(c.has_value()) << element;
      cs.push_back(*c);
    }
    ASSERT_EQ(cs.size(), 2u);
    EXPECT_EQ(cs[0].q, 500);
    EXPECT_EQ(cs[1].addr.display_name_unquoted(), "X, Y");
    EXPECT_EQ(cs[1].expires, 60u);
  });
}

TEST(contact, rfc4475_badinv01_empty_params) {
  expect_error(parse_contact, "\"Joe\" <sip:joe@example.org>;;;;", parse_errc::bad_param, 28);
}

TEST(contact, name_addr_errors_pass_through) {
  expect_error(parse_contact, "", parse_errc::bad_header_value, 0);
  expect_error(parse_contact, "\"open <sip:a@b>", parse_errc::bad_quoted_string, 0);
  expect_error(parse_contact, "< sip:a@b>", parse_errc::bad_uri, 1);
}

}  // namespace
}  // namespace sipua
