#include "sipua/runtime/io_runtime.hpp"

#include <asio/io_context.hpp>
#include <asio/post.hpp>

namespace sipua {

// Hint 1: one thread runs the context, so Asio may skip its locking.
io_runtime::io_runtime() : owned_(std::make_unique<asio::io_context>(1)), io_(owned_.get()) {}

io_runtime::io_runtime(asio::io_context& io) noexcept : io_(&io) {}

io_runtime::~io_runtime() = default;

std::size_t io_runtime::run() {
  if (io_->stopped()) io_->restart();
  return io_->run();
}

std::size_t io_runtime::run_for(std::chrono::steady_clock::duration timeout) {
  if (io_->stopped()) io_->restart();
  return io_->run_for(timeout);
}

bool io_runtime::run_until(const std::function<bool()>& done,
                           std::chrono::steady_clock::duration timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (!done()) {
    if (io_->stopped()) io_->restart();
    // run_one_until returns 0 when the deadline passed or the context ran
    // out of work; either way waiting longer cannot make done() true.
    if (io_->run_one_until(deadline) == 0) return done();
  }
  return true;
}

void io_runtime::stop() noexcept { io_->stop(); }

void io_runtime::post(std::function<void()> f) { asio::post(*io_, std::move(f)); }

}  // namespace sipua
