// The registrar: RFC 3261 §10.3 steps 1-8 on one REGISTER, and the lookup
// a proxy makes for an AOR (§16.5).
#include "sipua/dialog/registrar.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "random_token.hpp"
#include "registrar_impl.hpp"

#include "sipua/message/contact.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/numeric.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

namespace {

using detail::has_tag;
using detail::response_field;
using time_point = binding::time_point;

/// One Contact of the request with the expiration §10.3 step 7 gives it.
struct wanted {
  std::string_view uri;
  std::string params;  ///< other contact-params, without expires and q
  std::optional<std::uint16_t> q;
  std::uint32_t expires = 0;  ///< the requested interval, before the cap
};

/// The request's Contact values, or the status that rejects it.
struct contact_set {
  bool present = false;  ///< any Contact field at all (§10.3 step 6)
  bool star = false;
  std::vector<wanted> contacts;
  int error = 0;
  std::string_view rule;
};

/// The stored bindings while a request is applied (§10.3 step 7: tentative
/// until all succeed).
struct tentative {
  binding b;
  bool existed = false;  ///< in the store before this request
  bool touched = false;  ///< written by this request
  bool removed = false;
};

std::string other_params(const param_list& params) {
  std::string out;
  for (const param& p : params) {
    if (detail::iequals(p.name, "expires") || detail::iequals(p.name, "q")) continue;
    out.append(1, ';').append(p.name);
    if (p.has_value) out.append(1, '=').append(p.value);
  }
  return out;
}

contact_set read_contacts(const message& m, const registrar_config& config) {
  contact_set out;
  // §10.3 step 7: the Expires header field applies to every Contact
  // without an expires parameter.
  std::optional<std::uint32_t> header_expires;
  if (m.find(header_id::expires) != nullptr) {
    const auto e = parse_delta_seconds(m.value(header_id::expires));
    if (!e) {
      out.error = 400;
      out.rule = "RFC 3261 §20.19: Expires is not delta-seconds";
      return out;
    }
    header_expires = *e;
  }
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::contact) continue;
    out.present = true;
    for (const std::string_view element : comma_list{f.value}) {
      const auto c = parse_contact(element);
      if (!c || (!c->star && !parse_uri(c->addr.uri))) {
        out.error = 400;
        out.rule = "RFC 3261 §20.10: a Contact value does not parse";
        return out;
      }
      if (c->star) {
        out.star = true;
        continue;
      }
      if (out.contacts.size() == config.max_contacts_per_request) {
        out.error = 403;
        out.rule = "sipua: more Contact values than max_contacts_per_request";
        return out;
      }
      wanted w;
      w.uri = c->addr.uri;
      w.params = other_params(c->addr.params);
      w.q = c->q;
      w.expires = c->expires.value_or(header_expires.value_or(config.default_expires));
      out.contacts.push_back(std::move(w));
    }
  }
  // §10.3 step 6: "*" only alone and only with Expires: 0.
  if (out.star && (!out.contacts.empty() || header_expires.value_or(1) != 0)) {
    out.error = 400;
    out.rule = "RFC 3261 §10.3 step 6: \"*\" with other Contacts or without Expires: 0";
  }
  return out;
}

bool same_contact(std::string_view a, std::string_view b) {
  const auto ua = parse_uri(a);
  const auto ub = parse_uri(b);
  return ua && ub && equivalent(*ua, *ub);
}

/// §10.3 steps 6 and 7: may the request change a binding it names? Only a
/// different Call-ID or a higher CSeq may (out-of-order requests from the
/// same UA are refused).
bool may_change(const binding& stored, std::string_view call_id, std::uint32_t cseq) {
  return stored.call_id != call_id || cseq > stored.cseq;
}

/// What steps 6-8 decided.
struct step_result {
  int status = 200;
  std::string_view rule = "RFC 3261 §10.3 step 8: bindings updated";
  std::string_view reason;
  std::vector<response_field> fields;
  std::vector<binding_change> changes;
  std::vector<binding> bindings;  ///< the AOR's active bindings after the request
};

step_result fail(int status, std::string_view rule, std::string_view reason = {}) {
  step_result r;
  r.status = status;
  r.rule = rule;
  r.reason = reason;
  return r;
}

time_point expiry(time_point now, std::uint32_t granted) {
  return now + std::chrono::seconds{granted};
}

/// The interval granted for `requested` (§10.3 step 7: "MAY choose an
/// expiration less than the requested expiration interval").
std::uint32_t granted(std::uint32_t requested, const registrar_config& c) {
  if (c.max_expires != 0 && requested > c.max_expires) return c.max_expires;
  return requested;
}

/// §10.3 step 7, for the Contacts of one request: update, add or remove
/// each one in `set`. Fails (500) when a binding it names was written by a
/// later or the same request of the same Call-ID.
bool apply_contacts_to(std::vector<tentative>& set, const contact_set& cs, const message& m,
                       time_point now, const registrar_config& c, std::string_view call_id,
                       std::uint32_t cseq, const std::optional<binding_source>& source) {
  const bool keep_path = has_tag(c.supported_option_tags, "path");
  for (const wanted& w : cs.contacts) {
    const std::uint32_t interval = granted(w.expires, c);
    auto it = std::find_if(set.begin(), set.end(), [&w](const tentative& t) {
      return !t.removed && same_contact(t.b.contact, w.uri);
    });
    // A Contact named twice in one request: the last one wins (the first
    // is this request's own tentative binding, not an older one).
    if (it != set.end() && !it->touched && !may_change(it->b, call_id, cseq)) return false;
    if (it == set.end()) {
      if (interval == 0) continue;  // removing what does not exist
      set.push_back(tentative{});
      it = std::prev(set.end());
      it->b.contact = std::string{w.uri};
    }
    it->touched = true;
    if (interval == 0) {
      it->removed = true;
      continue;
    }
    binding& b = it->b;
    b.params = w.params;
    b.q = w.q;
    b.expires_at = expiry(now, interval);
    b.call_id = std::string{call_id};
    b.cseq = cseq;
    b.source = source;
    b.path.clear();
    if (keep_path) {
      for (const header_field& f : m.headers()) {
        if (f.id == header_id::path) b.path.push_back(unfold(f.value));
      }
    }
  }
  return true;
}

/// Step 7: 423 when an interval is above 0, below an hour and below our
/// minimum.
std::optional<step_result> too_brief(const contact_set& cs, const registrar_config& c) {
  for (const wanted& w : cs.contacts) {
    if (w.expires > 0 && w.expires < 3600 && w.expires < c.min_expires) {
      step_result r = fail(423, "RFC 3261 §10.3 step 7: expiration below Min-Expires");
      r.fields.push_back({header_id::min_expires, std::to_string(c.min_expires)});
      return r;
    }
  }
  return std::nullopt;
}

/// Step 7's commit, all or nothing; the store's refusal as a response.
std::optional<step_result> commit(location_store& store, const std::string& aor,
                                  const std::vector<binding>& next, time_point now,
                                  const registrar_config& c) {
  const std::error_code e = store.replace(aor, next, now);
  if (!e) return std::nullopt;
  // Too many bindings for one AOR is a policy of this registrar (retrying
  // does not help until the UA removes some): 403. A full store may have
  // room later, as bindings expire: 503 with Retry-After (§21.5.4).
  if (e == location_errc::too_many_bindings) {
    return fail(403, "sipua: more bindings than the AOR may have", "Too Many Bindings");
  }
  if (e == location_errc::too_many_aors) {
    step_result r = fail(503, "sipua: the location store is full");
    r.fields.push_back({header_id::retry_after, std::to_string(c.retry_after_when_full)});
    return r;
  }
  return fail(500, "RFC 3261 §10.3 step 7: the binding updates could not be committed");
}

std::vector<binding_change> changes_of(const std::vector<tentative>& set) {
  std::vector<binding_change> out;
  for (const tentative& t : set) {
    if (!t.touched || (!t.existed && t.removed)) continue;  // untouched, or added and removed
    binding_change ch;
    ch.what = !t.existed  ? binding_change::kind::added
              : t.removed ? binding_change::kind::removed
                          : binding_change::kind::refreshed;
    ch.contact = t.b.contact;
    out.push_back(std::move(ch));
  }
  return out;
}

step_result apply_contacts(const message& m, time_point now, location_store& store,
                           const registrar_config& c, const std::string& aor,
                           const std::optional<binding_source>& source) {
  const contact_set cs = read_contacts(m, c);
  if (cs.error == 403) return fail(403, cs.rule, "Too Many Bindings");
  if (cs.error != 0) return fail(cs.error, cs.rule);
  std::vector<tentative> set;
  for (binding& b : store.bindings(aor)) {
    if (b.active(now)) set.push_back(tentative{std::move(b), true, false, false});
  }
  step_result r;
  if (!cs.present) {
    // Step 6: no Contact, a query: list the current bindings.
    for (tentative& t : set) r.bindings.push_back(std::move(t.b));
    r.rule = "RFC 3261 §10.3 step 8: bindings listed";
    return r;
  }
  if (auto brief = too_brief(cs, c)) return std::move(*brief);
  const std::string_view call_id = m.call_id();
  const std::uint32_t cseq = m.cseq() ? m.cseq()->number : 0;
  if (cs.star) {
    // Step 6: "*" removes every binding whose Call-ID differs or whose CSeq
    // is lower than the request's; any other aborts the request.
    for (tentative& t : set) {
      if (!may_change(t.b, call_id, cseq)) {
        return fail(500, "RFC 3261 §10.3 step 6: CSeq not above the binding's", "Out Of Order");
      }
      t.removed = true;
      t.touched = true;
    }
  } else if (!apply_contacts_to(set, cs, m, now, c, call_id, cseq, source)) {
    return fail(500, "RFC 3261 §10.3 step 7: CSeq not above the binding's", "Out Of Order");
  }
  std::vector<binding> next;
  for (const tentative& t : set) {
    if (!t.removed) next.push_back(t.b);
  }
  if (auto refused = commit(store, aor, next, now, c)) return std::move(*refused);
  r.changes = changes_of(set);
  r.bindings = std::move(next);
  return r;
}

}  // namespace

registrar::registrar(location_store& store, registrar_config config)
    : store_(store), config_(std::move(config)) {}

registrar_outcome registrar::process(const inbound_message& in, time_point now,
                                     std::optional<std::chrono::system_clock::time_point> date) {
  const message& m = in.message;
  registrar_outcome out;
  std::vector<response_field> fields;
  const auto finish = [&](int status, std::string_view rule, std::string_view reason = {}) {
    out.status = status;
    out.rule = rule;
    if (status != 200) {
      out.changes.clear();
      out.bindings.clear();
    }
    const std::string tag = detail::hex16(detail::next_random(config_.random, sequence_));
    out.response = detail::respond(in, status, reason, fields, tag, config_.server);
    return std::move(out);
  };

  if (m.is_response()) return out;  // a registrar only answers requests (§10.3)
  if (auto no = detail::check_register(m, config_, out.aor)) {
    if (no->drop) return out;
    out.foreign_domain = no->foreign_domain;
    fields = std::move(no->fields);
    return finish(no->status, no->rule);
  }
  std::optional<binding_source> source;
  if (config_.record_source) {
    binding_source src;
    src.protocol = in.origin.protocol;
    src.local = in.origin.local;
    src.peer = in.origin.peer;
    source = src;
  }
  step_result r = apply_contacts(m, now, store_, config_, out.aor, source);
  fields = std::move(r.fields);
  out.changes = std::move(r.changes);
  out.bindings = std::move(r.bindings);
  if (r.status == 200) {
    for (const binding& b : out.bindings) {
      fields.push_back({header_id::contact, detail::contact_value(b, now)});
    }
    // RFC 3327 §5.3: a registrar that stores Path echoes it in the 200.
    if (has_tag(config_.supported_option_tags, "path")) {
      for (const header_field& f : m.headers()) {
        if (f.id == header_id::path) fields.push_back({header_id::path, unfold(f.value)});
      }
    }
    if (date) fields.push_back({header_id::date, format_sip_date(*date)});
  }
  return finish(r.status, r.rule, r.reason);
}

std::vector<binding> registrar::lookup(std::string_view aor_uri, time_point now) const {
  const auto aor = canonical_aor(aor_uri);
  if (!aor) return {};
  std::vector<binding> out = store_.bindings(*aor);
  std::erase_if(out, [now](const binding& b) { return !b.active(now); });
  // Highest q first; equal q keep the store's order (§16.6, §8.1.3.4).
  std::stable_sort(out.begin(), out.end(), [](const binding& a, const binding& b) {
    return a.preference() > b.preference();
  });
  return out;
}

}  // namespace sipua
