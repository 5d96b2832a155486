// The TLS tests' PKI and fixture: one test CA and the leaf certificates the
// tests need (made once per run, in memory), and a server/client pair of
// tls_transports on 127.0.0.1 or ::1 (the test parameter).
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "loopback_pair.hpp"
#include "support/recording_user.hpp"
#include "support/test_pki.hpp"

#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/tls.hpp"

namespace sipua::test {

struct tls_pki {
  /// A leaf for sip.example.com: dNSName always; iPAddress 127.0.0.1 and
  /// ::1 when `with_ips`; validity, issuer and usage as given.
  static leaf_options server_leaf(bool with_ips) {
    leaf_options o;
    o.common_name = "sip.example.com";
    o.dns_names = {"sip.example.com"};
    if (with_ips) o.ips = {"127.0.0.1", "::1"};
    o.usage = leaf_usage::both;
    return o;
  }
  static leaf_options valid_between(std::int64_t from, std::int64_t to) {
    leaf_options o = server_leaf(true);
    o.not_before_offset = from;
    o.not_after_offset = to;
    return o;
  }
  static leaf_options from_untrusted_ca(leaf_options o) {
    o.signed_by_untrusted_ca = true;
    return o;
  }
  /// RFC 5922 §7.1: a client certificate naming its SIP domain in a URI.
  static leaf_options client_leaf() {
    leaf_options o;
    o.uris = {"sip:client.example.org"};
    o.usage = leaf_usage::client;
    return o;
  }

  test_ca ca = make_ca("sipua test CA");
  test_leaf server = issue(ca, server_leaf(true));
  test_leaf server_no_ip = issue(ca, server_leaf(false));
  test_leaf expired = issue(ca, valid_between(-7200, -60));
  test_leaf not_yet_valid = issue(ca, valid_between(3600, 7200));
  test_leaf untrusted = issue(ca, from_untrusted_ca(server_leaf(true)));
  test_leaf client = issue(ca, client_leaf());
  test_leaf client_untrusted = issue(ca, from_untrusted_ca(client_leaf()));

  static const tls_pki& get() {
    static const tls_pki pki;
    return pki;
  }
};

inline constexpr std::string_view k_server_name = "sip.example.com";

/// A TLS server (certificate `server_leaf()`) and a client-only TLS
/// transport trusting the test CA. Tests adjust the configs, then call
/// start().
class tls_pair : public ::testing::TestWithParam<const char*> {
 protected:
  socket_address any_port() const { return addr(GetParam()); }
  std::string via_host() const { return any_port().address().to_uri_string(); }
  socket_address server_addr() const { return server->local_addresses()[0]; }
  static const tls_pki& pki() { return tls_pki::get(); }

  tls_config server_config(const test_leaf& leaf) const {
    tls_config c;
    c.stream.listen = {any_port()};
    c.certificate_chain_pem = leaf.cert_pem;
    c.private_key_pem = leaf.key_pem;
    c.ca_pem = pki().ca.cert_pem;
    return c;
  }
  static tls_config client_config() {
    tls_config c;
    c.ca_pem = pki().ca.cert_pem;
    return c;
  }

  /// Builds and starts both transports; the server answers every request
  /// with a 200.
  void start(const tls_config& server_cfg, const tls_config& client_cfg) {
    server = std::make_unique<tls_transport>(rt.context(), server_cfg);
    client = std::make_unique<tls_transport>(rt.context(), client_cfg);
    ASSERT_FALSE(server->start(server_user));
    ASSERT_FALSE(client->start(client_user));
    server_user.on_each_message = [this](const inbound_message& m) {
      if (m.message.is_request()) {
        EXPECT_FALSE(server->send(m.origin.peer, answer(m.message, 200)));
      }
    };
  }
  void start() { start(server_config(pki().server), client_config()); }

  /// Sends a request to the server by `name` and runs until the answer
  /// or an error arrives.
  bool round_trip(std::size_t n, std::string_view name = k_server_name) {
    const std::size_t before = client_user.messages.size();
    EXPECT_FALSE(client->send(send_target{server_addr(), name}, options_request(n, via_host())));
    return rt.run_until(
        [&] { return client_user.messages.size() > before || !client_user.errors.empty(); },
        k_timeout);
  }

  io_runtime rt;
  recording_user server_user;
  recording_user client_user;
  std::unique_ptr<tls_transport> server;
  std::unique_ptr<tls_transport> client;
};

}  // namespace sipua::test
