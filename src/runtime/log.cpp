// logger and the stderr sink. Plain string building rather than fmt:
// sipua_transport does not link fmt (src/CMakeLists.txt keeps it private
// to the core), and a line of four parts needs nothing more.
#include "sipua/runtime/log.hpp"

#include <cctype>
#include <cstdio>
#include <string>

namespace sipua {

std::string_view to_string(log_level level) noexcept {
  switch (level) {
    case log_level::trace: return "trace";
    case log_level::debug: return "debug";
    case log_level::info: return "info";
    case log_level::warning: return "warning";
    case log_level::error: return "error";
    case log_level::off: return "off";
  }
  return "off";
}

void logger::write(log_level level, std::string_view component, std::string_view text) const {
  if (!enabled(level)) return;
  sink_(log_record{level, component, text});
}

log_sink stderr_sink() {
  return [](const log_record& r) {
    std::string line;
    const std::string_view level = to_string(r.level);
    line.reserve(level.size() + r.component.size() + r.text.size() + 4);
    for (const char c : level)
      line += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    line += ' ';
    line += r.component;
    line += ": ";
    line += r.text;
    line += '\n';
    // One fwrite per record, so lines from several threads do not
    // interleave within a line (stdio locks the stream per call).
    std::fwrite(line.data(), 1, line.size(), stderr);
  };
}

}  // namespace sipua
