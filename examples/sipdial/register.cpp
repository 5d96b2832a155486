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
#include "report.hpp"
#include <asio/steady_timer.hpp>

#include "sipua/message/uri.hpp"
#include "sipua/ua/user_agent.hpp"

namespace sipdial {

namespace {

/// The status to exit with for a final response `status` we or the stack
/// saw (`from_peer`: a peer sent it).
int failure_status(int status, bool from_peer) {
  if (from_peer && status >= 300 && status < 700) return status / 100;
  return exit_failure;
}

/// --from, else sip:<--user or "sipdial">@<the registrar's host>.
sipua::result<std::string, std::string> address_of_record(const options& o,
                                                          std::string_view registrar) {
  if (!o.from.empty()) return o.from;
  const auto u = sipua::parse_uri(registrar);
  if (!u || (u->scheme != sipua::uri_scheme::sip && u->scheme != sipua::uri_scheme::sips)) {
    return sipua::unexpected{"not a sip: or sips: URI: " + std::string{registrar}};
  }
  const std::string user = o.user.empty() ? std::string{"sipdial"} : o.user;
  return std::string{u->sip.secure ? "sips:" : "sip:"} + user + "@" + std::string{u->sip.host};
}

}  // namespace

int run_register(const options& o) {
  if (o.positional.size() != 1) {
    std::fprintf(stderr, "sipdial register: give exactly one registrar URI\n");
    return exit_usage;
  }
  const auto protocol = transport_of(o);
  if (!protocol) {
    std::fprintf(stderr, "sipdial: %s\n", protocol.error().c_str());
    return exit_usage;
  }
  const std::string registrar = with_transport(o.positional.front(), *protocol);
  const auto aor = address_of_record(o, registrar);
  if (!aor) {
    std::fprintf(stderr, "sipdial: %s\n", aor.error().c_str());
    return exit_usage;
  }
  reporter r{stdout, o.json, o.trace};
  auto config = agent_config(o, registrar, "127.0.0.1:0", r);
  if (!config) {
    std::fprintf(stderr, "sipdial: %s\n", config.error().c_str());
    return exit_usage;
  }
  config->identity = *aor;
  // What the callbacks set outlives the UA (its destructor unregisters).
  std::optional<int> registered_status;
  std::optional<int> failed_status;
  std::optional<int> unregistered_status;
  int last_final_from_peer = 0;
  sipua::UserAgent ua{std::move(*config)};
  if (auto e = ua.start()) {
    std::fprintf(stderr, "sipdial: cannot listen: %s\n", e.message().c_str());
    return exit_failure;
  }
  for (const auto& l : ua.local_addresses()) r.self(l.address);
  r.watch = [&](const sipua::trace_event& e) {
    const response_line rl = received_response(e);
    if (rl.status >= 200 && rl.method == "REGISTER") last_final_from_peer = rl.status;
  };

  sipua::UserAgent::Registration reg;
  reg.registrar = registrar;
  reg.aor = *aor;
  reg.expires = std::chrono::seconds{static_cast<long long>(o.expires)};
  auto id = ua.register_at(reg, [&](const sipua::registration_event& e) {
    const std::string state{sipua::to_string(e.state)};
    switch (e.state) {
      case sipua::registration_state::registered: {
        registered_status = e.status;
        r.event("registered",
                "registered " + e.contact + " for " + std::to_string(e.expires.count()) + " s",
                {{"contact", e.contact},
                 {"expires", static_cast<long long>(e.expires.count())},
                 {"bindings", static_cast<long long>(e.bindings.size())}});
        for (const std::string& b : e.bindings)
          r.event("binding", "  binding " + b, {{"binding", b}});
        break;
      }
      case sipua::registration_state::failed: {
        failed_status = e.status;
        const double retry = e.retry_in ? static_cast<double>(e.retry_in->count()) / 1000 : 0;
        char text[160];
        std::snprintf(text, sizeof text, "registration failed: %d %s (retrying in %.0f s)",
                      e.status, e.phrase.c_str(), retry);
        r.event("registration_failed", text,
                {{"status", static_cast<long long>(e.status)}, {"retry_in", retry}});
        break;
      }
      case sipua::registration_state::unregistered:
        unregistered_status = e.status;
        r.event("unregistered", "unregistered (" + std::to_string(e.status) + ")",
                {{"status", static_cast<long long>(e.status)}});
        break;
    }
  });
  if (!id) {
    std::fprintf(stderr, "sipdial: cannot register at %s: %s\n", registrar.c_str(),
                 id.error().message().c_str());
    return exit_usage;
  }
  r.event("registering", "registering " + *aor + " at " + registrar,
          {{"aor", *aor}, {"registrar", registrar}});

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
  // The first attempt decides: a failure ends the command (no retrying
  // from a tool someone is watching).
  ua.run_until([&] { return stop || registered_status || failed_status; },
               std::chrono::hours{24 * 365});
  int status = exit_ok;
  if (!registered_status) {
    status = failed_status ? failure_status(*failed_status, last_final_from_peer == *failed_status)
                           : exit_failure;
  } else {
    ua.run_until([&] { return stop; }, std::chrono::hours{24 * 365});
  }
  (void)ua.unregister(*id);
  ua.run_until([&] { return unregistered_status.has_value(); }, std::chrono::seconds{40});
  if (registered_status && (!unregistered_status || *unregistered_status >= 300)) {
    status = unregistered_status ? failure_status(*unregistered_status, true) : exit_failure;
  }
  r.event("result", {}, {{"exit", static_cast<long long>(status)}});
  return status;
}

}  // namespace sipdial
