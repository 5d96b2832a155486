// The UserAgent a sipdial command runs: its configuration from the
// command's flags, and Ctrl-C handling.
#pragma once

#include <functional>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "report.hpp"
#include <asio/signal_set.hpp>

#include "sipua/result.hpp"
#include "sipua/ua/user_agent.hpp"

namespace sipdial {

/// The protocol --transport names (udp, tcp, tls); an error text otherwise.
sipua::result<sipua::transport_protocol, std::string> transport_of(const options& o);

/// The UserAgent configuration for a command: listening on --local
/// (default: `default_local`) over --transport, with --proxy, --from and
/// the TLS files, reporting every message to `r`. `target` (may be empty)
/// is the URI the command will send to: without --local, the address the
/// OS would send to it from is used, so that our Via and Contact are
/// reachable from there (nothing is sent to find it out).
sipua::result<sipua::UserAgent::Config, std::string> agent_config(const options& o,
                                                                  std::string_view target,
                                                                  std::string_view default_local,
                                                                  reporter& r);

/// Prints "sipdial: <text>" on stderr; returns exit_usage.
int usage_error(std::string_view text);

/// The command's one positional URI with --transport applied
/// (with_transport); an error text when there is not exactly one or
/// --transport is bad.
sipua::result<std::string, std::string> target_of(const options& o, std::string_view command);

/// Starts `ua` and names its addresses "me" on the ladder; false (after a
/// message on stderr) when it cannot listen.
bool start_agent(sipua::UserAgent& ua, reporter& r);

/// `target` with ";transport=tcp|tls" added when --transport asks for a
/// stream and the URI names no transport (a sips: URI is left alone).
std::string with_transport(std::string target, sipua::transport_protocol p);

/// Runs `on_signal` on the UA's loop at SIGINT or SIGTERM (a second one
/// ends the process at once, status 130) while it exists.
class interrupts {
 public:
  interrupts(sipua::UserAgent& ua, std::function<void()> on_signal);
  ~interrupts();
  interrupts(const interrupts&) = delete;
  interrupts& operator=(const interrupts&) = delete;

 private:
  void arm();
  asio::signal_set signals_;
  std::function<void()> on_signal_;
  int count_ = 0;
};

/// Prints the addresses `ua` listens on (event "listening"; on the
/// ladder a plain "listening on udp 127.0.0.1:5060" line, first).
void report_listening(const sipua::UserAgent& ua, reporter& r);

}  // namespace sipdial
