// The transaction layer's state: the transaction records, the matching
// maps and the action queue. Private to src/txn; the machines are in
// client.cpp and server.cpp, matching in matching.cpp, messages the layer
// builds itself (ACK, CANCEL, 100, 482, 503) in build.cpp.
#pragma once

#include <deque>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "slot_index.hpp"
#include "timer_queue.hpp"

#include "sipua/message/message.hpp"
#include "sipua/txn/transaction_layer.hpp"

namespace sipua::detail {

inline constexpr std::uint32_t no_slot = std::numeric_limits<std::uint32_t>::max();

/// A request method for matching: the enum, and the token for extensions.
struct method_key {
  sipua::method id = sipua::method::extension;
  std::string_view token;  ///< only for extension methods
  friend bool operator==(const method_key&, const method_key&) noexcept = default;
};

// The keys carry their hash, computed once when the key is made: a map
// walking a bucket compares hashes before views, so it does not read the
// (cold) request buffers of other transactions, and nothing is rehashed.

/// RFC 3261 §17.1.3: a response matches the client transaction of the
/// same top Via branch and CSeq method.
struct client_key {
  std::size_t hash = 0;
  std::string_view branch;
  method_key method;
  friend bool operator==(const client_key&, const client_key&) noexcept = default;
};

/// RFC 3261 §17.2.3: branch, sent-by and method (ACK as INVITE).
struct server_key {
  std::size_t hash = 0;
  std::string_view branch;
  std::string_view host;
  std::uint32_t port = 0;  ///< 0x10000: no port written
  method_key method;
  friend bool operator==(const server_key&, const server_key&) noexcept = default;
};

/// RFC 3261 §8.2.2.2: From tag, Call-ID and CSeq of a request without To tag.
struct merge_key {
  std::size_t hash = 0;
  std::string_view from_tag;
  std::string_view call_id;
  std::uint32_t cseq = 0;
  method_key method;
  friend bool operator==(const merge_key&, const merge_key&) noexcept = default;
};

client_key make_client_key(std::string_view branch, method_key method) noexcept;
/// `port`: the sent-by port, 0x10000 when none was written. ACK is keyed
/// as INVITE (§17.2.3).
server_key make_server_key(std::string_view branch, std::string_view host, std::uint32_t port,
                           method_key method) noexcept;
merge_key make_merge_key(std::string_view from_tag, std::string_view call_id, std::uint32_t cseq,
                         method_key method) noexcept;

/// What matching reads from a request, parsed once (views into it).
struct request_info {
  via top;
  std::string_view from_tag;
  std::string_view to_tag;
  std::string_view call_id;
  std::uint32_t cseq = 0;
  method_key method;
};

/// The request's keys; none when its top Via, From, To, Call-ID or CSeq is
/// missing or does not parse (not a request a transaction can serve).
std::optional<request_info> read_request(const message& m) noexcept;

struct key_hash {
  template <class Key>
  std::size_t operator()(const Key& k) const noexcept {
    return k.hash;
  }
};

struct transaction {
  transaction_kind kind = transaction_kind::client_non_invite;
  transaction_state state = transaction_state::terminated;
  bool live = false;
  bool reliable = false;
  bool cancel_pending = false;  ///< client INVITE: its CANCEL waits for a 1xx (§9.1)
  bool cancel_held = false;     ///< client CANCEL: not sent yet
  bool rfc2543 = false;         ///< server: matched by the RFC 2543 rules
  bool merge_keyed = false;     ///< server: listed for merged-request detection
  bool cancelled = false;       ///< client INVITE: send_cancel() was called
  /// Server: answered by the layer itself (482 to a merged request): the
  /// TU never saw it and hears nothing of it.
  bool silent = false;
  std::uint32_t generation = 1;
  std::uint32_t related = no_slot;  ///< INVITE <-> its CANCEL
  timer_node retransmit;            ///< A, E or G
  timer_node end;                   ///< B, D, F, H, I, J, K, L or M
  txn_duration interval{};          ///< the next retransmission interval
  /// The request: ours (a client's; `owner` is then a std::string) or the
  /// one received (a server's). The keys view into it.
  std::shared_ptr<const void> owner;
  std::string_view text;
  /// The matching keys, viewing `text`: §17.1.3 / §17.2.3 (branch, sent-by,
  /// method) and §8.2.2.2 (From tag, Call-ID, CSeq).
  std::string_view branch;
  std::string_view sent_by_host;
  std::uint32_t sent_by_port = 0;
  method_key method;
  std::string_view from_tag;
  std::string_view call_id;
  std::uint32_t cseq = 0;
  std::size_t match_hash = 0;  ///< of its client_key / server_key
  std::size_t merge_hash = 0;  ///< of its merge_key (when merge_keyed)
  /// The list of transactions sending to the same peer (peer_lists).
  std::uint32_t peer_prev = no_slot;
  std::uint32_t peer_next = no_slot;
  bool peer_listed = false;
  /// Server: the last response sent. Client INVITE: the ACK sent.
  std::shared_ptr<const std::string> response;
  // Client: where the request goes.
  transport_protocol protocol = transport_protocol::udp;
  socket_address address;
  // Server: where the request came from, and its first via-parm (what a
  // response is routed by, §18.2.2), viewing `text`.
  transport_origin origin;
  std::string_view top_via_text;
  /// What few transactions need, out of line: a client's target name
  /// (TLS), a server's RFC 2543 key and the To tag of its final response
  /// (an ACK must carry it).
  struct extra_fields {
    std::string server_name;
    std::string legacy_key;
    std::string response_to_tag;
  };
  std::unique_ptr<extra_fields> extra;
  extra_fields& more() {
    if (!extra) extra = std::make_unique<extra_fields>();
    return *extra;
  }
  [[nodiscard]] std::string_view server_name() const noexcept {
    return extra ? std::string_view(extra->server_name) : std::string_view{};
  }
};

/// The records, in chunks of 256 that never move while they exist (the
/// timer nodes and the indexes point at them) and carry no per-record
/// allocation overhead. A chunk none of whose records is live may be
/// dropped (trim); its place stays a hole until a new chunk fills it.
class record_pool {
 public:
  static constexpr std::size_t chunk = 256;
  transaction& operator[](std::size_t i) noexcept { return chunks_[i / chunk][i % chunk]; }
  const transaction& operator[](std::size_t i) const noexcept {
    return chunks_[i / chunk][i % chunk];
  }
  /// The slots addressable: holes included.
  [[nodiscard]] std::size_t size() const noexcept { return chunks_.size() * chunk; }
  /// Whether slot `i` is in a chunk that exists.
  [[nodiscard]] bool holds(std::size_t i) const noexcept {
    return i < size() && chunks_[i / chunk] != nullptr;
  }
  [[nodiscard]] std::size_t chunks() const noexcept { return present_; }
  [[nodiscard]] std::size_t chunk_slots() const noexcept { return chunks_.size(); }
  [[nodiscard]] bool present(std::size_t c) const noexcept { return chunks_[c] != nullptr; }
  [[nodiscard]] std::uint32_t in_use(std::size_t c) const noexcept { return in_use_[c]; }
  void use(std::size_t slot) noexcept { ++in_use_[slot / chunk]; }
  void release(std::size_t slot) noexcept { --in_use_[slot / chunk]; }
  /// Makes a chunk (in the lowest hole, else at the end), its records at
  /// `generation`; returns its index.
  std::size_t add(std::uint32_t generation) {
    std::size_t c = 0;
    while (c < chunks_.size() && chunks_[c] != nullptr) ++c;
    auto records = std::make_unique<transaction[]>(chunk);
    for (std::size_t i = 0; i < chunk; ++i) records[i].generation = generation;
    if (c == chunks_.size()) {
      chunks_.push_back(std::move(records));
      in_use_.push_back(0);
    } else {
      chunks_[c] = std::move(records);
    }
    ++present_;
    return c;
  }
  /// Frees chunk `c` (none of its records live); returns the highest
  /// generation its records would have handed out next.
  std::uint32_t drop(std::size_t c) noexcept {
    std::uint32_t highest = 0;
    for (std::size_t i = 0; i < chunk; ++i) {
      if (chunks_[c][i].generation > highest) highest = chunks_[c][i].generation;
    }
    chunks_[c].reset();
    --present_;
    while (!chunks_.empty() && chunks_.back() == nullptr) {
      chunks_.pop_back();
      in_use_.pop_back();
    }
    return highest;
  }
  void shrink_to_fit() {
    chunks_.shrink_to_fit();
    in_use_.shrink_to_fit();
  }

 private:
  std::vector<std::unique_ptr<transaction[]>> chunks_;
  std::vector<std::uint32_t> in_use_;  ///< live records per chunk
  std::size_t present_ = 0;
};

}  // namespace sipua::detail

namespace sipua {

struct transaction_layer::impl {
  using transaction = detail::transaction;
  using timer_node = detail::timer_node;
  using method_key = detail::method_key;
  explicit impl(transaction_config c) : config(std::move(c)) {}

  transaction_config config;
  detail::record_pool slots;
  /// Free slots of the chunks that exist; allocation takes from the back.
  std::vector<std::uint32_t> free_slots;
  std::size_t live = 0;
  /// The generation a new chunk's records start at: above every generation
  /// a dropped chunk handed out, so a stale id never finds a new record.
  std::uint32_t generation_floor = 1;
  /// Trimming (after a burst): the chunks kept however idle the layer is,
  /// and what the last trim left. A trim waits for the live transactions
  /// to fall to a quarter of the capacity, and then for the layer to be
  /// idle, the capacity to have doubled or the live count to have halved
  /// since the last trim: its cost (a pass over the records) is paid for
  /// by the allocations or terminations since, and a layer going 0 <-> 1
  /// live transactions never allocates or frees a chunk.
  static constexpr std::size_t reserve_chunks = 4;
  std::size_t trimmed_capacity = reserve_chunks * detail::record_pool::chunk;
  std::size_t trimmed_live = 0;
  bool shrink_actions = false;  ///< at the next drain of the action queue
  detail::timer_queues timers;
  /// The action queue: a vector read from `next_out`, cleared (keeping its
  /// capacity) once drained, so a steady state allocates nothing (a deque
  /// would allocate a block per action: one action is over 1 KB).
  std::vector<txn_action> actions;
  std::size_t next_out = 0;
  detail::slot_index clients;  ///< client_key hashes
  detail::slot_index servers;  ///< server_key hashes
  std::unordered_map<std::string, std::uint32_t> legacy_servers;
  detail::slot_index merges;  ///< merge_key hashes
  /// Who each transaction sends to (a client's destination, a server's
  /// request source): per peer, an intrusive list through the records, so
  /// a transport error finds its transactions without a scan (§17.1.4,
  /// §17.2.4) and filing one is O(1) however many share a peer.
  struct peer_key {
    transport_protocol protocol = transport_protocol::udp;
    socket_address address;
    friend bool operator==(const peer_key&, const peer_key&) noexcept = default;
  };
  struct peer_key_hash {
    std::size_t operator()(const peer_key& k) const noexcept {
      return std::hash<socket_address>{}(k.address) * 31 + static_cast<std::size_t>(k.protocol);
    }
  };
  std::unordered_map<peer_key, std::uint32_t, peer_key_hash> peer_lists;  ///< peer → first slot
  [[nodiscard]] peer_key peer_of(const detail::transaction& t) const noexcept;
  void list_peer(std::uint32_t slot);
  void unlist_peer(std::uint32_t slot);
  std::uint64_t random_state = 0x5eed5eed5eed5eedULL;

  /// config.random, else splitmix64 (deterministic).
  std::uint64_t next_random();

  // --- records (transaction_layer.cpp) ---
  transaction* find(transaction_id id) noexcept;
  const transaction* find(transaction_id id) const noexcept;
  std::uint32_t allocate();
  /// Frees the chunks no live record uses beyond the reserve, rebuilds the
  /// free list (lowest slot taken first) and fits the indexes.
  void trim();
  void maybe_trim();
  [[nodiscard]] transaction_id id_of(std::uint32_t slot) const noexcept {
    return {slot, slots[slot].generation};
  }
  /// Stops the timers, leaves the maps, queues terminated_event, frees.
  void terminate(std::uint32_t slot);
  /// Queues a TU event for transaction `slot` unless it is silent.
  template <class Event>
  void tell_tu(std::uint32_t slot, Event e) {
    if (!slots[slot].silent) actions.emplace_back(std::move(e));
  }
  void fire(std::uint32_t slot, timer_node& n, time_point now);

  // --- matching (matching.cpp) ---
  void index_client(std::uint32_t slot, const detail::request_info& r);
  void index_server(std::uint32_t slot, const message& request, const detail::request_info& r);
  void unindex(std::uint32_t slot);
  std::uint32_t match_response(const message& response) const;
  std::uint32_t find_client(const detail::client_key& k) const;
  /// The server transaction `request` belongs to (ACK: its INVITE's;
  /// `as_method` overrides the method, for CANCEL → INVITE), or no_slot.
  std::uint32_t match_request(const message& request, const detail::request_info& r,
                              const method_key* as_method = nullptr) const;
  std::uint32_t match_merged(const detail::request_info& r) const;

  // --- client machines (client.cpp) ---
  void transmit_request(std::uint32_t slot, bool retransmission);
  void client_response(std::uint32_t slot, time_point now, inbound_message&& m);
  void client_timer(std::uint32_t slot, timer_node& n, time_point now);
  void release_cancel(std::uint32_t invite_slot, time_point now);

  // --- server machines (server.cpp) ---
  void server_request(std::uint32_t slot, time_point now, inbound_message&& m);
  std::error_code server_response(std::uint32_t slot, time_point now,
                                  std::shared_ptr<const std::string> bytes, int status);
  void server_timer(std::uint32_t slot, timer_node& n, time_point now);
  void new_server(time_point now, inbound_message&& m, const detail::request_info& r);
  /// Queues `bytes` as a response of server transaction `slot`.
  void transmit_response(std::uint32_t slot, std::shared_ptr<const std::string> bytes,
                         bool retransmission);
};

}  // namespace sipua

namespace sipua::detail {

/// The method of a request (or of a response's CSeq), for matching.
method_key method_of(const message& m) noexcept;
method_key cseq_method(const cseq& c) noexcept;

// --- messages the layer builds (build.cpp) ---
/// RFC 3261 §17.1.1.3: the ACK for a non-2xx final response.
std::shared_ptr<const std::string> build_ack(const message& request, const message& response);
/// RFC 3261 §9.1: the CANCEL of `invite`.
std::shared_ptr<const std::string> build_cancel(const message& invite);
/// A response the layer answers itself (100, 482, 503 with Retry-After).
std::shared_ptr<const std::string> build_layer_response(const message& request, int status,
                                                        std::uint64_t random);
/// The status code of a response's status line ("SIP/2.0 " 3DIGIT SP,
/// RFC 3261 §7.2) when `bytes` starts with one and holds a whole header
/// section; 0 otherwise.
int status_of(std::string_view bytes) noexcept;
/// The tag of `response`'s To header, or empty.
std::string_view to_tag_of(const message& response) noexcept;

}  // namespace sipua::detail
