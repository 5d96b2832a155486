// Transaction timers (RFC 3261 §17 and its Table 4, RFC 6026 §8.4 for L and
// M) as per-endpoint configuration: no global constants. Every value is
// derived from T1, T2 and T4 unless set explicitly; reliable transports get
// no retransmissions and zero D, I, J and K (Table 4).
//
// Threading: a plain value type.
#pragma once

#include <algorithm>
#include <chrono>
#include <optional>

namespace sipua {

using txn_duration = std::chrono::milliseconds;

struct timer_config {
  /// RTT estimate (RFC 3261 §17.1.1.1): 500 ms.
  txn_duration t1{500};
  /// The longest interval between retransmissions of a non-INVITE request
  /// or an INVITE final response (§17.1.2.2, §17.2.1): 4 s.
  txn_duration t2{4000};
  /// How long a message may stay in the network (§17.1.2.2): 5 s.
  txn_duration t4{5000};

  /// Overrides; unset takes the RFC value in the comment.
  std::optional<txn_duration> a;  ///< INVITE retransmission, initial: T1
  std::optional<txn_duration> b;  ///< INVITE transaction timeout: 64*T1
  /// Client INVITE in proceeding: the longest wait for the final response
  /// after the last provisional, 181 s. RFC 3261 has no such timer for a
  /// UA (Figure 5 waits forever); sipua borrows the proxy's Timer C
  /// (§16.6 item 11: "greater than 3 minutes") so that a peer that sends a
  /// 1xx and nothing else cannot pin a transaction forever.
  std::optional<txn_duration> c;
  std::optional<txn_duration> d;  ///< wait for response retransmissions: max(32 s, 64*T1)
  std::optional<txn_duration> e;  ///< non-INVITE retransmission, initial: T1
  std::optional<txn_duration> f;  ///< non-INVITE transaction timeout: 64*T1
  std::optional<txn_duration> g;  ///< INVITE response retransmission, initial: T1
  std::optional<txn_duration> h;  ///< wait for ACK receipt: 64*T1
  std::optional<txn_duration> i;  ///< wait for ACK retransmissions: T4
  std::optional<txn_duration> j;  ///< wait for non-INVITE request retransmissions: 64*T1
  std::optional<txn_duration> k;  ///< wait for response retransmissions: T4
  std::optional<txn_duration> l;  ///< wait for INVITE retransmissions after a 2xx (RFC 6026): 64*T1
  std::optional<txn_duration> m;  ///< wait for 2xx retransmissions (RFC 6026): 64*T1

  [[nodiscard]] txn_duration timer_a() const { return a.value_or(t1); }
  [[nodiscard]] txn_duration timer_b() const { return b.value_or(64 * t1); }
  [[nodiscard]] txn_duration timer_c() const { return c.value_or(txn_duration{181000}); }
  /// Table 4: "> 32s for UDP": at least 32 s, and never shorter than the
  /// 64*T1 a server may keep retransmitting its final response (Timer H).
  [[nodiscard]] txn_duration timer_d(bool reliable) const {
    return reliable ? txn_duration{0} : d.value_or(std::max(txn_duration{32000}, 64 * t1));
  }
  [[nodiscard]] txn_duration timer_e() const { return e.value_or(t1); }
  [[nodiscard]] txn_duration timer_f() const { return f.value_or(64 * t1); }
  [[nodiscard]] txn_duration timer_g() const { return g.value_or(t1); }
  [[nodiscard]] txn_duration timer_h() const { return h.value_or(64 * t1); }
  [[nodiscard]] txn_duration timer_i(bool reliable) const {
    return reliable ? txn_duration{0} : i.value_or(t4);
  }
  [[nodiscard]] txn_duration timer_j(bool reliable) const {
    return reliable ? txn_duration{0} : j.value_or(64 * t1);
  }
  [[nodiscard]] txn_duration timer_k(bool reliable) const {
    return reliable ? txn_duration{0} : k.value_or(t4);
  }
  [[nodiscard]] txn_duration timer_l() const { return l.value_or(64 * t1); }
  [[nodiscard]] txn_duration timer_m() const { return m.value_or(64 * t1); }
};

}  // namespace sipua
