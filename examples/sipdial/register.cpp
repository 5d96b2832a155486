// `sipdial register <registrar-uri>`: registers (RFC 3261 §10.2), prints
// the bindings the registrar returns, keeps the registration refreshed
// until --for SECONDS have passed (default: until Ctrl-C), then removes it.
// Exit status: 0 when registering and unregistering both succeeded; the
// status class (3 .. 6) of the failure response; 1 when nothing answered.
#include <chrono>
#include <cstdio>
#include <optional>
#include <string>

#include "agent.hpp"
#include "commands.hpp"
#include "registration.hpp"
#include "report.hpp"
#include <asio/steady_timer.hpp>

#include "sipua/ua/user_agent.hpp"

namespace sipdial {

int run_register(const options& o) {
  if (o.positional.size() != 1) return usage_error("register: give exactly one registrar URI");
  const auto registrar_uri = target_of(o, "register");
  if (!registrar_uri) return usage_error(registrar_uri.error());
  const std::string& registrar = *registrar_uri;
  const auto aor = address_of_record(o, registrar);
  if (!aor) return usage_error(aor.error());
  reporter r{stdout, o.json, o.trace};
  auto config = agent_config(o, registrar, "127.0.0.1:0", r);
  if (!config) return usage_error(config.error());
  config->identity = *aor;
  sipua::UserAgent ua{std::move(*config)};
  if (!start_agent(ua, r)) return exit_failure;
  auto held = held_registration::start(ua, o, registrar, *aor, r);
  if (!held) {
    std::fprintf(stderr, "sipdial: %s\n", held.error().c_str());
    return exit_usage;
  }
  bool stop = false;
  interrupts ctrl_c{ua, [&] { stop = true; }};
  asio::steady_timer done_timer{ua.context()};
  if (o.for_seconds) {
    done_timer.expires_after(std::chrono::duration_cast<std::chrono::milliseconds>(
        std::chrono::duration<double>(*o.for_seconds)));
    done_timer.async_wait([&](std::error_code e) {
      if (!e) stop = true;
    });
  }
  int status = (*held)->wait_registered(ua, [&] { return stop; });
  if (status == exit_ok) {
    ua.run_until([&] { return stop; }, std::chrono::hours{24 * 365});
  }
  const int removed = (*held)->finish(ua);
  if (status == exit_ok) status = removed;
  r.event("result", {}, {{"exit", static_cast<long long>(status)}});
  r.unwatch();
  return status;
}

}  // namespace sipdial
