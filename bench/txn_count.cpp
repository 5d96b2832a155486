// Instructions per transaction under callgrind (see docs/benchmarks.md,
// "Transactions"): one steady-state driver of txn_workload.hpp, warmed up,
// then N transactions inside sipua::bench::measured_transactions.
//   txn_count <kind> [live=1000] [n=10000]
//   valgrind --tool=callgrind --toggle-collect='sipua::bench::measured*' txn_count <kind>
// kinds: server_non_invite, server_non_invite_built, server_non_invite_parsed,
//        server_invite, server_invite_parsed, client_non_invite, client_non_invite_parsed
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "txn_workload.hpp"

namespace sipua::bench {

template <class Run>
[[gnu::noinline]] void measured_transactions(Run& r, std::uint64_t n) {
  for (std::uint64_t i = 0; i < n; ++i) r.one();
}

namespace {

template <class Run>
int count(std::size_t live, std::uint64_t n) {
  Run r(live);
  measured_transactions(r, n);
  if (const char* wrong = txn::check(r, n)) {
    std::fprintf(stderr, "txn_count: %s\n", wrong);
    return 1;
  }
  std::printf("%llu transactions, %zu live\n", static_cast<unsigned long long>(n), r.layer.size());
  return 0;
}

}  // namespace
}  // namespace sipua::bench

int main(int argc, char** argv) {
  using namespace sipua::bench;
  using namespace sipua::bench::txn;
  const std::string_view kind = argc > 1 ? argv[1] : "server_non_invite";
  const std::size_t live = argc > 2 ? std::strtoull(argv[2], nullptr, 10) : 1000;
  const std::uint64_t n = argc > 3 ? std::strtoull(argv[3], nullptr, 10) : 10000;
  if (kind == "server_non_invite") return count<server_non_invite_run<true, true>>(live, n);
  if (kind == "server_non_invite_built") return count<server_non_invite_run<true, false>>(live, n);
  if (kind == "server_non_invite_parsed")
    return count<server_non_invite_run<false, false>>(live, n);
  if (kind == "server_invite") return count<server_invite_run<true, true>>(live, n);
  if (kind == "server_invite_parsed") return count<server_invite_run<false, false>>(live, n);
  if (kind == "client_non_invite") return count<client_non_invite_run<true>>(live, n);
  if (kind == "client_non_invite_parsed") return count<client_non_invite_run<false>>(live, n);
  std::fprintf(stderr, "txn_count: unknown kind\n");
  return 2;
}
