#include "split.hpp"

#include <string>

#include "json.hpp"

#include "sipua/message/framer.hpp"

namespace siplint {
namespace {

void write_truncated(std::string& line, std::string_view file, std::size_t index,
                     std::size_t offset) {
  json_object o{line};
  o.field("file", file).field("index", static_cast<std::uint64_t>(index)).field("valid", false);
  json_object e = o.begin_object("error");
  e.field("code", "truncated_stream")
      .field("message", "the input ends inside a message")
      .field("offset", static_cast<std::uint64_t>(offset))
      .null_field("header")
      .field("status", 0);
  e.close();
  o.close();
}

}  // namespace

bool lint_stream(std::string_view file, std::string_view data, const lint_options& options,
                 std::ostream& out) {
  sipua::stream_framer framer;
  std::string line;
  std::size_t index = 0;
  bool all_valid = true;
  std::string_view rest = data;
  for (;;) {
    const sipua::framer_result r = framer.put(rest);
    rest.remove_prefix(r.consumed);
    line.clear();
    if (r.event == sipua::framer_event::message) {
      all_valid &= lint_message(line, file, index++, r.message, options);
    } else if (r.event == sipua::framer_event::error) {
      lint_framing_error(line, file, index, r.error);
      out << line << '\n';
      return false;
    } else if (r.event == sipua::framer_event::need_more) {
      if (!framer.in_message()) return all_valid;
      write_truncated(line, file, index, data.size());
      out << line << '\n';
      return false;
    } else {
      continue;  // ping / pong: keep-alives carry no message
    }
    out << line << '\n';
  }
}

}  // namespace siplint
