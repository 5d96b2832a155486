// transport_set on real sockets (127.0.0.1 and ::1 only): a large request
// asked for UDP goes over TCP with its top Via rewritten (RFC 3261
// §18.1.1), a response to a UDP request with rport goes back to the source
// port (RFC 3581 §4), and a response to a TCP request goes back over the
// request's connection (§18.2.2). No sleeps: every wait is a bounded
// run_until.
#include "sipua/transport/transport_set.hpp"

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <string_view>

#include "loopback_pair.hpp"
#include "support/recording_user.hpp"
#include <asio/io_context.hpp>

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"
#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/tcp.hpp"
#include "sipua/transport/udp.hpp"

namespace sipua {
namespace {

using tp = transport_protocol;
using test::addr;
using test::k_timeout;
using test::recording_user;

/// One side: a UDP and a TCP transport on the same address and port (so
/// one target address serves both, as RFC 3263 gives it), in a set.
struct endpoint {
  endpoint(io_runtime& rt, socket_address any) : rt_(rt), any_(any) {}

  /// UDP on a port the OS picks, then TCP on that same port. TCP and UDP
  /// ports are separate spaces, but the port may be in use for TCP (another
  /// test's connection has it as its ephemeral port): then pick again.
  std::error_code start() {
    std::error_code e;
    for (int attempt = 0; attempt < 20; ++attempt) {
      udp_config uc;
      uc.listen = {any_};
      udp = std::make_unique<udp_transport>(rt_.context(), uc);
      if ((e = udp->start(user))) return e;
      tcp_config tc;
      tc.listen = {udp->local_addresses()[0]};
      tcp = std::make_unique<tcp_transport>(rt_.context(), tc);
      e = tcp->start(user);
      if (e != std::errc::address_in_use) break;
      tcp.reset();
      udp.reset();
    }
    if (e) return e;
    if ((e = set.add(*udp))) return e;
    return set.add(*tcp);
  }
  [[nodiscard]] socket_address address() const { return udp->local_addresses()[0]; }

  io_runtime& rt_;
  socket_address any_;
  // Destroyed in reverse: the set before the transports it refers to, the
  // transports before their user.
  recording_user user;
  std::unique_ptr<udp_transport> udp;
  std::unique_ptr<tcp_transport> tcp;
  transport_set set;
};

/// An OPTIONS request with top Via `via_value`, padded (X-Pad) to at least
/// `size` bytes.
std::string request(std::string_view via_value, std::size_t n, std::size_t size = 0) {
  std::string r = "OPTIONS sip:bob@example.com SIP/2.0\r\nVia: " + std::string(via_value) +
                  "\r\nMax-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
                  "From: <sip:alice@example.com>;tag=a1\r\nCall-ID: call-" +
                  std::to_string(n) + "\r\nCSeq: 1 OPTIONS\r\n";
  if (r.size() < size) r += "X-Pad: " + std::string(size - r.size(), 'p') + "\r\n";
  return r + "Content-Length: 0\r\n\r\n";
}

std::string top_token(const message& m) {
  auto v = m.top_via();
  return v ? std::string(v->transport) : "(no via)";
}

class TransportSet : public ::testing::TestWithParam<const char*> {
 protected:
  void SetUp() override {
    std::error_code e = server.start();
    ASSERT_FALSE(e) << e.message();
    e = client.start();
    ASSERT_FALSE(e) << e.message();
  }
  [[nodiscard]] std::string host() const { return addr(GetParam()).address().to_uri_string(); }

  /// The server answers every request: received/rport added to the top Via
  /// (§18.2.1, RFC 3581 §4), the response built with that Via and sent
  /// with send_response. Records what send_response returned.
  void answer_all() {
    server.user.on_each_message = [&](const inbound_message& m) {
      auto top = top_via_for_response(m.message.value(header_id::via), m.origin);
      ASSERT_TRUE(top);
      auto wire = build_response(m.message, response_top_via{*top}, 200, {}, "uas1").build();
      ASSERT_TRUE(wire);
      // The response's own top Via is the rewritten one: route by it.
      message resp;
      ASSERT_FALSE(parse_datagram(*wire, resp));
      auto via = resp.top_via();
      ASSERT_TRUE(via);
      answered.push_back(server.set.send_response(*wire, m.origin, *via));
    };
  }

  io_runtime rt;
  endpoint server{rt, addr(GetParam())};
  endpoint client{rt, addr(GetParam())};
  std::vector<response_send_result> answered;
};

INSTANTIATE_TEST_SUITE_P(Loopback, TransportSet, ::testing::Values("127.0.0.1:0", "[::1]:0"),
                         [](const auto& param) { return param.index == 0 ? "v4" : "v6"; });

TEST_P(TransportSet, LargeRequestAskedForUdpGoesOverTcpSmallOneStaysOnUdp) {
  const std::string via =
      "SIP/2.0/UDP " + client.address().to_string() + ";branch=z9hG4bKbig;rport";
  std::string big = request(via, 1, 1400);
  ASSERT_GT(big.size(), udp_request_size_limit);
  auto r = client.set.send_request(big, tp::udp, {server.address(), {}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, tp::tcp);
  ASSERT_TRUE(rt.run_until([&] { return !server.user.messages.empty(); }, k_timeout));
  const inbound_message& got = server.user.messages[0];
  EXPECT_EQ(got.origin.protocol, tp::tcp);
  EXPECT_EQ(top_token(got.message), "TCP");
  EXPECT_EQ(got.message.bytes(), big);  // as rewritten, nothing else changed
  EXPECT_EQ(got.message.bytes().size(), big.size());
  EXPECT_EQ(server.tcp->connection_count(), 1u);

  std::string small = request(via, 2);
  const std::string small_before = small;
  r = client.set.send_request(small, tp::udp, {server.address(), {}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, tp::udp);
  EXPECT_EQ(small, small_before);
  ASSERT_TRUE(rt.run_until([&] { return server.user.messages.size() == 2; }, k_timeout));
  const inbound_message& got2 = server.user.messages[1];
  EXPECT_EQ(got2.origin.protocol, tp::udp);
  EXPECT_EQ(got2.origin.peer, client.address());
  EXPECT_EQ(top_token(got2.message), "UDP");
  EXPECT_TRUE(server.user.errors.empty());
  EXPECT_TRUE(server.user.failures.empty());
}

TEST_P(TransportSet, UdpResponseWithRportGoesToTheSourcePort) {
  answer_all();
  // A client behind a NAT would write its private address and port: a name
  // and a port nobody listens on. Only rport brings the response back.
  const std::string request_text =
      request("SIP/2.0/UDP client.invalid:9;branch=z9hG4bKnat;rport", 3);
  std::string req = request_text;
  auto r = client.set.send_request(req, tp::udp, {server.address(), {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, tp::udp);
  // A wrong destination shows up as an error event (refused): stop then.
  ASSERT_TRUE(rt.run_until(
      [&] { return !client.user.messages.empty() || !server.user.errors.empty(); }, k_timeout));
  ASSERT_EQ(client.user.messages.size(), 1u);

  ASSERT_EQ(answered.size(), 1u);
  ASSERT_TRUE(answered[0]) << answered[0].error.message();
  EXPECT_EQ(answered[0].target.address, client.address());
  const inbound_message& resp = client.user.messages[0];
  EXPECT_EQ(resp.message.status_code(), 200);
  EXPECT_EQ(resp.origin.protocol, tp::udp);
  EXPECT_EQ(resp.origin.peer, server.address());
  auto top = resp.message.top_via();
  ASSERT_TRUE(top);
  EXPECT_EQ(top->rport, client.address().port());
  // RFC 5118 §4.5: received carries an IPv6 address without brackets.
  EXPECT_EQ(top->received, client.address().address().to_string());
  EXPECT_EQ(resp.message.value(header_id::via),
            "SIP/2.0/UDP client.invalid:9;branch=z9hG4bKnat;received=" +
                client.address().address().to_string() +
                ";rport=" + std::to_string(client.address().port()));
  EXPECT_TRUE(client.user.errors.empty());
  EXPECT_TRUE(server.user.errors.empty());
}

TEST_P(TransportSet, TcpResponseGoesBackOverTheRequestsConnection) {
  answer_all();
  // Nothing listens on the sent-by port: a new connection there would fail.
  const std::string via = "SIP/2.0/TCP " + host() + ":9;branch=z9hG4bKtcp";
  std::string req = request(via, 4);
  auto r = client.set.send_request(req, tp::tcp, {server.address(), {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, tp::tcp);
  // A wrong destination shows up as an error event (refused): stop then.
  ASSERT_TRUE(rt.run_until(
      [&] { return !client.user.messages.empty() || !server.user.errors.empty(); }, k_timeout));
  ASSERT_EQ(client.user.messages.size(), 1u);

  ASSERT_EQ(server.user.messages.size(), 1u);
  const socket_address client_end = server.user.messages[0].origin.peer;
  ASSERT_EQ(answered.size(), 1u);
  ASSERT_TRUE(answered[0]) << answered[0].error.message();
  EXPECT_TRUE(answered[0].target.use_existing_connection);
  EXPECT_EQ(answered[0].target.address, client_end);
  const inbound_message& resp = client.user.messages[0];
  EXPECT_EQ(resp.message.status_code(), 200);
  EXPECT_EQ(resp.origin.protocol, tp::tcp);
  EXPECT_EQ(resp.origin.local, client_end);  // the same connection, other end
  EXPECT_EQ(server.tcp->connection_count(), 1u);
  EXPECT_EQ(client.tcp->connection_count(), 1u);
  EXPECT_TRUE(client.user.errors.empty());
  EXPECT_TRUE(server.user.errors.empty());
}

}  // namespace
}  // namespace sipua
