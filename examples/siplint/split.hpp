// siplint --split: several messages in one input, framed as on a stream
// transport by sipua::stream_framer (RFC 3261 §18.3: each message needs
// Content-Length; CRLF keep-alives between messages, RFC 5626 §3.5.1, are
// skipped).
#pragma once

#include <ostream>
#include <string_view>

#include "report.hpp"

namespace siplint {

/// Lints every message of `data` and writes one JSON line each to `out`.
/// A framing error ends the input: it is written as one more line (valid
/// false, the framer's error with its offset from the start of the input),
/// as is a stream that ends inside a message (code "truncated_stream").
/// Returns whether every message was valid and the stream was framed to its
/// end.
bool lint_stream(std::string_view file, std::string_view data, const lint_options& options,
                 std::ostream& out);

}  // namespace siplint
