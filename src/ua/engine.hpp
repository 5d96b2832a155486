// The UserAgent's insides: the state every Call handle shares with the
// engine (a mutex-guarded set of live call ids, never held during a
// callback), and the engine that runs the UA core on the io_context with
// the transports, the resolver and one timer.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <unordered_map>
#include <vector>

#include "../runtime/deadline_timer.hpp"
#include "../runtime/wire.hpp"
#include "handler_pack.hpp"
#include "id_table.hpp"
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "sipua/dialog/ua_core.hpp"
#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/resolver.hpp"
#include "sipua/transport/tcp.hpp"
#include "sipua/transport/tls.hpp"
#include "sipua/transport/transport_set.hpp"
#include "sipua/transport/udp.hpp"
#include "sipua/ua/user_agent.hpp"

namespace sipua::ua_detail {

using clock = std::chrono::steady_clock;

/// Call ids, unique in the process: Call::operator== compares ids only,
/// so two UserAgents must never hand out the same one.
inline std::atomic<std::uint64_t> next_call_id{1};

/// What a Call handle needs, shared by the engine and every handle: it
/// outlives the engine, so a handle kept after the UserAgent is gone is
/// safe (every call then reports unknown_call).
struct shared_state {
  std::mutex mutex;
  /// Calls not ended, by id: the core's call_handle slot + 1 once the
  /// engine started it (0 before). The engine's own record of the call
  /// is engine::by_slot[slot].
  id_table<std::uint32_t> live;
  std::weak_ptr<engine> owner;
  /// shutdown() was called (or the UserAgent is going): new calls and
  /// requests are refused at once, from any thread.
  std::atomic<bool> closed{false};

  [[nodiscard]] bool is_live(std::uint64_t id) {
    const std::lock_guard lock{mutex};
    return live.contains(id);
  }
  void add(std::uint64_t id) {
    const std::lock_guard lock{mutex};
    live.insert(id);
  }
  /// The call started in the core as `h`: false when it is no longer live.
  bool started(std::uint64_t id, call_handle h) {
    const std::lock_guard lock{mutex};
    std::uint32_t* slot = live.find(id);
    if (slot == nullptr) return false;
    *slot = h.slot + 1;
    return true;
  }
  /// The core's slot of live call `id`, if it was started.
  [[nodiscard]] std::optional<std::uint32_t> slot_of(std::uint64_t id) {
    const std::lock_guard lock{mutex};
    const std::uint32_t* slot = live.find(id);
    if (slot == nullptr || *slot == 0) return std::nullopt;
    return *slot - 1;
  }
  void remove(std::uint64_t id) {
    const std::lock_guard lock{mutex};
    live.erase(id);
  }

  using call_op = std::function<std::error_code(engine&, call_handle)>;
  /// Runs `op` on call `id` on the engine's thread: at once when the caller
  /// is on it (its result returned), else posted (the result says only
  /// that the call was live).
  std::error_code invoke(std::uint64_t id, call_op op);
};

/// A call the core knows, in engine::by_slot at its handle's slot.
struct call_entry {
  std::uint64_t id = 0;  ///< 0: no call in this slot
  call_handle core;
  /// Null while every handler is empty (an incoming call before
  /// set_handlers, or a call made without handlers).
  handler_pack::pointer handlers;
  /// A copy of handler I (empty when it is not set): the handler may
  /// replace the call's handlers while it runs.
  template <unsigned I>
  [[nodiscard]] handler_pack::type<I> handler() const {
    if (!handlers) return {};
    const auto* f = handlers->get<I>();
    return f != nullptr ? *f : handler_pack::type<I>{};
  }
};

struct engine final : transport_user, std::enable_shared_from_this<engine> {
  engine(std::unique_ptr<io_runtime> rt, UserAgent::Config c);
  ~engine() override;

  std::unique_ptr<io_runtime> runtime;
  asio::io_context& io;
  UserAgent::Config config;
  std::shared_ptr<shared_state> shared = std::make_shared<shared_state>();
  std::unique_ptr<udp_transport> udp;
  std::unique_ptr<tcp_transport> tcp;
  std::unique_ptr<tls_transport> tls;
  /// The transports that exist, in the order local_addresses() reports them.
  [[nodiscard]] std::vector<const transport*> all_transports() const;
  transport_set transports;
  logger log;
  runtime_detail::wire out{transports};
  basic_resolver resolver;
  runtime_detail::deadline_timer timer;
  std::unique_ptr<ua_core> core;  ///< made by start(), once the ports are known

  /// The calls, by the slot of their core handle (the core reuses slots,
  /// so this follows the most calls up at once; released when none is).
  std::vector<call_entry> by_slot;
  std::size_t calls = 0;  ///< entries of by_slot in use
  /// Records call `id` as core call `h` (returns false when the call
  /// ended meanwhile: nothing recorded).
  bool add_call(std::uint64_t id, call_handle h, CallHandlers handlers);
  /// The entry of core call `h`, null when it is not ours (or ended).
  [[nodiscard]] call_entry* find_call(call_handle h) noexcept;
  /// The entry of live call `id`, null when it ended or has not started.
  [[nodiscard]] call_entry* find_call(std::uint64_t id);
  std::unordered_map<std::uint64_t, std::function<void(int)>> requests;  ///< request_handle ids
  struct registration_entry {
    registration_handle core;
    std::function<void(const registration_event&)> on_state;
  };
  std::unordered_map<std::uint64_t, registration_entry> registrations;    ///< by our id
  std::unordered_map<std::uint64_t, std::uint64_t> by_core_registration;  ///< core id -> our id
  std::atomic<std::uint64_t> next_registration_id{1};  ///< our ids (any thread hands them out)
  std::function<void(IncomingCall&)> incoming;
  std::function<void(const IncomingMessage&)> message_handler;
  std::function<void(const Call&, const CallEvent&)> call_observer;
  std::function<void()> drained;
  bool shutting_down = false;
  bool draining = false;
  /// Transactions that sent over a stream transport (TCP) after shutdown
  /// began: the destructor of a UserAgent that owns its loop runs it until
  /// they are answered (see stream_sends_pending()).
  std::vector<transaction_id> shutdown_stream_txns;

  std::error_code start();
  [[nodiscard]] bool on_loop_thread() const;
  /// Runs `f` on the loop: at once when on it, else posted (dropped when
  /// the engine is gone by then).
  void run_on_loop(std::function<void(engine&)> f);
  /// Performs the core's queued actions: sends, resolutions, and events to
  /// the application's callbacks (which may call in again: the loop picks
  /// up what they queue). Then re-arms the timer.
  void drain();
  void refused(const std::optional<transport_error_event>& e);
  void note_shutdown_send(transport_protocol protocol, transaction_id txn);
  void perform(const resolve_action& a);
  void deliver(core_event& e);
  void on_ended(const call_ended_event& e);
  void on_registration(const registration_event& e);
  /// The UA-wide observer (UserAgent::on_call_event), after the call's own handler.
  void observe(std::uint64_t id, const CallEvent& e);
  void maybe_drained();
  /// True while a request sent over a stream after shutdown began has no
  /// final response yet, or a final response to an INVITE we sent then
  /// has no ACK yet: its bytes may still be in the connection's queue.
  [[nodiscard]] bool stream_sends_pending() const;
  /// Bytes queued on a TCP or TLS connection and not yet written.
  [[nodiscard]] bool stream_output_pending() const;
  /// Transactions waiting for the peer: INVITE server transactions that
  /// sent a final non-2xx and wait for its ACK, and our BYEs waiting for
  /// their response (pruned as they finish; a few dozen live at once).
  std::vector<transaction_id> awaiting_peer;
  void note_awaiting_peer(transaction_id txn);
  /// True while one of them still waits: the destructor gives the peer a
  /// moment (its connection is not torn down under its ACK, and the BYE's
  /// 200 finds us still there).
  [[nodiscard]] bool peers_pending() const;

  // transport_user
  void on_message(inbound_message&& m) override;
  void on_parse_failure(inbound_parse_failure&& f) override;
  void on_transport_error(const transport_error_event& e) override;
};

}  // namespace sipua::ua_detail
