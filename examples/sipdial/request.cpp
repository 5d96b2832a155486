// `sipdial message <uri> <text>` and `sipdial options <uri>`: one request
// outside a dialog (RFC 3428 MESSAGE, RFC 3261 §11 OPTIONS); prints the
// final status. Exit status: 0 for a 2xx, else the status class (3 .. 6),
// 1 when nothing answered (408/503 made up locally are reported as such
// but exit 1: no peer said so).
#include <cstdio>
#include <optional>
#include <string>

#include "agent.hpp"
#include "commands.hpp"
#include "report.hpp"

#include "sipua/ua/user_agent.hpp"

namespace sipdial {

namespace {

int send_one(const options& o, std::string_view what, std::size_t arguments,
             const std::function<std::error_code(sipua::UserAgent&, const std::string&,
                                                 std::function<void(int)>)>& send) {
  if (o.positional.size() != arguments) {
    return usage_error(std::string{what} + ": wrong number of arguments (see sipdial --help)");
  }
  const auto target_uri = target_of(o, what);
  if (!target_uri) return usage_error(target_uri.error());
  const std::string& target = *target_uri;
  reporter r{stdout, o.json, o.trace};
  auto config = agent_config(o, target, "127.0.0.1:0", r);
  if (!config) return usage_error(config.error());
  std::optional<int> status;
  bool answered_by_peer = false;
  // A final response we received (not one made up locally) sets this.
  r.watch([&](const sipua::trace_event& e) {
    if (received_response(e).status >= 200) answered_by_peer = true;
  });
  sipua::UserAgent ua{std::move(*config)};
  if (!start_agent(ua, r)) return exit_failure;
  if (auto e = send(ua, target, [&](int s) { status = s; })) {
    std::fprintf(stderr, "sipdial: cannot send to %s: %s\n", target.c_str(), e.message().c_str());
    return exit_usage;
  }
  ua.run_until([&] { return status.has_value(); }, std::chrono::seconds{64});
  int code = exit_failure;
  if (status && answered_by_peer) code = *status < 300 ? exit_ok : *status / 100;
  const long long s = status.value_or(0);
  r.event("final", status ? "final status " + std::to_string(s) : "no final status",
          {{"status", s}, {"exit", static_cast<long long>(code)}});
  return code;
}

}  // namespace

int run_message(const options& o) {
  const std::string text = o.positional.size() == 2 ? o.positional[1] : std::string{};
  return send_one(o, "message", 2, [&](sipua::UserAgent& ua, const std::string& target, auto done) {
    return ua.send_message(target, o.content_type, text, std::move(done));
  });
}

int run_options(const options& o) {
  return send_one(o, "options", 1, [](sipua::UserAgent& ua, const std::string& target, auto done) {
    return ua.send_options(target, std::move(done));
  });
}

}  // namespace sipdial
