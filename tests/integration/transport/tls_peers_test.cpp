// TLS transport: client certificates (RFC 5922 §7.4), negotiation failures,
// hostile and confused peers, and configurations refused at start().
#include <gtest/gtest.h>

#include <string>

#include "tcp_support.hpp"
#include "tls_support.hpp"

namespace sipua::test {
namespace {

using tls_peers_test = tls_pair;

tls_config with_client_certificate(tls_config c, const test_leaf& leaf) {
  c.certificate_chain_pem = leaf.cert_pem;
  c.private_key_pem = leaf.key_pem;
  return c;
}

TEST_P(tls_peers_test, RequiredClientCertificateGivesTheServerTheClientsDomain) {
  tls_config s = server_config(pki().server);
  s.client_certificates = client_certificate_policy::require;
  start(s, with_client_certificate(client_config(), pki().client));
  ASSERT_TRUE(round_trip(1));
  ASSERT_TRUE(client_user.errors.empty()) << client_user.errors[0].detail;
  ASSERT_EQ(server_user.messages.size(), 1u);
  const auto& info = server_user.messages[0].origin.tls;
  ASSERT_TRUE(info);
  EXPECT_TRUE(info->peer_verified);
  ASSERT_EQ(info->peer_identities.sip_domains.size(), 1u);
  EXPECT_EQ(info->peer_identities.sip_domains[0], "client.example.org");
}

TEST_P(tls_peers_test, MissingClientCertificateIsRefusedWhenRequired) {
  tls_config s = server_config(pki().server);
  s.client_certificates = client_certificate_policy::require;
  start(s, client_config());
  ASSERT_TRUE(round_trip(1));
  ASSERT_TRUE(rt.run_until([&] { return !server_user.errors.empty(); }, k_timeout));
  EXPECT_EQ(server_user.errors[0].error, tls_errc::no_certificate) << server_user.errors[0].detail;
  EXPECT_TRUE(server_user.messages.empty());
  // TLS 1.3: the client finished its side of the handshake, then hears the
  // server's certificate_required alert (RFC 8446 §4.4.2.4).
  ASSERT_EQ(client_user.errors.size(), 1u);
  EXPECT_EQ(client_user.errors[0].error, tls_errc::peer_rejected_certificate)
      << client_user.errors[0].detail;
  EXPECT_TRUE(client_user.messages.empty());
}

TEST_P(tls_peers_test, UntrustedClientCertificateIsRefusedWhenRequested) {
  tls_config s = server_config(pki().server);
  s.client_certificates = client_certificate_policy::request;
  start(s, with_client_certificate(client_config(), pki().client_untrusted));
  ASSERT_TRUE(round_trip(1));
  ASSERT_TRUE(rt.run_until([&] { return !server_user.errors.empty(); }, k_timeout));
  EXPECT_EQ(server_user.errors[0].error, tls_errc::untrusted) << server_user.errors[0].detail;
  EXPECT_TRUE(server_user.messages.empty());
  ASSERT_EQ(client_user.errors.size(), 1u);
  EXPECT_EQ(client_user.errors[0].error, tls_errc::peer_rejected_certificate);
}

TEST_P(tls_peers_test, RequestedButAbsentClientCertificateLetsTheClientIn) {
  tls_config s = server_config(pki().server);
  s.client_certificates = client_certificate_policy::request;
  start(s, client_config());
  ASSERT_TRUE(round_trip(1));
  ASSERT_EQ(client_user.messages.size(), 1u);
  ASSERT_TRUE(server_user.messages[0].origin.tls);
  EXPECT_FALSE(server_user.messages[0].origin.tls->peer_verified);
}

TEST_P(tls_peers_test, NoSharedCipherIsNamedOnBothSides) {
  // Nothing in common in TLS 1.3 nor in TLS 1.2.
  tls_config s = server_config(pki().server);
  s.ciphersuites = "TLS_AES_128_GCM_SHA256";
  s.cipher_list = "ECDHE-ECDSA-AES128-GCM-SHA256";
  tls_config c = client_config();
  c.ciphersuites = "TLS_CHACHA20_POLY1305_SHA256";
  c.cipher_list = "ECDHE-ECDSA-CHACHA20-POLY1305";
  start(s, c);
  ASSERT_TRUE(round_trip(1));
  ASSERT_EQ(client_user.errors.size(), 1u);
  EXPECT_EQ(client_user.errors[0].error, tls_errc::no_shared_cipher)
      << client_user.errors[0].detail;
  ASSERT_TRUE(rt.run_until([&] { return !server_user.errors.empty(); }, k_timeout));
  EXPECT_EQ(server_user.errors[0].error, tls_errc::no_shared_cipher)
      << server_user.errors[0].detail;
}

TEST_P(tls_peers_test, NoSharedVersionIsNamedOnBothSides) {
  tls_config s = server_config(pki().server);
  s.min_version = tls_version::tls1_3;
  tls_config c = client_config();
  c.max_version = tls_version::tls1_2;
  start(s, c);
  ASSERT_TRUE(round_trip(1));
  ASSERT_EQ(client_user.errors.size(), 1u);
  EXPECT_EQ(client_user.errors[0].error, tls_errc::protocol_version)
      << client_user.errors[0].detail;
  ASSERT_TRUE(rt.run_until([&] { return !server_user.errors.empty(); }, k_timeout));
  EXPECT_EQ(server_user.errors[0].error, tls_errc::protocol_version)
      << server_user.errors[0].detail;
}

TEST_P(tls_peers_test, TlsOneTwoStillWorksWhenBothAgreeOnIt) {
  tls_config c = client_config();
  c.max_version = tls_version::tls1_2;
  start(server_config(pki().server), c);
  ASSERT_TRUE(round_trip(1));
  ASSERT_EQ(client_user.messages.size(), 1u);
  EXPECT_EQ(client_user.messages[0].origin.tls->version, "TLSv1.2");
  EXPECT_TRUE(client_user.messages[0].origin.tls->peer_verified);
  EXPECT_EQ(server_user.messages[0].origin.tls->server_name, k_server_name);
}

TEST_P(tls_peers_test, SilentPeerIsCutOffAtTheHandshakeTimeout) {
  tls_config s = server_config(pki().server);
  s.handshake_timeout = std::chrono::milliseconds(150);
  start(s, client_config());
  raw_client silent(rt.context());
  silent.connect(server_addr());
  ASSERT_TRUE(rt.run_until([&] { return silent.closed; }, k_timeout));
  ASSERT_EQ(server_user.errors.size(), 1u);
  EXPECT_EQ(server_user.errors[0].error, tls_errc::handshake_timeout);
  EXPECT_EQ(server->connection_count(), 0u);
  // Others are still served.
  ASSERT_TRUE(round_trip(1));
  EXPECT_EQ(client_user.messages.size(), 1u);
}

TEST_P(tls_peers_test, CleartextSipOnTheTlsPortIsRefusedAndOthersServed) {
  start();
  raw_client confused(rt.context());
  confused.connect(server_addr());
  confused.write(options_request(1, via_host()));
  ASSERT_TRUE(rt.run_until([&] { return confused.closed; }, k_timeout));
  ASSERT_EQ(server_user.errors.size(), 1u);
  EXPECT_EQ(&server_user.errors[0].error.category(), &tls_category());
  EXPECT_FALSE(server_user.errors[0].detail.empty());
  EXPECT_TRUE(server_user.messages.empty());
  EXPECT_TRUE(server_user.failures.empty());
  ASSERT_TRUE(round_trip(2));
  EXPECT_EQ(client_user.messages.size(), 1u);
}

TEST_P(tls_peers_test, ResetInTheMiddleOfTheHandshakeReachesTheClient) {
  // A plain TCP listener that resets whoever connects, standing in for a
  // TLS server that dies mid-handshake.
  asio::ip::tcp::acceptor acceptor(rt.context(), to_tcp_endpoint(any_port()));
  asio::ip::tcp::socket peer(rt.context());
  acceptor.async_accept(peer, [&](const std::error_code& ec) {
    if (ec) return;
    peer.set_option(asio::socket_base::linger(true, 0));
    peer.close();
  });
  client = std::make_unique<tls_transport>(rt.context(), client_config());
  ASSERT_FALSE(client->start(client_user));
  const socket_address where = from_tcp_endpoint(acceptor.local_endpoint());
  ASSERT_FALSE(client->send(send_target{where, k_server_name}, options_request(1)));
  ASSERT_TRUE(rt.run_until([&] { return !client_user.errors.empty(); }, k_timeout));
  const std::error_code e = client_user.errors[0].error;
  EXPECT_TRUE(e == std::errc::connection_reset || e == std::errc::connection_aborted)
      << e.message();
  EXPECT_EQ(client->connection_count(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Loopback, tls_peers_test, ::testing::Values("127.0.0.1:0", "[::1]:0"));

// --- configurations refused at start() -------------------------------------

struct refused_config {
  const char* what;
  void (*spoil)(tls_config&);
  tls_errc expected;
};

const refused_config k_refused[] = {
    {"listening without a certificate",
     [](tls_config& c) {
       c.certificate_chain_pem.clear();
       c.private_key_pem.clear();
     },
     tls_errc::missing_certificate},
    {"garbage certificate", [](tls_config& c) { c.certificate_chain_pem = "not a PEM"; },
     tls_errc::certificate_load_failed},
    {"garbage key", [](tls_config& c) { c.private_key_pem = "not a PEM"; },
     tls_errc::private_key_load_failed},
    {"certificate without key", [](tls_config& c) { c.private_key_pem.clear(); },
     tls_errc::missing_certificate},
    {"key of another certificate",
     [](tls_config& c) { c.private_key_pem = tls_pki::get().client.key_pem; },
     tls_errc::key_mismatch},
    {"garbage CA", [](tls_config& c) { c.ca_pem = "nothing here"; }, tls_errc::ca_load_failed},
    {"missing CA file", [](tls_config& c) { c.ca_file = "/nonexistent/ca.pem"; },
     tls_errc::ca_load_failed},
    {"unknown cipher", [](tls_config& c) { c.cipher_list = "NO-SUCH-CIPHER"; },
     tls_errc::bad_cipher_list},
    {"unknown suite", [](tls_config& c) { c.ciphersuites = "TLS_NO_SUCH_SUITE"; },
     tls_errc::bad_cipher_list},
};

TEST(TlsConfig, BadConfigurationsAreRefusedAtStart) {
  io_runtime rt;
  for (const refused_config& r : k_refused) {
    SCOPED_TRACE(r.what);
    tls_config c;
    c.stream.listen = {addr("127.0.0.1:0")};
    c.certificate_chain_pem = tls_pki::get().server.cert_pem;
    c.private_key_pem = tls_pki::get().server.key_pem;
    r.spoil(c);
    tls_transport t(rt.context(), c);
    recording_user user;
    EXPECT_EQ(t.start(user), r.expected);
    EXPECT_TRUE(t.local_addresses().empty());
  }
}

TEST(TlsConfig, ClientOnlyTransportNeedsNoCertificateAndUsesTheSystemStore) {
  io_runtime rt;
  tls_transport t(rt.context(), tls_config{});
  recording_user user;
  EXPECT_FALSE(t.start(user));
  EXPECT_TRUE(t.local_addresses().empty());
}

}  // namespace
}  // namespace sipua::test
