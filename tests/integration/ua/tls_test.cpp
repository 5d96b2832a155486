// Calls over TLS between two UserAgents (RFC 3261 §26.2, RFC 5922): bob
// listens on TLS with a certificate from the test CA, alice trusts that CA
// and only connects out. A sips: target and transport=tls both go over
// TLS; a caller that does not trust bob's CA gets no call.
#include <gtest/gtest.h>

#include <string>

#include "support/test_pki.hpp"
#include "ua_test_support.hpp"

#include "sipua/ua/user_agent.hpp"

namespace sipua {
namespace {

using ua_test::audio;
using ua_test::event_log;

struct tls_pair {
  test::test_ca ca = test::make_ca("sipua test CA");
  UserAgent bob{bob_config()};
  UserAgent alice{bob.context(), alice_config(true)};

  UserAgent::Config bob_config() {
    test::leaf_options lo;
    lo.common_name = "bob";
    lo.ips = {"127.0.0.1"};
    const test::test_leaf leaf = test::issue(ca, lo);
    UserAgent::Config c = ua_test::config_for("sip:bob@127.0.0.1");
    c.listen = {{transport_protocol::tls, {ip_address::loopback_v4(), 0}}};
    tls_config t;
    t.certificate_chain_pem = leaf.cert_pem;
    t.private_key_pem = leaf.key_pem;
    c.tls = t;
    return c;
  }
  UserAgent::Config alice_config(bool trusts_bob) {
    UserAgent::Config c = ua_test::config_for("sip:alice@127.0.0.1");
    c.listen = {{transport_protocol::udp, {ip_address::loopback_v4(), 0}}};
    tls_config t;
    if (trusts_bob) t.ca_pem = ca.cert_pem;
    c.tls = t;
    return c;
  }
  [[nodiscard]] std::string bob_address() const {
    for (const auto& l : bob.local_addresses()) {
      if (l.protocol == transport_protocol::tls) return l.address.to_string();
    }
    return {};
  }
};

void call_and_hang_up(tls_pair& p, const std::string& target) {
  event_log log;
  std::vector<std::string> seen;
  p.bob.on_incoming_call([&](IncomingCall& in) {
    seen.push_back(in.request_uri);
    EXPECT_EQ(in.call.set_handlers(ua_test::logging(log, "bob")), std::error_code{});
    EXPECT_EQ(in.call.answer(audio(4002, 2)), std::error_code{});
  });
  ASSERT_EQ(p.bob.start(), std::error_code{});
  ASSERT_EQ(p.alice.start(), std::error_code{});
  Call call;
  CallHandlers h = ua_test::logging(log, "alice");
  h.on_answered = [&](const MediaInfo&) {
    log.add("alice: answered");
    EXPECT_EQ(call.hangup(), std::error_code{});
  };
  auto c = p.alice.call(
      target + p.bob_address() + (target.rfind("sips", 0) == 0 ? "" : ";transport=tls"),
      ua_test::with_audio(), std::move(h));
  ASSERT_TRUE(c) << c.error().message();
  call = *c;
  EXPECT_TRUE(p.bob.run_until([&] { return log.size() >= 4; }, ua_test::timeout));
  EXPECT_EQ(ua_test::of(log.lines(), "alice"),
            (std::vector<std::string>{"alice: answered", "alice: ended local hangup 0"}));
  EXPECT_EQ(ua_test::of(log.lines(), "bob"),
            (std::vector<std::string>{"bob: answered", "bob: ended remote hangup 0"}));
  ASSERT_EQ(seen.size(), 1U);
}

TEST(ua_tls, transport_tls_call_answered_and_hung_up) {
  tls_pair p;
  call_and_hang_up(p, "sip:bob@");
}

TEST(ua_tls, sips_target_goes_over_tls) {
  tls_pair p;
  call_and_hang_up(p, "sips:bob@");
}

TEST(ua_tls, untrusted_server_certificate_ends_the_call) {
  tls_pair p;
  UserAgent mallory_victim{p.bob.context(), p.alice_config(false)};
  bool offered = false;
  p.bob.on_incoming_call([&](IncomingCall&) { offered = true; });
  ASSERT_EQ(p.bob.start(), std::error_code{});
  ASSERT_EQ(mallory_victim.start(), std::error_code{});
  std::optional<CallEnd> end;
  CallHandlers h;
  h.on_ended = [&](const CallEnd& e) { end = e; };
  auto c = mallory_victim.call("sip:bob@" + p.bob_address() + ";transport=tls",
                               ua_test::with_audio(), std::move(h));
  ASSERT_TRUE(c) << c.error().message();
  EXPECT_TRUE(p.bob.run_until([&] { return end.has_value(); }, ua_test::timeout));
  ASSERT_TRUE(end);
  EXPECT_EQ(end->reason, end_reason::transport_error) << to_string(end->reason);
  EXPECT_FALSE(offered);
}

TEST(ua_tls, listening_on_tls_without_a_certificate_fails_to_start) {
  UserAgent::Config c = ua_test::config_for("sip:bob@127.0.0.1");
  c.listen = {{transport_protocol::tls, {ip_address::loopback_v4(), 0}}};
  UserAgent bob{c};
  EXPECT_NE(bob.start(), std::error_code{});
}

}  // namespace
}  // namespace sipua
