// A minimal JSON writer for siplint: one object per line, built in a
// std::string. Strings are escaped so that any byte sequence gives valid
// JSON (RFC 8259):
// - '"' and '\' are escaped as \" and \\;
// - control characters (U+0000-U+001F) and DEL (0x7F) are written \u00XX;
// - well-formed UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing
//   above U+10FFFF) is copied as is;
// - every other byte (a stray continuation byte, a truncated or overlong
//   sequence, 0xC0, 0xC1, 0xF5-0xFF) is written \u00XX with XX the byte's
//   value. A reader therefore sees U+0080-U+00FF for such bytes; since
//   well-formed UTF-8 for those code points is always copied unescaped, an
//   escaped \u0080-\u00FF in siplint output always stands for a raw byte.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace siplint {

/// Appends `s` as a JSON string literal, quotes included.
void append_json_string(std::string& out, std::string_view s);

/// Writes the members of one JSON object into `out`:
///   json_object o{out}; o.field("a", 1).field("b", "x"); o.close();
/// Nested values: begin_object/begin_array return a writer on the same
/// string; close it before writing the next member of the outer object.
class json_object {
 public:
  explicit json_object(std::string& out) : out_(out) { out_ += '{'; }

  json_object& field(std::string_view key, std::string_view value);
  json_object& field(std::string_view key, const char* value) {
    return field(key, std::string_view{value});
  }
  json_object& field(std::string_view key, std::int64_t value);
  json_object& field(std::string_view key, int value) { return field(key, std::int64_t{value}); }
  json_object& field(std::string_view key, std::uint64_t value);
  json_object& field(std::string_view key, bool value);
  json_object& null_field(std::string_view key);
  /// Starts a nested object member.
  json_object begin_object(std::string_view key);
  /// Starts an array member: returns the string to write elements to; the
  /// caller writes '[' ... ']' itself through the helpers below.
  std::string& begin_raw(std::string_view key);
  void close() { out_ += '}'; }

 private:
  void key(std::string_view k);
  std::string& out_;
  bool first_ = true;
};

}  // namespace siplint
