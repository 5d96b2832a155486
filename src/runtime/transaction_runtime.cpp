// transaction_runtime: the clock, the one timer and the transports around a
// sans-I/O transaction_layer.
#include "sipua/runtime/transaction_runtime.hpp"

#include <optional>
#include <string>
#include <variant>

#include "deadline_timer.hpp"
#include "wire.hpp"
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace sipua {

struct transaction_runtime::impl {
  impl(asio::io_context& io, transaction_layer& l, transport_set& t, tu_handler h)
      : timer(io,
              [this] {
                layer.handle_timeout(clock::now());
                drain();
              }),
        layer(l),
        out(t),
        handler(std::move(h)) {}

  using clock = std::chrono::steady_clock;

  runtime_detail::deadline_timer timer;
  transaction_layer& layer;
  runtime_detail::wire out;
  tu_handler handler;
  bool draining = false;
  std::size_t parse_failures = 0;
  std::size_t send_failures = 0;

  /// Performs every queued action; TU events go to the handler, which may
  /// queue more (picked up by this same loop). Then re-arms the timer.
  void drain();
  /// A send refused at once is a transport error for whoever sends there
  /// (RFC 3261 §17.1.4, §17.2.4), fed back through the layer like the
  /// errors transports report later.
  void refused(const std::optional<transport_error_event>& e) {
    if (!e) return;
    ++send_failures;
    layer.transport_error(clock::now(), *e);
  }
};

void transaction_runtime::impl::drain() {
  if (draining) return;  // the outer loop will see what was queued
  draining = true;
  while (auto a = layer.next_action()) {
    if (auto* r = std::get_if<send_request_action>(&*a)) {
      refused(out.send(*r));
    } else if (auto* s = std::get_if<send_response_action>(&*a)) {
      refused(out.send(*s));
    } else if (handler) {
      handler(std::move(*a));
    }
  }
  draining = false;
  timer.arm(layer.next_deadline());
}

transaction_runtime::transaction_runtime(asio::io_context& io, transaction_layer& layer,
                                         transport_set& transports, tu_handler handler)
    : impl_(std::make_unique<impl>(io, layer, transports, std::move(handler))) {}

transaction_runtime::~transaction_runtime() = default;

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

void transaction_runtime::set_trace(trace_hook hook) { impl_->out.trace = std::move(hook); }
void transaction_runtime::set_logger(const logger* log) noexcept { impl_->out.log = log; }

void transaction_runtime::on_message(inbound_message&& m) {
  impl_->out.received(m);
  impl_->layer.receive(impl::clock::now(), std::move(m));
  impl_->drain();
}

void transaction_runtime::on_parse_failure(inbound_parse_failure&& f) {
  ++impl_->parse_failures;
  impl_->out.parse_failed(f);
}

void transaction_runtime::on_transport_error(const transport_error_event& e) {
  impl_->out.transport_failed(e);
  impl_->layer.transport_error(impl::clock::now(), e);
  impl_->drain();
}

}  // namespace sipua
