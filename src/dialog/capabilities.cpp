// What a UA advertises and the responses it writes on its own: RFC 3261
// §8.2 (rejections), §11.2 (OPTIONS), §20.1, §20.2, §20.3, §20.5, §20.35,
// §20.37, §20.40; RFC 3428 §7 (MESSAGE bodies); RFC 6086 §4.2.2 (INFO).
#include "sipua/dialog/capabilities.hpp"

#include <utility>

#include "sipua/message/builder.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/header_id.hpp"

namespace sipua {

namespace {

/// Appends the items of `from` that `to` does not hold yet (media types
/// compare case-insensitively, RFC 2045 §5.1).
void append_unique(std::vector<std::string>& to, const std::vector<std::string>& from) {
  for (const std::string& item : from) {
    bool seen = false;
    for (const std::string& have : to) seen = seen || detail::iequals(have, item);
    if (!seen) to.push_back(item);
  }
}

/// Adds Server when the UA has a product text (§20.35: configurable), then
/// finishes the message with no body.
parse_result<std::string> finish_without_body(response_builder& b, const ua_capabilities& caps) {
  if (!caps.user_agent.empty()) b.header(header_id::server, caps.user_agent);
  return b.build();
}

/// 415 (§8.2.3): Accept with the types understood for this method;
/// Accept-Encoding when codings are configured, or "identity" when the
/// verdict blamed Content-Encoding and none is (§20.2: identity is always
/// understood).
void add_unsupported_media(response_builder& b, const message& request, const uas_verdict& v,
                           const ua_capabilities& caps) {
  b.header(header_id::accept, header_list(body_types_for(caps, request.method_name())));
  if (!caps.accept_encodings.empty()) {
    b.header(header_id::accept_encoding, header_list(caps.accept_encodings));
  } else if (!v.header.empty() && lookup_header(v.header) == header_id::content_encoding) {
    b.header(header_id::accept_encoding, "identity");
  }
}

}  // namespace

const std::vector<std::string>& body_types_for(const ua_capabilities& caps,
                                               std::string_view method_name) noexcept {
  // Methods are case-sensitive (RFC 3261 §7.1): "message" is an extension.
  if (method_name == "MESSAGE") return caps.message_types;  // RFC 3428 §7
  if (method_name == "INFO") return caps.info_types;        // RFC 6086 §4.2.2
  return caps.accept;
}

uas_policy policy_for(const ua_capabilities& caps, std::string_view method_name) {
  uas_policy p;
  p.role = uas_role::endpoint;
  p.allowed_methods = caps.methods;
  p.supported_option_tags = caps.option_tags;
  p.uri_schemes = caps.uri_schemes;
  p.accepted_body_types = body_types_for(caps, method_name);
  p.accepted_encodings = caps.accept_encodings;
  p.response_body_types = caps.accept;
  return p;
}

std::string header_list(const std::vector<std::string>& items) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += ", ";
    out += item;
  }
  return out;
}

parse_result<std::string> build_rejection(const message& request, const uas_verdict& v,
                                          const ua_capabilities& caps, std::string_view to_tag) {
  response_builder b = build_response(request, v.status, v.reason, to_tag);
  switch (v.status) {
    case 405:  // RFC 3261 §8.2.1: "MUST include an Allow header field"
      b.header(header_id::allow, header_list(caps.methods));
      break;
    case 420: {  // §8.2.2.3: "listing those option tags the UAS does not understand"
      std::string tags;
      for (std::string_view tag : v.unsupported) {
        if (!tags.empty()) tags += ", ";
        tags += tag;
      }
      b.header(header_id::unsupported, tags);
      break;
    }
    case 415: add_unsupported_media(b, request, v, caps); break;
    default: break;
  }
  return finish_without_body(b, caps);
}

parse_result<std::string> build_options_answer(const message& options_request,
                                               const ua_capabilities& caps, std::string_view to_tag,
                                               std::string_view contact_uri) {
  response_builder b = build_response(options_request, 200, {}, to_tag);
  // §11.2: Contact MAY be present, with the semantics it has in a 3xx.
  if (!contact_uri.empty())
    b.contact({.display_name = {}, .uri = contact_uri, .tag = {}, .params = {}});
  // §11.2: Allow, Accept, Accept-Encoding, Accept-Language and Supported
  // SHOULD be present (a proxy would leave Allow out; this is a UA).
  b.header(header_id::allow, header_list(caps.methods));
  std::vector<std::string> types = caps.accept;
  append_unique(types, caps.message_types);
  append_unique(types, caps.info_types);
  b.header(header_id::accept, header_list(types));
  // Absent means what empty would (§20.2 identity, §20.37 no extension) or
  // no restriction (§20.3): the header is written only when it says more.
  if (!caps.accept_encodings.empty())
    b.header(header_id::accept_encoding, header_list(caps.accept_encodings));
  if (!caps.accept_languages.empty())
    b.header(header_id::accept_language, header_list(caps.accept_languages));
  if (!caps.option_tags.empty()) b.header(header_id::supported, header_list(caps.option_tags));
  return finish_without_body(b, caps);
}

}  // namespace sipua
