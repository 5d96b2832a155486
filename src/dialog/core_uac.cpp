// The calling side of INVITE sessions (RFC 3261 §13.2): the INVITE, early
// dialogs (one per To tag: forking), the 2xx and its ACK (§13.2.2.4),
// forked 2xx responses ACKed and then ended with BYE, CANCEL (§9.1) and
// its race with the 2xx, 3xx redirects (§8.1.3.4).
#include <utility>

#include "core_impl.hpp"

#include "sipua/dialog/capabilities.hpp"
#include "sipua/message/builder.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

result<call_handle, std::error_code> ua_core::impl::start_call(time_point now,
                                                               call_options options) {
  const auto target = parse_uri(options.target);
  if (!target || (target->scheme != uri_scheme::sip && target->scheme != uri_scheme::sips)) {
    return unexpected{make_error_code(core_errc::bad_target)};
  }
  auto h = new_call();
  if (!h) return h;
  call_record& c = calls[h->slot];
  c.uac = true;
  c.state = call_state::calling;
  c.setup = std::make_unique<uac_setup>();
  uac_setup& s = *c.setup;
  const std::string host = config.endpoints.empty() ? "sipua.invalid" : config.endpoints[0].host;
  s.call_id = hex_token() + "@" + host;
  s.local_tag = hex_token();
  s.local = dialog_party{config.display_name, config.identity};
  s.remote = dialog_party{std::move(options.target_display_name), options.target};
  s.request_uri = std::move(options.target);
  c.follow_redirects = options.follow_redirects;
  s.headers = std::move(options.headers);
  if (options.media) c.media = std::move(*options.media);
  c.invite_cseq = 1;
  if (c.media && !options.delayed_offer) {
    auto body = offer_body(s.initial_oa, *c.media);
    if (!body) {
      set_ended(c);
      maybe_free(c);
      return unexpected{make_error_code(core_errc::bad_sdp)};
    }
    s.invite_body = std::move(*body);
  }
  uac_calls.add(uac_calls.key(s.call_id, s.local_tag, {}), *h);
  send_invite(now, *h);
  return h;
}

void ua_core::impl::send_invite(time_point now, call_handle h) {
  call_record* call = find(h);
  if (call == nullptr) return;
  if (call->setup == nullptr) return;
  const std::string hop_uri =
      config.outbound_proxy ? *config.outbound_proxy : call->setup->request_uri;
  ++call->holds;
  with_hop(now, hop_uri, [this, h](time_point t, hop_result hop) {
    call_record* rec = find(h);
    if (rec == nullptr) return;
    --rec->holds;
    call_record& c = *rec;
    if (c.state == call_state::ended) return maybe_free(c);
    if (c.cancel_wanted) return end_call(c, end_reason::local_hangup, 0);
    uac_setup& s = *c.setup;  // kept: the call is neither confirmed nor ended
    if (!hop) return end_call(c, end_reason::transport_error, 503, hop.error().message());
    const std::string via = via_for(hop->protocol);
    if (via.empty()) return end_call(c, end_reason::failed, 0, "no transport for the target");
    request_builder b{method::invite, s.request_uri};
    b.header(header_id::via, via).max_forwards(70);
    if (config.outbound_proxy) b.header(header_id::route, "<" + *config.outbound_proxy + ">");
    b.to({s.remote.display_name, s.remote.uri, {}, {}})
        .from({s.local.display_name, s.local.uri, s.local_tag, {}})
        .call_id(s.call_id)
        .cseq(c.invite_cseq, method::invite)
        .header(header_id::contact, "<" + contact_for(hop->protocol) + ">");
    b.header(header_id::allow, header_list(config.policy.allowed_methods));
    if (!config.user_agent.empty()) b.header(header_id::user_agent, config.user_agent);
    for (const extra_header& x : s.headers) b.header(x.name, x.value);
    if (!s.invite_body.empty()) b.content_type("application/sdp");
    auto bytes = b.build(s.invite_body);
    if (!bytes) return end_call(c, end_reason::failed, 0, "the INVITE does not build");
    auto sent = own_message(*bytes);
    if (!sent) return end_call(c, end_reason::failed, 0, "the INVITE does not parse");
    s.invite = std::move(*sent);
    auto id = start_client(t, *hop, std::move(*bytes), txn_owner{h, txn_purpose::invite, {}});
    if (!id) return end_call(c, end_reason::failed, 0, id.error().message());
    c.invite_txn = *id;
  });
}

namespace {
call_leg* leg_with_tag(std::vector<call_leg>& legs, std::string_view tag) {
  for (call_leg& l : legs) {
    if (l.dlg.id.remote_tag == tag) return &l;
  }
  return nullptr;
}
}  // namespace

void ua_core::impl::on_invite_response(time_point now, call_record& c, inbound_message&& r) {
  const message& m = r.message;
  const int status = m.status_code();
  const call_handle h = handle_of(c);
  const auto to = m.to();
  const std::string_view tag = to ? to->tag() : std::string_view{};
  const bool over_tls = r.origin.protocol == transport_protocol::tls;
  auto sdp = sdp_body(m);

  if (status < 200) {
    if (status == 100 || c.state == call_state::ended) return;
    std::optional<sdp::session_description> remote;
    // Without setup (released: the call is confirmed and its INVITE
    // transaction gone) a late 1xx makes no early dialog.
    if (!tag.empty() && c.setup) {
      uac_setup& s = *c.setup;
      call_leg* leg = leg_with_tag(s.early, tag);
      if (leg == nullptr) {
        auto d = dialog_from_response(s.invite, m, over_tls);
        if (d) {
          s.early.push_back(call_leg{std::move(*d), s.initial_oa, {}, {}, false, {}, 0});
          register_dialog(s.early.back().dlg, h);
          leg = &s.early.back();
        }
      }
      // Early media: this early dialog's answer (RFC 3264 per dialog).
      if (leg != nullptr && sdp && *sdp && leg->oa.state() == sdp::oa_state::local_offer_pending &&
          !leg->oa.receive_answer(**sdp)) {
        remote = **sdp;
      }
      if (c.state == call_state::calling) c.state = call_state::early;
    }
    emit(call_progress_event{h, status, std::string{m.reason_phrase()}, std::move(remote)});
    return;
  }

  if (status < 300) {
    if (c.leg) {  // a 2xx after the one we accepted
      if (c.leg->dlg.id.remote_tag == tag) {
        if (c.leg->hop_known && !c.leg->ack.empty()) send_direct(c.leg->hop, c.leg->ack, true);
      } else {
        ack_and_bye_fork(now, c, m);
      }
      return;
    }
    if (c.state == call_state::ended) return ack_and_bye_fork(now, c, m);
    // §13.2.2.4: the first 2xx confirms its dialog (early or new); the
    // other early dialogs are dropped.
    // A 2xx without a usable Contact (§13.3.1.4 requires one; §12.1.2
    // takes the remote target from it) or Record-Route leaves no dialog to
    // ACK and end it in: the call fails rather than wait forever.
    const auto unusable = [&] {
      end_call(c, end_reason::failed, status, "2xx without a usable Contact or Record-Route");
    };
    // Neither confirmed nor ended: the setup is still there.
    uac_setup& s = *c.setup;
    call_leg leg;
    if (call_leg* early = leg_with_tag(s.early, tag)) {
      if (confirm_dialog(early->dlg, m)) return unusable();
      leg = std::move(*early);
    } else {
      auto d = dialog_from_response(s.invite, m, over_tls);
      if (!d) return unusable();
      leg = call_leg{std::move(*d), s.initial_oa, {}, {}, false, {}, 0};
    }
    for (const call_leg& l : s.early) unregister_dialog(l.dlg, h);
    release(s.early);
    register_dialog(leg.dlg, h);
    leg.hop_known = false;
    c.leg = std::move(leg);
    std::string ack_body;
    bool media_ok = true;
    if (c.leg->oa.state() == sdp::oa_state::local_offer_pending) {
      media_ok = sdp && *sdp && !c.leg->oa.receive_answer(**sdp);
    } else if (!s.invite_body.empty()) {
      // §13.2.1: our INVITE carried the offer, so the 2xx carries its
      // answer, which this early dialog's 1xx already brought (RFC 6337
      // §3.1.1: the same answer). It is no new offer: the ACK stays empty.
    } else if (sdp && *sdp) {  // offerless INVITE: the 2xx offers, the ACK answers
      media_ok = c.media && !c.leg->oa.receive_offer(**sdp);
      if (media_ok) {
        auto body = answer_body(c.leg->oa, *c.media);
        media_ok = static_cast<bool>(body);
        if (body) ack_body = std::move(*body);
      }
    }
    with_leg_hop(now, h, leg_ref{false, 0},
                 [this, h, media_ok, ack_body = std::move(ack_body)](time_point t, call_record& rec,
                                                                     call_leg& l) {
                   // The setup is kept while this runs (holds, release_setup).
                   auto ack = in_dialog_request(l, "ACK", rec.invite_cseq,
                                                ack_body.empty() ? "" : "application/sdp", ack_body,
                                                false, rec.setup ? &rec.setup->invite : nullptr);
                   if (ack) {
                     l.ack = std::move(*ack);
                     send_direct(l.hop, l.ack, false);
                   }
                   if (rec.state == call_state::ended) return;
                   if (rec.cancel_wanted || !media_ok) {
                     // CANCEL lost the race with the 2xx (§9.1), or the 2xx's
                     // SDP is unusable: the call is answered and ended at once.
                     rec.state = call_state::confirmed;
                     (void)send_bye(t, rec,
                                    media_ok ? end_reason::local_hangup : end_reason::failed);
                     return;
                   }
                   rec.state = call_state::confirmed;
                   const auto* local = l.oa.local_description();
                   const auto* remote = l.oa.remote_description();
                   emit(call_answered_event{h, local ? std::optional{*local} : std::nullopt,
                                            remote ? std::optional{*remote} : std::nullopt});
                   compact_idle(rec);  // the call is idle now
                 });
    return;
  }

  // A final non-2xx: the transaction ACKs it (§17.1.1.3).
  if (c.setup) {
    for (const call_leg& l : c.setup->early) unregister_dialog(l.dlg, handle_of(c));
    release(c.setup->early);
  }
  if (c.state == call_state::ended) return;
  if (status < 400 && c.follow_redirects && !c.cancel_wanted && follow_redirect(now, c, m)) return;
  if (c.cancel_wanted) {
    end_call(c, end_reason::cancelled, status, std::string{m.reason_phrase()});
  } else {
    end_call(c, status < 400 ? end_reason::redirect_failed : end_reason::rejected, status,
             std::string{m.reason_phrase()});
  }
}

void ua_core::impl::on_stray_2xx(time_point now, inbound_message&& r) {
  const message& m = r.message;
  if (m.cseq() && m.cseq()->method != method::invite) return;
  const auto from = m.from();
  if (!from) return;
  call_record* c = find_uac_call(m.call_id(), from->tag());
  if (c == nullptr) return;
  on_invite_response(now, *c, std::move(r));
}

void ua_core::impl::ack_and_bye_fork(time_point now, call_record& c, const message& r) {
  const auto to = r.to();
  const std::string_view tag = to ? to->tag() : std::string_view{};
  if (c.forks) {
    for (call_leg& f : *c.forks) {
      if (f.dlg.id.remote_tag == tag) {  // a retransmission: ACK it again
        if (f.hop_known && !f.ack.empty()) send_direct(f.hop, f.ack, true);
        return;
      }
    }
  }
  // A new fork once the INVITE transaction is gone (its setup released,
  // 64·T1 after the first 2xx) is not ACKed: its UAS gives up on the ACK
  // and ends it with BYE (§13.3.1.4).
  if (c.setup == nullptr) return;
  auto d = dialog_from_response(c.setup->invite, r, false);
  if (!d) return;
  if (!c.forks) c.forks = std::make_unique<std::deque<call_leg>>();
  c.forks->push_back(call_leg{std::move(*d), {}, {}, {}, false, {}, 0});
  const leg_ref which{true, c.forks->size() - 1};
  const call_handle h = handle_of(c);
  with_leg_hop(now, h, which, [this, h, which](time_point t, call_record& rec, call_leg& l) {
    auto ack = in_dialog_request(l, "ACK", *l.dlg.local_seq, {}, {}, false,
                                 rec.setup ? &rec.setup->invite : nullptr);
    if (!ack) return;
    l.ack = std::move(*ack);
    send_direct(l.hop, l.ack, false);
    send_in_dialog(t, h, which, "BYE", {}, {}, txn_purpose::fork_bye, {});
  });
}

bool ua_core::impl::follow_redirect(time_point now, call_record& c, const message& r) {
  // §8.1.3.4: the target set starts with the original Request-URI and
  // grows with each 3xx's Contacts, tried by q; a URI in it twice is a loop.
  if (c.setup == nullptr) return false;
  uac_setup& s = *c.setup;
  if (!s.targets)
    s.targets.emplace(s.request_uri, redirect_limits{config.max_redirects, 16, false});
  s.targets->add_response(r);
  auto next = s.targets->next();
  if (!next) return false;
  s.request_uri = as_request_uri(*next);  // a Contact may carry headers (§19.1.5)
  ++c.invite_cseq;                        // §8.1.3.4: same To, From and Call-ID; a new CSeq
  c.state = call_state::calling;
  send_invite(now, handle_of(c));
  return true;
}

std::error_code ua_core::impl::cancel(time_point now, call_record& c) {
  if (c.cancel_wanted) return make_error_code(core_errc::wrong_state);
  c.cancel_wanted = true;
  c.state = call_state::terminating;
  if (!c.invite_txn.valid()) return {};  // not sent yet: send_invite ends the call
  auto id = txn.send_cancel(now, c.invite_txn);
  if (id) {
    owners.emplace(*id, txn_owner{handle_of(c), txn_purpose::cancel, {}});
    ++c.transactions;
    c.cancel_sent = true;
  }
  return {};
}

}  // namespace sipua
