// Messages for the dialog tests, written as SIP text in the style of RFC 3261
// §24.2 (Alice at atlanta calls Bob at biloxi through proxies p1..p3), and
// helpers to edit them and to print a dialog for exact comparisons.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "support/split.hpp"

#include "sipua/dialog/dialog.hpp"
#include "sipua/message/message.hpp"

namespace sipua::test {

/// Parses `text` from an exact-size heap copy that the message owns
/// (message::set_owner), so that ASan sees any read past its end and any
/// view kept after the message is gone.
inline message parse_owned(std::string_view text) {
  auto buffer = std::make_shared<const exact_buffer>(text);
  message m;
  const parse_error e = parse_datagram(buffer->view(), m);
  EXPECT_FALSE(e) << "does not parse (" << e.error_code().message() << " at " << e.offset << "):\n"
                  << text;
  m.set_owner(std::move(buffer));
  return m;
}

/// `text` with the first occurrence of `from` replaced by `to` (the test
/// fails when `from` is not there).
inline std::string replaced(std::string text, std::string_view from, std::string_view to) {
  const std::size_t i = text.find(from);
  EXPECT_NE(i, std::string::npos) << "no \"" << from << "\" in\n" << text;
  if (i != std::string::npos) text.replace(i, from.size(), to);
  return text;
}

/// `text` without the header line that starts with `prefix` ("Contact:").
inline std::string without_line(std::string text, std::string_view prefix) {
  const std::size_t i = text.find("\r\n" + std::string{prefix});
  EXPECT_NE(i, std::string::npos) << "no line \"" << prefix << "\" in\n" << text;
  if (i == std::string::npos) return text;
  const std::size_t end = text.find("\r\n", i + 2);
  text.erase(i, end - i);
  return text;
}

/// Every field of a dialog, one per line, for whole-value comparisons.
inline std::string describe(const dialog& d) {
  std::string s = "id: " + d.id.call_id + " / " + d.id.local_tag + " / " + d.id.remote_tag + "\n";
  s += std::string{"state: "} + (d.state == dialog_state::early ? "early" : "confirmed") + "\n";
  s += "local: " + d.local.display_name + " | " + d.local.uri + "\n";
  s += "remote: " + d.remote.display_name + " | " + d.remote.uri + "\n";
  s += "local_seq: " + (d.local_seq ? std::to_string(*d.local_seq) : "none") + "\n";
  s += "remote_seq: " + (d.remote_seq ? std::to_string(*d.remote_seq) : "none") + "\n";
  s += "remote_target: " + d.remote_target + "\n";
  s += "route_set:";
  for (const auto& r : d.route_set) s += " " + r;
  s += std::string{"\nsecure: "} + (d.secure ? "true" : "false") + "\n";
  return s;
}

// ---- Bob's side (UAS): Alice's INVITE as it reaches him through p1, p2, p3

inline constexpr std::string_view k_call_id = "a84b4c76e66710@pc33.atlanta.example.com";

/// Two Record-Route fields, the first with two elements (p3 and p2 wrote
/// theirs into one field, p1 into its own).
inline std::string uas_invite() {
  return "INVITE sips:bob@biloxi.example.com SIP/2.0\r\n"
         "Via: SIP/2.0/TLS p3.example.com;branch=z9hG4bK-p3\r\n"
         "Via: SIP/2.0/TLS p2.example.com;branch=z9hG4bK-p2\r\n"
         "Via: SIP/2.0/TLS p1.example.com;branch=z9hG4bK-p1\r\n"
         "Via: SIP/2.0/TLS pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
         "Max-Forwards: 67\r\n"
         "To: Bob <sips:bob@biloxi.example.com>\r\n"
         "From: \"Alice A.\" <sips:alice@atlanta.example.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 INVITE\r\n"
         "Record-Route: <sips:p3.example.com;lr>, <sips:p2.example.com;lr>;x=1\r\n"
         "Record-Route: <sips:p1.example.com;lr>\r\n"
         "Contact: <sips:alice@pc33.atlanta.example.com;transport=tcp>;expires=3600\r\n"
         "Content-Length: 0\r\n"
         "\r\n";
}

// ---- Alice's side (UAC): her INVITE and Bob's answers through p1, p2, p3 --

inline std::string uac_invite() {
  return "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
         "Max-Forwards: 70\r\n"
         "To: Bob <sip:bob@biloxi.example.com>\r\n"
         "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
         "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
         "CSeq: 314159 INVITE\r\n"
         "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
         "Content-Length: 0\r\n"
         "\r\n";
}

/// A response to uac_invite(): `to_tag` empty for none; `record_route` and
/// `contact` are whole header lines (with CRLF) or empty.
inline std::string uac_response(int status, std::string_view reason, std::string_view to_tag,
                                std::string_view record_route, std::string_view contact) {
  std::string s = "SIP/2.0 " + std::to_string(status) + " " + std::string{reason} + "\r\n";
  s += "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;received=192.0.2.1\r\n";
  s += record_route;
  s += "To: Bob <sip:bob@biloxi.example.com>";
  if (!to_tag.empty()) s += ";tag=" + std::string{to_tag};
  s += "\r\nFrom: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n";
  s += "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n";
  s += "CSeq: 314159 INVITE\r\n";
  s += contact;
  s += "Content-Length: 0\r\n\r\n";
  return s;
}

/// The Record-Route of Bob's 180 and 200, copied from the INVITE (§12.1.1):
/// p3 (nearest to Bob) first in one field, then p2 and p1 in another.
inline constexpr std::string_view k_uac_record_route =
    "Record-Route: <sip:p3.example.com;lr>\r\n"
    "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;lr>\r\n";
inline constexpr std::string_view k_bob_contact = "Contact: <sip:bob@192.0.2.4>\r\n";

}  // namespace sipua::test
