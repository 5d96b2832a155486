// The message builder: what it writes parses back to what was put in, the
// RFC 3261 §8.2.6 response rules, quoting, and refusal of anything that
// would break the framing.
#include "sipua/message/builder.hpp"

// fmt is a private dependency: the public header must not pull it in.
#if defined(FMT_VERSION)
#error "builder.hpp exposes fmt"
#endif

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/message.hpp"

namespace sipua {
namespace {

using namespace std::string_literals;

/// Parses `wire` from an exact-size copy and hands the message to `check`.
template <class F>
void parse_exact(std::string_view wire, F&& check) {
  test::for_each_exact(wire, [&](std::string_view data) {
    message m;
    const parse_error e = parse_datagram(data, m);
    ASSERT_FALSE(e) << "code " << static_cast<int>(e.code) << " at " << e.offset << " in\n" << wire;
    EXPECT_EQ(m.bytes().size(), data.size());
    check(m);
  });
}

/// The values of every field with `id`, in order.
std::vector<std::string_view> values(const message& m, header_id id) {
  std::vector<std::string_view> out;
  for (const header_field& f : m.headers())
    if (f.id == id) out.push_back(f.value);
  return out;
}

/// The names of all fields, in order.
std::vector<std::string_view> names(const message& m) {
  std::vector<std::string_view> out;
  for (const header_field& f : m.headers()) out.push_back(f.name);
  return out;
}

request_builder invite_builder(std::string& out) {
  request_builder b{out, method::invite, "sip:bob@biloxi.example.com"};
  b.via({.transport = "UDP", .sent_by = "pc33.atlanta.example.com", .branch = "z9hG4bK776asdhds"})
      .max_forwards(70)
      .to({.display_name = "Bob", .uri = "sip:bob@biloxi.example.com"})
      .from({.display_name = "Alice", .uri = "sip:alice@atlanta.example.com", .tag = "1928301774"})
      .call_id("a84b4c76e66710@pc33.atlanta.example.com")
      .cseq(314159, method::invite)
      .contact({.uri = "sip:alice@pc33.atlanta.example.com"})
      .content_type("application/sdp");
  return b;
}

constexpr std::string_view k_sdp = "v=0\r\no=alice 2890844526 2890844526 IN IP4 pc33\r\n";

// ---- requests ---------------------------------------------------------------

TEST(builder, request_is_written_exactly_in_call_order) {
  std::string wire;
  auto b = invite_builder(wire);
  ASSERT_FALSE(b.finish(k_sdp));
  EXPECT_EQ(wire,
            "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
            "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n"
            "Max-Forwards: 70\r\n"
            "To: Bob <sip:bob@biloxi.example.com>\r\n"
            "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
            "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
            "CSeq: 314159 INVITE\r\n"
            "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
            "Content-Type: application/sdp\r\n"
            "Content-Length: 48\r\n"
            "\r\n"
            "v=0\r\n"
            "o=alice 2890844526 2890844526 IN IP4 pc33\r\n");
}

TEST(builder, request_round_trips_through_the_parser) {
  std::string wire;
  auto b = invite_builder(wire);
  ASSERT_FALSE(b.finish(k_sdp));
  parse_exact(wire, [](const message& m) {
    EXPECT_TRUE(m.is_request());
    EXPECT_EQ(m.method(), method::invite);
    EXPECT_EQ(m.request_uri(), "sip:bob@biloxi.example.com");
    EXPECT_EQ(m.version(), "SIP/2.0");
    EXPECT_EQ(names(m),
              (std::vector<std::string_view>{"Via", "Max-Forwards", "To", "From", "Call-ID", "CSeq",
                                             "Contact", "Content-Type", "Content-Length"}));
    EXPECT_EQ(m.value(header_id::via),
              "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds");
    EXPECT_EQ(m.value(header_id::to), "Bob <sip:bob@biloxi.example.com>");
    EXPECT_EQ(m.value(header_id::from), "Alice <sip:alice@atlanta.example.com>;tag=1928301774");
    EXPECT_EQ(m.call_id(), "a84b4c76e66710@pc33.atlanta.example.com");
    EXPECT_EQ(m.value(header_id::cseq), "314159 INVITE");
    EXPECT_EQ(m.value(header_id::max_forwards), "70");
    EXPECT_EQ(m.value(header_id::contact), "<sip:alice@pc33.atlanta.example.com>");
    EXPECT_EQ(m.value(header_id::content_type), "application/sdp");
    EXPECT_EQ(m.content_length(), k_sdp.size());
    EXPECT_EQ(m.body(), k_sdp);
  });
}

TEST(builder, extension_method_and_arbitrary_headers_without_body) {
  request_builder b{"FOO.bar", "tel:+1-201-555-0123"};
  b.via({.transport = "TCP",
         .sent_by = "[2001:db8::9]:5070",
         .branch = "z9hG4bK-1",
         .rport = true,
         .params = ";alias"})
      .header(header_id::www_authenticate, "Digest realm=\"x\"")
      .header("X-Custom", "anything goes: here, really")
      .header("Supported", "")
      .cseq(1, "FOO.bar")
      .call_id("abc");
  auto wire = b.build();
  ASSERT_TRUE(wire.has_value());
  parse_exact(*wire, [](const message& m) {
    EXPECT_EQ(m.method(), method::extension);
    EXPECT_EQ(m.method_name(), "FOO.bar");
    EXPECT_EQ(m.request_uri(), "tel:+1-201-555-0123");
    EXPECT_EQ(names(m),
              (std::vector<std::string_view>{"Via", "WWW-Authenticate", "X-Custom", "Supported",
                                             "CSeq", "Call-ID", "Content-Length"}));
    EXPECT_EQ(m.value(header_id::via),
              "SIP/2.0/TCP [2001:db8::9]:5070;branch=z9hG4bK-1;rport;alias");
    EXPECT_EQ(m.value(header_id::www_authenticate), "Digest realm=\"x\"");
    ASSERT_NE(m.find("x-custom"), nullptr);
    EXPECT_EQ(m.find("x-custom")->value, "anything goes: here, really");
    EXPECT_EQ(m.value(header_id::supported), "");
    EXPECT_EQ(m.value(header_id::cseq), "1 FOO.bar");
    EXPECT_EQ(m.content_length(), 0u);
    EXPECT_EQ(m.body(), "");
  });
}

TEST(builder, contact_and_names_with_params) {
  request_builder b{method::register_, "sip:registrar.example.com"};
  b.to({.uri = "sip:alice@example.com", .params = ";x=\"a;b\""})
      .from({.uri = "sip:alice@example.com", .tag = "a.b-c", .params = ";epid=1"})
      .contact({.display_name = "Alice",
                .uri = "sip:alice@10.0.0.1:5060;transport=tcp",
                .params = ";expires=3600;+sip.instance=\"<urn:uuid:f81d>\""});
  auto wire = b.build();
  ASSERT_TRUE(wire.has_value());
  parse_exact(*wire, [](const message& m) {
    EXPECT_EQ(m.method(), method::register_);
    EXPECT_EQ(m.value(header_id::to), "<sip:alice@example.com>;x=\"a;b\"");
    EXPECT_EQ(m.value(header_id::from), "<sip:alice@example.com>;tag=a.b-c;epid=1");
    EXPECT_EQ(m.value(header_id::contact),
              "Alice <sip:alice@10.0.0.1:5060;transport=tcp>;expires=3600;"
              "+sip.instance=\"<urn:uuid:f81d>\"");
  });
}

TEST(builder, body_with_line_breaks_and_nul_is_framed_by_content_length) {
  const std::string body = "line1\r\n\r\nline3\0tail"s;
  request_builder b{method::message, "sip:bob@example.com"};
  b.content_type("text/plain;charset=utf-8");
  auto wire = b.build(body);
  ASSERT_TRUE(wire.has_value());
  ASSERT_EQ(body.size(), 19u);
  EXPECT_NE(wire->find("\r\nContent-Length: 19\r\n\r\nline1"), std::string::npos);
  parse_exact(*wire, [&](const message& m) {
    EXPECT_EQ(m.content_length(), body.size());
    EXPECT_EQ(m.body(), body);
    EXPECT_EQ(m.headers().back().id, header_id::content_length);
  });
}

TEST(builder, numbers_at_their_limits) {
  request_builder b{method::ack, "sip:x@y"};
  b.cseq(4294967295u, method::ack).max_forwards(0).max_forwards(255);
  auto wire = b.build();
  ASSERT_TRUE(wire.has_value());
  parse_exact(*wire, [](const message& m) {
    EXPECT_EQ(m.value(header_id::cseq), "4294967295 ACK");
    EXPECT_EQ(values(m, header_id::max_forwards), (std::vector<std::string_view>{"0", "255"}));
  });
}

// ---- display names ----------------------------------------------------------

/// Undoes quoted-string escaping: the text between the quotes with each
/// quoted-pair replaced by its character.
std::string unquote(std::string_view q) {
  std::string out;
  for (std::size_t i = 1; i + 1 < q.size(); ++i) {
    if (q[i] == '\\') ++i;
    out.push_back(q[i]);
  }
  return out;
}

TEST(builder, display_names_are_bare_only_when_they_are_tokens) {
  struct tc {
    std::string_view name;
    std::string_view written;
  };
  const tc cases[] = {
      {"Alice", "Alice <sip:a@x>"},
      {"Alice B. Smith", "Alice B. Smith <sip:a@x>"},
      {"Alice  Smith", "\"Alice  Smith\" <sip:a@x>"},  // quoted, so the two spaces stay
      {" Alice", "\" Alice\" <sip:a@x>"},
      {"Smith, Alice", "\"Smith, Alice\" <sip:a@x>"},
      {"Bob \"the Builder\"", "\"Bob \\\"the Builder\\\"\" <sip:a@x>"},
      {"C:\\path\\", "\"C:\\\\path\\\\\" <sip:a@x>"},
      {"tab\there", "\"tab\there\" <sip:a@x>"},
      {"bell\x07", "\"bell\\\x07\" <sip:a@x>"},
      {"Zo\xc3\xab", "\"Zo\xc3\xab\" <sip:a@x>"},
  };
  for (const tc& c : cases) {
    request_builder b{method::options, "sip:x"};
    b.from({.display_name = c.name, .uri = "sip:a@x"});
    auto wire = b.build();
    ASSERT_TRUE(wire.has_value()) << c.name;
    parse_exact(*wire, [&](const message& m) {
      const std::string_view v = m.value(header_id::from);
      EXPECT_EQ(v, c.written);
      if (v.front() == '"') {
        // One well-formed quoted-string that ends right before " <".
        const std::size_t end = detail::skip_quoted(v, 0);
        ASSERT_NE(end, detail::npos) << c.name;
        EXPECT_EQ(v.substr(end), " <sip:a@x>");
        EXPECT_EQ(unquote(v.substr(0, end)), c.name);
      }
    });
  }
}

// ---- rejection of framing breakers ------------------------------------------

struct rejected {
  const char* what;
  parse_errc code;
  std::size_t offset;
  std::string_view header;
};

void expect_rejected(message_builder& b, std::string& out, std::string_view before,
                     const rejected& r) {
  const parse_error e = b.finish("body");
  EXPECT_EQ(e.code, r.code) << r.what;
  EXPECT_EQ(e.offset, r.offset) << r.what;
  EXPECT_EQ(e.header, r.header) << r.what;
  EXPECT_EQ(out, before) << r.what << ": nothing of the message may stay in the output";
  EXPECT_EQ(b.error().code, r.code);
}

TEST(builder, values_that_would_break_framing_are_rejected) {
  using step = void (*)(message_builder&);
  struct tc {
    rejected r;
    step add;
  };
  const tc cases[] = {
      {{"CRLF in a value", parse_errc::bad_header_value, 2, "Subject"},
       [](message_builder& b) { b.header(header_id::subject, "hi\r\nVia: evil"); }},
      {{"LF in a value", parse_errc::bad_header_value, 1, "X-A"},
       [](message_builder& b) { b.header("X-A", "a\nb"); }},
      {{"CR in a value", parse_errc::bad_header_value, 0, "X-A"},
       [](message_builder& b) { b.header("X-A", "\r"); }},
      {{"colon in a name", parse_errc::bad_header_name, 5, "X-Bad:Name"},
       [](message_builder& b) { b.header("X-Bad:Name", "v"); }},
      {{"space in a name", parse_errc::bad_header_name, 1, "X Y"},
       [](message_builder& b) { b.header("X Y", "v"); }},
      {{"empty name", parse_errc::bad_header_name, 0, ""},
       [](message_builder& b) { b.header("", "v"); }},
      {{"unknown id", parse_errc::bad_header_name, 0, ""},
       [](message_builder& b) { b.header(header_id::unknown, "v"); }},
      {{"Content-Length by id", parse_errc::conflicting_content_length, 0, "Content-Length"},
       [](message_builder& b) { b.header(header_id::content_length, "0"); }},
      {{"Content-Length by name", parse_errc::conflicting_content_length, 0, "content-length"},
       [](message_builder& b) { b.header("content-length", "0"); }},
      {{"compact l", parse_errc::conflicting_content_length, 0, "l"},
       [](message_builder& b) { b.header("l", "0"); }},
      {{"CRLF in a display name", parse_errc::bad_header_value, 5, "From"},
       [](message_builder& b) { b.from({.display_name = "Alice\r\nX: y", .uri = "sip:a@x"}); }},
      {{"LF in a URI", parse_errc::bad_uri, 9, "To"},
       [](message_builder& b) { b.to({.uri = "sip:a@x.y\nX: z"}); }},
      {{"'>' in a URI", parse_errc::bad_uri, 7, "Contact"},
       [](message_builder& b) { b.contact({.uri = "sip:a@x>;evil"}); }},
      {{"URI without scheme", parse_errc::bad_uri, 5, "To"},
       [](message_builder& b) { b.to({.uri = "alice"}); }},
      {{"tag not a token", parse_errc::bad_param, 1, "From"},
       [](message_builder& b) { b.from({.uri = "sip:a@x", .tag = "a;b"}); }},
      {{"CRLF in params", parse_errc::bad_param, 2, "From"},
       [](message_builder& b) { b.from({.uri = "sip:a@x", .params = ";a\r\n"}); }},
      {{"params without ';'", parse_errc::bad_param, 0, "From"},
       [](message_builder& b) { b.from({.uri = "sip:a@x", .params = "a=b"}); }},
      {{"trailing junk in params", parse_errc::bad_param, 4, "Contact"},
       [](message_builder& b) { b.contact({.uri = "sip:a@x", .params = ";a=b c"}); }},
      {{"Via transport", parse_errc::bad_header_value, 3, "Via"},
       [](message_builder& b) {
         b.via({.transport = "UDP\r\n", .sent_by = "h", .branch = "z9hG4bK1"});
       }},
      {{"Via sent-by port", parse_errc::bad_header_value, 0, "Via"},
       [](message_builder& b) { b.via({.sent_by = "h:65536", .branch = "z9hG4bK1"}); }},
      {{"Via sent-by open IPv6", parse_errc::bad_header_value, 0, "Via"},
       [](message_builder& b) { b.via({.sent_by = "[::1", .branch = "z9hG4bK1"}); }},
      {{"Via sent-by with a space", parse_errc::bad_header_value, 0, "Via"},
       [](message_builder& b) { b.via({.sent_by = "a b", .branch = "z9hG4bK1"}); }},
      {{"Via empty branch", parse_errc::bad_param, 0, "Via"},
       [](message_builder& b) { b.via({.sent_by = "h"}); }},
      {{"Via branch with LF", parse_errc::bad_param, 8, "Via"},
       [](message_builder& b) { b.via({.sent_by = "h", .branch = "z9hG4bK1\n"}); }},
      {{"Call-ID with CRLF", parse_errc::bad_header_value, 3, "Call-ID"},
       [](message_builder& b) { b.call_id("abc\r\n"); }},
      {{"Call-ID two '@'", parse_errc::bad_header_value, 3, "Call-ID"},
       [](message_builder& b) { b.call_id("a@b@c"); }},
      {{"Call-ID trailing '@'", parse_errc::bad_header_value, 2, "Call-ID"},
       [](message_builder& b) { b.call_id("a@"); }},
      {{"Call-ID empty", parse_errc::bad_header_value, 0, "Call-ID"},
       [](message_builder& b) { b.call_id(""); }},
      {{"CSeq extension id", parse_errc::bad_method, 0, "CSeq"},
       [](message_builder& b) { b.cseq(1, method::extension); }},
      {{"CSeq method with space", parse_errc::bad_method, 3, "CSeq"},
       [](message_builder& b) { b.cseq(1, "FOO BAR"); }},
      {{"Max-Forwards 256", parse_errc::bad_number, 0, "Max-Forwards"},
       [](message_builder& b) { b.max_forwards(256); }},
      {{"Content-Type without subtype", parse_errc::bad_header_value, 12, "Content-Type"},
       [](message_builder& b) { b.content_type("application/"); }},
      {{"Content-Type with CRLF", parse_errc::bad_header_value, 15, "Content-Type"},
       [](message_builder& b) { b.content_type("application/sdp\r\nX: y"); }},
  };
  for (const tc& c : cases) {
    std::string out = "previous message";
    request_builder b{out, method::options, "sip:x@y"};
    b.call_id("fine");
    c.add(b);
    b.max_forwards(70);  // ignored after the error
    expect_rejected(b, out, "previous message", c.r);
  }
}

TEST(builder, start_lines_that_would_break_framing_are_rejected) {
  std::string out = "keep";
  {
    request_builder b{out, "INV ITE", "sip:x@y"};
    expect_rejected(b, out, "keep", {"space in method", parse_errc::bad_method, 3, ""});
  }
  {
    request_builder b{out, method::extension, "sip:x@y"};
    expect_rejected(b, out, "keep", {"extension id", parse_errc::bad_method, 0, ""});
  }
  {
    request_builder b{out, method::invite, "<sip:x@y>"};
    expect_rejected(b, out, "keep", {"bracketed URI", parse_errc::bad_request_uri, 0, ""});
  }
  {
    request_builder b{out, method::invite, "sip:x@y SIP/2.0\r\nVia: x"};
    expect_rejected(b, out, "keep", {"space in URI", parse_errc::bad_request_uri, 7, ""});
  }
  {
    request_builder b{out, method::invite, "sip:"};
    expect_rejected(b, out, "keep", {"empty after scheme", parse_errc::bad_request_uri, 4, ""});
  }
  {
    response_builder b{out, 99};
    expect_rejected(b, out, "keep", {"status 99", parse_errc::bad_status_code, 0, ""});
  }
  {
    response_builder b{out, 700, "Nope"};
    expect_rejected(b, out, "keep", {"status 700", parse_errc::bad_status_code, 0, ""});
  }
  {
    response_builder b{out, 200, "OK\r\nVia: x"};
    expect_rejected(b, out, "keep", {"CRLF in reason", parse_errc::bad_status_line, 2, ""});
  }
}

TEST(builder, a_spent_builder_writes_nothing_more) {
  std::string out;
  request_builder b{out, method::options, "sip:x@y"};
  ASSERT_FALSE(b.finish());
  const std::string done = out;
  b.header("X-Late", "1").max_forwards(1);
  EXPECT_FALSE(b.finish("more"));
  EXPECT_EQ(out, done);
  EXPECT_EQ(b.view(), done);
}

// ---- output buffers ---------------------------------------------------------

TEST(builder, appends_to_a_caller_string_and_reuses_its_storage) {
  std::string out;
  out.reserve(4096);
  const char* storage = out.data();
  for (int round = 0; round < 3; ++round) {
    out.clear();
    auto b1 = invite_builder(out);
    ASSERT_FALSE(b1.finish(k_sdp));
    const std::size_t first = out.size();
    response_builder b2{out, 180};
    b2.call_id("x@y");
    ASSERT_FALSE(b2.finish());
    EXPECT_EQ(b2.view(), std::string_view{out}.substr(first));
    EXPECT_EQ(out.data(), storage) << "no reallocation when the capacity suffices";
    parse_exact(std::string_view{out}.substr(0, first),
                [](const message& m) { EXPECT_EQ(m.body(), k_sdp); });
    parse_exact(std::string_view{out}.substr(first), [](const message& m) {
      EXPECT_EQ(m.status_code(), 180);
      EXPECT_EQ(m.reason_phrase(), "Ringing");
      EXPECT_EQ(m.call_id(), "x@y");
    });
  }
}

TEST(builder, owned_output_reserves_the_hint_once) {
  request_builder b{method::options, "sip:x@y", 2048};
  b.header("X-A", "1");
  const std::string_view before = b.view();
  std::string wire = b.build().value();
  EXPECT_GE(wire.capacity(), 2048u);
  EXPECT_EQ(wire.data(), before.data()) << "the owned string is handed over, not copied";
  EXPECT_TRUE(b.take().empty());
}

// ---- responses --------------------------------------------------------------

TEST(builder, response_status_line_and_default_reasons) {
  EXPECT_EQ(default_reason(100), "Trying");
  EXPECT_EQ(default_reason(183), "Session Progress");
  EXPECT_EQ(default_reason(481), "Call/Transaction Does Not Exist");
  EXPECT_EQ(default_reason(504), "Server Time-out");
  EXPECT_EQ(default_reason(606), "Not Acceptable");
  EXPECT_EQ(default_reason(299), "");
  struct tc {
    int status;
    std::string_view reason;
    std::string_view expect;
  };
  for (const tc& c : {tc{486, "", "Busy Here"}, tc{200, "Fine, thanks", "Fine, thanks"},
                      tc{299, "", ""}, tc{603, "Nein\tdanke", "Nein\tdanke"}}) {
    response_builder b{c.status, c.reason};
    auto wire = b.build();
    ASSERT_TRUE(wire.has_value());
    parse_exact(*wire, [&](const message& m) {
      EXPECT_TRUE(m.is_response());
      EXPECT_EQ(m.status_code(), c.status);
      EXPECT_EQ(m.reason_phrase(), c.expect);
      EXPECT_EQ(m.content_length(), 0u);
    });
  }
}

constexpr std::string_view k_request =
    "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP "
    "p2.example.com;branch=z9hG4bK2\r\n"
    "Max-Forwards: 69\r\n"
    "v: SIP/2.0/UDP\r\n"
    "  p3.example.com:5062\r\n"
    "\t;branch=z9hG4bK3;received=192.0.2.3\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "f: \"Alice A.\" <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport=5060\r\n"
    "Call-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Timestamp: 54 0.3\r\n"
    "Record-Route: <sip:p1.example.com;lr>\r\n"
    "Record-Route: <sip:p2.example.com;lr>, <sip:p3.example.com;lr>\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

/// Builds the response to `request_text` (parsed from an exact buffer) and
/// hands the parsed response to `check`.
template <class F>
void respond(std::string_view request_text, int status, std::string_view to_tag, F&& check) {
  parse_exact(request_text, [&](const message& request) {
    auto b = build_response(request, status, {}, to_tag);
    auto wire = b.build();
    ASSERT_TRUE(wire.has_value()) << static_cast<int>(wire.error().code);
    parse_exact(*wire, [&](const message& response) { check(request, response); });
  });
}

TEST(builder, response_copies_vias_in_order_and_from_call_id_cseq_exactly) {
  respond(k_request, 180, "a6c85cf", [](const message& req, const message& resp) {
    EXPECT_EQ(resp.status_code(), 180);
    EXPECT_EQ(resp.reason_phrase(), "Ringing");
    EXPECT_EQ(values(resp, header_id::via),
              (std::vector<std::string_view>{
                  "SIP/2.0/UDP p1.example.com;branch=z9hG4bK1, SIP/2.0/TCP "
                  "p2.example.com;branch=z9hG4bK2",
                  "SIP/2.0/UDP p3.example.com:5062 ;branch=z9hG4bK3;received=192.0.2.3",
                  "SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds;rport=5060"}));
    EXPECT_EQ(resp.value(header_id::from), req.value(header_id::from));
    EXPECT_EQ(resp.call_id(), req.call_id());
    EXPECT_EQ(resp.value(header_id::cseq), req.value(header_id::cseq));
    EXPECT_EQ(resp.value(header_id::to), "Bob <sip:bob@biloxi.example.com>;tag=a6c85cf");
    EXPECT_EQ(names(resp), (std::vector<std::string_view>{"Via", "Via", "Via", "From", "To",
                                                          "Call-ID", "CSeq", "Content-Length"}));
    EXPECT_EQ(resp.find(header_id::timestamp), nullptr) << "Timestamp only in a 100";
  });
}

TEST(builder, trying_copies_timestamp_and_adds_no_tag) {
  respond(k_request, 100, "a6c85cf", [](const message& req, const message& resp) {
    EXPECT_EQ(resp.reason_phrase(), "Trying");
    EXPECT_EQ(resp.value(header_id::to), req.value(header_id::to));
    EXPECT_EQ(resp.value(header_id::timestamp), "54 0.3");
    EXPECT_EQ(resp.count(header_id::via), 3u);
  });
  // Without Timestamp in the request there is none in the 100.
  const std::string no_ts = [] {
    std::string s{k_request};
    s.erase(s.find("Timestamp: 54 0.3\r\n"), 19);
    return s;
  }();
  respond(no_ts, 100, "", [](const message&, const message& resp) {
    EXPECT_EQ(resp.find(header_id::timestamp), nullptr);
  });
}

std::string with_to(std::string_view to_value) {
  std::string s{k_request};
  const std::string_view old = "To: Bob <sip:bob@biloxi.example.com>";
  s.replace(s.find(old), old.size(), "To: "s + std::string{to_value});
  return s;
}

TEST(builder, to_tag_is_added_only_when_absent_and_status_above_100) {
  struct tc {
    std::string_view to;
    int status;
    std::string_view expect;
  };
  const tc cases[] = {
      // Already tagged: copied unchanged, the given tag ignored.
      {"<sip:bob@b.example>;tag=287447", 200, "<sip:bob@b.example>;tag=287447"},
      {"<sip:bob@b.example> ; TAG = 287447", 486, "<sip:bob@b.example> ; TAG = 287447"},
      {"sip:bob@b.example;tag=1", 200, "sip:bob@b.example;tag=1"},
      // No tag: one is added after the existing parameters.
      {"sip:bob@b.example", 200, "sip:bob@b.example;tag=T1"},
      {"<sip:bob@b.example>;x=\";tag=no\"", 183, "<sip:bob@b.example>;x=\";tag=no\";tag=T1"},
      {"<sip:bob@b.example;tag=uri-param>", 200, "<sip:bob@b.example;tag=uri-param>;tag=T1"},
      {"\"x;tag=y <z>\" <sip:bob@b.example>", 404, "\"x;tag=y <z>\" <sip:bob@b.example>;tag=T1"},
      {"<sip:bob@b.example>;tagx=1", 200, "<sip:bob@b.example>;tagx=1;tag=T1"},
      // 100 Trying: never.
      {"sip:bob@b.example", 100, "sip:bob@b.example"},
      // Too broken to find the parameters: copied as is.
      {"\"open <sip:bob@b.example>", 200, "\"open <sip:bob@b.example>"},
      {"Bob <sip:bob@b.example", 200, "Bob <sip:bob@b.example"},
  };
  for (const tc& c : cases) {
    respond(with_to(c.to), c.status, "T1", [&](const message&, const message& resp) {
      EXPECT_EQ(resp.value(header_id::to), c.expect) << c.to << " " << c.status;
    });
  }
}

TEST(builder, response_without_a_needed_tag_is_refused) {
  parse_exact(k_request, [](const message& req) {
    std::string out = "keep";
    auto b = build_response(out, req, 200, {}, "");
    expect_rejected(b, out, "keep", {"no tag", parse_errc::bad_param, 0, "To"});
    auto b2 = build_response(out, req, 200, {}, "a b");
    expect_rejected(b2, out, "keep", {"tag with space", parse_errc::bad_param, 1, "To"});
  });
}

TEST(builder, response_to_a_broken_request_is_refused) {
  const std::string_view missing[] = {"Via: ", "To: ", "f: ", "Call-ID: ", "CSeq: "};
  const std::string_view expect_header[] = {"Via", "To", "From", "Call-ID", "CSeq"};
  for (std::size_t i = 0; i < std::size(missing); ++i) {
    // Rename every field of that kind so the request lacks it.
    std::string s{k_request};
    for (std::size_t at = 0;
         (at = s.find("\r\n"s + std::string{missing[i]}, at)) != std::string::npos;)
      s.replace(at + 2, missing[i].size(), "X-Gone: ");
    if (missing[i] == "Via: ") s.replace(s.find("v: "), 3, "X-Gone: ");
    parse_exact(s, [&](const message& req) {
      std::string out;
      auto b = build_response(out, req, 400, {}, "t");
      expect_rejected(b, out, "", {"missing", parse_errc::missing_header, 0, expect_header[i]});
    });
  }
  parse_exact("SIP/2.0 200 OK\r\nContent-Length: 0\r\n\r\n", [](const message& resp) {
    std::string out;
    auto b = build_response(out, resp, 200, {}, "t");
    expect_rejected(b, out, "", {"a response", parse_errc::bad_request_line, 0, ""});
  });
}

TEST(builder, response_takes_more_fields_and_a_body) {
  parse_exact(k_request, [](const message& req) {
    std::string out;
    auto b = build_response(out, req, 200, "OK", "a6c85cf");
    b.copy(req, header_id::record_route)
        .contact({.uri = "sip:bob@192.0.2.4"})
        .content_type("application/sdp");
    ASSERT_FALSE(b.finish(k_sdp));
    parse_exact(out, [&](const message& resp) {
      EXPECT_EQ(
          values(resp, header_id::record_route),
          (std::vector<std::string_view>{"<sip:p1.example.com;lr>",
                                         "<sip:p2.example.com;lr>, <sip:p3.example.com;lr>"}));
      EXPECT_EQ(resp.value(header_id::contact), "<sip:bob@192.0.2.4>");
      EXPECT_EQ(resp.body(), k_sdp);
      EXPECT_EQ(resp.content_length(), k_sdp.size());
      EXPECT_EQ(resp.headers().back().id, header_id::content_length);
    });
  });
}

TEST(builder, copy_of_an_absent_field_writes_nothing) {
  parse_exact(k_request, [](const message& req) {
    response_builder b{400, "Missing Stuff"};
    b.copy(req, header_id::require).copy(req, header_id::call_id);
    auto wire = b.build();
    ASSERT_TRUE(wire.has_value());
    EXPECT_EQ(*wire,
              "SIP/2.0 400 Missing Stuff\r\nCall-ID: a84b4c76e66710@pc33.atlanta.example.com\r\n"
              "Content-Length: 0\r\n\r\n");
  });
}

}  // namespace
}  // namespace sipua
