// Fuzz target for the §12 dialog functions (dialog.hpp), the UA's own
// responses (capabilities.hpp) and the 3xx target set (redirect.hpp).
//
// Input: a flags byte, then up to three SIP messages separated by NUL bytes
// ("A\0B\0C"), each through parse_datagram:
//   A  the request that creates the dialog (an INVITE we received, or sent);
//   B  a response to A (1xx/2xx: the UAC's dialog; 3xx: a redirection);
//   C  a request inside the dialog from the peer, or a second response.
// Each message that parses goes through every function that takes it.
//
// Promises checked (a broken one aborts, which libFuzzer reports):
//   - nothing crashes; every error is a dialog_errc / parse error;
//   - a dialog made from A (UAS) or A+B (UAC) has the ids, tags and
//     sequence numbers §12.1.1 / §12.1.2 give it;
//   - a request built in the dialog (route_request, start_in_dialog_request)
//     parses back with the dialog's Call-ID, From tag = local tag, To tag =
//     remote tag, the CSeq given, the route's Request-URI and one Route field
//     per route element;
//   - next_local_cseq() increases (below 2**31, §8.1.1.5);
//   - the two ends of a dialog agree: the UAC dialog made from our 2xx to A
//     mirrors our UAS dialog from A, and each end's BYE is in the other's
//     dialog and in order;
//   - confirm_dialog / receive_in_dialog_request / refresh_target_from_response
//     change nothing when they fail; receive_in_dialog_request never lowers
//     remote_seq and, on success, sets it to the request's CSeq (§12.2.2);
//   - build_rejection / build_options_answer output parses back as a response
//     with the status asked for and the request's CSeq;
//   - when every input message passes validate_syntax, so does every request
//     and response built from them (valid in, valid out);
//   - redirect_targets never yields a URI twice, nor one equivalent to the
//     original Request-URI or to one yielded before (§8.1.3.4), its target
//     set holds no two equivalent URIs, and reason() agrees with pending().
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/dialog/capabilities.hpp"
#include "sipua/dialog/dialog.hpp"
#include "sipua/dialog/redirect.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/name_addr.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/message/validate.hpp"

namespace {

/// SIPUA_FUZZ_DIALOG_TRACE=1 prints what each input reached (to read a
/// crasher, or to see what a seed covers).
const bool trace = std::getenv("SIPUA_FUZZ_DIALOG_TRACE") != nullptr;

void note(const char* what, std::error_code e = {}) {
  if (trace)
    std::fprintf(stderr, "fuzz_dialog: %s%s%s\n", what, e ? ": " : "",
                 e ? e.message().c_str() : "");
}

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_dialog: broken promise: %s\n", what);
    std::abort();
  }
}

/// Every message of this input passed validate_syntax: what we build from
/// them must pass it too (valid in, valid out).
bool inputs_valid = false;

bool same(const sipua::dialog& a, const sipua::dialog& b) {
  return a.id == b.id && a.state == b.state && a.local.display_name == b.local.display_name &&
         a.local.uri == b.local.uri && a.remote.display_name == b.remote.display_name &&
         a.remote.uri == b.remote.uri && a.local_seq == b.local_seq &&
         a.remote_seq == b.remote_seq && a.remote_target == b.remote_target &&
         a.route_set == b.route_set && a.secure == b.secure;
}

/// §19.1.4 equivalence for URIs that parse; byte equality otherwise.
bool same_uri(std::string_view a, std::string_view b) {
  const auto pa = sipua::parse_uri(a);
  const auto pb = sipua::parse_uri(b);
  if (pa && pb) return sipua::equivalent(*pa, *pb);
  return a == b;
}

/// A tag we would generate: a non-empty token (RFC 3261 §19.3, §25.1).
bool is_token(std::string_view s) {
  if (s.empty() || s.size() > 64) return false;
  for (const char c : s) {
    const bool alnum = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    if (!alnum && std::string_view{"-.!%*_+`'~"}.find(c) == std::string_view::npos) return false;
  }
  return true;
}

/// A URI without what §19.1.1 Table 1 keeps out of a Request-URI (the
/// method parameter, headers): route_request copies it unchanged.
bool plain_uri(std::string_view uri) {
  std::string lower(uri);
  for (char& c : lower) c = static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  return lower.find('?') == std::string::npos && lower.find(";method") == std::string::npos;
}

/// Builds a request in `d` and checks it parses back as the dialog says.
void check_in_dialog_request(sipua::dialog d, std::string_view method) {
  const auto before = d.local_seq;
  const std::uint32_t cseq = sipua::next_local_cseq(d);
  if (!before) {
    check(cseq == 1, "a UAS's first local CSeq is 1 (§12.2.1.1)");
  } else if (*before < 0x7fffffffU) {
    check(cseq == *before + 1, "next_local_cseq adds one (§12.2.1.1)");
  }
  check(d.local_seq == cseq, "next_local_cseq stores what it returns");

  const sipua::dialog_route route = sipua::route_request(d);
  if (d.route_set.empty()) {
    check(route.routes.empty(), "no route set: no Route (§12.2.1.1)");
    check(!plain_uri(d.remote_target) || route.request_uri == d.remote_target,
          "no route set: Request-URI = remote target (§12.2.1.1)");
  } else {
    // Loose: the route set; strict: the rest of it and the remote target.
    check(route.routes.size() == d.route_set.size(), "one Route per route set element (§12.2.1.1)");
  }
  check(!route.next_hop.empty() || route.request_uri.empty(), "a next hop when there is a target");

  auto built = sipua::start_in_dialog_request(d, method, cseq, route,
                                              "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKfz")
                   .build();
  if (!built) {
    note("in-dialog request did not build");
    return;  // a value the builder refused (recorded as an error)
  }
  note(route.routes.empty() ? "in-dialog request built (no route)" : "in-dialog request built");
  sipua::message m;
  check(!sipua::parse_datagram(*built, m), "a request built in the dialog parses");
  check(m.is_request() && m.method_name() == method, "its method");
  check(m.request_uri() == route.request_uri, "its Request-URI is the route's");
  check(m.call_id() == d.id.call_id, "its Call-ID is the dialog's");
  const auto from = m.from();
  const auto to = m.to();
  const auto cs = m.cseq();
  check(from.has_value() && to.has_value() && cs.has_value(), "its From, To and CSeq parse");
  if (inputs_valid) {
    const sipua::parse_error e = sipua::validate_syntax(m);
    if (e && trace) std::fprintf(stderr, "fuzz_dialog: built:\n%s\n", built->c_str());
    check(!e, "a request built in a dialog made from valid messages is valid");
  }
  check(from->tag() == d.id.local_tag, "From tag = local tag (§12.2.1.1)");
  check(to->tag() == d.id.remote_tag, "To tag = remote tag (§12.2.1.1)");
  check(cs->number == cseq, "its CSeq number");
  check(m.count(sipua::header_id::route) == route.routes.size(), "one Route field per element");
  const auto id = sipua::received_response_dialog(m);  // seen from our side: From = local
  check(id && id->matches(d.id), "the built request carries the dialog id");
}

/// The changes receive_in_dialog_request makes, or none on error.
void check_receive(sipua::dialog d, const sipua::message& request) {
  const sipua::dialog before = d;
  const std::error_code e = sipua::receive_in_dialog_request(d, request);
  note("receive_in_dialog_request", e);
  if (e) {
    check(e.category() == sipua::dialog_category(), "a dialog error");
    check(same(d, before), "a failed receive changes nothing");
    return;
  }
  const auto cs = request.cseq();
  check(cs.has_value(), "an accepted request has a CSeq");
  check(d.remote_seq == cs->number, "remote_seq = the request's CSeq (§12.2.2)");
  check(!before.remote_seq || *d.remote_seq >= *before.remote_seq,
        "remote_seq never goes down (§12.2.2)");
  check(d.id == before.id && d.route_set == before.route_set, "id and route set stay");
  if (!sipua::is_target_refresh(request.method_name())) {
    check(d.remote_target == before.remote_target, "only a target refresh moves the target");
  }
  // The same request again: equal CSeq is not lower, accepted again.
  sipua::dialog again = d;
  check(!sipua::receive_in_dialog_request(again, request), "the same CSeq is accepted again");
}

void check_confirm(sipua::dialog d, const sipua::message& response) {
  const sipua::dialog before = d;
  const std::error_code e = sipua::confirm_dialog(d, response);
  note("confirm_dialog", e);
  if (e) {
    check(same(d, before), "a failed confirm changes nothing");
    return;
  }
  check(response.status_code() >= 200 && response.status_code() <= 299, "only a 2xx confirms");
  check(d.state == sipua::dialog_state::confirmed, "confirmed (§13.2.2.4)");
  check(d.id == before.id, "the id stays");
  check_in_dialog_request(d, "BYE");
}

void check_refresh(sipua::dialog d, const sipua::message& response) {
  const sipua::dialog before = d;
  if (sipua::refresh_target_from_response(d, response)) {
    check(same(d, before), "a failed refresh changes nothing");
  } else {
    check(d.id == before.id && d.route_set == before.route_set, "a refresh moves only the target");
  }
}

/// A request built in `from`, with its bytes (so that views stay valid).
struct built_request {
  std::string bytes;
  sipua::message m;
};
std::optional<built_request> build_in(sipua::dialog& from, std::string_view method) {
  const std::uint32_t cseq = sipua::next_local_cseq(from);
  auto b = sipua::start_in_dialog_request(from, method, cseq, sipua::route_request(from),
                                          "SIP/2.0/UDP 192.0.2.7;branch=z9hG4bKmirror")
               .build();
  if (!b) return std::nullopt;
  std::optional<built_request> out{built_request{std::move(*b), {}}};
  check(!sipua::parse_datagram(out->bytes, out->m), "a request built in a dialog parses");
  return out;
}

/// The two ends of one dialog agree (§12.1.1 with §12.1.2): our UAS dialog
/// from `a`, and the UAC dialog its sender makes from our 2xx (To tag ours,
/// our Contact, the Record-Route copied, §12.1.1). Each end's BYE belongs
/// to the other's dialog and is in order there.
void check_both_ends(const sipua::dialog& uas, const sipua::message& a, bool tls) {
  // A request with a To tag is inside a dialog already: our 2xx keeps that
  // tag (§8.2.6.2), not the one we gave the dialog.
  if (const auto to = a.to(); !to || !to->tag().empty()) return;
  auto built = sipua::build_response(a, 200, {}, uas.id.local_tag)
                   .header(sipua::header_id::contact, "<sip:uas@192.0.2.4>")
                   .copy(a, sipua::header_id::record_route)
                   .build();
  if (!built) return;
  sipua::message ok;
  check(!sipua::parse_datagram(*built, ok), "our 2xx parses");
  auto uac = sipua::dialog_from_response(a, ok, tls);
  check(uac.has_value(), "the sender of a request that made our dialog gets one from our 2xx");
  check(uac->id.call_id == uas.id.call_id && uac->id.local_tag == uas.id.remote_tag &&
            uac->id.remote_tag == uas.id.local_tag,
        "the two ends' dialog ids mirror each other (§12)");
  check(uac->remote_target == "sip:uas@192.0.2.4", "the UAC's remote target is our Contact");
  check(uac->route_set.size() == uas.route_set.size(), "both ends have the same route set");
  for (std::size_t i = 0; i < uas.route_set.size(); ++i) {
    check(sipua::parse_name_addr(uac->route_set[i]).has_value() &&
              sipua::parse_name_addr(uas.route_set[uas.route_set.size() - 1 - i]).has_value(),
          "route set elements are name-addrs");
  }
  // §8.1.1.5: a CSeq MUST be below 2**31 (next_local_cseq wraps at 2**32).
  if (uac->local_seq && *uac->local_seq >= 0x7fffffffU) return;
  sipua::dialog caller = *uac;
  sipua::dialog callee = uas;
  if (auto bye = build_in(caller, "BYE")) {
    const std::error_code e = sipua::receive_in_dialog_request(callee, bye->m);
    note("callee receives the caller's BYE", e);
    check(!e, "the caller's BYE is in the callee's dialog and in order (§12.2.2)");
  }
  if (auto bye = build_in(callee, "BYE")) {
    const std::error_code e = sipua::receive_in_dialog_request(caller, bye->m);
    note("caller receives the callee's BYE", e);
    check(!e, "the callee's BYE is in the caller's dialog (§12.2.2)");
  }
}

void uas_side(const sipua::message& a, const sipua::message* c, bool tls) {
  // Our local tag: C's To tag when it is one we could have made, so that C
  // lands in the dialog often.
  std::string_view local_tag = "ua5tag";
  if (c != nullptr && c->is_request()) {
    if (auto to = c->to(); to && is_token(to->tag())) local_tag = to->tag();
  }
  auto d = sipua::dialog_from_request(a, local_tag, tls);
  note("dialog_from_request", d ? std::error_code{} : d.error());
  if (!d) {
    check(d.error().category() == sipua::dialog_category(), "a dialog error");
    return;
  }
  const auto from = a.from();
  const auto cs = a.cseq();
  check(from && cs, "a dialog-creating request has From and CSeq");
  check(d->id.call_id == a.call_id() && d->id.local_tag == local_tag &&
            d->id.remote_tag == from->tag(),
        "UAS dialog id = Call-ID, To tag we give, From tag (§12.1.1)");
  check(!d->id.remote_tag.empty(), "sipua wants the peer's tag");
  check(d->remote_seq == cs->number && !d->local_seq, "UAS sequence numbers (§12.1.1)");
  check(d->state == sipua::dialog_state::early, "a UAS dialog starts early");
  check(!tls ? !d->secure : true, "secure only over TLS");
  const auto id = sipua::received_request_dialog(a);
  check(id && id->call_id == d->id.call_id && id->remote_tag == d->id.remote_tag,
        "received_request_dialog agrees");
  check_in_dialog_request(*d, "BYE");
  check_in_dialog_request(*d, "INVITE");
  check_both_ends(*d, a, tls);
  if (c != nullptr && c->is_request()) check_receive(*d, *c);
  if (c != nullptr && c->is_response()) check_refresh(*d, *c);
}

void uac_side(const sipua::message& a, const sipua::message& b, const sipua::message* c, bool tls) {
  auto d = sipua::dialog_from_response(a, b, tls);
  note("dialog_from_response", d ? std::error_code{} : d.error());
  if (!d) {
    check(d.error().category() == sipua::dialog_category(), "a dialog error");
    return;
  }
  const int status = b.status_code();
  check((status >= 101 && status <= 299), "only 101-299 creates a dialog (§12.1)");
  const auto from = a.from();
  const auto to = b.to();
  const auto cs = a.cseq();
  check(from && to && cs, "From, To, CSeq parse");
  check(d->id.call_id == a.call_id() && d->id.local_tag == from->tag() &&
            d->id.remote_tag == to->tag(),
        "UAC dialog id = Call-ID, From tag, To tag (§12.1.2)");
  check(d->local_seq == cs->number && !d->remote_seq, "UAC sequence numbers (§12.1.2)");
  check(d->state == (status < 200 ? sipua::dialog_state::early : sipua::dialog_state::confirmed),
        "early for 1xx, confirmed for 2xx");
  const auto id = sipua::received_response_dialog(b);
  check(id.has_value() && id->remote_tag == d->id.remote_tag, "received_response_dialog agrees");
  if (is_token(d->id.local_tag) || d->id.local_tag.empty()) check_in_dialog_request(*d, "BYE");
  check_confirm(*d, b);
  if (c != nullptr && c->is_response()) {
    check_confirm(*d, *c);
    check_refresh(*d, *c);
  }
  if (c != nullptr && c->is_request()) check_receive(*d, *c);
}

void check_built_response(const sipua::parse_result<std::string>& built,
                          const sipua::message& request, int status) {
  if (!built) {
    note("response did not build");
    return;
  }
  note("response built");
  sipua::message m;
  check(!sipua::parse_datagram(*built, m), "a built response parses");
  check(m.is_response() && m.status_code() == status, "with the status asked for");
  if (inputs_valid) {
    const sipua::parse_error e = sipua::validate_syntax(m);
    if (e && trace) std::fprintf(stderr, "fuzz_dialog: built:\n%s\n", built->c_str());
    check(!e, "a response to a valid request is valid");
  }
  const auto a = request.cseq();
  const auto b = m.cseq();
  check(!a || (b && b->number == a->number), "and the request's CSeq (§8.2.6.2)");
}

void capabilities(const sipua::message& request, std::uint8_t flags, std::uint8_t pick) {
  sipua::ua_capabilities caps;
  if (flags & 0x10) caps.option_tags = {"100rel", "timer"};
  if (flags & 0x20) caps.info_types = {"application/dtmf-relay"};
  if (flags & 0x40) caps.accept_encodings = {"gzip"};
  if (flags & 0x80) caps.user_agent = "sipua/fuzz";
  const auto policy = sipua::policy_for(caps, request.method_name());
  const sipua::uas_verdict v = sipua::uas_check(request, policy);
  if (v.action == sipua::verdict_action::respond) {
    check_built_response(sipua::build_rejection(request, v, caps, "rej1"), request, v.status);
  }
  if (request.method_name() == "OPTIONS") {
    check_built_response(
        sipua::build_options_answer(request, caps, "opt1", pick & 1 ? "sip:me@192.0.2.1" : ""),
        request, 200);
  }
  // A verdict the core did not make: any status, with and without an
  // unsupported list.
  constexpr std::array<int, 8> statuses = {405, 415, 416, 420, 486, 100, 0, 700};
  sipua::uas_verdict made;
  made.action = sipua::verdict_action::respond;
  made.status = statuses[pick % statuses.size()];
  made.unsupported = {"foo", "bar"};
  const auto built = sipua::build_rejection(request, made, caps, pick & 8 ? "" : "t1");
  check(made.status >= 100 && made.status <= 699 ? true : !built, "no status outside 100..699");
  check_built_response(built, request, made.status);
}

void redirects(std::string_view original, const std::vector<const sipua::message*>& responses,
               std::uint8_t flags) {
  sipua::redirect_limits limits;
  limits.max_redirects = flags & 1 ? 1 : 5;
  limits.max_targets = flags & 2 ? 2 : 16;
  limits.allow_sips_to_sip = (flags & 4) != 0;
  sipua::redirect_targets targets{original, limits};
  std::vector<std::string> yielded;
  for (const sipua::message* r : responses) {
    const std::size_t pending = targets.pending();
    const std::size_t added = targets.add_response(*r);
    check(targets.pending() == pending + added || targets.pending() == 0,
          "add_response adds what it says (or the limit cleared the set)");
    if (flags & 8) {
      if (auto uri = targets.next()) yielded.push_back(std::move(*uri));
    }
    // The same 3xx again adds nothing: every Contact is in the set already.
    check(targets.add_response(*r) == 0, "a URI enters the target set once (§8.1.3.4)");
  }
  while (auto uri = targets.next()) yielded.push_back(std::move(*uri));
  if (trace) std::fprintf(stderr, "fuzz_dialog: %zu redirect targets\n", yielded.size());
  check(targets.pending() == 0 && targets.reason() != sipua::redirect_end::not_exhausted,
        "exhausted once next() gives nothing");
  const auto& set = targets.target_set();
  check(!set.empty() && set.front() == original, "the original comes first");
  for (std::size_t i = 0; i < yielded.size(); ++i) {
    check(!same_uri(yielded[i], original), "never the original Request-URI");
    for (std::size_t j = 0; j < i; ++j) check(!same_uri(yielded[i], yielded[j]), "never twice");
  }
  for (std::size_t i = 1; i < set.size(); ++i) {
    for (std::size_t j = 0; j < i; ++j) check(!same_uri(set[i], set[j]), "a set without repeats");
  }
  check(set.size() <= 1 + limits.max_targets, "at most max_targets targets");
  check(targets.redirects_followed() <= limits.max_redirects, "at most max_redirects");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const std::uint8_t flags = data[0];
  const std::string_view in{reinterpret_cast<const char*>(data) + 1, size - 1};

  // Up to three NUL-separated parts, each an exact-size copy so that ASan
  // sees a read past its end.
  std::vector<std::string> parts;
  std::size_t pos = 0;
  while (parts.size() < 3) {
    const std::size_t nul = in.find('\0', pos);
    parts.emplace_back(in.substr(pos, nul == std::string_view::npos ? nul : nul - pos));
    if (nul == std::string_view::npos) break;
    pos = nul + 1;
  }
  std::array<sipua::message, 3> msgs;
  std::array<bool, 3> ok{};
  inputs_valid = true;
  for (std::size_t i = 0; i < parts.size(); ++i) {
    ok[i] = !sipua::parse_datagram(parts[i], msgs[i]);
    if (!ok[i] || sipua::validate_syntax(msgs[i])) inputs_valid = false;
  }

  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (!ok[i]) continue;
    (void)sipua::received_request_dialog(msgs[i]);
    (void)sipua::received_response_dialog(msgs[i]);
  }
  const bool tls = (flags & 1) != 0;
  const sipua::message* a = ok[0] ? &msgs[0] : nullptr;
  const sipua::message* b = ok[1] ? &msgs[1] : nullptr;
  const sipua::message* c = ok[2] ? &msgs[2] : nullptr;
  if (a != nullptr && a->is_request()) {
    uas_side(*a, c, tls);
    if (b != nullptr && b->is_response()) uac_side(*a, *b, c, tls);
    capabilities(*a, flags, static_cast<std::uint8_t>(flags >> 1));
  }
  if (c != nullptr && c->is_request())
    capabilities(*c, flags, static_cast<std::uint8_t>(flags >> 3));

  std::vector<const sipua::message*> responses;
  for (const sipua::message* m : {a, b, c}) {
    if (m != nullptr && m->is_response()) responses.push_back(m);
  }
  const std::string original =
      a != nullptr && a->is_request() ? std::string{a->request_uri()} : "sip:bob@example.com";
  redirects(original, responses, static_cast<std::uint8_t>(flags >> 2));
  return 0;
}
