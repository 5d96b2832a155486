// The TCP transport on real sockets (127.0.0.1 and ::1 only): one
// connection reused both ways, bursts in order (whole and split), CRLF
// keep-alives, connect errors. No sleeps: every wait is a bounded run_until.
#include "sipua/transport/tcp.hpp"

#include <gtest/gtest.h>

#include <chrono>

#include "loopback_pair.hpp"
#include "support/recording_user.hpp"
#include "tcp_support.hpp"
#include <asio/io_context.hpp>

#include "sipua/runtime/io_runtime.hpp"

namespace sipua {
namespace {

using namespace std::chrono_literals;
using test::addr;
using test::k_timeout;
using test::options_request;
using test::raw_client;
using test::recording_user;

class Tcp : public test::loopback_pair<tcp_transport, tcp_config> {
 protected:
  /// The server answers every request with 200 on the connection it came on.
  void answer_all() {
    server_user.on_each_message = [&](const inbound_message& m) {
      if (m.message.is_request()) {
        EXPECT_FALSE(server.send(m.origin.peer, test::answer(m.message, 200)));
      }
    };
  }
};

INSTANTIATE_TEST_SUITE_P(Loopback, Tcp, ::testing::Values("127.0.0.1:0", "[::1]:0"),
                         [](const auto& param) { return param.index == 0 ? "v4" : "v6"; });

TEST_P(Tcp, RequestOutResponseBackOverOneConnection) {
  answer_all();
  const std::string request = options_request(1, via_host());
  ASSERT_FALSE(client.send(server_addr(), request));
  ASSERT_TRUE(rt.run_until([&] { return !client_user.messages.empty(); }, k_timeout));

  ASSERT_EQ(server_user.messages.size(), 1u);
  const inbound_message& req = server_user.messages[0];
  EXPECT_EQ(req.message.bytes(), request);
  EXPECT_EQ(req.origin.protocol, transport_protocol::tcp);
  EXPECT_EQ(req.origin.local, server_addr());
  EXPECT_EQ(req.origin.peer.address(), any_port().address());
  const inbound_message& resp = client_user.messages[0];
  EXPECT_EQ(resp.message.status_code(), 200);
  EXPECT_EQ(resp.message.call_id(), "call-1");
  EXPECT_EQ(resp.origin.peer, server_addr());
  EXPECT_EQ(resp.origin.protocol, transport_protocol::tcp);
  EXPECT_EQ(resp.origin.local, req.origin.peer);  // the two ends of one connection

  // One connection on each side, and it stays the only one: a second
  // request, and a request the other way (server to client).
  EXPECT_EQ(server.connection_count(), 1u);
  EXPECT_EQ(client.connection_count(), 1u);
  EXPECT_TRUE(client.has_connection(server_addr()));
  EXPECT_TRUE(server.has_connection(req.origin.peer));
  const socket_address client_end = req.origin.peer;  // req dangles once more arrive
  ASSERT_FALSE(client.send(server_addr(), options_request(2, via_host())));
  ASSERT_TRUE(rt.run_until([&] { return client_user.messages.size() == 2; }, k_timeout));
  ASSERT_FALSE(server.send(client_end, options_request(3, via_host())));
  ASSERT_TRUE(rt.run_until([&] { return client_user.messages.size() == 3; }, k_timeout));
  EXPECT_EQ(client_user.messages[2].message.call_id(), "call-3");
  EXPECT_EQ(client_user.messages[2].origin.peer, server_addr());
  EXPECT_EQ(server.connection_count(), 1u);
  EXPECT_EQ(client.connection_count(), 1u);
  EXPECT_TRUE(server_user.errors.empty());
  EXPECT_TRUE(client_user.errors.empty());
  EXPECT_TRUE(client_user.failures.empty());
}

TEST_P(Tcp, BurstOfAThousandInOrder) {
  constexpr std::size_t n = 1000;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_FALSE(client.send(server_addr(), options_request(i, via_host()))) << i;
  }
  EXPECT_TRUE(rt.run_until([&] { return server_user.messages.size() >= n; }, k_timeout))
      << "received " << server_user.messages.size() << " of " << n;
  ASSERT_EQ(server_user.messages.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(server_user.messages[i].message.bytes(), options_request(i, via_host())) << i;
  }
  EXPECT_EQ(server.connection_count(), 1u);
  EXPECT_TRUE(server_user.failures.empty());
  EXPECT_TRUE(server_user.errors.empty());
}

/// A raw client writes `n` requests as one stream cut into chunks of the
/// sizes in `cuts` (cycled; empty = one write).
void raw_burst(io_runtime& rt, tcp_transport& server, recording_user& user,
               const std::vector<std::size_t>& cuts) {
  constexpr std::size_t n = 1000;
  std::string stream;
  for (std::size_t i = 0; i < n; ++i) stream += options_request(i);
  raw_client raw(rt.context());
  raw.connect(server.local_addresses()[0]);
  if (cuts.empty()) {
    raw.write(stream);
  } else {
    std::size_t at = 0;
    for (std::size_t k = 0; at < stream.size(); ++k) {
      const std::size_t len = std::min(cuts[k % cuts.size()], stream.size() - at);
      raw.write(stream.substr(at, len));
      at += len;
    }
  }
  EXPECT_TRUE(rt.run_until([&] { return user.messages.size() >= n; }, k_timeout))
      << "received " << user.messages.size() << " of " << n;
  ASSERT_EQ(user.messages.size(), n);
  for (std::size_t i = 0; i < n; ++i) {
    EXPECT_EQ(user.messages[i].message.bytes(), options_request(i)) << i;
    EXPECT_EQ(user.messages[i].origin.peer, raw.local());
  }
  EXPECT_TRUE(user.failures.empty());
  EXPECT_TRUE(user.errors.empty());
}

TEST_P(Tcp, RawBurstInOneWrite) { raw_burst(rt, server, server_user, {}); }

TEST_P(Tcp, RawBurstSplitIntoOddWrites) {
  raw_burst(rt, server, server_user, {1, 7, 13, 97, 2, 301, 3, 1499, 5, 4099});
}

TEST_P(Tcp, KeepAlivePingGetsPong) {
  raw_client raw(rt.context());
  raw.connect(server_addr());
  raw.write("\r\n\r\n");  // RFC 5626 §3.5.1 ping
  ASSERT_TRUE(rt.run_until([&] { return raw.received.size() >= 2; }, k_timeout));
  EXPECT_EQ(raw.received, "\r\n");
  // Keep-alives are not messages; the connection keeps working.
  raw.write(options_request(7));
  ASSERT_TRUE(rt.run_until([&] { return !server_user.messages.empty(); }, k_timeout));
  EXPECT_EQ(server_user.messages[0].message.call_id(), "call-7");
  EXPECT_EQ(server_user.events(), 1u);
  EXPECT_EQ(raw.received, "\r\n");
  EXPECT_FALSE(raw.closed);
}

TEST_P(Tcp, ConnectToAClosedPortIsAnErrorEventNamingThePeer) {
  socket_address closed_port;
  {
    recording_user u;
    tcp_transport t{rt.context(), config()};
    ASSERT_FALSE(t.start(u));
    closed_port = t.local_addresses()[0];
  }  // closed: connecting is refused from now on
  ASSERT_FALSE(client.send(closed_port, options_request(1, via_host())));
  EXPECT_EQ(client.connection_count(), 1u);  // connecting
  ASSERT_TRUE(rt.run_until([&] { return !client_user.errors.empty(); }, k_timeout));
  const auto& e = client_user.errors[0];
  EXPECT_EQ(e.error, std::errc::connection_refused) << e.error.message();
  EXPECT_EQ(e.protocol, transport_protocol::tcp);
  ASSERT_TRUE(e.peer);
  EXPECT_EQ(*e.peer, closed_port);
  EXPECT_EQ(client.connection_count(), 0u);

  // The transport keeps working after the error.
  answer_all();
  ASSERT_FALSE(client.send(server_addr(), options_request(2, via_host())));
  ASSERT_TRUE(rt.run_until([&] { return !client_user.messages.empty(); }, k_timeout));
  EXPECT_EQ(client_user.messages[0].message.status_code(), 200);
  EXPECT_EQ(client_user.errors.size(), 1u);
}

TEST_P(Tcp, ImmediateSendErrors) {
  tcp_config c = config();
  c.max_send_queue = 2;
  c.max_connections = 1;
  recording_user u;
  tcp_transport t{rt.context(), c};
  EXPECT_EQ(t.send(server_addr(), "x"), transport_errc::closed);  // not started
  ASSERT_FALSE(t.start(u));
  EXPECT_EQ(t.start(u), std::errc::invalid_argument);
  EXPECT_FALSE(t.send(server_addr(), options_request(1, via_host())));
  EXPECT_FALSE(t.send(server_addr(), options_request(2, via_host())));
  // Queued while connecting, bounded.
  EXPECT_EQ(t.send(server_addr(), options_request(3, via_host())), transport_errc::send_queue_full);
  // A second destination would be a second connection.
  socket_address other = server_addr();
  other = socket_address{other.address(), static_cast<std::uint16_t>(other.port() == 1 ? 2 : 1)};
  EXPECT_EQ(t.send(other, "x"), transport_errc::too_many_connections);
  ASSERT_TRUE(rt.run_until([&] { return server_user.messages.size() == 2; }, k_timeout));
  t.close();
  EXPECT_EQ(t.send(server_addr(), "x"), transport_errc::closed);
  EXPECT_EQ(t.connection_count(), 0u);
  EXPECT_EQ(t.start(u), transport_errc::closed);
  EXPECT_EQ(u.events(), 0u);
}

TEST_P(Tcp, NoEventAfterClose) {
  raw_client raw(rt.context());
  raw.connect(server_addr());
  ASSERT_TRUE(rt.run_until([&] { return server.connection_count() == 1; }, k_timeout));
  server.close();
  raw.write(options_request(1));
  ASSERT_TRUE(rt.run_until([&] { return raw.closed; }, k_timeout));
  EXPECT_EQ(server_user.events(), 0u);
  EXPECT_EQ(server.connection_count(), 0u);
}

TEST_P(Tcp, CloseFromInsideAHandlerStopsDelivery) {
  server_user.on_each_message = [&](const inbound_message&) { server.close(); };
  raw_client raw(rt.context());
  raw.connect(server_addr());
  raw.write(options_request(1) + options_request(2) + "\r\n\r\n" + options_request(3));
  ASSERT_TRUE(rt.run_until([&] { return raw.closed; }, k_timeout));
  EXPECT_EQ(server_user.messages.size(), 1u);
  EXPECT_EQ(server_user.events(), 1u);
  EXPECT_EQ(raw.received, "");  // the ping after the close is not answered
  EXPECT_EQ(server.connection_count(), 0u);
}

}  // namespace
}  // namespace sipua
