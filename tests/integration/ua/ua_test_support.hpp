// Helpers for the UserAgent integration tests (tests/integration/ua/): SDP
// capabilities, the URI a UA is reached at, and a thread-safe event log
// the callbacks write and the tests wait on.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/ua/user_agent.hpp"

namespace sipua::ua_test {

/// Generous: the loopback answers in milliseconds, a slow sanitizer build
/// in well under a second.
inline constexpr std::chrono::seconds timeout{10};

/// One PCMU stream on 127.0.0.1:`port`.
inline sdp::local_capabilities audio(std::uint16_t port, std::uint64_t session_id) {
  sdp::local_capabilities caps;
  caps.origin.sess_id = session_id;
  caps.origin.sess_version = 1;
  caps.origin.address = "127.0.0.1";
  caps.connection.address = "127.0.0.1";
  sdp::media_capability m;
  m.port = port;
  m.codecs.push_back(sdp::codec{"PCMU", 8000, 1, {}, 0U});
  caps.media.push_back(std::move(m));
  return caps;
}

/// "sip:<user>@<address>" of `ua`'s listener for `p` (";transport=tcp" for TCP).
inline std::string uri_of(const UserAgent& ua, transport_protocol p,
                          std::string_view user = "bob") {
  for (const auto& l : ua.local_addresses()) {
    if (l.protocol == p) {
      std::string u = "sip:" + std::string{user} + "@" + l.address.to_string();
      if (p == transport_protocol::tcp) u += ";transport=tcp";
      return u;
    }
  }
  return {};
}

inline UserAgent::Config config_for(std::string identity) {
  UserAgent::Config c;
  c.identity = std::move(identity);
  return c;
}

inline std::string ended(std::string_view who, const CallEnd& e) {
  return std::string{who} + ": ended " + std::string{to_string(e.reason)} + " " +
         std::to_string(e.status);
}

/// The direction of the first stream of `d` ("none" without SDP).
inline std::string first_direction(const std::optional<sdp::session_description>& d) {
  if (!d || d->media.empty()) return "none";
  return std::string{to_string(d->effective_direction(d->media.front()))};
}

/// Lines the callbacks append (from any thread) and the test reads or
/// waits for.
class event_log {
 public:
  void add(std::string line) {
    {
      const std::lock_guard lock{mutex_};
      lines_.push_back(std::move(line));
    }
    changed_.notify_all();
  }
  [[nodiscard]] std::vector<std::string> lines() const {
    const std::lock_guard lock{mutex_};
    return lines_;
  }
  [[nodiscard]] bool has(std::string_view line) const {
    const std::lock_guard lock{mutex_};
    return std::find(lines_.begin(), lines_.end(), line) != lines_.end();
  }
  [[nodiscard]] std::size_t size() const {
    const std::lock_guard lock{mutex_};
    return lines_.size();
  }
  /// For a thread that does not run the loop: blocks until `line` is
  /// logged (true) or the timeout passed (false).
  bool wait_for(std::string_view line) {
    std::unique_lock lock{mutex_};
    return changed_.wait_for(lock, timeout, [&] {
      return std::find(lines_.begin(), lines_.end(), line) != lines_.end();
    });
  }

 private:
  mutable std::mutex mutex_;
  std::condition_variable changed_;
  std::vector<std::string> lines_;
};

/// The lines of `lines` that start with `prefix` (one side's events, in
/// order, whatever their interleaving with the other side's).
inline std::vector<std::string> of(const std::vector<std::string>& lines, std::string_view prefix) {
  std::vector<std::string> out;
  for (const auto& l : lines) {
    if (l.rfind(prefix, 0) == 0) out.push_back(l);
  }
  return out;
}

inline const std::error_code unknown_call = make_error_code(core_errc::unknown_call);

/// Every method of `c` reports unknown_call (the handle rule of call.hpp).
inline void expect_stale(Call c) {
  EXPECT_FALSE(c.active());
  EXPECT_EQ(c.set_handlers(CallHandlers{}), unknown_call);
  EXPECT_EQ(c.ring(), unknown_call);
  EXPECT_EQ(c.progress(audio(4002, 2)), unknown_call);
  EXPECT_EQ(c.answer(audio(4002, 2)), unknown_call);
  EXPECT_EQ(c.reject(486), unknown_call);
  EXPECT_EQ(c.redirect({"sip:carol@127.0.0.1"}), unknown_call);
  EXPECT_EQ(c.hangup(), unknown_call);
  EXPECT_EQ(c.hold(), unknown_call);
  EXPECT_EQ(c.unhold(), unknown_call);
  EXPECT_EQ(c.reinvite(audio(4004, 3)), unknown_call);
  EXPECT_EQ(c.send_info("text/plain", "x"), unknown_call);
}

/// Handlers that log "<who>: answered" and the end (and "<who>: progress
/// N" when `progress`).
inline CallHandlers logging(event_log& log, std::string who, bool progress = false) {
  CallHandlers h;
  if (progress) {
    h.on_progress = [&log, who](int s, std::string_view) {
      log.add(who + ": progress " + std::to_string(s));
    };
  }
  h.on_answered = [&log, who](const MediaInfo&) { log.add(who + ": answered"); };
  h.on_ended = [&log, who](const CallEnd& e) { log.add(ended(who, e)); };
  return h;
}

/// Call options with an audio offer on port 4000.
inline CallOptions with_audio() {
  CallOptions o;
  o.media = audio(4000, 1);
  return o;
}

/// `bob` answers every call with audio, logging as "bob".
inline void answer_every_call(UserAgent& bob, event_log& log) {
  bob.on_incoming_call([&log](IncomingCall& in) {
    EXPECT_EQ(in.call.set_handlers(logging(log, "bob")), std::error_code{});
    EXPECT_EQ(in.call.answer(audio(4002, 2)), std::error_code{});
  });
}

/// The parameter name of the UDP/TCP parameterised suites.
inline std::string protocol_name(const ::testing::TestParamInfo<transport_protocol>& p) {
  return p.param == transport_protocol::udp ? "udp" : "tcp";
}

}  // namespace sipua::ua_test
