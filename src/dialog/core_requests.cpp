// Requests outside dialogs (RFC 3261 §8, §11; RFC 3428): MESSAGE and
// OPTIONS we send, and those we answer.
#include <utility>

#include "core_impl.hpp"

#include "sipua/dialog/capabilities.hpp"
#include "sipua/message/builder.hpp"
#include "sipua/message/uri.hpp"

namespace sipua {

result<request_handle, std::error_code> ua_core::impl::send_out_of_dialog(time_point now,
                                                                          std::string method_name,
                                                                          std::string target,
                                                                          std::string content_type,
                                                                          std::string body) {
  if (shut_down) return unexpected{make_error_code(core_errc::shut_down)};
  const auto u = parse_uri(target);
  if (!u || (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips)) {
    return unexpected{make_error_code(core_errc::bad_target)};
  }
  const request_handle req{next_request++};
  const std::string hop_uri = config.outbound_proxy ? *config.outbound_proxy : target;
  with_hop(now, hop_uri,
           [this, req, method_name = std::move(method_name), target = std::move(target),
            content_type = std::move(content_type),
            body = std::move(body)](time_point t, hop_result hop) {
             const txn_owner owner{call_handle{}, txn_purpose::out_of_dialog, req};
             if (!hop) return finish_request(owner, 503, std::nullopt);
             const std::string via = via_for(hop->protocol);
             if (via.empty()) return finish_request(owner, 503, std::nullopt);
             const std::string host =
                 config.endpoints.empty() ? "sipua.invalid" : config.endpoints[0].host;
             request_builder b{method_name, target};
             b.header(header_id::via, via).max_forwards(70);
             if (config.outbound_proxy) {
               b.header(header_id::route, "<" + *config.outbound_proxy + ">");
             }
             b.to({{}, target, {}, {}})
                 .from({config.display_name, config.identity, hex_token(), {}})
                 .call_id(hex_token() + "@" + host)
                 .cseq(1, method_name);
             if (method_name == "OPTIONS") {
               b.header(header_id::accept, "application/sdp");
               b.header(header_id::contact, "<" + contact_for(hop->protocol) + ">");
             }
             if (!config.user_agent.empty()) b.header(header_id::user_agent, config.user_agent);
             if (!body.empty()) b.content_type(content_type);
             auto bytes = b.build(body);
             if (!bytes) return finish_request(owner, 400, std::nullopt);
             auto id = start_client(t, *hop, std::move(*bytes), owner);
             if (!id) finish_request(owner, 503, std::nullopt);
           });
  return req;
}

void ua_core::impl::on_out_of_dialog_request(time_point now, transaction_id id,
                                             inbound_message&& r) {
  const message& m = r.message;
  switch (m.method()) {
    case method::options: {
      // §11.2: what we would do with an INVITE, plus Allow, Accept,
      // Supported.
      const int status = shut_down ? 503 : 200;
      std::vector<extra_header> extra{
          {"Allow", header_list(config.policy.allowed_methods)},
          {"Accept", header_list(config.policy.accepted_body_types)},
          {"Supported", header_list(config.policy.supported_option_tags)},
      };
      if (extra.back().value.empty()) extra.pop_back();
      (void)respond(now, id, r, status, {}, hex_token(), true, {}, {}, extra);
      return;
    }
    case method::message:
      (void)respond(now, id, r, 200, {}, hex_token(), false);
      emit(message_received_event{std::move(r)});
      return;
    default:
      // BYE, INFO ... for no dialog (§12.2.2, §15.1.2).
      (void)respond(now, id, r, 481, {}, hex_token(), false);
      return;
  }
}

void ua_core::impl::finish_request(const txn_owner& o, int status,
                                   std::optional<inbound_message> response) {
  emit(request_result_event{o.request, status, std::move(response)});
}

}  // namespace sipua
