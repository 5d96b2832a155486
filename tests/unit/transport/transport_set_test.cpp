// transport_set (transport_set.hpp): the registry, RFC 3261 §18.1.1's
// choice of transport for a request with its top Via rewrite, and §18.2.2 /
// RFC 3581 §4 for responses. Over the in-memory network where a message has
// to arrive, and over a scripted transport where a send must fail or a
// connection must be open.
#include "sipua/transport/transport_set.hpp"

#include <gtest/gtest.h>

#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "support/recording_user.hpp"

#include "sipua/message/message.hpp"
#include "sipua/transport/memory.hpp"

namespace sipua {
namespace {

using tp = transport_protocol;

socket_address addr(std::string_view text) { return *socket_address::parse(text); }

/// A transport that records what it is asked to send, fails when told to
/// and reports the connections it is told it has.
class scripted_transport final : public transport {
 public:
  struct sent_message {
    socket_address to;
    std::string server_name;
    std::string bytes;
  };
  explicit scripted_transport(tp p) : protocol_(p) {}

  [[nodiscard]] tp protocol() const noexcept override { return protocol_; }
  [[nodiscard]] std::span<const socket_address> local_addresses() const noexcept override {
    return {};
  }
  std::error_code start(transport_user&) override { return {}; }
  std::error_code send(const socket_address& to, std::string_view bytes) override {
    return send(send_target{to, {}}, bytes);
  }
  std::error_code send(const send_target& target, std::string_view bytes) override {
    if (fail_with) return fail_with;
    sent.push_back({target.address, std::string(target.server_name), std::string(bytes)});
    return {};
  }
  [[nodiscard]] bool has_connection(const socket_address& remote) const override {
    return connections.contains(remote);
  }
  void close() noexcept override {}

  std::vector<sent_message> sent;
  std::error_code fail_with;
  std::unordered_set<socket_address> connections;

 private:
  tp protocol_;
};

/// A request of exactly `size` bytes (padded with an X-Pad header) whose
/// Via fields are `via_lines` ("Via: ...\r\n" each).
std::string request_of_size(std::size_t size,
                            std::string_view via_lines =
                                "Via: SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bK1\r\n"
                                "Via: SIP/2.0/UDP p2.example;branch=z9hG4bK2\r\n") {
  const auto build = [&](std::size_t pad) {
    return "OPTIONS sip:bob@example.com SIP/2.0\r\n" + std::string(via_lines) +
           "Max-Forwards: 70\r\nTo: <sip:bob@example.com>\r\n"
           "From: <sip:alice@example.com>;tag=a1\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\n"
           "X-Pad: " +
           std::string(pad, 'p') + "\r\nContent-Length: 0\r\n\r\n";
  };
  const std::size_t base = build(1).size() - 1;
  EXPECT_GE(size, base + 1);
  return build(size - base);
}

/// The transport token of the top Via of `bytes`.
std::string top_token(std::string_view bytes) {
  message m;
  if (parse_datagram(bytes, m)) return "(unparsable)";
  auto v = m.top_via();
  return v ? std::string(v->transport) : "(no via)";
}

// ---- the registry --------------------------------------------------------

TEST(transport_set, holds_one_transport_per_protocol) {
  scripted_transport udp1{tp::udp}, udp2{tp::udp}, tls{tp::tls};
  transport_set set;
  EXPECT_EQ(set.find(tp::udp), nullptr);
  EXPECT_FALSE(set.add(udp1));
  EXPECT_FALSE(set.add(udp1)) << "the same one again is fine";
  EXPECT_EQ(set.add(udp2), make_error_code(transport_errc::protocol_taken));
  EXPECT_EQ(set.find(tp::udp), &udp1);
  EXPECT_FALSE(set.add(tls));
  EXPECT_EQ(set.find(tp::tls), &tls);
  EXPECT_EQ(set.find(tp::tcp), nullptr);
  set.remove(tp::udp);
  EXPECT_EQ(set.find(tp::udp), nullptr);
  EXPECT_FALSE(set.add(udp2));
  EXPECT_EQ(set.find(tp::udp), &udp2);
  EXPECT_EQ(make_error_code(transport_errc::protocol_taken).message(),
            "a transport for that protocol is already registered");
}

// ---- requests over the in-memory network ---------------------------------

struct requests : ::testing::Test {
  memory_network net;
  memory_transport alice_udp{net, addr("192.0.2.1:5060"), tp::udp};
  memory_transport alice_tcp{net, addr("192.0.2.1:5061"), tp::tcp};
  // Two servers: the memory network binds one transport per address.
  memory_transport bob_udp{net, addr("192.0.2.2:5060"), tp::udp};
  memory_transport carol_tcp{net, addr("192.0.2.3:5060"), tp::tcp};
  test::recording_user alice_user, bob_user, carol_user;
  transport_set set;

  void SetUp() override {
    ASSERT_FALSE(alice_udp.start(alice_user));
    ASSERT_FALSE(alice_tcp.start(alice_user));
    ASSERT_FALSE(bob_udp.start(bob_user));
    ASSERT_FALSE(carol_tcp.start(carol_user));
    ASSERT_FALSE(set.add(alice_udp));
    ASSERT_FALSE(set.add(alice_tcp));
  }
};

TEST_F(requests, up_to_1300_bytes_stays_on_udp_unchanged) {
  std::string req = request_of_size(1300);
  const std::string before = req;
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.2:5060"), {}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, tp::udp);
  EXPECT_EQ(req, before);
  net.deliver_all();
  ASSERT_EQ(bob_user.messages.size(), 1u);
  EXPECT_EQ(bob_user.messages[0].origin.protocol, tp::udp);
  EXPECT_EQ(bob_user.messages[0].message.bytes(), before);
}

TEST_F(requests, over_1300_bytes_goes_over_tcp_with_the_top_via_rewritten) {
  std::string req = request_of_size(1301);
  std::string expect = req;
  expect.replace(expect.find("SIP/2.0/UDP"), 11, "SIP/2.0/TCP");
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.3:5060"), {}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(*r, tp::tcp);
  EXPECT_EQ(req, expect) << "only the top Via's token changes (§18.1.1)";
  EXPECT_NE(req.find("Via: SIP/2.0/UDP p2.example"), std::string::npos);
  net.deliver_all();
  ASSERT_EQ(carol_user.messages.size(), 1u);
  EXPECT_EQ(carol_user.messages[0].origin.protocol, tp::tcp);
  EXPECT_EQ(carol_user.messages[0].origin.peer, addr("192.0.2.1:5061"));
  EXPECT_EQ(top_token(carol_user.messages[0].message.bytes()), "TCP");
}

TEST_F(requests, near_a_known_path_mtu_goes_over_tcp) {
  // IPv6's 1280-byte minimum MTU: over 1080 bytes is within 200 of it.
  std::string small = request_of_size(1080);
  std::string large = request_of_size(1081);
  auto r1 = set.send_request(small, tp::udp, {addr("192.0.2.2:5060"), {}}, 1280);
  auto r2 = set.send_request(large, tp::udp, {addr("192.0.2.3:5060"), {}}, 1280);
  ASSERT_TRUE(r1);
  ASSERT_TRUE(r2);
  EXPECT_EQ(*r1, tp::udp);
  EXPECT_EQ(*r2, tp::tcp);
  EXPECT_EQ(top_token(small), "UDP");
  EXPECT_EQ(top_token(large), "TCP");
}

TEST_F(requests, without_a_tcp_transport_a_large_request_stays_on_udp) {
  set.remove(tp::tcp);
  std::string req = request_of_size(1400);
  const std::string before = req;
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.2:5060"), {}});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, tp::udp);
  EXPECT_EQ(req, before);
  net.deliver_all();
  ASSERT_EQ(bob_user.messages.size(), 1u);
  EXPECT_EQ(top_token(bob_user.messages[0].message.bytes()), "UDP");
}

TEST_F(requests, the_token_is_found_with_the_parser_whatever_its_spelling) {
  // Compact name, LWS around the slashes, lower case, a folded line
  // before: the token is where the parser says, not where "UDP" is first.
  const std::string vias =
      "X-Note: SIP/2.0/UDP is not a Via\r\n"
      "v: SIP / 2.0 / udp\r\n  192.0.2.1:5060;branch=z9hG4bK1\r\n";
  std::string req = request_of_size(1500, vias);
  std::string expect = req;
  expect.replace(expect.find("udp"), 3, "TCP");
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.3:5060"), {}});
  ASSERT_TRUE(r) << r.error().message();
  EXPECT_EQ(req, expect);
  EXPECT_NE(req.find("X-Note: SIP/2.0/UDP"), std::string::npos);
}

TEST_F(requests, a_large_request_without_a_via_is_refused_unchanged) {
  std::string req = request_of_size(1500, "");
  const std::string before = req;
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.3:5060"), {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(parse_errc::missing_header));
  EXPECT_EQ(req, before);
  EXPECT_EQ(net.in_flight(), 0u);
  // A small one is not parsed: the transport gets it as it is.
  std::string small = request_of_size(500, "");
  EXPECT_TRUE(set.send_request(small, tp::udp, {addr("192.0.2.2:5060"), {}}));
}

TEST_F(requests, a_protocol_with_no_transport_is_an_error) {
  std::string req = request_of_size(500);
  for (tp p : {tp::tls, tp::ws, tp::wss}) {
    auto r = set.send_request(req, p, {addr("192.0.2.3:5061"), "example.com"});
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error(), make_error_code(transport_errc::no_transport_for_protocol));
  }
  set.remove(tp::udp);
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.2:5060"), {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(transport_errc::no_transport_for_protocol));
  EXPECT_EQ(net.in_flight(), 0u);
}

// ---- requests over scripted transports ------------------------------------

TEST(transport_set_scripted, tls_gets_the_whole_target_and_is_never_rewritten) {
  scripted_transport tls{tp::tls}, tcp{tp::tcp};
  transport_set set;
  ASSERT_FALSE(set.add(tls));
  ASSERT_FALSE(set.add(tcp));
  std::string req = request_of_size(2000, "Via: SIP/2.0/TLS 192.0.2.1:5061;branch=z9hG4bK1\r\n");
  const std::string before = req;
  auto r = set.send_request(req, tp::tls, {addr("192.0.2.9:5061"), "biloxi.example.com"});
  ASSERT_TRUE(r);
  EXPECT_EQ(*r, tp::tls);
  EXPECT_EQ(req, before);
  ASSERT_EQ(tls.sent.size(), 1u);
  EXPECT_TRUE(tcp.sent.empty());
  EXPECT_EQ(tls.sent[0].server_name, "biloxi.example.com");  // SNI, RFC 6066 §3
  EXPECT_EQ(tls.sent[0].to, addr("192.0.2.9:5061"));
}

TEST(transport_set_scripted, a_failed_tcp_send_gives_the_udp_via_back) {
  scripted_transport udp{tp::udp}, tcp{tp::tcp};
  tcp.fail_with = transport_errc::too_many_connections;
  transport_set set;
  ASSERT_FALSE(set.add(udp));
  ASSERT_FALSE(set.add(tcp));
  std::string req = request_of_size(1400);
  const std::string before = req;
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.9:5060"), {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(transport_errc::too_many_connections));
  EXPECT_EQ(req, before) << "§18.1.1: the caller may retry over UDP";
  EXPECT_TRUE(udp.sent.empty());
  // The retry the caller may choose: TCP gone, UDP it is.
  set.remove(tp::tcp);
  ASSERT_TRUE(set.send_request(req, tp::udp, {addr("192.0.2.9:5060"), {}}));
  ASSERT_EQ(udp.sent.size(), 1u);
  EXPECT_EQ(udp.sent[0].bytes, before);
}

TEST(transport_set_scripted, a_failed_send_is_returned) {
  scripted_transport udp{tp::udp};
  udp.fail_with = transport_errc::closed;
  transport_set set;
  ASSERT_FALSE(set.add(udp));
  std::string req = request_of_size(400);
  auto r = set.send_request(req, tp::udp, {addr("192.0.2.9:5060"), {}});
  ASSERT_FALSE(r);
  EXPECT_EQ(r.error(), make_error_code(transport_errc::closed));
}

// ---- responses -------------------------------------------------------------

/// A via parsed from `text`, which it keeps (the via views it).
struct held_via {
  explicit held_via(std::string t) : text(std::move(t)) {
    auto r = parse_via(text);
    EXPECT_TRUE(r) << text;
    if (r) v = *r;
  }
  std::string text;
  via v;
};

TEST(transport_set_response, udp_with_rport_goes_to_the_source_address_and_port) {
  memory_network net;
  memory_transport server{net, addr("192.0.2.2:5060")};
  memory_transport client{net, addr("192.0.2.1:9988")};  // behind a NAT: sent-by says 5060
  test::recording_user server_user, client_user;
  ASSERT_FALSE(server.start(server_user));
  ASSERT_FALSE(client.start(client_user));
  transport_set set;
  ASSERT_FALSE(set.add(server));

  const transport_origin origin{tp::udp, addr("192.0.2.2:5060"), addr("192.0.2.1:9988"), nullptr};
  auto rewritten = top_via_for_response("SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;rport", origin);
  ASSERT_TRUE(rewritten);
  EXPECT_EQ(*rewritten, "SIP/2.0/UDP 10.0.0.1:5060;branch=z9hG4bK1;received=192.0.2.1;rport=9988");
  const held_via top{*rewritten};
  const std::string response = "SIP/2.0 200 OK\r\nVia: " + *rewritten +
                               "\r\nCall-ID: c1\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
  const response_send_result r = set.send_response(response, origin, top.v);
  ASSERT_TRUE(r) << r.error.message();
  ASSERT_TRUE(r.target.address);
  EXPECT_EQ(*r.target.address, addr("192.0.2.1:9988"));
  EXPECT_EQ(r.target.source, addr("192.0.2.2:5060"));  // RFC 3581 §4
  net.deliver_all();
  ASSERT_EQ(client_user.messages.size(), 1u);
  EXPECT_EQ(client_user.messages[0].message.status_code(), 200);
  EXPECT_EQ(client_user.messages[0].origin.peer, addr("192.0.2.2:5060"));
}

TEST(transport_set_response, udp_without_rport_goes_to_the_sent_by_port) {
  scripted_transport udp{tp::udp};
  transport_set set;
  ASSERT_FALSE(set.add(udp));
  const transport_origin origin{tp::udp, addr("192.0.2.2:5060"), addr("192.0.2.1:9988"), nullptr};
  const held_via top{"SIP/2.0/UDP 192.0.2.1:5070;branch=z9hG4bK1"};
  const response_send_result r = set.send_response("resp", origin, top.v);
  ASSERT_TRUE(r);
  ASSERT_EQ(udp.sent.size(), 1u);
  EXPECT_EQ(udp.sent[0].to, addr("192.0.2.1:5070"));  // §18.2.2
  EXPECT_EQ(udp.sent[0].bytes, "resp");
}

TEST(transport_set_response, tcp_uses_the_open_connection_else_received_and_sent_by_port) {
  scripted_transport tcp{tp::tcp};
  transport_set set;
  ASSERT_FALSE(set.add(tcp));
  const transport_origin origin{tp::tcp, addr("192.0.2.2:5060"), addr("192.0.2.1:40000"), nullptr};
  const held_via top{"SIP/2.0/TCP client.example.com:5062;branch=z9hG4bK1"};

  tcp.connections.insert(addr("192.0.2.1:40000"));
  response_send_result r = set.send_response("r1", origin, top.v);
  ASSERT_TRUE(r);
  EXPECT_TRUE(r.target.use_existing_connection);
  ASSERT_EQ(tcp.sent.size(), 1u);
  EXPECT_EQ(tcp.sent[0].to, addr("192.0.2.1:40000"));

  // §18.2.2: once closed, a connection to the received address (added for
  // a name sent-by, §18.2.1) at the sent-by port.
  tcp.connections.clear();
  r = set.send_response("r2", origin, top.v);
  ASSERT_TRUE(r);
  EXPECT_FALSE(r.target.use_existing_connection);
  ASSERT_EQ(tcp.sent.size(), 2u);
  EXPECT_EQ(tcp.sent[1].to, addr("192.0.2.1:5062"));
}

TEST(transport_set_response, a_host_name_destination_needs_resolution) {
  scripted_transport udp{tp::udp};
  transport_set set;
  ASSERT_FALSE(set.add(udp));
  const transport_origin origin{tp::udp, addr("192.0.2.2:5060"), addr("192.0.2.1:5060"), nullptr};
  // §18.2.2: maddr wins over received; here it is a name.
  const held_via top{"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1;maddr=sip-mcast.example.net"};
  const response_send_result r = set.send_response("resp", origin, top.v);
  EXPECT_EQ(r.error, make_error_code(transport_errc::name_resolution_required));
  EXPECT_FALSE(r);
  EXPECT_FALSE(r.target.address);
  EXPECT_EQ(r.target.host, "sip-mcast.example.net");
  EXPECT_EQ(r.target.port, 5060);
  EXPECT_TRUE(udp.sent.empty());
}

TEST(transport_set_response, errors_of_the_transport_and_of_the_registry) {
  scripted_transport udp{tp::udp};
  transport_set set;
  const transport_origin origin{tp::udp, addr("192.0.2.2:5060"), addr("192.0.2.1:5060"), nullptr};
  const held_via top{"SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK1"};
  EXPECT_EQ(set.send_response("resp", origin, top.v).error,
            make_error_code(transport_errc::no_transport_for_protocol));
  ASSERT_FALSE(set.add(udp));
  udp.fail_with = transport_errc::send_queue_full;
  const response_send_result r = set.send_response("resp", origin, top.v);
  EXPECT_EQ(r.error, make_error_code(transport_errc::send_queue_full));
  EXPECT_EQ(r.target.address, addr("192.0.2.1:5060"));
}

}  // namespace
}  // namespace sipua
