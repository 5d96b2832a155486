// The expectation table. Key fields were read from the .dat files and
// checked against the "Message Details" of RFC 4475 §3 and RFC 5118 §4.
#include "vectors.hpp"

#include <initializer_list>
#include <string_view>

#include "vector_extras.hpp"

namespace sipua::conformance {
namespace {

// Concatenation by appending (operator+ chains trip a GCC 12 -Wrestrict
// false positive at -O2).
std::string cat(std::initializer_list<std::string_view> parts) {
  std::string out;
  for (std::string_view p : parts) out += p;
  return out;
}

std::string rep(std::string_view s, int n) {
  std::string out;
  for (int i = 0; i < n; ++i) out += s;
  return out;
}

constexpr auto endpoint = uas_role::endpoint;
constexpr auto proxy = uas_role::proxy;
constexpr auto registrar = uas_role::registrar;
constexpr auto accept = verdict_action::accept;
constexpr auto respond = verdict_action::respond;
constexpr auto drop = verdict_action::drop;

verdict_expect accepts(uas_role role) { return {role, accept, 0, {}, {}, {}}; }
verdict_expect answers(uas_role role, int status) { return {role, respond, status, {}, {}, {}}; }
verdict_expect drops(uas_role role) { return {role, drop, 0, {}, {}, {}}; }

rejection at_parse(parse_errc code, std::string header = {}) {
  return {stage::parse, code, std::move(header)};
}
rejection at_validate(parse_errc code, std::string header) {
  return {stage::validate, code, std::move(header)};
}

std::vector<vector_expectation> rfc4475_valid() {
  return {
      {"rfc4475/wsinv.dat",
       key_fields{"INVITE", 0, "sip:vivekg@chair-dnrc.example.com;unknownparam",
                  "wsinv.ndaksdj@192.0.2.1", 9, "INVITE", "390skdjuw", "192.0.2.2",
                  "sip:jdrosen@example.com", "98asjd8", "sip:vivekg@chair-dnrc.example.com",
                  "1918181833n", 150, 150},
       {},
       {accepts(endpoint), accepts(proxy)},
       extras::wsinv,
       {}},
      {"rfc4475/intmeth.dat",
       key_fields{"!interesting-Method0123456789_*+`.%indeed'~", 0,
                  "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/"
                  ";;*:&it+has=1,weird!*pas$wo~d_too.(doesn't-it)"
                  "@example.com",
                  "intmeth.word%ZK-!.*_+'@word`~)(><:\\/\"][?}{", 139122385,
                  "!interesting-Method0123456789_*+`.%indeed'~", "z9hG4bK-.!%66*_+`'~",
                  "host1.example.com", "sip:mundane@example.com", "_token~1'+`*%!-.",
                  "sip:1_unusual.URI~(to-be!sure)&isn't+it$/crazy?,/;;*@example.com", std::nullopt,
                  0, 0},
       {},
       {answers(endpoint, 501), accepts(proxy)},
       extras::intmeth,
       {}},
      {"rfc4475/esc01.dat",
       key_fields{"INVITE", 0, "sip:sips%3Auser%40example.com@example.net",
                  "esc01.239409asdfakjkn23onasd0-3234", 234234, "INVITE", "z9hG4bKkdjuw",
                  "host5.example.net", "sip:I%20have%20spaces@example.net", "938",
                  "sip:%75se%72@example.com", std::nullopt, 150, 150},
       {},
       {accepts(endpoint)},
       extras::esc01,
       {}},
      {"rfc4475/escnull.dat",
       key_fields{"REGISTER", 0, "sip:example.com", "escnull.39203ndfvkjdasfkq3w4otrq0adsfdfnavd",
                  14398234, "REGISTER", "z9hG4bKkdjuw", "host5.example.com",
                  "sip:null-%00-null@example.com", "839923423", "sip:null-%00-null@example.com",
                  std::nullopt, 0, 0},
       {},
       {accepts(registrar), answers(endpoint, 405)},
       extras::escnull,
       {}},
      {"rfc4475/esc02.dat",
       key_fields{"RE%47IST%45R", 0, "sip:registrar.example.com",
                  "esc02.asdfnqwo34rq23i34jrjasdcnl23nrlknsdf", 29344, "RE%47IST%45R",
                  "z9hG4bK209%fzsnel234", "host.example.com", "sip:resource@example.com",
                  "f232jadfj23", "sip:resource@example.com", std::nullopt, 0, 0},
       {},
       {answers(endpoint, 501), answers(registrar, 501), accepts(proxy)},
       extras::esc02,
       {}},
      {"rfc4475/lwsdisp.dat",
       key_fields{"OPTIONS", 0, "sip:user@example.com", "lwsdisp.1234abcd@funky.example.com", 60,
                  "OPTIONS", "z9hG4bKkdjuw", "funky.example.com", "sip:caller@example.com", "323",
                  "sip:user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(endpoint)},
       extras::lwsdisp,
       {}},
  };
}

std::vector<vector_expectation> rfc4475_valid_2() {
  return {
      {"rfc4475/longreq.dat",
       key_fields{
           "INVITE", 0, "sip:user@example.com",
           cat({"longreq.one", rep("really", 20), "longcallid"}), 3882340, "INVITE", "",
           "sip33.example.com", cat({"sip:", rep("amazinglylongcallername", 5), "@example.net"}),
           cat({"1", rep("298", 50), "2424"}),
           cat({"sip:user@example.com:6000;unknownparam1=very", rep("long", 20), "value;longparam",
                rep("name", 25), "=shortvalue;very", rep("long", 25), "ParameterNameWithNoValue"}),
           std::nullopt, 150, 150},
       {},
       {accepts(endpoint)},
       extras::longreq,
       {}},
      {"rfc4475/dblreq.dat",
       key_fields{"REGISTER", 0, "sip:example.com", "dblreq.0ha0isndaksdj99sdfafnl3lk233412", 8,
                  "REGISTER", "z9hG4bKkdjuw23492", "192.0.2.125", "sip:j.user@example.com",
                  "43251j3j324", "sip:j.user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(registrar)},
       extras::dblreq,
       {}},
      {"rfc4475/semiuri.dat",
       key_fields{"OPTIONS", 0, "sip:user;par=u%40example.net@example.com", "semiuri.0ha0isndaksdj",
                  8, "OPTIONS", "z9hG4bKkdjuw", "192.0.2.1", "sip:caller@example.org", "33242",
                  "sip:j_user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(endpoint)},
       extras::semiuri,
       {}},
      {"rfc4475/transports.dat",
       key_fields{"OPTIONS", 0, "sip:user@example.com", "transports.kijh4akdnaqjkwendsasfdj", 60,
                  "OPTIONS", "z9hG4bKkdjuw", "t1.example.com", "sip:caller@example.com", "323",
                  "sip:user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(endpoint)},
       extras::transports,
       {}},
      {"rfc4475/mpart01.dat",
       key_fields{
           "MESSAGE", 0, "sip:kumiko@example.org", "3d9485ad0c49859b@Zmx1ZmZ5LW1hYy0xNi5sb2NhbA..",
           1, "MESSAGE", "z9hG4bK-d87543-4dade06d0bdb11ee-1--d87543-", "127.0.0.1:5070",
           "sip:fluffy@example.com", "2fb0dcc9", "sip:kumiko@example.org", std::nullopt, 553, 553},
       {},
       {answers(endpoint, 405),  // MESSAGE is not in the default allowed methods
        {endpoint, respond, 415, {}, {"MESSAGE"}, {}},
        {endpoint, accept, 0, {}, {"MESSAGE"}, {"multipart/mixed"}}},
       extras::mpart01,
       {}},
  };
}

std::vector<vector_expectation> rfc4475_valid_3() {
  return {
      {"rfc4475/unreason.dat",
       key_fields{"", 200, "", "unreason.1234ksdfak3j2erwedfsASdf", 35, "INVITE", "z9hG4bK1324923",
                  "192.0.2.198", "sip:user@example.com", "11141343", "sip:user@example.edu", "2229",
                  154, 154},
       {},
       {accepts(endpoint), accepts(proxy)},
       extras::unreason,
       {}},
      {"rfc4475/noreason.dat",
       key_fields{"", 100, "", "noreason.asndj203insdf99223ndf", 35, "INVITE", "z9hG4bK2398ndaoe",
                  "192.0.2.105", "sip:user@example.com", "39ansfi3", "sip:user@example.edu",
                  "902jndnke3", 0, 0},
       {},
       {accepts(endpoint)},
       extras::noreason,
       {}},
      {"rfc4475/regaut01.dat",
       key_fields{"REGISTER", 0, "sip:example.com", "regaut01.0ha0isndaksdj", 9338, "REGISTER",
                  "z9hG4bKkdjuw", "192.0.2.253", "sip:j.user@example.com", "87321hj23128",
                  "sip:j.user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(registrar), answers(endpoint, 405), accepts(proxy)},
       extras::regaut01,
       {}},
      {"rfc4475/cparam01.dat",
       key_fields{"REGISTER", 0, "sip:example.com", "cparam01.70710@saturn.example.com", 2,
                  "REGISTER", "z9hG4bKkdjuw", "saturn.example.com:5060", "sip:watson@example.com",
                  "DkfVgjkrtMwaerKKpe", "sip:watson@example.com", std::nullopt, 0, 0},
       {},
       {accepts(registrar)},
       extras::cparam01,
       {}},
      {"rfc4475/cparam02.dat",
       key_fields{"REGISTER", 0, "sip:example.com", "cparam02.70710@saturn.example.com", 3,
                  "REGISTER", "z9hG4bKkdjuw", "saturn.example.com:5060", "sip:watson@example.com",
                  "838293", "sip:watson@example.com", std::nullopt, 0, 0},
       {},
       {accepts(registrar)},
       extras::cparam02,
       {}},
      {"rfc4475/regescrt.dat",
       key_fields{"REGISTER", 0, "sip:example.com", "regescrt.k345asrl3fdbv@192.0.2.1", 14398234,
                  "REGISTER", "z9hG4bKkdjuw", "host5.example.com", "sip:user@example.com", "8",
                  "sip:user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(registrar)},
       extras::regescrt,
       {}},
      {"rfc4475/inv2543.dat",
       key_fields{"INVITE", 0, "sip:UserB@example.com", "inv2543.1717@ift.client.example.com", 56,
                  "INVITE", "", "iftgw.example.com",
                  "sip:+13035551111@ift.client.example.net;user=phone", std::nullopt,
                  // Unbracketed: ";user=phone" is a to-param, not in the URI (RFC 3261 §20).
                  "sip:+16505552222@ss1.example.net", std::nullopt, std::nullopt, 105},
       {},
       {accepts(endpoint)},
       extras::inv2543,
       {}},
  };
}

std::vector<vector_expectation> rfc4475_invalid() {
  return {
      {"rfc4475/badinv01.dat", {}, at_validate(parse_errc::bad_param, "Via"), {}, nullptr, {}},
      {"rfc4475/clerr.dat", {}, at_parse(parse_errc::body_truncated), {}, nullptr, {}},
      {"rfc4475/ncl.dat",
       {},
       at_parse(parse_errc::bad_content_length, "Content-Length"),
       {},
       nullptr,
       {}},
      // The first error in message order is the CSeq (before Max-Forwards 300
      // and the huge Expires), which is what the RFC says to reject on.
      {"rfc4475/scalar02.dat", {}, at_validate(parse_errc::bad_number, "CSeq"), {}, nullptr, {}},
      {"rfc4475/scalarlg.dat", {}, at_validate(parse_errc::bad_number, "CSeq"), {}, nullptr, {}},
      {"rfc4475/quotbal.dat",
       {},
       at_validate(parse_errc::bad_quoted_string, "To"),
       {},
       nullptr,
       {}},
      {"rfc4475/ltgtruri.dat", {}, at_parse(parse_errc::bad_request_uri), {}, nullptr, {}},
      {"rfc4475/lwsruri.dat", {}, at_parse(parse_errc::bad_request_uri), {}, nullptr, {}},
      {"rfc4475/lwsstart.dat",
       {},
       at_parse(parse_errc::bad_request_line),
       {},
       nullptr,
       "strict: the second SP leaves an empty Request-URI (RFC 4475 §3.1.2.9 says rejecting is "
       "acceptable)"},
      {"rfc4475/trws.dat",
       {},
       at_parse(parse_errc::bad_version),
       {},
       nullptr,
       "strict: \"SIP/2.0  \" is not a SIP-Version (RFC 4475 §3.1.2.10 says rejecting is "
       "acceptable)"},
      {"rfc4475/escruri.dat",
       {},
       at_validate(parse_errc::bad_request_uri, ""),
       {},
       nullptr,
       "strict: headers in a SIP Request-URI are rejected (RFC 3261 §19.1.1 Table 1), not ignored"},
      {"rfc4475/regbadct.dat",
       {},
       at_validate(parse_errc::bad_uri, "Contact"),
       {},
       nullptr,
       "strict: no '<>' is inferred around an addr-spec with '?'"},
      {"rfc4475/badaspec.dat",
       {},
       at_validate(parse_errc::bad_uri, "To"),
       {},
       nullptr,
       "strict: the spaces inside '< sip:... >' are not ignored"},
      // The archive file has no empty line after the headers: strict framing
      // rejects it first; extras::baddn shows the display names are rejected
      // too when that is allowed.
      {"rfc4475/baddn.dat", {}, at_parse(parse_errc::incomplete_headers), {}, nullptr, {}},
      {"rfc4475/bigcode.dat", {}, at_parse(parse_errc::bad_status_code), {}, nullptr, {}},
      {"rfc4475/mcl01.dat",
       {},
       at_parse(parse_errc::conflicting_content_length, "Content-Length"),
       {},
       nullptr,
       {}},
  };
}

std::vector<vector_expectation> rfc4475_semantic() {
  auto semantic = [](std::string file, std::vector<verdict_expect> v) {
    return vector_expectation{std::move(file), std::nullopt, std::nullopt,
                              std::move(v),    nullptr,      {}};
  };
  return {
      semantic("rfc4475/badvers.dat", {answers(endpoint, 505), answers(proxy, 505)}),
      semantic("rfc4475/mismatch01.dat", {answers(endpoint, 400), answers(proxy, 400)}),
      // RFC 4475 §3.1.2.18: 501 preferred over 400 (the manifest's note).
      semantic("rfc4475/mismatch02.dat", {answers(endpoint, 501), answers(proxy, 501)}),
      semantic("rfc4475/insuf.dat", {answers(endpoint, 400), answers(proxy, 400)}),
      semantic("rfc4475/unkscm.dat", {answers(endpoint, 416), answers(proxy, 416)}),
      semantic("rfc4475/novelsc.dat", {answers(endpoint, 416), answers(proxy, 416)}),
      semantic("rfc4475/unksm2.dat", {answers(registrar, 400), accepts(proxy)}),
      semantic(
          "rfc4475/bext01.dat",
          {{endpoint, respond, 420, {"nothingSupportsThis", "nothingSupportsThisEither"}, {}, {}},
           {proxy, respond, 420, {"noProxiesSupportThis", "norDoAnyProxiesSupportThis"}, {}, {}}}),
      semantic("rfc4475/invut.dat", {answers(endpoint, 415), accepts(proxy)}),
      semantic("rfc4475/multi01.dat", {answers(endpoint, 400), answers(proxy, 400)}),
      semantic("rfc4475/bcast.dat", {drops(endpoint), drops(proxy)}),
      semantic("rfc4475/zeromf.dat", {answers(proxy, 483), accepts(endpoint)}),
      semantic("rfc4475/sdp01.dat", {answers(endpoint, 406), accepts(proxy)}),
  };
}

std::vector<vector_expectation> rfc4475_ambiguous() {
  return {
      {"rfc4475/baddate.dat",
       {},
       at_validate(parse_errc::bad_header_value, "Date"),
       {},
       nullptr,
       "strict: a Date not in GMT is rejected (400); validate_options::allow_malformed_date "
       "accepts it "
       "(extras::baddate)"},
      {"rfc4475/badbranch.dat",
       key_fields{"OPTIONS", 0, "sip:user@example.com", "badbranch.sadonfo23i420jv0as0derf3j3n", 8,
                  "OPTIONS", "z9hG4bK", "192.0.2.1", "sip:caller@example.org", "33242",
                  "sip:user@example.com", std::nullopt, 0, 0},
       {},
       {accepts(endpoint)},
       nullptr,
       "accepted: the branch \"z9hG4bK\" is a token; whether it identifies a transaction (RFC 3261 "
       "§17.2.3 or "
       "RFC 2543 matching) is the transaction layer's call"},
      {"rfc4475/archive-only/test.dat",
       {},
       at_parse(parse_errc::bad_request_line),
       {},
       nullptr,
       "rejected: the Request-Line has no SIP-Version (RFC 3261 §25.1)"},
  };
}

}  // namespace

const std::vector<vector_expectation>& expectations() {
  static const std::vector<vector_expectation> table = [] {
    std::vector<vector_expectation> t;
    for (auto part : {rfc4475_valid(), rfc4475_valid_2(), rfc4475_valid_3(), rfc4475_invalid(),
                      rfc4475_semantic(), rfc4475_ambiguous(), rfc5118_rows()})
      for (auto& e : part) t.push_back(std::move(e));
    return t;
  }();
  return table;
}

uas_policy policy_for(uas_role role) {
  uas_policy p;
  p.role = role;
  if (role == uas_role::registrar) p.allowed_methods = {"REGISTER", "OPTIONS", "CANCEL", "ACK"};
  return p;
}

}  // namespace sipua::conformance
