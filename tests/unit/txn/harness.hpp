// Scenario harness for the transaction layer (RFC 3261 §17, RFC 6026):
// one transaction_layer on a manual clock. Nothing sleeps and nothing reads
// a clock: `now` starts at an arbitrary point and moves only when a test
// moves it, jumping from one next_deadline() to the next, so every timer is
// observed at the exact instant it fires.
//
// The layer under test is the endpoint at 192.0.2.1:5060; the peer it
// talks to is 192.0.2.2:5060 (RFC 5737 documentation addresses: nothing is
// ever sent anywhere). Messages are written as SIP text so each test shows
// what goes over the wire; responses to received requests are made with
// build_response() as a TU would.
//
// Actions are checked through describe(): one short line per action
// ("send_request INVITE retx", "response 180", "terminated"), stamped with
// the virtual time when timers produced them ("31500ms send_request INVITE
// retx"), so an expected sequence reads like the RFC's figures and a
// failure prints both sequences.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <system_error>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

#include "sipua/message/builder.hpp"
#include "sipua/message/header_id.hpp"
#include "sipua/message/message.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/transport.hpp"
#include "sipua/txn/actions.hpp"
#include "sipua/txn/timers.hpp"
#include "sipua/txn/transaction.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace sipua::test {

using namespace std::chrono_literals;
using ms = std::chrono::milliseconds;
using tp = transport_protocol;
using lines = std::vector<std::string>;

// ---- addresses ----------------------------------------------------------

inline socket_address addr(std::string_view text) {
  auto a = socket_address::parse(text);
  EXPECT_TRUE(a) << text;
  return a ? *a : socket_address{};
}
/// The endpoint under test.
inline socket_address local_address() { return addr("192.0.2.1:5060"); }
/// The peer it sends to and receives from.
inline socket_address peer_address() { return addr("192.0.2.2:5060"); }
/// Another peer, for "only the transactions of that peer" checks.
inline socket_address other_peer_address() { return addr("192.0.2.3:5060"); }

inline transport_origin origin_of(tp protocol = tp::udp, socket_address peer = peer_address()) {
  return transport_origin{protocol, local_address(), peer, nullptr};
}

// ---- messages ------------------------------------------------------------

/// Parses `bytes` into a message that owns them (message::set_owner).
inline message parse_owned(std::shared_ptr<const std::string> bytes) {
  message m;
  if (!bytes) {
    ADD_FAILURE() << "no bytes";
    return m;
  }
  const parse_error e = parse_datagram(*bytes, m);
  EXPECT_FALSE(e) << "does not parse (" << e.error_code().message() << " at " << e.offset << "):\n"
                  << *bytes;
  m.set_owner(std::move(bytes));
  return m;
}

inline message parse_owned(std::string text) {
  return parse_owned(std::make_shared<const std::string>(std::move(text)));
}

/// What the transports would hand the layer for `text` from `origin`.
inline inbound_message inbound(std::string text, const transport_origin& origin = origin_of()) {
  return inbound_message{origin, parse_owned(std::move(text))};
}

/// A request as SIP text. Defaults: an INVITE from the peer (sent-by
/// 192.0.2.2:5060) with an RFC 3261 branch, no To tag.
struct request_spec {
  std::string method = "INVITE";
  std::string uri = "sip:bob@192.0.2.1";
  std::string branch = "z9hG4bK-peer-1";  ///< empty: no branch parameter (RFC 2543)
  std::string transport = "UDP";          ///< the Via transport token
  std::string sent_by = "192.0.2.2:5060";
  std::string via_params;  ///< more via-params, e.g. ";rport"
  std::string from_tag = "from-1";
  std::string to_tag;  ///< empty: none
  std::string call_id = "call-1@192.0.2.2";
  std::uint32_t cseq = 1;
  std::string cseq_method;           ///< empty: the method
  std::vector<std::string> headers;  ///< more fields, "Name: value"
  std::string body;
};

inline std::string request_text(const request_spec& r) {
  std::string s = r.method + " " + r.uri + " SIP/2.0\r\n";
  s += "Via: SIP/2.0/" + r.transport + " " + r.sent_by;
  if (!r.branch.empty()) s += ";branch=" + r.branch;
  s += r.via_params + "\r\n";
  s += "Max-Forwards: 70\r\n";
  s += "From: Alice <sip:alice@example.com>";
  if (!r.from_tag.empty()) s += ";tag=" + r.from_tag;
  s += "\r\nTo: Bob <sip:bob@example.com>";
  if (!r.to_tag.empty()) s += ";tag=" + r.to_tag;
  s += "\r\nCall-ID: " + r.call_id + "\r\n";
  s += "CSeq: " + std::to_string(r.cseq) + " " +
       (r.cseq_method.empty() ? r.method : r.cseq_method) + "\r\n";
  for (const auto& h : r.headers) s += h + "\r\n";
  s += "Content-Length: " + std::to_string(r.body.size()) + "\r\n\r\n" + r.body;
  return s;
}

/// A request the endpoint under test sends (client side): sent-by is our
/// own address.
inline request_spec outgoing(std::string method, std::string branch = "z9hG4bK-ours-1") {
  request_spec r;
  r.method = std::move(method);
  r.uri = "sip:bob@192.0.2.2";
  r.branch = std::move(branch);
  r.sent_by = "192.0.2.1:5060";
  r.call_id = "call-1@192.0.2.1";
  return r;
}

/// A request the peer sends us (server side).
inline request_spec incoming(std::string method, std::string branch = "z9hG4bK-peer-1") {
  request_spec r;
  r.method = std::move(method);
  r.branch = std::move(branch);
  return r;
}

/// The ACK the peer sends for a non-2xx final response (RFC 3261
/// §17.1.1.3): same Request-URI, Call-ID, From, CSeq number and top Via as
/// the INVITE, the To of the response (`to_tag`).
inline request_spec ack_for(request_spec invite, std::string to_tag) {
  invite.method = "ACK";
  invite.cseq_method = "ACK";
  invite.to_tag = std::move(to_tag);
  invite.body.clear();
  invite.headers.clear();
  return invite;
}

/// The CANCEL the peer sends for `request` (RFC 3261 §9.1).
inline request_spec cancel_for(request_spec request) {
  request.method = "CANCEL";
  request.cseq_method = "CANCEL";
  request.body.clear();
  request.headers.clear();
  return request;
}

/// build_response() of `request` (RFC 3261 §8.2.6): the To tag is added for
/// status > 100 when the request has none.
inline std::string response_to(const message& request, int status,
                               std::string_view to_tag = "to-1") {
  auto r = build_response(request, status, {}, to_tag).build();
  EXPECT_TRUE(r) << "build_response " << status;
  return r ? *r : std::string{};
}

/// The status code of a response's bytes, the method of a request's.
inline std::string first_word(std::string_view bytes, bool response) {
  if (response) {
    // "SIP/2.0 486 Busy Here"
    const auto sp = bytes.find(' ');
    return sp == std::string_view::npos ? std::string{} : std::string{bytes.substr(sp + 1, 3)};
  }
  return std::string{bytes.substr(0, bytes.find(' '))};
}

/// Every value of the fields named `id` in `m`, in order.
inline std::vector<std::string> field_values(const message& m, header_id id) {
  std::vector<std::string> out;
  for (const auto& f : m.headers())
    if (f.id == id) out.emplace_back(f.value);
  return out;
}

// ---- actions ---------------------------------------------------------------

/// One line per action: what a test compares.
inline std::string describe(const txn_action& a) {
  struct visitor {
    std::string operator()(const send_request_action& x) const {
      return "send_request " + (x.bytes ? first_word(*x.bytes, false) : std::string{"?"}) +
             (x.retransmission ? " retx" : "");
    }
    std::string operator()(const send_response_action& x) const {
      return "send_response " + (x.bytes ? first_word(*x.bytes, true) : std::string{"?"}) +
             (x.retransmission ? " retx" : "");
    }
    std::string operator()(const response_event& x) const {
      return "response " + std::to_string(x.response.message.status_code());
    }
    std::string operator()(const request_event& x) const {
      return "request " + std::string{x.request.message.method_name()};
    }
    std::string operator()(const cancel_event& x) const {
      return x.invite.valid() ? "cancel invite" : "cancel no-invite";
    }
    std::string operator()(const ack_event&) const { return "ack"; }
    std::string operator()(const stray_response_event& x) const {
      return "stray " + std::to_string(x.response.message.status_code());
    }
    std::string operator()(const timeout_event&) const { return "timeout"; }
    std::string operator()(const transport_failure_event&) const { return "transport_failure"; }
    std::string operator()(const terminated_event&) const { return "terminated"; }
  };
  return std::visit(visitor{}, a);
}

inline lines describe(const std::vector<txn_action>& actions) {
  lines out;
  for (const auto& a : actions) out.push_back(describe(a));
  return out;
}

/// For actions of one step whose order the RFC leaves open.
inline lines sorted(lines v) {
  std::sort(v.begin(), v.end());
  return v;
}

/// The transaction an action is about (invalid for ack / stray events).
inline transaction_id txn_of(const txn_action& a) {
  return std::visit(
      [](const auto& x) -> transaction_id {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, ack_event> || std::is_same_v<T, stray_response_event>) {
          return {};
        } else {
          return x.txn;
        }
      },
      a);
}

template <class T>
const T* first_of(const std::vector<txn_action>& actions) {
  for (const auto& a : actions)
    if (const T* p = std::get_if<T>(&a)) return p;
  return nullptr;
}

template <class T>
std::vector<const T*> all_of(const std::vector<txn_action>& actions) {
  std::vector<const T*> out;
  for (const auto& a : actions)
    if (const T* p = std::get_if<T>(&a)) out.push_back(p);
  return out;
}

/// An action produced by a timer, with the virtual time it appeared at.
struct timed_action {
  std::chrono::nanoseconds at;  ///< since the harness started
  txn_action action;
};

inline std::string stamp(std::chrono::nanoseconds at) {
  const auto whole = std::chrono::duration_cast<ms>(at);
  std::string s = std::to_string(whole.count());
  if (const auto rest = (at - whole).count(); rest != 0) s += "+" + std::to_string(rest) + "ns";
  return s + "ms";
}

inline lines describe(const std::vector<timed_action>& actions) {
  lines out;
  for (const auto& a : actions) out.push_back(stamp(a.at) + " " + describe(a.action));
  return out;
}

/// "<ms>ms <what>" lines for actions expected at given times (milliseconds
/// since the start).
inline std::string at(ms t, std::string_view what) {
  return std::to_string(t.count()) + "ms " + std::string{what};
}

/// Only the lines that contain `what`.
inline lines only(const lines& v, std::string_view what) {
  lines out;
  for (const auto& l : v)
    if (l.find(what) != std::string::npos) out.push_back(l);
  return out;
}

/// The lines that do not contain `what`.
inline lines without(const lines& v, std::string_view what) {
  lines out;
  for (const auto& l : v)
    if (l.find(what) == std::string::npos) out.push_back(l);
  return out;
}

/// The times at which a timer that starts at `first`, doubles and is capped
/// at `cap` fires before `end` (RFC 3261 §17.1.2.2 Timer E, §17.2.1 Timer
/// G; with no cap, §17.1.1.2 Timer A).
inline std::vector<ms> doubling_schedule(ms first, std::optional<ms> cap, ms end, ms from = 0ms) {
  std::vector<ms> out;
  ms interval = first;
  for (ms t = from + interval; t < end; t += interval) {
    out.push_back(t);
    interval = cap ? std::min(2 * interval, *cap) : 2 * interval;
  }
  return out;
}

// ---- the harness -------------------------------------------------------------

class harness {
 public:
  using time_point = transaction_layer::time_point;

  explicit harness(transaction_config config = {}) : layer(std::move(config)) {}

  transaction_layer layer;
  /// An arbitrary origin: nothing may depend on the clock's epoch.
  const time_point start = time_point{} + 1000h;
  time_point now = start;

  [[nodiscard]] std::chrono::nanoseconds elapsed() const { return now - start; }

  /// Every queued action. Timers already due at `now` (a zero Timer D, I,
  /// J or K on a reliable transport) are fired first, as a runtime arming
  /// its timer for next_deadline() would at once.
  std::vector<txn_action> drain() {
    std::vector<txn_action> out;
    for (int guard = 0;; ++guard) {
      while (auto a = layer.next_action()) out.push_back(std::move(*a));
      const auto d = layer.next_deadline();
      if (!d || *d > now) break;
      if (guard == 10'000) {
        ADD_FAILURE() << "next_deadline() stays due after handle_timeout()";
        break;
      }
      layer.handle_timeout(now);
    }
    EXPECT_FALSE(layer.has_action());
    return out;
  }

  /// Fires the timers one deadline at a time, each at its own deadline,
  /// up to and including `until` (since the start); `now` ends at `until`.
  std::vector<timed_action> run_until(ms until) {
    std::vector<timed_action> out;
    const time_point end = start + until;
    for (int guard = 0;; ++guard) {
      const auto d = layer.next_deadline();
      if (!d || *d > end) break;
      if (guard == 100'000) {
        ADD_FAILURE() << "timers never stop firing";
        break;
      }
      EXPECT_GE(*d, now) << "a deadline in the past";
      now = std::max(now, *d);
      layer.handle_timeout(now);
      for (auto& a : drain()) out.push_back({elapsed(), std::move(a)});
    }
    now = std::max(now, end);
    for (auto& a : drain()) out.push_back({elapsed(), std::move(a)});
    return out;
  }

  /// Jumps to next_deadline() and fires it; false when there is none.
  bool advance_to_next_deadline(std::vector<timed_action>* out = nullptr) {
    const auto d = layer.next_deadline();
    if (!d) return false;
    now = std::max(now, *d);
    layer.handle_timeout(now);
    for (auto& a : drain())
      if (out) out->push_back({elapsed(), std::move(a)});
    return true;
  }

  /// Runs every timer until none is left (at most `limit` of virtual time).
  std::vector<timed_action> run_out(ms limit = 3600s) { return run_until(limit); }

  // ---- inputs ----

  result<transaction_id, std::error_code> try_send(std::string request, tp protocol = tp::udp,
                                                   socket_address target = peer_address(),
                                                   std::string_view server_name = {}) {
    return layer.send_request(now, std::move(request), send_target{target, server_name}, protocol);
  }

  /// send_request() that must succeed; its actions are left queued.
  transaction_id send(std::string request, tp protocol = tp::udp,
                      socket_address target = peer_address()) {
    auto r = try_send(std::move(request), protocol, target);
    EXPECT_TRUE(r) << (r ? "" : r.error().message());
    return r ? *r : transaction_id{};
  }

  void receive(std::string text, tp protocol = tp::udp, socket_address peer = peer_address()) {
    layer.receive(now, inbound(std::move(text), origin_of(protocol, peer)));
  }

  std::error_code respond(transaction_id txn, std::string response) {
    return layer.send_response(now, txn, std::move(response));
  }

  void transport_error(
      tp protocol = tp::udp, std::optional<socket_address> peer = peer_address(),
      std::error_code error = std::make_error_code(std::errc::connection_refused)) {
    layer.transport_error(now,
                          transport_error_event{protocol, local_address(), peer, error, "test"});
  }

  [[nodiscard]] std::optional<transaction_state> state(transaction_id txn) const {
    return layer.state(txn);
  }
};

// ---- common openings ---------------------------------------------------------

/// A client transaction just started: its id, the request as first sent
/// (parsed, owning its bytes) and the actions of send_request().
struct client_start {
  transaction_id txn;
  message sent;
  std::vector<txn_action> actions;
};

inline client_start start_client(harness& h, const request_spec& spec, tp protocol = tp::udp) {
  client_start c;
  c.txn = h.send(request_text(spec), protocol);
  c.actions = h.drain();
  if (const auto* s = first_of<send_request_action>(c.actions)) c.sent = parse_owned(s->bytes);
  return c;
}

/// A server transaction just created by a request from the peer.
struct server_start {
  transaction_id txn;
  message request;
  std::vector<txn_action> actions;
};

inline server_start start_server(harness& h, const request_spec& spec, tp protocol = tp::udp) {
  server_start s;
  h.receive(request_text(spec), protocol);
  s.actions = h.drain();
  if (const auto* e = first_of<request_event>(s.actions)) {
    s.txn = e->txn;
    s.request = e->request.message;
  } else {
    ADD_FAILURE() << "no request_event for " << spec.method << " " << spec.branch;
  }
  return s;
}

/// Timer configurations the timer tests run with: the RFC defaults, and
/// one where nothing has its default value.
struct timer_case {
  const char* name;
  timer_config timers;
};

inline timer_config fast_timers() {
  timer_config t;
  t.t1 = 100ms;
  t.t2 = 800ms;
  t.t4 = 1500ms;
  return t;
}

}  // namespace sipua::test
