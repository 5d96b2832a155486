// append_via_parm (builder.hpp): the via-parm text on its own, the same text
// and errors as message_builder::via().
#include <gtest/gtest.h>

#include <string>

#include "sipua/message/builder.hpp"
#include "sipua/message/via.hpp"

namespace sipua {
namespace {

TEST(append_via_parm, writes_the_via_parm_and_appends) {
  std::string out = "kept|";
  const via_spec v{.transport = "TCP",
                   .sent_by = "[2001:db8::1]:5070",
                   .branch = "z9hG4bK1",
                   .rport = true,
                   .params = ";x=1"};
  EXPECT_FALSE(append_via_parm(out, v));
  EXPECT_EQ(out, "kept|SIP/2.0/TCP [2001:db8::1]:5070;branch=z9hG4bK1;rport;x=1");
  auto p = parse_via(std::string_view(out).substr(5));
  ASSERT_TRUE(p);
  EXPECT_EQ(p->host, "[2001:db8::1]");
  EXPECT_TRUE(p->has_rport);
  EXPECT_TRUE(p->params.contains("x"));
}

TEST(append_via_parm, is_the_value_message_builder_via_writes) {
  const via_spec v{.transport = "UDP", .sent_by = "pc33.atlanta.com", .branch = "z9hG4bK776asdhds"};
  std::string text;
  ASSERT_FALSE(append_via_parm(text, v));
  request_builder b{method::options, "sip:bob@example.com"};
  b.via(v);
  EXPECT_NE(b.view().find("\r\nVia: " + text + "\r\n"), std::string_view::npos);
}

TEST(append_via_parm, errors_leave_the_output_unchanged) {
  struct bad_case {
    via_spec v;
    parse_errc code;
    std::size_t offset;
  };
  const bad_case cases[] = {
      {{.transport = "U P", .sent_by = "a.example.com", .branch = "z9hG4bK1"},
       parse_errc::bad_header_value,
       1},
      {{.transport = "UDP", .sent_by = "a b", .branch = "z9hG4bK1"},
       parse_errc::bad_header_value,
       0},
      {{.transport = "UDP", .sent_by = "a.example.com:99999", .branch = "z9hG4bK1"},
       parse_errc::bad_header_value,
       0},
      {{.transport = "UDP", .sent_by = "a.example.com", .branch = ""}, parse_errc::bad_param, 0},
      {{.transport = "UDP", .sent_by = "a.example.com", .branch = "z9hG4bK1", .params = "x=1"},
       parse_errc::bad_param,
       0},
  };
  for (const auto& c : cases) {
    std::string out = "kept";
    const parse_error e = append_via_parm(out, c.v);
    EXPECT_EQ(e.code, c.code) << c.v.sent_by;
    EXPECT_EQ(e.offset, c.offset) << c.v.sent_by;
    EXPECT_EQ(e.header, "Via");
    EXPECT_EQ(e.status, 0);
    EXPECT_EQ(out, "kept");
  }
}

}  // namespace
}  // namespace sipua
