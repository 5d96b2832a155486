// Inside a dialog, receiving (RFC 3261 §12.2.2: CSeq order, target refresh;
// §12.2.1.2: the 2xx to a target refresh), dialog ids of received messages,
// and the "sipua.dialog" error category.
#include <gtest/gtest.h>

#include <string>
#include <system_error>

#include "dialog_messages.hpp"

#include "sipua/dialog/dialog.hpp"

namespace sipua {
namespace {

using test::parse_owned;
using test::replaced;
using test::without_line;

/// Bob's dialog (UAS, local tag a6c85cf) from Alice's INVITE, CSeq 314159.
dialog bobs_dialog() {
  const message invite = parse_owned(test::uas_invite());
  auto d = dialog_from_request(invite, "a6c85cf", true);
  EXPECT_TRUE(d);
  if (!d) return dialog{};
  d->state = dialog_state::confirmed;
  return *d;
}

/// A request Alice sends in that dialog; `extra` is whole header lines.
std::string alice_request(std::string_view method, std::uint32_t cseq,
                          std::string_view extra = {}) {
  std::string s = std::string{method} + " sips:alice@pc33.atlanta.example.com SIP/2.0\r\n";
  s += "Via: SIP/2.0/TLS pc33.atlanta.example.com;branch=z9hG4bK-in-1\r\n";
  s += "Max-Forwards: 70\r\n";
  s += "From: \"Alice A.\" <sips:alice@atlanta.example.com>;tag=1928301774\r\n";
  s += "To: Bob <sips:bob@biloxi.example.com>;tag=a6c85cf\r\n";
  s += "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n";
  s += "CSeq: " + std::to_string(cseq) + " " + std::string{method} + "\r\n";
  s += extra;
  s += "Content-Length: 0\r\n\r\n";
  return s;
}

constexpr std::string_view k_new_contact = "Contact: <sips:alice@192.0.2.99;transport=tcp>\r\n";

std::error_code receive(dialog& d, const std::string& text) {
  const message m = parse_owned(text);
  return receive_in_dialog_request(d, m);
}

// ---- receive_in_dialog_request ------------------------------------------------

TEST(dialog_receive, lower_cseq_is_out_of_order_and_changes_nothing) {
  dialog d = bobs_dialog();
  const std::string before = test::describe(d);
  EXPECT_EQ(receive(d, alice_request("INVITE", 314158, k_new_contact)), dialog_errc::out_of_order);
  EXPECT_EQ(test::describe(d), before);
}

TEST(dialog_receive, equal_and_higher_cseq_are_accepted) {
  dialog d = bobs_dialog();
  EXPECT_EQ(receive(d, alice_request("INFO", 314159)), std::error_code{});
  EXPECT_EQ(d.remote_seq, std::optional<std::uint32_t>{314159});
  EXPECT_EQ(receive(d, alice_request("INFO", 314200)), std::error_code{});
  EXPECT_EQ(d.remote_seq, std::optional<std::uint32_t>{314200});
  EXPECT_EQ(receive(d, alice_request("INFO", 314199)), dialog_errc::out_of_order);
  EXPECT_EQ(d.remote_seq, std::optional<std::uint32_t>{314200});
}

TEST(dialog_receive, an_empty_remote_sequence_takes_any_number) {
  // Alice's dialog (UAC) has no remote sequence number until Bob sends.
  const message invite = parse_owned(test::uac_invite());
  const message ok = parse_owned(test::uac_response(200, "OK", "a6c85cf", "", test::k_bob_contact));
  auto d = dialog_from_response(invite, ok, false);
  ASSERT_TRUE(d);
  const std::string bye =
      "BYE sip:alice@pc33.atlanta.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.4;branch=z9hG4bKnashds10\r\n"
      "Max-Forwards: 70\r\n"
      "From: Bob <sip:bob@biloxi.example.com>;tag=a6c85cf\r\n"
      "To: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
      "CSeq: 1 BYE\r\n"
      "Content-Length: 0\r\n\r\n";
  EXPECT_EQ(receive(*d, bye), std::error_code{});
  EXPECT_EQ(d->remote_seq, std::optional<std::uint32_t>{1});
}

TEST(dialog_receive, re_invite_with_contact_refreshes_the_target) {
  dialog d = bobs_dialog();
  EXPECT_EQ(receive(d, alice_request("INVITE", 314160, k_new_contact)), std::error_code{});
  EXPECT_EQ(d.remote_target, "sips:alice@192.0.2.99;transport=tcp");
  EXPECT_EQ(d.remote_seq, std::optional<std::uint32_t>{314160});
}

TEST(dialog_receive, every_target_refresh_method_refreshes) {
  for (const char* method : {"UPDATE", "SUBSCRIBE", "NOTIFY", "REFER"}) {
    dialog d = bobs_dialog();
    EXPECT_EQ(receive(d, alice_request(method, 314160, k_new_contact)), std::error_code{});
    EXPECT_EQ(d.remote_target, "sips:alice@192.0.2.99;transport=tcp") << method;
  }
}

TEST(dialog_receive, info_with_contact_keeps_the_target) {
  dialog d = bobs_dialog();
  EXPECT_EQ(receive(d, alice_request("INFO", 314160, k_new_contact)), std::error_code{});
  EXPECT_EQ(d.remote_target, "sips:alice@pc33.atlanta.example.com;transport=tcp");
  EXPECT_EQ(d.remote_seq, std::optional<std::uint32_t>{314160});
}

TEST(dialog_receive, re_invite_without_contact_keeps_the_target) {
  dialog d = bobs_dialog();
  EXPECT_EQ(receive(d, alice_request("INVITE", 314160)), std::error_code{});
  EXPECT_EQ(d.remote_target, "sips:alice@pc33.atlanta.example.com;transport=tcp");
  EXPECT_EQ(d.remote_seq, std::optional<std::uint32_t>{314160});
}

TEST(dialog_receive, errors_change_nothing) {
  struct error_case {
    std::string request;
    dialog_errc expected;
  };
  const std::string info = alice_request("INFO", 314160);
  const std::vector<error_case> cases = {
      {replaced(info, ";tag=a6c85cf", ";tag=other"), dialog_errc::not_in_dialog},
      {replaced(info, ";tag=a6c85cf", ""), dialog_errc::not_in_dialog},
      {replaced(info, ";tag=1928301774", ";tag=1928301775"), dialog_errc::not_in_dialog},
      {replaced(info, "Call-ID: a84b", "Call-ID: b84b"), dialog_errc::not_in_dialog},
      {without_line(info, "Call-ID:"), dialog_errc::missing_header},
      {without_line(info, "CSeq:"), dialog_errc::missing_header},
      {without_line(info, "To:"), dialog_errc::missing_header},
      {alice_request("INVITE", 314160, "Contact: *\r\n"), dialog_errc::bad_contact},
      {alice_request("INVITE", 314160, "Contact: <sip:a@h1>, <sip:a@h2>\r\n"),
       dialog_errc::bad_contact},
      {alice_request("UPDATE", 314160, "Contact: <nonsense>\r\n"), dialog_errc::bad_contact},
  };
  for (const auto& c : cases) {
    dialog d = bobs_dialog();
    const std::string before = test::describe(d);
    EXPECT_EQ(receive(d, c.request), c.expected) << c.request;
    EXPECT_EQ(test::describe(d), before) << c.request;
  }
}

// ---- refresh_target_from_response ---------------------------------------------

TEST(dialog_refresh, a_2xx_with_contact_replaces_the_target) {
  dialog d = bobs_dialog();
  const message ok = parse_owned(test::uac_response(200, "OK", "x", "", k_new_contact));
  EXPECT_EQ(refresh_target_from_response(d, ok), std::error_code{});
  EXPECT_EQ(d.remote_target, "sips:alice@192.0.2.99;transport=tcp");
}

TEST(dialog_refresh, a_2xx_without_contact_keeps_the_target) {
  dialog d = bobs_dialog();
  const message ok = parse_owned(test::uac_response(200, "OK", "x", "", ""));
  EXPECT_EQ(refresh_target_from_response(d, ok), std::error_code{});
  EXPECT_EQ(d.remote_target, "sips:alice@pc33.atlanta.example.com;transport=tcp");
}

TEST(dialog_refresh, a_bad_contact_changes_nothing) {
  dialog d = bobs_dialog();
  const std::string before = test::describe(d);
  const message star = parse_owned(test::uac_response(200, "OK", "x", "", "Contact: *\r\n"));
  EXPECT_EQ(refresh_target_from_response(d, star), dialog_errc::bad_contact);
  const message two = parse_owned(
      test::uac_response(200, "OK", "x", "", "Contact: <sip:a@h1>\r\nm: <sip:a@h2>\r\n"));
  EXPECT_EQ(refresh_target_from_response(d, two), dialog_errc::bad_contact);
  EXPECT_EQ(test::describe(d), before);
}

// ---- dialog ids of received messages ------------------------------------------

TEST(dialog_ids, received_request_maps_to_tag_to_local) {
  const message m = parse_owned(alice_request("BYE", 314160));
  const auto id = received_request_dialog(m);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->call_id, test::k_call_id);
  EXPECT_EQ(id->local_tag, "a6c85cf");
  EXPECT_EQ(id->remote_tag, "1928301774");
  EXPECT_TRUE(id->matches(bobs_dialog().id));
  EXPECT_FALSE(id->matches(dialog_id{std::string{test::k_call_id}, "1928301774", "a6c85cf"}));
}

TEST(dialog_ids, received_request_without_to_tag_has_no_local_tag) {
  const message m = parse_owned(test::uas_invite());
  const auto id = received_request_dialog(m);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->local_tag, "");
  EXPECT_EQ(id->remote_tag, "1928301774");
}

TEST(dialog_ids, received_response_maps_from_tag_to_local) {
  const message m = parse_owned(test::uac_response(180, "Ringing", "a6c85cf", "", ""));
  const auto id = received_response_dialog(m);
  ASSERT_TRUE(id);
  EXPECT_EQ(id->call_id, test::k_call_id);
  EXPECT_EQ(id->local_tag, "1928301774");
  EXPECT_EQ(id->remote_tag, "a6c85cf");
}

TEST(dialog_ids, missing_or_broken_fields_give_none) {
  const std::string request = alice_request("BYE", 314160);
  const std::string response = test::uac_response(200, "OK", "a6c85cf", "", "");
  EXPECT_FALSE(received_request_dialog(parse_owned(without_line(request, "Call-ID:"))));
  EXPECT_FALSE(received_request_dialog(parse_owned(without_line(request, "From:"))));
  EXPECT_FALSE(received_request_dialog(parse_owned(without_line(request, "To:"))));
  EXPECT_FALSE(received_request_dialog(parse_owned(replaced(request, "To: Bob <", "To: Bob "))));
  EXPECT_FALSE(received_response_dialog(parse_owned(without_line(response, "Call-ID:"))));
  EXPECT_FALSE(received_response_dialog(parse_owned(without_line(response, "From:"))));
  EXPECT_FALSE(
      received_response_dialog(parse_owned(replaced(response, ";tag=a6c85cf", ";tag=\""))));
}

// ---- is_target_refresh --------------------------------------------------------

TEST(dialog_target_refresh, methods) {
  for (const char* m : {"INVITE", "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER"})
    EXPECT_TRUE(is_target_refresh(m)) << m;
  for (const char* m : {"BYE", "INFO", "ACK", "CANCEL", "PRACK", "MESSAGE", "OPTIONS", "REGISTER",
                        "PUBLISH", "invite", "Update", ""})
    EXPECT_FALSE(is_target_refresh(m)) << m;
}

// ---- the error category -------------------------------------------------------

TEST(dialog_errors, category_and_messages) {
  EXPECT_STREQ(dialog_category().name(), "sipua.dialog");
  const std::error_code e = dialog_errc::out_of_order;
  EXPECT_EQ(&e.category(), &dialog_category());
  EXPECT_EQ(e.value(), 7);
  const std::pair<dialog_errc, const char*> expected[] = {
      {dialog_errc::ok, "ok"},
      {dialog_errc::missing_header, "Call-ID, From, To or CSeq missing or malformed"},
      {dialog_errc::missing_tag, "the tag that creates the dialog is missing"},
      {dialog_errc::missing_contact, "no usable Contact in a dialog-creating message"},
      {dialog_errc::bad_contact, "Contact is \"*\", several, or does not parse"},
      {dialog_errc::bad_record_route, "a Record-Route element does not parse"},
      {dialog_errc::not_in_dialog, "the message does not belong to this dialog"},
      {dialog_errc::out_of_order, "CSeq lower than the remote sequence number"},
      {dialog_errc::not_a_final_2xx, "not a 2xx response"},
  };
  for (const auto& [code, text] : expected)
    EXPECT_EQ(make_error_code(code).message(), text) << static_cast<int>(code);
  EXPECT_EQ(dialog_category().message(9), "unknown dialog error");
}

}  // namespace
}  // namespace sipua
