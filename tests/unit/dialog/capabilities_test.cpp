#include "sipua/dialog/capabilities.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/message.hpp"
#include "sipua/message/validate.hpp"

namespace sipua {
namespace {

// A request as it arrives: method, Request-URI, extra header lines (each
// ending in CRLF) and body.
std::string request_text(const std::string& method, const std::string& extra,
                         const std::string& body = {},
                         const std::string& ruri = "sip:bob@biloxi.example.com") {
  std::string s = method + " " + ruri + " SIP/2.0\r\n";
  s += "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n";
  s += "Max-Forwards: 70\r\n";
  s += "To: Bob <sip:bob@biloxi.example.com>\r\n";
  s += "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n";
  s += "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n";
  s += "CSeq: 314159 " + method + "\r\n";
  s += extra;
  s += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n" + body;
  return s;
}

// The §8.2.6 fields every response below starts with (To tag "a6c85cf").
std::string copied_fields(const std::string& method) {
  return "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
         "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
         "To: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 " +
         method + "\r\n";
}

// Parses `text` from an exact-size buffer, runs the real uas_check with
// policy_for(caps, method) and returns build_rejection's text.
std::string reject(const std::string& text, const ua_capabilities& caps, int expected_status) {
  std::string out;
  test::for_each_exact(text, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    ASSERT_FALSE(validate_syntax(m));
    const uas_verdict v = uas_check(m, policy_for(caps, m.method_name()));
    ASSERT_EQ(v.action, verdict_action::respond) << v.rule;
    ASSERT_EQ(v.status, expected_status) << v.rule;
    auto r = build_rejection(m, v, caps, "a6c85cf");
    ASSERT_TRUE(r) << static_cast<int>(r.error().code);
    out = *r;
  });
  return out;
}

TEST(HeaderList, JoinsWithCommaSpace) {
  EXPECT_EQ(header_list({"INVITE", "ACK", "BYE"}), "INVITE, ACK, BYE");
  EXPECT_EQ(header_list({"timer"}), "timer");
  EXPECT_EQ(header_list({}), "");
}

TEST(PolicyFor, MapsEveryField) {
  ua_capabilities caps;
  caps.methods = {"INVITE", "ACK", "MESSAGE"};
  caps.option_tags = {"100rel", "timer"};
  caps.accept = {"application/sdp", "multipart/mixed"};
  caps.message_types = {"text/plain", "message/cpim"};
  caps.info_types = {"application/dtmf-relay"};
  caps.accept_encodings = {"gzip"};
  caps.uri_schemes = {"sip"};

  const uas_policy invite = policy_for(caps, "INVITE");
  EXPECT_EQ(invite.role, uas_role::endpoint);
  EXPECT_EQ(invite.allowed_methods, (std::vector<std::string>{"INVITE", "ACK", "MESSAGE"}));
  EXPECT_EQ(invite.supported_option_tags, (std::vector<std::string>{"100rel", "timer"}));
  EXPECT_EQ(invite.uri_schemes, (std::vector<std::string>{"sip"}));
  EXPECT_EQ(invite.accepted_body_types,
            (std::vector<std::string>{"application/sdp", "multipart/mixed"}));
  EXPECT_EQ(invite.accepted_encodings, (std::vector<std::string>{"gzip"}));
  EXPECT_EQ(invite.response_body_types,
            (std::vector<std::string>{"application/sdp", "multipart/mixed"}));

  EXPECT_EQ(policy_for(caps, "MESSAGE").accepted_body_types,
            (std::vector<std::string>{"text/plain", "message/cpim"}));
  EXPECT_EQ(policy_for(caps, "INFO").accepted_body_types,
            (std::vector<std::string>{"application/dtmf-relay"}));
  // Methods are case-sensitive (RFC 3261 §7.1): "message" is not MESSAGE.
  EXPECT_EQ(policy_for(caps, "message").accepted_body_types, caps.accept);
  EXPECT_EQ(policy_for(caps, "BYE").accepted_body_types, caps.accept);
}

TEST(PolicyFor, DefaultsAcceptTextForMessageAndSdpForInvite) {
  const ua_capabilities caps;
  const std::string text = "hello";
  // A MESSAGE with text/plain passes; the same body in an INVITE gets 415.
  test::for_each_exact(request_text("MESSAGE", "Content-Type: text/plain\r\n", text),
                       [&](std::string_view b) {
                         message m;
                         ASSERT_FALSE(parse_datagram(b, m));
                         const uas_verdict v = uas_check(m, policy_for(caps, m.method_name()));
                         EXPECT_TRUE(v.accepted()) << v.rule;
                       });
  const std::string wire =
      reject(request_text("INVITE", "Content-Type: text/plain\r\n", text), caps, 415);
  EXPECT_EQ(wire, "SIP/2.0 415 Unsupported Media Type\r\n" + copied_fields("INVITE") +
                      "Accept: application/sdp\r\n"
                      "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, MethodNotAllowedCarriesAllow) {
  ua_capabilities caps;
  caps.methods = {"INVITE", "ACK", "BYE", "CANCEL", "OPTIONS"};
  // SUBSCRIBE is an RFC method sipua knows, not in the list: 405 (§8.2.1).
  const std::string wire = reject(request_text("SUBSCRIBE", "Event: presence\r\n"), caps, 405);
  EXPECT_EQ(wire, "SIP/2.0 405 Method Not Allowed\r\n" + copied_fields("SUBSCRIBE") +
                      "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS\r\n"
                      "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, UnknownMethodIs501WithoutAllow) {
  const ua_capabilities caps;
  const std::string wire = reject(request_text("FOOBAR", ""), caps, 501);
  EXPECT_EQ(wire, "SIP/2.0 501 Not Implemented\r\n" + copied_fields("FOOBAR") +
                      "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, BadExtensionListsExactlyTheUnknownTagsInOrder) {
  ua_capabilities caps;
  caps.option_tags = {"timer", "100rel"};
  const std::string wire = reject(
      request_text("INVITE", "Require: foo, 100rel\r\nRequire: timer, bar, FOO\r\n"), caps, 420);
  // "FOO" is "foo" (option tags compare case-insensitively): listed once.
  EXPECT_EQ(wire, "SIP/2.0 420 Bad Extension\r\n" + copied_fields("INVITE") +
                      "Unsupported: foo, bar\r\n"
                      "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, UnsupportedMediaForMessageListsMessageTypes) {
  ua_capabilities caps;
  caps.message_types = {"text/plain", "message/cpim"};
  caps.user_agent = "sipua/0.1";
  const std::string wire = reject(
      request_text("MESSAGE", "Content-Type: application/octet-stream\r\n", "xx"), caps, 415);
  EXPECT_EQ(wire, "SIP/2.0 415 Unsupported Media Type\r\n" + copied_fields("MESSAGE") +
                      "Accept: text/plain, message/cpim\r\n"
                      "Server: sipua/0.1\r\n"
                      "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, UnsupportedEncodingCarriesAcceptEncoding) {
  const ua_capabilities caps;
  const std::string sdp = "v=0\r\n";
  const std::string extra = "Content-Type: application/sdp\r\nContent-Encoding: gzip\r\n";
  // No coding configured: identity is the only one understood (§20.2).
  EXPECT_EQ(reject(request_text("INVITE", extra, sdp), caps, 415),
            "SIP/2.0 415 Unsupported Media Type\r\n" + copied_fields("INVITE") +
                "Accept: application/sdp\r\n"
                "Accept-Encoding: identity\r\n"
                "Content-Length: 0\r\n\r\n");
  ua_capabilities deflate = caps;
  deflate.accept_encodings = {"deflate"};
  EXPECT_EQ(reject(request_text("INVITE", extra, sdp), deflate, 415),
            "SIP/2.0 415 Unsupported Media Type\r\n" + copied_fields("INVITE") +
                "Accept: application/sdp\r\n"
                "Accept-Encoding: deflate\r\n"
                "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, UnsupportedSchemeIsPlain416) {
  const ua_capabilities caps;
  const std::string wire = reject(request_text("OPTIONS", "", {}, "tel:+15551234567"), caps, 416);
  EXPECT_EQ(wire, "SIP/2.0 416 Unsupported URI Scheme\r\n" + copied_fields("OPTIONS") +
                      "Content-Length: 0\r\n\r\n");
}

TEST(BuildRejection, ErrorsForAVerdictThatIsNotAResponse) {
  const ua_capabilities caps;
  const std::string text = request_text("OPTIONS", "");
  test::for_each_exact(text, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    const uas_verdict accepted;  // status 0
    auto r = build_rejection(m, accepted, caps, "a6c85cf");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().code, parse_errc::bad_status_code);
    uas_verdict v;
    v.action = verdict_action::respond;
    v.status = 501;
    auto no_tag = build_rejection(m, v, caps, "");  // a tag is needed
    ASSERT_FALSE(no_tag);
    EXPECT_EQ(no_tag.error().code, parse_errc::bad_param);
    ua_capabilities broken;
    broken.user_agent = "x\r\nEvil: 1";
    auto bad = build_rejection(m, v, broken, "a6c85cf");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, parse_errc::bad_header_value);
  });
}

TEST(BuildOptionsAnswer, ListsCapabilities) {
  ua_capabilities caps;
  caps.option_tags = {"100rel", "timer"};
  caps.info_types = {"application/dtmf-relay", "TEXT/PLAIN"};
  caps.accept_encodings = {"gzip"};
  caps.accept_languages = {"en", "fr"};
  caps.user_agent = "sipua/0.1";
  const std::string text = request_text("OPTIONS", "Accept: application/sdp\r\n");
  test::for_each_exact(text, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    ASSERT_TRUE(uas_check(m, policy_for(caps, m.method_name())).accepted());
    auto r = build_options_answer(m, caps, "a6c85cf", "sip:bob@192.0.2.4:5060");
    ASSERT_TRUE(r) << static_cast<int>(r.error().code);
    // TEXT/PLAIN is text/plain (RFC 2045 §5.1): listed once.
    EXPECT_EQ(*r, "SIP/2.0 200 OK\r\n" + copied_fields("OPTIONS") +
                      "Contact: <sip:bob@192.0.2.4:5060>\r\n"
                      "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO\r\n"
                      "Accept: application/sdp, text/plain, application/dtmf-relay\r\n"
                      "Accept-Encoding: gzip\r\n"
                      "Accept-Language: en, fr\r\n"
                      "Supported: 100rel, timer\r\n"
                      "Server: sipua/0.1\r\n"
                      "Content-Length: 0\r\n\r\n");
  });
}

TEST(BuildOptionsAnswer, DefaultsLeaveOutEmptyLists) {
  const ua_capabilities caps;
  const std::string text = request_text("OPTIONS", "");
  test::for_each_exact(text, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    auto r = build_options_answer(m, caps, "a6c85cf", "");
    ASSERT_TRUE(r) << static_cast<int>(r.error().code);
    EXPECT_EQ(*r, "SIP/2.0 200 OK\r\n" + copied_fields("OPTIONS") +
                      "Allow: INVITE, ACK, BYE, CANCEL, OPTIONS, MESSAGE, INFO\r\n"
                      "Accept: application/sdp, text/plain\r\n"
                      "Content-Length: 0\r\n\r\n");
    auto bad = build_options_answer(m, caps, "a6c85cf", "not a uri");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().code, parse_errc::bad_uri);
  });
}

}  // namespace
}  // namespace sipua
