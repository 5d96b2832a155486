// The UA core's writing side: randomness for tags and branches, our Via
// and Contact per transport, next hops (RFC 3263 hand-off), and the
// requests and responses it sends.
#include <cstdio>
#include <utility>

#include "core_impl.hpp"
#include "random_token.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/sdp/session.hpp"
#include "sipua/transport/routing.hpp"

namespace sipua {

// ---- randomness -----------------------------------------------------------------

std::uint64_t ua_core::impl::random() { return detail::next_random(config.random, sequence); }

std::string ua_core::impl::hex_token() { return detail::hex16(random()); }

// ---- where we are -------------------------------------------------------------------

const local_endpoint* ua_core::impl::endpoint_for(transport_protocol p) const noexcept {
  for (const local_endpoint& e : config.endpoints) {
    if (e.protocol == p) return &e;
  }
  return nullptr;
}

std::string ua_core::impl::via_for(transport_protocol p) {
  const local_endpoint* e = endpoint_for(p);
  if (e == nullptr) return {};
  auto v = top_via_value(p, e->host, e->port, branch(), true);
  return v ? std::move(*v) : std::string{};
}

namespace {
std::string host_for_uri(std::string_view host) {
  if (host.find(':') != std::string_view::npos && host.front() != '[') {
    return "[" + std::string{host} + "]";
  }
  return std::string{host};
}

std::string lower(std::string_view s) {
  std::string out{s};
  for (char& ch : out) {
    if (ch >= 'A' && ch <= 'Z') ch = static_cast<char>(ch - 'A' + 'a');
  }
  return out;
}
}  // namespace

std::string ua_core::impl::contact_for(transport_protocol p) const {
  const local_endpoint* e = endpoint_for(p);
  // A request over a transport we have no endpoint for (a TCP connection
  // to a UA configured for UDP only): our Contact names one we do have,
  // with its transport parameter, never an empty "<>".
  if (e == nullptr && !config.endpoints.empty()) e = &config.endpoints.front();
  if (e == nullptr) return "sip:" + config.contact_user + "@invalid";
  std::string uri =
      "sip:" + config.contact_user + "@" + host_for_uri(e->host) + ":" + std::to_string(e->port);
  if (e->protocol != transport_protocol::udp) uri += ";transport=" + lower(via_token(e->protocol));
  return uri;
}

// ---- next hops (RFC 3261 §8.1.2, RFC 3263) -------------------------------------------

void ua_core::impl::with_hop(time_point now, std::string_view uri_text, hop_continuation then) {
  const auto u = parse_uri(uri_text);
  if (!u || (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips)) {
    then(now, unexpected{make_error_code(core_errc::bad_target)});
    return;
  }
  const sip_uri& s = u->sip;
  std::optional<transport_protocol> protocol;
  if (!s.transport().empty()) {
    auto p = parse_transport_token(s.transport());
    if (!p) {
      then(now, unexpected{make_error_code(core_errc::bad_target)});
      return;
    }
    protocol = *p;
  }
  if (s.secure) protocol = transport_protocol::tls;  // RFC 3261 §26.2.2, RFC 3263 §4.1
  if (s.host_kind != host_type::name) {
    std::string_view host = s.host;
    if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
    const auto ip = ip_address::parse(host);
    if (!ip) {
      then(now, unexpected{make_error_code(core_errc::bad_target)});
      return;
    }
    const transport_protocol p = protocol.value_or(transport_protocol::udp);
    then(now, core_hop{socket_address{*ip, s.port.value_or(default_port(p))}, p, {}});
    return;
  }
  const std::uint64_t token = next_token++;
  std::string host{s.host};
  resolving.emplace(token, [then = std::move(then), host](time_point t, hop_result r) {
    if (r) r->server_name = host;
    then(t, std::move(r));
  });
  out.emplace_back(resolve_action{token, std::move(host), s.port, protocol, s.secure});
}

void ua_core::impl::with_leg_hop(time_point now, call_handle h, leg_ref which,
                                 std::function<void(time_point, call_record&, call_leg&)> then) {
  call_record* c = find(h);
  if (c == nullptr) return;
  const auto leg_of = [which](call_record& r) -> call_leg* {
    if (which.fork) {
      return r.forks && which.index < r.forks->size() ? &(*r.forks)[which.index] : nullptr;
    }
    return r.leg ? &*r.leg : nullptr;
  };
  call_leg* leg = leg_of(*c);
  if (leg == nullptr) return;
  if (leg->hop_known) {
    then(now, *c, *leg);
    return;
  }
  const dialog_route route = route_request(leg->dlg);
  ++c->holds;  // keeps the record until the continuation ran
  with_hop(now, route.next_hop,
           [this, h, which, leg_of, then = std::move(then)](time_point t, hop_result r) {
             call_record* rec = find(h);
             if (rec == nullptr) return;
             --rec->holds;
             call_leg* l = leg_of(*rec);
             if (l == nullptr) {
               maybe_free(*rec);
               return;
             }
             if (!r) {
               // A forked 2xx we only ACK and end (§13.2.2.4) that cannot be
               // reached is dropped; the call's own dialog failing ends it.
               if (which.fork) {
                 maybe_free(*rec);
               } else {
                 end_call(*rec, end_reason::failed, 0, r.error().message());
               }
               return;
             }
             l->hop = std::move(*r);
             l->hop_known = true;
             then(t, *rec, *l);
             maybe_free(*rec);
           });
}

// ---- sending ---------------------------------------------------------------------------

result<transaction_id, std::error_code> ua_core::impl::start_client(time_point now,
                                                                    const core_hop& hop,
                                                                    std::string bytes,
                                                                    txn_owner owner) {
  if (digest) {
    owner.sent = std::make_shared<const std::string>(bytes);
    owner.hop = hop;
  }
  auto id = txn.send_request(now, std::move(bytes), hop.target(), hop.protocol);
  if (!id) return id;
  owners.emplace(*id, std::move(owner));
  if (call_record* c = find(owner.call)) ++c->transactions;
  return id;
}

void ua_core::impl::send_direct(const core_hop& hop, std::string bytes, bool retransmission) {
  out.emplace_back(send_request_action{transaction_id{}, hop.protocol, hop.address, hop.server_name,
                                       std::make_shared<const std::string>(std::move(bytes)),
                                       retransmission});
}

std::error_code ua_core::impl::respond(time_point now, transaction_id id,
                                       const inbound_message& request, int status,
                                       std::string_view reason, std::string_view tag,
                                       bool with_contact, std::string_view content_type,
                                       std::string_view body,
                                       const std::vector<extra_header>& extra, std::string* kept) {
  const message& m = request.message;
  const auto top = top_via_for_response(m.value(header_id::via), request.origin);
  response_builder b = top ? build_response(m, response_top_via{*top}, status, reason, tag)
                           : build_response(m, status, reason, tag);
  // §12.1.1: a dialog-creating response carries the request's Record-Route.
  if (m.method() == method::invite && status > 100 && status < 300) {
    b.copy(m, header_id::record_route);
  }
  if (with_contact) b.header(header_id::contact, "<" + contact_for(request.origin.protocol) + ">");
  for (const extra_header& x : extra) b.header(x.name, x.value);
  if (!config.user_agent.empty()) b.header(header_id::server, config.user_agent);
  if (!body.empty()) b.content_type(content_type);
  auto bytes = b.build(body);
  if (!bytes) return make_error_code(core_errc::build_failed);
  if (kept != nullptr) *kept = *bytes;
  return txn.send_response(now, id, std::move(*bytes));
}

result<std::string, std::error_code> ua_core::impl::in_dialog_request(
    call_leg& leg, std::string_view method_name, std::optional<std::uint32_t> cseq,
    std::string_view content_type, std::string_view body, bool with_contact,
    const message* credentials_of) {
  const dialog_route route = route_request(leg.dlg);
  const std::string via = via_for(leg.hop.protocol);
  if (via.empty()) return unexpected{make_error_code(core_errc::no_transport)};
  const std::uint32_t number = cseq ? *cseq : next_local_cseq(leg.dlg);
  request_builder b = start_in_dialog_request(leg.dlg, method_name, number, route, via);
  if (with_contact) b.header(header_id::contact, "<" + contact_for(leg.hop.protocol) + ">");
  if (credentials_of != nullptr) {
    b.copy(*credentials_of, header_id::authorization);
    b.copy(*credentials_of, header_id::proxy_authorization);
  }
  if (!config.user_agent.empty()) b.header(header_id::user_agent, config.user_agent);
  if (!body.empty()) b.content_type(content_type);
  auto bytes = b.build(body);
  if (!bytes) return unexpected{make_error_code(core_errc::build_failed)};
  return std::move(*bytes);
}

void ua_core::impl::send_in_dialog(time_point now, call_handle h, leg_ref which,
                                   std::string method_name, std::string content_type,
                                   std::string body, txn_purpose purpose, request_handle req) {
  with_leg_hop(
      now, h, which,
      [this, h, purpose, req, method_name = std::move(method_name),
       content_type = std::move(content_type),
       body = std::move(body)](time_point t, call_record& c, call_leg& leg) {
        const bool refresh = is_target_refresh(method_name);
        auto bytes = in_dialog_request(leg, method_name, std::nullopt, content_type, body, refresh);
        std::error_code e;
        if (!bytes) {
          e = bytes.error();
        } else {
          if (purpose == txn_purpose::reinvite) c.reinvite_cseq = *leg.dlg.local_seq;
          auto id = start_client(t, leg.hop, std::move(*bytes), txn_owner{h, purpose, req});
          if (!id) {
            e = id.error();
          } else if (purpose == txn_purpose::reinvite) {
            c.reinvite_txn = *id;
          }
        }
        if (!e) return;
        // Could not send: report it as the transaction would have.
        if (purpose == txn_purpose::info) {
          finish_request(txn_owner{h, purpose, req}, 503, std::nullopt);
        } else if (purpose == txn_purpose::reinvite) {
          leg.oa.rollback();
          emit(call_media_event{h, false, 503, std::nullopt, std::nullopt});
        } else if (purpose == txn_purpose::bye && c.state != call_state::ended) {
          end_call(c, end_reason::local_hangup, 0, e.message());
        }
      });
}

// ---- helpers ---------------------------------------------------------------------------

result<std::optional<sdp::session_description>, std::error_code> sdp_body(const message& m) {
  if (m.body().empty()) return std::optional<sdp::session_description>{};
  std::string_view type = m.value(header_id::content_type);
  type = type.substr(0, type.find(';'));
  while (!type.empty() && (type.back() == ' ' || type.back() == '\t')) type.remove_suffix(1);
  if (lower(type) != "application/sdp") return std::optional<sdp::session_description>{};
  auto sd = sdp::parse_session(m.body());
  if (!sd) return unexpected{sd.error().error_code()};
  return std::optional<sdp::session_description>{std::move(*sd)};
}

result<std::string, std::error_code> offer_body(sdp::offer_answer& oa,
                                                const sdp::local_capabilities& media) {
  auto stamped = oa.send_offer(sdp::make_offer(media));
  if (!stamped) return unexpected{stamped.error().error_code()};
  auto text = sdp::build_session(*stamped);
  if (!text) {
    oa.rollback();
    return unexpected{text.error().error_code()};
  }
  return std::move(*text);
}

result<std::string, std::error_code> answer_body(sdp::offer_answer& oa,
                                                 const sdp::local_capabilities& media) {
  const sdp::session_description* offer = oa.pending_offer();
  if (offer == nullptr) return unexpected{make_error_code(core_errc::wrong_state)};
  auto stamped = oa.send_answer(sdp::make_answer(*offer, media));
  if (!stamped) return unexpected{stamped.error().error_code()};
  auto text = sdp::build_session(*stamped);
  if (!text) return unexpected{text.error().error_code()};
  return std::move(*text);
}

result<message, std::error_code> own_message(std::string bytes) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  message m;
  if (const parse_error e = parse_datagram(*owned, m)) return unexpected{e.error_code()};
  m.set_owner(owned);
  return m;
}

}  // namespace sipua
