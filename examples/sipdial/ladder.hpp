// sipdial's view of the wire: one line per SIP message, as a ladder
// between named parties ("alice ──INVITE──▶ bob"), stamped with the time
// since the start; colours on a terminal, none when piped.
#pragma once

#include <chrono>
#include <cstdio>
#include <map>
#include <string>
#include <string_view>

#include "sipua/runtime/trace.hpp"
#include "sipua/transport/address.hpp"

namespace sipdial {

class ladder {
 public:
  explicit ladder(std::FILE* out);

  /// Names the party at `address` ("alice").
  void name(const sipua::socket_address& address, std::string who);
  /// One line for a sent message (call it from the sender's trace hook only,
  /// so each message shows once). Full message text too when `full`.
  void sent(const sipua::trace_event& e, bool full);
  /// One line for a received message ("me ◀──180 Ringing── peer"), for a
  /// tool that shows one party's view.
  void received(const sipua::trace_event& e, bool full);
  /// A free-form line in the ladder's time base ("hold for 2 s").
  void note(std::string_view text);

  [[nodiscard]] std::size_t messages() const noexcept { return messages_; }
  [[nodiscard]] double seconds() const;

 private:
  [[nodiscard]] std::string who(const sipua::socket_address& a) const;
  void line(const sipua::trace_event& e, bool full);
  std::FILE* out_;
  bool colour_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::map<std::string, std::string> names_;  ///< address text -> name
  std::size_t messages_ = 0;
};

/// "INVITE", "180 Ringing" ...: a message's first line without the URI / version.
std::string summary(std::string_view bytes);

}  // namespace sipdial
