// build_response() with a replacement for the first Via value (builder.hpp,
// response_top_via): what a server sends back after adding received and
// rport (RFC 3261 §18.2.1, RFC 3581 §4), with the other Vias untouched.
#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"

namespace sipua {
namespace {

/// A request whose first Via field holds two via-parms and which has two
/// more Via fields (one folded), so "first field" and "first via-parm"
/// differ.
constexpr std::string_view k_request =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;rport, SIP/2.0/UDP "
    "p2.example.com;branch=z2\r\n"
    "Via: SIP/2.0/TCP p3.example.com\r\n ;branch=z9hG4bK3\r\n"
    "v: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
    "Max-Forwards: 70\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Timestamp: 54\r\n"
    "Content-Length: 0\r\n\r\n";

/// The first field as top_via_for_response() writes it for a request from
/// 192.0.2.1:9988 (RFC 3581 §6: received before rport, rport filled).
constexpr std::string_view k_rewritten =
    "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1;received=192.0.2.1;rport=9988, SIP/2.0/UDP "
    "p2.example.com;branch=z2";

/// Parses `wire` from an exact-size copy and hands the message to `check`.
template <class F>
void parse_exact(std::string_view wire, F&& check) {
  test::for_each_exact(wire, [&](std::string_view data) {
    message m;
    const parse_error e = parse_datagram(data, m);
    ASSERT_FALSE(e) << "code " << static_cast<int>(e.code) << " at " << e.offset << " in\n" << wire;
    check(m);
  });
}

std::vector<std::string_view> vias(const message& m) {
  std::vector<std::string_view> out;
  for (const header_field& f : m.headers())
    if (f.id == header_id::via) out.push_back(f.value);
  return out;
}

TEST(response_top_via, replaces_the_first_field_and_copies_the_others) {
  parse_exact(k_request, [](const message& req) {
    // The replacement is viewed during the call only: pass a temporary.
    auto wire =
        build_response(req, response_top_via{std::string{k_rewritten}}, 180, {}, "t1").build();
    ASSERT_TRUE(wire.has_value()) << static_cast<int>(wire.error().code);
    parse_exact(*wire, [&](const message& resp) {
      EXPECT_EQ(vias(resp), (std::vector<std::string_view>{
                                k_rewritten, "SIP/2.0/TCP p3.example.com ;branch=z9hG4bK3",
                                "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds"}));
      auto top = resp.top_via();
      ASSERT_TRUE(top);
      EXPECT_EQ(top->received, "192.0.2.1");
      EXPECT_EQ(top->rport, 9988);
      // The rest of §8.2.6 is as without the option.
      EXPECT_EQ(resp.value(header_id::to), "Bob <sip:bob@biloxi.example.com>;tag=t1");
      EXPECT_EQ(resp.value(header_id::from), req.value(header_id::from));
      EXPECT_EQ(resp.call_id(), req.call_id());
      EXPECT_EQ(resp.value(header_id::cseq), "314159 INVITE");
      EXPECT_EQ(resp.headers()[0].name, "Via");
    });
  });
}

TEST(response_top_via, differs_from_plain_build_response_only_in_the_first_via) {
  parse_exact(k_request, [](const message& req) {
    auto plain = build_response(req, 100).build();
    auto replaced = build_response(req, response_top_via{k_rewritten}, 100).build();
    ASSERT_TRUE(plain.has_value());
    ASSERT_TRUE(replaced.has_value());
    std::string expect = *plain;
    const std::string_view old = req.value(header_id::via);
    expect.replace(expect.find(old), old.size(), k_rewritten);
    EXPECT_EQ(*replaced, expect);
    EXPECT_NE(replaced->find("Timestamp: 54\r\n"), std::string::npos) << "§8.2.6.1 still applies";
  });
}

TEST(response_top_via, appends_to_a_caller_string_and_takes_more_fields) {
  parse_exact(k_request, [](const message& req) {
    std::string out = "previous";
    auto b = build_response(out, req, response_top_via{k_rewritten}, 200, "OK", "t2");
    b.contact({.uri = "sip:bob@192.0.2.4"});
    ASSERT_FALSE(b.finish());
    ASSERT_EQ(out.substr(0, 8), "previous");
    parse_exact(std::string_view{out}.substr(8), [](const message& resp) {
      EXPECT_EQ(resp.status_code(), 200);
      EXPECT_EQ(resp.value(header_id::via), k_rewritten);
      EXPECT_EQ(resp.value(header_id::contact), "<sip:bob@192.0.2.4>");
    });
  });
}

TEST(response_top_via, a_single_via_request_gets_only_the_replacement) {
  const std::string_view req_text =
      "OPTIONS sip:b@example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP [2001:db8::9];branch=z9hG4bKx;rport\r\n"
      "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=f\r\n"
      "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  // RFC 5118 §4.5: received carries the IPv6 address without brackets.
  const std::string_view top =
      "SIP/2.0/UDP [2001:db8::9];branch=z9hG4bKx;received=2001:db8::9;rport=5070";
  parse_exact(req_text, [&](const message& req) {
    auto wire = build_response(req, response_top_via{top}, 200, {}, "t").build();
    ASSERT_TRUE(wire.has_value());
    parse_exact(*wire, [&](const message& resp) {
      EXPECT_EQ(vias(resp), std::vector<std::string_view>{top});
    });
  });
}

TEST(response_top_via, a_folded_replacement_is_written_on_one_line) {
  parse_exact(k_request, [](const message& req) {
    auto wire = build_response(req, response_top_via{"SIP/2.0/UDP h.example\r\n\t;branch=z9hG4bK1"},
                               200, {}, "t")
                    .build();
    ASSERT_TRUE(wire.has_value());
    EXPECT_NE(wire->find("\r\nVia: SIP/2.0/UDP h.example ;branch=z9hG4bK1\r\n"), std::string::npos)
        << *wire;
  });
}

struct bad_case {
  std::string_view value;
  parse_errc code;
  std::size_t offset;
};

TEST(response_top_via, a_replacement_that_is_not_a_via_list_is_refused) {
  const bad_case cases[] = {
      {"", parse_errc::bad_header_value, 0},
      {"SIP/2.0/UDP", parse_errc::bad_header_value, 11},
      {"SIP/2.0/UDP h;branch=z\r\nX-Injected: 1", parse_errc::bad_header_value, 24},
      {"SIP/2.0/UDP h;branch=z, ", parse_errc::bad_header_value, 24},
      {"SIP/2.0/UDP h;rport=99999", parse_errc::bad_param, 20},
      {"SIP/2.0/UDP h;received=host.example", parse_errc::bad_param, 23},
  };
  for (const bad_case& c : cases) {
    test::for_each_exact(c.value, [&](std::string_view value) {
      parse_exact(k_request, [&](const message& req) {
        std::string out = "keep";
        auto b = build_response(out, req, response_top_via{value}, 200, {}, "t");
        b.header("X-After", "ignored");
        const parse_error e = b.finish();
        EXPECT_EQ(e.code, c.code) << c.value;
        EXPECT_EQ(e.offset, c.offset) << c.value;
        EXPECT_EQ(e.header, "Via") << c.value;
        EXPECT_EQ(out, "keep") << "nothing of the message is left";
      });
    });
  }
}

TEST(response_top_via, the_request_checks_come_first) {
  // No Via at all: missing_header (there is no field to replace).
  const std::string_view no_via =
      "OPTIONS sip:b@example.com SIP/2.0\r\n"
      "To: <sip:b@example.com>\r\nFrom: <sip:a@example.com>;tag=f\r\n"
      "Call-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  parse_exact(no_via, [](const message& req) {
    auto b = build_response(req, response_top_via{k_rewritten}, 200, {}, "t");
    EXPECT_EQ(b.error().code, parse_errc::missing_header);
    EXPECT_EQ(b.error().header, "Via");
  });
  parse_exact("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", [](const message& resp) {
    auto b = build_response(resp, response_top_via{""}, 200, {}, "t");
    EXPECT_EQ(b.error().code, parse_errc::bad_request_line);
  });
  // A bad status is found before the Via.
  parse_exact(k_request, [](const message& req) {
    auto b = build_response(req, response_top_via{""}, 99, {}, "t");
    EXPECT_EQ(b.error().code, parse_errc::bad_status_code);
  });
}

}  // namespace
}  // namespace sipua
