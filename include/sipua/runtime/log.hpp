// Logging for the runtime (and later the UA): levels, one record type, a
// sink the application installs, and a logger that filters by level.
//
// Nothing is printed by default: a logger starts at log_level::off with no
// sink, and enabled() is false until the application sets both. The sink
// is the application's: sipua never writes to stdout or stderr on its own
// (stderr_sink() is there for examples and tools that ask for it).
//
// Formatting is lazy: log() takes a callable that makes the text and calls
// it only when the level is enabled, so a disabled logger costs one
// comparison and no allocation. (Public headers do not include fmt; the
// callable may use whatever it likes, the .cpp files use fmt.)
//
// Threading: a logger is used from the thread of the endpoint it belongs
// to (DESIGN.md: one endpoint is single-threaded); no call is thread-safe.
// A sink shared by loggers on several threads must lock itself.
#pragma once

#include <functional>
#include <string_view>
#include <type_traits>
#include <utility>

namespace sipua {

/// Severity, lowest first. `off` as a threshold disables everything; it is
/// never the level of a record.
enum class log_level { trace, debug, info, warning, error, off };

/// "trace", "debug", "info", "warning", "error", "off".
[[nodiscard]] std::string_view to_string(log_level level) noexcept;

/// One log line. The views are valid during the sink's call only: copy
/// what you keep.
struct log_record {
  log_level level = log_level::info;
  std::string_view component;  ///< who speaks: "runtime", "transport", "ua" ...
  std::string_view text;       ///< the message, without a trailing newline
};

/// Receives every record at or above the logger's level. Called on the
/// logging thread, synchronously, from inside the library: it must not
/// throw and should not call back into the object that is logging.
using log_sink = std::function<void(const log_record&)>;

class logger {
 public:
  /// Level off, no sink: nothing is emitted.
  logger() = default;
  /// A sink and a threshold at once (e.g. logger(stderr_sink(), log_level::debug)).
  logger(log_sink sink, log_level level) : sink_(std::move(sink)), level_(level) {}

  /// Replaces the sink (an empty function removes it).
  void set_sink(log_sink sink) { sink_ = std::move(sink); }
  /// Records below `level` are dropped; log_level::off drops all.
  void set_level(log_level level) noexcept { level_ = level; }
  [[nodiscard]] log_level level() const noexcept { return level_; }

  /// True when a record at `level` would reach a sink: a sink is set,
  /// `level` is not off, and it is at or above the threshold.
  [[nodiscard]] bool enabled(log_level level) const noexcept {
    return level != log_level::off && level >= level_ && static_cast<bool>(sink_);
  }

  /// Hands {level, component, text} to the sink when enabled(level).
  void write(log_level level, std::string_view component, std::string_view text) const;

  /// Calls `make_text()` (returning std::string or anything convertible to
  /// std::string_view that stays valid until write() returns) only when
  /// enabled(level), and writes what it returns.
  template <class F>
  void log(log_level level, std::string_view component, F&& make_text) const {
    static_assert(std::is_invocable_v<F&&>, "log() takes a callable that makes the text");
    if (!enabled(level)) return;
    const auto text = std::forward<F>(make_text)();
    write(level, component, std::string_view(text));
  }

 private:
  log_sink sink_;
  log_level level_ = log_level::off;
};

/// A sink that prints "LEVEL component: text\n" (LEVEL upper-case, e.g.
/// "WARNING runtime: send to 192.0.2.1:5060 over UDP failed: ...") to
/// stderr, one write per record. For examples and tools; nothing installs
/// it by default.
[[nodiscard]] log_sink stderr_sink();

}  // namespace sipua
