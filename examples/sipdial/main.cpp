// sipdial: sipua's command-line dialer (issue #6). Today: `sipdial demo`.
#include <cstdio>
#include <string>

#include "commands.hpp"

namespace {
int usage(std::FILE* out) {
  std::fprintf(out,
               "usage: sipdial demo [--trace]\n"
               "  demo   a call between two UAs in this process on 127.0.0.1: ring,\n"
               "         answer with SDP, hold 2 s, hang up; prints the message ladder\n"
               "  --trace  print every SIP message in full\n");
  return out == stdout ? 0 : 2;
}
}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) return usage(stderr);
  const std::string command = argv[1];
  sipdial::options o;
  for (int i = 2; i < argc; ++i) {
    const std::string arg = argv[i];
    if (arg == "--trace") {
      o.trace = true;
    } else {
      std::fprintf(stderr, "sipdial: unknown option %s\n", arg.c_str());
      return usage(stderr);
    }
  }
  if (command == "demo") return sipdial::run_demo(o);
  if (command == "--help" || command == "help") return usage(stdout);
  std::fprintf(stderr, "sipdial: unknown command %s\n", command.c_str());
  return usage(stderr);
}
