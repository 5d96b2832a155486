// The answering side of INVITE sessions (RFC 3261 §13.3): a new INVITE
// becomes a call, the application rings, answers or rejects it; the 2xx is
// re-sent until the ACK (§13.3.1.4); CANCEL ends an unanswered call (§9.2).
// Requests are first checked as §8.2 says, and routed to their dialog.
#include <algorithm>
#include <utility>

#include "core_impl.hpp"

#include "sipua/dialog/capabilities.hpp"
#include "sipua/message/builder.hpp"
#include "sipua/message/validate.hpp"

namespace sipua {

void ua_core::impl::on_request(time_point now, transaction_id id, inbound_message&& r) {
  const message& m = r.message;
  // §8.2: method, Require, body checks (405, 501, 420, 415 ...).
  const uas_verdict v = uas_check(m, config.policy);
  if (v.action == verdict_action::drop) return;
  if (v.action == verdict_action::respond) {
    std::vector<extra_header> extra;
    if (v.status == 405) extra.push_back({"Allow", header_list(config.policy.allowed_methods)});
    if (v.status == 415)
      extra.push_back({"Accept", header_list(config.policy.accepted_body_types)});
    if (v.status == 420) {
      std::string list;
      for (std::string_view tag : v.unsupported) {
        if (!list.empty()) list += ", ";
        list += tag;
      }
      extra.push_back({"Unsupported", std::move(list)});
    }
    (void)respond(now, id, r, v.status, v.reason, hex_token(), false, {}, {}, extra);
    return;
  }
  const auto dlg = received_request_dialog(m);
  if (dlg && !dlg->local_tag.empty()) {
    // §12.2.2: a request inside a dialog, or for one we do not know (481).
    call_record* c = find_dialog(*dlg);
    if (c == nullptr) {
      (void)respond(now, id, r, 481, {}, {}, false);
      return;
    }
    if (c->state == call_state::ended) {
      // The call is over on our side (our BYE crossed theirs, §15.1.1):
      // their BYE is answered 200 — the dialog ends either way — and
      // anything else 481 (§12.2.2).
      (void)respond(now, id, r, m.method() == method::bye ? 200 : 481, {}, {}, false);
      return;
    }
    on_in_dialog_request(now, id, *c, std::move(r));
    return;
  }
  if (m.method() == method::invite) {
    on_invite(now, id, std::move(r));
  } else {
    on_out_of_dialog_request(now, id, std::move(r));
  }
}

void ua_core::impl::on_invite(time_point now, transaction_id id, inbound_message&& r) {
  const message& m = r.message;
  auto h = new_call();
  if (!h) {  // shut down, or full: §21.5.4 with Retry-After
    (void)respond(now, id, r, 503, {}, hex_token(), false, {}, {}, {{"Retry-After", "5"}});
    return;
  }
  call_record& c = calls[h->slot];
  c.uac = false;
  c.state = call_state::early;
  const std::string tag = hex_token();
  c.server_txn = id;
  owners.emplace(id, txn_owner{*h, txn_purpose::server_invite, {}}).first->second.tag = tag;
  ++c.transactions;
  auto d = dialog_from_request(m, tag, r.origin.protocol == transport_protocol::tls);
  if (!d) {
    (void)respond(now, id, r, 400, "Missing Contact or From tag", tag, false);
    set_ended(c);
    maybe_free(c);
    return;
  }
  auto sdp = sdp_body(m);
  if (!sdp) {
    (void)respond(now, id, r, 400, "Malformed SDP", tag, false);
    set_ended(c);
    maybe_free(c);
    return;
  }
  c.leg = call_leg{std::move(*d), {}, {}, {}, false, {}, 0};
  if (*sdp && c.leg->oa.receive_offer(**sdp)) {
    (void)respond(now, id, r, 488, {}, tag, false);
    set_ended(c);
    c.leg.reset();
    maybe_free(c);
    return;
  }
  register_dialog(c.leg->dlg, *h);
  c.request = std::make_unique<inbound_message>(r);
  c.request_protocol = r.origin.protocol;
  emit(incoming_call_event{*h, std::move(r), std::move(*sdp)});
}

std::error_code ua_core::impl::answer_call(time_point now, call_record& c, int status,
                                           answer_options o) {
  if (c.uac || c.state != call_state::early || !c.request || !c.leg) {
    return make_error_code(core_errc::wrong_state);
  }
  if (o.media) c.media = std::move(*o.media);
  sdp::offer_answer& oa = c.leg->oa;
  std::string body;
  if (status != 180) {
    if (oa.state() == sdp::oa_state::remote_offer_pending) {
      if (!c.media) return make_error_code(core_errc::no_media);
      auto b = answer_body(oa, *c.media);
      if (!b) return make_error_code(core_errc::bad_sdp);
      body = std::move(*b);
    } else if (oa.local_description() != nullptr) {
      // The answer of an earlier 183, repeated in the 2xx (§13.3.1.1 with
      // RFC 3264: the 183 was not reliable).
      auto b = sdp::build_session(*oa.local_description());
      if (b) body = std::move(*b);
    } else if (status == 200) {  // §13.3.1.1: no offer in the INVITE: offer in the 2xx
      if (!c.media) return make_error_code(core_errc::no_media);
      auto b = offer_body(oa, *c.media);
      if (!b) return make_error_code(core_errc::bad_sdp);
      body = std::move(*b);
    }
  }
  std::string sent;
  if (auto e = respond(now, c.server_txn, *c.request, status, {}, local_tag_of(c), true,
                       "application/sdp", body, o.headers, status == 200 ? &sent : nullptr)) {
    return e;
  }
  if (status == 200) {
    c.state = call_state::answering;
    c.leg->dlg.state = dialog_state::confirmed;
    await_ack(now, c, c.server_txn, std::move(sent), false);
    // The INVITE has its final response: nothing answers it again (the
    // transaction re-sends nothing after a 2xx, RFC 6026 §8.5; the core
    // re-sends the 2xx).
    c.request.reset();
  }
  return {};
}

void ua_core::impl::await_ack(time_point now, call_record& c, transaction_id txn_id,
                              std::string response, bool for_reinvite) {
  auto a = std::make_unique<awaited_ack>();
  a->response = std::move(response);
  a->txn = txn_id;
  a->for_reinvite = for_reinvite;
  a->interval = config.txn.timers.t1;
  a->give_up_at = now + 64 * config.txn.timers.t1;
  a->retransmit_at = now + a->interval;
  schedule(c, core_timer::retransmit_2xx, a->retransmit_at);
  c.awaiting = std::move(a);
}

void ua_core::impl::retransmit_2xx(time_point now, call_record& c) {
  awaited_ack& a = *c.awaiting;
  if (now >= a.give_up_at) {
    // §13.3.1.4: no ACK within 64·T1: the dialog is confirmed, the session
    // is ended with BYE.
    c.awaiting.reset();
    if (c.state != call_state::ended) {
      c.state = call_state::confirmed;
      (void)send_bye(now, c, c.bye_after_ack ? end_reason::local_hangup : end_reason::timeout);
    }
    return;
  }
  // Over UDP only: a reliable transport delivers the 2xx (sipua's reading
  // of §13.3.1.4 with §17.1.1.2; the 64·T1 give-up applies on all).
  // The caller's own 2xx to a re-INVITE is not re-sent (it received no
  // INVITE whose transport would say; unchanged behaviour, to be revisited).
  if (!c.uac && c.request_protocol == transport_protocol::udp) {
    (void)txn.send_response(now, a.txn, a.response);
  }
  a.interval = std::min(2 * a.interval, std::chrono::milliseconds{config.txn.timers.t2});
  a.retransmit_at = std::min(now + a.interval, a.give_up_at);
  schedule(c, core_timer::retransmit_2xx, a.retransmit_at);
}

void ua_core::impl::on_ack(time_point now, inbound_message&& ack) {
  const auto dlg = received_request_dialog(ack.message);
  if (!dlg) return;
  call_record* c = find_dialog(*dlg);
  if (c == nullptr || !c->awaiting || !c->leg) return;
  const bool for_reinvite = c->awaiting->for_reinvite;
  c->awaiting.reset();
  auto sdp = sdp_body(ack.message);
  sdp::offer_answer& oa = c->leg->oa;
  bool media_ok = true;
  // §13.3.1.1 / §14.2: only when our 2xx carried the offer does the ACK
  // complete an offer/answer exchange.
  const bool answer_in_ack = oa.state() == sdp::oa_state::local_offer_pending;
  if (answer_in_ack) {
    media_ok = sdp && *sdp && !oa.receive_answer(**sdp);
    if (!media_ok) oa.rollback();
  }
  const call_handle h = handle_of(*c);
  const auto* local = oa.local_description();
  const auto* remote = oa.remote_description();
  if (c->bye_after_ack) {
    c->state = call_state::confirmed;
    (void)send_bye(now, *c);
    return;
  }
  if (for_reinvite) {
    // Their re-INVITE with an offer was answered (and reported) in our
    // 2xx; an offerless one gets our offer, answered here.
    if (!answer_in_ack) return;
    emit(call_media_event{h, media_ok, media_ok ? 200 : 488,
                          local ? std::optional{*local} : std::nullopt,
                          remote ? std::optional{*remote} : std::nullopt});
    compact_idle(*c);
    return;
  }
  if (!media_ok) {  // an offer in our 2xx and no usable answer in the ACK
    c->state = call_state::confirmed;
    (void)send_bye(now, *c, end_reason::failed);
    return;
  }
  c->state = call_state::confirmed;
  emit(call_answered_event{h, local ? std::optional{*local} : std::nullopt,
                           remote ? std::optional{*remote} : std::nullopt});
  compact_idle(*c);  // the call is idle now
}

void ua_core::impl::on_cancel(time_point now, transaction_id id, transaction_id invite,
                              inbound_message&& r) {
  const auto it = invite.valid() ? owners.find(invite) : owners.end();
  call_record* c = it == owners.end() ? nullptr : find(it->second.call);
  if (c == nullptr) {
    (void)respond(now, id, r, 481, {}, hex_token(), false);
    return;
  }
  // §9.2: 200 to the CANCEL (with the INVITE's To tag), and 487 to the
  // INVITE when it has no final response yet.
  // (A re-INVITE's owner keeps no tag: its dialog has it.)
  const std::string tag = it->second.tag.empty() ? std::string{local_tag_of(*c)} : it->second.tag;
  (void)respond(now, id, r, 200, {}, tag, false);
  if (c->state == call_state::early && c->request && invite == c->server_txn) {
    (void)respond(now, c->server_txn, *c->request, 487, {}, tag, false);
    end_call(*c, end_reason::cancelled, 487);
  }
}

}  // namespace sipua
