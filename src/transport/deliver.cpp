// Parsing a datagram for the layer above: shared by every datagram transport.
#include "sipua/transport/transport.hpp"

namespace sipua::detail {

void deliver_datagram(transport_user& user, const transport_origin& origin,
                      std::shared_ptr<const std::string> bytes, const parse_options& options) {
  // RFC 5626 §3.5.1 keep-alives are CRLF on streams; some UAs also send a
  // bare CRLF (or CRLFCRLF) datagram. Nothing to parse, nothing to answer.
  if (bytes->find_first_not_of("\r\n") == std::string::npos) return;
  inbound_message in{origin, {}};
  if (parse_error e = parse_datagram(*bytes, in.message, options)) {
    user.on_parse_failure(inbound_parse_failure{origin, std::move(bytes), e});
    return;
  }
  in.message.set_owner(std::move(bytes));
  user.on_message(std::move(in));
}

}  // namespace sipua::detail
