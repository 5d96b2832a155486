// The response to a request (RFC 3261 §8.2.6): the status line, the Via,
// From, To, Call-ID and CSeq of the request, and the To tag of the UAS.
#include "sipua/message/builder.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/via.hpp"

namespace sipua {
namespace {

using detail::cc_lws;
using detail::cc_token;
using detail::is;
using detail::npos;

/// npos if `s` is a token, else the offset of the first character that is
/// not (0 for an empty string).
std::size_t check_token(std::string_view s) noexcept {
  if (s.empty()) return 0;
  const std::size_t end = detail::scan(s, 0, cc_token);
  return end == s.size() ? npos : end;
}

enum class tag_state { absent, present, unknown };

/// Where the header parameters of a name-addr / addr-spec value start: past
/// the '>' of the name-addr form, or at the first ';' of the addr-spec form
/// (RFC 3261 §20.10: there the URI cannot hold ';'). npos if a quote or '<'
/// is left open.
std::size_t header_params_start(std::string_view v) noexcept {
  std::size_t i = 0;
  while (i < v.size()) {
    const char c = v[i];
    if (c == '"') {
      i = detail::skip_quoted(v, i);
      if (i == npos) return npos;
      continue;
    }
    if (c == '<') {
      const std::size_t gt = v.find('>', i);
      return gt == npos ? npos : gt + 1;
    }
    if (c == ';') return i;
    ++i;
  }
  return v.size();
}

/// Whether a To value carries a tag parameter (§19.3, §20.39).
tag_state find_tag(std::string_view v) noexcept {
  std::size_t i = header_params_start(v);
  if (i == npos) return tag_state::unknown;
  for (;;) {
    i = detail::skip_lws(v, i);
    if (i >= v.size()) return tag_state::absent;
    if (v[i] != ';') return tag_state::unknown;
    const std::size_t name_begin = detail::skip_lws(v, i + 1);
    const std::size_t name_end = detail::scan(v, name_begin, cc_token);
    if (detail::iequals(v.substr(name_begin, name_end - name_begin), "tag"))
      return tag_state::present;
    i = detail::skip_lws(v, name_end);
    if (i < v.size() && v[i] == '=') {
      i = detail::skip_lws(v, i + 1);
      if (i < v.size() && v[i] == '"') {
        i = detail::skip_quoted(v, i);
        if (i == npos) return tag_state::unknown;
      } else {
        while (i < v.size() && v[i] != ';' && !is(v[i], cc_lws)) ++i;
      }
    }
  }
}

/// Room for the copied fields plus the caller's usual additions.
std::size_t response_size_hint(const message& request, std::string_view reason,
                               std::string_view to_tag) noexcept {
  std::size_t n = 64 + reason.size() + to_tag.size() + message_builder::default_size_hint / 2;
  for (const header_field& f : request.headers()) {
    switch (f.id) {
      case header_id::via:
      case header_id::from:
      case header_id::to:
      case header_id::call_id:
      case header_id::cseq:
      case header_id::timestamp: n += 20 + f.value.size(); break;
      default: break;
    }
  }
  return n;
}

}  // namespace

void message_builder::write_response_to(std::string_view to_value, int status,
                                        std::string_view to_tag) {
  // §8.2.6.2: To is copied; without a tag in the request the UAS adds one,
  // except to a 100 (Trying). Parameters end the value, so the tag goes last.
  const bool add_tag = status > 100 && find_tag(to_value) == tag_state::absent;
  if (add_tag) {
    if (const std::size_t i = check_token(to_tag); i != npos)
      return fail(parse_errc::bad_param, i, "To");
  }
  write_copied("To", to_value, add_tag ? to_tag : std::string_view{});
}

void message_builder::answer(const message& request, int status, std::string_view reason,
                             std::string_view to_tag, const std::string_view* first_via) {
  status_line(status, reason);
  if (!active()) return;
  if (!request.is_request()) return fail(parse_errc::bad_request_line, 0);
  for (const header_id id :
       {header_id::via, header_id::from, header_id::to, header_id::call_id, header_id::cseq}) {
    if (request.find(id) == nullptr) return fail(parse_errc::missing_header, 0, header_name(id));
  }
  // §8.2.6.2: every Via value, same order; From, Call-ID, CSeq equal.
  if (first_via != nullptr) {
    write_vias(request, *first_via);
    if (!active()) return;
  } else {
    copy(request, header_id::via);
  }
  write_copied("From", request.value(header_id::from));
  write_response_to(request.value(header_id::to), status, to_tag);
  if (!active()) return;
  write_copied("Call-ID", request.value(header_id::call_id));
  write_copied("CSeq", request.value(header_id::cseq));
  // §8.2.6.1: a 100 (Trying) carries the request's Timestamp.
  if (status == 100)
    if (const header_field* t = request.find(header_id::timestamp))
      write_copied("Timestamp", t->value);
}

void message_builder::write_vias(const message& request, std::string_view first_via) {
  // The replacement stands for a whole field value: it must be a via-parm
  // list itself (a caller's text must not break the framing or the Via).
  if (auto n = validate_via_list(first_via); !n)
    return fail(n.error().code, n.error().offset, "Via");
  // §18.2.1 / RFC 3581 §4 change only the first via-parm; the first field
  // is replaced as a whole and every later Via field copied as it is.
  bool first = true;
  for (const header_field& f : request.headers()) {
    if (f.id != header_id::via) continue;
    write_copied("Via", first ? first_via : f.value);
    first = false;
  }
}

response_builder::response_builder(const message& request, int status, std::string_view reason,
                                   std::string_view to_tag)
    : message_builder(nullptr, response_size_hint(request, reason, to_tag)) {
  answer(request, status, reason, to_tag);
}

response_builder::response_builder(std::string& out, const message& request, int status,
                                   std::string_view reason, std::string_view to_tag)
    : message_builder(&out, response_size_hint(request, reason, to_tag)) {
  answer(request, status, reason, to_tag);
}

response_builder::response_builder(const message& request, response_top_via top_via, int status,
                                   std::string_view reason, std::string_view to_tag)
    : message_builder(nullptr, response_size_hint(request, reason, to_tag) + top_via.value.size()) {
  answer(request, status, reason, to_tag, &top_via.value);
}

response_builder::response_builder(std::string& out, const message& request,
                                   response_top_via top_via, int status, std::string_view reason,
                                   std::string_view to_tag)
    : message_builder(&out, response_size_hint(request, reason, to_tag) + top_via.value.size()) {
  answer(request, status, reason, to_tag, &top_via.value);
}

response_builder build_response(const message& request, int status, std::string_view reason,
                                std::string_view to_tag) {
  return response_builder{request, status, reason, to_tag};
}

response_builder build_response(std::string& out, const message& request, int status,
                                std::string_view reason, std::string_view to_tag) {
  return response_builder{out, request, status, reason, to_tag};
}

response_builder build_response(const message& request, response_top_via top_via, int status,
                                std::string_view reason, std::string_view to_tag) {
  return response_builder{request, top_via, status, reason, to_tag};
}

response_builder build_response(std::string& out, const message& request, response_top_via top_via,
                                int status, std::string_view reason, std::string_view to_tag) {
  return response_builder{out, request, top_via, status, reason, to_tag};
}

}  // namespace sipua
