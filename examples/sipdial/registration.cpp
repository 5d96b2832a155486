// sipdial's registrations (registration.hpp).
#include "registration.hpp"

#include <chrono>
#include <cstdio>

#include "agent.hpp"

#include "sipua/message/uri.hpp"

namespace sipdial {

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

namespace {
/// The exit status for a final `status` (`from_peer`: a peer sent it).
int failure_status(int status, bool from_peer) {
  if (from_peer && status >= 300 && status < 700) return status / 100;
  return exit_failure;
}
}  // namespace

sipua::result<std::shared_ptr<held_registration>, std::string> held_registration::start(
    sipua::UserAgent& ua, const options& o, const std::string& registrar, const std::string& aor,
    reporter& r) {
  auto self = std::make_shared<held_registration>();
  // The callbacks hold the object: the UA may report after the command
  // let go of it (its destructor removes the binding).
  const std::shared_ptr<held_registration>& h = self;
  r.watch([h](const sipua::trace_event& e) {
    const response_line rl = received_response(e);
    if (rl.status >= 200 && rl.method == "REGISTER") h->last_from_peer_ = rl.status;
  });
  sipua::UserAgent::Registration reg;
  reg.registrar = registrar;
  reg.aor = aor;
  reg.expires = std::chrono::seconds{static_cast<long long>(o.expires)};
  auto id = ua.register_at(reg, [h, &r](const sipua::registration_event& e) {
    switch (e.state) {
      case sipua::registration_state::registered:
        h->registered_ = e.status;
        r.event("registered",
                "registered " + e.contact + " for " + std::to_string(e.expires.count()) + " s",
                {{"contact", e.contact},
                 {"expires", static_cast<long long>(e.expires.count())},
                 {"bindings", static_cast<long long>(e.bindings.size())}});
        for (const std::string& b : e.bindings) {
          r.event("binding", "  binding " + b, {{"binding", b}});
        }
        break;
      case sipua::registration_state::failed: {
        h->failed_ = e.status;
        const double retry = e.retry_in ? static_cast<double>(e.retry_in->count()) / 1000 : 0;
        char text[160];
        std::snprintf(text, sizeof text, "registration failed: %d %s (retrying in %.0f s)",
                      e.status, e.phrase.c_str(), retry);
        r.event("registration_failed", text,
                {{"status", static_cast<long long>(e.status)}, {"retry_in", retry}});
        break;
      }
      case sipua::registration_state::unregistered:
        h->unregistered_ = e.status;
        r.event("unregistered", "unregistered (" + std::to_string(e.status) + ")",
                {{"status", static_cast<long long>(e.status)}});
        break;
    }
  });
  if (!id)
    return sipua::unexpected{"cannot register at " + registrar + ": " + id.error().message()};
  self->id_ = *id;
  r.event("registering", "registering " + aor + " at " + registrar,
          {{"aor", aor}, {"registrar", registrar}});
  return self;
}

int held_registration::wait_registered(sipua::UserAgent& ua, const std::function<bool()>& stop) {
  // The first attempt decides: a failure ends the command (no retrying
  // while someone watches).
  ua.run_until([&] { return stop() || registered_ || failed_; }, std::chrono::hours{24 * 365});
  if (registered_) return exit_ok;
  return failed_ ? failure_status(*failed_, last_from_peer_ == *failed_) : exit_failure;
}

int held_registration::finish(sipua::UserAgent& ua) {
  (void)ua.unregister(id_);
  ua.run_until([&] { return unregistered_.has_value(); }, std::chrono::seconds{40});
  if (!unregistered_) return exit_failure;
  if (*unregistered_ < 300) return exit_ok;
  return failure_status(*unregistered_, last_from_peer_ == *unregistered_);
}

sipua::result<std::shared_ptr<held_registration>, int> register_if_asked(sipua::UserAgent& ua,
                                                                         const options& o,
                                                                         reporter& r) {
  if (o.register_at.empty()) return std::shared_ptr<held_registration>{};
  const auto protocol = transport_of(o);
  const std::string registrar = protocol ? with_transport(o.register_at, *protocol) : o.register_at;
  const auto aor = address_of_record(o, registrar);
  if (!aor) {
    std::fprintf(stderr, "sipdial: %s\n", aor.error().c_str());
    return sipua::unexpected{static_cast<int>(exit_usage)};
  }
  auto held = held_registration::start(ua, o, registrar, *aor, r);
  if (!held) {
    std::fprintf(stderr, "sipdial: %s\n", held.error().c_str());
    return sipua::unexpected{static_cast<int>(exit_usage)};
  }
  const int status = (*held)->wait_registered(ua, [] { return false; });
  if (status != exit_ok) return sipua::unexpected{status};
  return *held;
}

}  // namespace sipdial
