// The transaction layer's entry points and its records: handles, the
// action queue, timers and termination. The machines are in client.cpp and
// server.cpp.
#include "sipua/txn/transaction_layer.hpp"

#include "layer_impl.hpp"

#include "sipua/transport/routing.hpp"

namespace sipua {

using detail::no_slot;
using detail::transaction;

// --- records ----------------------------------------------------------------

transaction* transaction_layer::impl::find(transaction_id id) noexcept {
  if (!id.valid() || !slots.holds(id.slot)) return nullptr;
  transaction& t = slots[id.slot];
  return t.live && t.generation == id.generation ? &t : nullptr;
}

const transaction* transaction_layer::impl::find(transaction_id id) const noexcept {
  return const_cast<impl*>(this)->find(id);
}

std::uint32_t transaction_layer::impl::allocate() {
  if (free_slots.empty()) {
    const std::size_t c = slots.add(generation_floor);
    // Lowest slot on top: the live records gather in the low chunks.
    for (std::size_t i = detail::record_pool::chunk; i-- > 0;) {
      free_slots.push_back(static_cast<std::uint32_t>(c * detail::record_pool::chunk + i));
    }
  }
  const std::uint32_t slot = free_slots.back();
  free_slots.pop_back();
  slots.use(slot);
  transaction& t = slots[slot];
  const std::uint32_t generation = t.generation;
  t = transaction{};
  t.generation = generation;
  t.live = true;
  t.retransmit.owner = t.end.owner = slot;
  ++live;
  return slot;
}

void transaction_layer::impl::terminate(std::uint32_t slot) {
  transaction& t = slots[slot];
  if (!t.live) return;
  timers.stop(t.retransmit);
  timers.stop(t.end);
  unindex(slot);
  const transaction_id id = id_of(slot);
  const std::uint32_t related = t.related;
  const bool was_invite = t.kind == transaction_kind::client_invite;
  const bool silent = t.silent;
  t.state = transaction_state::terminated;
  t.live = false;
  t.owner.reset();
  t.response.reset();
  t.origin = {};
  t.extra.reset();
  if (++t.generation == 0) t.generation = 1;  // 0 means "no transaction"
  free_slots.push_back(slot);
  slots.release(slot);
  --live;
  if (!silent) actions.emplace_back(terminated_event{id});
  // A CANCEL still held for a 1xx goes with its INVITE, unsent (§9.1).
  if (was_invite && related != no_slot && slots[related].live && slots[related].cancel_held) {
    slots[related].related = no_slot;
    terminate(related);
  } else if (related != no_slot && slots[related].live && slots[related].related == slot) {
    slots[related].related = no_slot;
  }
  // No trim here: callers may still read the record. handle_timeout() and
  // next_action() trim, when nothing points into the pool.
}

void transaction_layer::impl::maybe_trim() {
  const std::size_t capacity = slots.chunks() * detail::record_pool::chunk;
  if (capacity <= reserve_chunks * detail::record_pool::chunk) return;
  if (live * 4 > capacity) return;
  // Idle: every chunk beyond the reserve can go. Otherwise the empty ones
  // can, once the capacity doubled or the live count halved since the
  // last trim (a fragmented pool is retried as the live count falls).
  if (live == 0 || capacity >= 2 * trimmed_capacity || live * 2 <= trimmed_live) trim();
}

void transaction_layer::impl::trim() {
  constexpr std::size_t chunk = detail::record_pool::chunk;
  // Drop the highest empty chunks first: the free list hands out low slots.
  for (std::size_t c = slots.chunk_slots(); c-- > 0 && slots.chunks() > reserve_chunks;) {
    // drop() also pops the holes it leaves at the end: c may be past it.
    if (c >= slots.chunk_slots() || !slots.present(c) || slots.in_use(c) != 0) continue;
    std::uint32_t next = slots.drop(c);
    if (next > generation_floor) generation_floor = next;
  }
  slots.shrink_to_fit();
  free_slots.clear();
  for (std::size_t c = slots.chunk_slots(); c-- > 0;) {
    if (!slots.present(c)) continue;
    for (std::size_t i = chunk; i-- > 0;) {
      const std::size_t slot = c * chunk + i;
      if (!slots[slot].live) free_slots.push_back(static_cast<std::uint32_t>(slot));
    }
  }
  free_slots.shrink_to_fit();
  clients.shrink_to_fit();
  servers.shrink_to_fit();
  merges.shrink_to_fit();
  legacy_servers.rehash(0);
  peer_lists.rehash(0);
  trimmed_capacity = slots.chunks() * chunk;
  trimmed_live = live;
  shrink_actions = true;
}

std::uint64_t transaction_layer::impl::next_random() {
  if (config.random) return config.random();
  std::uint64_t z = (random_state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

void transaction_layer::impl::fire(std::uint32_t slot, detail::timer_node& n, time_point now) {
  const transaction& t = slots[slot];
  if (t.kind == transaction_kind::client_invite || t.kind == transaction_kind::client_non_invite) {
    client_timer(slot, n, now);
  } else {
    server_timer(slot, n, now);
  }
}

// --- the API ------------------------------------------------------------------

transaction_layer::transaction_layer(transaction_config config)
    : impl_(std::make_unique<impl>(std::move(config))) {}

transaction_layer::~transaction_layer() = default;

const transaction_config& transaction_layer::config() const noexcept { return impl_->config; }

std::size_t transaction_layer::size() const noexcept { return impl_->live; }

std::size_t transaction_layer::capacity() const noexcept {
  return impl_->slots.chunks() * detail::record_pool::chunk;
}

std::optional<transaction_state> transaction_layer::state(transaction_id txn) const noexcept {
  const transaction* t = impl_->find(txn);
  if (t == nullptr) return std::nullopt;
  return t->state;
}

std::optional<transaction_kind> transaction_layer::kind(transaction_id txn) const noexcept {
  const transaction* t = impl_->find(txn);
  if (t == nullptr) return std::nullopt;
  return t->kind;
}

std::optional<txn_action> transaction_layer::next_action() {
  impl& s = *impl_;
  if (s.next_out == s.actions.size()) return std::nullopt;
  std::optional<txn_action> a(std::move(s.actions[s.next_out++]));
  if (s.next_out == s.actions.size()) {
    s.actions.clear();
    s.next_out = 0;
    s.maybe_trim();
    if (s.shrink_actions) {  // after a trim: the burst's queue goes too
      s.actions.shrink_to_fit();
      s.shrink_actions = false;
    }
  }
  return a;
}

bool transaction_layer::has_action() const noexcept {
  return impl_->next_out < impl_->actions.size();
}

std::optional<transaction_layer::time_point> transaction_layer::next_deadline() const noexcept {
  return impl_->timers.next_deadline();
}

void transaction_layer::handle_timeout(time_point now) {
  while (detail::timer_node* n = impl_->timers.pop_due(now)) impl_->fire(n->owner, *n, now);
  impl_->maybe_trim();
}

}  // namespace sipua
