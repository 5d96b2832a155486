// Two sans-I/O UA cores (ua_core.hpp) wired back to back in memory: alice
// calls bob, bob answers every call at once (180, then 200 with an SDP
// answer). What one core sends is parsed (parse_datagram, the buffer kept
// as the message's owner, as a transport hands up a datagram) and handed
// to the other core's receive(). No socket, no io_context: the protocol's
// cost without the I/O's. Used by bench_calls and call_memory.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <utility>
#include <variant>
#include <vector>

#include "sipua/dialog/seeded_random.hpp"
#include "sipua/dialog/ua_core.hpp"
#include "sipua/message/message.hpp"
#include "sipua/sdp/offer_answer.hpp"

namespace sipua::bench {

class core_pair {
 public:
  using time_point = ua_core::time_point;

  /// alice's calls: answered (hung up at once when hang_up), ended.
  std::function<void()> on_answered;
  std::function<void(const call_ended_event&)> on_ended;
  bool hang_up = true;
  /// Messages that did not parse or went nowhere, and commands that
  /// failed (must stay 0).
  std::size_t lost = 0;

  explicit core_pair(const timer_config& timers = {})
      : alice_{make_config("alice", 5061, timers, 1)}, bob_{make_config("bob", 5062, timers, 2)} {}

  bool place_call(time_point now) {
    call_options o;
    o.target = "sip:bob@127.0.0.1:5062";
    o.media = offer_;
    return alice_.call(now, std::move(o)).has_value();
  }

  /// Delivers every queued message and event until both cores are quiet.
  void run(time_point now) {
    for (;;) {
      bool any = drain(now, alice_, true);
      any = drain(now, bob_, false) || any;
      if (!any) return;
    }
  }

  /// Fires the timers due at `now` (and delivers what they send).
  void handle_timeouts(time_point now) {
    for (ua_core* c : {&alice_, &bob_}) {
      const auto t = c->next_deadline();
      if (t && *t <= now) c->handle_timeout(now);
    }
    run(now);
  }

  ua_core& alice() { return alice_; }
  ua_core& bob() { return bob_; }

 private:
  static ua_core_config make_config(const char* name, std::uint16_t port,
                                    const timer_config& timers, std::uint64_t seed) {
    ua_core_config c;
    c.identity = std::string{"sip:"} + name + "@127.0.0.1";
    c.contact_user = name;
    c.endpoints.push_back(local_endpoint{transport_protocol::udp, "127.0.0.1", port});
    c.txn.timers = timers;
    c.max_calls = 10'000'000;
    c.random = sipua::seeded_random(seed);
    return c;
  }

  static socket_address address_of(std::uint16_t port) {
    return socket_address{ip_address::loopback_v4(), port};
  }

  void deliver(time_point now, ua_core& from, const socket_address& to,
               const std::shared_ptr<const std::string>& bytes) {
    ua_core& dest = &from == &alice_ ? bob_ : alice_;
    const socket_address dest_addr = address_of(&dest == &alice_ ? 5061 : 5062);
    message m;
    if (parse_datagram(*bytes, m) || !(to == dest_addr)) {
      ++lost;
      return;
    }
    m.set_owner(bytes);
    const socket_address src = address_of(&from == &alice_ ? 5061 : 5062);
    dest.receive(now,
                 inbound_message{transport_origin{transport_protocol::udp, dest_addr, src, nullptr},
                                 std::move(m)});
  }

  bool drain(time_point now, ua_core& core, bool is_alice) {
    bool any = false;
    while (auto a = core.next_action()) {
      any = true;
      if (auto* s = std::get_if<send_request_action>(&*a)) {
        deliver(now, core, s->address, s->bytes);
      } else if (auto* r = std::get_if<send_response_action>(&*a)) {
        deliver(now, core, r->origin.peer, r->bytes);  // RFC 3261 §18.2.2: to the source
      } else if (auto* e = std::get_if<core_event>(&*a)) {
        on_event(now, core, is_alice, *e);
      } else {
        ++lost;  // no name to resolve here
      }
    }
    return any;
  }

  void on_event(time_point now, ua_core& core, bool is_alice, const core_event& e) {
    if (!is_alice) {
      if (const auto* in = std::get_if<incoming_call_event>(&e)) {
        answer_options o;
        o.media = answer_;
        if (core.ring(now, in->call) || core.answer(now, in->call, std::move(o))) ++lost;
      }
      return;
    }
    if (const auto* up = std::get_if<call_answered_event>(&e)) {
      if (on_answered) on_answered();
      if (hang_up && core.hangup(now, up->call)) ++lost;
    } else if (const auto* end = std::get_if<call_ended_event>(&e)) {
      if (on_ended) on_ended(*end);
    }
  }

  ua_core alice_;
  ua_core bob_;
  sdp::local_capabilities offer_ = sdp::audio_capabilities("127.0.0.1", 40000, 1);
  sdp::local_capabilities answer_ = sdp::audio_capabilities("127.0.0.1", 40002, 2);
};

}  // namespace sipua::bench
