// transaction_runtime's trace hook and logger on real UDP sockets
// (127.0.0.1 and ::1): the hook sees the request sent and the response
// received with the right protocol, addresses and bytes on both ends,
// retransmissions flagged, parse failures; a refused send is logged at
// warning, a parse failure at debug; requests posted from other threads
// are sent and traced on the loop's thread.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "support/recording_user.hpp"

#include "sipua/runtime/io_runtime.hpp"
#include "sipua/runtime/log.hpp"
#include "sipua/runtime/trace.hpp"
#include "sipua/runtime/transaction_runtime.hpp"
#include "sipua/transport/error.hpp"
#include "sipua/transport/udp.hpp"

namespace sipua::test {
namespace {

constexpr auto k_timeout = std::chrono::seconds(20);

socket_address addr(std::string_view text) { return *socket_address::parse(text); }

/// A trace_event with its bytes copied, and the thread that saw it.
struct seen {
  trace_event::direction dir;
  transport_protocol protocol;
  socket_address local;
  socket_address peer;
  std::string bytes;
  bool retransmission;
  std::thread::id thread;
};

struct logged {
  log_level level;
  std::string text;
};

/// One UDP endpoint: a transaction layer, its runtime with a trace hook
/// and a logger (debug) that record everything; the TU answers requests
/// with `answer`.
struct endpoint {
  endpoint(io_runtime& rt, const socket_address& where, transaction_config config = {})
      : layer(config), runtime(rt.context(), layer, transports, [this](txn_action&& a) {
          on_event(std::move(a));
        }) {
    udp_config c;
    c.listen = {where};
    udp = std::make_unique<udp_transport>(rt.context(), c);
    EXPECT_FALSE(udp->start(runtime));
    EXPECT_FALSE(transports.add(*udp));
    runtime.set_trace([this](const trace_event& e) {
      traces.push_back(seen{e.dir, e.protocol, e.local, e.peer, std::string(e.bytes),
                            e.retransmission, std::this_thread::get_id()});
    });
    log.set_sink([this](const log_record& r) {
      EXPECT_EQ(r.component, "runtime");
      logs.push_back(logged{r.level, std::string(r.text)});
    });
    log.set_level(log_level::debug);
    runtime.set_logger(&log);
  }
  [[nodiscard]] socket_address address() const { return udp->local_addresses()[0]; }

  void on_event(txn_action&& a) {
    if (auto* r = std::get_if<request_event>(&a); r != nullptr && answer != 0) {
      EXPECT_FALSE(runtime.send_response(r->txn, test::answer(r->request.message, answer)));
    }
    events.push_back(std::move(a));
  }
  [[nodiscard]] std::size_t responses() const {
    return static_cast<std::size_t>(std::count_if(events.begin(), events.end(), [](auto& e) {
      return std::holds_alternative<response_event>(e);
    }));
  }
  [[nodiscard]] std::vector<seen> traced(trace_event::direction d) const {
    std::vector<seen> out;
    for (const auto& t : traces) {
      if (t.dir == d) out.push_back(t);
    }
    return out;
  }

  transport_set transports;
  transaction_layer layer;
  transaction_runtime runtime;
  std::unique_ptr<udp_transport> udp;
  logger log;
  std::vector<seen> traces;
  std::vector<logged> logs;
  std::vector<txn_action> events;
  int answer = 200;
};

/// An OPTIONS whose Via asks for rport (RFC 3581), so the response comes
/// back to the port it left from.
std::string request(std::size_t n, std::string_view via_host) {
  const std::string id = std::to_string(n);
  return "OPTIONS sip:bob@example.com SIP/2.0\r\nVia: SIP/2.0/UDP " + std::string(via_host) +
         ";branch=z9hG4bKtl" + id +
         ";rport\r\n"
         "Max-Forwards: 70\r\n"
         "To: <sip:bob@example.com>\r\n"
         "From: <sip:alice@example.com>;tag=a" +
         id + "\r\nCall-ID: tl-" + id + "\r\nCSeq: 1 OPTIONS\r\nContent-Length: 0\r\n\r\n";
}

constexpr auto sent = trace_event::direction::sent;
constexpr auto received = trace_event::direction::received;

class trace_log_test : public ::testing::TestWithParam<const char*> {
 protected:
  socket_address any() const { return addr(GetParam()); }
  std::string host() const { return any().address().to_uri_string(); }

  io_runtime rt;
};

TEST_P(trace_log_test, HookSeesTheRequestSentAndTheResponseReceived) {
  endpoint server(rt, any());
  endpoint client(rt, any());
  const std::string req = request(1, host());
  auto id =
      client.runtime.send_request(req, send_target{server.address(), {}}, transport_protocol::udp);
  ASSERT_TRUE(id) << id.error().message();
  ASSERT_TRUE(rt.run_until([&] { return client.responses() == 1; }, k_timeout));

  // The client: the request went out (T1 = 500 ms: a retransmission is
  // possible only on a very slow machine, and then flagged), the 200 came
  // in.
  const auto client_sent = client.traced(sent);
  ASSERT_GE(client_sent.size(), 1u);
  for (std::size_t i = 0; i < client_sent.size(); ++i) {
    EXPECT_EQ(client_sent[i].protocol, transport_protocol::udp);
    EXPECT_EQ(client_sent[i].local, client.address());
    EXPECT_EQ(client_sent[i].peer, server.address());
    EXPECT_EQ(client_sent[i].bytes, req);
    EXPECT_EQ(client_sent[i].retransmission, i > 0);
  }
  const auto client_received = client.traced(received);
  ASSERT_EQ(client_received.size(), 1u);
  EXPECT_EQ(client_received[0].protocol, transport_protocol::udp);
  EXPECT_EQ(client_received[0].local, client.address());
  EXPECT_EQ(client_received[0].peer, server.address());
  EXPECT_EQ(client_received[0].bytes.rfind("SIP/2.0 200 OK\r\n", 0), 0u)
      << client_received[0].bytes;
  EXPECT_FALSE(client_received[0].retransmission);

  // The server: the same request in, the same response out.
  const auto server_received = server.traced(received);
  ASSERT_GE(server_received.size(), 1u);
  EXPECT_EQ(server_received[0].protocol, transport_protocol::udp);
  EXPECT_EQ(server_received[0].local, server.address());
  EXPECT_EQ(server_received[0].peer, client.address());
  EXPECT_EQ(server_received[0].bytes, req);
  const auto server_sent = server.traced(sent);
  ASSERT_GE(server_sent.size(), 1u);
  EXPECT_EQ(server_sent[0].protocol, transport_protocol::udp);
  EXPECT_EQ(server_sent[0].local, server.address());
  EXPECT_EQ(server_sent[0].peer, client.address());
  EXPECT_EQ(server_sent[0].bytes, client_received[0].bytes);
  EXPECT_FALSE(server_sent[0].retransmission);

  // Order on each side: sent before received (client), received before
  // sent (server); every call on this (the loop's) thread.
  EXPECT_EQ(client.traces[0].dir, sent);
  EXPECT_EQ(server.traces[0].dir, received);
  for (const auto& t : client.traces) EXPECT_EQ(t.thread, std::this_thread::get_id());
  EXPECT_EQ(format_trace(trace_event{sent, transport_protocol::udp, client_sent[0].local,
                                     client_sent[0].peer, client_sent[0].bytes, false}),
            "send " + std::to_string(req.size()) + " bytes to " + server.address().to_string() +
                " over UDP from " + client.address().to_string() + "\n" + req);
  // Nothing went wrong, so nothing was logged.
  EXPECT_TRUE(client.logs.empty());
  EXPECT_TRUE(server.logs.empty());
}

TEST_P(trace_log_test, RetransmissionsAreFlagged) {
  transaction_config quick;
  quick.timers.t1 = std::chrono::milliseconds(10);
  endpoint client(rt, any(), quick);
  // A peer that never answers: Timer E retransmits (RFC 3261 §17.1.2.2).
  udp_config c;
  c.listen = {any()};
  udp_transport silent(rt.context(), c);
  recording_user heard;
  ASSERT_FALSE(silent.start(heard));
  const std::string req = request(2, host());
  ASSERT_TRUE(client.runtime.send_request(req, send_target{silent.local_addresses()[0], {}},
                                          transport_protocol::udp));
  ASSERT_TRUE(rt.run_until([&] { return client.traced(sent).size() >= 3; }, k_timeout));
  const auto out = client.traced(sent);
  for (std::size_t i = 0; i < out.size(); ++i) {
    EXPECT_EQ(out[i].bytes, req);
    EXPECT_EQ(out[i].peer, silent.local_addresses()[0]);
    EXPECT_EQ(out[i].retransmission, i > 0) << i;
  }
  EXPECT_TRUE(client.traced(received).empty());
}

TEST_P(trace_log_test, RefusedSendIsLoggedAtWarningAndNotTraced) {
  endpoint client(rt, any());
  // The other family: the UDP transport has no socket for it, so send()
  // refuses at once (transport_errc::no_socket_for_family).
  const socket_address elsewhere =
      any().family() == ip_family::v4 ? addr("[::1]:5060") : addr("127.0.0.1:5060");
  auto id = client.runtime.send_request(request(3, host()), send_target{elsewhere, {}},
                                        transport_protocol::udp);
  ASSERT_TRUE(id);
  EXPECT_EQ(client.runtime.send_failures(), 1u);
  EXPECT_TRUE(client.traces.empty());
  ASSERT_EQ(client.logs.size(), 1u);
  EXPECT_EQ(client.logs[0].level, log_level::warning);
  EXPECT_EQ(client.logs[0].text,
            "send to " + elsewhere.to_string() + " over UDP refused: " +
                make_error_code(transport_errc::no_socket_for_family).message() +
                " (OPTIONS sip:bob@example.com SIP/2.0)");

  // Above warning, nothing.
  client.log.set_level(log_level::error);
  ASSERT_TRUE(client.runtime.send_request(request(4, host()), send_target{elsewhere, {}},
                                          transport_protocol::udp));
  EXPECT_EQ(client.runtime.send_failures(), 2u);
  EXPECT_EQ(client.logs.size(), 1u);
}

TEST_P(trace_log_test, ParseFailureIsTracedAndLoggedAtDebug) {
  endpoint server(rt, any());
  server.log.set_level(log_level::info);
  udp_config c;
  c.listen = {any()};
  udp_transport junk(rt.context(), c);
  recording_user ignored;
  ASSERT_FALSE(junk.start(ignored));
  const std::string bytes = "NOT SIP AT ALL\r\n\r\n";

  ASSERT_FALSE(junk.send(server.address(), bytes));
  ASSERT_TRUE(rt.run_until([&] { return server.runtime.parse_failures() == 1; }, k_timeout));
  ASSERT_EQ(server.traces.size(), 1u);
  EXPECT_EQ(server.traces[0].dir, received);
  EXPECT_EQ(server.traces[0].protocol, transport_protocol::udp);
  EXPECT_EQ(server.traces[0].local, server.address());
  EXPECT_EQ(server.traces[0].peer, junk.local_addresses()[0]);
  EXPECT_EQ(server.traces[0].bytes, bytes);
  EXPECT_TRUE(server.logs.empty());  // debug, below info

  server.log.set_level(log_level::debug);
  ASSERT_FALSE(junk.send(server.address(), bytes));
  ASSERT_TRUE(rt.run_until([&] { return server.runtime.parse_failures() == 2; }, k_timeout));
  ASSERT_EQ(server.logs.size(), 1u);
  EXPECT_EQ(server.logs[0].level, log_level::debug);
  const std::string prefix =
      "dropped 18 bytes from " + junk.local_addresses()[0].to_string() + " over UDP: ";
  EXPECT_EQ(server.logs[0].text.rfind(prefix, 0), 0u) << server.logs[0].text;
  EXPECT_NE(server.logs[0].text.find(" at offset "), std::string::npos) << server.logs[0].text;
  EXPECT_TRUE(server.events.empty());
}

TEST_P(trace_log_test, TransportErrorIsLoggedAtDebug) {
  endpoint client(rt, any());
  // A UDP port nobody listens on: bind one, note it, close it. The ICMP
  // port unreachable comes back as a transport error naming it (Linux).
  socket_address closed;
  {
    udp_config c;
    c.listen = {any()};
    udp_transport probe(rt.context(), c);
    recording_user nobody;
    ASSERT_FALSE(probe.start(nobody));
    closed = probe.local_addresses()[0];
  }
  ASSERT_TRUE(client.runtime.send_request(request(5, host()), send_target{closed, {}},
                                          transport_protocol::udp));
  ASSERT_TRUE(rt.run_until([&] { return !client.logs.empty(); }, k_timeout));
  ASSERT_EQ(client.logs.size(), 1u);
  EXPECT_EQ(client.logs[0].level, log_level::debug);
  EXPECT_EQ(client.logs[0].text, "UDP transport error for " + closed.to_string() + ": " +
                                     std::make_error_code(std::errc::connection_refused).message());
  // The request itself was sent, and traced.
  ASSERT_EQ(client.traced(sent).size(), 1u);
  EXPECT_EQ(client.traced(sent)[0].peer, closed);
}

TEST_P(trace_log_test, RequestsPostedFromOtherThreadsAreSentAndTracedOnTheLoop) {
  endpoint server(rt, any());
  endpoint client(rt, any());
  constexpr std::size_t k_threads = 2;
  constexpr std::size_t k_each = 5;
  std::vector<std::string> requests;
  for (std::size_t n = 0; n < k_threads * k_each; ++n) requests.push_back(request(10 + n, host()));
  std::size_t accepted = 0;  // touched on the loop's thread only
  std::vector<std::thread> threads;
  for (std::size_t t = 0; t < k_threads; ++t) {
    threads.emplace_back([&, t] {
      for (std::size_t i = 0; i < k_each; ++i) {
        const std::string& req = requests[t * k_each + i];
        rt.post([&] {
          if (client.runtime.send_request(req, send_target{server.address(), {}},
                                          transport_protocol::udp)) {
            ++accepted;
          }
        });
      }
    });
  }
  const bool done = rt.run_until([&] { return client.responses() == requests.size(); }, k_timeout);
  for (auto& t : threads) t.join();
  ASSERT_TRUE(done) << client.responses();
  EXPECT_EQ(accepted, requests.size());
  std::vector<std::string> first_sends;
  for (const auto& s : client.traced(sent)) {
    if (!s.retransmission) first_sends.push_back(s.bytes);
  }
  std::sort(first_sends.begin(), first_sends.end());
  std::vector<std::string> want = requests;
  std::sort(want.begin(), want.end());
  EXPECT_EQ(first_sends, want);
  EXPECT_EQ(client.traced(received).size(), requests.size());
  for (const auto& t : client.traces) EXPECT_EQ(t.thread, std::this_thread::get_id());
}

INSTANTIATE_TEST_SUITE_P(Loopback, trace_log_test, ::testing::Values("127.0.0.1:0", "[::1]:0"));

}  // namespace
}  // namespace sipua::test
