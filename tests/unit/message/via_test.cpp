#include "sipua/message/via.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/parse_check.hpp"

namespace sipua {
namespace {

using test::expect_error;
using test::expect_ok;
using test::within;

TEST(via, basic_fields_are_views_into_the_input) {
  expect_ok(parse_via, "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds",
            [](const via& v, std::string_view in) {
              EXPECT_EQ(v.protocol_name, "SIP");
              EXPECT_EQ(v.protocol_version, "2.0");
              EXPECT_EQ(v.transport, "UDP");
              EXPECT_EQ(v.host, "pc33.atlanta.example.com");
              EXPECT_EQ(v.host_kind, host_type::name);
              EXPECT_FALSE(v.port.has_value());
              EXPECT_EQ(v.branch, "z9hG4bK776asdhds");
              EXPECT_TRUE(v.received.empty());
              EXPECT_FALSE(v.has_rport);
              EXPECT_FALSE(v.ttl.has_value());
              EXPECT_TRUE(within(in, v.protocol_name));
              EXPECT_TRUE(within(in, v.transport));
              EXPECT_TRUE(within(in, v.host));
              EXPECT_TRUE(within(in, v.branch));
              EXPECT_TRUE(within(in, v.params.raw()));
              EXPECT_EQ(v.params.raw(), ";branch=z9hG4bK776asdhds");
            });
}

TEST(via, rfc4475_wsinv_lws_around_slashes_and_folded_lines) {
  // RFC 4475 §3.1.1.1: "Via  : SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw"
  expect_ok(parse_via, "SIP  /   2.0\r\n /UDP\r\n    192.0.2.2;branch=390skdjuw",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.protocol_name, "SIP");
              EXPECT_EQ(v.protocol_version, "2.0");
              EXPECT_EQ(v.transport, "UDP");
              EXPECT_EQ(v.host, "192.0.2.2");
              EXPECT_EQ(v.host_kind, host_type::ipv4);
              EXPECT_EQ(v.branch, "390skdjuw");
            });
}

TEST(via, rfc4475_wsinv_two_via_parms_with_lws_around_semicolon_and_equal) {
  constexpr std::string_view value =
      "SIP  / 2.0  / TCP     spindle.example.com   ;\r\n  branch  =   z9hG4bK9ikj8  ,\r\n"
      " SIP  /    2.0   / UDP  192.168.255.111   ; branch=\r\n z9hG4bK30239";
  test::for_each_exact(value, [](std::string_view in) {
    auto n = validate_via_list(in);
    ASSERT_TRUE(n.has_value());
    EXPECT_EQ(*n, 2u);
    std::vector<via> vias;
    for (std::string_view element : comma_list{in}) {
      auto v = parse_via(element);
      ASSERT_TRUE(v.has_value()) << element;
      vias.push_back(*v);
    }
    ASSERT_EQ(vias.size(), 2u);
    EXPECT_EQ(vias[0].transport, "TCP");
    EXPECT_EQ(vias[0].host, "spindle.example.com");
    EXPECT_EQ(vias[0].branch, "z9hG4bK9ikj8");
    EXPECT_EQ(vias[1].transport, "UDP");
    EXPECT_EQ(vias[1].host, "192.168.255.111");
    EXPECT_EQ(vias[1].branch, "z9hG4bK30239");
  });
}

TEST(via, rfc4475_transports_any_token_is_a_transport) {
  // RFC 4475 §3.1.1.10
  const char* const lines[][2] = {
      {"SIP/2.0/UDP t1.example.com;branch=z9hG4bKkdjuw", "UDP"},
      {"SIP/2.0/SCTP t2.example.com;branch=z9hG4bKklasjdhf", "SCTP"},
      {"SIP/2.0/TLS t3.example.com;branch=z9hG4bK2980unddj", "TLS"},
      {"SIP/2.0/UNKNOWN t4.example.com;branch=z9hG4bKasd0f3en", "UNKNOWN"},
      {"SIP/2.0/TCP t5.example.com;branch=z9hG4bK0a9idfnee", "TCP"},
  };
  for (const auto& l : lines) {
    expect_ok(parse_via, l[0],
              [&](const via& v, std::string_view) { EXPECT_EQ(v.transport, l[1]); });
  }
}

TEST(via, rfc4475_badvers_protocol_version_is_any_token) {
  // RFC 4475 §3.1.2.16: the 505 is the UAS's decision, not the parser's.
  expect_ok(parse_via, "SIP/7.0/UDP c.example.com;branch=z9hG4bKkdjuw",
            [](const via& v, std::string_view) { EXPECT_EQ(v.protocol_version, "7.0"); });
}

TEST(via, rfc4475_odd_but_legal_branches) {
  // intmeth: every token character; esc02: '%' not an escape; badbranch:
  // the bare magic cookie still parses (RFC 4475 §3.2.1).
  expect_ok(parse_via, "SIP/2.0/TCP host1.example.com;branch=z9hG4bK-.!%66*_+`'~",
            [](const via& v, std::string_view) { EXPECT_EQ(v.branch, "z9hG4bK-.!%66*_+`'~"); });
  expect_ok(parse_via, "SIP/2.0/TCP host.example.com;branch=z9hG4bK209%fzsnel234",
            [](const via& v, std::string_view) { EXPECT_EQ(v.branch, "z9hG4bK209%fzsnel234"); });
  expect_ok(parse_via, "SIP/2.0/UDP 192.0.2.1;branch=z9hG4bK",
            [](const via& v, std::string_view) { EXPECT_EQ(v.branch, "z9hG4bK"); });
  // longreq: a very long branch after received.
  expect_ok(
      parse_via,
      "SIP/2.0/TCP host.example.com;received=192.0.2.5;branch=verylonglonglonglonglonglonglonglon"
      "glonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongl"
      "onglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglonglongbranchvalue",
      [](const via& v, std::string_view) {
        EXPECT_EQ(v.received, "192.0.2.5");
        EXPECT_EQ(v.branch.size(), 215u);
        EXPECT_TRUE(v.branch.ends_with("branchvalue"));
      });
}

TEST(via, sent_by_port_and_colon_with_sws) {
  expect_ok(parse_via, "SIP/2.0/UDP 192.0.2.1:5060;branch=z9hG4bKkdjuw2395",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.host, "192.0.2.1");
              EXPECT_EQ(v.port, 5060);
            });
  // COLON = SWS ":" SWS
  expect_ok(parse_via, "SIP/2.0/UDP host.example.com : 5070 ;branch=z9hG4bK1",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.host, "host.example.com");
              EXPECT_EQ(v.port, 5070);
              EXPECT_EQ(v.branch, "z9hG4bK1");
            });
  expect_ok(parse_via, "SIP/2.0/UDP h:0",
            [](const via& v, std::string_view) { EXPECT_EQ(v.port, 0); });
  expect_ok(parse_via, "SIP/2.0/UDP h:65535",
            [](const via& v, std::string_view) { EXPECT_EQ(v.port, 65535); });
}

TEST(via, rfc5118_ipv6_sent_by_keeps_brackets) {
  expect_ok(parse_via, "SIP/2.0/UDP [2001:db8::9:1]:6050;branch=z9hG4bKas3-111",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.host, "[2001:db8::9:1]");
              EXPECT_EQ(v.host_kind, host_type::ipv6);
              EXPECT_EQ(v.port, 6050);
            });
  // RFC 5118 §4.9: IPv4-mapped, port outside the brackets.
  expect_ok(parse_via, "SIP/2.0/UDP [::ffff:192.0.2.10]:19823;branch=z9hG4bKbh19",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.host, "[::ffff:192.0.2.10]");
              EXPECT_EQ(v.port, 19823);
            });
  // RFC 5118 §4.7
  expect_ok(parse_via, "SIP/2.0/TCP [2001:db8::9:255];branch=z9hG4bK451jj;received=192.0.2.200",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.host_kind, host_type::ipv6);
              EXPECT_EQ(v.received, "192.0.2.200");
            });
}

TEST(via, rfc5118_received_with_or_without_brackets) {
  // RFC 5118 §4.5
  expect_ok(parse_via,
            "SIP/2.0/UDP [2001:db8::9:1];received=[2001:db8::9:255];branch=z9hG4bKas3-111",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.received, "[2001:db8::9:255]");
              EXPECT_EQ(v.branch, "z9hG4bKas3-111");
            });
  expect_ok(parse_via, "SIP/2.0/UDP [2001:db8::9:1];received=2001:db8::9:255;branch=z9hG4bKas3",
            [](const via& v, std::string_view) { EXPECT_EQ(v.received, "2001:db8::9:255"); });
  // RFC 4475 scalarlg
  expect_ok(parse_via,
            "SIP/2.0/TCP host129.example.com;branch=z9hG4bKzzxdiwo34sw;received=192.0.2.129",
            [](const via& v, std::string_view) { EXPECT_EQ(v.received, "192.0.2.129"); });
}

TEST(via, received_errors_point_at_the_value) {
  // A host name, a bracketed IPv4 address and a bad IPv6 address are not
  // via-received.
  expect_error(parse_via, "SIP/2.0/UDP h;received=example.com", parse_errc::bad_param, 23);
  expect_error(parse_via, "SIP/2.0/UDP h;received=[192.0.2.1]", parse_errc::bad_param, 23);
  expect_error(parse_via, "SIP/2.0/UDP h;received=1:2:3:4:5:6:7:8:9", parse_errc::bad_param, 23);
  expect_error(parse_via, "SIP/2.0/UDP h;received=192.0.2.256", parse_errc::bad_param, 23);
  expect_error(parse_via, "SIP/2.0/UDP h;received", parse_errc::bad_param, 14);
}

TEST(via, rfc3581_rport_with_and_without_value) {
  // RFC 4475 mpart01 carries a bare rport.
  expect_ok(parse_via,
            "SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-;rport",
            [](const via& v, std::string_view) {
              EXPECT_TRUE(v.has_rport);
              EXPECT_FALSE(v.rport.has_value());
              EXPECT_EQ(v.branch, "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-");
            });
  expect_ok(parse_via,
            "SIP/2.0/UDP 10.1.1.1:4540;received=192.0.2.1;rport=9988;branch=z9hG4bKkjshdyff",
            [](const via& v, std::string_view) {
              EXPECT_TRUE(v.has_rport);
              EXPECT_EQ(v.rport, 9988);
              EXPECT_EQ(v.received, "192.0.2.1");
            });
  expect_error(parse_via, "SIP/2.0/UDP h;rport=65536", parse_errc::bad_param, 20);
  expect_error(parse_via, "SIP/2.0/UDP h;rport=123456", parse_errc::bad_param, 20);
  expect_error(parse_via, "SIP/2.0/UDP h;rport=x1", parse_errc::bad_param, 20);
  // "rport=" with no value is not a generic-param: fails where the value should be.
  expect_error(parse_via, "SIP/2.0/UDP h;rport=", parse_errc::bad_param, 20);
}

TEST(via, maddr_and_ttl) {
  expect_ok(parse_via, "SIP/2.0/UDP h;maddr=224.2.0.1;ttl=16", [](const via& v, std::string_view) {
    EXPECT_EQ(v.maddr, "224.2.0.1");
    EXPECT_EQ(v.ttl, 16);
  });
  expect_ok(parse_via, "SIP/2.0/UDP h;maddr=[2001:db8::1];ttl=0",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.maddr, "[2001:db8::1]");
              EXPECT_EQ(v.ttl, 0);
            });
  expect_ok(parse_via, "SIP/2.0/UDP h;ttl=255",
            [](const via& v, std::string_view) { EXPECT_EQ(v.ttl, 255); });
  expect_error(parse_via, "SIP/2.0/UDP h;ttl=256", parse_errc::bad_param, 18);
  expect_error(parse_via, "SIP/2.0/UDP h;ttl=0001", parse_errc::bad_param, 18);
  expect_error(parse_via, "SIP/2.0/UDP h;ttl=ab", parse_errc::bad_param, 18);
  expect_error(parse_via, "SIP/2.0/UDP h;maddr=bad_host", parse_errc::bad_param, 20);
  expect_error(parse_via, "SIP/2.0/UDP h;maddr", parse_errc::bad_param, 14);
}

TEST(via, branch_must_be_a_token) {
  expect_error(parse_via, "SIP/2.0/UDP h;branch=\"z9hG4bK1\"", parse_errc::bad_param, 21);
  expect_error(parse_via, "SIP/2.0/UDP h;branch=[::1]", parse_errc::bad_param, 21);
  expect_error(parse_via, "SIP/2.0/UDP h;branch", parse_errc::bad_param, 14);
}

TEST(via, known_param_names_are_case_insensitive_and_first_wins) {
  expect_ok(parse_via, "SIP/2.0/UDP h;BRANCH=z9hG4bKa;Received=192.0.2.1;RPORT=7;branch=z9hG4bKb",
            [](const via& v, std::string_view) {
              EXPECT_EQ(v.branch, "z9hG4bKa");
              EXPECT_EQ(v.received, "192.0.2.1");
              EXPECT_EQ(v.rport, 7);
            });
  // A later duplicate is still checked.
  expect_error(parse_via, "SIP/2.0/UDP h;ttl=1;ttl=999", parse_errc::bad_param, 24);
}

TEST(via, generic_params_kept_in_order) {
  expect_ok(parse_via, "SIP/2.0/UDP h;branch=z9hG4bK1;x-unknown=\"q v\";flag;ip=[2001:db8::1]",
            [](const via& v, std::string_view in) {
              std::vector<param> ps(v.params.begin(), v.params.end());
              ASSERT_EQ(ps.size(), 4u);
              EXPECT_EQ(ps[0].name, "branch");
              EXPECT_EQ(ps[1].name, "x-unknown");
              EXPECT_EQ(ps[1].value, "\"q v\"");
              EXPECT_EQ(ps[1].unquoted(), "q v");
              EXPECT_EQ(ps[2].name, "flag");
              EXPECT_FALSE(ps[2].has_value);
              EXPECT_EQ(ps[3].value, "[2001:db8::1]");
              for (const param& p : ps) EXPECT_TRUE(within(in, p.name));
            });
}

TEST(via, surrounding_lws_is_skipped) {
  expect_ok(parse_via, "  SIP/2.0/UDP h ; branch = z9hG4bKx  ", [](const via& v, std::string_view) {
    EXPECT_EQ(v.host, "h");
    EXPECT_EQ(v.branch, "z9hG4bKx");
  });
}

TEST(via, rfc4475_badinv01_empty_params_and_elements) {
  // RFC 4475 §3.1.2.1: "Via: SIP/2.0/UDP 192.0.2.15;;,;,,"
  constexpr std::string_view value = "SIP/2.0/UDP 192.0.2.15;;,;,,";
  expect_error(parse_via, value, parse_errc::bad_param, 23);
  expect_error(validate_via_list, value, parse_errc::bad_param, 23);
  expect_error(parse_via, "SIP/2.0/UDP 192.0.2.15;", parse_errc::bad_param, 23);
  expect_error(parse_via, "SIP/2.0/UDP 192.0.2.15;=x", parse_errc::bad_param, 23);
}

TEST(via, list_rejects_empty_elements) {
  expect_error(validate_via_list, "SIP/2.0/UDP a.example.com, ,SIP/2.0/UDP b",
               parse_errc::bad_header_value, 27);
  expect_error(validate_via_list, "SIP/2.0/UDP a.example.com,", parse_errc::bad_header_value, 26);
  expect_error(validate_via_list, ",SIP/2.0/UDP a.example.com", parse_errc::bad_header_value, 0);
  expect_error(validate_via_list, "", parse_errc::bad_header_value, 0);
  // An error in a later element is placed within the whole value.
  expect_error(validate_via_list, "SIP/2.0/UDP a, SIP/2.0/UDP b;ttl=300", parse_errc::bad_param,
               33);
  expect_ok(validate_via_list,
            "SIP/2.0/UDP a;branch=z9hG4bK1,SIP/2.0/TCP [2001:db8::1]:5061;x=\"a,b\"",
            [](std::size_t n, std::string_view) { EXPECT_EQ(n, 2u); });
}

TEST(via, sent_protocol_errors) {
  expect_error(parse_via, "", parse_errc::bad_header_value, 0);
  expect_error(parse_via, "   ", parse_errc::bad_header_value, 3);
  expect_error(parse_via, "SIP", parse_errc::bad_header_value, 3);
  expect_error(parse_via, "SIP/2.0", parse_errc::bad_header_value, 7);
  expect_error(parse_via, "SIP/2.0/", parse_errc::bad_header_value, 8);
  expect_error(parse_via, "SIP//UDP h", parse_errc::bad_header_value, 4);
  expect_error(parse_via, "SIP/2.0/UDP", parse_errc::bad_header_value, 11);
  // '.' is a token character: the transport runs on and sent-by is missing.
  expect_error(parse_via, "SIP/2.0/UDPh.example.com", parse_errc::bad_header_value, 24);
  expect_error(parse_via, "SIP/2.0/UDP  ", parse_errc::bad_header_value, 13);
  expect_error(parse_via, "SIP/2.0\\UDP h", parse_errc::bad_header_value, 7);
}

TEST(via, sent_by_errors) {
  // RFC 5118 §4.5: sent-by needs an IPv6reference (brackets).
  expect_error(parse_via, "SIP/2.0/UDP 2001:db8::1;branch=z9hG4bK1", parse_errc::bad_header_value,
               12);
  expect_error(parse_via, "SIP/2.0/UDP [2001:db8::1;branch=z9hG4bK1", parse_errc::bad_header_value,
               12);
  expect_error(parse_via, "SIP/2.0/UDP [example.com]", parse_errc::bad_header_value, 12);
  expect_error(parse_via, "SIP/2.0/UDP -bad.example.com", parse_errc::bad_header_value, 12);
  expect_error(parse_via, "SIP/2.0/UDP host:", parse_errc::bad_header_value, 17);
  expect_error(parse_via, "SIP/2.0/UDP host:65536", parse_errc::bad_header_value, 17);
  expect_error(parse_via, "SIP/2.0/UDP host:123456", parse_errc::bad_header_value, 17);
  expect_error(parse_via, "SIP/2.0/UDP host extra", parse_errc::bad_header_value, 17);
  expect_error(parse_via, "SIP/2.0/UDP host_name", parse_errc::bad_header_value, 16);
  // An unsplit list: the ',' is left over.
  expect_error(parse_via, "SIP/2.0/UDP h;branch=z9hG4bK1,SIP/2.0/UDP b",
               parse_errc::bad_header_value, 29);
}

TEST(via, unterminated_quoted_param_value) {
  expect_error(parse_via, "SIP/2.0/UDP h;x=\"abc", parse_errc::bad_param, 16);
}

}  // namespace
}  // namespace sipua
