// A registration a sipdial command holds (`register`, and `call` /
// `listen` with --register): started, reported on the ladder or in JSON,
// waited for, and removed at the end.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "commands.hpp"
#include "report.hpp"

#include "sipua/result.hpp"
#include "sipua/ua/user_agent.hpp"

namespace sipdial {

/// --from, else sip:<--user or "sipdial">@<the registrar's host>.
sipua::result<std::string, std::string> address_of_record(const options& o,
                                                          std::string_view registrar);

class held_registration {
 public:
  /// Starts registering `aor` at `registrar` for --expires seconds (the
  /// UA's callback and `r`'s watcher share the object).
  static sipua::result<std::shared_ptr<held_registration>, std::string> start(
      sipua::UserAgent& ua, const options& o, const std::string& registrar, const std::string& aor,
      reporter& r);

  /// Runs the loop until the first outcome or until `stop()` is true.
  /// Returns 0 once registered, else the exit status of the failure (the
  /// status class of a registrar's answer, 1 when nothing answered).
  int wait_registered(sipua::UserAgent& ua, const std::function<bool()>& stop);
  /// Removes the binding and waits for the answer (at most 40 s). Returns
  /// 0 for a 2xx, else an exit status as above.
  int finish(sipua::UserAgent& ua);
  [[nodiscard]] bool registered() const noexcept { return registered_.has_value(); }

 private:
  std::uint64_t id_ = 0;
  std::optional<int> registered_;
  std::optional<int> failed_;
  std::optional<int> unregistered_;
  int last_from_peer_ = 0;  ///< the last final response to a REGISTER a peer sent
};

/// For `call` and `listen`: registers at --register (when given) and
/// waits for the outcome. Returns the registration (null without
/// --register; finish() it at the end), or the exit status to stop with.
sipua::result<std::shared_ptr<held_registration>, int> register_if_asked(sipua::UserAgent& ua,
                                                                         const options& o,
                                                                         reporter& r);

}  // namespace sipdial
