// The TCP transport's limits on real sockets (127.0.0.1 only): the message
// timeout (a dribbling peer), resets and closes mid-message, oversize
// messages, the connection cap, the idle timeout. Timeouts are set small;
// every wait is a bounded run_until, no sleeps.
#include <gtest/gtest.h>

#include <chrono>
#include <memory>

#include "loopback_pair.hpp"
#include "support/recording_user.hpp"
#include "tcp_support.hpp"
#include <asio/steady_timer.hpp>

#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/tcp.hpp"

namespace sipua {
namespace {

using namespace std::chrono_literals;
using test::options_request;
using test::raw_client;
using test::recording_user;

using test::k_timeout;

class TcpLimits : public ::testing::Test {
 protected:
  static tcp_config base() {
    tcp_config c;
    c.listen = {*socket_address::parse("127.0.0.1:0")};
    return c;
  }
  void start(const tcp_config& c) {
    server = std::make_unique<tcp_transport>(rt.context(), c);
    ASSERT_FALSE(server->start(user));
  }
  socket_address server_addr() const { return server->local_addresses()[0]; }

  io_runtime rt;
  recording_user user;
  std::unique_ptr<tcp_transport> server;
};

TEST_F(TcpLimits, DribblingHeaderIsCutOffAtTheMessageTimeout) {
  tcp_config c = base();
  c.message_timeout = 300ms;
  c.idle_timeout = 60s;  // traffic keeps flowing: only the message timeout can fire
  start(c);
  raw_client raw(rt.context());
  raw.connect(server_addr());
  raw.write("OPTIONS sip:bob@example.com SIP/2.0\r\nX-Slow: ");
  // One byte every 20 ms, forever (until the server cuts the connection).
  asio::steady_timer drip(rt.context());
  std::size_t dripped = 0;
  std::function<void()> next = [&] {
    drip.expires_after(20ms);
    drip.async_wait([&](const std::error_code& ec) {
      if (ec || raw.closed) return;
      raw.write("a");
      ++dripped;
      next();
    });
  };
  next();
  const auto began = std::chrono::steady_clock::now();
  ASSERT_TRUE(rt.run_until([&] { return raw.closed && !user.errors.empty(); }, k_timeout));
  drip.cancel();
  EXPECT_GE(std::chrono::steady_clock::now() - began, 300ms);
  EXPECT_GT(dripped, 2u);  // it was sending all along
  const auto& e = user.errors[0];
  EXPECT_EQ(e.error, std::errc::timed_out) << e.error.message();
  ASSERT_TRUE(e.peer);
  EXPECT_EQ(*e.peer, raw.local());
  EXPECT_EQ(server->connection_count(), 0u);
  EXPECT_TRUE(user.messages.empty());
}

TEST_F(TcpLimits, ResetMidMessageIsAnErrorEvent) {
  start(base());
  raw_client raw(rt.context());
  raw.connect(server_addr());
  const socket_address raw_addr = raw.local();
  const std::string request = options_request(1);
  raw.write(request.substr(0, request.size() / 2));
  ASSERT_TRUE(rt.run_until([&] { return raw.all_written() && server->connection_count() == 1; },
                           k_timeout));
  raw.reset();
  ASSERT_TRUE(rt.run_until([&] { return !user.errors.empty(); }, k_timeout));
  EXPECT_EQ(user.errors[0].error, std::errc::connection_reset) << user.errors[0].error.message();
  ASSERT_TRUE(user.errors[0].peer);
  EXPECT_EQ(*user.errors[0].peer, raw_addr);
  EXPECT_EQ(server->connection_count(), 0u);
  EXPECT_TRUE(user.messages.empty());
}

TEST_F(TcpLimits, CleanCloseMidMessageIsConnectionAborted) {
  start(base());
  raw_client raw(rt.context());
  raw.connect(server_addr());
  const socket_address raw_addr = raw.local();
  const std::string request = options_request(1);
  raw.write(options_request(0) + request.substr(0, request.size() - 3));
  ASSERT_TRUE(rt.run_until([&] { return user.messages.size() == 1; }, k_timeout));
  ASSERT_TRUE(rt.run_until([&] { return raw.all_written(); }, k_timeout));
  raw.close();
  ASSERT_TRUE(rt.run_until([&] { return !user.errors.empty(); }, k_timeout));
  EXPECT_EQ(user.errors[0].error, std::errc::connection_aborted);
  EXPECT_EQ(*user.errors[0].peer, raw_addr);
  EXPECT_EQ(server->connection_count(), 0u);
}

TEST_F(TcpLimits, CleanCloseBetweenMessagesIsNoEvent) {
  start(base());
  raw_client raw(rt.context());
  raw.connect(server_addr());
  raw.write(options_request(0));
  ASSERT_TRUE(rt.run_until([&] { return user.messages.size() == 1; }, k_timeout));
  raw.close();
  ASSERT_TRUE(rt.run_until([&] { return server->connection_count() == 0; }, k_timeout));
  EXPECT_EQ(user.events(), 1u);
}

TEST_F(TcpLimits, OversizeMessageIsAParseFailureAnsweredThenClosed) {
  start(base());
  user.on_each_failure = [&](const inbound_parse_failure& f) {
    // The layer above answers on the same connection before it closes.
    EXPECT_FALSE(server->send(f.origin.peer, "SIP/2.0 413 Too Large\r\nContent-Length: 0\r\n\r\n"));
  };
  raw_client raw(rt.context());
  raw.connect(server_addr());
  const std::size_t body = 70000;  // over framer_limits::max_body_size (65535)
  std::string big = options_request(1);
  big.replace(big.find("Content-Length: 0"), 17, "Content-Length: " + std::to_string(body));
  raw.write(big + std::string(body, 'x'));
  ASSERT_TRUE(rt.run_until([&] { return raw.closed; }, k_timeout));
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].error.code, parse_errc::body_too_large);
  EXPECT_EQ(user.failures[0].error.status, 413);
  EXPECT_EQ(user.failures[0].origin.protocol, transport_protocol::tcp);
  EXPECT_EQ(raw.received, "SIP/2.0 413 Too Large\r\nContent-Length: 0\r\n\r\n");
  // A graceful close (FIN after the answer), not a RST, though the body
  // was never read.
  EXPECT_EQ(raw.close_error, asio::error::eof) << raw.close_error.message();
  EXPECT_TRUE(user.messages.empty());
  EXPECT_EQ(server->connection_count(), 0u);
}

TEST_F(TcpLimits, ConfiguredHeaderLimitBoundsWhatIsBuffered) {
  tcp_config c = base();
  c.framing.max_header_size = 512;
  start(c);
  raw_client raw(rt.context());
  raw.connect(server_addr());
  // A header section that never ends, in small writes: cut off at 512 bytes.
  raw.write("OPTIONS sip:bob@example.com SIP/2.0\r\n");
  for (int i = 0; i < 40; ++i) raw.write("X-Pad: " + std::string(20, 'p') + "\r\n");
  ASSERT_TRUE(rt.run_until([&] { return raw.closed; }, k_timeout));
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(user.failures[0].error.code, parse_errc::header_section_too_large);
  EXPECT_EQ(user.failures[0].error.status, 513);
  EXPECT_EQ(server->connection_count(), 0u);
}

TEST_F(TcpLimits, UnparsableMessageIsAParseFailureAndClosed) {
  start(base());
  raw_client raw(rt.context());
  raw.connect(server_addr());
  const std::string junk =
      "INVITE sip:bob@example.com SIP/2.0\r\nno colon here\r\nContent-Length: 0\r\n\r\n";
  raw.write(junk + options_request(2));  // nothing after the bad one is read
  ASSERT_TRUE(rt.run_until([&] { return raw.closed; }, k_timeout));
  ASSERT_EQ(user.failures.size(), 1u);
  EXPECT_EQ(*user.failures[0].bytes, junk);
  EXPECT_EQ(user.failures[0].error.status, 400);
  EXPECT_TRUE(user.messages.empty());
  EXPECT_EQ(server->connection_count(), 0u);
}

TEST_F(TcpLimits, ConnectionsPastTheCapAreClosedAndTheOthersKeepWorking) {
  tcp_config c = base();
  c.max_connections = 8;
  start(c);
  std::vector<std::unique_ptr<raw_client>> raws;
  for (int i = 0; i < 8; ++i) {
    raws.push_back(std::make_unique<raw_client>(rt.context()));
    raws.back()->connect(server_addr());
  }
  ASSERT_TRUE(rt.run_until([&] { return server->connection_count() == 8; }, k_timeout));
  raw_client extra(rt.context());
  extra.connect(server_addr());  // the kernel accepts; the transport closes it
  ASSERT_TRUE(rt.run_until([&] { return extra.closed; }, k_timeout));
  EXPECT_EQ(server->connection_count(), 8u);
  EXPECT_EQ(user.events(), 0u);

  user.on_each_message = [&](const inbound_message& m) {
    EXPECT_FALSE(server->send(m.origin.peer, test::answer(m.message, 200)));
  };
  for (std::size_t i = 0; i < raws.size(); ++i) raws[i]->write(options_request(i));
  ASSERT_TRUE(rt.run_until(
      [&] {
        for (const auto& r : raws) {
          if (r->received.find("SIP/2.0 200") == std::string::npos) return false;
        }
        return true;
      },
      k_timeout));
  EXPECT_EQ(user.messages.size(), 8u);
  EXPECT_EQ(server->connection_count(), 8u);
  for (const auto& r : raws) EXPECT_FALSE(r->closed);
}

TEST_F(TcpLimits, IdleConnectionsAreClosed) {
  tcp_config c = base();
  c.idle_timeout = 200ms;
  start(c);
  recording_user client_user;
  tcp_transport client{rt.context(), tcp_config{}};  // client only, default (long) idle timeout
  ASSERT_FALSE(client.start(client_user));
  ASSERT_FALSE(client.send(server_addr(), options_request(1)));
  ASSERT_TRUE(rt.run_until([&] { return user.messages.size() == 1; }, k_timeout));
  EXPECT_EQ(server->connection_count(), 1u);
  const auto began = std::chrono::steady_clock::now();
  // The server closes it; the client sees the close and drops it too.
  ASSERT_TRUE(rt.run_until(
      [&] { return server->connection_count() == 0 && client.connection_count() == 0; },
      k_timeout));
  EXPECT_GE(std::chrono::steady_clock::now() - began, 100ms);
  EXPECT_EQ(user.events(), 1u);
  EXPECT_EQ(client_user.events(), 0u);
}

// A listener that never accepts, with its accept queue full: Linux drops
// further SYNs, so a connect to it hangs until the connect timeout.
TEST_F(TcpLimits, ConnectTimeoutIsAnErrorEventNamingThePeer) {
  asio::ip::tcp::acceptor stuck(rt.context(),
                                asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
  stuck.listen(0);
  const socket_address stuck_addr = test::from_tcp_endpoint(stuck.local_endpoint());
  std::vector<std::unique_ptr<asio::ip::tcp::socket>> fillers;
  for (int i = 0; i < 4; ++i) {
    fillers.push_back(std::make_unique<asio::ip::tcp::socket>(rt.context()));
    fillers.back()->async_connect(stuck.local_endpoint(), [](const std::error_code&) {});
  }
  tcp_config c = base();
  c.connect_timeout = 300ms;
  start(c);
  ASSERT_FALSE(server->send(stuck_addr, options_request(1)));
  ASSERT_TRUE(rt.run_until([&] { return !user.errors.empty(); }, k_timeout));
  EXPECT_EQ(user.errors[0].error, std::errc::timed_out) << user.errors[0].error.message();
  ASSERT_TRUE(user.errors[0].peer);
  EXPECT_EQ(*user.errors[0].peer, stuck_addr);
  EXPECT_EQ(server->connection_count(), 0u);
}

}  // namespace
}  // namespace sipua
