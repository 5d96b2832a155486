// The transaction layer on real sockets (127.0.0.1 and ::1) through
// transaction_runtime: requests and responses over UDP and TCP, the ACK
// for a non-2xx built and sent by the client transaction, and an ICMP
// error reaching the TU as a transport failure. Short timers (T1 = 20 ms,
// T4 = 100 ms, Timer D 200 ms) so every transaction also ends within the
// test.
#include "sipua/runtime/transaction_runtime.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <variant>
#include <vector>

#include "support/recording_user.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/tcp.hpp"
#include "sipua/transport/udp.hpp"

namespace sipua::test {
namespace {

constexpr auto k_timeout = std::chrono::seconds(20);

socket_address addr(std::string_view text) { return *socket_address::parse(text); }

transaction_config quick() {
  transaction_config c;
  c.timers.t1 = std::chrono::milliseconds(20);
  c.timers.t2 = std::chrono::milliseconds(400);
  c.timers.t4 = std::chrono::milliseconds(100);
  c.timers.d = std::chrono::milliseconds(200);  // its floor is 32 s otherwise
  return c;
}

/// One endpoint: UDP and TCP transports on one loopback address and ONE
/// port (as a SIP server listens, so a request moved from UDP to TCP by
/// RFC 3261 §18.1.1 reaches it), a transaction layer and its runtime; TU
/// events are recorded.
struct endpoint {
  endpoint(io_runtime& rt, const socket_address& where)
      : layer(quick()), runtime(rt.context(), layer, transports, [this](txn_action&& a) {
          on_event(std::move(a));
        }) {
    // The OS picks the UDP port; TCP takes the same one (retried in the
    // rare case another socket holds it for TCP).
    for (int attempt = 0; attempt < 20 && !tcp; ++attempt) {
      udp = std::make_unique<udp_transport>(rt.context(), udp_cfg(where));
      if (udp->start(runtime)) continue;
      tcp = std::make_unique<tcp_transport>(rt.context(), tcp_cfg(udp->local_addresses()[0]));
      if (tcp->start(runtime)) tcp.reset();
    }
    EXPECT_TRUE(tcp) << "no port free for both UDP and TCP";
    if (!tcp) return;
    EXPECT_FALSE(transports.add(*udp));
    EXPECT_FALSE(transports.add(*tcp));
  }
  static udp_config udp_cfg(const socket_address& where) {
    udp_config c;
    c.listen = {where};
    return c;
  }
  static tcp_config tcp_cfg(const socket_address& where) {
    tcp_config c;
    c.listen = {where};
    return c;
  }
  [[nodiscard]] socket_address address() const { return udp->local_addresses()[0]; }

  void on_event(txn_action&& a) {
    if (auto* r = std::get_if<request_event>(&a)) {
      if (answer != 0) {
        EXPECT_FALSE(runtime.send_response(r->txn, test::answer(r->request.message, answer)));
      }
    }
    events.push_back(std::move(a));
  }
  template <class T>
  [[nodiscard]] std::vector<const T*> all() const {
    std::vector<const T*> out;
    for (const auto& e : events) {
      if (auto* p = std::get_if<T>(&e)) out.push_back(p);
    }
    return out;
  }

  transport_set transports;
  transaction_layer layer;
  transaction_runtime runtime;
  std::unique_ptr<udp_transport> udp;
  std::unique_ptr<tcp_transport> tcp;
  std::vector<txn_action> events;
  int answer = 200;  ///< the server TU's final answer to every request
};

std::string request(std::string_view method, std::size_t n, std::string_view via_token,
                    std::string_view via_host) {
  const std::string id = std::to_string(n);
  return std::string(method) + " sip:bob@example.com SIP/2.0\r\n" + "Via: SIP/2.0/" +
         std::string(via_token) + " " + std::string(via_host) + ";branch=z9hG4bKrt" + id +
         ";rport\r\n"
         "Max-Forwards: 70\r\n"
         "To: <sip:bob@example.com>\r\n"
         "From: <sip:alice@example.com>;tag=a" +
         id + "\r\nCall-ID: rt-" + id + "\r\nCSeq: 1 " + std::string(method) +
         "\r\nContent-Length: 0\r\n\r\n";
}

class transaction_runtime_test : public ::testing::TestWithParam<const char*> {
 protected:
  socket_address any() const { return addr(GetParam()); }
  std::string host() const { return any().address().to_uri_string(); }
  bool settle() {
    return rt.run_until([&] { return client.layer.size() == 0 && server.layer.size() == 0; },
                        k_timeout);
  }

  io_runtime rt;
  endpoint server{rt, any()};
  endpoint client{rt, any()};
};

TEST_P(transaction_runtime_test, NonInviteOverUdpAndItsTimerK) {
  auto id = client.runtime.send_request(request("OPTIONS", 1, "UDP", host()),
                                        send_target{server.address(), {}}, transport_protocol::udp);
  ASSERT_TRUE(id) << id.error().message();
  ASSERT_TRUE(rt.run_until([&] { return !client.all<response_event>().empty(); }, k_timeout));
  EXPECT_EQ(client.all<response_event>()[0]->response.message.status_code(), 200);
  EXPECT_EQ(client.all<response_event>()[0]->txn, *id);
  ASSERT_EQ(server.all<request_event>().size(), 1u);
  ASSERT_TRUE(settle());  // Timer K (T4) and Timer J (64*T1) end both
  EXPECT_EQ(client.all<terminated_event>().size(), 1u);
  EXPECT_EQ(server.all<terminated_event>().size(), 1u);
  EXPECT_TRUE(client.all<timeout_event>().empty());
}

TEST_P(transaction_runtime_test, InviteRejectedIsAckedByTheClientTransaction) {
  server.answer = 486;
  auto id = client.runtime.send_request(request("INVITE", 2, "UDP", host()),
                                        send_target{server.address(), {}}, transport_protocol::udp);
  ASSERT_TRUE(id);
  ASSERT_TRUE(rt.run_until(
      [&] {
        const auto r = server.all<request_event>();
        return !r.empty() && server.layer.state(r[0]->txn) == transaction_state::confirmed;
      },
      k_timeout))
      << [&] {
           std::string kinds = "client:";
           for (auto& e : client.events) kinds += " " + std::to_string(e.index());
           kinds += " server:";
           for (auto& e : server.events) kinds += " " + std::to_string(e.index());
           return kinds;
         }();
  // The 100 from the server's layer and the 486 reached the client's TU.
  const auto responses = client.all<response_event>();
  ASSERT_EQ(responses.size(), 2u);
  EXPECT_EQ(responses[0]->response.message.status_code(), 100);
  EXPECT_EQ(responses[1]->response.message.status_code(), 486);
  EXPECT_TRUE(server.all<ack_event>().empty());  // absorbed by the transaction
  ASSERT_TRUE(settle());
}

TEST_P(transaction_runtime_test, NonInviteOverTcpIsAnsweredOnTheSameConnection) {
  auto id = client.runtime.send_request(request("OPTIONS", 3, "TCP", host()),
                                        send_target{server.address(), {}}, transport_protocol::tcp);
  ASSERT_TRUE(id);
  ASSERT_TRUE(rt.run_until([&] { return !client.all<response_event>().empty(); }, k_timeout));
  EXPECT_EQ(client.tcp->connection_count(), 1u);
  EXPECT_EQ(server.tcp->connection_count(), 1u);
  // Reliable: Timer K and J are zero, both transactions end at once.
  EXPECT_EQ(client.layer.size(), 0u);
  ASSERT_TRUE(settle());
}

TEST_P(transaction_runtime_test, LargeUdpRequestGoesOverTcp) {
  std::string big = request("MESSAGE", 4, "UDP", host());
  const std::string body(1500, 'x');
  big.replace(big.find("Content-Length: 0"), 17, "Content-Length: 1500");
  big += body;
  auto id =
      client.runtime.send_request(big, send_target{server.address(), {}}, transport_protocol::udp);
  ASSERT_TRUE(id) << id.error().message();
  // RFC 3261 §18.1.1: over 1300 bytes, so TCP, to the same port, with the
  // Via saying so; reliable, so never retransmitted.
  ASSERT_TRUE(rt.run_until([&] { return !client.all<response_event>().empty(); }, k_timeout));
  ASSERT_EQ(server.all<request_event>().size(), 1u);
  const message& got = server.all<request_event>()[0]->request.message;
  EXPECT_EQ(server.all<request_event>()[0]->request.origin.protocol, transport_protocol::tcp);
  EXPECT_EQ(got.top_via()->transport, "TCP");
  EXPECT_EQ(got.body(), body);
  EXPECT_EQ(client.tcp->connection_count(), 1u);
  ASSERT_TRUE(settle());
}

TEST_P(transaction_runtime_test, IcmpUnreachableEndsTheTransactionWithATransportFailure) {
  // A UDP port nobody listens on: bind one, note it, close it.
  socket_address closed;
  {
    udp_transport probe(rt.context(), endpoint::udp_cfg(any()));
    recording_user nobody;
    ASSERT_FALSE(probe.start(nobody));
    closed = probe.local_addresses()[0];
  }
  auto id = client.runtime.send_request(request("OPTIONS", 5, "UDP", host()),
                                        send_target{closed, {}}, transport_protocol::udp);
  ASSERT_TRUE(id);
  ASSERT_TRUE(
      rt.run_until([&] { return !client.all<transport_failure_event>().empty(); }, k_timeout));
  const auto f = client.all<transport_failure_event>();
  EXPECT_EQ(f[0]->txn, *id);
  EXPECT_EQ(f[0]->error, std::errc::connection_refused);
  EXPECT_EQ(client.layer.size(), 0u);
}

INSTANTIATE_TEST_SUITE_P(Loopback, transaction_runtime_test,
                         ::testing::Values("127.0.0.1:0", "[::1]:0"));

}  // namespace
}  // namespace sipua::test
