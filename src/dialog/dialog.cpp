// Dialog state (RFC 3261 §12): creating a dialog on either side (§12.1.1,
// §12.1.2), confirming an early one (§13.2.2.4), and the state changes a
// request or response received inside it makes (§12.2.1.2, §12.2.2).
// Building requests inside a dialog is in dialog_request.cpp.
#include "sipua/dialog/dialog.hpp"

#include <algorithm>
#include <string>
#include <utility>

#include "sipua/message/contact.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

namespace {

unexpected<std::error_code> failure(dialog_errc e) noexcept {
  return unexpected<std::error_code>{make_error_code(e)};
}

/// An owned copy of text taken from a message, on one line: a folded value
/// keeps its CRLF inside (header_field), which must not reach a field we
/// write later.
std::string owned_text(std::string_view v) {
  return v.find_first_of("\r\n") == std::string_view::npos ? std::string{v} : unfold(v);
}

/// The dialog party of a From or To value: display name and URI, no tag
/// and no other header parameter (§12.1.1 keeps the URIs).
dialog_party party_of(const name_addr& a) {
  return dialog_party{owned_text(a.display_name), std::string{a.uri}};
}

/// The fields every dialog-forming message must carry (§8.1.1): Call-ID,
/// From, To and CSeq, each present and parsing.
struct dialog_fields {
  std::string_view call_id;
  name_addr from;
  name_addr to;
  sipua::cseq cseq;
};

std::optional<dialog_fields> read_fields(const message& m) noexcept {
  const std::string_view call_id = m.call_id();
  if (call_id.empty()) return std::nullopt;
  auto from = m.from();
  auto to = m.to();
  auto cseq = m.cseq();
  if (!from || !to || !cseq) return std::nullopt;
  return dialog_fields{call_id, *from, *to, *cseq};
}

bool sips_request_uri(const message& request) noexcept {
  const auto u = parse_uri(request.request_uri());
  return u && u->scheme == uri_scheme::sips;
}

/// The Record-Route elements of `m`, every field and every element in
/// order, each one as written (§12.1.1 "preserving all URI parameters";
/// rr-params kept too). rec-route = name-addr *( SEMI rr-param ) (§25.1):
/// an element must be a bracketed URI that parses, else bad_record_route.
result<std::vector<std::string>, std::error_code> record_route_elements(const message& m) {
  std::vector<std::string> out;
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::record_route) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      const auto a = parse_name_addr(*it);
      if (!it.balanced() || !a || !a->bracketed || !parse_uri(a->uri))
        return failure(dialog_errc::bad_record_route);
      out.push_back(owned_text(*it));
    }
  }
  return out;
}

/// The URI of the one Contact element of `m` (§12.1.1, §12.1.2: the remote
/// target). missing_contact when there is no Contact field; bad_contact
/// when there are several elements (in one field or more), "*", or an
/// element or URI that does not parse.
result<std::string, std::error_code> contact_uri(const message& m) {
  std::optional<std::string_view> uri;
  for (const header_field& f : m.headers()) {
    if (f.id != header_id::contact) continue;
    const comma_list list{f.value};
    for (auto it = list.begin(); it != list.end(); ++it) {
      if (uri || !it.balanced()) return failure(dialog_errc::bad_contact);
      const auto c = parse_contact(*it);
      if (!c || c->star || !parse_uri(c->addr.uri)) return failure(dialog_errc::bad_contact);
      uri = c->addr.uri;
    }
  }
  if (!uri) return failure(dialog_errc::missing_contact);
  return std::string{*uri};
}

/// contact_uri() where a missing Contact is no error: nullopt then.
result<std::optional<std::string>, std::error_code> optional_contact_uri(const message& m) {
  auto uri = contact_uri(m);
  if (uri) return std::optional<std::string>{std::move(*uri)};
  if (uri.error() == dialog_errc::missing_contact) return std::optional<std::string>{};
  return unexpected<std::error_code>{uri.error()};
}

}  // namespace

std::optional<dialog_id_view> received_request_dialog(const message& request) noexcept {
  // §12.2.2: the local tag is the To tag, the remote tag the From tag.
  const std::string_view call_id = request.call_id();
  if (call_id.empty()) return std::nullopt;
  const auto from = request.from();
  const auto to = request.to();
  if (!from || !to) return std::nullopt;
  return dialog_id_view{call_id, to->tag(), from->tag()};
}

std::optional<dialog_id_view> received_response_dialog(const message& response) noexcept {
  // §12.1.2: the local tag is the From tag (ours), the remote tag the To tag.
  const std::string_view call_id = response.call_id();
  if (call_id.empty()) return std::nullopt;
  const auto from = response.from();
  const auto to = response.to();
  if (!from || !to) return std::nullopt;
  return dialog_id_view{call_id, from->tag(), to->tag()};
}

result<dialog, std::error_code> dialog_from_request(const message& request,
                                                    std::string_view local_tag, bool over_tls) {
  const auto fields = read_fields(request);
  if (!fields) return failure(dialog_errc::missing_header);
  // §12.1.1 allows a From without tag (RFC 2543); sipua needs both tags.
  if (fields->from.tag().empty()) return failure(dialog_errc::missing_tag);
  auto target = contact_uri(request);
  if (!target) return unexpected<std::error_code>{target.error()};
  auto routes = record_route_elements(request);
  if (!routes) return unexpected<std::error_code>{routes.error()};

  // §12.1.1: route set = Record-Route in order, remote target = Contact,
  // remote sequence number = CSeq, local sequence number empty.
  dialog d;
  d.id = dialog_id{std::string{fields->call_id}, std::string{local_tag},
                   std::string{fields->from.tag()}};
  d.state = dialog_state::early;
  d.local = party_of(fields->to);
  d.remote = party_of(fields->from);
  d.local_seq = std::nullopt;
  d.remote_seq = fields->cseq.number;
  d.remote_target = std::move(*target);
  d.route_set = std::move(*routes);
  d.secure = over_tls && sips_request_uri(request);
  return d;
}

result<dialog, std::error_code> dialog_from_response(const message& request,
                                                     const message& response, bool over_tls) {
  const auto sent = read_fields(request);
  const auto got = read_fields(response);
  if (!sent || !got) return failure(dialog_errc::missing_header);
  // §12.1: only 101-199 and 2xx create a dialog.
  const int status = response.status_code();
  const bool provisional = status >= 101 && status <= 199;
  if (!provisional && (status < 200 || status > 299)) return failure(dialog_errc::not_a_final_2xx);
  // §12.1.2: a 2xx without To tag (RFC 2543) gets an empty remote tag; a
  // provisional response without one creates no dialog (§12.1).
  if (provisional && got->to.tag().empty()) return failure(dialog_errc::missing_tag);

  std::string target;
  if (auto contact = optional_contact_uri(response); !contact) {
    return unexpected<std::error_code>{contact.error()};
  } else if (*contact) {
    target = std::move(**contact);
  } else if (provisional) {
    // No Contact in a 1xx: the request's Request-URI stands in until a
    // later response or a target refresh gives one.
    target = std::string{request.request_uri()};
  } else {
    return failure(dialog_errc::missing_contact);
  }
  auto routes = record_route_elements(response);
  if (!routes) return unexpected<std::error_code>{routes.error()};
  // §12.1.2: the route set is the Record-Route list in reverse order.
  std::reverse(routes->begin(), routes->end());

  dialog d;
  d.id = dialog_id{std::string{sent->call_id}, std::string{sent->from.tag()},
                   std::string{got->to.tag()}};
  d.state = provisional ? dialog_state::early : dialog_state::confirmed;
  d.local = party_of(sent->from);
  d.remote = party_of(got->to);
  d.local_seq = sent->cseq.number;
  d.remote_seq = std::nullopt;
  d.remote_target = std::move(target);
  d.route_set = std::move(*routes);
  d.secure = over_tls && sips_request_uri(request);
  return d;
}

std::error_code confirm_dialog(dialog& d, const message& response_2xx) {
  const int status = response_2xx.status_code();
  if (!response_2xx.is_response() || status < 200 || status > 299)
    return dialog_errc::not_a_final_2xx;
  const auto id = received_response_dialog(response_2xx);
  if (!id) return dialog_errc::missing_header;
  if (!id->matches(d.id)) return dialog_errc::not_in_dialog;
  auto target = contact_uri(response_2xx);
  if (!target) return target.error();
  auto routes = record_route_elements(response_2xx);
  if (!routes) return routes.error();
  // §13.2.2.4: confirmed, the route set recomputed from the 2xx (§12.1.2:
  // reversed), the remote target from its Contact.
  std::reverse(routes->begin(), routes->end());
  d.state = dialog_state::confirmed;
  d.route_set = std::move(*routes);
  d.remote_target = std::move(*target);
  return {};
}

bool is_target_refresh(std::string_view method) noexcept {
  // §12.2 (re-INVITE), RFC 3311 §5.2 (UPDATE), RFC 6665 §4.1.2.2 / §4.2.1.2
  // (SUBSCRIBE, NOTIFY), RFC 3515 §2.4.1 (REFER). Method names are
  // case-sensitive (§7.1).
  return method == "INVITE" || method == "UPDATE" || method == "SUBSCRIBE" || method == "NOTIFY" ||
         method == "REFER";
}

std::error_code receive_in_dialog_request(dialog& d, const message& request) {
  const auto id = received_request_dialog(request);
  if (!id) return dialog_errc::missing_header;
  if (!id->matches(d.id)) return dialog_errc::not_in_dialog;
  const auto cseq = request.cseq();
  if (!cseq) return dialog_errc::missing_header;
  // §12.2.2: a CSeq lower than the remote sequence number is out of order
  // (the caller answers 500); an empty one takes the request's number.
  if (d.remote_seq && cseq->number < *d.remote_seq) return dialog_errc::out_of_order;
  std::optional<std::string> target;
  if (is_target_refresh(request.method_name())) {
    // §12.2.2: a target refresh request's Contact replaces the remote target.
    auto contact = optional_contact_uri(request);
    if (!contact) return contact.error();
    target = std::move(*contact);
  }
  d.remote_seq = cseq->number;
  if (target) d.remote_target = std::move(*target);
  return {};
}

std::error_code refresh_target_from_response(dialog& d, const message& response_2xx) {
  // §12.2.1.2: the Contact of a 2xx to a target refresh, if present.
  auto contact = optional_contact_uri(response_2xx);
  if (!contact) return contact.error();
  if (*contact) d.remote_target = std::move(**contact);
  return {};
}

}  // namespace sipua
