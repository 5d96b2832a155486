// The messages of the transaction benchmarks (bench_txn, txn_memory):
// request templates whose branch and Call-ID carry a 12-digit number, so
// that every transaction is a distinct one (RFC 3261 §17.2.3 matches by
// branch; §8.2.2.2 would answer a request with the same From tag, Call-ID
// and CSeq 482), and the responses to them.
#pragma once

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <variant>
#include <vector>

#include "messages.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace sipua::bench::txn {

inline constexpr std::string_view k_marker = "XXXXXXXXXXXX";  // 12 digits go here

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "txn workload: %s\n", what);
  std::abort();
}

inline std::string replace(std::string s, std::string_view from, std::string_view to) {
  const auto at = s.find(from);
  if (at == std::string::npos) fail("template text not found");
  s.replace(at, from.size(), to);
  return s;
}

/// A message with markers, and where they are.
class message_template {
 public:
  explicit message_template(std::string text) : text_(std::move(text)) {
    for (auto at = text_.find(k_marker); at != std::string::npos;
         at = text_.find(k_marker, at + k_marker.size())) {
      at_.push_back(at);
    }
    if (at_.empty()) fail("template without marker");
  }
  [[nodiscard]] const std::string& text() const noexcept { return text_; }
  /// Writes `id` (12 digits, zero-padded) over every marker of `out`, a
  /// copy of text().
  void stamp(std::string& out, std::uint64_t id) const noexcept {
    char digits[12];
    for (int i = 11; i >= 0; --i) {
      digits[i] = static_cast<char>('0' + id % 10);
      id /= 10;
    }
    for (std::size_t at : at_) out.replace(at, 12, digits, 12);
  }
  [[nodiscard]] std::string make(std::uint64_t id) const {
    std::string out = text_;
    stamp(out, id);
    return out;
  }

 private:
  std::string text_;
  std::vector<std::size_t> at_;
};

/// An out-of-dialog OPTIONS (370 bytes, as bench/messages.hpp's, no To tag:
/// the layer lists it for merged-request detection) with the number in its
/// branch and Call-ID.
inline const message_template& options_template() {
  static const message_template t{
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK.XXXXXXXXXXXX\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:carol@chicago.example.com>\r\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
      "Call-ID: XXXXXXXXXXXX@pc33.atlanta.example.com\r\n"
      "CSeq: 63104 OPTIONS\r\n"
      "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
      "Accept: application/sdp\r\n"
      "Content-Length: 0\r\n"
      "\r\n"};
  return t;
}

/// bench/messages.hpp's INVITE (887 bytes with SDP) with the number in its
/// branch and Call-ID.
inline const message_template& invite_template() {
  static const message_template t{
      replace(replace(bench::invite(), "z9hG4bK.3cbQbLq1Zk", "z9hG4bK.XXXXXXXXXXXX"),
              "3848276298220188511@", "XXXXXXXXXXXX@")};
  return t;
}

inline message parse_or_die(std::string_view bytes) {
  auto m = parse_datagram(bytes);
  if (!m) fail("message does not parse");
  return std::move(m.value());
}

inline constexpr std::string_view k_to_tag = "a6c85cf";

/// The TU's answer to `request`, as a UAS writes it (§8.2.6): 200 for a
/// non-INVITE; for an INVITE 180 or 200 with Contact (and for the 200 an
/// SDP answer).
inline std::string answer(const message& request, int status) {
  auto b = build_response(request, status, {}, k_to_tag);
  std::string_view body;
  if (request.method() == sipua::method::invite) {
    b.header(header_id::contact, "<sip:bob@192.0.2.4:5060;transport=udp>");
    if (status == 200) {
      b.content_type("application/sdp");
      body = k_sdp;
    }
  }
  auto built = b.build(body);
  if (!built) fail("build_response failed");
  return std::move(built.value());
}

/// Where requests come from (server) and go to (client).
inline const transport_origin& origin() {
  static const transport_origin o{transport_protocol::udp,
                                  socket_address::parse("192.0.2.1:5060").value(),
                                  socket_address::parse("192.0.2.101:5060").value(), nullptr};
  return o;
}

/// `bytes` as a transport hands it up: one shared buffer, parsed, owned.
inline inbound_message inbound(std::string bytes) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  inbound_message m{origin(), parse_or_die(*owned)};
  m.message.set_owner(std::move(owned));
  return m;
}

// --- the steady-state drivers (bench_txn, txn_count) ---------------------------

using time_point = transaction_layer::time_point;
using std::chrono::nanoseconds;

/// How many distinct messages a run cycles through: more than are alive at
/// once, so a number is reused only after its transaction ended.
inline std::size_t pool_size(std::size_t live) { return live + live / 4 + 64; }

/// What the runtime / TU saw while draining.
struct drained {
  std::uint64_t requests = 0;      ///< request_event
  std::uint64_t responses = 0;     ///< response_event
  std::uint64_t sends = 0;         ///< send_request_action + send_response_action
  std::uint64_t terminated = 0;    ///< terminated_event
  std::uint64_t unexpected = 0;    ///< anything else (timeouts, failures, stray ...)
  std::uint64_t errors = 0;        ///< failed send_request / send_response
  transaction_id last_request{};   ///< the txn of the last request_event
  std::optional<message> request;  ///< its request, when the TU builds answers
};

/// Drains every queued action as a runtime would: sends go nowhere, the
/// TU keeps the last request (when it builds its answers from it).
inline void drain(transaction_layer& layer, drained& d, bool keep_request) {
  while (auto a = layer.next_action()) {
    std::visit(
        [&](auto& ev) {
          using T = std::decay_t<decltype(ev)>;
          if constexpr (std::is_same_v<T, request_event>) {
            ++d.requests;
            d.last_request = ev.txn;
            if (keep_request) d.request = std::move(ev.request.message);
          } else if constexpr (std::is_same_v<T, response_event>) {
            ++d.responses;
          } else if constexpr (std::is_same_v<T, send_request_action> ||
                               std::is_same_v<T, send_response_action>) {
            ++d.sends;
          } else if constexpr (std::is_same_v<T, terminated_event>) {
            ++d.terminated;
          } else {
            ++d.unexpected;
          }
        },
        *a);
  }
}

/// One layer in steady state with about `live` transactions alive: each
/// one() is a whole transaction and advances the virtual clock by
/// (the reaping timer) / live, then reaps what expired (handle_timeout).
struct steady_run {
  transaction_layer layer;
  std::size_t live;
  std::size_t pool;
  nanoseconds step{};
  time_point now{std::chrono::hours(1)};
  drained d;
  std::uint64_t id = 0;

  steady_run(std::size_t live_target, txn_duration reaper)
      : live(live_target), pool(pool_size(live_target)), step(nanoseconds(reaper) / live_target) {}
  std::size_t next() {
    now += step;
    return id++ % pool;
  }
};

/// Server non-INVITE: OPTIONS in → request_event; the TU's 200 out; Timer J
/// reaps it. Preparsed: the request is a copy of an inbound_message parsed
/// beforehand, else the bytes are copied and parsed here. Prebuilt: the 200
/// is a copy of a string built beforehand, else build_response() here.
template <bool Preparsed, bool Prebuilt>
struct server_non_invite_run : steady_run {
  const message_template& tmpl = options_template();
  std::vector<inbound_message> requests;
  std::vector<std::string> answers;

  explicit server_non_invite_run(std::size_t live_target)
      : steady_run(live_target, timer_config{}.timer_j(false)) {
    for (std::size_t i = 0; i < pool && (Preparsed || Prebuilt); ++i) {
      inbound_message m = inbound(tmpl.make(i));
      if (Prebuilt) answers.push_back(answer(m.message, 200));
      if (Preparsed) requests.push_back(std::move(m));
    }
    // Warm up to the steady state: the reaping timer has started firing.
    for (std::size_t i = 0; i < live + live / 8; ++i) one();
    d = drained{};
  }
  void one() {
    const std::size_t k = next();
    layer.receive(now, Preparsed ? requests[k] : inbound(tmpl.make(k)));
    drain(layer, d, !Prebuilt);
    if (layer.send_response(now, d.last_request, Prebuilt ? answers[k] : answer(*d.request, 200)))
      ++d.errors;
    layer.handle_timeout(now);
    drain(layer, d, !Prebuilt);
  }
  static constexpr std::uint64_t sends_per_txn = 1;
};

/// Server INVITE: INVITE in → the layer's 100 and request_event; the TU's
/// 180 and 200 (with Contact and an SDP answer) out; Timer L reaps it.
template <bool Preparsed, bool Prebuilt>
struct server_invite_run : steady_run {
  const message_template& tmpl = invite_template();
  std::vector<inbound_message> requests;
  std::vector<std::string> ringing;
  std::vector<std::string> ok;

  explicit server_invite_run(std::size_t live_target)
      : steady_run(live_target, timer_config{}.timer_l()) {
    for (std::size_t i = 0; i < pool && (Preparsed || Prebuilt); ++i) {
      inbound_message m = inbound(tmpl.make(i));
      if (Prebuilt) {
        ringing.push_back(answer(m.message, 180));
        ok.push_back(answer(m.message, 200));
      }
      if (Preparsed) requests.push_back(std::move(m));
    }
    for (std::size_t i = 0; i < live + live / 8; ++i) one();
    d = drained{};
  }
  void one() {
    const std::size_t k = next();
    layer.receive(now, Preparsed ? requests[k] : inbound(tmpl.make(k)));
    drain(layer, d, !Prebuilt);
    if (layer.send_response(now, d.last_request, Prebuilt ? ringing[k] : answer(*d.request, 180)))
      ++d.errors;
    if (layer.send_response(now, d.last_request, Prebuilt ? ok[k] : answer(*d.request, 200)))
      ++d.errors;
    layer.handle_timeout(now);
    drain(layer, d, !Prebuilt);
  }
  static constexpr std::uint64_t sends_per_txn = 3;  // 100, 180, 200
};

/// Client non-INVITE: send_request(OPTIONS: a copy of the template with
/// its number; the layer parses it) → send_request_action; the 200 in →
/// response_event; Timer K reaps it. Preparsed: the 200 is a copy of an
/// inbound_message parsed beforehand, else copied and parsed here.
template <bool Preparsed>
struct client_non_invite_run : steady_run {
  const message_template& request_tmpl = options_template();
  message_template response_tmpl{answer(parse_or_die(request_tmpl.text()), 200)};
  std::vector<inbound_message> responses;
  send_target target{origin().peer, {}};

  explicit client_non_invite_run(std::size_t live_target)
      : steady_run(live_target, timer_config{}.timer_k(false)) {
    for (std::size_t i = 0; i < pool && Preparsed; ++i) {
      responses.push_back(inbound(response_tmpl.make(i)));
    }
    for (std::size_t i = 0; i < live + live / 8; ++i) one();
    d = drained{};
  }
  void one() {
    const std::size_t k = next();
    if (!layer.send_request(now, request_tmpl.make(k), target, transport_protocol::udp)) ++d.errors;
    drain(layer, d, false);
    layer.receive(now, Preparsed ? responses[k] : inbound(response_tmpl.make(k)));
    layer.handle_timeout(now);
    drain(layer, d, false);
  }
  static constexpr std::uint64_t sends_per_txn = 1;
};

/// What is wrong with `d` after `n` transactions of a run, or null.
template <class Run>
const char* check(const Run& run, std::uint64_t n) {
  const drained& d = run.d;
  if (d.errors != 0) return "send_request / send_response failed";
  if (d.unexpected != 0) return "unexpected action (timeout, 482, failure ...)";
  if (d.sends != n * Run::sends_per_txn) return "wrong number of sends";
  if (d.requests + d.responses != n) return "a message did not reach the TU";
  return nullptr;
}

}  // namespace sipua::bench::txn
