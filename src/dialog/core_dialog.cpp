// Inside a call's dialog (RFC 3261 §12.2, §14, §15): requests the peer
// sends (BYE, re-INVITE, INFO, OPTIONS), our BYE, our re-INVITEs with the
// glare back-off (§14.1), and the responses to them.
#include <utility>

#include "core_impl.hpp"

#include "sipua/sdp/session.hpp"

namespace sipua {

void ua_core::impl::register_dialog(const sipua::dialog& d, call_handle h) {
  dialogs.add(dialogs.key(d.id.call_id, d.id.local_tag, d.id.remote_tag), h);
}

void ua_core::impl::unregister_dialog(const sipua::dialog& d, call_handle h) {
  dialogs.remove(dialogs.key(d.id.call_id, d.id.local_tag, d.id.remote_tag), h);
}

call_record* ua_core::impl::find_dialog(const dialog_id_view& id) {
  const auto is = [&id](const call_leg& l) { return id.matches(l.dlg.id); };
  const call_handle h =
      dialogs.find(dialogs.key(id.call_id, id.local_tag, id.remote_tag), [&](call_handle c) {
        const call_record* r = find(c);
        if (r == nullptr) return false;
        if (r->leg && is(*r->leg)) return true;
        if (r->setup) {
          for (const call_leg& l : r->setup->early) {
            if (is(l)) return true;
          }
        }
        return false;
      });
  return find(h);
}

call_record* ua_core::impl::find_uac_call(std::string_view call_id, std::string_view from_tag) {
  const call_handle h = uac_calls.find(uac_calls.key(call_id, from_tag, {}), [&](call_handle c) {
    const call_record* r = find(c);
    return r != nullptr && r->uac && call_id_of(*r) == call_id && local_tag_of(*r) == from_tag;
  });
  return find(h);
}

namespace {
std::optional<sdp::session_description> copy_of(const sdp::session_description* sd) {
  return sd != nullptr ? std::optional{*sd} : std::nullopt;
}
}  // namespace

void ua_core::impl::on_in_dialog_request(time_point now, transaction_id id, call_record& c,
                                         inbound_message&& r) {
  const message& m = r.message;
  call_leg* leg = c.leg ? &*c.leg : nullptr;
  if (leg == nullptr) {  // UAC: a request in one of the early dialogs
    const auto dlg = received_request_dialog(m);
    if (c.setup) {
      for (call_leg& l : c.setup->early) {
        if (dlg && l.dlg.id.remote_tag == dlg->remote_tag) leg = &l;
      }
    }
  }
  if (leg == nullptr) {
    (void)respond(now, id, r, 481, {}, {}, false);
    return;
  }
  const std::string hop_before = route_request(leg->dlg).next_hop;
  if (const std::error_code e = receive_in_dialog_request(leg->dlg, m)) {
    // §12.2.2: a CSeq lower than the last one is out of order: 500.
    (void)respond(now, id, r, e == dialog_errc::out_of_order ? 500 : 400, {}, {}, false);
    return;
  }
  // §12.2.2: a target refresh may move the remote target, and with an
  // empty route set (or a strict router) the next hop with it (§12.2.1.1,
  // §8.1.2): resolve it again for the next request.
  if (route_request(leg->dlg).next_hop != hop_before) leg->hop_known = false;
  const call_handle h = handle_of(c);
  switch (m.method()) {
    case method::bye:
      (void)respond(now, id, r, 200, {}, {}, false);
      // §15.1.2: the INVITE still unanswered gets 487.
      if (!c.uac && c.state == call_state::early && c.request) {
        (void)respond(now, c.server_txn, *c.request, 487, {}, local_tag_of(c), false);
      }
      end_call(c, end_reason::remote_hangup, 0);
      return;
    case method::invite:
      // §14.2: an INVITE in one of our early dialogs (the callee's) while
      // our own INVITE is still in progress on it: 491.
      if (!c.leg || leg != &*c.leg) {
        (void)respond(now, id, r, 491, {}, {}, false);
        return;
      }
      on_reinvite(now, id, c, std::move(r));
      return;
    case method::info:
      (void)respond(now, id, r, 200, {}, {}, false);
      emit(call_info_event{h, std::move(r)});
      return;
    case method::message:
      (void)respond(now, id, r, 200, {}, {}, false);
      emit(message_received_event{std::move(r)});
      return;
    case method::options: on_out_of_dialog_request(now, id, std::move(r)); return;
    default: (void)respond(now, id, r, 501, {}, {}, false); return;
  }
}

void ua_core::impl::on_reinvite(time_point now, transaction_id id, call_record& c,
                                inbound_message&& r) {
  const call_handle h = handle_of(c);
  owners.emplace(id, txn_owner{h, txn_purpose::server_reinvite, {}});
  ++c.transactions;
  call_leg& leg = *c.leg;
  sdp::offer_answer& oa = leg.oa;
  const auto reject = [&](int status, std::vector<extra_header> extra = {}) {
    (void)respond(now, id, r, status, {}, {}, false, {}, {}, extra);
  };
  const auto retry_after = [&] {
    // §14.2: "a randomly chosen value of between 0 and 10 seconds".
    return std::vector<extra_header>{{"Retry-After", std::to_string(random() % 11)}};
  };
  // §14.2: our own INVITE in progress on this dialog -> 491; theirs not
  // yet answered -> 500 with Retry-After.
  if (c.reinvite_txn.valid() || oa.state() == sdp::oa_state::local_offer_pending) {
    return reject(491);
  }
  if (c.awaiting || c.state != call_state::confirmed) return reject(500, retry_after());
  auto sdp = sdp_body(r.message);
  if (!sdp) return reject(400);
  std::string body;
  bool answered_now = false;
  if (*sdp) {
    if (const auto e = oa.receive_offer(**sdp)) {
      if (e.code == sdp::sdp_errc::glare) return reject(491);
      if (e.code == sdp::sdp_errc::offer_pending) return reject(500, retry_after());
      return reject(488);
    }
    if (!c.media) {
      oa.rollback();
      return reject(488);
    }
    auto b = answer_body(oa, *c.media);
    if (!b) {
      oa.rollback();
      return reject(488);
    }
    body = std::move(*b);
    answered_now = true;
  } else {  // §14.2 with §13.3.1.1: no offer: ours goes in the 2xx
    const sdp::session_description* local = oa.local_description();
    if (c.media) {
      auto b = offer_body(oa, *c.media);
      if (b) body = std::move(*b);
    } else if (local != nullptr) {
      auto stamped = oa.send_offer(*local);
      auto text =
          stamped ? sdp::build_session(*stamped) : sdp::sdp_result<std::string>{std::string{}};
      if (text) body = std::move(*text);
    }
    if (body.empty()) {
      oa.rollback();
      return reject(488);
    }
  }
  std::string sent;
  if (respond(now, id, r, 200, {}, {}, true, "application/sdp", body, {}, &sent)) {
    oa.rollback();
    return;
  }
  await_ack(now, c, id, std::move(sent), true);
  if (answered_now) {
    emit(call_media_event{h, true, 200, copy_of(oa.local_description()),
                          copy_of(oa.remote_description())});
    compact_idle(c);
  }
}

std::error_code ua_core::impl::send_bye(time_point now, call_record& c, end_reason why) {
  if (c.state == call_state::answering) {
    // §15: the callee sends BYE only once the ACK came (or never will).
    c.bye_after_ack = true;
    c.state = call_state::terminating;
    return {};
  }
  if (!c.leg) return make_error_code(core_errc::wrong_state);
  send_in_dialog(now, handle_of(c), leg_ref{false, 0}, "BYE", {}, {}, txn_purpose::bye, {});
  // §15.1.1: the session ends as the BYE goes to its transaction.
  if (c.state != call_state::ended) end_call(c, why, 0);
  return {};
}

std::error_code ua_core::impl::start_reoffer(time_point now, call_record& c, reoffer_kind kind,
                                             std::optional<sdp::local_capabilities> media) {
  if (c.state != call_state::confirmed || !c.leg) return make_error_code(core_errc::wrong_state);
  sdp::offer_answer& oa = c.leg->oa;
  if (c.reinvite_txn.valid() || c.awaiting || c.glare_pending ||
      oa.state() != sdp::oa_state::stable) {
    return make_error_code(core_errc::request_pending);
  }
  const sdp::session_description* local = oa.local_description();
  sdp::session_description offer;
  switch (kind) {
    case reoffer_kind::hold:
    case reoffer_kind::unhold:
      if (local == nullptr) return make_error_code(core_errc::wrong_state);
      offer = kind == reoffer_kind::hold ? sdp::make_hold_offer(*local)
                                         : sdp::make_unhold_offer(*local);
      break;
    case reoffer_kind::media:
      if (!media) return make_error_code(core_errc::no_media);
      c.media = *media;
      offer = sdp::make_offer(*media);
      break;
    case reoffer_kind::none: return make_error_code(core_errc::wrong_state);
  }
  auto stamped = oa.send_offer(std::move(offer));
  if (!stamped) return make_error_code(core_errc::bad_sdp);
  auto text = sdp::build_session(*stamped);
  if (!text) {
    oa.rollback();
    return make_error_code(core_errc::bad_sdp);
  }
  c.retry = kind;
  c.retry_media = media ? std::make_unique<sdp::local_capabilities>(std::move(*media)) : nullptr;
  send_in_dialog(now, handle_of(c), leg_ref{false, 0}, "INVITE", "application/sdp",
                 std::move(*text), txn_purpose::reinvite, {});
  return {};
}

void ua_core::impl::on_in_dialog_response(time_point now, call_record& c, const txn_owner& o,
                                          transaction_id id, inbound_message&& r) {
  const message& m = r.message;
  const int status = m.status_code();
  if (status < 200) return;
  if (o.purpose == txn_purpose::info) {
    finish_request(o, status, std::move(r));
    // §12.2.1.2: 481 and 408 end the dialog.
    if (status == 481 || status == 408) end_call(c, end_reason::dialog_gone, status);
    return;
  }
  if (!c.leg) return;
  call_leg& leg = *c.leg;
  if (id != c.reinvite_txn) {  // a retransmitted 2xx of an earlier re-INVITE
    // §13.2.2.4: the ACK of that 2xx again: the one we keep when it is the
    // latest re-INVITE's, else built anew for its CSeq.
    const auto cs = m.cseq();
    if (status >= 300 || !leg.hop_known || !cs) return;
    if (cs->number == leg.reinvite_ack_cseq && !leg.reinvite_ack.empty()) {
      send_direct(leg.hop, leg.reinvite_ack, true);
    } else if (auto ack = in_dialog_request(leg, "ACK", cs->number, {}, {}, false)) {
      send_direct(leg.hop, std::move(*ack), true);
    }
    return;
  }
  c.reinvite_txn = {};
  const call_handle h = handle_of(c);
  if (status < 300) {
    auto sdp = sdp_body(m);
    const bool ok = sdp && *sdp && !leg.oa.receive_answer(**sdp);
    if (!ok) leg.oa.rollback();
    // §12.2.1.2: the 2xx may move the remote target; the ACK (§13.2.2.4)
    // and later requests go where the refreshed dialog says.
    const std::string hop_before = route_request(leg.dlg).next_hop;
    (void)refresh_target_from_response(leg.dlg, m);
    if (route_request(leg.dlg).next_hop != hop_before) leg.hop_known = false;
    const std::uint32_t cseq = c.reinvite_cseq;
    with_leg_hop(now, h, leg_ref{false, 0}, [this, cseq](time_point, call_record&, call_leg& l) {
      auto ack = in_dialog_request(l, "ACK", cseq, {}, {}, false);
      if (!ack) return;
      l.reinvite_ack = std::move(*ack);
      l.reinvite_ack_cseq = cseq;
      send_direct(l.hop, l.reinvite_ack, false);
    });
    c.retry = reoffer_kind::none;
    c.retry_media.reset();
    // §15: after a BYE the session is gone; the 2xx is ACKed (§13.2.2.4)
    // and nothing more is reported after call_ended_event.
    if (c.state == call_state::ended) return;
    emit(call_media_event{h, ok, ok ? status : 488, copy_of(leg.oa.local_description()),
                          copy_of(leg.oa.remote_description())});
    compact_idle(c);
    return;
  }
  leg.oa.rollback();
  if (c.state == call_state::ended) return;  // §15: no session left to report on
  if (status == 491) {
    // §14.1: retry after T: 2.1–4 s when we own the Call-ID (we placed
    // the call), else 0–2 s, in units of 10 ms.
    const std::uint64_t units = c.uac ? 210 + random() % 191 : random() % 201;
    c.glare_pending = true;
    c.glare_at = now + std::chrono::milliseconds{units * 10};
    schedule(c, core_timer::glare_retry, c.glare_at);
    return;
  }
  c.retry = reoffer_kind::none;
  c.retry_media.reset();
  emit(call_media_event{h, false, status, copy_of(leg.oa.local_description()),
                        copy_of(leg.oa.remote_description())});
  compact_idle(c);
  if (status == 481 || status == 408) {
    end_call(c, end_reason::dialog_gone, status, std::string{m.reason_phrase()});
  }
}

}  // namespace sipua
