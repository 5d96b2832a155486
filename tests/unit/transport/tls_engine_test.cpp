// The sans-I/O TLS engine, two of them back to back in memory: no socket,
// no event loop. What one writes is fed to the other, in pieces of any
// size, so the handshake, records split across reads, alerts and the
// failure reasons are checked byte-exactly and without timing.
#include "transport/tls_engine.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/test_pki.hpp"

#include "sipua/transport/tls.hpp"

namespace sipua::detail {
namespace {

using test::issue;
using test::leaf_options;
using test::make_ca;

struct pki {
  test::test_ca ca = make_ca("engine test CA");
  test::test_leaf server = [this] {
    leaf_options o;
    o.dns_names = {"sip.example.com"};
    return issue(ca, o);
  }();
  static const pki& get() {
    static const pki p;
    return p;
  }
};

std::shared_ptr<tls_context> context(const tls_config& c, bool listening) {
  std::string detail;
  auto ctx = tls_context::create(c, listening, detail);
  EXPECT_TRUE(ctx) << detail;
  return ctx ? *ctx : nullptr;
}

tls_config server_config() {
  tls_config c;
  c.certificate_chain_pem = pki::get().server.cert_pem;
  c.private_key_pem = pki::get().server.key_pem;
  return c;
}

tls_config client_config() {
  tls_config c;
  c.ca_pem = pki::get().ca.cert_pem;
  return c;
}

/// A client and a server engine and the plaintext each received.
struct pair {
  pair(const tls_config& client_cfg, std::string name,
       const tls_config& server_cfg = server_config())
      : client_ctx(context(client_cfg, false)), server_ctx(context(server_cfg, true)) {
    auto expected = std::make_unique<tls_expected_peer>();
    expected->server_name = name;
    client.emplace(client_ctx->new_client(std::move(expected)), true, name);
    server.emplace(server_ctx->new_server(), false, std::string());
  }

  /// Moves bytes both ways, `chunk` bytes per feed, until neither side
  /// has output or one fails. Returns the first failure seen.
  std::error_code pump(std::size_t chunk = 1 << 20) {
    for (int round = 0; round < 100; ++round) {
      bool moved = false;
      for (auto [from, to, got, progress] :
           {std::tuple{&*client, &*server, &server_got, &server_progress},
            std::tuple{&*server, &*client, &client_got, &client_progress}}) {
        if (!from->has_output()) continue;
        const std::string bytes = from->take_output();
        std::string* sink = got;  // clang 14 cannot capture a structured binding
        moved = true;
        for (std::size_t at = 0; at < bytes.size(); at += chunk) {
          *progress = to->receive(std::string_view(bytes).substr(at, chunk), scratch,
                                  [sink](std::string_view p) {
                                    sink->append(p);
                                    return true;
                                  });
          if (progress->error) return progress->error;
        }
      }
      if (!moved) return {};
    }
    return std::make_error_code(std::errc::timed_out);
  }

  std::shared_ptr<tls_context> client_ctx, server_ctx;
  std::optional<tls_engine> client, server;
  std::string client_got, server_got;
  tls_progress client_progress, server_progress;
  std::vector<char> scratch = std::vector<char>(16 * 1024);
};

TEST(TlsEngine, HandshakeThenMessagesBothWaysEvenOneByteAtATime) {
  for (std::size_t chunk : {std::size_t{1}, std::size_t{7}, std::size_t{1} << 20}) {
    SCOPED_TRACE(chunk);
    pair p(client_config(), "sip.example.com");
    EXPECT_FALSE(p.client->start().error);
    EXPECT_TRUE(p.client->has_output());  // the ClientHello
    ASSERT_FALSE(p.pump(chunk));
    ASSERT_TRUE(p.client->handshake_done());
    ASSERT_TRUE(p.server->handshake_done());
    EXPECT_EQ(p.server->session()->server_name, "sip.example.com");  // SNI
    EXPECT_TRUE(p.client->session()->peer_verified);

    const std::string request(20000, 'q');  // two records
    ASSERT_FALSE(p.client->send(request));
    ASSERT_FALSE(p.server->send("answer"));
    ASSERT_FALSE(p.pump(chunk));
    EXPECT_EQ(p.server_got, request);
    EXPECT_EQ(p.client_got, "answer");
  }
}

TEST(TlsEngine, SendBeforeTheHandshakeIsRefused) {
  pair p(client_config(), "sip.example.com");
  EXPECT_EQ(p.client->send("early"), tls_errc::handshake_failed);
}

TEST(TlsEngine, WrongNameFailsTheClientAndTheAlertReachesTheServer) {
  pair p(client_config(), "other.example.com");
  (void)p.client->start();
  EXPECT_EQ(p.pump(), tls_errc::wrong_host);
  EXPECT_FALSE(p.client_progress.detail.empty());
  ASSERT_TRUE(p.client->has_output());  // the bad_certificate alert
  EXPECT_EQ(p.pump(), tls_errc::peer_rejected_certificate);
}

TEST(TlsEngine, CloseNotifyIsSeenAsPeerClosed) {
  pair p(client_config(), "sip.example.com");
  (void)p.client->start();
  ASSERT_FALSE(p.pump());
  p.server->close_notify();
  ASSERT_FALSE(p.pump());
  EXPECT_TRUE(p.client_progress.peer_closed);
}

TEST(TlsEngine, GarbageBeforeTheHandshakeIsAHandshakeFailure) {
  pair p(client_config(), "sip.example.com");
  const tls_progress r = p.server->receive("OPTIONS sip:x SIP/2.0\r\n\r\n", p.scratch,
                                           [](std::string_view) { return true; });
  EXPECT_EQ(r.error, tls_errc::handshake_failed);
  EXPECT_FALSE(r.detail.empty());
}

TEST(TlsEngine, PlaintextCallbackCanStopDelivery) {
  pair p(client_config(), "sip.example.com");
  (void)p.client->start();
  ASSERT_FALSE(p.pump());
  ASSERT_FALSE(p.client->send("one"));
  ASSERT_FALSE(p.client->send("two"));
  const std::string bytes = p.client->take_output();
  int calls = 0;
  const tls_progress r = p.server->receive(bytes, p.scratch, [&](std::string_view) {
    ++calls;
    return false;
  });
  EXPECT_TRUE(r.stopped);
  EXPECT_EQ(calls, 1);
}

}  // namespace
}  // namespace sipua::detail
