// Digest challenges to our requests (RFC 3261 §22.2, §22.3, §8.1.3.5): a
// 401 or 407 is answered by the same request with a new CSeq, a new
// branch and Authorization / Proxy-Authorization from auth::digest_client,
// which also stops a wrong password from looping (one answer per nonce).
// The new request belongs to the same owner: the call's INVITE, the
// registration, the application's MESSAGE ... (the 401/407 itself is not
// reported). The ACK of a 2xx repeats the INVITE's credentials
// (in_dialog_request); CANCEL and ACK are never challenged (§22.1).
#include <utility>

#include "core_impl.hpp"

#include "sipua/message/builder.hpp"

namespace sipua {

namespace {

/// `sent` again with CSeq `cseq`, top Via `via`, its credentials replaced
/// by `credentials` (and every other field, the body included, as it was).
result<std::string, std::error_code> reissue(const message& sent, std::uint32_t cseq,
                                             std::string_view via,
                                             const std::vector<auth::authorization>& credentials) {
  request_builder b{sent.method_name(), sent.request_uri()};
  bool top_via = true;
  for (const header_field& f : sent.headers()) {
    switch (f.id) {
      case header_id::via:
        b.header(header_id::via, top_via ? via : f.value);
        top_via = false;
        break;
      case header_id::cseq: b.cseq(cseq, sent.method_name()); break;
      case header_id::authorization:
      case header_id::proxy_authorization:
      case header_id::content_length: break;
      case header_id::content_type: b.content_type(f.value); break;
      default: b.header(f.name, f.value); break;
    }
  }
  for (const auth::authorization& a : credentials) b.header(a.name(), a.value);
  auto bytes = b.build(sent.body());
  if (!bytes) return unexpected{make_error_code(core_errc::build_failed)};
  return std::move(*bytes);
}

bool repeatable(txn_purpose p) noexcept {
  switch (p) {
    case txn_purpose::invite:
    case txn_purpose::reinvite:
    case txn_purpose::info:
    case txn_purpose::bye:
    case txn_purpose::out_of_dialog:
    case txn_purpose::register_binding: return true;
    default: return false;  // CANCEL (§22.1), the BYE of a fork we drop
  }
}

}  // namespace

bool ua_core::impl::authenticate(time_point now, transaction_id old, const txn_owner& o,
                                 const inbound_message& response) {
  if (!digest || !o.sent || !repeatable(o.purpose)) return false;
  auto sent = own_message(*o.sent);
  if (!sent) return false;
  auto credentials = digest->respond(response.message, *sent);
  if (!credentials) return false;  // rejected, unsupported, no credentials: the 401/407 stands

  // §8.1.3.5: "the same ... as the original request, with the CSeq
  // incremented": in a dialog, the dialog's next number (§12.2.1.1).
  call_record* c = find(o.call);
  registration_record* reg = nullptr;
  std::uint32_t cseq = 0;
  switch (o.purpose) {
    case txn_purpose::reinvite:
    case txn_purpose::info:
    case txn_purpose::bye:
      if (c == nullptr || !c->leg) return false;
      cseq = next_local_cseq(c->leg->dlg);
      break;
    case txn_purpose::invite:
      if (c == nullptr || c->state == call_state::ended || c->cancel_sent) return false;
      cseq = c->invite_cseq + 1;
      break;
    case txn_purpose::register_binding:
      reg = find_registration(o.request.id);
      if (reg == nullptr || reg->txn != old) return false;
      cseq = ++reg->cseq;
      break;
    default: {
      const auto cs = sent->cseq();
      if (!cs) return false;
      cseq = cs->number + 1;
      break;
    }
  }
  const std::string via = via_for(o.hop.protocol);
  if (via.empty()) return false;
  auto bytes = reissue(*sent, cseq, via, *credentials);
  if (!bytes) return false;
  std::optional<message> kept;
  if (o.purpose == txn_purpose::invite) {
    auto m = own_message(*bytes);
    if (!m) return false;
    kept = std::move(*m);
  }
  txn_owner next = o;
  auto id = start_client(now, o.hop, std::move(*bytes), std::move(next));
  if (!id) return false;
  switch (o.purpose) {
    case txn_purpose::invite:
      // The call goes on with the new INVITE: its CANCEL, its ACK and the
      // dialog follow this one (§9.1, §13.2.2.4).
      if (c->setup) c->setup->invite = std::move(*kept);  // kept before the 2xx
      c->invite_cseq = cseq;
      c->invite_txn = *id;
      break;
    case txn_purpose::reinvite:
      c->reinvite_txn = *id;
      c->reinvite_cseq = cseq;
      break;
    case txn_purpose::register_binding: reg->txn = *id; break;
    default: break;
  }
  return true;
}

std::vector<extra_header> ua_core::impl::reuse_credentials(std::string_view method,
                                                           std::string_view uri) {
  std::vector<extra_header> fields;
  if (!digest) return fields;
  auth::request_info r;
  r.method = method;
  r.request_uri = uri;
  auto values = digest->authorize(r);
  if (!values) return fields;
  for (auth::authorization& a : *values) {
    fields.push_back({std::string{a.name()}, std::move(a.value)});
  }
  return fields;
}

}  // namespace sipua
