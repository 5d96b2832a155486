// The UAC's target set after 3xx responses: RFC 3261 §8.1.3.4, §13.2.2.2,
// §16.5, §16.6 step 1 (q order), §19.1.4 (URI equivalence), §21.3.
#include "sipua/dialog/redirect.hpp"

#include <algorithm>
#include <utility>

#include "sipua/message/contact.hpp"
#include "sipua/message/header_id.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

namespace {

/// §19.1.4 equivalence of two URIs kept as text; text that does not parse
/// (only the original Request-URI can be such) matches itself byte for byte.
bool same_uri(std::string_view a, std::string_view b) {
  const auto pa = parse_uri(a);
  const auto pb = parse_uri(b);
  if (pa && pb) return equivalent(*pa, *pb);
  return a == b;
}

/// Whether the 3xx's Contacts are targets (see redirect_targets).
bool followed(int status) noexcept {
  if (status < 300 || status > 399) return false;
  // §21.3.4: 305 names a proxy for this request, not a target (refused,
  // see the header). §21.3.5: 380's alternatives are in the body.
  return status != 305 && status != 380;
}

}  // namespace

redirect_targets::redirect_targets(std::string_view original_request_uri, redirect_limits limits)
    : limits_(limits) {
  set_.emplace_back(original_request_uri);
  const auto u = parse_uri(original_request_uri);
  original_sips_ = u && u->scheme == uri_scheme::sips;
}

bool redirect_targets::in_set(std::string_view uri) const {
  return std::any_of(set_.begin(), set_.end(),
                     [&](const std::string& have) { return same_uri(have, uri); });
}

void redirect_targets::insert_pending(target t) {
  // After the last waiting target whose q is at least t's: decreasing q,
  // arrival order among equals (§8.1.3.4, §16.6).
  auto pos = std::find_if(pending_.begin(), pending_.end(),
                          [&](const target& have) { return have.q < t.q; });
  pending_.insert(pos, std::move(t));
}

bool redirect_targets::add_contact(std::string_view element) {
  const auto c = parse_contact(element);
  if (!c || c->star) return false;  // garbage, or "*" (REGISTER only, §10.2.2)
  const auto u = parse_uri(c->addr.uri);
  if (!u) return false;
  // sip and sips only: a tel URI needs a gateway chosen by the application.
  if (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips) return false;
  // §8.1.3.4: recursing from SIPS to non-SIPS is the user's call.
  if (original_sips_ && u->scheme == uri_scheme::sip && !limits_.allow_sips_to_sip) return false;
  if (in_set(c->addr.uri)) {
    loop_seen_ = true;  // §8.1.3.4: never twice in the target set
    return false;
  }
  if (added_ >= limits_.max_targets) {
    cap_hit_ = true;
    return false;
  }
  ++added_;
  set_.emplace_back(c->addr.uri);
  // §20.10: q absent counts as 1.0 (RFC 3841 §7.2.3).
  insert_pending({.uri = std::string{c->addr.uri}, .q = c->q.value_or(1000)});
  return true;
}

std::size_t redirect_targets::add_response(const message& response) {
  if (!response.is_response() || !followed(response.status_code())) return 0;
  if (redirect_limit_hit_) return 0;
  if (redirects_ >= limits_.max_redirects) {
    // One redirection too many: give up on the whole set.
    redirect_limit_hit_ = true;
    pending_.clear();
    return 0;
  }
  ++redirects_;
  std::size_t added = 0;
  for (const header_field& f : response.headers()) {
    if (f.id != header_id::contact) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (add_contact(*it)) ++added;
    }
  }
  return added;
}

std::optional<std::string> redirect_targets::next() {
  if (pending_.empty()) return std::nullopt;
  std::string uri = std::move(pending_.front().uri);
  pending_.pop_front();
  return uri;
}

redirect_end redirect_targets::reason() const noexcept {
  if (!pending_.empty()) return redirect_end::not_exhausted;
  if (redirect_limit_hit_ || cap_hit_) return redirect_end::limit_reached;
  if (loop_seen_) return redirect_end::loop;
  return redirect_end::no_targets;
}

}  // namespace sipua
