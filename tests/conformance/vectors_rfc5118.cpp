// RFC 5118 rows: every message twice, the exact archive file (rfc5118/,
// bare LF, some without the empty line, two with a Content-Length larger
// than the body) and the wire form (rfc5118-crlf/). The key fields are the
// same but for Content-Length and the body size.
#include "vector_extras.hpp"
#include "vectors.hpp"

namespace sipua::conformance {
namespace {

struct rfc5118_case {
  std::string name;
  key_fields fields;  // content_length and body_size filled per variant
  std::uint32_t lf_content_length, lf_body;
  std::uint32_t crlf_content_length, crlf_body;
  uas_role role;
  void (*extra)(const message&) = nullptr;
};

verdict_expect accepts(uas_role role) { return {role, verdict_action::accept, 0, {}, {}, {}}; }

key_fields request(std::string method, std::string ruri, std::string call_id, std::uint32_t cseq,
                   std::string branch, std::string sent_by, std::string from_uri,
                   std::string from_tag, std::string to_uri,
                   std::optional<std::string> to_tag = std::nullopt) {
  key_fields f;
  f.method = method;
  f.request_uri = std::move(ruri);
  f.call_id = std::move(call_id);
  f.cseq_number = cseq;
  f.cseq_method = std::move(method);
  f.via_branch = std::move(branch);
  f.via_sent_by = std::move(sent_by);
  f.from_uri = std::move(from_uri);
  f.from_tag = std::move(from_tag);
  f.to_uri = std::move(to_uri);
  f.to_tag = std::move(to_tag);
  return f;
}

std::vector<rfc5118_case> cases() {
  const std::string cid = "SSG9559905523997077@hlau_4100";
  const std::string user = "sip:user@example.com";
  return {
      {"ipv6-good",
       request("REGISTER", "sip:[2001:db8::10]", cid, 98176, "z9hG4bKas3-111", "[2001:db8::9:1]",
               user, "81x2", user),
       0, 0, 0, 0, uas_role::registrar, extras::ipv6_good},
      {"port-ambiguous",
       request("REGISTER", "sip:[2001:db8::10:5070]", cid, 98176, "z9hG4bKas3-111",
               "[2001:db8::9:1]", user, "81x2", user),
       0, 0, 0, 0, uas_role::registrar, extras::port_ambiguous},
      {"port-unambiguous",
       request("REGISTER", "sip:[2001:db8::10]:5070", cid, 98176, "z9hG4bKas3-111",
               "[2001:db8::9:1]", user, "81x2", user),
       0, 0, 0, 0, uas_role::registrar, extras::port_unambiguous},
      {"via-received-param-with-delim",
       request("BYE", "sip:[2001:db8::10]", cid, 321, "z9hG4bKas3-111", "[2001:db8::9:1]", user,
               "81x2", user, "bd76ya"),
       0, 0, 0, 0, uas_role::endpoint, extras::received_with_delim},
      {"via-received-param-no-delim",
       request("OPTIONS", "sip:[2001:db8::10]", "SSG95523997077@hlau_4100", 921, "z9hG4bKas3",
               "[2001:db8::9:1]", user, "81x2", user),
       0, 0, 0, 0, uas_role::endpoint, extras::received_no_delim},
      {"ipv6-in-sdp",
       request("INVITE", "sip:user@[2001:db8::10]", cid, 8612, "z9hG4bKas3-111", "[2001:db8::20]",
               user, "81x2", "sip:user@[2001:db8::10]"),
       268, 242, 251, 251, uas_role::endpoint, extras::ipv6_in_sdp},
      {"mult-ip-in-header",
       request("BYE", "sip:user@host.example.net", "997077@lau_4100", 89187, "z9hG4bKas3-111",
               "[2001:db8::9:1]:6050", user, "81x2", "sip:user@example.net", "9817--94"),
       0, 0, 0, 0, uas_role::endpoint, extras::mult_ip_in_header},
      {"mult-ip-in-sdp",
       request("INVITE", "sip:user@[2001:db8::10]", cid, 8912, "z9hG4bKas3-111", "[2001:db8::9:1]",
               user, "81x2", "sip:user@[2001:db8::10]"),
       181, 180, 189, 189, uas_role::endpoint, extras::mult_ip_in_sdp},
      {"ipv4-mapped-ipv6",
       request("INVITE", "sip:user@example.com", cid, 612, "z9hG4bKbh19",
               "[::ffff:192.0.2.10]:19823", "sip:user@east.example.com", "81x2", user),
       236, 236, 245, 245, uas_role::endpoint, extras::ipv4_mapped_ipv6},
      {"ipv6-bug-abnf-3-colons",
       request("OPTIONS", "sip:user@[2001:db8:::192.0.2.1]", "G9559905523997077@hlau_4100", 689,
               "z9hG4bKas3-111", "lab1.east.example.com", user, "810x2",
               "sip:user@[2001:db8:::192.0.2.1]"),
       0, 0, 0, 0, uas_role::endpoint, nullptr},
      {"ipv6-correct-abnf-2-colons",
       request("OPTIONS", "sip:user@[2001:db8::192.0.2.1]", "G9559905523997077@hlau_4100", 689,
               "z9hG4bKas3-111", "lab1.east.example.com", user, "810x2",
               "sip:user@[2001:db8::192.0.2.1]"),
       0, 0, 0, 0, uas_role::endpoint, nullptr},
  };
}

}  // namespace

std::vector<vector_expectation> rfc5118_rows() {
  std::vector<vector_expectation> rows;
  for (const rfc5118_case& c : cases()) {
    key_fields lf = c.fields;
    lf.content_length = c.lf_content_length;
    lf.body_size = c.lf_body;
    key_fields crlf = c.fields;
    crlf.content_length = c.crlf_content_length;
    crlf.body_size = c.crlf_body;
    rows.push_back(
        {"rfc5118/" + c.name + ".dat", lf, std::nullopt, {accepts(c.role)}, c.extra, {}});
    rows.push_back(
        {"rfc5118-crlf/" + c.name + ".dat", crlf, std::nullopt, {accepts(c.role)}, c.extra, {}});
  }
  // RFC 5118 §4.2: an IPv6 address without brackets is not a host.
  const rejection bad{stage::validate, parse_errc::bad_request_uri, ""};
  rows.push_back({"rfc5118/ipv6-bad.dat", std::nullopt, bad, {}, nullptr, {}});
  rows.push_back({"rfc5118-crlf/ipv6-bad.dat", std::nullopt, bad, {}, nullptr, {}});
  return rows;
}

}  // namespace sipua::conformance
