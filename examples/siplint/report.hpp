// siplint's per-message report: parse, validate and check one message and
// write it as one JSON object (see main.cpp for the fields).
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "sipua/message/message.hpp"
#include "sipua/message/validate.hpp"

namespace siplint {

struct lint_options {
  sipua::parse_options parse;
  sipua::validate_options validate;
  sipua::uas_policy policy;
};

/// Lints one message (`data` is the whole datagram) and appends its JSON
/// object, without a newline, to `out`. `index` is the message's position in
/// a --split stream (omitted when nullopt). Returns whether it is valid
/// (parse_datagram and validate_syntax both succeeded).
bool lint_message(std::string& out, std::string_view file, std::optional<std::size_t> index,
                  std::string_view data, const lint_options& options);

/// Appends the JSON object for a stream that could not be framed (--split):
/// valid false and the framer's error.
void lint_framing_error(std::string& out, std::string_view file, std::size_t index,
                        const sipua::parse_error& error);

/// The enumerator name of a parse_errc ("bad_header_value" ...).
std::string_view errc_name(sipua::parse_errc code) noexcept;

}  // namespace siplint
