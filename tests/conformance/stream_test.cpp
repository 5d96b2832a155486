// The corpus through the stream framer (RFC 3261 §18.3 stream framing),
// each vector split at every offset into two exact-size buffers. For each
// split the framer must report the same events as for the whole input, and
// what it frames must agree with the datagram parser:
// - a framed message parses exactly as the datagram did (same error code,
//   or the same message bytes);
// - a framing error is one the datagram parse also reported, or
//   missing_content_length for a message that has none (a datagram may omit
//   it, a stream may not);
// - a stream that ends inside a message is one whose datagram body was
//   short (body_truncated) or had no end to its header section.
// The framer has no LF leniency: the exact RFC 5118 files fail with bare_lf,
// as their strict datagram parse does.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "conformance_case.hpp"
#include "support/split.hpp"

#include "sipua/message/framer.hpp"

namespace sipua::conformance {
namespace {

struct framed {
  framer_event event = framer_event::need_more;
  std::string message;               // event == message
  parse_errc code = parse_errc::ok;  // event == error
  friend bool operator==(const framed&, const framed&) = default;
};

// Feeds `part`; appends every event; false after an error.
bool feed(stream_framer& f, std::string_view part, std::vector<framed>& out) {
  for (;;) {
    const framer_result r = f.put(part);
    part.remove_prefix(r.consumed);
    switch (r.event) {
      case framer_event::need_more: return true;
      case framer_event::error: out.push_back({r.event, {}, r.error.code}); return false;
      case framer_event::message:
        out.push_back({r.event, std::string{r.message}, parse_errc::ok});
        break;
      default: out.push_back({r.event, {}, parse_errc::ok}); break;  // ping, pong
    }
  }
}

std::vector<framed> frame(std::string_view first, std::string_view second) {
  stream_framer f;
  std::vector<framed> out;
  if (feed(f, first, out) && feed(f, second, out) && f.in_message())
    out.push_back({framer_event::need_more, {}, parse_errc::ok});  // ended inside a message
  return out;
}

// The first event that is not a keep-alive.
const framed* first_event(const std::vector<framed>& events) {
  for (const framed& e : events)
    if (e.event != framer_event::ping && e.event != framer_event::pong) return &e;
  return nullptr;
}

void expect_agrees_with_datagram(const vector_case& c, const std::vector<framed>& events) {
  message m;
  const parse_error datagram = parse_datagram(c.data, m);  // strict, like the framer
  const framed* e = first_event(events);
  ASSERT_NE(e, nullptr) << "no event at all";
  switch (e->event) {
    case framer_event::message: {
      message framed_message;
      const parse_error again = parse_datagram(e->message, framed_message);
      EXPECT_EQ(again.code, datagram.code);
      if (!datagram) {
        EXPECT_EQ(e->message, m.bytes());
      }
      break;
    }
    case framer_event::error: {
      const bool same = datagram && datagram.code == e->code;
      const bool needs_length =
          !datagram && e->code == parse_errc::missing_content_length && !m.content_length();
      EXPECT_TRUE(same || needs_length) << "framer error " << static_cast<int>(e->code)
                                        << ", datagram " << static_cast<int>(datagram.code);
      break;
    }
    default:  // the stream ended inside a message
      EXPECT_TRUE(datagram.code == parse_errc::body_truncated ||
                  datagram.code == parse_errc::incomplete_headers)
          << static_cast<int>(datagram.code);
  }
}

class conformance_stream : public ::testing::TestWithParam<vector_case> {};

TEST_P(conformance_stream, framer_agrees_at_every_split) {
  const vector_case& c = GetParam();
  ASSERT_TRUE(c.error.empty()) << c.error;
  SCOPED_TRACE(c.row.file);
  std::vector<framed> whole;
  test::for_each_exact(c.data, [&](std::string_view b) { whole = frame(b, {}); });
  expect_agrees_with_datagram(c, whole);
  std::size_t mismatches = 0;
  test::for_each_split(c.data, [&](std::string_view a, std::string_view b) {
    if (frame(a, b) != whole && ++mismatches <= 3)
      ADD_FAILURE() << "different events when split at " << a.size();
  });
  EXPECT_EQ(mismatches, 0u);
}

INSTANTIATE_TEST_SUITE_P(corpus, conformance_stream, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<vector_case>& p) {
                           return p.param.name;
                         });

}  // namespace
}  // namespace sipua::conformance
