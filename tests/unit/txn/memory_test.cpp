// The layer's records after a burst: once the transactions of a burst have
// ended, the layer gives back the records beyond a small reserve (issue #6:
// an idle UA should not hold its peak), ids handed out stay unique (a
// stale id never finds a later transaction), and a layer going between 0
// and 1 live transactions does not allocate and free records each time.
#include <set>
#include <utility>

#include "harness.hpp"

namespace sipua::test {
namespace {

constexpr std::size_t burst = 5'000;
/// What the layer keeps however idle it is (4 chunks of 256 records).
constexpr std::size_t reserve = 1'024;

/// Starts `n` OPTIONS client transactions over TCP (no retransmissions):
/// they end by Timer F, 64*T1 later, unless answered.
std::vector<transaction_id> start_clients(harness& h, std::size_t n, const std::string& tag) {
  std::vector<transaction_id> ids;
  ids.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto r = outgoing("OPTIONS", "z9hG4bK-" + tag + "-" + std::to_string(i));
    r.call_id = tag + "-" + std::to_string(i) + "@192.0.2.1";
    ids.push_back(h.send(request_text(r), tp::tcp));
  }
  h.drain();
  return ids;
}

/// Runs the timers 40 s on: the clients started so far end (Timer F).
std::vector<timed_action> run_past_timer_f(harness& h) {
  return h.run_until(std::chrono::duration_cast<ms>(h.elapsed()) + 40s);
}

std::pair<std::uint32_t, std::uint32_t> key(transaction_id id) { return {id.slot, id.generation}; }

TEST(TxnMemory, ABurstIsGivenBackOnceItEnds) {
  harness h;
  EXPECT_EQ(h.layer.capacity(), 0u);
  const auto first = start_clients(h, burst, "a");
  EXPECT_EQ(h.layer.size(), burst);
  EXPECT_GE(h.layer.capacity(), burst);

  const auto timeouts = only(describe(run_past_timer_f(h)), "terminated");
  EXPECT_EQ(timeouts.size(), burst);
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_GT(h.layer.capacity(), 0u);
  EXPECT_LE(h.layer.capacity(), reserve);
  for (transaction_id id : first) EXPECT_FALSE(h.state(id)) << id.slot;

  // A second burst grows the pool again, into the slots the first used:
  // none of its ids is one of the first's, and no stale id finds one of
  // its transactions.
  const auto second = start_clients(h, burst, "b");
  EXPECT_EQ(h.layer.size(), burst);
  std::set<std::pair<std::uint32_t, std::uint32_t>> seen;
  for (transaction_id id : first) seen.insert(key(id));
  std::size_t reused_slots = 0;
  std::set<std::uint32_t> first_slots;
  for (transaction_id id : first) first_slots.insert(id.slot);
  for (transaction_id id : second) {
    EXPECT_TRUE(seen.insert(key(id)).second) << "id handed out twice: " << id.slot;
    EXPECT_EQ(h.state(id), transaction_state::trying);
    reused_slots += first_slots.count(id.slot);
  }
  EXPECT_EQ(reused_slots, burst);  // the same slots, other generations
  for (transaction_id id : first) EXPECT_FALSE(h.state(id)) << id.slot;

  run_past_timer_f(h);
  EXPECT_EQ(h.layer.size(), 0u);
  EXPECT_LE(h.layer.capacity(), reserve);
  for (transaction_id id : second) EXPECT_FALSE(h.state(id)) << id.slot;
}

TEST(TxnMemory, FewSurvivorsDoNotHoldTheBurst) {
  harness h;
  // Ten server INVITE transactions the TU never answers: they stay.
  std::vector<server_start> kept;
  for (int i = 0; i < 10; ++i) {
    auto r = incoming("INVITE", "z9hG4bK-keep-" + std::to_string(i));
    r.call_id = "keep-" + std::to_string(i);
    kept.push_back(start_server(h, r));
  }
  start_clients(h, burst, "c");
  EXPECT_EQ(h.layer.size(), burst + 10);
  run_past_timer_f(h);
  EXPECT_EQ(h.layer.size(), 10u);
  EXPECT_LE(h.layer.capacity(), 2 * reserve);
  for (const auto& k : kept) EXPECT_EQ(h.state(k.txn), transaction_state::proceeding);
  // They still match: a retransmitted INVITE is absorbed, a CANCEL found.
  auto again = incoming("INVITE", "z9hG4bK-keep-3");
  again.call_id = "keep-3";
  h.receive(request_text(again));
  EXPECT_EQ(only(describe(h.drain()), "request"), lines{});
  h.receive(request_text(cancel_for(again)));
  const auto got = h.drain();
  ASSERT_EQ(describe(got), lines{"cancel invite"});
  EXPECT_EQ(std::get<cancel_event>(got[0]).invite, kept[3].txn);
}

TEST(TxnMemory, OneTransactionAtATimeDoesNotChurn) {
  harness h;
  // After a burst (the pool trimmed to its reserve) and from a fresh
  // layer alike, the capacity does not move as one transaction starts
  // and ends, again and again.
  for (bool after_burst : {true, false}) {
    harness fresh;
    harness& l = after_burst ? h : fresh;
    if (after_burst) {
      start_clients(l, burst, "d");
      run_past_timer_f(l);
    }
    std::set<std::size_t> capacities;
    std::set<std::pair<std::uint32_t, std::uint32_t>> ids;
    for (int i = 0; i < 2'000; ++i) {
      const auto one = start_clients(l, 1, "e" + std::to_string(i));
      capacities.insert(l.layer.capacity());
      EXPECT_EQ(l.layer.size(), 1u);
      run_past_timer_f(l);
      EXPECT_EQ(l.layer.size(), 0u);
      capacities.insert(l.layer.capacity());
      EXPECT_TRUE(ids.insert(key(one[0])).second);
    }
    EXPECT_EQ(capacities.size(), 1u) << (after_burst ? "after a burst" : "fresh");
    EXPECT_LE(*capacities.begin(), reserve);
    EXPECT_GT(*capacities.begin(), 0u);
  }
}

}  // namespace
}  // namespace sipua::test
