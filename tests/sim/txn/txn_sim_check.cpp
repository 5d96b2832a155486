// txn_sim::check(): what RFC 3261 §17 and RFC 6026 say each transaction's
// end must look like, given what the simulation recorded.
#include <chrono>
#include <sstream>
#include <string>

#include "sim/txn/txn_sim.hpp"

namespace sipua::sim {
namespace {

/// Milliseconds after t0, for messages.
long long ms(sim_time t, sim_time t0) {
  return std::chrono::duration_cast<sim_duration>(t - t0).count();
}

class problems {
 public:
  explicit problems(sim_time t0) : t0_(t0) {}
  /// Records "txn <n>: <what>" when `ok` is false.
  void expect(bool ok, std::size_t n, const std::string& what) {
    if (!ok) lines_.push_back("txn " + std::to_string(n) + ": " + what);
  }
  /// `actual` must be exactly `expected` (both optional: set and equal).
  void expect_at(const std::optional<sim_time>& actual, sim_time expected, std::size_t n,
                 const char* what) {
    if (actual && *actual == expected) return;
    std::ostringstream s;
    s << what << " at " << (actual ? std::to_string(ms(*actual, t0_)) : std::string("never"))
      << " ms, expected " << ms(expected, t0_) << " ms";
    lines_.push_back("txn " + std::to_string(n) + ": " + s.str());
  }
  void global(bool ok, const std::string& what) {
    if (!ok) lines_.push_back(what);
  }
  std::vector<std::string> take() { return std::move(lines_); }

 private:
  sim_time t0_;
  std::vector<std::string> lines_;
};

}  // namespace

std::vector<std::string> txn_sim::check() const {
  problems p(t0_);
  const timer_config& tc = config_.timers;
  const bool rel = reliable();
  p.global(!overran_, "the simulation did not end within its virtual-time bound");
  p.global(stats_.unexpected == 0,
           std::to_string(stats_.unexpected) + " unexpected events (see txn_sim.cpp)");
  for (std::size_t n = 0; n < records_.size(); ++n) {
    const txn_record& r = records_[n];
    const char* kind = r.invite ? "INVITE" : "non-INVITE";
    p.expect(r.client.valid(), n, "send_request failed");
    p.expect(r.transport_failures == 0, n, "transport_failure_event on a virtual network");
    // --- the client transaction (§17.1.1, §17.1.2, RFC 6026 §7.2) ---
    p.expect(!(r.final_at && r.timeout_at), n, "ended by a final response and by a timeout");
    if (!r.final_at && !r.timeout_at) {
      p.expect(false, n,
               std::string(kind) + " client ended neither by a final response nor a timeout (" +
                   std::to_string(r.provisionals) + " provisionals, state " +
                   std::string(to_string(
                       layer_[0]->state(r.client).value_or(transaction_state::terminated))) +
                   ")");
    }
    if (r.timeout_at) {
      if (!r.invite) {
        // Timer F: 64*T1 after the request first went out, to the ms.
        p.expect_at(r.timeout_at, r.start + tc.timer_f(), n, "Timer F timeout_event");
      } else if (r.provisionals == 0) {
        // Timer B only runs in calling (§17.1.1.2, Figure 5).
        p.expect_at(r.timeout_at, r.start + tc.timer_b(), n, "Timer B timeout_event");
      } else if (r.cancelled_at) {
        // RFC 3261 §9.1: "If there is no final response for the original
        // request in 64*T1 seconds [after the CANCEL] ... the client SHOULD
        // then consider the original transaction cancelled and SHOULD
        // destroy the client transaction handling the original request."
        // (The TU cancels only INVITEs in proceeding: the CANCEL goes at once.)
        p.expect_at(r.timeout_at, *r.cancelled_at + 64 * tc.t1, n,
                    "RFC 3261 §9.1 end of a cancelled INVITE (timeout_event)");
      } else {
        // Every final response lost after a 1xx: sipua's Timer C (restarted
        // by each 1xx; docs/txn.md) ends the wait.
        p.expect_at(r.timeout_at, *r.last_provisional_at + tc.timer_c(), n,
                    "Timer C timeout_event");
      }
      p.expect_at(r.terminated_at, *r.timeout_at, n, "terminated after timeout");
    }
    if (r.final_at) {
      p.expect(r.final_status == r.expected_status, n,
               "final status " + std::to_string(r.final_status) + ", expected " +
                   std::to_string(r.expected_status));
      const bool two_xx = r.final_status < 300;
      // Retransmitted non-2xx finals are absorbed (§17.1.1.2, §17.1.2.2);
      // every 2xx reaches the TU (RFC 6026 §7.2).
      if (!(r.invite && two_xx)) p.expect(r.finals == 1, n, "final response passed up twice");
      sim_time end = *r.final_at;
      if (!r.invite) {
        end += tc.timer_k(rel);  // §17.1.2.2 Timer K
      } else if (two_xx) {
        end += tc.timer_m();  // RFC 6026 §7.2 Timer M
      } else {
        end += tc.timer_d(rel);  // §17.1.1.2 Timer D
      }
      p.expect_at(r.terminated_at, end, n, "client terminated_event");
    }
    // --- the server transaction (§17.2.1, §17.2.2, RFC 6026 §7.1) ---
    if (r.request_events == 0) {
      p.expect(r.timeout_at.has_value(), n, "a final response without a server transaction");
      continue;
    }
    p.expect(r.server_final_at.has_value(), n, "the server TU never answered");
    if (!r.server_final_at) continue;
    const sim_time answered = *r.server_final_at;
    if (!r.invite) {
      p.expect_at(r.server_terminated_at, answered + tc.timer_j(rel), n,
                  "server terminated_event (Timer J)");
    } else if (r.expected_status < 300) {
      p.expect_at(r.server_terminated_at, answered + tc.timer_l(), n,
                  "server terminated_event (Timer L)");
      // The ACK stops the TU's 2xx retransmissions; it can only come after
      // the client saw a 2xx.
      if (r.ack_events > 0) {
        p.expect(r.final_at || r.strays > 0, n, "ACK without a 2xx at the client");
      }
    } else if (r.confirmed_at) {
      p.expect(!r.server_timeout_at, n, "Timer H fired after the ACK");
      p.expect(r.final_at.has_value(), n, "ACK absorbed but the client saw no final");
      p.expect_at(r.server_terminated_at, *r.confirmed_at + tc.timer_i(rel), n,
                  "server terminated_event (Timer I)");
    } else {
      // §17.2.1: no ACK within Timer H: timeout_event, then terminated.
      p.expect_at(r.server_timeout_at, answered + tc.timer_h(), n, "Timer H timeout_event");
      p.expect_at(r.server_terminated_at, answered + tc.timer_h(), n,
                  "server terminated_event (Timer H)");
    }
  }
  // A second request_event is a copy that outlived the first server
  // transaction; while that one lived, §17.2.3 matching must absorb it.
  for (const late_request& l : late_) {
    p.expect(!l.while_live, l.n, "a copy of the request made a second server transaction");
    p.expect(l.terminated_at.has_value(), l.n, "the late copy's server transaction never ended");
    p.expect(!layer_[1]->state(l.server), l.n, "the late copy's handle is not stale");
  }
  for (const txn_record& r : records_) {
    if (!r.cancel.valid()) continue;
    p.global(r.cancel_terminated_at.has_value(), "a CANCEL client transaction never ended");
    p.global(!layer_[0]->state(r.cancel), "a CANCEL client handle is not stale");
  }
  for (const auto& [id, ended] : server_cancels_) {
    p.global(ended.has_value(), "a CANCEL server transaction never ended");
    p.global(!layer_[1]->state(id), "a CANCEL server handle is not stale");
  }
  // Nothing is left: no live transaction, no timer, every handle stale.
  for (int e = 0; e < 2; ++e) {
    const transaction_layer& l = *layer_[e];
    const std::string who = e == 0 ? "client layer" : "server layer";
    p.global(l.size() == 0, who + ": " + std::to_string(l.size()) + " transactions left");
    p.global(!l.next_deadline(), who + ": a deadline is still pending");
    p.global(!l.has_action(), who + ": actions left undrained");
  }
  for (std::size_t n = 0; n < records_.size(); ++n) {
    const txn_record& r = records_[n];
    p.expect(!layer_[0]->state(r.client), n, "the client handle is not stale");
    p.expect(!layer_[1]->state(r.server), n, "the server handle is not stale");
  }
  return p.take();
}

}  // namespace sipua::sim
