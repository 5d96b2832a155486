// The registration client (RFC 3261 §10.2): REGISTER with one Call-ID and
// rising CSeq per registration (§10.2.4), refreshed before the granted
// expiration, 423 answered with the Min-Expires asked for (§10.2.8),
// failures retried with RFC 5626 §4.5's back-off, our Contact replaced by
// the address the registrar saw (RFC 3581 received/rport) and registered
// again, and Expires: 0 to remove the binding (§10.2.2).
#include <utility>

#include "core_impl.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/contact.hpp"
#include "sipua/message/element_list.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/retry_after.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

namespace {

/// Host (IPv6 without brackets) and port of a sip: URI we wrote.
struct host_port {
  std::string host;
  std::uint16_t port = 0;
};

std::optional<host_port> host_port_of(std::string_view uri_text, transport_protocol p) {
  const auto u = parse_uri(uri_text);
  if (!u || (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips)) return std::nullopt;
  std::string_view host = u->sip.host;
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  return host_port{std::string{host}, u->sip.port.value_or(default_port(p))};
}

/// `uri` with its host and port replaced (the NAT-visible address, RFC 3581).
std::string with_host_port(std::string_view user, const host_port& hp, transport_protocol p) {
  const bool v6 = hp.host.find(':') != std::string::npos;
  std::string out = "sip:" + std::string{user} + "@" + (v6 ? "[" + hp.host + "]" : hp.host) + ":" +
                    std::to_string(hp.port);
  if (p != transport_protocol::udp) {
    std::string token{via_token(p)};
    for (char& ch : token) ch = static_cast<char>(ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
    out += ";transport=" + token;
  }
  return out;
}

bool same_uri(std::string_view a, std::string_view b) {
  const auto ua = parse_uri(a);
  const auto ub = parse_uri(b);
  return ua && ub && equivalent(*ua, *ub);
}

}  // namespace

registration_record* ua_core::impl::find_registration(std::uint64_t id) noexcept {
  const auto it = registrations.find(id);
  return it == registrations.end() ? nullptr : &it->second;
}

result<registration_handle, std::error_code> ua_core::impl::start_registration(
    time_point now, registration_options o) {
  if (shut_down) return unexpected{make_error_code(core_errc::shut_down)};
  const auto u = parse_uri(o.registrar);
  if (!u || (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips)) {
    return unexpected{make_error_code(core_errc::bad_target)};
  }
  registration_record r;
  r.handle = registration_handle{next_registration++};
  r.aor = o.aor.empty() ? config.identity : o.aor;
  r.asking = o.expires;
  r.options = std::move(o);
  const std::string host = config.endpoints.empty() ? "sipua.invalid" : config.endpoints[0].host;
  r.call_id = hex_token() + "@" + host;  // §10.2.4: the same for every refresh
  r.from_tag = hex_token();
  const registration_handle h = r.handle;
  registrations.emplace(h.id, std::move(r));
  send_register(now, h.id);
  return h;
}

void ua_core::impl::send_register(time_point now, std::uint64_t id) {
  registration_record* r = find_registration(id);
  if (r == nullptr) return;
  r->sent_unregister = r->want_unregister;
  r->in_flight = true;
  const std::string hop_uri = config.outbound_proxy ? *config.outbound_proxy : r->options.registrar;
  with_hop(now, hop_uri, [this, id](time_point t, hop_result hop) {
    registration_record* rec = find_registration(id);
    if (rec == nullptr) return;
    const std::string via = hop ? via_for(hop->protocol) : std::string{};
    if (via.empty()) return register_failed(t, *rec, 503, {}, std::nullopt);
    if (rec->contact.empty() || rec->protocol != hop->protocol) {
      rec->contact = contact_for(hop->protocol);
      rec->protocol = hop->protocol;
    }
    ++rec->cseq;
    request_builder b{"REGISTER", rec->options.registrar};
    b.header(header_id::via, via).max_forwards(70);
    if (config.outbound_proxy) b.header(header_id::route, "<" + *config.outbound_proxy + ">");
    b.to({{}, rec->aor, {}, {}})
        .from({config.display_name, rec->aor, rec->from_tag, {}})
        .call_id(rec->call_id)
        .cseq(rec->cseq, "REGISTER");
    b.header(header_id::contact, "<" + rec->contact + ">");
    // A Contact the registrar saw us move away from goes in the same
    // request with expires=0 (§10.2.2 per binding).
    if (!rec->stale_contact.empty()) {
      b.header(header_id::contact, "<" + rec->stale_contact + ">;expires=0");
    }
    b.header(header_id::expires,
             rec->sent_unregister ? std::string{"0"} : std::to_string(rec->asking.count()));
    if (!config.user_agent.empty()) b.header(header_id::user_agent, config.user_agent);
    // A refresh carries the credentials of the last challenge again
    // (§22.2), so the registrar need not challenge every refresh.
    for (const extra_header& h : reuse_credentials("REGISTER", rec->options.registrar)) {
      b.header(h.name, h.value);
    }
    auto bytes = b.build({});
    if (!bytes) return register_failed(t, *rec, 400, {}, std::nullopt);
    const txn_owner owner{call_handle{}, txn_purpose::register_binding, request_handle{id}};
    auto started = start_client(t, *hop, std::move(*bytes), owner);
    if (!started) return register_failed(t, *rec, 503, {}, std::nullopt);
    rec->txn = *started;
  });
}

void ua_core::impl::on_register_response(time_point now, std::uint64_t id, transaction_id which,
                                         int status, std::optional<inbound_message> response) {
  registration_record* r = find_registration(id);
  if (r == nullptr || r->txn != which) return;
  r->txn = {};
  r->in_flight = false;
  const std::string phrase = response ? std::string{response->message.reason_phrase()} : "";
  if (r->sent_unregister) {
    // Removed, or as good as: a registrar that refuses to remove a binding
    // lets it expire (§10.2.2); the handle is done either way.
    emit(registration_event{
        r->handle, registration_state::unregistered, status, phrase, {}, {}, {}, std::nullopt});
    registrations.erase(id);
    return;
  }
  if (r->want_unregister) {
    // unregister() while this REGISTER was out: remove what it bound; if
    // it bound nothing (and nothing before it), there is nothing to remove.
    if ((status >= 200 && status < 300) || r->bound) return send_register(now, id);
    emit(registration_event{
        r->handle, registration_state::unregistered, status, phrase, {}, {}, {}, std::nullopt});
    registrations.erase(id);
    return;
  }
  if (status >= 200 && status < 300 && response) return register_succeeded(now, *r, *response);
  if (status == 423 && response) {
    // §10.2.8: ask again with the Min-Expires given, if it is more.
    const auto min = parse_delta_seconds(response->message.value(header_id::min_expires));
    if (min && std::chrono::seconds{*min} > r->asking) {
      r->asking = std::chrono::seconds{*min};
      return send_register(now, id);
    }
  }
  register_failed(now, *r, status, phrase, response);
}

void ua_core::impl::register_succeeded(time_point now, registration_record& r,
                                       const inbound_message& response) {
  const message& m = response.message;
  // RFC 3581 §4 / §9: the address the registrar saw us at. When it is not
  // the one in our Contact (a NAT), register that one instead and remove
  // the old binding in the same request.
  // Over UDP only: over TCP and TLS the source port the registrar saw is
  // the connection's ephemeral one, where nothing listens (reaching us
  // through the connection is RFC 5626 outbound's business).
  const auto via = m.top_via();
  if (r.protocol == transport_protocol::udp && via && (!via->received.empty() || via->rport)) {
    const auto ours = host_port_of(r.contact, r.protocol);
    if (ours) {
      host_port seen = *ours;
      if (!via->received.empty()) {
        std::string_view h = via->received;
        if (h.size() >= 2 && h.front() == '[') h = h.substr(1, h.size() - 2);
        seen.host = std::string{h};
      }
      if (via->rport) seen.port = *via->rport;
      const bool moved =
          seen.port != ours->port || !same_uri("sip:" + seen.host, "sip:" + ours->host);
      if (moved && r.nat_updates < 2) {
        ++r.nat_updates;
        r.stale_contact =
            std::exchange(r.contact, with_host_port(config.contact_user, seen, r.protocol));
        return send_register(now, r.handle.id);
      }
    }
  }
  r.stale_contact.clear();
  r.bound = true;
  registration_event e;
  e.registration = r.handle;
  e.state = registration_state::registered;
  e.status = m.status_code();
  e.phrase = std::string{m.reason_phrase()};
  e.contact = r.contact;
  std::optional<std::chrono::seconds> granted;
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::contact) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      e.bindings.emplace_back(*it);
      const auto c = parse_contact(*it);
      if (c && !c->star && c->expires && same_uri(c->addr.uri, r.contact)) {
        granted = std::chrono::seconds{*c->expires};
      }
    }
  }
  if (!granted) {
    // §10.2.4: the Expires header field, else what we asked for.
    const auto expires = parse_delta_seconds(m.value(header_id::expires));
    granted = expires ? std::chrono::seconds{*expires} : r.asking;
  }
  e.expires = *granted;
  r.failures = 0;
  schedule_registration(r, now + refresh_after(*granted));
  emit(std::move(e));
}

void ua_core::impl::register_failed(time_point now, registration_record& r, int status,
                                    std::string phrase,
                                    const std::optional<inbound_message>& response) {
  r.txn = {};
  r.in_flight = false;
  if (r.sent_unregister || r.want_unregister) {
    emit(registration_event{r.handle,
                            registration_state::unregistered,
                            status,
                            std::move(phrase),
                            {},
                            {},
                            {},
                            std::nullopt});
    registrations.erase(r.handle.id);
    return;
  }
  ++r.failures;
  std::chrono::milliseconds wait = retry_after_failures(r.failures, random());
  // A 503 with Retry-After may make us wait longer (RFC 5626 §4.5).
  if (response && status == 503) {
    const auto ra = parse_retry_after(response->message.value(header_id::retry_after));
    if (ra) wait = std::max<std::chrono::milliseconds>(wait, std::chrono::seconds{ra->seconds});
  }
  schedule_registration(r, now + wait);
  emit(registration_event{
      r.handle, registration_state::failed, status, std::move(phrase), {}, {}, {}, wait});
}

void ua_core::impl::schedule_registration(registration_record& r, time_point at) {
  r.due = at;
  timer_entry t;
  t.at = at;
  t.kind = core_timer::registration;
  t.registration = r.handle.id;
  timers.push(t);
}

void ua_core::impl::fire_registration(time_point now, const timer_entry& t) {
  registration_record* r = find_registration(t.registration);
  if (r == nullptr || r->due != t.at || r->in_flight) return;
  send_register(now, r->handle.id);
}

std::error_code ua_core::impl::stop_registration(time_point now, std::uint64_t id) {
  registration_record* r = find_registration(id);
  if (r == nullptr) return make_error_code(core_errc::unknown_registration);
  if (r->want_unregister) return {};
  r->want_unregister = true;
  // With a REGISTER in flight, its response sends the removal.
  if (r->in_flight) return {};
  if (!r->bound) {
    // Never registered: nothing to remove at the registrar (and a
    // registrar that refused us would refuse the removal too).
    emit(registration_event{
        r->handle, registration_state::unregistered, 0, {}, {}, {}, {}, std::nullopt});
    registrations.erase(id);
    return {};
  }
  send_register(now, id);
  return {};
}

}  // namespace sipua
