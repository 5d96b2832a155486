// Picking the transport for a request or a response (RFC 3261 §18.1.1,
// §18.2.2, RFC 3581 §4) and handing the bytes to it. The rules themselves
// are the pure functions of routing.hpp; this file applies them to the
// registered transports and rewrites the top Via when the protocol changes.
#include "sipua/transport/transport_set.hpp"

#include "sipua/message/message.hpp"

namespace sipua {
namespace {

std::size_t slot(transport_protocol p) noexcept { return static_cast<std::size_t>(p); }
static_assert(static_cast<std::size_t>(transport_protocol::wss) == 4,
              "transport_set holds one slot per transport_protocol value");

}  // namespace

std::error_code transport_set::add(transport& t) {
  transport*& held = by_protocol_[slot(t.protocol())];
  if (held != nullptr && held != &t) return transport_errc::protocol_taken;
  held = &t;
  return {};
}

void transport_set::remove(transport_protocol p) noexcept {
  if (slot(p) < by_protocol_.size()) by_protocol_[slot(p)] = nullptr;
}

transport* transport_set::find(transport_protocol p) const noexcept {
  return slot(p) < by_protocol_.size() ? by_protocol_[slot(p)] : nullptr;
}

result<transport_protocol, std::error_code> transport_set::send_request(std::string& request_bytes,
                                                                        transport_protocol wanted,
                                                                        const send_target& target,
                                                                        std::size_t path_mtu) {
  transport_protocol use = choose_transport(wanted, request_bytes.size(), path_mtu);
  // No TCP to switch to: stay on UDP (documented; the MUST of §18.1.1
  // cannot be met without one).
  if (use != wanted && find(use) == nullptr) use = wanted;
  transport* t = find(use);
  if (t == nullptr) return unexpected{make_error_code(transport_errc::no_transport_for_protocol)};
  if (use == wanted) {
    if (std::error_code e = t->send(target, request_bytes)) return unexpected{e};
    return use;
  }
  // RFC 3261 §18.1.1: "If this causes a change in the transport protocol
  // from the one indicated in the top Via, the value in the top Via MUST
  // be changed." Keep the old token to write it back if the send fails.
  auto old_token = replace_top_via_transport(request_bytes, via_token(use));
  if (!old_token) return unexpected{old_token.error()};
  if (std::error_code e = t->send(target, request_bytes)) {
    (void)replace_top_via_transport(request_bytes, *old_token);
    return unexpected{e};
  }
  return use;
}

response_send_result transport_set::send_response(std::string_view response_bytes,
                                                  const transport_origin& origin, const via& top) {
  response_send_result r;
  transport* t = find(origin.protocol);
  if (t == nullptr) {
    r.error = transport_errc::no_transport_for_protocol;
    return r;
  }
  // RFC 3261 §18.2.2: a reliable transport answers on the request's
  // connection while it is open; response_destination() orders the rest.
  r.target = response_destination(top, origin, t->has_connection(origin.peer));
  if (!r.target.address) {
    // A sent-by or maddr name: RFC 3263 §5 resolution is the caller's.
    r.error = transport_errc::name_resolution_required;
    return r;
  }
  r.error = t->send(*r.target.address, response_bytes);
  return r;
}

}  // namespace sipua
