// Instruction count per parse for callgrind (issue #2 item 7):
//   valgrind --tool=callgrind --callgrind-out-file=/tmp/cg.out
//     --toggle-collect='sipua::bench::measured*' ./build/release/bench/parse_count invite 1000
//   callgrind_annotate /tmp/cg.out | head   # total Ir / 1000 = instructions per parse
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <string_view>

#include "messages.hpp"
#include "read_fields.hpp"

namespace sipua::bench {

// Kept out of line so callgrind can count exactly this function.
[[gnu::noinline]] key_fields measured(std::string_view data, message& m) {
  return parse_and_read(data, m);
}

}  // namespace sipua::bench

int main(int argc, char** argv) {
  using namespace sipua::bench;
  const std::string_view which = argc > 1 ? argv[1] : "invite";
  const long n = argc > 2 ? std::strtol(argv[2], nullptr, 10) : 1000;
  std::string data;
  if (which == "invite")
    data = invite();
  else if (which == "200")
    data = ok_200();
  else if (which == "180")
    data = std::string(k_ringing);
  else if (which == "ack")
    data = std::string(k_ack);
  else if (which == "bye")
    data = std::string(k_bye);
  else if (which == "register")
    data = std::string(k_register);
  else if (which == "401")
    data = std::string(k_unauthorized);
  else if (which == "options")
    data = std::string(k_options);
  else {
    std::fprintf(stderr, "usage: parse_count invite|200|180|ack|bye|register|401|options [N]\n");
    return 2;
  }
  sipua::message m;
  std::size_t ok = 0;
  for (long i = 0; i < n; ++i) ok += measured(data, m).ok ? 1 : 0;
  std::printf("%s: %zu bytes, %zu of %ld parses ok\n", std::string(which).c_str(), data.size(), ok,
              n);
  return ok == static_cast<std::size_t>(n) ? 0 : 1;
}
