// The UDP transport on real sockets: 127.0.0.1 and ::1 only. No sleeps: the
// io_context runs until a condition holds or a generous timeout fails the
// test.
#include "sipua/transport/udp.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <set>

#include "loopback_pair.hpp"
#include "support/recording_user.hpp"
#include <asio/io_context.hpp>

#include "sipua/runtime/io_runtime.hpp"

namespace sipua {
namespace {

using namespace std::chrono_literals;
using test::addr;
using test::k_timeout;
using test::options_request;
using test::recording_user;

class Udp : public test::loopback_pair<udp_transport, udp_config> {};

INSTANTIATE_TEST_SUITE_P(Loopback, Udp, ::testing::Values("127.0.0.1:0", "[::1]:0"),
                         [](const auto& param) { return param.index == 0 ? "v4" : "v6"; });

TEST_P(Udp, RequestOutResponseBack) {
  server_user.on_each_message = [&](const inbound_message& m) {
    const std::string response = test::answer(m.message, 200);
    ASSERT_FALSE(response.empty());
    EXPECT_FALSE(server.send(m.origin.peer, response));
  };
  const std::string request = options_request(1, via_host());
  ASSERT_FALSE(client.send(server_addr(), request));
  ASSERT_TRUE(rt.run_until([&] { return !client_user.messages.empty(); }, k_timeout));

  ASSERT_EQ(server_user.messages.size(), 1u);
  const inbound_message& req = server_user.messages[0];
  EXPECT_EQ(req.message.bytes(), request);
  EXPECT_EQ(req.origin.peer, client_addr());
  EXPECT_EQ(req.origin.local, server_addr());
  EXPECT_EQ(req.origin.protocol, transport_protocol::udp);

  const inbound_message& resp = client_user.messages[0];
  EXPECT_EQ(resp.message.status_code(), 200);
  EXPECT_EQ(resp.message.call_id(), "call-1");
  EXPECT_EQ(resp.origin.peer, server_addr());
  EXPECT_EQ(client_user.events(), 1u);
  EXPECT_EQ(server_user.events(), 1u);
}

TEST_P(Udp, BurstOfAThousandArrivesUncorrupted) {
  constexpr std::size_t n = 1000;
  for (std::size_t i = 0; i < n; ++i) {
    ASSERT_FALSE(client.send(server_addr(), options_request(i, via_host()))) << i;
  }
  const bool all = rt.run_until([&] { return server_user.messages.size() >= n; }, k_timeout);
  // Loopback drops only when the receive buffer overflows; 2 MiB holds the
  // burst. Count honestly: every datagram, each byte for byte.
  EXPECT_TRUE(all) << "received " << server_user.messages.size() << " of " << n;
  std::set<std::string> seen;
  for (const auto& m : server_user.messages) {
    const std::string id(m.message.call_id());
    ASSERT_EQ(id.rfind("call-", 0), 0u);
    const std::size_t i = std::stoul(id.substr(5));
    ASSERT_LT(i, n);
    EXPECT_EQ(m.message.bytes(), options_request(i, via_host())) << i;
    EXPECT_TRUE(seen.insert(id).second) << "duplicate " << id;
  }
  EXPECT_EQ(seen.size(), n);
  EXPECT_TRUE(server_user.failures.empty());
  EXPECT_TRUE(server_user.errors.empty());
}

TEST_P(Udp, MalformedDatagramIsAParseFailure) {
  const std::string junk = "INVITE sip:bob@example.com SIP/2.0\r\nVia: \r\nno colon here\r\n\r\n";
  ASSERT_FALSE(client.send(server_addr(), junk));
  ASSERT_TRUE(rt.run_until([&] { return !server_user.failures.empty(); }, k_timeout));
  const auto& f = server_user.failures[0];
  EXPECT_EQ(*f.bytes, junk);
  EXPECT_TRUE(f.error);
  EXPECT_EQ(f.error.status, 400);
  EXPECT_EQ(f.origin.peer, client_addr());
  EXPECT_TRUE(server_user.messages.empty());
}

TEST_P(Udp, SendingToAClosedPortIsAnErrorEventNamingThePeer) {
  socket_address closed_port;
  {
    recording_user u;
    udp_transport t{rt.context(), config()};
    ASSERT_FALSE(t.start(u));
    closed_port = t.local_addresses()[0];
  }  // closed: ICMP port unreachable from now on
  ASSERT_FALSE(client.send(closed_port, options_request(1, via_host())));
  ASSERT_TRUE(rt.run_until([&] { return !client_user.errors.empty(); }, k_timeout));
  const auto& e = client_user.errors[0];
  EXPECT_EQ(e.error, std::errc::connection_refused) << e.error.message();
  ASSERT_TRUE(e.peer);  // Linux: from the socket error queue
  EXPECT_EQ(*e.peer, closed_port);
  EXPECT_EQ(e.local, client_addr());

  // The transport keeps working after the error.
  server_user.on_each_message = [&](const inbound_message& m) {
    EXPECT_FALSE(server.send(m.origin.peer, test::answer(m.message, 200)));
  };
  ASSERT_FALSE(client.send(server_addr(), options_request(2, via_host())));
  ASSERT_TRUE(rt.run_until([&] { return !client_user.messages.empty(); }, k_timeout));
  EXPECT_EQ(client_user.messages[0].message.status_code(), 200);
}

TEST_P(Udp, StartingTwiceIsRefused) {
  recording_user other;
  EXPECT_EQ(server.start(other), std::errc::invalid_argument);
  EXPECT_EQ(server.local_addresses().size(), 1u);
}

TEST_P(Udp, ImmediateSendErrors) {
  EXPECT_EQ(client.send(server_addr(), std::string(65508, 'x')), transport_errc::message_too_large);
  const auto other = GetParam()[0] == '[' ? addr("127.0.0.1:5060") : addr("[::1]:5060");
  EXPECT_EQ(client.send(other, "x"), transport_errc::no_socket_for_family);
  client.close();
  EXPECT_EQ(client.send(server_addr(), "x"), transport_errc::closed);
  EXPECT_EQ(client.start(client_user), transport_errc::closed);
}

TEST_P(Udp, OversizeDatagramIsReportedNotTruncatedSilently) {
  udp_config small = config();
  small.max_datagram_size = 200;
  udp_transport tiny{rt.context(), small};
  recording_user u;
  ASSERT_FALSE(tiny.start(u));
  const std::string big = options_request(1, via_host());
  ASSERT_GT(big.size(), 200u);
  ASSERT_FALSE(client.send(tiny.local_addresses()[0], big));
  ASSERT_TRUE(rt.run_until([&] { return !u.failures.empty(); }, k_timeout));
  EXPECT_EQ(u.failures[0].error.code, parse_errc::message_too_large);
  EXPECT_TRUE(u.messages.empty());
}

TEST_P(Udp, NoEventAfterCloseAndSafeDestructionWithPendingReceives) {
  ASSERT_FALSE(client.send(server_addr(), options_request(1, via_host())));
  server.close();
  server.close();    // idempotent
  rt.run_for(50ms);  // bounded: nothing may arrive, nothing to wait for
  EXPECT_EQ(server_user.events(), 0u);
}

TEST_P(Udp, ReuseportLetsShardsShareAPort) {
  udp_config shared = config();
  shared.reuse_port = true;
  udp_transport a{rt.context(), shared};
  recording_user ua;
  ASSERT_FALSE(a.start(ua));
  shared.listen = {a.local_addresses()[0]};
  udp_transport b{rt.context(), shared};
  recording_user ub;
  EXPECT_FALSE(b.start(ub));
  // Without SO_REUSEPORT the same bind fails and nothing stays open.
  udp_config plain = config();
  plain.listen = {a.local_addresses()[0]};
  udp_transport c{rt.context(), plain};
  recording_user uc;
  EXPECT_EQ(c.start(uc), std::errc::address_in_use);
  EXPECT_TRUE(c.local_addresses().empty());
}

TEST_P(Udp, ReceiveBufferIsAtLeastWhatWasAskedWithinTheOsCap) {
  udp_config c = config();
  c.receive_buffer_size = 100'000;  // under the Linux default rmem_max (212992)
  udp_transport t{rt.context(), c};
  recording_user u;
  ASSERT_FALSE(t.start(u));
  EXPECT_GE(t.receive_buffer_size(0), 100'000u);
  EXPECT_EQ(t.receive_buffer_size(1), 0u);
}

TEST(UdpMulti, ListensOnV4AndV6AtOnce) {
  io_runtime rt;
  udp_config c;
  c.listen = {addr("127.0.0.1:0"), addr("[::1]:0")};
  udp_transport server{rt.context(), c};
  recording_user su;
  ASSERT_FALSE(server.start(su));
  ASSERT_EQ(server.local_addresses().size(), 2u);

  udp_config cc;
  cc.listen = {addr("127.0.0.1:0"), addr("[::1]:0")};
  udp_transport client{rt.context(), cc};
  recording_user cu;
  ASSERT_FALSE(client.start(cu));
  ASSERT_FALSE(client.send(server.local_addresses()[0], options_request(4)));
  ASSERT_FALSE(client.send(server.local_addresses()[1], options_request(6, "[::1]")));
  ASSERT_TRUE(rt.run_until([&] { return su.messages.size() == 2; }, k_timeout));
  std::set<socket_address, bool (*)(const socket_address&, const socket_address&)> locals(
      [](const socket_address& a, const socket_address& b) {
        return a.to_string() < b.to_string();
      });
  for (const auto& m : su.messages) {
    locals.insert(m.origin.local);
    EXPECT_EQ(m.origin.peer.family(), m.origin.local.family());
  }
  EXPECT_EQ(locals.size(), 2u);
}

TEST(UdpMulti, EmptyListenListIsAnError) {
  io_runtime rt;
  udp_transport t{rt.context(), udp_config{}};
  recording_user u;
  EXPECT_EQ(t.start(u), transport_errc::bad_address);
}

}  // namespace
}  // namespace sipua
