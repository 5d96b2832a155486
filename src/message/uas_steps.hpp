// Internals of uas_check, shared by uas_check.cpp and uas_content.cpp.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/validate.hpp"

namespace sipua::detail {

/// A step's verdict when its check decides, else nullopt.
using step_result = std::optional<uas_verdict>;

/// A respond verdict with default_reason(status).
uas_verdict respond(int status, std::string_view header, std::string_view rule);

/// Whether `names` holds `s` (byte for byte, or case-insensitively).
bool contains(const std::vector<std::string>& names, std::string_view s, bool case_sensitive);

/// §7.4.1 / §8.2.3: Content-Type present for a body, body type and
/// encodings understood unless the body is optional (endpoint, registrar).
step_result check_content(const message& m, const uas_policy& p);

/// §20.1 / §21.4.7: the response body type is acceptable to the UAC
/// (endpoint, registrar; INVITE, or UPDATE/PRACK with a body).
step_result check_accept(const message& m, const uas_policy& p);

}  // namespace sipua::detail
