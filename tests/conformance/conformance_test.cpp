// RFC 4475 / RFC 5118 conformance: one test per row of tests/data/
// manifest.tsv (read at run time), named after the file. Each message is
// parsed from an exact-size buffer with parse_datagram (strict default
// options), then validate_syntax, then uas_check, and the outcome is
// compared with the manifest's `expected` and the table in vectors.cpp.
//
// The one exception to strict parsing: the exact RFC 5118 archive files
// (rfc5118/, not rfc5118-crlf/) are not in wire form (bare LF line ends, no
// empty line after the headers in two of them, a Content-Length larger than
// the body in two others; tests/data/README.md), so they are parsed with
// the named leniencies allow_bare_lf, allow_unterminated_headers and
// allow_short_body, and the test also checks that a strict parse rejects
// them.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "conformance_case.hpp"
#include "support/split.hpp"

namespace sipua::conformance {
namespace {

std::string describe(const parse_error& e) {
  return std::string{e.error_code().message()} + " at " + std::to_string(e.offset) + " header '" +
         std::string{e.header} + "' status " + std::to_string(e.status);
}

void expect_fields(const message& m, const key_fields& k, std::string_view buffer) {
  if (!k.method.empty()) {
    EXPECT_TRUE(m.is_request());
    EXPECT_EQ(m.method_name(), k.method);
    EXPECT_EQ(m.request_uri(), k.request_uri);
  } else {
    EXPECT_TRUE(m.is_response());
    EXPECT_EQ(m.status_code(), k.status);
  }
  EXPECT_EQ(m.call_id(), k.call_id);
  // Zero-copy: the Call-ID views the input buffer.
  EXPECT_TRUE(m.call_id().data() >= buffer.data() &&
              m.call_id().data() < buffer.data() + buffer.size());
  const auto cseq = m.cseq();
  ASSERT_TRUE(cseq) << describe(cseq.error());
  EXPECT_EQ(cseq->number, k.cseq_number);
  EXPECT_EQ(cseq->method_name, k.cseq_method);
  const auto via = m.top_via();
  ASSERT_TRUE(via) << describe(via.error());
  EXPECT_EQ(via->branch, k.via_branch);
  EXPECT_EQ(std::string{via->host} + (via->port ? ":" + std::to_string(*via->port) : ""),
            k.via_sent_by);
  const auto check_addr = [](const parse_result<name_addr>& a, const std::string& uri,
                             const std::optional<std::string>& tag, const char* which) {
    ASSERT_TRUE(a) << which << ": " << describe(a.error());
    EXPECT_EQ(a->uri, uri) << which;
    EXPECT_EQ(a->params.contains("tag"), tag.has_value()) << which;
    if (tag) {
      EXPECT_EQ(a->tag(), *tag) << which;
    }
  };
  check_addr(m.from(), k.from_uri, k.from_tag, "From");
  check_addr(m.to(), k.to_uri, k.to_tag, "To");
  EXPECT_EQ(m.content_length(), k.content_length);
  EXPECT_EQ(m.body().size(), k.body_size);
  // Only the lenient RFC 5118 archive files have a short body.
  EXPECT_EQ(m.body_truncated(), k.content_length && *k.content_length > k.body_size);
}

void expect_verdicts(const message& m, const std::vector<verdict_expect>& verdicts) {
  for (const verdict_expect& e : verdicts) {
    uas_policy policy = policy_for(e.role);
    for (const std::string& x : e.extra_methods) policy.allowed_methods.push_back(x);
    for (const std::string& x : e.extra_body_types) policy.accepted_body_types.push_back(x);
    const uas_verdict v = receive_check(m, policy);
    SCOPED_TRACE("role " + std::to_string(static_cast<int>(e.role)) +
                 ", rule: " + std::string{v.rule});
    EXPECT_EQ(v.action, e.action);
    EXPECT_EQ(v.status, e.status);
    if (e.action == verdict_action::respond) {
      EXPECT_FALSE(v.reason.empty());
    }
    EXPECT_EQ(std::vector<std::string>(v.unsupported.begin(), v.unsupported.end()), e.unsupported);
  }
}

// The manifest's own status for a valid-but-semantic-error row, in the role
// it names, must be what the table's verdict for that role says.
void expect_manifest_verdict(const manifest_row& row, const vector_expectation& x) {
  const auto status = row.status();
  ASSERT_TRUE(status) << "manifest row without a status: " << row.response_code;
  const uas_role role = row.role();
  const auto it = std::find_if(x.verdicts.begin(), x.verdicts.end(),
                               [&](const verdict_expect& v) { return v.role == role; });
  ASSERT_NE(it, x.verdicts.end()) << "no verdict for the manifest's role";
  if (*status == 0) {
    EXPECT_EQ(it->action, verdict_action::drop);
  } else {
    EXPECT_EQ(it->action, verdict_action::respond);
    EXPECT_EQ(it->status, *status);
  }
}

void expect_rejection(const vector_case& c, const message& m, const parse_error& parse_err,
                      const parse_error& validate_err, std::string_view buffer) {
  const rejection& r = *c.expect->reject;
  const parse_error& e = parse_err ? parse_err : validate_err;
  ASSERT_TRUE(e) << "accepted, but the table expects a rejection";
  EXPECT_EQ(parse_err ? stage::parse : stage::validate, r.where) << describe(e);
  EXPECT_EQ(e.code, r.code) << describe(e);
  EXPECT_EQ(e.header, r.header) << describe(e);
  EXPECT_LE(e.offset, buffer.size());
  // RFC 3261 §18.1.2 / §16.7: a bad response is dropped, never answered.
  // Known only once the start line is read; every rejected response of the
  // corpus has one that reads as a Status-Line ("SIP/...").
  const bool response = buffer.starts_with("SIP/");
  EXPECT_EQ(e.status, response ? 0 : 400) << describe(e);
  if (c.row.expected == expectation::invalid_reject) {
    const auto status = c.row.status();
    ASSERT_TRUE(status);
    EXPECT_EQ(e.status, *status) << "manifest: " << c.row.response_code;
  }
  (void)m;
}

void check_datagram(const vector_case& c, std::string_view buffer) {
  message m;
  const parse_error parse_err = parse_datagram(buffer, m, datagram_options(c.row));
  const parse_error validate_err = parse_err ? parse_error{} : validate_syntax(m);
  if (c.expect->reject) {
    expect_rejection(c, m, parse_err, validate_err, buffer);
    return;
  }
  ASSERT_FALSE(parse_err) << describe(parse_err);
  ASSERT_FALSE(validate_err) << describe(validate_err);
  if (c.expect->fields) expect_fields(m, *c.expect->fields, buffer);
  expect_verdicts(m, c.expect->verdicts);
  if (c.row.expected == expectation::valid_but_semantic_error)
    expect_manifest_verdict(c.row, *c.expect);
  if (c.expect->extra) c.expect->extra(m);
}

class conformance : public ::testing::TestWithParam<vector_case> {};

TEST_P(conformance, datagram_matches_manifest) {
  const vector_case& c = GetParam();
  ASSERT_TRUE(c.error.empty()) << c.error;
  if (!c.expect->decision.empty()) RecordProperty("decision", c.expect->decision);
  const bool lenient = lenient_archive_file(c.row);
  SCOPED_TRACE(c.row.file + " (RFC section " + c.row.rfc_section + "): " + c.row.note +
               (lenient
                    ? " [parsed with allow_bare_lf, allow_unterminated_headers, allow_short_body]"
                    : ""));
  if (lenient) {
    // Strictly, the archive file's bare LFs are rejected first.
    test::for_each_exact(c.data, [](std::string_view b) {
      message strict;
      EXPECT_EQ(parse_datagram(b, strict).code, parse_errc::bare_lf);
    });
  }
  test::for_each_exact(c.data, [&](std::string_view b) { check_datagram(c, b); });
}

INSTANTIATE_TEST_SUITE_P(corpus, conformance, ::testing::ValuesIn(load_cases()),
                         [](const ::testing::TestParamInfo<vector_case>& p) {
                           return p.param.name;
                         });

// ---- the strict/lenient decisions outside the table -----------------------

TEST(conformance_decisions, baddn_display_names_are_rejected_once_framing_is_allowed) {
  // RFC 4475 §3.1.2.15: the archive file lacks the empty line after the
  // headers; with that allowed, the unquoted "Bell, Alexander" still fails.
  const std::string data = read_vector("rfc4475/baddn.dat");
  parse_options o;
  o.allow_unterminated_headers = true;
  test::for_each_exact(data, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m, o));
    const parse_error e = validate_syntax(m);
    EXPECT_EQ(e.code, parse_errc::bad_header_value) << describe(e);
    EXPECT_EQ(e.header, "From");
    EXPECT_EQ(e.status, 400);
  });
}

TEST(conformance_decisions, baddate_passes_with_allow_malformed_date) {
  // RFC 4475 §3.1.2.12: only an element that uses the Date value need reject
  // it; the named leniency lets a caller ignore it.
  const std::string data = read_vector("rfc4475/baddate.dat");
  test::for_each_exact(data, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    const parse_error strict = validate_syntax(m);
    EXPECT_EQ(strict.code, parse_errc::bad_header_value);
    EXPECT_EQ(b.substr(strict.offset, 3), "EST");
    validate_options lenient;
    lenient.allow_malformed_date = true;
    EXPECT_FALSE(validate_syntax(m, lenient));
    EXPECT_TRUE(uas_check(m, policy_for(uas_role::endpoint)).accepted());
  });
}

TEST(conformance_decisions, escruri_error_points_at_the_question_mark) {
  const std::string data = read_vector("rfc4475/escruri.dat");
  test::for_each_exact(data, [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    const parse_error e = validate_syntax(m);
    ASSERT_EQ(e.code, parse_errc::bad_request_uri);
    EXPECT_EQ(b.substr(e.offset, 7), "?Route=");
  });
}

TEST(conformance_decisions, every_manifest_row_has_an_expectation_and_back) {
  std::string error;
  const auto rows = load_manifest(data_dir(), error);
  ASSERT_TRUE(error.empty()) << error;
  EXPECT_EQ(rows.size(), 74u);
  EXPECT_EQ(expectations().size(), rows.size());
  for (const vector_expectation& x : expectations()) {
    const bool listed = std::any_of(rows.begin(), rows.end(),
                                    [&](const manifest_row& r) { return r.file == x.file; });
    EXPECT_TRUE(listed) << x.file;
    // An ambiguous row is decided one way and says why.
    const auto row = std::find_if(rows.begin(), rows.end(),
                                  [&](const manifest_row& r) { return r.file == x.file; });
    if (row != rows.end() && row->expected == expectation::ambiguous) {
      EXPECT_FALSE(x.decision.empty()) << x.file;
    }
    if (row != rows.end() && row->expected == expectation::valid) {
      EXPECT_TRUE(x.fields) << x.file;
    }
  }
}

}  // namespace
}  // namespace sipua::conformance
