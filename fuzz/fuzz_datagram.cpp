// Fuzz target: parse_datagram (RFC 3261 §7, §18.3) with the default strict
// options, with every leniency on, and with tiny limits; then read every
// header field and check what the parser promises: views inside the input,
// ids that match their names, Content-Length framing, errors inside bounds.
// A broken promise aborts, which libFuzzer reports like a crash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "sipua/message/header_id.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/method.hpp"
#include "sipua/message/params.hpp"

namespace {

using sipua::header_field;
using sipua::header_id;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_datagram: broken promise: %s\n", what);
    std::abort();
  }
}

bool inside(std::string_view part, std::string_view whole) {
  if (part.empty()) return true;
  return part.data() >= whole.data() && part.data() + part.size() <= whole.data() + whole.size();
}

void check_field(const sipua::message& m, const header_field& f, std::string_view data) {
  check(inside(f.name, data) && inside(f.value, data), "field views inside the input");
  check(!f.name.empty(), "field name not empty");
  check(sipua::lookup_header(f.name) == f.id, "field id matches its name");
  if (f.id != header_id::unknown) {
    check(!sipua::header_name(f.id).empty(), "known id has a name");
    check(m.find(f.id) != nullptr && m.count(f.id) >= 1, "known id is found");
  }
  const header_field* by_name = m.find(f.name);
  check(by_name != nullptr && by_name->id == f.id, "find(name) finds a field with the same id");

  const std::string one_line = sipua::unfold(f.value);
  check(one_line.size() <= f.value.size(), "unfold never grows a value");

  // Split as a list, as the typed parsers will (Via, Contact, Route ...).
  std::size_t elements = 0;
  for (auto it = sipua::comma_list(f.value).begin(); it != sipua::comma_list(f.value).end(); ++it) {
    check(inside(*it, f.value), "list element inside its value");
    check(it.offset() <= f.value.size(), "list element offset inside its value");
    const std::size_t params_end = sipua::detail::scan_generic_params(*it, 0);
    check(params_end == std::string_view::npos || params_end <= it->size(),
          "param scan stays inside its element");
    check(++elements <= f.value.size() + 1, "a list has at most size+1 elements");
  }
}

void check_message(const sipua::message& m, std::string_view data) {
  check(inside(m.bytes(), data) && inside(m.body(), data), "message and body inside the input");
  check(inside(m.start_line(), data), "start line inside the input");
  if (m.is_request()) {
    check(sipua::to_method(m.method_name()) == m.method(), "method id matches its token");
    check(!m.request_uri().empty(), "a request has a Request-URI");
  } else {
    check(m.status_code() >= 100 && m.status_code() <= 699, "status code in 100..699");
  }
  if (const auto length = m.content_length()) {
    check(m.body().size() == *length || m.body_truncated(), "body size is the Content-Length");
  }
  for (const header_field& f : m.headers()) check_field(m, f, data);
  (void)m.find("X-Not-There");

  // The typed accessors: views inside the input, errors placed in it.
  auto placed = [&](const auto& r) {
    if (!r) {
      check(r.error().offset <= data.size(), "typed error offset inside the input");
      check(inside(r.error().header, data) || !r.error().header.empty(),
            "typed error names a header");
    }
    return static_cast<bool>(r);
  };
  if (auto v = m.top_via(); placed(v))
    check(inside(v->host, data) && inside(v->branch, data) && inside(v->transport, data),
          "via views inside");
  if (auto f = m.from(); placed(f))
    check(inside(f->uri, data) && inside(f->tag(), data), "from views inside");
  if (auto t = m.to(); placed(t))
    check(inside(t->uri, data) && inside(t->tag(), data), "to views inside");
  if (auto c = m.cseq(); placed(c)) check(inside(c->method_name, data), "cseq method inside");
}

void parse_with(std::string_view data, const sipua::parse_options& options) {
  sipua::message m;
  const sipua::parse_error error = sipua::parse_datagram(data, m, options);
  if (error) {
    check(error.offset <= data.size(), "error offset inside the input");
    check(error.status == 0 || (error.status >= 400 && error.status <= 599),
          "error status is 0 or 4xx/5xx");
    check(inside(error.header, data), "error header name inside the input");
  } else {
    check_message(m, data);
  }
  // The by-value form agrees with the out-parameter form.
  const auto by_value = sipua::parse_datagram(data, options);
  check(by_value.has_value() == !error, "both forms agree");
  if (!by_value) check(by_value.error().code == error.code, "both forms give the same error");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input{reinterpret_cast<const char*>(data), size};

  parse_with(input, {});

  sipua::parse_options lenient;
  lenient.allow_bare_lf = true;
  lenient.allow_unterminated_headers = true;
  lenient.allow_short_body = true;
  parse_with(input, lenient);

  // Tiny limits reach every limit's error path.
  sipua::parse_options small = lenient;
  small.limits.max_message_size = 512;
  small.limits.max_headers = 4;
  small.limits.max_line_length = 64;
  small.limits.max_body_size = 16;
  parse_with(input, small);
  return 0;
}
