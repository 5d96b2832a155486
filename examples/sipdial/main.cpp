// sipdial: sipua's command-line dialer (issue #6).
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>

#include "commands.hpp"

namespace {

const char* const k_usage =
    "usage: sipdial <command> [arguments] [options]\n"
    "\n"
    "commands:\n"
    "  demo                 a call between two UAs in this process on 127.0.0.1: ring,\n"
    "                       answer with SDP, hold 2 s, hang up; shows the message ladder\n"
    "  call <sip-uri>       places one call; hangs up after --hangup-after, at Ctrl-C or\n"
    "                       when the far end does\n"
    "  listen               answers (or --reject-s) incoming calls\n"
    "  message <sip-uri> <text>   sends a MESSAGE (--type sets its Content-Type)\n"
    "  options <sip-uri>    sends an OPTIONS request\n"
    "  register <registrar-uri>   registers (--user, --expires S), keeps it refreshed\n"
    "                       for --for S (or until Ctrl-C), then unregisters\n"
    "\n"
    "options:\n"
    "  --local HOST:PORT    where to listen (call, message, options: the address the\n"
    "                       target is reached from, port chosen by the OS; listen:\n"
    "                       127.0.0.1:5060)\n"
    "  --transport udp|tcp|tls   (default udp)\n"
    "  --proxy URI          outbound proxy for requests outside a dialog\n"
    "  --from URI           our identity (default sip:sipdial@<local host>)\n"
    "  --hangup-after S     call, listen: hang up S seconds after the answer\n"
    "  --ring-timeout S     call: cancel when not answered within S seconds (60)\n"
    "  --answer-after S     listen: ring, then answer after S seconds (0)\n"
    "  --reject CODE        listen: reject every call with CODE (300-699)\n"
    "  --calls N            listen: exit after N calls have ended\n"
    "  --user U, --password P   digest credentials (any realm) for 401/407; register:\n"
    "                       U is the user part of our address of record\n"
    "  --register URI       call, listen: register at URI first (unregister at the end)\n"
    "  --expires S          register: the expiration asked for (3600)\n"
    "  --for S              register: unregister after S seconds\n"
    "  --tls-ca FILE        CA certificates to verify TLS servers with (default: the\n"
    "                       system store)\n"
    "  --tls-cert FILE, --tls-key FILE   our certificate chain and key (to listen on TLS)\n"
    "  --tls-insecure       do not verify the TLS server (tests only)\n"
    "  --trace              print every SIP message in full\n"
    "  --json               one JSON object per line instead of the ladder\n"
    "\n"
    "exit status: 0 success (call: answered and ended cleanly); 3, 4, 5, 6 the\n"
    "class of a final failure response; 1 transport error, timeout or no answer;\n"
    "2 usage error\n";

int usage(std::FILE* out) {
  std::fputs(k_usage, out);
  return out == stdout ? sipdial::exit_ok : sipdial::exit_usage;
}

bool number(const std::string& text, double& out) {
  char* end = nullptr;
  out = std::strtod(text.c_str(), &end);
  return !text.empty() && end != nullptr && *end == '\0' && out >= 0;
}

/// Parses argv[2...] into `o`; false (after a message) on a bad option.
bool parse(int argc, char** argv, sipdial::options& o) {
  const std::map<std::string, std::string*> strings{
      {"--local", &o.local},       {"--transport", &o.transport}, {"--proxy", &o.proxy},
      {"--from", &o.from},         {"--tls-ca", &o.tls_ca},       {"--tls-cert", &o.tls_cert},
      {"--tls-key", &o.tls_key},   {"--type", &o.content_type},   {"--user", &o.user},
      {"--password", &o.password}, {"--register", &o.register_at}};
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg.rfind("--", 0) != 0) {
      o.positional.push_back(arg);
      continue;
    }
    if (arg == "--trace") {
      o.trace = true;
      continue;
    }
    if (arg == "--json") {
      o.json = true;
      continue;
    }
    if (arg == "--tls-insecure") {
      o.tls_insecure = true;
      continue;
    }
    if (i + 1 >= argc) {
      std::fprintf(stderr, "sipdial: %s needs a value\n", arg.c_str());
      return false;
    }
    const std::string value = argv[++i];
    if (const auto it = strings.find(arg); it != strings.end()) {
      *it->second = value;
      continue;
    }
    double n = 0;
    if (!number(value, n)) {
      std::fprintf(stderr, "sipdial: %s needs a number, not %s\n", arg.c_str(), value.c_str());
      return false;
    }
    if (arg == "--hangup-after") {
      o.hangup_after = n;
    } else if (arg == "--ring-timeout") {
      o.ring_timeout = n;
    } else if (arg == "--answer-after") {
      o.answer_after = n;
    } else if (arg == "--reject") {
      o.reject = static_cast<int>(n);
    } else if (arg == "--expires") {
      o.expires = n;
    } else if (arg == "--for") {
      o.for_seconds = n;
    } else if (arg == "--calls") {
      o.calls = static_cast<unsigned>(n);
    } else {
      std::fprintf(stderr, "sipdial: unknown option %s\n", arg.c_str());
      return false;
    }
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") return usage(stdout);
  sipdial::options o;
  if (!parse(argc, argv, o)) return sipdial::exit_usage;
  if (command == "demo") return sipdial::run_demo(o);
  if (command == "call") return sipdial::run_call(o);
  if (command == "listen") return sipdial::run_listen(o);
  if (command == "message") return sipdial::run_message(o);
  if (command == "options") return sipdial::run_options(o);
  if (command == "register") return sipdial::run_register(o);
  std::fprintf(stderr, "sipdial: unknown command %s\n", command.c_str());
  return usage(stderr);
}
