// One TLS session without I/O: ciphertext in, plaintext out, and the
// reverse, over an in-memory BIO of its own (no socket, no Asio). The
// stream connection feeds it what the socket read and writes what it
// produced; unit tests connect two engines back to back. Private to
// src/transport.
#pragma once

#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <system_error>

#include "tls_context.hpp"

#include "sipua/transport/transport.hpp"

namespace sipua::detail {

/// What receive() did.
struct tls_progress {
  std::error_code error;             ///< a tls_errc (or protocol_error after the handshake)
  std::string detail;                ///< OpenSSL's words for `error`
  bool handshake_completed = false;  ///< during this call
  bool peer_closed = false;          ///< the peer sent close_notify
  bool stopped = false;              ///< the plaintext callback asked to stop
};

class tls_engine {
 public:
  /// `ssl` comes from tls_context::new_client/new_server; `server_name`
  /// is what a client connects to (for session()).
  tls_engine(ssl_ptr ssl, bool client, std::string server_name);
  ~tls_engine();
  tls_engine(const tls_engine&) = delete;
  tls_engine& operator=(const tls_engine&) = delete;

  /// A client writes its ClientHello (into output()); a server does
  /// nothing until it receives one.
  tls_progress start();

  /// Feeds `ciphertext` (all of it is taken). Each piece of plaintext it
  /// decrypts goes to on_plain(view), the view into `scratch` valid for
  /// that call only; on_plain returns false to stop. Failures: tls_errc
  /// with detail; whatever alert OpenSSL made is in output().
  template <class OnPlain>
  tls_progress receive(std::string_view ciphertext, std::span<char> scratch, OnPlain&& on_plain) {
    tls_progress p = begin_receive(ciphertext);
    if (p.error || !done_) return p;
    while (true) {
      std::string_view plain;
      if (!read_plain(scratch, plain, p)) return p;
      if (!on_plain(plain)) {
        p.stopped = true;
        return p;
      }
    }
  }

  /// Encrypts one message into output(). Needs the handshake done.
  std::error_code send(std::string_view plaintext);
  /// Queues close_notify (RFC 8446 §6.1) into output().
  void close_notify();

  [[nodiscard]] bool handshake_done() const noexcept { return done_; }
  /// The name a client connects to (empty on a server).
  [[nodiscard]] const std::string& server_name() const noexcept { return server_name_; }
  [[nodiscard]] bool has_output() const noexcept { return !out_.empty(); }
  [[nodiscard]] std::size_t output_size() const noexcept { return out_.size(); }
  /// Ciphertext to write, handed over (the engine keeps no copy).
  [[nodiscard]] std::string take_output() noexcept { return std::move(out_); }
  /// What was negotiated; null before the handshake completed.
  [[nodiscard]] const std::shared_ptr<const tls_session_info>& session() const noexcept {
    return session_;
  }

 private:
  friend struct engine_bio;
  tls_progress begin_receive(std::string_view ciphertext);
  /// One SSL_read: true with `plain` set; false when it needs more input
  /// (p untouched) or failed / the peer closed (p says which).
  bool read_plain(std::span<char> scratch, std::string_view& plain, tls_progress& p);
  tls_progress failure(int ssl_error);
  void complete_handshake();

  ssl_ptr ssl_;
  bool client_;
  bool done_ = false;
  std::string server_name_;
  std::string_view in_;  ///< ciphertext not yet taken by OpenSSL
  std::string out_;      ///< ciphertext OpenSSL produced
  std::shared_ptr<const tls_session_info> session_;
};

}  // namespace sipua::detail
