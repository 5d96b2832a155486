// Fuzz target for every typed header view.
//
// The input is parsed as a datagram (parse_datagram, lenient framing so
// that more inputs reach the header section); each header field is then
// handed to the typed view for its id. If the input is not a datagram, it
// is handed to every typed view as one header value, so the fuzzer also
// reaches the parsers directly.
//
// Beyond "no crash, no sanitizer report", it checks the contracts of the
// views: every view of a success lies inside the parsed text, every error
// has a code and an offset within the text, and iterating a validated list
// yields exactly size() elements.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipua/message/auth.hpp"
#include "sipua/message/contact.hpp"
#include "sipua/message/cseq.hpp"
#include "sipua/message/event.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/name_addr.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/reason.hpp"
#include "sipua/message/retry_after.hpp"
#include "sipua/message/session_expires.hpp"
#include "sipua/message/token_list.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/message/via.hpp"
#include "sipua/message/warning.hpp"

namespace sipua::fuzz {
namespace {

void require(bool ok) {
  if (!ok) __builtin_trap();
}

bool within(std::string_view v, std::string_view outer) {
  if (v.empty()) return true;
  return v.data() >= outer.data() && v.data() + v.size() <= outer.data() + outer.size();
}

// True on success; on error checks the error's contract.
template <class T>
bool ok(const parse_result<T>& r, std::string_view text) {
  if (r) return true;
  require(r.error().code != parse_errc::ok);
  require(r.error().offset <= text.size());
  return false;
}

void touch(const param_list& ps, std::string_view text) {
  require(within(ps.raw(), text));
  for (const param& p : ps) require(within(p.name, text) && within(p.value, text));
}

void touch(const auth_params& ps, std::string_view text) {
  require(within(ps.raw(), text));
  for (const param& p : ps)
    require(within(p.name, text) && within(p.value, text) && !p.name.empty());
}

// ---- auth ------------------------------------------------------------------

void fuzz_challenge(std::string_view v, const auth_parse_options& o) {
  // With allow_challenge_list, follow `rest` until it is empty; each step
  // consumes text, so the loop is bounded.
  while (!v.empty()) {
    auto r = parse_challenge(v, o);
    if (!ok(r, v)) return;
    require(within(r->scheme, v) && !r->scheme.empty());
    touch(r->params, v);
    require(within(r->realm.value_or(""), v) && within(r->nonce.value_or(""), v));
    for (std::string_view u : r->domain_uris()) require(within(u, v) && !u.empty());
    if (r->qop) {
      for (std::string_view q : comma_list{*r->qop}) require(within(q, v));
    }
    (void)r->offers_qop("auth");
    require(r->rest.empty() ||
            (o.allow_challenge_list && within(r->rest, v) && r->rest.size() < v.size()));
    v = r->rest;
  }
}

void fuzz_credentials(std::string_view v, const auth_parse_options& o) {
  auto r = parse_credentials(v, o);
  if (!ok(r, v)) return;
  touch(r->params, v);
  require(within(r->username.value_or(""), v) && within(r->response.value_or(""), v));
  if (r->nc) require(r->nc_text.size() == 8);
  if (r->username) (void)unescape_quoted(*r->username);
}

void fuzz_auth(std::string_view v, bool is_challenge) {
  auth_parse_options strict;
  auth_parse_options relaxed;
  relaxed.relaxed_digest_values = true;
  relaxed.allow_challenge_list = true;
  if (is_challenge) {
    fuzz_challenge(v, strict);
    fuzz_challenge(v, relaxed);
  } else {
    fuzz_credentials(v, strict);
    fuzz_credentials(v, relaxed);
  }
}

// ---- lists -------------------------------------------------------------------

void fuzz_tokens(parse_result<token_list> (*parse)(std::string_view) noexcept, std::string_view v) {
  auto r = parse(v);
  if (!ok(r, v)) return;
  std::size_t n = 0;
  for (std::string_view t : *r) {
    require(within(t, v) && !t.empty());
    ++n;
  }
  require(n == r->size());
  if (n > 0) require(r->contains(*r->begin()));
}

template <class List, class F>
void fuzz_list(const parse_result<List>& r, std::string_view v, F&& each) {
  if (!ok(r, v)) return;
  std::size_t n = 0;
  for (const auto& e : *r) {
    each(e);
    ++n;
  }
  require(n == r->size());
}

void fuzz_accept(std::string_view v) {
  fuzz_list(parse_accept(v), v, [&](const media_range& m) {
    require(within(m.type, v) && within(m.subtype, v));
    require(!m.q || *m.q <= 1000);
    touch(m.params, v);
    (void)m.matches("application", "sdp");
  });
}

// ---- single-value headers ------------------------------------------------

void fuzz_misc(header_id id, std::string_view v) {
  switch (id) {
    case header_id::retry_after: {
      auto r = parse_retry_after(v);
      if (ok(r, v)) {
        require(within(r->comment, v));
        touch(r->params, v);
      }
      break;
    }
    case header_id::event: {
      auto r = parse_event(v);
      if (ok(r, v)) {
        require(is_event_type(r->type) && same_event(*r, *r));
        touch(r->params, v);
      }
      break;
    }
    case header_id::subscription_state: {
      auto r = parse_subscription_state(v);
      if (ok(r, v)) touch(r->params, v);
      break;
    }
    case header_id::session_expires: {
      auto r = parse_session_expires(v);
      if (ok(r, v)) touch(r->params, v);
      break;
    }
    case header_id::min_se: {
      auto r = parse_min_se(v);
      if (ok(r, v)) touch(r->params, v);
      break;
    }
    case header_id::reason:
      fuzz_list(parse_reasons(v), v, [&](const reason& x) { touch(x.params, v); });
      break;
    case header_id::warning:
      fuzz_list(parse_warnings(v), v, [&](const warning& w) {
        require(w.code <= 999 && within(w.agent, v) && within(w.text, v));
      });
      break;
    default: break;
  }
}

// ---- views implemented on other branches -----------------------------------
// ---- Via, name-addr, CSeq, Contact, URI and the numeric views -------------
void fuzz_uri(std::string_view v) {
  auto r = parse_uri(v);
  if (ok(r, v)) require(within(r->scheme_text, v));
}

void fuzz_other_views(header_id id, std::string_view v) {
  switch (id) {
    case header_id::via:
      for (std::string_view e : comma_list{v}) {
        auto r = parse_via(e);
        if (ok(r, e)) touch(r->params, e);
      }
      break;
    case header_id::cseq: (void)ok(parse_cseq(v), v); break;
    case header_id::max_forwards: (void)ok(parse_max_forwards(v), v); break;
    case header_id::expires:
    case header_id::min_expires: (void)ok(parse_delta_seconds(v), v); break;
    case header_id::rseq: (void)ok(parse_rseq(v), v); break;
    case header_id::rack: {
      auto r = parse_rack(v);
      if (ok(r, v)) require(within(r->method_name, v));
      break;
    }
    case header_id::content_type: {
      auto r = parse_media_type(v);
      if (ok(r, v)) {
        require(within(r->type, v) && within(r->subtype, v));
        touch(r->params, v);
      }
      break;
    }
    case header_id::call_id: {
      auto r = parse_call_id(v);
      if (ok(r, v)) require(within(*r, v));
      break;
    }
    case header_id::contact:
      for (std::string_view e : comma_list{v}) {
        auto r = parse_contact(e);
        if (ok(r, e) && !r->star) fuzz_uri(r->addr.uri);
      }
      break;
    case header_id::from:
    case header_id::to:
    case header_id::reply_to:
    case header_id::refer_to:
    case header_id::referred_by: {
      auto r = parse_name_addr(v);
      if (ok(r, v)) fuzz_uri(r->uri);
      break;
    }
    case header_id::route:
    case header_id::record_route:
    case header_id::path:
    case header_id::service_route:
    case header_id::p_asserted_identity:
    case header_id::p_preferred_identity:
      for (std::string_view e : comma_list{v}) {
        auto r = parse_name_addr(e);
        if (ok(r, e)) fuzz_uri(r->uri);
      }
      break;
    default: break;
  }
}

void fuzz_message_accessors(const message& m) {
  (void)m.top_via();
  (void)m.from();
  (void)m.to();
  (void)m.cseq();
  if (m.is_request()) fuzz_uri(m.request_uri());
}

// ---- dispatch --------------------------------------------------------------

void fuzz_field(header_id id, std::string_view v) {
  switch (id) {
    case header_id::www_authenticate:
    case header_id::proxy_authenticate: fuzz_auth(v, true); break;
    case header_id::authorization:
    case header_id::proxy_authorization: fuzz_auth(v, false); break;
    case header_id::require:
    case header_id::proxy_require:
    case header_id::unsupported: fuzz_tokens(parse_option_tags, v); break;
    case header_id::supported: fuzz_tokens(parse_supported, v); break;
    case header_id::allow: fuzz_tokens(parse_allow, v); break;
    case header_id::allow_events: fuzz_tokens(parse_allow_events, v); break;
    case header_id::accept: fuzz_accept(v); break;
    default: fuzz_misc(id, v); break;
  }
  fuzz_other_views(id, v);
}

// Not a datagram: every view gets the whole input as one value.
void fuzz_every_view(std::string_view v) {
  constexpr header_id ids[] = {header_id::www_authenticate,
                               header_id::authorization,
                               header_id::require,
                               header_id::supported,
                               header_id::allow,
                               header_id::allow_events,
                               header_id::accept,
                               header_id::retry_after,
                               header_id::event,
                               header_id::subscription_state,
                               header_id::session_expires,
                               header_id::min_se,
                               header_id::reason,
                               header_id::warning,
                               header_id::via,
                               header_id::cseq,
                               header_id::contact,
                               header_id::from,
                               header_id::route};
  for (header_id id : ids) fuzz_field(id, v);
  fuzz_uri(v);
}

}  // namespace
}  // namespace sipua::fuzz

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace sipua;
  const std::string_view input{reinterpret_cast<const char*>(data), size};
  parse_options options;
  options.allow_bare_lf = true;
  options.allow_unterminated_headers = true;
  options.allow_short_body = true;
  message m;
  if (parse_datagram(input, m, options)) {
    fuzz::fuzz_every_view(input);
    return 0;
  }
  for (const header_field& f : m.headers()) fuzz::fuzz_field(f.id, f.value);
  fuzz::fuzz_message_accessors(m);
  return 0;
}
