// Requests inside a dialog (RFC 3261 §12.2.1.1): Request-URI and Route from
// the route set (none, loose, strict), the next hop (§8.1.2), the local CSeq
// and the request's first fields.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "dialog_messages.hpp"

#include "sipua/dialog/dialog.hpp"

namespace sipua {
namespace {

using test::parse_owned;
using strings = std::vector<std::string>;

dialog with_routes(strings route_set) {
  dialog d;
  d.id = dialog_id{"c1@example.com", "local-1", "remote-1"};
  d.state = dialog_state::confirmed;
  d.local = dialog_party{"", "sip:bob@biloxi.example.com"};
  d.remote = dialog_party{"", "sip:alice@atlanta.example.com"};
  d.remote_target = "sip:bob@192.0.2.4";
  d.route_set = std::move(route_set);
  return d;
}

// ---- route_request ----------------------------------------------------------

TEST(dialog_route, no_route_set_targets_the_remote_target) {
  dialog d = with_routes({});
  d.remote_target = "sip:bob@192.0.2.4;transport=tcp";
  const dialog_route r = route_request(d);
  EXPECT_EQ(r.request_uri, "sip:bob@192.0.2.4;transport=tcp");
  EXPECT_EQ(r.routes, strings{});
  EXPECT_EQ(r.next_hop, "sip:bob@192.0.2.4;transport=tcp");
}

TEST(dialog_route, loose_router_first) {
  const dialog d =
      with_routes({"Proxy <sip:p1.example.com;lr>;x=y", "<sip:p2.example.com>", "<sip:p3;lr>"});
  const dialog_route r = route_request(d);
  EXPECT_EQ(r.request_uri, "sip:bob@192.0.2.4");
  EXPECT_EQ(r.routes,
            (strings{"Proxy <sip:p1.example.com;lr>;x=y", "<sip:p2.example.com>", "<sip:p3;lr>"}));
  EXPECT_EQ(r.next_hop, "sip:p1.example.com;lr");
}

TEST(dialog_route, lr_with_a_value_is_loose) {
  const dialog_route r = route_request(with_routes({"<sip:p1.example.com;lr=on>"}));
  EXPECT_EQ(r.request_uri, "sip:bob@192.0.2.4");
  EXPECT_EQ(r.routes, (strings{"<sip:p1.example.com;lr=on>"}));
  EXPECT_EQ(r.next_hop, "sip:p1.example.com;lr=on");
}

TEST(dialog_route, strict_router_first_rfc3261_example) {
  // §12.2.1.1's example.
  dialog d = with_routes({"<sip:proxy1>", "<sip:proxy2>", "<sip:proxy3;lr>", "<sip:proxy4>"});
  d.remote_target = "sip:user@remoteua";
  const dialog_route r = route_request(d);
  EXPECT_EQ(r.request_uri, "sip:proxy1");
  EXPECT_EQ(r.routes,
            (strings{"<sip:proxy2>", "<sip:proxy3;lr>", "<sip:proxy4>", "<sip:user@remoteua>"}));
  // §8.1.2: the strict router in the Request-URI is where the request goes.
  EXPECT_EQ(r.next_hop, "sip:proxy1");
}

TEST(dialog_route, strict_router_loses_method_and_headers) {
  // §19.1.1 Table 1: neither the method parameter nor headers in a
  // Request-URI; every other parameter stays as written.
  const dialog d = with_routes(
      {"<sip:p1.example.com;method=INVITE;transport=tcp;maddr=192.0.2.9?Subject=x&Priority=urgent>"
       ";rr=1",
       "<sip:p2.example.com;lr>"});
  const dialog_route r = route_request(d);
  EXPECT_EQ(r.request_uri, "sip:p1.example.com;transport=tcp;maddr=192.0.2.9");
  EXPECT_EQ(r.routes, (strings{"<sip:p2.example.com;lr>", "<sip:bob@192.0.2.4>"}));
  EXPECT_EQ(r.next_hop, "sip:p1.example.com;transport=tcp;maddr=192.0.2.9");
}

TEST(dialog_route, strict_router_uri_shapes) {
  EXPECT_EQ(route_request(with_routes({"<sips:p1.example.com:5061;METHOD=BYE>"})).request_uri,
            "sips:p1.example.com:5061");
  EXPECT_EQ(route_request(with_routes({"<sip:p1.example.com?Subject=x>"})).request_uri,
            "sip:p1.example.com");
  EXPECT_EQ(route_request(with_routes({"<sip:u@p1.example.com;Method=BYE;x>"})).request_uri,
            "sip:u@p1.example.com;x");
  EXPECT_EQ(route_request(with_routes({"<sip:u@p1.example.com;maddr=p0;ttl=1>"})).request_uri,
            "sip:u@p1.example.com;maddr=p0;ttl=1");
  // A lone strict router: Route holds only the remote target.
  const dialog_route r = route_request(with_routes({"<sip:p1.example.com>"}));
  EXPECT_EQ(r.routes, (strings{"<sip:bob@192.0.2.4>"}));
}

// ---- next_local_cseq --------------------------------------------------------

TEST(dialog_cseq, starts_at_1_when_empty) {
  dialog d;
  EXPECT_EQ(next_local_cseq(d), 1u);
  EXPECT_EQ(d.local_seq, std::optional<std::uint32_t>{1});
  EXPECT_EQ(next_local_cseq(d), 2u);
  EXPECT_EQ(d.local_seq, std::optional<std::uint32_t>{2});
}

TEST(dialog_cseq, increments_by_one) {
  dialog d;
  d.local_seq = 314159;
  EXPECT_EQ(next_local_cseq(d), 314160u);
  EXPECT_EQ(d.local_seq, std::optional<std::uint32_t>{314160});
}

// ---- start_in_dialog_request ------------------------------------------------

TEST(dialog_request, bye_through_loose_routers) {
  // Bob hangs up the call Alice's INVITE made (RFC 3261 §24.2 F13 with
  // three record-routing proxies).
  const message invite = parse_owned(test::uas_invite());
  auto d = dialog_from_request(invite, "a6c85cf", true);
  ASSERT_TRUE(d) << d.error().message();
  d->state = dialog_state::confirmed;
  d->local_seq = 230;
  const dialog_route hop = route_request(*d);
  EXPECT_EQ(hop.next_hop, "sips:p3.example.com;lr");
  auto b = start_in_dialog_request(*d, "BYE", next_local_cseq(*d), hop,
                                   "SIP/2.0/TLS biloxi.example.com:5061;branch=z9hG4bKnashds10");
  auto wire = b.build();
  ASSERT_TRUE(wire) << wire.error().error_code().message();
  EXPECT_EQ(*wire,
            "BYE sips:alice@pc33.atlanta.example.com;transport=tcp SIP/2.0\r\n"
            "Via: SIP/2.0/TLS biloxi.example.com:5061;branch=z9hG4bKnashds10\r\n"
            "Max-Forwards: 70\r\n"
            "From: Bob <sips:bob@biloxi.example.com>;tag=a6c85cf\r\n"
            "To: \"Alice A.\" <sips:alice@atlanta.example.com>;tag=1928301774\r\n"
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
            "CSeq: 231 BYE\r\n"
            "Route: <sips:p3.example.com;lr>\r\n"
            "Route: <sips:p2.example.com;lr>;x=1\r\n"
            "Route: <sips:p1.example.com;lr>\r\n"
            "Content-Length: 0\r\n"
            "\r\n");

  // Alice's side (her dialog from Bob's 200) takes it as a request of hers.
  const message bye = parse_owned(*wire);
  const message alice_invite = parse_owned(test::uac_invite());
  const message ok = parse_owned(test::uac_response(200, "OK", "a6c85cf", "", test::k_bob_contact));
  auto alice = dialog_from_response(alice_invite, ok, false);
  ASSERT_TRUE(alice);
  EXPECT_EQ(receive_in_dialog_request(*alice, bye), std::error_code{});
  EXPECT_EQ(alice->remote_seq, std::optional<std::uint32_t>{231});
}

TEST(dialog_request, bye_through_a_strict_router_to_a_peer_without_tag) {
  // The peer (RFC 2543) sent a 2xx without To tag: no tag parameter in To.
  const message invite = parse_owned(test::uac_invite());
  const message ok = parse_owned(test::uac_response(
      200, "OK", "",
      "Record-Route: <sip:p2.example.com;lr>, <sip:p1.example.com;method=BYE?x=y>\r\n",
      "Contact: <sip:bob@192.0.2.4>\r\n"));
  auto d = dialog_from_response(invite, ok, false);
  ASSERT_TRUE(d) << d.error().message();
  d->remote.display_name = "";
  const dialog_route hop = route_request(*d);
  EXPECT_EQ(hop.next_hop, "sip:p1.example.com");
  auto b = start_in_dialog_request(*d, "BYE", next_local_cseq(*d), hop,
                                   "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK-bye-1");
  auto wire = b.build();
  ASSERT_TRUE(wire) << wire.error().error_code().message();
  EXPECT_EQ(*wire,
            "BYE sip:p1.example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK-bye-1\r\n"
            "Max-Forwards: 70\r\n"
            "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            "To: <sip:bob@biloxi.example.com>\r\n"
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
            "CSeq: 314160 BYE\r\n"
            "Route: <sip:p2.example.com;lr>\r\n"
            "Route: <sip:bob@192.0.2.4>\r\n"
            "Content-Length: 0\r\n"
            "\r\n");
}

TEST(dialog_request, the_caller_adds_fields_and_a_body) {
  const dialog d = with_routes({});
  auto b = start_in_dialog_request(d, "INFO", 7, route_request(d), "SIP/2.0/UDP h;branch=z9hG4bK1");
  b.content_type("application/dtmf-relay");
  auto wire = b.build("Signal=5\r\nDuration=160\r\n");
  ASSERT_TRUE(wire);
  EXPECT_EQ(*wire,
            "INFO sip:bob@192.0.2.4 SIP/2.0\r\n"
            "Via: SIP/2.0/UDP h;branch=z9hG4bK1\r\n"
            "Max-Forwards: 70\r\n"
            "From: <sip:bob@biloxi.example.com>;tag=local-1\r\n"
            "To: <sip:alice@atlanta.example.com>;tag=remote-1\r\n"
            "Call-ID: c1@example.com\r\n"
            "CSeq: 7 INFO\r\n"
            "Content-Type: application/dtmf-relay\r\n"
            "Content-Length: 24\r\n"
            "\r\n"
            "Signal=5\r\nDuration=160\r\n");
}

TEST(dialog_request, builder_errors_are_recorded) {
  const dialog d = with_routes({});
  auto bad_method = start_in_dialog_request(d, "B YE", 1, route_request(d), "SIP/2.0/UDP h");
  EXPECT_EQ(bad_method.finish().code, parse_errc::bad_method);
  auto bad_via = start_in_dialog_request(d, "BYE", 1, route_request(d), "SIP/2.0/UDP h\r\nX: y");
  EXPECT_EQ(bad_via.finish().code, parse_errc::bad_header_value);
}

}  // namespace
}  // namespace sipua
