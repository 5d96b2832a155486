// The ladder (ladder.hpp).
#include "ladder.hpp"

#include <unistd.h>

namespace sipdial {

namespace {
constexpr const char* k_request = "\033[1;36m";    // bold cyan
constexpr const char* k_success = "\033[1;32m";    // bold green
constexpr const char* k_failure = "\033[1;31m";    // bold red
constexpr const char* k_provisional = "\033[33m";  // yellow
constexpr const char* k_reset = "\033[0m";
}  // namespace

std::string summary(std::string_view bytes) {
  const std::string_view line = bytes.substr(0, bytes.find("\r\n"));
  if (line.rfind("SIP/2.0 ", 0) == 0) return std::string{line.substr(8)};  // "180 Ringing"
  return std::string{line.substr(0, line.find(' '))};                      // "INVITE"
}

ladder::ladder(std::FILE* out) : out_(out), colour_(isatty(fileno(out)) != 0) {}

void ladder::name(const sipua::socket_address& address, std::string who) {
  names_[address.to_string()] = std::move(who);
}

std::string ladder::who(const sipua::socket_address& a) const {
  const auto it = names_.find(a.to_string());
  return it != names_.end() ? it->second : a.to_string();
}

double ladder::seconds() const {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
}

void ladder::sent(const sipua::trace_event& e, bool full) { line(e, full); }
void ladder::received(const sipua::trace_event& e, bool full) { line(e, full); }

void ladder::line(const sipua::trace_event& e, bool full) {
  ++messages_;
  const std::string what = summary(e.bytes);
  const bool response = e.bytes.rfind("SIP/2.0 ", 0) == 0;
  const char* colour = k_request;
  if (response) {
    colour = what[0] == '2' ? k_success : what[0] == '1' ? k_provisional : k_failure;
  }
  const bool sdp = e.bytes.find("\r\n\r\nv=0") != std::string_view::npos;
  std::string label = what + (sdp ? " (sdp)" : "") + (e.retransmission ? " (retx)" : "");
  const bool out = e.dir == sipua::trace_event::direction::sent;
  std::fprintf(out_, "%8.3f  %-6s %s%s%s%s%s %s\n", seconds(), who(e.local).c_str(),
               out ? "──" : "◀──", colour_ ? colour : "", label.c_str(), colour_ ? k_reset : "",
               out ? "──▶" : "──", who(e.peer).c_str());
  if (full) std::fprintf(out_, "%.*s\n", static_cast<int>(e.bytes.size()), e.bytes.data());
  std::fflush(out_);
}

void ladder::note(std::string_view text) {
  std::fprintf(out_, "%8.3f  %.*s\n", seconds(), static_cast<int>(text.size()), text.data());
  std::fflush(out_);
}

}  // namespace sipdial
