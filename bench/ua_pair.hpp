// Two UserAgents in one process on loopback UDP (127.0.0.1, ports chosen by
// the OS), one io_context, one thread: alice calls bob, bob answers every
// call at once (180, then 200 with an SDP answer). Used by bench_calls
// (full calls as fast as they go) and call_memory (calls left up).
#pragma once

#include <sys/resource.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>

#include "sipua/ua/user_agent.hpp"

namespace sipua::bench {

/// The whole process's CPU time (every thread), in microseconds.
struct cpu_times {
  double user = 0;
  double system = 0;
  [[nodiscard]] double total() const { return user + system; }
};

inline cpu_times process_cpu() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  const auto us = [](const timeval& t) {
    return static_cast<double>(t.tv_sec) * 1e6 + static_cast<double>(t.tv_usec);
  };
  return cpu_times{us(u.ru_utime), us(u.ru_stime)};
}

inline UserAgent::Config udp_only(std::string identity, const timer_config& timers) {
  UserAgent::Config c;
  c.listen = {{transport_protocol::udp, socket_address{ip_address::loopback_v4(), 0}}};
  c.identity = std::move(identity);
  c.timers = timers;
  // Ended calls stay in the core until their transactions end (Timer J,
  // L, M: 64*T1 = 32 s by default), so a fast run holds far more than the
  // default 100,000.
  c.max_calls = 10'000'000;
  c.media = sdp::audio_capabilities("127.0.0.1", 40002, 2);
  return c;
}

/// alice (the caller) and bob (the callee) on bob's io_context.
class ua_pair {
 public:
  /// alice's calls: when one is answered (after that, it is hung up at
  /// once if hang_up was set) and when one ends. Set before start().
  std::function<void()> on_answered;
  std::function<void(const CallEnd&)> on_ended;
  bool hang_up = true;

  explicit ua_pair(const timer_config& timers = {})
      : bob_{udp_only("sip:bob@127.0.0.1", timers)},
        alice_{bob_.context(), udp_only("sip:alice@127.0.0.1", timers)} {
    bob_.on_incoming_call([](IncomingCall& in) {
      in.call.ring();
      in.call.answer();
    });
  }

  std::error_code start() {
    if (auto e = bob_.start()) return e;
    if (auto e = alice_.start()) return e;
    target_ = "sip:bob@" + bob_.local_addresses().front().address.to_string();
    return {};
  }

  /// alice places one call to bob. False when it could not start.
  bool place_call() {
    CallHandlers h;
    std::shared_ptr<Call> self;
    if (hang_up) self = std::make_shared<Call>();
    h.on_answered = [this, self](const MediaInfo&) {
      if (on_answered) on_answered();
      if (self) self->hangup();
    };
    h.on_ended = [this](const CallEnd& e) {
      if (on_ended) on_ended(e);
    };
    CallOptions o;
    o.media = offer_;
    auto c = alice_.call(target_, std::move(o), std::move(h));
    if (!c) return false;
    if (self) *self = *c;
    return true;
  }

  bool run_until(const std::function<bool()>& done, std::chrono::steady_clock::duration limit) {
    return bob_.run_until(done, limit);
  }
  std::size_t run_for(std::chrono::steady_clock::duration d) { return bob_.run_for(d); }
  UserAgent& alice() { return alice_; }
  UserAgent& bob() { return bob_; }

 private:
  UserAgent bob_;
  UserAgent alice_;
  std::string target_;
  sdp::local_capabilities offer_ = sdp::audio_capabilities("127.0.0.1", 40000, 1);
};

}  // namespace sipua::bench
