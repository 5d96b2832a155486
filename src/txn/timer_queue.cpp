#include "timer_queue.hpp"

namespace sipua::detail {

void timer_queues::start(timer_node& n, txn_clock::time_point now, txn_clock::duration d) {
  stop(n);
  std::size_t index = 0;
  while (index < lists_.size() && lists_[index].duration != d) ++index;
  if (index == lists_.size()) lists_.push_back(fifo{d, nullptr, nullptr});
  fifo& f = lists_[index];
  n.deadline = now + d;
  n.list = static_cast<std::uint16_t>(index + 1);
  // Appending keeps the list sorted while `now` never goes back; a caller
  // whose clock did is still served in order, by walking back.
  timer_node* after = f.tail;
  while (after != nullptr && after->deadline > n.deadline) after = after->prev;
  n.prev = after;
  n.next = after != nullptr ? after->next : f.head;
  if (n.next != nullptr) {
    n.next->prev = &n;
  } else {
    f.tail = &n;
  }
  if (after != nullptr) {
    after->next = &n;
  } else {
    f.head = &n;
  }
}

void timer_queues::stop(timer_node& n) noexcept {
  if (!n.running()) return;
  fifo& f = lists_[n.list - 1];
  (n.prev != nullptr ? n.prev->next : f.head) = n.next;
  (n.next != nullptr ? n.next->prev : f.tail) = n.prev;
  n.prev = n.next = nullptr;
  n.list = 0;
}

std::optional<txn_clock::time_point> timer_queues::next_deadline() const noexcept {
  std::optional<txn_clock::time_point> at;
  for (const fifo& f : lists_) {
    if (f.head != nullptr && (!at || f.head->deadline < *at)) at = f.head->deadline;
  }
  return at;
}

timer_node* timer_queues::pop_due(txn_clock::time_point now) noexcept {
  timer_node* best = nullptr;
  for (const fifo& f : lists_) {
    if (f.head != nullptr && f.head->deadline <= now &&
        (best == nullptr || f.head->deadline < best->deadline)) {
      best = f.head;
    }
  }
  if (best != nullptr) stop(*best);
  return best;
}

}  // namespace sipua::detail
