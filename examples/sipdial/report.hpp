// What sipdial tells the user as a command runs: the message ladder and
// call events as readable lines (colours on a terminal only), or with
// --json one JSON object per line for scripts:
//
//   {"t":0.004,"event":"sent","transport":"udp","peer":"127.0.0.1:5070","message":"INVITE","sdp":true}
//   {"t":0.006,"event":"progress","status":180,"reason":"Ringing"}
//   {"t":0.512,"event":"ended","reason":"remote_hangup","status":0}
//   {"t":0.512,"event":"result","exit":0}
//
// Every object has "t" (seconds since the command started) and "event".
#pragma once

#include <cstdio>
#include <functional>
#include <initializer_list>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "ladder.hpp"

#include "sipua/runtime/trace.hpp"

namespace sipdial {

/// One field of an event: a name and a string, integer, number or flag.
struct field {
  std::string_view name;
  std::variant<std::string_view, long long, double, bool> value;
};

class reporter {
 public:
  reporter(std::FILE* out, bool json, bool full);

  /// The trace hook for the UA: both directions, one line (or object) each.
  sipua::trace_hook hook();
  /// Names a local address "me" in the ladder.
  void self(const sipua::socket_address& address);
  /// An event: in JSON an object with these fields; on the ladder `text`
  /// (the fields are not shown: `text` says what matters to a reader).
  void event(std::string_view name, std::string_view text, std::initializer_list<field> fields);

  /// `f` sees every message first (a command watching for a response).
  void watch(std::function<void(const sipua::trace_event&)> f) {
    watchers_.push_back(std::move(f));
  }
  void unwatch() { watchers_.clear(); }

  [[nodiscard]] std::size_t messages() const noexcept { return ladder_.messages(); }
  [[nodiscard]] double seconds() const { return ladder_.seconds(); }
  [[nodiscard]] bool json() const noexcept { return json_; }

 private:
  void message(const sipua::trace_event& e);
  std::FILE* out_;
  bool json_;
  bool full_;
  ladder ladder_;
  std::vector<std::function<void(const sipua::trace_event&)>> watchers_;
};

/// For a received response: its status and CSeq method ("BYE", a view
/// into the event's bytes); status 0 for anything else.
struct response_line {
  int status = 0;
  std::string_view method;
};
response_line received_response(const sipua::trace_event& e);

/// "udp", "tcp", "tls" ...
std::string protocol_name(sipua::transport_protocol p);

/// `s` as a JSON string literal, quotes included (RFC 8259 §7).
std::string json_string(std::string_view s);

}  // namespace sipdial
