// Fuzz target for the stream framer (include/sipua/message/framer.hpp).
//
// Input layout:
//   byte 0      bits 0-3: how many split sizes follow (0-15; 0 = one piece)
//               bits 4-5: which limits to use (default or three small sets)
//   bytes 1..n  split sizes, each byte + 1 (1..256), used in turn
//   the rest    the stream
//
// The stream is framed twice, whole and in the chosen pieces (each piece in
// its own exact-size heap buffer, so ASan sees any over-read); the events
// must be the same (messages, pings, pongs, error code and offset), or the
// target traps. Every framed message goes through parse_datagram; when that
// accepts it, it must agree with the framer on where the message ends.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/message/framer.hpp"
#include "sipua/message/message.hpp"

namespace {

struct seen {
  sipua::framer_event kind;
  std::string bytes;
  sipua::parse_errc code;
  std::size_t offset;
  bool operator==(const seen&) const = default;
};

void check(bool ok) {
  if (!ok) __builtin_trap();
}

// Puts one piece from an exact-size heap copy, as a transport would.
void feed(sipua::stream_framer& f, std::string_view piece, std::vector<seen>& out) {
  if (f.failed() || piece.empty()) return;
  const std::unique_ptr<char[]> copy{new char[piece.size()]};
  std::memcpy(copy.get(), piece.data(), piece.size());
  std::string_view rest{copy.get(), piece.size()};
  for (;;) {
    const sipua::framer_result r = f.put(rest);
    check(r.consumed <= rest.size());
    check(f.buffered() <= f.limits().max_buffered);
    rest.remove_prefix(r.consumed);
    switch (r.event) {
      case sipua::framer_event::need_more: check(rest.empty()); return;
      case sipua::framer_event::error:
        check(r.consumed == 0 && f.failed());
        out.push_back({r.event, {}, r.error.code, r.error.offset});
        return;
      case sipua::framer_event::message:
        check(!r.message.empty() && r.message[0] != '\r' && r.message[0] != '\n');
        check(r.message.size() <= f.limits().max_buffered);
        [[fallthrough]];
      default:
        check(r.consumed > 0);
        out.push_back({r.event, std::string{r.message}, sipua::parse_errc::ok, 0});
    }
  }
}

sipua::framer_limits pick_limits(unsigned preset) {
  sipua::framer_limits l;
  switch (preset) {
    case 1:
      l.max_header_size = 64;
      l.max_body_size = 64;
      l.max_buffered = 128;
      break;
    case 2:
      l.max_header_size = 256;
      l.max_body_size = 16;
      l.max_buffered = 200;
      break;
    case 3:
      l.max_header_size = 2000;
      l.max_body_size = 1000;
      l.max_buffered = 100;
      break;
    default: break;
  }
  return l;
}

void check_parse(const std::string& framed) {
  sipua::message m;
  if (sipua::parse_datagram(framed, m)) return;  // rejected: fine, it is the parser's call
  // Accepted: both must have read the same Content-Length and header end.
  check(m.bytes().size() == framed.size());
  check(m.content_length().has_value() && *m.content_length() == m.body().size());
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  const unsigned n = data[0] & 0x0f;
  const sipua::framer_limits limits = pick_limits((data[0] >> 4) & 3);
  if (size < 1 + n) return 0;
  std::vector<std::size_t> sizes;
  for (unsigned i = 0; i < n; ++i) sizes.push_back(std::size_t{data[1 + i]} + 1);
  const std::string_view stream{reinterpret_cast<const char*>(data + 1 + n), size - 1 - n};

  sipua::stream_framer whole_framer{limits};
  std::vector<seen> whole;
  feed(whole_framer, stream, whole);

  sipua::stream_framer piece_framer{limits};
  std::vector<seen> pieces;
  std::size_t at = 0;
  for (std::size_t k = 0; at < stream.size(); ++k) {
    const std::size_t len = sizes.empty() ? stream.size() : sizes[k % sizes.size()];
    feed(piece_framer, stream.substr(at, len), pieces);
    at += len;
  }
  check(whole == pieces);

  for (const seen& s : whole)
    if (s.kind == sipua::framer_event::message) check_parse(s.bytes);
  return 0;
}
