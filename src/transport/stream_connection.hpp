// One connection of the stream transports (TCP, TLS): framing, parsing,
// the send queue, TLS when there is an engine, and the one timer (connect,
// handshake, message and idle timeouts). Private to src/transport.
#pragma once

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include <asio/io_context.hpp>
#include <asio/ip/tcp.hpp>
#include <asio/steady_timer.hpp>

#include "sipua/message/framer.hpp"
#include "sipua/transport/tcp.hpp"

namespace sipua::detail {

class stream_connection;
class tls_context;
class tls_engine;

/// What connections share with their transport; outlives it while
/// handlers are pending. `user` is null once closed: nothing is delivered
/// after.
struct stream_core {
  stream_core(asio::io_context& i, tcp_config c, transport_protocol p)
      : io(i), config(std::move(c)), protocol(p) {}
  asio::io_context& io;
  tcp_config config;
  transport_protocol protocol;
  /// TLS only: the context every connection's session comes from.
  std::shared_ptr<const tls_context> tls;
  std::chrono::milliseconds handshake_timeout{0};  ///< TLS only
  transport_user* user = nullptr;
  /// The one connection table, keyed by remote address.
  std::unordered_map<socket_address, std::shared_ptr<stream_connection>> connections;
  /// One read buffer (and one plaintext buffer for TLS) for all the
  /// connections: they run on one thread and a read is consumed before
  /// the next, so an idle connection holds no buffer of its own.
  std::vector<char> read_buffer;
  std::vector<char> plain_buffer;
};

class stream_connection : public std::enable_shared_from_this<stream_connection> {
 public:
  using clock = std::chrono::steady_clock;

  /// An accepted connection (its socket is open). `tls` is the server
  /// session for a TLS transport, else null.
  stream_connection(std::shared_ptr<stream_core> core, asio::ip::tcp::socket socket,
                    socket_address remote, socket_address local, std::unique_ptr<tls_engine> tls);
  /// An outbound connection, not connected yet (`tls`: the client session).
  stream_connection(std::shared_ptr<stream_core> core, socket_address remote,
                    std::unique_ptr<tls_engine> tls);
  ~stream_connection();

  /// Starts reading (accepted) or connecting (outbound).
  void start_accepted();
  void start_connect();
  /// Queues one message; send_queue_full past the limit.
  std::error_code enqueue(std::string_view bytes);
  /// Closes without an event; removes it from the table. Idempotent.
  void close() noexcept;

  [[nodiscard]] const socket_address& remote() const noexcept { return remote_; }
  /// Whether a request for `server_name` may use this connection: always
  /// over TCP or for an empty name; over TLS when the connection was opened
  /// for that name or its peer's certificate names it (RFC 5922 §7.2).
  [[nodiscard]] bool covers(std::string_view server_name) const;
  /// Messages queued or bytes not yet written.
  [[nodiscard]] bool output_pending() const noexcept { return !queue_.empty() || !out_.empty(); }
  /// TLS: the session once the handshake completed, else null.
  [[nodiscard]] const tls_session_info* tls_session() const noexcept;

 private:
  void start_tls();
  void wait_readable();
  void on_readable(const std::error_code& ec);
  void on_eof();
  /// Decrypts (TLS) and frames what was read; false when the connection
  /// stopped (closed, failed).
  bool take(std::string_view bytes);
  bool frame(std::string_view bytes);
  bool deliver(std::string_view framed);
  void fail_parse(std::shared_ptr<const std::string> bytes, const parse_error& e);
  /// A TLS failure: reported at once, the alert (if any) written, then closed.
  void fail_tls(std::error_code ec, std::string detail);
  void linger();
  void close_after_linger();
  void discard();
  /// Leaves the connection table (if this is the entry for remote_).
  void detach() noexcept;
  /// Moves what is ready to go into out_ (TLS: encrypting queued messages).
  void fill_output();
  void write();
  void on_write(const std::error_code& ec);
  /// Closes, then reports `ec` (and `detail`) for the remote address.
  void fail(std::error_code ec, std::string detail = {});
  [[nodiscard]] transport_origin origin() const;
  void arm_timer();
  void on_timer(std::uint64_t generation);
  [[nodiscard]] std::optional<clock::time_point> next_deadline() const;

  std::shared_ptr<stream_core> core_;
  asio::ip::tcp::socket socket_;
  asio::steady_timer timer_;
  socket_address remote_;
  socket_address local_;
  stream_framer framer_;
  std::unique_ptr<tls_engine> tls_;
  std::deque<std::string> queue_;    ///< messages (plaintext) waiting to be written
  std::string out_;                  ///< bytes being written now (ciphertext for TLS)
  clock::time_point started_;        ///< connect (or accept) began
  clock::time_point last_activity_;  ///< last byte read or written
  std::optional<clock::time_point> message_start_;  ///< first byte of a pending message
  std::optional<clock::time_point> armed_at_;       ///< when the timer fires
  std::uint64_t timer_generation_ = 0;
  bool connecting_ = false;
  bool writing_ = false;
  bool draining_ = false;           ///< write what is queued, then close; read nothing more
  bool lingering_ = false;          ///< answered, FIN sent, out of the table, reading to discard
  bool closing_ = false;            ///< TLS failure: write the alert, then close
  bool lingering_pending_ = false;  ///< TLS: linger once close_notify is written
  bool closed_ = false;
};

}  // namespace sipua::detail
