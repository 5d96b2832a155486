// Messages the transaction layer writes itself: the ACK for a non-2xx
// final response (RFC 3261 §17.1.1.3), a CANCEL (§9.1), and the responses
// it answers on its own (100 Trying §17.2.1, 482 §8.2.2.2, 503 when full).
#include "layer_impl.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/params.hpp"

namespace sipua::detail {
namespace {

/// The first via-parm of the request's first Via field: the single Via of
/// an ACK (§17.1.1.3) or a CANCEL (§9.1).
std::string_view top_via_text(const message& m) {
  const comma_list list{m.value(header_id::via)};
  auto it = list.begin();
  return it == list.end() ? std::string_view{} : *it;
}

std::shared_ptr<const std::string> finish(message_builder& b) {
  auto built = b.build();
  if (!built) return nullptr;
  return std::make_shared<const std::string>(std::move(*built));
}

}  // namespace

int status_of(std::string_view bytes) noexcept {
  constexpr std::string_view version = "SIP/2.0 ";
  if (bytes.size() < version.size() + 4 || bytes.substr(0, version.size()) != version) return 0;
  int code = 0;
  for (std::size_t i = version.size(); i < version.size() + 3; ++i) {
    const char c = bytes[i];
    if (c < '0' || c > '9') return 0;
    code = code * 10 + (c - '0');
  }
  if (bytes[version.size() + 3] != ' ' || code < 100) return 0;
  if (bytes.find("\r\n\r\n") == std::string_view::npos) return 0;
  return code;
}

std::string_view to_tag_of(const message& response) noexcept {
  auto to = response.to();
  return to ? to->tag_value : std::string_view{};
}

namespace {

/// A request inside `original`'s transaction space: its Request-URI,
/// Call-ID, From and CSeq number with `method`, `to` as the To value, one
/// Via (the original's top one, same branch), its Route fields, no body.
std::shared_ptr<const std::string> same_transaction_request(const message& original,
                                                            sipua::method method,
                                                            std::string_view to) {
  auto cs = original.cseq();
  if (!cs) return nullptr;
  request_builder b(method, original.request_uri(), original.bytes().size());
  b.header(header_id::via, top_via_text(original))
      .max_forwards(70)
      .header(header_id::from, original.value(header_id::from))
      .header(header_id::to, to)
      .call_id(original.call_id())
      .cseq(cs->number, method)
      .copy(original, header_id::route);
  return finish(b);
}

}  // namespace

// RFC 3261 §17.1.1.3: the ACK takes the To of the response (with its tag).
std::shared_ptr<const std::string> build_ack(const message& request, const message& response) {
  return same_transaction_request(request, sipua::method::ack, response.value(header_id::to));
}

// RFC 3261 §9.1: the CANCEL takes the INVITE's own To.
std::shared_ptr<const std::string> build_cancel(const message& invite) {
  return same_transaction_request(invite, sipua::method::cancel, invite.value(header_id::to));
}

std::shared_ptr<const std::string> build_layer_response(const message& request, int status,
                                                        std::uint64_t random) {
  // §8.2.6.2: a response other than 100 gets a To tag when the request had
  // none (build_response adds it).
  char tag[17];
  static constexpr char hex[] = "0123456789abcdef";
  for (int i = 0; i < 16; ++i) tag[i] = hex[(random >> (60 - 4 * i)) & 0xf];
  tag[16] = '\0';
  auto b = build_response(request, status, {}, std::string_view(tag, 16));
  if (status == 503) b.header(header_id::retry_after, "5");  // RFC 3261 §21.5.4
  return finish(b);
}

}  // namespace sipua::detail
