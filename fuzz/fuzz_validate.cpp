// Fuzz target for validate_syntax and receive_check (uas_check /
// uac_check) on whatever parse_datagram accepts.
// Properties checked (a violation traps):
// - a validate_syntax error's offset lies inside the input, its header name
//   (when set) views the input, and its status is 400 for a request and 0
//   for a response;
// - every verdict is well formed: accept has status 0, respond a status in
//   400..599 with a reason phrase, drop status 0; only responses, or
//   requests the role cannot answer, are dropped (never a request);
//   420 lists at least one option tag, each viewing the input;
// - the verdict does not depend on the role for a response beyond drop/accept.
// The first byte picks parse leniencies, so LF-only inputs are covered too.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipua/message/message.hpp"
#include "sipua/message/validate.hpp"

namespace {

void check_inside(std::string_view v, std::string_view in) {
  if (v.empty()) return;
  if (v.data() < in.data() || v.data() + v.size() > in.data() + in.size()) __builtin_trap();
}

void check_verdict(const sipua::uas_verdict& v, const sipua::message& m, std::string_view in) {
  switch (v.action) {
    case sipua::verdict_action::accept:
      if (v.status != 0) __builtin_trap();
      break;
    case sipua::verdict_action::respond:
      if (m.is_response() || v.status < 400 || v.status > 599 || v.reason.empty()) __builtin_trap();
      if (v.status == 420 && v.unsupported.empty()) __builtin_trap();
      break;
    case sipua::verdict_action::drop:
      if (m.is_request() || v.status != 0) __builtin_trap();
      break;
  }
  if (v.rule.empty() != v.accepted()) __builtin_trap();
  for (std::string_view t : v.unsupported) check_inside(t, in);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  sipua::parse_options options;
  options.allow_bare_lf = (data[0] & 1) != 0;
  options.allow_unterminated_headers = (data[0] & 2) != 0;
  options.allow_short_body = (data[0] & 4) != 0;
  const std::string_view in{reinterpret_cast<const char*>(data) + 1, size - 1};

  sipua::message m;
  if (sipua::parse_datagram(in, m, options)) return 0;
  sipua::validate_options vo;
  vo.allow_malformed_date = (data[0] & 8) != 0;
  const sipua::parse_error e = sipua::validate_syntax(m, vo);
  if (e) {
    if (e.offset > in.size()) __builtin_trap();
    check_inside(e.header, in);
    if (e.status != (m.is_request() ? 400 : 0)) __builtin_trap();
  }
  // uas_check must also cope with what validate_syntax rejected.
  sipua::uas_policy policy;
  policy.supported_option_tags = {"100rel", "timer"};
  for (auto role :
       {sipua::uas_role::endpoint, sipua::uas_role::proxy, sipua::uas_role::registrar}) {
    policy.role = role;
    check_verdict(sipua::receive_check(m, policy), m, in);
  }
  return 0;
}
