// The registration client (RFC 3261 §10.2) in virtual time against a
// scripted registrar: the REGISTER as sent, the refresh point, 423 and
// Min-Expires (§10.2.8), the back-off after failures (RFC 5626 §4.5), the
// Contact moved to the address the registrar saw (RFC 3581), and removal
// (§10.2.2) by unregister() and shutdown().
#include <gtest/gtest.h>

#include "core_harness.hpp"

#include "sipua/dialog/registration.hpp"

namespace sipua::test {
namespace {

constexpr const char* registrar_at = "192.0.2.20:5060";

class core_register : public ::testing::Test {
 protected:
  core_net net;
  ua_node& alice = net.add("alice", "192.0.2.1");

  core_register() { net.add_peer("registrar", "192.0.2.20"); }

  registration_handle start(std::chrono::seconds expires = std::chrono::seconds{3600}) {
    registration_options o;
    o.registrar = "sip:192.0.2.20";
    o.expires = expires;
    auto r = alice.core->register_binding(net.now, o);
    EXPECT_TRUE(r) << r.error().message();
    net.run();
    return r ? *r : registration_handle{};
  }

  /// The REGISTERs the registrar got so far (and forgets them).
  std::vector<message> registers() {
    std::vector<message> out;
    for (const peer_message& p : net.inbox("registrar")) {
      if (p.msg.is_request() && p.msg.method_name() == "REGISTER") out.push_back(p.msg);
    }
    net.inbox("registrar").clear();
    return out;
  }

  /// The last REGISTER, which must exist.
  message last_register() {
    auto all = registers();
    if (all.empty()) {
      ADD_FAILURE() << "no REGISTER";
      return message{};
    }
    return all.back();
  }

  void answer(const message& req, int status, std::string_view phrase,
              const std::vector<std::string>& extra = {}) {
    net.inject(registrar_at, alice, reply(req, status, phrase, "regtag", extra));
  }

  std::string last_event() const {
    return alice.events.empty() ? std::string{"(none)"} : alice.events.back();
  }
};

TEST_F(core_register, register_carries_aor_contact_expires_and_one_call_id) {
  start();
  const message m = last_register();
  EXPECT_EQ(m.request_uri(), "sip:192.0.2.20");
  EXPECT_EQ(values(m, header_id::to), (std::vector<std::string>{"<sip:alice@example.com>"}));
  EXPECT_EQ(values(m, header_id::contact),
            (std::vector<std::string>{"<sip:alice@192.0.2.1:5060>"}));
  EXPECT_EQ(values(m, header_id::expires), (std::vector<std::string>{"3600"}));
  EXPECT_EQ(cseq_of(m), "1 REGISTER");
  EXPECT_FALSE(from_tag(m).empty());
  answer(m, 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=600"});
  EXPECT_EQ(last_event(), "registered 200 expires 600");
}

TEST_F(core_register, refreshes_64_s_before_expiry_with_the_same_call_id) {
  start();
  const message first = last_register();
  answer(first, 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=600"});
  net.advance(std::chrono::seconds{535});
  EXPECT_TRUE(registers().empty()) << "refreshed too early";
  net.advance(std::chrono::seconds{1});
  const message refresh = last_register();
  EXPECT_EQ(refresh.value(header_id::call_id), first.value(header_id::call_id));
  EXPECT_EQ(cseq_of(refresh), "2 REGISTER");
  EXPECT_EQ(from_tag(refresh), from_tag(first));
  answer(refresh, 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=600"});
  EXPECT_EQ(alice.events, (lines{"registered 200 expires 600", "registered 200 expires 600"}));
}

TEST_F(core_register, short_grant_from_the_expires_header_refreshes_halfway) {
  start();
  // No expires parameter on our Contact: the Expires header field counts.
  answer(last_register(), 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>", "Expires: 60"});
  EXPECT_EQ(last_event(), "registered 200 expires 60");
  net.advance(std::chrono::milliseconds{29'999});
  EXPECT_TRUE(registers().empty());
  net.advance(std::chrono::milliseconds{1});
  EXPECT_EQ(registers().size(), 1U);
}

TEST_F(core_register, every_binding_of_the_aor_is_reported) {
  start();
  answer(last_register(), 200, "OK",
         {"Contact: <sip:alice@192.0.2.1:5060>;expires=3600, <sip:alice@198.51.100.4>;expires=90"});
  const auto* e = std::get_if<registration_event>(&alice.raw.back());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->bindings, (std::vector<std::string>{"<sip:alice@192.0.2.1:5060>;expires=3600",
                                                   "<sip:alice@198.51.100.4>;expires=90"}));
  EXPECT_EQ(e->contact, "sip:alice@192.0.2.1:5060");
}

TEST_F(core_register, interval_too_brief_asks_again_with_min_expires) {
  start(std::chrono::seconds{60});
  answer(last_register(), 423, "Interval Too Brief", {"Min-Expires: 1800"});
  const message again = last_register();
  EXPECT_EQ(values(again, header_id::expires), (std::vector<std::string>{"1800"}));
  EXPECT_EQ(cseq_of(again), "2 REGISTER");
  answer(again, 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=1800"});
  EXPECT_EQ(alice.events, (lines{"registered 200 expires 1800"}));
}

TEST_F(core_register, a_423_without_a_larger_min_expires_is_a_failure) {
  start(std::chrono::seconds{600});
  answer(last_register(), 423, "Interval Too Brief", {"Min-Expires: 300"});
  EXPECT_EQ(last_event(), "failed 423");
  EXPECT_TRUE(registers().empty());
}

TEST_F(core_register, failures_back_off_as_rfc_5626_says) {
  start();
  // W = min(1800 s, 30 s · 2^failures), the wait drawn from [W/2, W].
  const std::chrono::milliseconds bounds[] = {std::chrono::seconds{60}, std::chrono::seconds{120},
                                              std::chrono::seconds{240}};
  for (const auto w : bounds) {
    answer(last_register(), 403, "Forbidden");
    const auto* e = std::get_if<registration_event>(&alice.raw.back());
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->state, registration_state::failed);
    ASSERT_TRUE(e->retry_in);
    EXPECT_GE(*e->retry_in, w / 2);
    EXPECT_LE(*e->retry_in, w);
    const auto wait = *e->retry_in;
    net.advance(wait - std::chrono::milliseconds{1});
    EXPECT_TRUE(registers().empty()) << "retried before the back-off";
    net.advance(std::chrono::milliseconds{1});
    // The next attempt is left in the inbox for the next round.
    EXPECT_EQ(net.inbox("registrar").size(), 1U);
  }
  // A success resets the count: the next failure waits 30–60 s again.
  answer(last_register(), 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=600"});
  net.advance(std::chrono::seconds{536});
  answer(last_register(), 500, "Server Internal Error");
  const auto* e = std::get_if<registration_event>(&alice.raw.back());
  ASSERT_NE(e, nullptr);
  ASSERT_TRUE(e->retry_in);
  EXPECT_LE(*e->retry_in, std::chrono::seconds{60});
}

TEST_F(core_register, no_answer_is_a_408_failure_after_64_t1) {
  start();
  net.advance(std::chrono::milliseconds{31'999});
  EXPECT_EQ(alice.events, lines{});
  net.advance(std::chrono::milliseconds{1});
  EXPECT_EQ(last_event(), "failed 408");
}

TEST_F(core_register, retry_after_of_a_503_is_honoured) {
  start();
  answer(last_register(), 503, "Service Unavailable", {"Retry-After: 900"});
  const auto* e = std::get_if<registration_event>(&alice.raw.back());
  ASSERT_NE(e, nullptr);
  ASSERT_TRUE(e->retry_in);
  EXPECT_EQ(*e->retry_in, std::chrono::seconds{900});
  net.advance(std::chrono::seconds{899});
  EXPECT_TRUE(registers().empty());
  net.advance(std::chrono::seconds{1});
  EXPECT_EQ(registers().size(), 1U);
}

TEST_F(core_register, contact_follows_the_address_the_registrar_saw) {
  start();
  const message first = last_register();
  // The registrar saw us at 203.0.113.7:40000 (a NAT): RFC 3581 received/rport.
  std::string text =
      reply(first, 200, "OK", "regtag", {"Contact: <sip:alice@192.0.2.1:5060>;expires=3600"});
  const std::size_t rport = text.find(";rport");
  ASSERT_NE(rport, std::string::npos) << "our Via asks for rport";
  text.replace(rport, 6, ";received=203.0.113.7;rport=40000");
  net.inject(registrar_at, alice, text);
  EXPECT_EQ(alice.events, lines{}) << "not registered until the new Contact is";
  const message moved = last_register();
  EXPECT_EQ(values(moved, header_id::contact),
            (std::vector<std::string>{"<sip:alice@203.0.113.7:40000>",
                                      "<sip:alice@192.0.2.1:5060>;expires=0"}));
  EXPECT_EQ(moved.value(header_id::call_id), first.value(header_id::call_id));
  std::string ok =
      reply(moved, 200, "OK", "regtag", {"Contact: <sip:alice@203.0.113.7:40000>;expires=3600"});
  ok.replace(ok.find(";rport"), 6, ";received=203.0.113.7;rport=40000");
  net.inject(registrar_at, alice, ok);
  EXPECT_EQ(alice.events, (lines{"registered 200 expires 3600"}));
  const auto* e = std::get_if<registration_event>(&alice.raw.back());
  ASSERT_NE(e, nullptr);
  EXPECT_EQ(e->contact, "sip:alice@203.0.113.7:40000");
  // The refresh keeps the learned Contact and drops the old one.
  net.advance(std::chrono::seconds{3536});
  EXPECT_EQ(values(last_register(), header_id::contact),
            (std::vector<std::string>{"<sip:alice@203.0.113.7:40000>"}));
}

TEST_F(core_register, over_tcp_the_connections_source_port_is_not_registered) {
  registration_options o;
  o.registrar = "sip:192.0.2.20;transport=tcp";
  ASSERT_TRUE(alice.core->register_binding(net.now, o));
  net.run();
  const message first = last_register();
  EXPECT_EQ(values(first, header_id::contact),
            (std::vector<std::string>{"<sip:alice@192.0.2.1:5060;transport=tcp>"}));
  // The registrar saw the connection's ephemeral port: nothing listens there.
  std::string text = reply(first, 200, "OK", "regtag",
                           {"Contact: <sip:alice@192.0.2.1:5060;transport=tcp>;expires=3600"});
  const std::size_t rport = text.find(";rport");
  ASSERT_NE(rport, std::string::npos);
  text.replace(rport, 6, ";received=192.0.2.1;rport=53124");
  net.inject(registrar_at, alice, text, tp::tcp);
  EXPECT_EQ(alice.events, (lines{"registered 200 expires 3600"}));
  EXPECT_TRUE(registers().empty()) << "no second REGISTER with the ephemeral port";
}

TEST_F(core_register, unregister_sends_expires_zero_and_ends_the_registration) {
  const registration_handle h = start();
  const message first = last_register();
  answer(first, 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=3600"});
  EXPECT_EQ(alice.core->unregister(net.now, h), std::error_code{});
  net.run();
  const message bye = last_register();
  EXPECT_EQ(values(bye, header_id::expires), (std::vector<std::string>{"0"}));
  EXPECT_EQ(bye.value(header_id::call_id), first.value(header_id::call_id));
  EXPECT_EQ(cseq_of(bye), "2 REGISTER");
  answer(bye, 200, "OK");
  EXPECT_EQ(last_event(), "unregistered 200");
  EXPECT_EQ(alice.core->registrations(), 0U);
  EXPECT_EQ(alice.core->unregister(net.now, h), make_error_code(core_errc::unknown_registration));
  net.advance(std::chrono::hours{3});
  EXPECT_TRUE(registers().empty()) << "nothing refreshes a removed registration";
}

TEST_F(core_register, unregister_while_a_register_is_in_flight_waits_for_it) {
  const registration_handle h = start();
  const message first = last_register();
  EXPECT_EQ(alice.core->unregister(net.now, h), std::error_code{});
  net.run();
  EXPECT_TRUE(registers().empty()) << "one REGISTER at a time (§10.2: CSeq order)";
  answer(first, 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=3600"});
  const message removal = last_register();
  EXPECT_EQ(values(removal, header_id::expires), (std::vector<std::string>{"0"}));
  answer(removal, 200, "OK");
  EXPECT_EQ(alice.events, (lines{"unregistered 200"}));
}

TEST_F(core_register, a_registration_that_never_bound_ends_without_a_removal) {
  const registration_handle h = start();
  answer(last_register(), 403, "Forbidden");
  EXPECT_EQ(last_event(), "failed 403");
  EXPECT_EQ(alice.core->unregister(net.now, h), std::error_code{});
  net.run();
  EXPECT_TRUE(registers().empty()) << "nothing bound: nothing to remove";
  EXPECT_EQ(last_event(), "unregistered 0");
  EXPECT_EQ(alice.core->registrations(), 0U);
  // Asked while the first REGISTER is out and refused: no removal either.
  const registration_handle h2 = start();
  EXPECT_EQ(alice.core->unregister(net.now, h2), std::error_code{});
  answer(last_register(), 403, "Forbidden");
  EXPECT_TRUE(registers().empty());
  EXPECT_EQ(last_event(), "unregistered 403");
  EXPECT_EQ(alice.core->registrations(), 0U);
}

TEST_F(core_register, shutdown_removes_every_binding) {
  start();
  answer(last_register(), 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=3600"});
  registration_options o;
  o.registrar = "sip:192.0.2.20";
  o.aor = "sip:alice-work@example.com";
  ASSERT_TRUE(alice.core->register_binding(net.now, o));
  net.run();
  answer(last_register(), 200, "OK", {"Contact: <sip:alice@192.0.2.1:5060>;expires=3600"});
  EXPECT_EQ(alice.core->registrations(), 2U);
  alice.core->shutdown(net.now);
  net.run();
  const auto removals = registers();
  ASSERT_EQ(removals.size(), 2U);
  for (const message& m : removals) {
    EXPECT_EQ(values(m, header_id::expires), (std::vector<std::string>{"0"}));
  }
  EXPECT_EQ(values(removals[1], header_id::to),
            (std::vector<std::string>{"<sip:alice-work@example.com>"}));
  // Unanswered removals end too (408 after 64·T1): nothing is left.
  net.advance(std::chrono::seconds{32});
  EXPECT_EQ(alice.core->registrations(), 0U);
  EXPECT_FALSE(alice.core->register_binding(net.now, o));
}

TEST_F(core_register, bad_registrar_is_refused_at_once) {
  registration_options o;
  o.registrar = "mailto:alice@example.com";
  EXPECT_EQ(alice.core->register_binding(net.now, o).error(),
            make_error_code(core_errc::bad_target));
}

TEST(registration_timing, refresh_point) {
  using std::chrono::seconds;
  EXPECT_EQ(refresh_after(seconds{3600}), seconds{3536});
  EXPECT_EQ(refresh_after(seconds{129}), seconds{65});
  EXPECT_EQ(refresh_after(seconds{128}), seconds{64});
  EXPECT_EQ(refresh_after(seconds{60}), seconds{30});
  EXPECT_EQ(refresh_after(seconds{1}), seconds{1});
  EXPECT_EQ(refresh_after(seconds{0}), seconds{1});
}

TEST(registration_timing, back_off_bounds) {
  using std::chrono::milliseconds;
  using std::chrono::seconds;
  EXPECT_EQ(retry_after_failures(1, 0), seconds{30});
  EXPECT_EQ(retry_after_failures(1, 30'000), seconds{60});
  EXPECT_EQ(retry_after_failures(3, 0), seconds{120});
  EXPECT_EQ(retry_after_failures(3, 120'000), seconds{240});
  EXPECT_EQ(retry_after_failures(6, 900'000), seconds{1800});  // W = min(1800, 1920)
  EXPECT_EQ(retry_after_failures(60, 0), seconds{900});
  for (std::uint64_t r = 0; r < 1000; r += 7) {
    const milliseconds w = retry_after_failures(2, r * 0x9e3779b97f4a7c15ULL);
    EXPECT_GE(w, seconds{60});
    EXPECT_LE(w, seconds{120});
  }
}

}  // namespace
}  // namespace sipua::test
