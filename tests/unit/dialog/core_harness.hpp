// Scenario harness for the UA core (ua_core.hpp): several cores on one
// virtual network and a manual clock. Nothing sleeps and no socket opens:
// a send action of one core is parsed and handed to the core listening on
// the destination address; a destination with no core is a scripted peer
// whose inbox the test reads and on whose behalf it injects messages.
//
// Every message on the wire is logged as one line ("alice->bob INVITE",
// "bob->alice 180", "(retx)" for retransmissions) and every event a core
// reports as one line per node ("incoming", "progress 180", "answered",
// "ended remote hangup 0"), so a test reads like the RFC 3665 figures.
//
// Addresses are RFC 5737 documentation addresses: nothing leaves the process.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

#include "sipua/dialog/seeded_random.hpp"
#include "sipua/dialog/ua_core.hpp"
#include "sipua/message/message.hpp"
#include "sipua/sdp/offer_answer.hpp"
#include "sipua/transport/address.hpp"

namespace sipua::test {

using namespace std::chrono_literals;
using tp = transport_protocol;
using lines = std::vector<std::string>;

inline socket_address net_addr(std::string_view text) {
  auto a = socket_address::parse(text);
  EXPECT_TRUE(a) << text;
  return a ? *a : socket_address{};
}

/// Audio capabilities: PCMU and telephone-event on `port` at `ip`.
inline sdp::local_capabilities audio(std::string ip, std::uint16_t port, std::uint64_t sess_id) {
  sdp::local_capabilities caps;
  caps.origin.username = "-";
  caps.origin.sess_id = sess_id;
  caps.origin.sess_version = 1;
  caps.origin.address = ip;
  caps.connection.address = ip;
  sdp::media_capability m;
  m.port = port;
  m.codecs.push_back(sdp::codec{"PCMU", 8000, 1, {}, 0U});
  m.codecs.push_back(sdp::codec{"telephone-event", 8000, 1, "0-16", 101U});
  caps.media.push_back(std::move(m));
  return caps;
}

// ---- reading messages --------------------------------------------------------

inline std::string cseq_of(const message& m) { return std::string{m.value(header_id::cseq)}; }
inline std::string to_tag(const message& m) {
  const auto t = m.to();
  return t ? std::string{t->tag()} : std::string{"(bad To)"};
}
inline std::string from_tag(const message& m) {
  const auto f = m.from();
  return f ? std::string{f->tag()} : std::string{"(bad From)"};
}
inline std::string branch_of(const message& m) {
  const auto v = m.top_via();
  return v ? std::string{v->branch} : std::string{"(bad Via)"};
}

inline std::string describe(const core_event& e) {
  return std::visit(
      [](const auto& v) -> std::string {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, incoming_call_event>) {
          return v.offer ? "incoming (offer)" : "incoming";
        } else if constexpr (std::is_same_v<T, call_progress_event>) {
          return "progress " + std::to_string(v.status) + (v.remote_sdp ? " (sdp)" : "");
        } else if constexpr (std::is_same_v<T, call_answered_event>) {
          return "answered";
        } else if constexpr (std::is_same_v<T, call_media_event>) {
          std::string s = v.ok ? "media ok" : "media failed " + std::to_string(v.status);
          if (v.ok && v.local_sdp && !v.local_sdp->media.empty()) {
            s += std::string{" "} + std::string{sdp::to_string(
                                        v.local_sdp->effective_direction(v.local_sdp->media[0]))};
          }
          return s;
        } else if constexpr (std::is_same_v<T, call_info_event>) {
          return "info";
        } else if constexpr (std::is_same_v<T, call_ended_event>) {
          return "ended " + std::string{to_string(v.reason)} + " " + std::to_string(v.status);
        } else if constexpr (std::is_same_v<T, message_received_event>) {
          return "message " + std::string{v.request.message.body()};
        } else if constexpr (std::is_same_v<T, registration_event>) {
          std::string s = std::string{to_string(v.state)} + " " + std::to_string(v.status);
          if (v.state == registration_state::registered) {
            s += " expires " + std::to_string(v.expires.count());
          }
          return s;
        } else {
          return "result " + std::to_string(v.status);
        }
      },
      e);
}

/// A message as a scripted peer writes it: `head` lines (start line and
/// header fields) joined with CRLF, a Content-Type when there is a body,
/// Content-Length, the blank line and the body.
inline std::string sip_text(const std::vector<std::string>& head, std::string_view body = {},
                            std::string_view content_type = "application/sdp") {
  std::string s;
  for (const std::string& l : head) s += l + "\r\n";
  if (!body.empty()) s += "Content-Type: " + std::string{content_type} + "\r\n";
  s += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  s += body;
  return s;
}

/// The response a scripted peer sends to `req` (RFC 3261 §8.2.6.2): every
/// Via, From, To, Call-ID and CSeq copied, `to_tag` added to To when it has
/// no tag, then the `extra` lines ("Contact: <sip:...>") and the body.
inline std::string reply(const message& req, int status, std::string_view reason,
                         std::string_view to_tag = {}, const std::vector<std::string>& extra = {},
                         std::string_view body = {},
                         std::string_view content_type = "application/sdp") {
  std::vector<std::string> head{"SIP/2.0 " + std::to_string(status) + " " + std::string{reason}};
  for (const header_field& f : req.headers()) {
    switch (f.id) {
      case header_id::via:
      case header_id::from:
      case header_id::call_id:
      case header_id::cseq:
        head.push_back(std::string{f.name} + ": " + std::string{f.value});
        break;
      case header_id::to: {
        std::string to = std::string{f.name} + ": " + std::string{f.value};
        const auto parsed = req.to();
        if (!to_tag.empty() && parsed && parsed->tag().empty()) to += ";tag=" + std::string{to_tag};
        head.push_back(std::move(to));
        break;
      }
      default: break;
    }
  }
  for (const std::string& x : extra) head.push_back(x);
  return sip_text(head, body, content_type);
}

/// An SDP a scripted peer sends: one PCMU audio stream on `ip`:`port`,
/// o= with `sess_id` and `version`, and `direction` (e.g. "recvonly") when
/// not empty; the o= address is `origin_ip`, or `ip` when empty.
inline std::string sdp_text(std::string_view ip, std::uint16_t port, std::uint64_t sess_id,
                            std::uint64_t version, std::string_view direction = {},
                            std::string_view origin_ip = {}) {
  std::string s = "v=0\r\no=- " + std::to_string(sess_id) + " " + std::to_string(version) +
                  " IN IP4 " + std::string{origin_ip.empty() ? ip : origin_ip} +
                  "\r\ns=-\r\nc=IN IP4 " + std::string{ip} + "\r\nt=0 0\r\nm=audio " +
                  std::to_string(port) + " RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n";
  if (!direction.empty()) s += "a=" + std::string{direction} + "\r\n";
  return s;
}

/// The values of every field with `id` in `m`, in order.
inline std::vector<std::string> values(const message& m, header_id id) {
  std::vector<std::string> out;
  for (const header_field& f : m.headers()) {
    if (f.id == id) out.emplace_back(f.value);
  }
  return out;
}

/// The direction of the first media stream of the SDP in an event's
/// description ("sendrecv", "sendonly" ...), or "none".
inline std::string direction_of(const std::optional<sdp::session_description>& sd) {
  if (!sd || sd->media.empty()) return "none";
  return std::string{sdp::to_string(sd->effective_direction(sd->media[0]))};
}

/// One UA core on the network.
struct ua_node {
  std::string name;
  socket_address address;
  std::unique_ptr<ua_core> core;
  lines events;                              ///< describe() of every event, in order
  std::vector<core_event> raw;               ///< the events themselves
  std::optional<call_handle> last_incoming;  ///< from the last incoming_call_event
};

/// A message a scripted peer received.
struct peer_message {
  std::string from;  ///< the sending node's name
  message msg;       ///< owns its bytes
  bool retransmission = false;
};

class core_net {
 public:
  using time_point = ua_core::time_point;

  time_point now = time_point{} + std::chrono::hours{1};
  lines wire;
  /// The same lines with the instant each went on the wire.
  std::vector<std::pair<time_point, std::string>> timed;
  /// Every message that went on the wire (lost ones included), in order.
  std::vector<peer_message> seen;
  /// Return true to lose a message (the wire line is still logged, with
  /// " (lost)").
  std::function<bool(const std::string& from, const message& m)> drop;

  ua_node& add(std::string name, std::string ip, std::uint16_t port = 5060,
               const std::function<void(ua_core_config&)>& tweak = {}) {
    ua_core_config c;
    c.identity = "sip:" + name + "@example.com";
    c.contact_user = name;
    c.endpoints.push_back(local_endpoint{tp::udp, ip, port});
    c.endpoints.push_back(local_endpoint{tp::tcp, ip, port});
    std::uint64_t seed = 0;
    for (char ch : name) seed = seed * 131 + static_cast<unsigned char>(ch);
    c.random = sipua::seeded_random(seed);
    if (tweak) tweak(c);
    auto n = std::make_unique<ua_node>();
    n->name = std::move(name);
    n->address = net_addr(ip + ":" + std::to_string(port));
    n->core = std::make_unique<ua_core>(std::move(c));
    nodes_.push_back(std::move(n));
    return *nodes_.back();
  }

  /// A scripted peer: messages to `ip:port` land in inbox(name).
  void add_peer(std::string name, std::string ip, std::uint16_t port = 5060) {
    peers_.emplace(net_addr(ip + ":" + std::to_string(port)), std::move(name));
  }
  std::vector<peer_message>& inbox(const std::string& peer) { return inboxes_[peer]; }

  /// The peer `from` (a scripted peer's address) sends `text` to node `to`.
  void inject(const std::string& from_ip_port, ua_node& to, std::string text,
              tp protocol = tp::udp) {
    auto bytes = std::make_shared<const std::string>(std::move(text));
    message m;
    const parse_error e = parse_datagram(*bytes, m);
    EXPECT_FALSE(e) << "does not parse: " << *bytes;
    m.set_owner(bytes);
    log(name_of(net_addr(from_ip_port)) + "->" + to.name + " " + label(m));
    seen.push_back(peer_message{name_of(net_addr(from_ip_port)), m, false});
    to.core->receive(now, inbound_message{transport_origin{protocol, to.address,
                                                           net_addr(from_ip_port), nullptr},
                                          std::move(m)});
    run();
  }

  /// Delivers until every core's queue is empty.
  void run() {
    for (int round = 0; round < 10000; ++round) {
      bool any = false;
      for (auto& n : nodes_) {
        while (auto a = n->core->next_action()) {
          any = true;
          handle(*n, std::move(*a));
        }
      }
      while (!in_flight_.empty()) {
        any = true;
        auto d = std::move(in_flight_.front());
        in_flight_.pop_front();
        d.to->core->receive(now, std::move(d.message));
      }
      if (!any) return;
    }
    ADD_FAILURE() << "the network never settled";
  }

  /// Moves the clock forward by `d`, firing every timer at its instant.
  void advance(std::chrono::milliseconds d) {
    const time_point end = now + d;
    for (;;) {
      std::optional<time_point> next;
      for (auto& n : nodes_) {
        const auto t = n->core->next_deadline();
        if (t && (!next || *t < *next)) next = t;
      }
      if (!next || *next > end) break;
      now = std::max(now, *next);
      for (auto& n : nodes_) {
        const auto t = n->core->next_deadline();
        if (t && *t <= now) n->core->handle_timeout(now);
      }
      run();
    }
    now = end;
  }

  ua_node& node(const std::string& name) {
    for (auto& n : nodes_) {
      if (n->name == name) return *n;
    }
    ADD_FAILURE() << "no node " << name;
    return *nodes_.front();
  }

  /// The messages on the wire whose wire label (as in the log: "INVITE",
  /// "200") is `label`, in order.
  std::vector<message> seen_labelled(std::string_view what) const {
    std::vector<message> out;
    for (const peer_message& p : seen) {
      if (label(p.msg) == what) out.push_back(p.msg);
    }
    return out;
  }

  /// The wire lines logged since the last call (and forgets them).
  lines take_wire() { return std::exchange(wire, {}); }

  /// The timed wire lines since the last call (and forgets them), each
  /// prefixed with its instant in milliseconds after `since`:
  /// "500ms alice->bob INVITE (retx)".
  lines take_timed(time_point since) {
    lines out;
    for (const auto& [at, line] : timed) {
      out.push_back(std::to_string(
                        std::chrono::duration_cast<std::chrono::milliseconds>(at - since).count()) +
                    "ms " + line);
    }
    timed.clear();
    return out;
  }

 private:
  struct delivery {
    ua_node* to = nullptr;
    inbound_message message;
  };

  void log(std::string line) {
    timed.emplace_back(now, line);
    wire.push_back(std::move(line));
  }

  static std::string label(const message& m) {
    if (m.is_request()) return std::string{m.method_name()};
    return std::to_string(m.status_code());
  }

  std::string name_of(const socket_address& a) const {
    for (const auto& n : nodes_) {
      if (n->address == a) return n->name;
    }
    const auto it = peers_.find(a);
    return it != peers_.end() ? it->second : a.to_string();
  }

  void transmit(ua_node& from, const socket_address& to, tp protocol,
                const std::shared_ptr<const std::string>& bytes, bool retransmission) {
    message m;
    const parse_error e = parse_datagram(*bytes, m);
    EXPECT_FALSE(e) << from.name << " sent what does not parse:\n" << *bytes;
    if (e) return;
    m.set_owner(bytes);
    std::string line = from.name + "->" + name_of(to) + " " + label(m);
    if (retransmission) line += " (retx)";
    seen.push_back(peer_message{from.name, m, retransmission});
    if (drop && drop(from.name, m)) {
      log(line + " (lost)");
      return;
    }
    log(line);
    for (auto& n : nodes_) {
      if (n->address == to) {
        in_flight_.push_back(delivery{
            n.get(),
            inbound_message{transport_origin{protocol, to, from.address, nullptr}, std::move(m)}});
        return;
      }
    }
    const auto it = peers_.find(to);
    if (it != peers_.end()) {
      inboxes_[it->second].push_back(peer_message{from.name, std::move(m), retransmission});
      return;
    }
    ADD_FAILURE() << from.name << " sent to " << to.to_string() << ", where nobody listens";
  }

  void handle(ua_node& n, core_action&& a) {
    if (auto* s = std::get_if<send_request_action>(&a)) {
      transmit(n, s->address, s->protocol, s->bytes, s->retransmission);
    } else if (auto* r = std::get_if<send_response_action>(&a)) {
      // §18.2.2 for UDP: back to the source of the request.
      transmit(n, r->origin.peer, r->origin.protocol, r->bytes, r->retransmission);
    } else if (auto* q = std::get_if<resolve_action>(&a)) {
      n.core->resolved(now, q->token, std::make_error_code(std::errc::host_unreachable), {});
    } else if (auto* e = std::get_if<core_event>(&a)) {
      n.events.push_back(describe(*e));
      if (auto* in = std::get_if<incoming_call_event>(e)) n.last_incoming = in->call;
      n.raw.push_back(std::move(*e));
    }
  }

  std::vector<std::unique_ptr<ua_node>> nodes_;
  std::map<socket_address, std::string, bool (*)(const socket_address&, const socket_address&)>
      peers_{[](const socket_address& a, const socket_address& b) {
        return a.to_string() < b.to_string();
      }};
  std::map<std::string, std::vector<peer_message>> inboxes_;
  std::deque<delivery> in_flight_;
};

/// What call_peer() started: the call and the INVITE the peer received.
struct peer_call {
  call_handle call;
  message invite;
};

/// The node `from` (at 192.0.2.1) calls `target` with an audio offer; the
/// network has run.
/// `from` calls `target` with an audio offer; the network has run. The
/// core's answer as it is (a test of refusals reads the error).
inline result<call_handle, std::error_code> try_call(core_net& net, ua_node& from,
                                                     std::string target) {
  call_options o;
  o.target = std::move(target);
  o.media = audio("192.0.2.1", 49170, 1001);
  auto h = from.core->call(net.now, std::move(o));
  net.run();
  return h;
}

inline call_handle place_call(core_net& net, ua_node& from, std::string target) {
  auto h = try_call(net, from, std::move(target));
  EXPECT_TRUE(h) << h.error().message();
  return h ? *h : call_handle{};
}

/// `caller` calls the core `callee` (at 192.0.2.2), which answers with
/// audio: both handles, the call up.
inline std::pair<call_handle, call_handle> answered_call(core_net& net, ua_node& caller,
                                                         ua_node& callee) {
  const call_handle a = place_call(net, caller, "sip:bob@192.0.2.2");
  const call_handle b = callee.last_incoming ? *callee.last_incoming : call_handle{};
  EXPECT_EQ(callee.core->answer(net.now, b, {audio("192.0.2.2", 3456, 2002), {}}),
            std::error_code{});
  net.run();
  return {a, b};
}

/// The node `from` (at 192.0.2.1) calls the scripted peer `peer` (at
/// 192.0.2.9) with an audio offer; the network has run.
inline peer_call call_peer(core_net& net, ua_node& from, const std::string& peer) {
  peer_call out{place_call(net, from, "sip:bob@192.0.2.9"), {}};
  const auto& inbox = net.inbox(peer);
  EXPECT_FALSE(inbox.empty());
  if (!inbox.empty()) out.invite = inbox.back().msg;
  return out;
}

}  // namespace sipua::test
