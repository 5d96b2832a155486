// Memory per live transaction, message buffers aside (issue #4 target: at
// most 512 bytes).
//
//   txn_memory [transactions=100000]
//
// For each case, a fresh transaction_layer (default config, UDP) gets N
// distinct transactions (txn_workload.hpp's OPTIONS / INVITE with the
// number in branch and Call-ID), all left alive: no handle_timeout() is
// called. Every action is drained and dropped at once, as a runtime would.
// Heap = bytes malloc has handed out (mallinfo2: uordblks + hblkhd, whole
// chunks with their headers), measured before the layer is made and once
// the N transactions are alive.
//
// Message buffers aside: every message text the layer keeps alive is a
// std::string held by a shared_ptr made with make_shared<const
// std::string> (the requests this program hands in, the layer's own copy
// of a request it sends, the responses it keeps for retransmission). Each
// one is tracked with a weak_ptr, and subtracted: the make_shared block
// (control block + string object, measured here as `wrapper_bytes`) and,
// for a text longer than the SSO capacity, its character chunk
// (malloc_usable_size + the 8-byte chunk header). Blocks only this
// program's weak_ptrs keep (an expired buffer, e.g. the 100 Trying after
// the 180 replaced it) are subtracted too. What is left is counted: the
// transaction records, the matching maps' nodes and buckets, the timer
// lists, the free-slot list, the small strings a record owns.
#include <malloc.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "txn_workload.hpp"

namespace sipua::bench::txn {
namespace {

std::size_t heap_bytes() {
  const struct mallinfo2 mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

/// The make_shared<const std::string> block (an empty string: no chunk of
/// characters), measured.
std::size_t wrapper_bytes(std::size_t n) {
  std::vector<std::shared_ptr<const std::string>> v;
  v.reserve(n);
  const std::size_t before = heap_bytes();
  for (std::size_t i = 0; i < n; ++i) v.push_back(std::make_shared<const std::string>());
  return (heap_bytes() - before + n / 2) / n;
}

/// The buffers the layer may keep, tracked without keeping them.
class buffer_ledger {
 public:
  explicit buffer_ledger(std::size_t capacity) { tracked_.reserve(capacity); }
  void track(const std::shared_ptr<const std::string>& s) { tracked_.emplace_back(s); }
  /// Bytes of the tracked buffers still allocated; `alive` counts those
  /// the layer still holds.
  std::size_t bytes(std::size_t wrapper, std::size_t& alive) const {
    std::size_t total = 0;
    alive = 0;
    for (const auto& w : tracked_) {
      total += wrapper;  // the block stays while a weak_ptr does
      if (auto s = w.lock()) {
        ++alive;
        if (s->capacity() > 15) total += malloc_usable_size(const_cast<char*>(s->data())) + 8;
      }
    }
    return total;
  }

 private:
  std::vector<std::weak_ptr<const std::string>> tracked_;
};

/// Drains the queue, tracking every buffer an action carries.
void drain_tracking(transaction_layer& layer, buffer_ledger& ledger, transaction_id& last) {
  while (auto a = layer.next_action()) {
    if (auto* r = std::get_if<send_response_action>(&*a)) ledger.track(r->bytes);
    if (auto* r = std::get_if<send_request_action>(&*a)) ledger.track(r->bytes);
    if (auto* r = std::get_if<request_event>(&*a)) last = r->txn;
  }
}

enum class kase {
  server_non_invite_trying,     ///< request in, no answer yet
  server_non_invite_completed,  ///< 200 sent, Timer J running
  server_invite_proceeding,     ///< INVITE in, the layer's 100 sent
  server_invite_accepted,       ///< 100, 180, 200 sent, Timer L running
  client_non_invite_trying,     ///< OPTIONS sent, Timers E and F running
  client_non_invite_completed,  ///< its 200 received, Timer K running
  client_invite_calling,        ///< INVITE sent, Timers A and B running
};

const char* name(kase k) {
  switch (k) {
    case kase::server_non_invite_trying: return "server_non_invite_trying";
    case kase::server_non_invite_completed: return "server_non_invite_completed";
    case kase::server_invite_proceeding: return "server_invite_proceeding";
    case kase::server_invite_accepted: return "server_invite_accepted";
    case kase::client_non_invite_trying: return "client_non_invite_trying";
    case kase::client_non_invite_completed: return "client_non_invite_completed";
    case kase::client_invite_calling: return "client_invite_calling";
  }
  return "?";
}

bool is_server(kase k) { return k <= kase::server_invite_accepted; }
bool is_invite(kase k) {
  return k == kase::server_invite_proceeding || k == kase::server_invite_accepted ||
         k == kase::client_invite_calling;
}

/// One server transaction: the request in (a shared buffer, as a transport
/// hands it up), and the TU's answers the case asks for.
void serve(kase k, transaction_layer& layer, buffer_ledger& ledger, time_point now,
           std::string text) {
  auto owned = std::make_shared<const std::string>(std::move(text));
  ledger.track(owned);
  inbound_message m{origin(), parse_or_die(*owned)};
  m.message.set_owner(owned);
  // The responses are built before the request goes in (the request_event
  // and its message are dropped when drained).
  std::string ringing = k == kase::server_invite_accepted ? answer(m.message, 180) : std::string();
  std::string ok = k == kase::server_non_invite_completed || k == kase::server_invite_accepted
                       ? answer(m.message, 200)
                       : std::string();
  owned.reset();
  layer.receive(now, std::move(m));
  transaction_id txn;
  drain_tracking(layer, ledger, txn);
  if (!txn.valid()) fail("no request_event");
  for (std::string* r : {&ringing, &ok}) {
    if (r->empty()) continue;
    if (layer.send_response(now, txn, std::move(*r))) fail("send_response failed");
    drain_tracking(layer, ledger, txn);
  }
}

void measure(kase k, std::size_t n, std::size_t wrapper) {
  const message_template& tmpl = is_invite(k) ? invite_template() : options_template();
  const message_template response{answer(parse_or_die(tmpl.text()), 200)};
  buffer_ledger ledger(4 * n);  // before the baseline: not counted
  const std::size_t before = heap_bytes();
  auto layer = std::make_unique<transaction_layer>();
  const send_target target{origin().peer, {}};
  time_point now{std::chrono::hours(1)};
  for (std::size_t i = 0; i < n; ++i) {
    now += std::chrono::microseconds(1);
    if (is_server(k)) {
      serve(k, *layer, ledger, now, tmpl.make(i));
      continue;
    }
    // Our request: the layer wraps the string in its own shared buffer.
    if (!layer->send_request(now, tmpl.make(i), target, transport_protocol::udp)) {
      fail("send_request failed");
    }
    transaction_id none;
    drain_tracking(*layer, ledger, none);
    if (k == kase::client_non_invite_completed) {
      layer->receive(now, inbound(response.make(i)));  // goes up and is dropped
      drain_tracking(*layer, ledger, none);
    }
  }
  const std::size_t after = heap_bytes();
  if (layer->size() != n) fail("not every transaction is alive");
  std::size_t alive = 0;
  const std::size_t buffers = ledger.bytes(wrapper, alive);
  const double growth = static_cast<double>(after) - static_cast<double>(before);
  const double net = growth - static_cast<double>(buffers);
  const double per = static_cast<double>(n);
  std::printf("%-28s transactions %zu  heap_growth %.0f  buffers %zu (%zu alive)\n", name(k), n,
              growth, buffers, alive);
  std::printf("%-28s gross_bytes_per_transaction %.0f\n", name(k), growth / per);
  std::printf("%-28s buffer_bytes_per_transaction %.0f\n", name(k),
              static_cast<double>(buffers) / per);
  std::printf("%-28s net_bytes_per_transaction %.0f\n", name(k), net / per);
}

}  // namespace
}  // namespace sipua::bench::txn

int main(int argc, char** argv) {
  using namespace sipua::bench::txn;
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 100'000;
  if (n == 0) return 2;
  const std::size_t wrapper = wrapper_bytes(n);
  std::printf("wrapper_bytes %zu  (one make_shared<const std::string> block)\n", wrapper);
  std::printf("sizeof: message %zu, inbound_message %zu, txn_action %zu\n", sizeof(sipua::message),
              sizeof(sipua::inbound_message), sizeof(sipua::txn_action));
  for (kase k : {kase::server_non_invite_trying, kase::server_non_invite_completed,
                 kase::server_invite_proceeding, kase::server_invite_accepted,
                 kase::client_non_invite_trying, kase::client_non_invite_completed,
                 kase::client_invite_calling}) {
    measure(k, n, wrapper);
  }
  return 0;
}
