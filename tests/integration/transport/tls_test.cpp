// TLS transport over real sockets on 127.0.0.1 and ::1: round trips and
// bursts, the server's certificate judged (trusted, untrusted, expired, not
// yet valid, wrong name, numeric targets), SNI, names kept across
// reconnects, and connection reuse by name.
#include <gtest/gtest.h>

#include <string>

#include "tls_support.hpp"

namespace sipua::test {
namespace {

using tls_transport_test = tls_pair;

TEST_P(tls_transport_test, RequestOutResponseBackWithSniAndSessionInfo) {
  start();
  ASSERT_TRUE(round_trip(1));
  ASSERT_TRUE(client_user.errors.empty()) << client_user.errors[0].detail;
  ASSERT_EQ(server_user.messages.size(), 1u);
  ASSERT_EQ(client_user.messages.size(), 1u);

  // The server saw the SNI the client sent (RFC 6066 §3).
  const auto& in = server_user.messages[0].origin;
  EXPECT_EQ(in.protocol, transport_protocol::tls);
  ASSERT_TRUE(in.tls);
  EXPECT_EQ(in.tls->server_name, k_server_name);
  EXPECT_FALSE(in.tls->peer_verified);  // no client certificate asked for
  EXPECT_TRUE(in.tls->peer_identities.sip_domains.empty());

  // The client verified the server for the name (RFC 5922 §7.3).
  const auto& back = client_user.messages[0].origin;
  ASSERT_TRUE(back.tls);
  EXPECT_TRUE(back.tls->peer_verified);
  EXPECT_EQ(back.tls->server_name, k_server_name);
  EXPECT_EQ(back.tls->version, "TLSv1.3");
  EXPECT_FALSE(back.tls->cipher.empty());
  ASSERT_EQ(back.tls->peer_identities.sip_domains.size(), 1u);
  EXPECT_EQ(back.tls->peer_identities.sip_domains[0], "sip.example.com");
  EXPECT_EQ(back.peer, server_addr());
  EXPECT_EQ(client->connection_count(), 1u);
  EXPECT_TRUE(client->has_connection(server_addr()));
}

TEST_P(tls_transport_test, BurstArrivesWholeAndInOrder) {
  start();
  constexpr std::size_t n = 300;
  // Sent at once: they queue while the handshake runs, then go out in
  // batches of records.
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_FALSE(
        client->send(send_target{server_addr(), k_server_name}, options_request(i, via_host())));
  }
  ASSERT_TRUE(rt.run_until([&] { return client_user.messages.size() == n; }, k_timeout));
  ASSERT_EQ(server_user.messages.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(server_user.messages[i].message.call_id(), "call-" + std::to_string(i));
    EXPECT_EQ(client_user.messages[i].message.call_id(), "call-" + std::to_string(i));
  }
  EXPECT_TRUE(client_user.errors.empty());
  EXPECT_TRUE(server_user.errors.empty());
  EXPECT_EQ(client->connection_count(), 1u);
}

TEST_P(tls_transport_test, LargeMessagesSpanRecords) {
  start();
  // 40 KB of body: three TLS records (16 KB of plaintext each at most).
  std::string big = options_request(7, via_host());
  const std::string body(40000, 'x');
  big.replace(big.find("Content-Length: 0"), 17, "Content-Length: " + std::to_string(body.size()));
  big += body;
  ASSERT_FALSE(client->send(send_target{server_addr(), k_server_name}, big));
  ASSERT_TRUE(rt.run_until([&] { return client_user.messages.size() == 1; }, k_timeout));
  ASSERT_EQ(server_user.messages.size(), 1u);
  EXPECT_EQ(server_user.messages[0].message.body(), body);
}

TEST_P(tls_transport_test, NumericTargetIsCheckedAgainstIpAddressEntries) {
  start();
  ASSERT_TRUE(round_trip(1, ""));
  ASSERT_TRUE(client_user.errors.empty()) << client_user.errors[0].detail;
  ASSERT_EQ(client_user.messages.size(), 1u);
  const auto& s = server_user.messages[0].origin.tls;
  ASSERT_TRUE(s);
  EXPECT_TRUE(s->server_name.empty());  // no SNI for an address (RFC 6066 §3)
}

TEST_P(tls_transport_test, NumericTargetWithoutIpEntryIsWrongHost) {
  start(server_config(pki().server_no_ip), client_config());
  ASSERT_TRUE(round_trip(1, ""));
  ASSERT_EQ(client_user.errors.size(), 1u);
  EXPECT_EQ(client_user.errors[0].error, tls_errc::wrong_host);
  EXPECT_TRUE(client_user.messages.empty());
  EXPECT_TRUE(server_user.messages.empty());
}

struct rejection {
  const char* what;
  const test_leaf& (*leaf)();
  std::string_view name;
  tls_errc client_sees;
};

const rejection k_rejections[] = {
    {"untrusted", []() -> const test_leaf& { return tls_pki::get().untrusted; }, k_server_name,
     tls_errc::untrusted},
    {"expired", []() -> const test_leaf& { return tls_pki::get().expired; }, k_server_name,
     tls_errc::expired},
    {"not_yet_valid", []() -> const test_leaf& { return tls_pki::get().not_yet_valid; },
     k_server_name, tls_errc::not_yet_valid},
    {"wrong_host", []() -> const test_leaf& { return tls_pki::get().server; }, "other.example.com",
     tls_errc::wrong_host},
    // RFC 5922 §7.2: no suffix match.
    {"suffix", []() -> const test_leaf& { return tls_pki::get().server; }, "example.com",
     tls_errc::wrong_host},
};

TEST_P(tls_transport_test, BadServerCertificatesAreRefusedWithTheReason) {
  for (const rejection& r : k_rejections) {
    SCOPED_TRACE(r.what);
    server_user = {};
    client_user = {};
    start(server_config(r.leaf()), client_config());
    ASSERT_TRUE(round_trip(1, r.name));
    ASSERT_EQ(client_user.errors.size(), 1u);
    const transport_error_event& e = client_user.errors[0];
    EXPECT_EQ(e.error, r.client_sees) << e.error.message() << ": " << e.detail;
    EXPECT_FALSE(e.detail.empty());
    ASSERT_TRUE(e.peer);
    EXPECT_EQ(*e.peer, server_addr());
    EXPECT_EQ(e.protocol, transport_protocol::tls);
    EXPECT_TRUE(client_user.messages.empty());
    EXPECT_TRUE(server_user.messages.empty());  // the request never left
    EXPECT_EQ(client->connection_count(), 0u);
    // The client's alert tells the server why (RFC 8446 §6.2).
    ASSERT_TRUE(rt.run_until([&] { return !server_user.errors.empty(); }, k_timeout));
    EXPECT_EQ(server_user.errors[0].error, tls_errc::peer_rejected_certificate)
        << server_user.errors[0].detail;
  }
}

TEST_P(tls_transport_test, SniAndNameCheckSurviveAReconnect) {
  // The certificate has no iPAddress entry: a reconnect that lost the name
  // would fail with wrong_host.
  tls_config s = server_config(pki().server_no_ip);
  s.stream.idle_timeout = std::chrono::milliseconds(200);
  start(s, client_config());
  ASSERT_TRUE(round_trip(1));
  ASSERT_EQ(client_user.messages.size(), 1u);
  // The server closes the idle connection; the client notices.
  ASSERT_TRUE(rt.run_until([&] { return client->connection_count() == 0; }, k_timeout));

  // By address only, as a retransmission or a routed response would.
  ASSERT_FALSE(client->send(server_addr(), options_request(2, via_host())));
  ASSERT_TRUE(rt.run_until(
      [&] { return client_user.messages.size() == 2 || !client_user.errors.empty(); }, k_timeout));
  ASSERT_TRUE(client_user.errors.empty()) << client_user.errors[0].detail;
  ASSERT_EQ(server_user.messages.size(), 2u);
  ASSERT_TRUE(server_user.messages[1].origin.tls);
  EXPECT_EQ(server_user.messages[1].origin.tls->server_name, k_server_name);
  EXPECT_TRUE(client_user.messages[1].origin.tls->peer_verified);
}

TEST_P(tls_transport_test, OpenConnectionIsReusedOnlyForNamesItsCertificateCovers) {
  start();
  ASSERT_TRUE(round_trip(1));
  ASSERT_EQ(client_user.messages.size(), 1u);
  EXPECT_EQ(client->send(send_target{server_addr(), "other.example.com"}, options_request(2)),
            tls_errc::name_not_covered);
  // Case does not matter (RFC 5922 §7.2, RFC 4343).
  ASSERT_TRUE(round_trip(3, "SIP.Example.COM"));
  EXPECT_EQ(client_user.messages.size(), 2u);
  EXPECT_EQ(client->connection_count(), 1u);
}

TEST_P(tls_transport_test, ResponseGoesBackOverTheInboundConnection) {
  start();
  ASSERT_TRUE(round_trip(1));
  // The server answered with send(origin.peer): no second connection.
  EXPECT_EQ(server->connection_count(), 1u);
  EXPECT_TRUE(server->has_connection(server_user.messages[0].origin.peer));
}

INSTANTIATE_TEST_SUITE_P(Loopback, tls_transport_test, ::testing::Values("127.0.0.1:0", "[::1]:0"));

}  // namespace
}  // namespace sipua::test
