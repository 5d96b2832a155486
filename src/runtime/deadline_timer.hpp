// One asio timer following a sans-I/O layer's next_deadline(): the
// runtimes (transaction_runtime, the UserAgent's engine) re-arm it after
// every drain; when it fires they call the layer's handle_timeout(now).
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <system_error>
#include <utility>

#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

namespace sipua::runtime_detail {

class deadline_timer {
 public:
  using time_point = std::chrono::steady_clock::time_point;

  /// `fire` runs on the io_context when the armed deadline is reached
  /// (never after the timer is destroyed).
  deadline_timer(asio::io_context& io, std::function<void()> fire)
      : timer_(io), fire_(std::move(fire)) {}
  ~deadline_timer() {
    alive_.reset();
    timer_.cancel();
  }
  deadline_timer(const deadline_timer&) = delete;
  deadline_timer& operator=(const deadline_timer&) = delete;

  /// Waits for `next` (none: waits for nothing); a no-op when it is
  /// already what the timer waits for.
  void arm(std::optional<time_point> next) {
    if (next == armed_) return;
    armed_ = next;
    if (!next) {
      timer_.cancel();
      return;
    }
    timer_.expires_at(*next);
    timer_.async_wait([this, alive = std::weak_ptr<bool>(alive_)](const std::error_code& ec) {
      if (ec || alive.expired()) return;
      armed_.reset();
      fire_();
    });
  }

 private:
  asio::steady_timer timer_;
  std::function<void()> fire_;
  std::optional<time_point> armed_;
  /// Cleared by the destructor: a handler still queued finds it expired.
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
};

}  // namespace sipua::runtime_detail
