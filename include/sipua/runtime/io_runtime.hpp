// Runtime glue: the event loop sipua's I/O runs on. An io_runtime owns an
// asio::io_context or borrows the application's (DESIGN.md: the embedding
// product may share its own event loop). Only asio::io_context is named
// here, by a forward declaration; include <asio/io_context.hpp> to use it.
//
// Threading: one io_runtime, its io_context and everything on it (the
// transports, later the UserAgent) are used from the thread that runs the
// loop. post() is the exception: it may be called from any thread.
#pragma once

#include <chrono>
#include <cstddef>
#include <functional>
#include <memory>

namespace asio {
class io_context;
}

namespace sipua {

class io_runtime {
 public:
  /// Owns a new io_context (single-threaded concurrency hint).
  io_runtime();
  /// Borrows `io`, which must outlive the runtime. run()/stop() act on it,
  /// so an application that runs `io` itself just never calls run().
  explicit io_runtime(asio::io_context& io) noexcept;
  ~io_runtime();
  io_runtime(const io_runtime&) = delete;
  io_runtime& operator=(const io_runtime&) = delete;

  [[nodiscard]] asio::io_context& context() noexcept { return *io_; }
  [[nodiscard]] bool owns_context() const noexcept { return owned_ != nullptr; }

  /// Runs handlers until stop() or until there is no more work. Restarts a
  /// stopped context first. Returns the number of handlers run.
  std::size_t run();
  /// Runs for at most `timeout`.
  std::size_t run_for(std::chrono::steady_clock::duration timeout);
  /// Runs until `done()` is true (checked after every handler) or
  /// `timeout` passed. Returns done(). For tests and simple programs.
  bool run_until(const std::function<bool()>& done, std::chrono::steady_clock::duration timeout);
  /// Makes run() return as soon as possible. Thread-safe.
  void stop() noexcept;
  /// Queues `f` to run on the loop. Thread-safe.
  void post(std::function<void()> f);

 private:
  std::unique_ptr<asio::io_context> owned_;
  asio::io_context* io_;
};

}  // namespace sipua
