// transaction_runtime: the clock, the one timer and the transports around a
// sans-I/O transaction_layer.
#include "sipua/runtime/transaction_runtime.hpp"

#include <optional>
#include <string>
#include <variant>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace sipua {

struct transaction_runtime::impl {
  impl(asio::io_context& io, transaction_layer& l, transport_set& t, tu_handler h)
      : timer(io), layer(l), transports(t), handler(std::move(h)) {}

  using clock = std::chrono::steady_clock;

  asio::steady_timer timer;
  transaction_layer& layer;
  transport_set& transports;
  tu_handler handler;
  std::optional<clock::time_point> armed;  ///< what the timer waits for
  bool draining = false;
  std::size_t parse_failures = 0;
  std::size_t send_failures = 0;
  trace_hook trace;
  const logger* log = nullptr;
  /// Cleared by the destructor: a timer handler still queued finds it false.
  std::shared_ptr<bool> alive = std::make_shared<bool>(true);

  /// Performs every queued action; TU events go to the handler, which may
  /// queue more (picked up by this same loop). Then re-arms the timer.
  void drain();
  void perform(send_request_action& a);
  void perform(send_response_action& a);
  void refused(transport_protocol protocol, const socket_address& peer, std::error_code ec,
               std::string_view bytes);
  void traced_send(transport_protocol protocol, const socket_address& local,
                   const socket_address& peer, std::string_view bytes, bool retransmission) const;
  void arm();
  [[nodiscard]] bool logs(log_level level) const noexcept {
    return log != nullptr && log->enabled(level);
  }
};

namespace {

constexpr std::string_view k_component = "runtime";

/// The local address a send over `t` to `peer` most likely left from: the
/// transport's first address of the peer's family (set_trace() documents
/// the guess); unspecified when there is none.
socket_address local_for(const transport* t, const socket_address& peer) {
  if (t != nullptr) {
    for (const socket_address& a : t->local_addresses()) {
      if (a.family() == peer.family()) return a;
    }
  }
  return {};
}

/// The start line, for log lines ("INVITE sip:bob@example.com SIP/2.0").
std::string_view start_line(std::string_view bytes) {
  return bytes.substr(0, bytes.find_first_of("\r\n"));
}

}  // namespace

void transaction_runtime::impl::drain() {
  if (draining) return;  // the outer loop will see what was queued
  draining = true;
  while (auto a = layer.next_action()) {
    if (auto* r = std::get_if<send_request_action>(&*a)) {
      perform(*r);
    } else if (auto* s = std::get_if<send_response_action>(&*a)) {
      perform(*s);
    } else if (handler) {
      handler(std::move(*a));
    }
  }
  draining = false;
  arm();
}

void transaction_runtime::impl::perform(send_request_action& a) {
  // The layer already applied §18.1.1's size rule and wrote the Via, so
  // the request goes over exactly the protocol it names.
  transport* t = transports.find(a.protocol);
  std::error_code ec = transport_errc::no_transport_for_protocol;
  if (t != nullptr) ec = t->send(send_target{a.address, a.server_name}, *a.bytes);
  if (ec) {
    refused(a.protocol, a.address, ec, *a.bytes);
    return;
  }
  if (trace)
    traced_send(a.protocol, local_for(t, a.address), a.address, *a.bytes, a.retransmission);
}

void transaction_runtime::impl::perform(send_response_action& a) {
  // §18.2.2 / RFC 3581 §4: the same connection, received/rport, sent-by.
  const response_send_result r = transports.send_response(*a.bytes, a.origin, a.top_via);
  if (!r) {
    refused(a.origin.protocol, a.origin.peer, r.error, *a.bytes);
    return;
  }
  if (!trace) return;
  const socket_address peer = r.target.address.value_or(a.origin.peer);
  const socket_address local = a.origin.local.address().is_unspecified()
                                   ? local_for(transports.find(a.origin.protocol), peer)
                                   : a.origin.local;
  traced_send(a.origin.protocol, local, peer, *a.bytes, a.retransmission);
}

void transaction_runtime::impl::traced_send(transport_protocol protocol,
                                            const socket_address& local, const socket_address& peer,
                                            std::string_view bytes, bool retransmission) const {
  trace(trace_event{trace_event::direction::sent, protocol, local, peer, bytes, retransmission});
}

/// A send refused at once is a transport error for whoever sends there
/// (RFC 3261 §17.1.4, §17.2.4); fed back through the layer like the
/// errors transports report later.
void transaction_runtime::impl::refused(transport_protocol protocol, const socket_address& peer,
                                        std::error_code ec, std::string_view bytes) {
  ++send_failures;
  if (logs(log_level::warning)) {
    log->write(log_level::warning, k_component,
               "send to " + peer.to_string() + " over " + std::string(via_token(protocol)) +
                   " refused: " + ec.message() + " (" + std::string(start_line(bytes)) + ")");
  }
  layer.transport_error(clock::now(), transport_error_event{protocol, {}, peer, ec, {}});
}

void transaction_runtime::impl::arm() {
  const auto next = layer.next_deadline();
  if (next == armed) return;
  armed = next;
  if (!next) {
    timer.cancel();
    return;
  }
  timer.expires_at(*next);
  timer.async_wait([this, alive = std::weak_ptr<bool>(alive)](const std::error_code& ec) {
    if (ec || alive.expired()) return;
    armed.reset();
    layer.handle_timeout(clock::now());
    drain();
  });
}

transaction_runtime::transaction_runtime(asio::io_context& io, transaction_layer& layer,
                                         transport_set& transports, tu_handler handler)
    : impl_(std::make_unique<impl>(io, layer, transports, std::move(handler))) {}

transaction_runtime::~transaction_runtime() {
  impl_->alive.reset();
  impl_->timer.cancel();
}

result<transaction_id, std::error_code> transaction_runtime::send_request(
    std::string request, const send_target& target, transport_protocol protocol) {
  auto r = impl_->layer.send_request(impl::clock::now(), std::move(request), target, protocol);
  impl_->drain();
  return r;
}

result<transaction_id, std::error_code> transaction_runtime::send_cancel(transaction_id invite) {
  auto r = impl_->layer.send_cancel(impl::clock::now(), invite);
  impl_->drain();
  return r;
}

std::error_code transaction_runtime::send_response(transaction_id txn, std::string response) {
  const std::error_code ec =
      impl_->layer.send_response(impl::clock::now(), txn, std::move(response));
  impl_->drain();
  return ec;
}

std::size_t transaction_runtime::parse_failures() const noexcept { return impl_->parse_failures; }
std::size_t transaction_runtime::send_failures() const noexcept { return impl_->send_failures; }

void transaction_runtime::set_trace(trace_hook hook) { impl_->trace = std::move(hook); }
void transaction_runtime::set_logger(const logger* log) noexcept { impl_->log = log; }

void transaction_runtime::on_message(inbound_message&& m) {
  if (impl_->trace) {
    impl_->trace(trace_event{trace_event::direction::received, m.origin.protocol, m.origin.local,
                             m.origin.peer, m.message.bytes(), false});
  }
  impl_->layer.receive(impl::clock::now(), std::move(m));
  impl_->drain();
}

void transaction_runtime::on_parse_failure(inbound_parse_failure&& f) {
  ++impl_->parse_failures;
  const std::string_view bytes = f.bytes ? std::string_view(*f.bytes) : std::string_view();
  if (impl_->trace) {
    impl_->trace(trace_event{trace_event::direction::received, f.origin.protocol, f.origin.local,
                             f.origin.peer, bytes, false});
  }
  if (impl_->logs(log_level::debug)) {
    std::string text =
        "dropped " + std::to_string(bytes.size()) + " bytes from " + f.origin.peer.to_string() +
        " over " + std::string(via_token(f.origin.protocol)) + ": " +
        f.error.error_code().message() + " at offset " + std::to_string(f.error.offset);
    if (!f.error.header.empty()) text += " in " + std::string(f.error.header);
    impl_->log->write(log_level::debug, k_component, text);
  }
}

void transaction_runtime::on_transport_error(const transport_error_event& e) {
  if (impl_->logs(log_level::debug)) {
    std::string text = std::string(via_token(e.protocol)) + " transport error";
    if (e.peer) text += " for " + e.peer->to_string();
    text += ": " + e.error.message();
    if (!e.detail.empty()) text += " (" + e.detail + ")";
    impl_->log->write(log_level::debug, k_component, text);
  }
  impl_->layer.transport_error(impl::clock::now(), e);
  impl_->drain();
}

}  // namespace sipua
