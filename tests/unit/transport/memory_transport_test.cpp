#include <gtest/gtest.h>

#include "support/recording_user.hpp"

#include "sipua/transport/memory.hpp"

namespace sipua {
namespace {

using test::options_request;
using test::recording_user;

socket_address addr(std::string_view text) { return *socket_address::parse(text); }

struct MemoryTransport : ::testing::Test {
  memory_network net;
  memory_transport alice{net, addr("192.0.2.1:5060")};
  memory_transport bob{net, addr("192.0.2.2:5060")};
  recording_user alice_user;
  recording_user bob_user;

  void SetUp() override {
    ASSERT_FALSE(alice.start(alice_user));
    ASSERT_FALSE(bob.start(bob_user));
  }
};

TEST_F(MemoryTransport, RequestOutResponseBack) {
  bob_user.on_each_message = [&](const inbound_message& m) {
    const std::string response = test::answer(m.message, 200);
    ASSERT_FALSE(response.empty());
    EXPECT_FALSE(bob.send(m.origin.peer, response));
  };
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], options_request(1)));
  EXPECT_EQ(net.in_flight(), 1u);
  EXPECT_TRUE(bob_user.messages.empty());  // nothing moves until the test says so
  EXPECT_EQ(net.deliver_all(), 2u);

  ASSERT_EQ(bob_user.messages.size(), 1u);
  const inbound_message& req = bob_user.messages[0];
  EXPECT_TRUE(req.message.is_request());
  EXPECT_EQ(req.message.call_id(), "call-1");
  EXPECT_EQ(req.origin.peer, addr("192.0.2.1:5060"));
  EXPECT_EQ(req.origin.local, addr("192.0.2.2:5060"));
  EXPECT_EQ(req.origin.protocol, transport_protocol::udp);

  ASSERT_EQ(alice_user.messages.size(), 1u);
  EXPECT_EQ(alice_user.messages[0].message.status_code(), 200);
  EXPECT_EQ(alice_user.messages[0].message.call_id(), "call-1");
  EXPECT_TRUE(alice_user.failures.empty());
  EXPECT_TRUE(alice_user.errors.empty());
}

TEST_F(MemoryTransport, MessagesOwnTheirBytes) {
  std::string text = options_request(7);
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], text));
  text.assign(text.size(), 'x');  // the transport copied it
  net.deliver_all();
  ASSERT_EQ(bob_user.messages.size(), 1u);
  sipua::message kept = bob_user.messages[0].message;  // shares the owner
  bob_user.messages.clear();
  EXPECT_EQ(kept.call_id(), "call-7");
  EXPECT_EQ(kept.method(), method::options);
}

TEST_F(MemoryTransport, KeepsOrderInABurst) {
  for (std::size_t i = 0; i < 1000; ++i) {
    ASSERT_FALSE(alice.send(bob.local_addresses()[0], options_request(i)));
  }
  EXPECT_EQ(net.deliver_all(), 1000u);
  ASSERT_EQ(bob_user.messages.size(), 1000u);
  for (std::size_t i = 0; i < 1000; ++i) {
    EXPECT_EQ(bob_user.messages[i].message.call_id(), "call-" + std::to_string(i));
  }
}

TEST_F(MemoryTransport, MalformedDatagramIsAParseFailureWithItsBytes) {
  const std::string junk = "INVITE sip:bob@example.com SIP/2.0\r\nVia SIP/2.0/UDP x\r\n\r\n";
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], junk));
  net.deliver_all();
  EXPECT_TRUE(bob_user.messages.empty());
  ASSERT_EQ(bob_user.failures.size(), 1u);
  const auto& f = bob_user.failures[0];
  ASSERT_NE(f.bytes, nullptr);
  EXPECT_EQ(*f.bytes, junk);
  EXPECT_TRUE(f.error);
  EXPECT_EQ(f.error.status, 400);
  EXPECT_EQ(f.origin.peer, addr("192.0.2.1:5060"));
}

TEST_F(MemoryTransport, MalformedResponseCarriesStatusZero) {
  // RFC 3261 §18.1.2: a malformed response is dropped, never answered.
  const std::string junk = "SIP/2.0 200 OK\r\nCSeq: x\r\nbroken\r\n\r\n";
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], junk));
  net.deliver_all();
  ASSERT_EQ(bob_user.failures.size(), 1u);
  EXPECT_EQ(bob_user.failures[0].error.status, 0);
  EXPECT_EQ(*bob_user.failures[0].bytes, junk);
}

TEST(MemoryNetwork, ParseOptionsAreTheReceiversOwn) {
  memory_network net;
  parse_options lenient;
  lenient.allow_bare_lf = true;
  memory_transport strict_end{net, addr("192.0.2.1:5060")};
  memory_transport lenient_end{net, addr("192.0.2.2:5060"), transport_protocol::udp, lenient};
  recording_user su;
  recording_user lu;
  ASSERT_FALSE(strict_end.start(su));
  ASSERT_FALSE(lenient_end.start(lu));
  std::string lf = options_request(5);
  for (std::size_t at = lf.find("\r\n"); at != std::string::npos; at = lf.find("\r\n", at)) {
    lf.erase(at, 1);
  }
  ASSERT_FALSE(strict_end.send(lenient_end.local_addresses()[0], lf));
  ASSERT_FALSE(lenient_end.send(strict_end.local_addresses()[0], lf));
  net.deliver_all();
  ASSERT_EQ(lu.messages.size(), 1u);
  EXPECT_EQ(lu.messages[0].message.call_id(), "call-5");
  EXPECT_EQ(su.messages.size(), 0u);
  EXPECT_EQ(su.failures.size(), 1u);
}

TEST_F(MemoryTransport, KeepAliveDatagramsAreIgnored) {
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], "\r\n\r\n"));
  EXPECT_EQ(net.deliver_all(), 1u);
  EXPECT_EQ(bob_user.events(), 0u);
}

TEST_F(MemoryTransport, UnknownDestinationIsAnErrorEventForTheSender) {
  ASSERT_FALSE(alice.send(addr("192.0.2.9:5060"), options_request(1)));
  net.deliver_all();
  ASSERT_EQ(alice_user.errors.size(), 1u);
  EXPECT_EQ(alice_user.errors[0].error, std::errc::connection_refused);
  ASSERT_TRUE(alice_user.errors[0].peer);
  EXPECT_EQ(*alice_user.errors[0].peer, addr("192.0.2.9:5060"));
  EXPECT_EQ(alice_user.errors[0].local, addr("192.0.2.1:5060"));
}

TEST_F(MemoryTransport, ClosedTransportsNeitherSendNorReceive) {
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], options_request(1)));
  bob.close();
  bob.close();  // idempotent
  net.deliver_all();
  EXPECT_TRUE(bob_user.messages.empty());
  EXPECT_EQ(alice_user.errors.size(), 1u);  // as if the port were closed
  EXPECT_EQ(bob.send(alice.local_addresses()[0], "x"), transport_errc::closed);
  EXPECT_EQ(bob.start(bob_user), transport_errc::closed);
}

TEST_F(MemoryTransport, RefusesTakenAddressesAndOtherFamilies) {
  memory_transport twin{net, addr("192.0.2.1:5060")};
  recording_user u;
  EXPECT_EQ(twin.start(u), std::errc::address_in_use);
  EXPECT_EQ(alice.send(addr("[2001:db8::1]:5060"), "x"), transport_errc::no_socket_for_family);
}

TEST_F(MemoryTransport, DropAllLosesWhatIsInFlight) {
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], options_request(1)));
  ASSERT_FALSE(alice.send(bob.local_addresses()[0], options_request(2)));
  EXPECT_EQ(net.drop_all(), 2u);
  EXPECT_FALSE(net.deliver_one());
  EXPECT_EQ(bob_user.events(), 0u);
}

TEST(MemoryNetwork, SimulatesOtherProtocols) {
  memory_network net;
  memory_transport a{net, addr("[2001:db8::1]:5061"), transport_protocol::tls};
  memory_transport b{net, addr("[2001:db8::2]:5061"), transport_protocol::tls};
  recording_user ua;
  recording_user ub;
  ASSERT_FALSE(a.start(ua));
  ASSERT_FALSE(b.start(ub));
  EXPECT_EQ(a.protocol(), transport_protocol::tls);
  ASSERT_FALSE(a.send(b.local_addresses()[0], options_request(3, "[2001:db8::1]")));
  net.deliver_all();
  ASSERT_EQ(ub.messages.size(), 1u);
  EXPECT_EQ(ub.messages[0].origin.protocol, transport_protocol::tls);
  EXPECT_EQ(ub.messages[0].origin.peer, a.local_addresses()[0]);
}

TEST(MemoryNetwork, DeliverAllStopsAtItsLimit) {
  memory_network net;
  memory_transport a{net, addr("192.0.2.1:1")};
  recording_user ua;
  ASSERT_FALSE(a.start(ua));
  // Ping-pong with itself forever.
  ua.on_each_message = [&](const inbound_message&) {
    ASSERT_FALSE(a.send(a.local_addresses()[0], options_request(1)));
  };
  ASSERT_FALSE(a.send(a.local_addresses()[0], options_request(1)));
  EXPECT_EQ(net.deliver_all(50), 50u);
  EXPECT_EQ(net.in_flight(), 1u);
}

}  // namespace
}  // namespace sipua
