#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/message.hpp"
#include "sipua/message/validate.hpp"

namespace sipua {
namespace {

struct request_spec {
  std::string method = "INVITE";
  std::string ruri = "sip:bob@example.com";
  std::string version = "SIP/2.0";
  std::string cseq_method{};  // empty: the method
  std::string headers{};      // extra header lines, each ending in CRLF
  std::string body{};
  bool with_max_forwards = true;
};

std::string build(const request_spec& r) {
  std::string s = r.method + " " + r.ruri + " " + r.version + "\r\n";
  s += "Via: SIP/2.0/UDP pc33.example.com;branch=z9hG4bK776asdhds\r\n";
  if (r.with_max_forwards) s += "Max-Forwards: 70\r\n";
  s += "To: <sip:bob@example.com>\r\nFrom: <sip:alice@example.com>;tag=1\r\nCall-ID: "
       "a84b4c76e66710@pc33\r\n";
  s += "CSeq: 1 " + (r.cseq_method.empty() ? r.method : r.cseq_method) + "\r\n";
  s += r.headers;
  s += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  return s;
}

uas_policy role(uas_role r) {
  uas_policy p;
  p.role = r;
  return p;
}

// Parses and validates `text` from an exact-size buffer, then runs
// receive_check with `policy` and hands the verdict to `check`.
template <class F>
void verdict(const std::string& text, const uas_policy& policy, F&& check) {
  test::for_each_exact(text, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    ASSERT_FALSE(validate_syntax(m));
    check(receive_check(m, policy));
  });
}

void expect_status(const std::string& text, const uas_policy& policy, int status,
                   std::string_view header = {}) {
  verdict(text, policy, [&](const uas_verdict& v) {
    EXPECT_EQ(v.action, verdict_action::respond) << v.rule;
    EXPECT_EQ(v.status, status) << v.rule;
    EXPECT_FALSE(v.reason.empty());
    EXPECT_NE(v.rule.find("§"), std::string_view::npos) << v.rule;
    EXPECT_EQ(v.header, header);
  });
}

void expect_accept(const std::string& text, const uas_policy& policy) {
  verdict(text, policy, [](const uas_verdict& v) {
    EXPECT_TRUE(v.accepted()) << v.status << " " << v.rule;
    EXPECT_EQ(v.status, 0);
  });
}

void expect_drop(const std::string& text, const uas_policy& policy) {
  verdict(text, policy, [](const uas_verdict& v) {
    EXPECT_EQ(v.action, verdict_action::drop);
    EXPECT_EQ(v.status, 0);
  });
}

const uas_policy endpoint = role(uas_role::endpoint);
const uas_policy proxy = role(uas_role::proxy);

TEST(uas_check, accepts_a_plain_invite_with_sdp) {
  expect_accept(build({.headers = "Content-Type: application/sdp\r\n", .body = "v=0\r\n"}),
                endpoint);
}

TEST(uas_check, version_other_than_2_0_is_505_first) {
  // Checked before anything else: the rest of the message may mean
  // something else in another version.
  expect_status(build({.method = "FOO", .version = "SIP/7.0", .cseq_method = "BAR"}), endpoint,
                505);
  expect_status(build({.version = "SIP/2.1"}), proxy, 505);
  expect_accept(build({.version = "sip/2.0"}), endpoint);  // "SIP" is case-insensitive
}

TEST(uas_check, mandatory_fields_missing_or_repeated_are_400) {
  std::string no_call_id = build({});
  no_call_id.erase(no_call_id.find("Call-ID"),
                   no_call_id.find("CSeq") - no_call_id.find("Call-ID"));
  expect_status(no_call_id, endpoint, 400, "Call-ID");
  expect_status(build({.headers = "t: <sip:carol@example.com>\r\n"}), endpoint, 400, "t");
  expect_status(build({.headers = "Max-Forwards: 69\r\n"}), proxy, 400, "Max-Forwards");
  // RFC 2543 requests have no Max-Forwards (RFC 4475 §3.4.1).
  expect_accept(build({.with_max_forwards = false}), endpoint);
  expect_accept(build({.with_max_forwards = false}), proxy);
}

TEST(uas_check, method_not_allowed_is_405_unknown_is_501) {
  expect_status(build({.method = "REGISTER"}), endpoint, 405);
  expect_status(build({.method = "SUBSCRIBE"}), endpoint, 405);
  expect_status(build({.method = "FOO"}), endpoint, 501);
  expect_status(build({.method = "invite"}), endpoint, 501);  // methods are case-sensitive
  uas_policy p = endpoint;
  p.allowed_methods.push_back("FOO");
  expect_accept(build({.method = "FOO"}), p);
  // A proxy forwards any method (§16.3 step 1).
  expect_accept(build({.method = "FOO"}), proxy);
  expect_accept(build({.method = "REGISTER"}), proxy);
}

TEST(uas_check, cseq_method_mismatch) {
  expect_status(build({.method = "OPTIONS", .cseq_method = "INVITE"}), endpoint, 400, "CSeq");
  expect_status(build({.method = "OPTIONS", .cseq_method = "INVITE"}), proxy, 400, "CSeq");
  // RFC 4475 §3.1.2.18: unknown method and mismatch: 501 (at an endpoint
  // the method check already says so).
  expect_status(build({.method = "NEWMETHOD", .cseq_method = "INVITE"}), endpoint, 501);
  expect_status(build({.method = "NEWMETHOD", .cseq_method = "INVITE"}), proxy, 501, "CSeq");
  expect_accept(build({.method = "ACK"}), endpoint);
  expect_accept(build({.method = "CANCEL"}), endpoint);
}

TEST(uas_check, unsupported_request_uri_scheme_is_416) {
  expect_status(build({.ruri = "tel:+1-201-555-0123"}), endpoint, 416);
  expect_status(build({.ruri = "soap.beep://192.0.2.103:3002"}), proxy, 416);
  expect_accept(build({.ruri = "SIPS:bob@example.com"}), endpoint);  // schemes are case-insensitive
  uas_policy p = endpoint;
  p.uri_schemes.push_back("tel");
  expect_accept(build({.ruri = "tel:+1-201-555-0123"}), p);
}

TEST(uas_check, max_forwards_zero_is_483_only_at_a_proxy) {
  std::string zero = build({.method = "OPTIONS"});
  zero.replace(zero.find("Max-Forwards: 70"), 16, "Max-Forwards: 0");
  expect_status(zero, proxy, 483, "Max-Forwards");
  expect_accept(zero, endpoint);
  std::string one = zero;
  one.replace(one.find("Max-Forwards: 0"), 15, "Max-Forwards: 1");
  expect_accept(one, proxy);
}

TEST(uas_check, require_lists_each_unsupported_tag_once_in_order) {
  uas_policy p = endpoint;
  p.supported_option_tags = {"100rel"};
  const std::string text =
      build({.headers = "Require: foo, 100REL\r\nProxy-Require: bar\r\nRequire: baz, FOO\r\n"});
  verdict(text, p, [](const uas_verdict& v) {
    EXPECT_EQ(v.status, 420);
    EXPECT_EQ(v.header, "Require");
    EXPECT_EQ(v.unsupported, (std::vector<std::string_view>{"foo", "baz"}));
  });
  verdict(text, proxy, [](const uas_verdict& v) {
    EXPECT_EQ(v.status, 420);
    EXPECT_EQ(v.header, "Proxy-Require");
    EXPECT_EQ(v.unsupported, (std::vector<std::string_view>{"bar"}));
  });
  // §8.2.2.3: Require is ignored in ACK and CANCEL.
  expect_accept(build({.method = "ACK", .headers = "Require: foo\r\n"}), endpoint);
  expect_accept(build({.method = "CANCEL", .headers = "Require: foo\r\n"}), endpoint);
  expect_accept(build({.headers = "Require: 100rel\r\n"}), p);
}

TEST(uas_check, registrar_wants_a_sip_address_of_record) {
  uas_policy registrar = role(uas_role::registrar);
  registrar.allowed_methods = {"REGISTER"};
  std::string tel_to = build({.method = "REGISTER"});
  tel_to.replace(tel_to.find("To: <sip:bob@example.com>"), 25, "To: <tel:+1-201-555-0123>");
  expect_status(tel_to, registrar, 400, "To");
  expect_accept(build({.method = "REGISTER"}), registrar);
  uas_policy ua = endpoint;
  ua.allowed_methods.push_back("REGISTER");
  expect_accept(tel_to, ua);  // only a registrar cares
}

TEST(uas_check, registrar_wants_contact_star_alone_with_expires_0) {
  // §10.3 step 6.
  uas_policy registrar = role(uas_role::registrar);
  registrar.allowed_methods = {"REGISTER"};
  expect_accept(build({.method = "REGISTER", .headers = "Contact: *\r\nExpires: 0\r\n"}),
                registrar);
  expect_status(build({.method = "REGISTER", .headers = "Contact: *\r\nExpires: 60\r\n"}),
                registrar, 400, "Contact");
  expect_status(build({.method = "REGISTER", .headers = "m: *\r\n"}), registrar, 400, "m");
  expect_accept(build({.method = "REGISTER", .headers = "Contact: <sip:a@h>;expires=0\r\n"}),
                registrar);
  // A non-SIP binding is a binding (§10.2.1).
  expect_accept(build({.method = "REGISTER", .headers = "Contact: <mailto:a@example.com>\r\n"}),
                registrar);
}

TEST(uas_check, body_type_and_encoding) {
  expect_status(build({.body = "v=0\r\n"}), endpoint, 400, "Content-Type");
  expect_status(build({.headers = "c: text/plain\r\n", .body = "hi"}), endpoint, 415, "c");
  expect_accept(build({.headers = "c: text/plain\r\n", .body = "hi"}), proxy);
  expect_accept(build({.headers = "c: text/plain\r\n"}),
                endpoint);  // no body, nothing to understand
  expect_accept(
      build({.headers =
                 "Content-Type: text/plain\r\nContent-Disposition: render;handling=optional\r\n",
             .body = "hi"}),
      endpoint);
  expect_status(
      build({.headers =
                 "Content-Type: text/plain\r\nContent-Disposition: render;handling=required\r\n",
             .body = "hi"}),
      endpoint, 415, "Content-Type");
  const std::string gzip =
      build({.headers = "Content-Type: APPLICATION/SDP\r\ne: gzip\r\n", .body = "x"});
  expect_status(gzip, endpoint, 415, "e");
  uas_policy p = endpoint;
  p.accepted_encodings = {"gzip"};
  expect_accept(gzip, p);
  expect_accept(build({.headers = "Content-Type: application/sdp\r\nContent-Encoding: identity\r\n",
                       .body = "x"}),
                endpoint);
}

TEST(uas_check, accept_must_admit_the_response_body_type) {
  expect_status(build({.headers = "Accept: text/nobodyKnowsThis\r\n"}), endpoint, 406, "Accept");
  expect_status(build({.headers = "Accept:\r\n"}), endpoint, 406,
                "Accept");  // nothing acceptable (§20.1)
  expect_status(build({.headers = "Accept: */*;q=0\r\n"}), endpoint, 406, "Accept");
  expect_accept(build({.headers = "Accept: text/plain\r\nAccept: application/*;q=0.1\r\n"}),
                endpoint);
  expect_accept(build({.headers = "Accept: */*\r\n"}), endpoint);
  expect_accept(build({}), endpoint);  // no Accept: application/sdp
  expect_accept(build({.headers = "Accept: text/plain\r\n"}), proxy);
  uas_policy no_body = endpoint;
  no_body.response_body_types.clear();
  expect_accept(build({.headers = "Accept: text/plain\r\n"}), no_body);
  // Only requests whose response carries a session description.
  expect_accept(build({.method = "OPTIONS", .headers = "Accept: text/plain\r\n"}), endpoint);
  uas_policy update = endpoint;
  update.allowed_methods.push_back("UPDATE");
  expect_accept(build({.method = "UPDATE", .headers = "Accept: text/plain\r\n"}), update);
  expect_status(build({.method = "UPDATE",
                       .headers = "Accept: text/plain\r\nContent-Type: application/sdp\r\n",
                       .body = "v=0\r\n"}),
                update, 406, "Accept");
}

TEST(uas_check, checks_run_in_rfc_3261_section_8_2_order) {
  // Method (§8.2.1) before Request-URI scheme (§8.2.2.1) before Require
  // (§8.2.2.3) before content (§8.2.3).
  const std::string all = build({.method = "REGISTER",
                                 .ruri = "tel:+1",
                                 .headers = "Require: x\r\nc: text/x\r\n",
                                 .body = "b"});
  expect_status(all, endpoint, 405);
  uas_policy p = endpoint;
  p.allowed_methods.push_back("REGISTER");
  expect_status(all, p, 416);
  p.uri_schemes.push_back("tel");
  expect_status(all, p, 420, "Require");
  p.supported_option_tags.push_back("x");
  expect_status(all, p, 415, "c");
}

std::string response(std::string_view vias, std::string_view version = "SIP/2.0") {
  std::string s{version};
  s += " 200 OK\r\n";
  s += vias;
  s += "To: <sip:bob@example.com>;tag=2\r\nFrom: <sip:alice@example.com>;tag=1\r\nCall-ID: c@h\r\n"
       "CSeq: 1 INVITE\r\nContent-Length: 0\r\n\r\n";
  return s;
}

TEST(uac_check, one_via_is_accepted_more_are_dropped_at_an_endpoint) {
  const std::string one = response("Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n");
  expect_accept(one, endpoint);
  const std::string two = response(
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1, SIP/2.0/UDP "
      "b.example.com;branch=z9hG4bK2\r\n");
  expect_drop(two, endpoint);  // §8.1.3.3
  expect_accept(two, proxy);
}

TEST(uac_check, broadcast_sent_by_is_dropped_in_every_role) {
  const std::string bcast = response(
      "Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP "
      "255.255.255.255;branch=z9hG4bK2\r\n");
  expect_drop(bcast, proxy);
  expect_drop(bcast, endpoint);
  verdict(bcast, proxy,
          [](const uas_verdict& v) { EXPECT_NE(v.rule.find("4475"), std::string_view::npos); });
}

TEST(uac_check, bad_version_or_missing_fields_are_dropped) {
  expect_drop(response("Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n", "SIP/3.0"), endpoint);
  expect_drop(response(""), endpoint);  // no Via
  std::string twice = response("Via: SIP/2.0/UDP a.example.com;branch=z9hG4bK1\r\n");
  twice.insert(twice.find("Content-Length"), "Call-ID: d@h\r\n");
  expect_drop(twice, proxy);
}

TEST(uac_check, uas_check_hands_a_response_over) {
  const std::string two =
      response("Via: SIP/2.0/UDP a;branch=z9hG4bK1\r\nVia: SIP/2.0/UDP b;branch=z9hG4bK2\r\n");
  test::for_each_exact(two, [](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    EXPECT_EQ(uas_check(m, uas_policy{}).action, verdict_action::drop);
    EXPECT_EQ(uac_check(m, uas_policy{}).action, verdict_action::drop);
  });
}

}  // namespace
}  // namespace sipua
