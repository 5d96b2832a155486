// What the conformance test expects of each vector, beyond the manifest's
// one-word verdict: the key fields of every valid message (read from the
// .dat files and the RFC text), where and how each invalid one is rejected,
// the uas_check verdicts per role, and the decision taken for each
// ambiguous one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sipua/message/message.hpp"
#include "sipua/message/validate.hpp"

namespace sipua::conformance {

/// Key fields of a message that parses and validates.
struct key_fields {
  std::string method;       ///< requests; empty for a response
  int status = 0;           ///< responses
  std::string request_uri;  ///< requests
  std::string call_id;
  std::uint32_t cseq_number = 0;
  std::string cseq_method;
  std::string via_branch;   ///< top via-parm; empty when it has none
  std::string via_sent_by;  ///< host[:port] as written
  std::string from_uri;
  std::optional<std::string> from_tag;  ///< nullopt: no tag parameter
  std::string to_uri;
  std::optional<std::string> to_tag;
  std::optional<std::uint32_t> content_length;  ///< nullopt: no Content-Length
  std::size_t body_size = 0;
};

enum class stage { parse, validate };

/// Where and how an invalid message is rejected.
struct rejection {
  stage where = stage::parse;
  parse_errc code = parse_errc::ok;
  std::string header;  ///< the error's header name ("" for start line / framing)
};

/// uas_check (receive_check) outcome for one role.
struct verdict_expect {
  uas_role role = uas_role::endpoint;
  verdict_action action = verdict_action::accept;
  int status = 0;                        ///< respond only
  std::vector<std::string> unsupported;  ///< 420 only
  /// Added to policy_for(role) for this check.
  std::vector<std::string> extra_methods;
  std::vector<std::string> extra_body_types;
};

struct vector_expectation {
  std::string file;
  /// Without `reject` the message must parse and validate; `fields` then
  /// gives its key fields (every valid row has them).
  std::optional<key_fields> fields;
  std::optional<rejection> reject;       ///< the message is rejected
  std::vector<verdict_expect> verdicts;  ///< checked when it validates
  /// Further checks of a parsed and validated message (gtest EXPECTs).
  void (*extra)(const message&) = nullptr;
  /// Why an ambiguous or lenient case is decided the way it is.
  std::string decision;
};

/// The RFC 5118 rows (exact LF files and their CRLF wire forms).
std::vector<vector_expectation> rfc5118_rows();

/// The table, one entry per manifest row.
const std::vector<vector_expectation>& expectations();

/// The policy the test uses for a role: the defaults of uas_policy, with
/// the methods a registrar accepts (REGISTER, OPTIONS, CANCEL, ACK) for one.
uas_policy policy_for(uas_role role);

}  // namespace sipua::conformance
