// Stateful fuzz target: the transaction layer (RFC 3261 §17, RFC 6026)
// driven by a byte program. Each step the input picks an event: a message
// from the wire (a SIP message built from templates with input-chosen
// method, branch, sent-by, status, CSeq, tags; or raw input bytes through
// parse_datagram), a TU call (send_request, send_response, send_cancel), a
// transport error, or a jump in time (small, large, or to next_deadline()).
// Actions are drained after every step.
//
// Promises checked (a broken one aborts, which libFuzzer reports):
//   - nothing crashes or asserts; every call returns an error code at worst;
//   - after handle_timeout(now) no timer is due at `now` any more;
//   - a terminated_event's handle is stale at once;
//   - at the end, once the TU has answered every server transaction and
//     cancelled every pending INVITE and virtual time ran 10 minutes ahead
//     in steps of next_deadline(), no transaction is left and no timer runs.
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "program.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace {

using namespace std::chrono_literals;
using sipua::transaction_id;
using sipua::transaction_layer;
using sipua::transaction_state;
using time_point = transaction_layer::time_point;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_txn: broken promise: %s\n", what);
    std::abort();
  }
}

using sipua::fuzzing::program;

constexpr std::array<std::string_view, 8> methods = {"INVITE", "ACK",      "CANCEL", "OPTIONS",
                                                     "BYE",    "REGISTER", "INFO",   "FOO"};
// Few values, so that messages often match each other's transactions.
constexpr std::array<std::string_view, 6> branches = {"z9hG4bK1", "z9hG4bK2", "z9hG4bK3",
                                                      "z9hG4bKx", "1234",     ""};
constexpr std::array<std::string_view, 3> sent_bys = {"192.0.2.1:5060", "192.0.2.1",
                                                      "[2001:db8::1]:5070"};
constexpr std::array<std::string_view, 3> tags = {"", "t1", "t2"};
constexpr std::array<std::string_view, 2> call_ids = {"c1@x", "c2@x"};
constexpr std::array<int, 12> statuses = {100, 180, 183, 200, 202, 299,
                                          300, 404, 481, 486, 500, 699};
constexpr std::array<sipua::transport_protocol, 3> protocols = {
    sipua::transport_protocol::udp, sipua::transport_protocol::tcp, sipua::transport_protocol::tls};

sipua::socket_address peer(std::uint8_t i) {
  return {sipua::ip_address::v4({192, 0, 2, static_cast<std::uint8_t>(1 + i % 2)}),
          static_cast<std::uint16_t>(5060 + i % 3)};
}

class harness {
 public:
  harness(program& p) : p_(p), layer_(config(p)) {}

  void step();
  void finish();

 private:
  static sipua::transaction_config config(program& p) {
    sipua::transaction_config c;
    const std::uint8_t b = p.byte();
    c.timers.t1 = std::chrono::milliseconds(b & 1 ? 100 : 500);
    c.send_100_trying = (b & 2) == 0;
    c.answer_merged_requests = (b & 4) == 0;
    c.max_transactions = b & 8 ? 3 : 1000;
    return c;
  }

  std::string request_text(std::string_view method, std::string_view branch, bool big);
  std::string response_text(int status);
  void from_wire(std::string bytes, sipua::transport_protocol protocol);
  void tu_request();
  void tu_response();
  void drain();
  void advance(time_point to);
  transaction_id some_id() {
    return ids_.empty() ? transaction_id{p_.byte(), 1} : ids_[p_.byte() % ids_.size()];
  }
  void remember(transaction_id id) { ids_.push_back(id); }

  program& p_;
  transaction_layer layer_;
  time_point now_ = time_point{} + 1h;
  /// Every transaction the TU heard of (at most one new per step).
  std::vector<transaction_id> ids_;
  /// Requests of server transactions, to answer them (owning their bytes).
  std::vector<std::pair<transaction_id, sipua::message>> requests_;
};

std::string harness::request_text(std::string_view method, std::string_view branch, bool big) {
  std::string s(method);
  s += " sip:bob@198.51.100.2 SIP/2.0\r\nVia: SIP/2.0/";
  s += sipua::via_token(p_.pick(protocols));
  s += ' ';
  s += p_.pick(sent_bys);
  if (!branch.empty()) s.append(";branch=").append(branch);
  s += "\r\nMax-Forwards: 70\r\nFrom: <sip:a@x>;tag=f";
  s += static_cast<char>('0' + p_.byte() % 3);
  s += "\r\nTo: <sip:b@y>";
  if (auto t = p_.pick(tags); !t.empty()) s.append(";tag=").append(t);
  s.append("\r\nCall-ID: ").append(p_.pick(call_ids));
  s.append("\r\nCSeq: ").append(std::to_string(p_.byte() % 3 + 1)).append(" ");
  s.append(p_.byte() % 4 == 0 ? p_.pick(methods) : method);
  const std::size_t body = big ? 1400 : 0;  // over 1300 bytes: UDP becomes TCP (§18.1.1)
  s.append("\r\nContent-Length: ").append(std::to_string(body)).append("\r\n\r\n");
  s.append(body, 'x');
  return s;
}

std::string harness::response_text(int status) {
  std::string s = "SIP/2.0 " + std::to_string(status) + " X\r\nVia: SIP/2.0/UDP ";
  s += p_.pick(sent_bys);
  if (auto b = p_.pick(branches); !b.empty()) s.append(";branch=").append(b);
  s += "\r\nFrom: <sip:a@x>;tag=f0\r\nTo: <sip:b@y>";
  if (auto t = p_.pick(tags); !t.empty()) s.append(";tag=").append(t);
  s.append("\r\nCall-ID: ").append(p_.pick(call_ids));
  s.append("\r\nCSeq: 1 ").append(p_.pick(methods)).append("\r\nContent-Length: 0\r\n\r\n");
  return s;
}

void harness::from_wire(std::string bytes, sipua::transport_protocol protocol) {
  auto owned = std::make_shared<const std::string>(std::move(bytes));
  sipua::inbound_message in;
  if (sipua::parse_datagram(*owned, in.message)) return;  // the transport drops it (§18.3)
  in.message.set_owner(owned);
  in.origin.protocol = protocol;
  in.origin.peer = peer(p_.byte());
  layer_.receive(now_, std::move(in));
}

void harness::tu_request() {
  const std::string_view method = p_.pick(methods);
  const std::uint8_t target = p_.byte();
  const auto protocol = p_.pick(protocols);
  const bool big = p_.byte() % 8 == 0;
  const std::string_view branch = p_.pick(branches);
  auto r = layer_.send_request(now_, request_text(method, branch, big),
                               sipua::send_target{peer(target), {}}, protocol);
  if (r) remember(*r);
}

void harness::tu_response() {
  const transaction_id id = some_id();
  const int status = p_.byte() % 2 ? p_.pick(statuses) : 100 + p_.u16() % 600;
  std::string text;
  for (const auto& [rid, request] : requests_) {
    if (rid == id) {
      auto b = sipua::build_response(request, status, {}, "srv");
      if (auto built = b.build()) text = std::move(*built);
      break;
    }
  }
  if (text.empty()) text = response_text(status);
  (void)layer_.send_response(now_, id, std::move(text));
}

/// SIPUA_FUZZ_TXN_TRACE=1 prints every action (to read a crasher).
const bool trace = std::getenv("SIPUA_FUZZ_TXN_TRACE") != nullptr;

void harness::drain() {
  while (auto a = layer_.next_action()) {
    if (trace) {
      const auto ms =
          std::chrono::duration_cast<std::chrono::milliseconds>(now_ - time_point{} - 1h).count();
      std::fprintf(stderr, "fuzz_txn: t=%lld ms action %zu, %zu live\n", static_cast<long long>(ms),
                   a->index(), layer_.size());
    }
    if (auto* e = std::get_if<sipua::request_event>(&*a)) {
      remember(e->txn);
      requests_.emplace_back(e->txn, e->request.message);
    } else if (auto* c = std::get_if<sipua::cancel_event>(&*a)) {
      remember(c->txn);
      requests_.emplace_back(c->txn, c->cancel.message);
    } else if (auto* t = std::get_if<sipua::terminated_event>(&*a)) {
      check(!layer_.state(t->txn), "a terminated transaction's handle is stale");
    } else if (auto* s = std::get_if<sipua::send_request_action>(&*a)) {
      check(s->bytes != nullptr && !s->bytes->empty(), "send_request_action carries bytes");
    } else if (auto* r = std::get_if<sipua::send_response_action>(&*a)) {
      check(r->bytes != nullptr && !r->bytes->empty(), "send_response_action carries bytes");
    }
  }
}

void harness::advance(time_point to) {
  now_ = std::max(now_, to);
  layer_.handle_timeout(now_);
  drain();
  auto d = layer_.next_deadline();
  check(!d || *d > now_, "handle_timeout(now) leaves no timer due at now");
}

void harness::step() {
  switch (p_.byte() % 11) {
    // Every read of the program in its own statement: the byte layout must
    // not depend on the compiler's order of evaluating arguments.
    case 0:
    case 1: {
      const std::string_view method = p_.pick(methods);
      const std::string_view branch = p_.pick(branches);
      std::string text = request_text(method, branch, false);
      const auto protocol = p_.pick(protocols);
      from_wire(std::move(text), protocol);
      break;
    }
    case 2: {
      const int status = p_.pick(statuses);
      std::string text = response_text(status);
      const auto protocol = p_.pick(protocols);
      from_wire(std::move(text), protocol);
      break;
    }
    case 3: from_wire(std::string(p_.bytes(p_.byte())), sipua::transport_protocol::udp); break;
    case 4: tu_request(); break;
    case 5: tu_response(); break;
    case 6: (void)layer_.send_cancel(now_, some_id()); break;
    case 7: {
      sipua::transport_error_event e;
      e.protocol = p_.pick(protocols);
      e.peer = peer(p_.byte());
      e.error = std::make_error_code(std::errc::connection_refused);
      layer_.transport_error(now_, e);
      break;
    }
    case 8: advance(now_ + std::chrono::milliseconds(p_.byte() * 10)); break;
    case 9: advance(now_ + std::chrono::milliseconds(p_.u16() * 10)); break;
    case 10:
      if (auto d = layer_.next_deadline()) advance(*d);
      break;
  }
  drain();
}

void harness::finish() {
  // The TU's duties: answer every server transaction still waiting for a
  // final response (§8.2.6), cancel every INVITE still waiting (§9.1).
  for (const transaction_id id : ids_) {
    const auto s = layer_.state(id);
    const auto k = layer_.kind(id);
    if (!s || !k) continue;
    const bool server = *k == sipua::transaction_kind::server_invite ||
                        *k == sipua::transaction_kind::server_non_invite;
    if (server && (*s == transaction_state::trying || *s == transaction_state::proceeding)) {
      std::string text;
      for (const auto& [rid, request] : requests_) {
        if (rid == id) {
          if (auto built = sipua::build_response(request, 500, {}, "srv").build()) {
            text = std::move(*built);
          }
        }
      }
      if (text.empty()) text = response_text(500);  // the request was too odd to answer
      check(!layer_.send_response(now_, id, std::move(text)), "a final response is accepted");
    } else if (*k == sipua::transaction_kind::client_invite) {
      (void)layer_.send_cancel(now_, id);
    }
    drain();
  }
  const time_point end = now_ + 10min;
  while (auto d = layer_.next_deadline()) {
    if (*d > end) break;
    advance(*d);
  }
  check(!layer_.next_deadline(), "no timer runs 10 minutes later");
  // A client INVITE in proceeding ends by Timer C (181 s), well inside.
  check(layer_.size() == 0, "no transaction is left (leak)");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  program p(data, size);
  harness h(p);
  for (int steps = 0; steps < 400 && !p.done(); ++steps) h.step();
  h.finish();
  return 0;
}
