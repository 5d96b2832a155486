#include "report.hpp"

#include <string>

#include "json.hpp"

#include "sipua/message/via.hpp"

namespace siplint {
namespace {

using sipua::message;
using sipua::parse_error;

void write_error(json_object& o, const parse_error& e) {
  json_object err = o.begin_object("error");
  err.field("code", errc_name(e.code))
      .field("message", e.error_code().message())
      .field("offset", static_cast<std::uint64_t>(e.offset));
  if (e.header.empty()) {
    err.null_field("header");
  } else {
    err.field("header", e.header);
  }
  err.field("status", e.status);
  err.close();
}

void write_headers(json_object& o, const message& m) {
  std::string& out = o.begin_raw("headers");
  out += '[';
  bool first = true;
  for (const sipua::header_field& f : m.headers()) {
    if (!first) out += ',';
    first = false;
    json_object h{out};
    h.field("name", f.name).field("value", f.value);
    h.close();
  }
  out += ']';
}

void write_via(json_object& o, const message& m) {
  const auto v = m.top_via();
  if (!v) {
    o.null_field("via");
    return;
  }
  std::string sent_by{v->host};
  if (v->port) sent_by += ':' + std::to_string(*v->port);
  json_object j = o.begin_object("via");
  j.field("branch", v->branch).field("sent_by", sent_by).field("transport", v->transport);
  j.close();
}

void write_name_addr(json_object& o, std::string_view key,
                     const sipua::parse_result<sipua::name_addr>& r) {
  if (!r) {
    o.null_field(key);
    return;
  }
  json_object j = o.begin_object(key);
  j.field("uri", r->uri);
  if (r->params.contains("tag")) {
    j.field("tag", r->tag());
  } else {
    j.null_field("tag");
  }
  j.close();
}

void write_start_line(json_object& o, const message& m) {
  o.field("start_line", m.start_line());
  if (m.is_request()) {
    o.field("kind", "request")
        .field("method", m.method_name())
        .field("request_uri", m.request_uri());
  } else {
    o.field("kind", "response").field("status", m.status_code()).field("reason", m.reason_phrase());
  }
  o.field("version", m.version());
}

void write_typed(json_object& o, const message& m) {
  if (m.find(sipua::header_id::call_id)) {
    o.field("call_id", m.call_id());
  } else {
    o.null_field("call_id");
  }
  if (const auto c = m.cseq()) {
    json_object j = o.begin_object("cseq");
    j.field("number", std::uint64_t{c->number}).field("method", c->method_name);
    j.close();
  } else {
    o.null_field("cseq");
  }
  write_via(o, m);
  write_name_addr(o, "from", m.from());
  write_name_addr(o, "to", m.to());
  if (const auto cl = m.content_length()) {
    o.field("content_length", std::uint64_t{*cl});
  } else {
    o.null_field("content_length");
  }
  o.field("body_size", static_cast<std::uint64_t>(m.body().size()));
}

void write_check(json_object& o, const sipua::uas_verdict& v) {
  json_object j = o.begin_object("check");
  switch (v.action) {
    case sipua::verdict_action::accept: j.field("action", "accept"); break;
    case sipua::verdict_action::respond: j.field("action", "respond"); break;
    case sipua::verdict_action::drop: j.field("action", "drop"); break;
  }
  if (v.action == sipua::verdict_action::respond)
    j.field("status", v.status).field("reason", v.reason);
  if (!v.header.empty()) j.field("header", v.header);
  if (!v.rule.empty()) j.field("rule", v.rule);
  if (!v.unsupported.empty()) {
    std::string& out = j.begin_raw("unsupported");
    out += '[';
    for (std::size_t i = 0; i < v.unsupported.size(); ++i) {
      if (i != 0) out += ',';
      append_json_string(out, v.unsupported[i]);
    }
    out += ']';
  }
  j.close();
}

}  // namespace

bool lint_message(std::string& out, std::string_view file, std::optional<std::size_t> index,
                  std::string_view data, const lint_options& options) {
  json_object o{out};
  o.field("file", file);
  if (index) o.field("index", static_cast<std::uint64_t>(*index));
  message m;
  if (const parse_error e = sipua::parse_datagram(data, m, options.parse)) {
    // After a parse error the message holds nothing reliable: report only
    // the error.
    o.field("valid", false);
    write_error(o, e);
    o.close();
    return false;
  }
  const parse_error e = sipua::validate_syntax(m, options.validate);
  o.field("valid", !e);
  write_start_line(o, m);
  write_headers(o, m);
  write_typed(o, m);
  if (e) {
    write_error(o, e);
  } else {
    o.null_field("error");
    write_check(o, sipua::receive_check(m, options.policy));
  }
  o.close();
  return !e;
}

void lint_framing_error(std::string& out, std::string_view file, std::size_t index,
                        const parse_error& error) {
  json_object o{out};
  o.field("file", file).field("index", static_cast<std::uint64_t>(index)).field("valid", false);
  write_error(o, error);
  o.close();
}

std::string_view errc_name(sipua::parse_errc code) noexcept {
  using sipua::parse_errc;
  switch (code) {
    case parse_errc::ok: return "ok";
    case parse_errc::empty_message: return "empty_message";
    case parse_errc::message_too_large: return "message_too_large";
    case parse_errc::too_many_headers: return "too_many_headers";
    case parse_errc::line_too_long: return "line_too_long";
    case parse_errc::body_too_large: return "body_too_large";
    case parse_errc::incomplete_headers: return "incomplete_headers";
    case parse_errc::bare_lf: return "bare_lf";
    case parse_errc::body_truncated: return "body_truncated";
    case parse_errc::missing_content_length: return "missing_content_length";
    case parse_errc::bad_request_line: return "bad_request_line";
    case parse_errc::bad_method: return "bad_method";
    case parse_errc::bad_request_uri: return "bad_request_uri";
    case parse_errc::bad_version: return "bad_version";
    case parse_errc::bad_status_line: return "bad_status_line";
    case parse_errc::bad_status_code: return "bad_status_code";
    case parse_errc::bad_header_name: return "bad_header_name";
    case parse_errc::missing_colon: return "missing_colon";
    case parse_errc::bad_continuation: return "bad_continuation";
    case parse_errc::bad_header_value: return "bad_header_value";
    case parse_errc::bad_content_length: return "bad_content_length";
    case parse_errc::conflicting_content_length: return "conflicting_content_length";
    case parse_errc::bad_uri: return "bad_uri";
    case parse_errc::bad_number: return "bad_number";
    case parse_errc::bad_quoted_string: return "bad_quoted_string";
    case parse_errc::bad_param: return "bad_param";
    case parse_errc::missing_header: return "missing_header";
    case parse_errc::framer_overflow: return "framer_overflow";
    case parse_errc::header_section_too_large: return "header_section_too_large";
    case parse_errc::bare_cr: return "bare_cr";
  }
  return "unknown";
}

}  // namespace siplint
