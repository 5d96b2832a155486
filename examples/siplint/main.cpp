// siplint: checks SIP messages with sipua's parser and prints one JSON object
// per message, on its own line.
//
//   siplint [options] [file ...]      (no file, or "-": standard input)
//
// Each file holds one message (a datagram: bytes after the body that
// Content-Length announces are ignored, as RFC 3261 §18.3 says for UDP).
// The object's members:
//   file, index (--split only), valid, start_line, kind ("request" or
//   "response"), method and request_uri, or status and reason, version,
//   headers [{name, value} in arrival order], call_id, cseq {number, method},
//   via {branch, sent_by, transport} (the top via-parm), from / to {uri, tag},
//   content_length, body_size, error {code, message, offset, header, status}
//   (null when valid), check {action, status, reason, header, rule,
//   unsupported} (what receive_check decides for a valid message).
// A member whose header is missing or does not parse is null. After a parse
// error only file, valid and error are written: the message is not usable.
// "valid" means parse_datagram and validate_syntax succeeded; "check" is
// extra information (a 4xx verdict does not make a message invalid). file
// is "<stdin>" for standard input. error.code is the parse_errc name.
//
// Strings are JSON-escaped byte for byte (json.hpp): control characters and
// DEL as \u00XX, well-formed UTF-8 as is, and any byte that is not part of
// well-formed UTF-8 as \u00XX of the byte's value.
//
// --split reads several messages per input as a stream transport frames them
// (sipua::stream_framer: Content-Length required, CRLF keep-alives skipped);
// a framing error or an input that ends inside a message adds one last line
// with valid false (code "truncated_stream" for the latter).
//
// Exit status: 0 when every message is valid, 1 when any is invalid, 2 on a
// usage error (unknown option, unreadable file).
#include <cstdio>
#include <fstream>
#include <iostream>
#include <iterator>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "report.hpp"
#include "split.hpp"

namespace {

constexpr std::string_view k_usage =
    "usage: siplint [options] [file ...]\n"
    "Parses and validates SIP messages and prints one JSON object per message.\n"
    "With no file, or with \"-\", reads standard input. Each file holds one message.\n"
    "\n"
    "options:\n"
    "  --split                       read several messages from each input, framed as\n"
    "                                on a TCP stream (Content-Length required)\n"
    "  --allow-bare-lf               accept lines ending in LF alone\n"
    "  --allow-unterminated-headers  accept a header section with no empty line\n"
    "  --allow-short-body            accept a body shorter than Content-Length\n"
    "  --lenient                     all three --allow-* options\n"
    "  --allow-malformed-date        do not check the Date header\n"
    "  --role=endpoint|proxy|registrar\n"
    "                                the role the check member is computed for\n"
    "                                (default endpoint)\n"
    "  --help                        this text\n"
    "\n"
    "exit status: 0 all messages valid, 1 some message invalid, 2 usage error\n";

struct arguments {
  siplint::lint_options lint;
  bool split = false;
  std::vector<std::string> files;
};

bool set_role(std::string_view name, sipua::uas_policy& policy) {
  if (name == "endpoint") {
    policy.role = sipua::uas_role::endpoint;
  } else if (name == "proxy") {
    policy.role = sipua::uas_role::proxy;
  } else if (name == "registrar") {
    policy.role = sipua::uas_role::registrar;
    policy.allowed_methods = {"REGISTER", "OPTIONS", "CANCEL", "ACK"};
  } else {
    return false;
  }
  return true;
}

// Returns 0 to go on, 1 after --help, 2 on a usage error.
int parse_arguments(int argc, char** argv, arguments& args) {
  bool options_done = false;
  for (int i = 1; i < argc; ++i) {
    const std::string_view a = argv[i];
    sipua::parse_options& p = args.lint.parse;
    if (options_done || a == "-" || a.empty() || a[0] != '-') {
      args.files.emplace_back(a);
    } else if (a == "--") {
      options_done = true;
    } else if (a == "--help" || a == "-h") {
      std::cout << k_usage;
      return 1;
    } else if (a == "--split") {
      args.split = true;
    } else if (a == "--allow-bare-lf") {
      p.allow_bare_lf = true;
    } else if (a == "--allow-unterminated-headers") {
      p.allow_unterminated_headers = true;
    } else if (a == "--allow-short-body") {
      p.allow_short_body = true;
    } else if (a == "--lenient") {
      p.allow_bare_lf = p.allow_unterminated_headers = p.allow_short_body = true;
    } else if (a == "--allow-malformed-date") {
      args.lint.validate.allow_malformed_date = true;
    } else if (a.starts_with("--role=") && set_role(a.substr(7), args.lint.policy)) {
    } else {
      std::cerr << "siplint: unknown option '" << a << "'\n" << k_usage;
      return 2;
    }
  }
  if (args.files.empty()) args.files.emplace_back("-");
  return 0;
}

bool read_input(const std::string& name, std::string& data) {
  if (name == "-") {
    std::ostringstream s;
    s << std::cin.rdbuf();
    data = std::move(s).str();
    return !std::cin.bad();
  }
  std::ifstream in{name, std::ios::binary};
  if (!in) return false;
  data.assign(std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{});
  return !in.bad();
}

}  // namespace

int main(int argc, char** argv) {
  arguments args;
  if (const int r = parse_arguments(argc, argv, args); r != 0) return r == 1 ? 0 : 2;
  bool all_valid = true;
  bool usage_error = false;
  std::string data;
  std::string line;
  for (const std::string& file : args.files) {
    if (!read_input(file, data)) {
      std::cerr << "siplint: cannot read '" << file << "'\n";
      usage_error = true;
      continue;
    }
    const std::string_view name =
        file == "-" ? std::string_view{"<stdin>"} : std::string_view{file};
    if (args.split) {
      all_valid &= siplint::lint_stream(name, data, args.lint, std::cout);
    } else {
      line.clear();
      all_valid &= siplint::lint_message(line, name, std::nullopt, data, args.lint);
      line += '\n';
      std::cout << line;
    }
  }
  std::cout.flush();
  if (usage_error) return 2;
  return all_valid ? 0 : 1;
}
