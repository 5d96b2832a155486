// Round trips per second over the Asio transports on 127.0.0.1: a client
// transport sends the OPTIONS of bench/messages.hpp (370 bytes), a server
// transport parses it and answers with a prepared 200 (built once by
// build_response, RFC 3261 §8.2.6); the client parses the answer. Both
// transports share ONE io_context run by this one thread, so each
// iteration is: send, then run the loop until the answer is delivered.
// items_per_second is round trips per second.
//
// Adding a transport (TLS) is a `*_kind` struct and one BENCHMARK_TEMPLATE
// line: the kind names the transport and config types and builds the
// server's and the client's config (certificates, trust) and the name the
// client sends to (SNI, certificate check).
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>

#include "messages.hpp"
#include "support/test_pki.hpp"
#include <asio/io_context.hpp>

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"
#include "sipua/transport/tcp.hpp"
#include "sipua/transport/tls.hpp"
#include "sipua/transport/udp.hpp"

namespace sipua::bench {
namespace {

socket_address loopback_any_port() { return socket_address(ip_address::loopback_v4(), 0); }

struct udp_kind {
  using transport_type = udp_transport;
  using config_type = udp_config;
  static constexpr std::string_view server_name{};
  static udp_config server_config() {
    udp_config c;
    c.listen = {loopback_any_port()};
    return c;
  }
  static udp_config client_config() { return server_config(); }  // UDP needs a bound socket
};

struct tcp_kind {
  using transport_type = tcp_transport;
  using config_type = tcp_config;
  static constexpr std::string_view server_name{};
  static tcp_config server_config() {
    tcp_config c;
    c.listen = {loopback_any_port()};
    return c;
  }
  static tcp_config client_config() { return {}; }  // client only: it connects on demand
};

/// TLS with a certificate for sip.example.com from a throw-away CA the
/// client trusts; the client verifies it (the default) and sends SNI.
struct tls_kind {
  using transport_type = tls_transport;
  using config_type = tls_config;
  static constexpr std::string_view server_name{"sip.example.com"};
  struct pki {
    test::test_ca ca = test::make_ca("bench CA");
    test::test_leaf leaf = [this] {
      test::leaf_options o;
      o.dns_names = {"sip.example.com"};
      return test::issue(ca, o);
    }();
  };
  static const pki& keys() {
    static const pki p;
    return p;
  }
  static tls_config server_config() {
    tls_config c;
    c.stream.listen = {loopback_any_port()};
    c.certificate_chain_pem = keys().leaf.cert_pem;
    c.private_key_pem = keys().leaf.key_pem;
    return c;
  }
  static tls_config client_config() {
    tls_config c;
    c.ca_pem = keys().ca.cert_pem;
    return c;
  }
};

/// Answers every request with `answer` on the connection / address it came
/// from (RFC 3261 §18.2.2).
struct answering_user final : transport_user {
  transport* server = nullptr;
  std::string answer;
  bool failed = false;
  void on_message(inbound_message&& m) override {
    if (!m.message.is_request() || server->send(m.origin.peer, answer)) failed = true;
  }
  void on_parse_failure(inbound_parse_failure&&) override { failed = true; }
  void on_transport_error(const transport_error_event&) override { failed = true; }
};

/// Counts the 200s that arrive.
struct counting_user final : transport_user {
  std::size_t answers = 0;
  bool failed = false;
  void on_message(inbound_message&& m) override {
    if (m.message.is_response() && m.message.status_code() == 200) {
      ++answers;
    } else {
      failed = true;
    }
  }
  void on_parse_failure(inbound_parse_failure&&) override { failed = true; }
  void on_transport_error(const transport_error_event&) override { failed = true; }
};

std::string answer_to(std::string_view request) {
  auto parsed = parse_datagram(request);
  if (!parsed) return {};
  auto built = build_response(*parsed, 200, {}, "bench").build();
  return built ? std::move(*built) : std::string{};
}

template <class Kind>
void round_trip(benchmark::State& state) {
  asio::io_context io(1);  // one thread runs it: Asio may skip its locks
  typename Kind::transport_type server(io, Kind::server_config());
  typename Kind::transport_type client(io, Kind::client_config());
  answering_user server_user;
  counting_user client_user;
  server_user.server = &server;
  server_user.answer = answer_to(k_options);
  if (server_user.answer.empty() || server.start(server_user) || client.start(client_user)) {
    state.SkipWithError("setup failed");
    return;
  }
  const send_target to{server.local_addresses()[0], Kind::server_name};
  // One exchange: send, then run handlers until the answer is in. A lost
  // answer (UDP on a loaded host) ends the run instead of hanging it.
  auto exchange = [&] {
    const std::size_t before = client_user.answers;
    if (client.send(to, k_options)) return false;
    while (client_user.answers == before) {
      if (client_user.failed || server_user.failed) return false;
      if (io.run_one_for(std::chrono::seconds(1)) == 0) return false;
    }
    return true;
  };
  // The first exchange opens the connection (TCP, TLS handshake): not timed.
  if (!exchange()) {
    state.SkipWithError("no answer to the first request");
    return;
  }
  for (auto _ : state) {
    if (!exchange()) {
      state.SkipWithError("an exchange failed or timed out");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
  state.counters["request_bytes"] = static_cast<double>(k_options.size());
  state.counters["answer_bytes"] = static_cast<double>(server_user.answer.size());
}

BENCHMARK_TEMPLATE(round_trip, udp_kind)->UseRealTime();
BENCHMARK_TEMPLATE(round_trip, tcp_kind)->UseRealTime();
BENCHMARK_TEMPLATE(round_trip, tls_kind)->UseRealTime();

/// TLS handshakes per second: each iteration is a new client transport
/// that connects, completes a full handshake (TLS 1.3, P-256 certificate,
/// the client verifying chain and name), sends the OPTIONS, gets the 200
/// and closes. Both ends run on this one thread, so the figure is for one
/// core doing the client's and the server's work.
void tls_handshake(benchmark::State& state) {
  asio::io_context io(1);
  tls_transport server(io, tls_kind::server_config());
  answering_user server_user;
  server_user.server = &server;
  server_user.answer = answer_to(k_options);
  if (server_user.answer.empty() || server.start(server_user)) {
    state.SkipWithError("setup failed");
    return;
  }
  const tls_config client_cfg = tls_kind::client_config();
  const send_target to{server.local_addresses()[0], tls_kind::server_name};
  for (auto _ : state) {
    tls_transport client(io, client_cfg);
    counting_user client_user;
    if (client.start(client_user) || client.send(to, k_options)) {
      state.SkipWithError("send failed");
      break;
    }
    while (client_user.answers == 0 && !client_user.failed && !server_user.failed) {
      if (io.run_one_for(std::chrono::seconds(1)) == 0) break;
    }
    if (client_user.answers == 0) {
      state.SkipWithError("no answer");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(tls_handshake)->UseRealTime();

/// What tls_handshake spends on the client transport itself: building and
/// starting one (its OpenSSL context, the CA parsed). Subtract it from
/// tls_handshake's time per iteration for the handshake alone.
void tls_client_setup(benchmark::State& state) {
  asio::io_context io(1);
  const tls_config client_cfg = tls_kind::client_config();
  for (auto _ : state) {
    tls_transport client(io, client_cfg);
    counting_user client_user;
    if (client.start(client_user)) {
      state.SkipWithError("start failed");
      break;
    }
  }
  state.SetItemsProcessed(state.iterations());
}

BENCHMARK(tls_client_setup)->UseRealTime();

}  // namespace
}  // namespace sipua::bench
