// Creating dialogs (RFC 3261 §12.1.1 UAS, §12.1.2 UAC) and confirming an
// early one with the 2xx (§13.2.2.4).
#include "sipua/dialog/dialog.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialog_messages.hpp"

namespace sipua {
namespace {

using test::parse_owned;
using test::replaced;
using test::without_line;
using strings = std::vector<std::string>;

std::error_code uas_error(const std::string& text) {
  const message m = parse_owned(text);
  auto d = dialog_from_request(m, "bob-tag-1", true);
  EXPECT_FALSE(d) << text;
  return d ? std::error_code{} : d.error();
}

std::error_code uac_error(const std::string& response) {
  const message request = parse_owned(test::uac_invite());
  const message m = parse_owned(response);
  auto d = dialog_from_response(request, m, false);
  EXPECT_FALSE(d) << response;
  return d ? std::error_code{} : d.error();
}

// ---- UAS, §12.1.1 -----------------------------------------------------------

TEST(dialog_uas, from_invite_with_two_record_route_fields) {
  result<dialog, std::error_code> d = unexpected{make_error_code(dialog_errc::ok)};
  {
    // The message (and its buffer) is gone before the checks: the dialog
    // owns every value.
    const message invite = parse_owned(test::uas_invite());
    d = dialog_from_request(invite, "bob-tag-1", true);
  }
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->id, (dialog_id{std::string{test::k_call_id}, "bob-tag-1", "1928301774"}));
  EXPECT_EQ(d->state, dialog_state::early);
  EXPECT_EQ(d->local.display_name, "Bob");
  EXPECT_EQ(d->local.uri, "sips:bob@biloxi.example.com");
  EXPECT_EQ(d->remote.display_name, "\"Alice A.\"");
  EXPECT_EQ(d->remote.uri, "sips:alice@atlanta.example.com");
  EXPECT_EQ(d->local_seq, std::nullopt);
  EXPECT_EQ(d->remote_seq, std::optional<std::uint32_t>{314159});
  EXPECT_EQ(d->remote_target, "sips:alice@pc33.atlanta.example.com;transport=tcp");
  EXPECT_EQ(d->route_set, (strings{"<sips:p3.example.com;lr>", "<sips:p2.example.com;lr>;x=1",
                                   "<sips:p1.example.com;lr>"}));
  EXPECT_TRUE(d->secure);
}

TEST(dialog_uas, secure_only_over_tls_with_a_sips_request_uri) {
  const message sips = parse_owned(test::uas_invite());
  const message sip = parse_owned(replaced(test::uas_invite(), "INVITE sips:", "INVITE sip:"));
  EXPECT_TRUE(dialog_from_request(sips, "t", true)->secure);
  EXPECT_FALSE(dialog_from_request(sips, "t", false)->secure);
  EXPECT_FALSE(dialog_from_request(sip, "t", true)->secure);
  EXPECT_FALSE(dialog_from_request(sip, "t", false)->secure);
}

TEST(dialog_uas, no_record_route_gives_an_empty_route_set) {
  std::string text = without_line(test::uas_invite(), "Record-Route:");
  text = without_line(text, "Record-Route:");
  const message m = parse_owned(text);
  auto d = dialog_from_request(m, "t", false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_TRUE(d->route_set.empty());
}

TEST(dialog_uas, folded_values_are_unfolded) {
  std::string text =
      replaced(test::uas_invite(), "Record-Route: <sips:p1.example.com;lr>",
               "Record-Route: <sips:p1.example.com;lr>;\r\n foo=bar,\r\n\t<sips:p0>");
  text = replaced(text, "From: \"Alice A.\"", "From: Alice\r\n Atlanta");
  const message m = parse_owned(text);
  auto d = dialog_from_request(m, "t", false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->route_set, (strings{"<sips:p3.example.com;lr>", "<sips:p2.example.com;lr>;x=1",
                                   "<sips:p1.example.com;lr>; foo=bar", "<sips:p0>"}));
  EXPECT_EQ(d->remote.display_name, "Alice Atlanta");
  EXPECT_EQ(d->remote.uri, "sips:alice@atlanta.example.com");
}

TEST(dialog_uas, an_addr_spec_contact_keeps_only_its_uri) {
  // §20.10: the parameters after an addr-spec are header parameters.
  const message m = parse_owned(
      replaced(test::uas_invite(), "Contact: <sips:alice@pc33.atlanta.example.com;transport=tcp>",
               "Contact: sips:alice@pc33.atlanta.example.com;transport=tcp"));
  auto d = dialog_from_request(m, "t", false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->remote_target, "sips:alice@pc33.atlanta.example.com");
}

TEST(dialog_uas, commas_inside_quotes_do_not_split_elements) {
  std::string text = replaced(test::uas_invite(), "Contact: <", "Contact: \"Alice, at home\" <");
  text = replaced(text, "Record-Route: <sips:p1.example.com;lr>",
                  "Record-Route: \"p1, the edge\" <sips:p1.example.com;lr>;n=\"a,b\"");
  const message m = parse_owned(text);
  auto d = dialog_from_request(m, "t", false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->remote_target, "sips:alice@pc33.atlanta.example.com;transport=tcp");
  EXPECT_EQ(d->route_set, (strings{"<sips:p3.example.com;lr>", "<sips:p2.example.com;lr>;x=1",
                                   "\"p1, the edge\" <sips:p1.example.com;lr>;n=\"a,b\""}));
}

TEST(dialog_uas, errors) {
  const std::string invite = test::uas_invite();
  constexpr std::string_view k_contact =
      "Contact: <sips:alice@pc33.atlanta.example.com;transport=tcp>;expires=3600";
  EXPECT_EQ(uas_error(replaced(invite, ";tag=1928301774", "")), dialog_errc::missing_tag);
  EXPECT_EQ(uas_error(without_line(invite, "Contact:")), dialog_errc::missing_contact);
  EXPECT_EQ(uas_error(replaced(invite, k_contact, "Contact: *")), dialog_errc::bad_contact);
  EXPECT_EQ(uas_error(replaced(invite, "Contact: <", "Contact: <sips:a2@example.com>, <")),
            dialog_errc::bad_contact);
  EXPECT_EQ(uas_error(replaced(invite, "Contact: <", "Contact: <sips:a2@example.com>\r\nm: <")),
            dialog_errc::bad_contact);
  EXPECT_EQ(uas_error(replaced(invite, "Contact: <sips:", "Contact: <sips:[::1")),
            dialog_errc::bad_contact);
  EXPECT_EQ(uas_error(replaced(invite, "Contact: <sips:", "Contact: <")), dialog_errc::bad_contact);
  EXPECT_EQ(uas_error(replaced(invite, "Record-Route: <sips:p1.example.com;lr>",
                               "Record-Route: sips:p1.example.com")),
            dialog_errc::bad_record_route);
  EXPECT_EQ(uas_error(replaced(invite, "<sips:p1.example.com;lr>", "<sips:p1.example.com;lr>,")),
            dialog_errc::bad_record_route);
  EXPECT_EQ(uas_error(replaced(invite, "<sips:p1.example.com;lr>", "<sips:p1.example.com;lr")),
            dialog_errc::bad_record_route);
  EXPECT_EQ(uas_error(replaced(invite, "<sips:p2.example.com;lr>", "<sips:p2 .example.com>")),
            dialog_errc::bad_record_route);
  EXPECT_EQ(uas_error(without_line(invite, "Call-ID:")), dialog_errc::missing_header);
  EXPECT_EQ(uas_error(without_line(invite, "From:")), dialog_errc::missing_header);
  EXPECT_EQ(uas_error(without_line(invite, "To:")), dialog_errc::missing_header);
  EXPECT_EQ(uas_error(replaced(invite, "CSeq: 314159", "CSeq: x")), dialog_errc::missing_header);
}

// ---- UAC, §12.1.2 -----------------------------------------------------------

TEST(dialog_uac, early_from_a_180) {
  const message invite = parse_owned(test::uac_invite());
  const message ringing = parse_owned(
      test::uac_response(180, "Ringing", "a6c85cf", test::k_uac_record_route, test::k_bob_contact));
  auto d = dialog_from_response(invite, ringing, false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(test::describe(*d),
            "id: a84b4c76e66710@pc33.atlanta.example.com / 1928301774 / a6c85cf\n"
            "state: early\n"
            "local: Alice | sip:alice@atlanta.example.com\n"
            "remote: Bob | sip:bob@biloxi.example.com\n"
            "local_seq: 314159\n"
            "remote_seq: none\n"
            "remote_target: sip:bob@192.0.2.4\n"
            "route_set: <sip:p1.example.com;lr> <sip:p2.example.com;lr> <sip:p3.example.com;lr>\n"
            "secure: false\n");
}

TEST(dialog_uac, confirmed_from_a_200) {
  const message invite = parse_owned(test::uac_invite());
  const message ok = parse_owned(
      test::uac_response(200, "OK", "a6c85cf", test::k_uac_record_route, test::k_bob_contact));
  auto d = dialog_from_response(invite, ok, false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->state, dialog_state::confirmed);
  EXPECT_EQ(d->id, (dialog_id{std::string{test::k_call_id}, "1928301774", "a6c85cf"}));
  EXPECT_EQ(d->route_set, (strings{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>",
                                   "<sip:p3.example.com;lr>"}));
  EXPECT_EQ(d->remote_target, "sip:bob@192.0.2.4");
  EXPECT_EQ(d->local_seq, std::optional<std::uint32_t>{314159});
  EXPECT_EQ(d->remote_seq, std::nullopt);
}

TEST(dialog_uac, a_1xx_without_contact_targets_the_request_uri) {
  const message invite = parse_owned(test::uac_invite());
  const message ringing =
      parse_owned(test::uac_response(183, "Session Progress", "a6c85cf", "", ""));
  auto d = dialog_from_response(invite, ringing, false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->remote_target, "sip:bob@biloxi.example.com");
  EXPECT_TRUE(d->route_set.empty());
  EXPECT_EQ(d->state, dialog_state::early);
}

TEST(dialog_uac, a_2xx_without_to_tag_has_an_empty_remote_tag) {
  const message invite = parse_owned(test::uac_invite());
  const message ok = parse_owned(test::uac_response(200, "OK", "", "", test::k_bob_contact));
  auto d = dialog_from_response(invite, ok, false);
  ASSERT_TRUE(d) << d.error().message();
  EXPECT_EQ(d->id, (dialog_id{std::string{test::k_call_id}, "1928301774", ""}));
  EXPECT_EQ(d->state, dialog_state::confirmed);
}

TEST(dialog_uac, secure_only_over_tls_with_a_sips_request_uri) {
  const std::string sips_text = replaced(test::uac_invite(), "INVITE sip:", "INVITE sips:");
  const message sips = parse_owned(sips_text);
  const message sip = parse_owned(test::uac_invite());
  const message ok = parse_owned(test::uac_response(200, "OK", "x", "", test::k_bob_contact));
  EXPECT_TRUE(dialog_from_response(sips, ok, true)->secure);
  EXPECT_FALSE(dialog_from_response(sips, ok, false)->secure);
  EXPECT_FALSE(dialog_from_response(sip, ok, true)->secure);
}

TEST(dialog_uac, errors) {
  const auto rr = test::k_uac_record_route;
  const auto contact = test::k_bob_contact;
  EXPECT_EQ(uac_error(test::uac_response(200, "OK", "a6c85cf", rr, "")),
            dialog_errc::missing_contact);
  EXPECT_EQ(uac_error(test::uac_response(180, "Ringing", "", rr, contact)),
            dialog_errc::missing_tag);
  EXPECT_EQ(uac_error(test::uac_response(180, "Ringing", "a6c85cf", rr, "Contact: *\r\n")),
            dialog_errc::bad_contact);
  EXPECT_EQ(
      uac_error(test::uac_response(200, "OK", "a6c85cf", "Record-Route: <sip:p1\r\n", contact)),
      dialog_errc::bad_record_route);
  EXPECT_EQ(uac_error(test::uac_response(100, "Trying", "", "", "")), dialog_errc::not_a_final_2xx);
  EXPECT_EQ(uac_error(test::uac_response(486, "Busy Here", "a6c85cf", "", contact)),
            dialog_errc::not_a_final_2xx);
  EXPECT_EQ(
      uac_error(without_line(test::uac_response(200, "OK", "a6c85cf", rr, contact), "Call-ID:")),
      dialog_errc::missing_header);
}

// ---- confirming, §13.2.2.4 --------------------------------------------------

dialog early_dialog() {
  const message invite = parse_owned(test::uac_invite());
  const message ringing = parse_owned(
      test::uac_response(180, "Ringing", "a6c85cf", test::k_uac_record_route, test::k_bob_contact));
  auto d = dialog_from_response(invite, ringing, false);
  EXPECT_TRUE(d);
  return d ? *d : dialog{};
}

TEST(dialog_confirm, the_2xx_recomputes_route_set_and_target) {
  dialog d = early_dialog();
  const message ok = parse_owned(test::uac_response(
      200, "OK", "a6c85cf", "Record-Route: <sip:p5.example.com;lr>, <sip:p4.example.com;lr>\r\n",
      "Contact: <sip:bob@192.0.2.5;transport=tcp>\r\n"));
  ASSERT_EQ(confirm_dialog(d, ok), std::error_code{});
  EXPECT_EQ(d.state, dialog_state::confirmed);
  EXPECT_EQ(d.route_set, (strings{"<sip:p4.example.com;lr>", "<sip:p5.example.com;lr>"}));
  EXPECT_EQ(d.remote_target, "sip:bob@192.0.2.5;transport=tcp");
  EXPECT_EQ(d.id, (dialog_id{std::string{test::k_call_id}, "1928301774", "a6c85cf"}));
  EXPECT_EQ(d.local_seq, std::optional<std::uint32_t>{314159});
}

TEST(dialog_confirm, a_2xx_without_record_route_empties_the_route_set) {
  dialog d = early_dialog();
  const message ok = parse_owned(test::uac_response(200, "OK", "a6c85cf", "", test::k_bob_contact));
  ASSERT_EQ(confirm_dialog(d, ok), std::error_code{});
  EXPECT_TRUE(d.route_set.empty());
}

TEST(dialog_confirm, errors_leave_the_dialog_unchanged) {
  const auto rr = test::k_uac_record_route;
  const auto contact = test::k_bob_contact;
  struct error_case {
    std::string response;
    dialog_errc expected;
  };
  const std::vector<error_case> cases = {
      {test::uac_response(200, "OK", "other-tag", rr, contact), dialog_errc::not_in_dialog},
      {test::uac_response(200, "OK", "", rr, contact), dialog_errc::not_in_dialog},
      {replaced(test::uac_response(200, "OK", "a6c85cf", rr, contact), "Call-ID: a84b",
                "Call-ID: b84b"),
       dialog_errc::not_in_dialog},
      {test::uac_response(180, "Ringing", "a6c85cf", rr, contact), dialog_errc::not_a_final_2xx},
      {test::uac_response(302, "Moved", "a6c85cf", rr, contact), dialog_errc::not_a_final_2xx},
      {test::uac_response(200, "OK", "a6c85cf", rr, ""), dialog_errc::missing_contact},
      {test::uac_response(200, "OK", "a6c85cf", rr, "Contact: *\r\n"), dialog_errc::bad_contact},
      {test::uac_response(200, "OK", "a6c85cf", "Record-Route: sip:p9\r\n", contact),
       dialog_errc::bad_record_route},
      {without_line(test::uac_response(200, "OK", "a6c85cf", rr, contact), "Call-ID:"),
       dialog_errc::missing_header},
  };
  for (const auto& c : cases) {
    dialog d = early_dialog();
    const std::string before = test::describe(d);
    const message m = parse_owned(c.response);
    EXPECT_EQ(confirm_dialog(d, m), c.expected) << c.response;
    EXPECT_EQ(test::describe(d), before) << c.response;
  }
}

TEST(dialog_confirm, a_request_is_not_a_2xx) {
  dialog d = early_dialog();
  const message invite = parse_owned(test::uac_invite());
  EXPECT_EQ(confirm_dialog(d, invite), dialog_errc::not_a_final_2xx);
  EXPECT_EQ(d.state, dialog_state::early);
}

}  // namespace
}  // namespace sipua
