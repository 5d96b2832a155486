// One stream connection: RFC 3261 §18.3 framing, RFC 5626 §3.5.1 keep-alive
// answers, the bounded send queue, TLS (tls_engine) between socket and
// framer, and the timeouts (one steady_timer).
#include "stream_connection.hpp"

#include <algorithm>

#include "asio_address.hpp"
#include "tls_engine.hpp"
#include <asio/connect.hpp>
#include <asio/write.hpp>

namespace sipua::detail {

using tcp = asio::ip::tcp;

namespace {
/// Ciphertext gathered into one write: several queued messages go out in
/// one syscall, and one TLS record holds at most 16 KB of plaintext anyway.
constexpr std::size_t k_write_batch = 64 * 1024;
}  // namespace

stream_connection::stream_connection(std::shared_ptr<stream_core> core, tcp::socket socket,
                                     socket_address remote, socket_address local,
                                     std::unique_ptr<tls_engine> tls)
    : core_(std::move(core)),
      socket_(std::move(socket)),
      timer_(core_->io),
      remote_(remote),
      local_(local),
      framer_(core_->config.framing),
      tls_(std::move(tls)),
      started_(clock::now()),
      last_activity_(started_) {}

stream_connection::stream_connection(std::shared_ptr<stream_core> core, socket_address remote,
                                     std::unique_ptr<tls_engine> tls)
    : core_(std::move(core)),
      socket_(core_->io),
      timer_(core_->io),
      remote_(remote),
      framer_(core_->config.framing),
      tls_(std::move(tls)),
      started_(clock::now()),
      last_activity_(started_),
      connecting_(true) {}

stream_connection::~stream_connection() = default;

namespace {
bool same_name(std::string_view a, std::string_view b) noexcept {
  return std::ranges::equal(a, b, [](char x, char y) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c + 32) : c; };
    return lower(x) == lower(y);
  });
}
}  // namespace

bool stream_connection::covers(std::string_view server_name) const {
  if (!tls_ || server_name.empty()) return true;
  if (const auto& s = tls_->session()) {
    return same_name(s->server_name, server_name) ||
           matches_domain(s->peer_identities, server_name);
  }
  return same_name(tls_->server_name(), server_name);  // still handshaking
}

const tls_session_info* stream_connection::tls_session() const noexcept {
  return tls_ ? tls_->session().get() : nullptr;
}

transport_origin stream_connection::origin() const {
  return transport_origin{core_->protocol, local_, remote_, tls_ ? tls_->session() : nullptr};
}

void stream_connection::start_accepted() {
  std::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  socket_.non_blocking(true, ignored);
  wait_readable();
  arm_timer();
}

void stream_connection::start_connect() {
  arm_timer();
  socket_.async_connect(to_endpoint<tcp::endpoint>(remote_),
                        [self = shared_from_this()](const std::error_code& ec) {
                          if (self->closed_ || ec == asio::error::operation_aborted) return;
                          if (ec) {
                            self->fail(to_std(ec));
                            return;
                          }
                          self->connecting_ = false;
                          self->started_ = self->last_activity_ = clock::now();
                          std::error_code e;
                          self->socket_.set_option(tcp::no_delay(true), e);
                          self->socket_.non_blocking(true, e);
                          self->local_ = from_endpoint(self->socket_.local_endpoint(e));
                          if (self->tls_) self->start_tls();
                          if (self->closed_ || self->closing_) return;
                          self->wait_readable();
                          self->write();
                          self->arm_timer();
                        });
}

void stream_connection::start_tls() {
  tls_progress p = tls_->start();  // the ClientHello, into the engine's output
  if (p.error) fail_tls(p.error, std::move(p.detail));
}

std::error_code stream_connection::enqueue(std::string_view bytes) {
  if (closed_ || closing_) return transport_errc::closed;
  if (queue_.size() >= core_->config.max_send_queue) return transport_errc::send_queue_full;
  queue_.emplace_back(bytes);
  write();
  return {};
}

void stream_connection::detach() noexcept {
  auto it = core_->connections.find(remote_);
  if (it != core_->connections.end() && it->second.get() == this) core_->connections.erase(it);
}

void stream_connection::close() noexcept {
  if (closed_) return;
  closed_ = true;
  detach();
  std::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  queue_.clear();
  out_ = std::string();
}

void stream_connection::fail(std::error_code ec, std::string detail) {
  close();
  if (core_->user == nullptr) return;
  core_->user->on_transport_error(
      transport_error_event{core_->protocol, local_, remote_, ec, std::move(detail)});
}

/// Reported at once (the connection has left the table, so the user may
/// retry at once); the alert OpenSSL made (bad_certificate, handshake_
/// failure ...) is still written so the peer learns why, then it closes.
void stream_connection::fail_tls(std::error_code ec, std::string detail) {
  detach();
  closing_ = true;
  queue_.clear();
  if (core_->user != nullptr) {
    core_->user->on_transport_error(
        transport_error_event{core_->protocol, local_, remote_, ec, std::move(detail)});
  }
  if (closed_) return;
  if (!tls_->has_output() && !writing_) {
    close();
    return;
  }
  close_after_linger();
  write();
}

// --- reading ---------------------------------------------------------------

// Readiness, then a non-blocking read into the transport's shared buffer:
// an idle connection holds no read buffer (the per-connection memory
// target, docs/benchmarks.md).
void stream_connection::wait_readable() {
  socket_.async_wait(
      tcp::socket::wait_read,
      [self = shared_from_this()](const std::error_code& ec) { self->on_readable(ec); });
}

void stream_connection::on_readable(const std::error_code& ec) {
  if (closed_ || closing_ || ec == asio::error::operation_aborted || core_->user == nullptr) {
    return;
  }
  if (ec) {
    fail(to_std(ec));
    return;
  }
  std::vector<char>& buffer = core_->read_buffer;
  std::error_code e;
  const std::size_t n = socket_.read_some(asio::buffer(buffer), e);
  if (e == asio::error::would_block || e == asio::error::try_again) {
    wait_readable();
    return;
  }
  if (e == asio::error::eof) {
    on_eof();
    return;
  }
  if (e) {
    fail(to_std(e));
    return;
  }
  last_activity_ = clock::now();
  if (!take(std::string_view(buffer.data(), n))) return;
  if (framer_.in_message()) {
    if (!message_start_) message_start_ = last_activity_;
  } else {
    message_start_.reset();
  }
  arm_timer();
  wait_readable();
}

/// A clean close between messages is no error. In the middle of one, with
/// messages still queued, or before the TLS handshake completed, something
/// is lost (RFC 3261 §18.4 lets the layer above know).
void stream_connection::on_eof() {
  if (framer_.in_message() || !queue_.empty() || (tls_ && !tls_->handshake_done())) {
    fail(std::make_error_code(std::errc::connection_aborted));
  } else {
    close();
  }
}

bool stream_connection::take(std::string_view bytes) {
  if (!tls_) return frame(bytes);
  tls_progress p = tls_->receive(bytes, core_->plain_buffer,
                                 [this](std::string_view plain) { return frame(plain); });
  if (p.stopped || closed_ || draining_) return false;
  if (p.error) {
    fail_tls(p.error, std::move(p.detail));
    return false;
  }
  // Handshake messages, session tickets, a completed handshake releasing
  // the queued messages: all go out now.
  write();
  if (p.peer_closed) {  // close_notify (RFC 8446 §6.1): like a FIN
    on_eof();
    return false;
  }
  return !closed_;
}

bool stream_connection::frame(std::string_view bytes) {
  while (true) {
    const framer_result r = framer_.put(bytes);
    bytes.remove_prefix(r.consumed);
    switch (r.event) {
      case framer_event::message:
        message_start_.reset();
        if (!deliver(r.message)) return false;
        break;
      case framer_event::ping:
        // RFC 5626 §3.5.1 / §5.4: answer a double-CRLF ping with one CRLF.
        // A full queue drops the pong; the peer will try again.
        (void)enqueue("\r\n");
        break;
      case framer_event::pong: break;
      case framer_event::need_more: return true;
      case framer_event::error:
        fail_parse(std::make_shared<const std::string>(bytes), r.error);
        return false;
    }
  }
}

bool stream_connection::deliver(std::string_view framed) {
  // The framed view points into the read buffer or the framer's: the
  // message gets its own copy, which it owns (message::set_owner).
  auto bytes = std::make_shared<const std::string>(framed);
  inbound_message in{origin(), {}};
  if (parse_error e = parse_datagram(*bytes, in.message, core_->config.parse)) {
    fail_parse(std::move(bytes), e);
    return false;
  }
  in.message.set_owner(std::move(bytes));
  core_->user->on_message(std::move(in));
  return !closed_ && core_->user != nullptr;
}

/// Reports a parse failure while the connection is still in the table, so
/// the user can answer on it (RFC 3261 §18.3: 400 for a request); then
/// writes what was queued and closes.
void stream_connection::fail_parse(std::shared_ptr<const std::string> bytes, const parse_error& e) {
  draining_ = true;
  core_->user->on_parse_failure(inbound_parse_failure{origin(), std::move(bytes), e});
  if (closed_) return;
  if (queue_.empty() && !writing_) close();  // nothing to write: close at once
  // Else nothing more is framed (no read is started); on_write lingers once
  // the queue is empty.
}

/// After the answer to a parse failure: leaves the table, sends FIN after
/// the answer and reads (and discards) until the peer closes or
/// linger_timeout passes. Closing with unread input at once would make the
/// kernel send a RST, which can destroy the answer still in flight.
void stream_connection::linger() {
  detach();
  lingering_ = true;
  std::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  close_after_linger();
  discard();
}

/// The last timer of a connection on its way out: the regular deadlines
/// are abandoned (a new generation) and it closes after linger_timeout.
void stream_connection::close_after_linger() {
  ++timer_generation_;
  armed_at_.reset();
  timer_.expires_after(core_->config.linger_timeout);
  timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
    if (ec != asio::error::operation_aborted) self->close();
  });
}

void stream_connection::discard() {
  socket_.async_wait(tcp::socket::wait_read,
                     [self = shared_from_this()](const std::error_code& ec) {
                       if (self->closed_) return;
                       std::error_code e = ec;
                       if (!e)
                         (void)self->socket_.read_some(asio::buffer(self->core_->read_buffer), e);
                       if (e && e != asio::error::would_block && e != asio::error::try_again) {
                         self->close();
                         return;
                       }
                       self->discard();
                     });
}

// --- writing ---------------------------------------------------------------

void stream_connection::fill_output() {
  if (!out_.empty()) return;
  if (!tls_) {
    if (queue_.empty()) return;
    out_ = std::move(queue_.front());
    queue_.pop_front();
    return;
  }
  // TLS: queued messages wait for the handshake; then they are encrypted
  // in batches. A failure while closing sends only the alert.
  while (tls_->handshake_done() && !closing_ && !queue_.empty() &&
         tls_->output_size() < k_write_batch) {
    const std::error_code ec = tls_->send(queue_.front());
    queue_.pop_front();
    if (ec) break;  // an engine that cannot write has failed; the read side reports it
  }
  out_ = tls_->take_output();
}

void stream_connection::write() {
  if (writing_ || connecting_ || closed_) return;
  fill_output();
  if (out_.empty()) return;
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(out_),
      [self = shared_from_this()](const std::error_code& ec, std::size_t) { self->on_write(ec); });
}

void stream_connection::on_write(const std::error_code& ec) {
  writing_ = false;
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    if (closing_) {
      close();
    } else {
      fail(to_std(ec));
    }
    return;
  }
  last_activity_ = clock::now();
  out_ = std::string();  // an idle connection keeps no buffer
  const bool engine_idle = !tls_ || !tls_->has_output();
  if (closing_ && engine_idle) {
    close();
    return;
  }
  if (draining_ && queue_.empty() && engine_idle && !lingering_) {
    if (tls_ && tls_->handshake_done()) {
      tls_->close_notify();  // RFC 8446 §6.1, before the FIN
      draining_ = false;     // once; linger after it is written
      lingering_pending_ = true;
      write();
      return;
    }
    linger();
    return;
  }
  if (lingering_pending_ && engine_idle) {
    linger();
    return;
  }
  write();
}

// --- timeouts --------------------------------------------------------------

std::optional<stream_connection::clock::time_point> stream_connection::next_deadline() const {
  const tcp_config& c = core_->config;
  std::optional<clock::time_point> at;
  auto consider = [&at](clock::time_point t) {
    if (!at || t < *at) at = t;
  };
  if (connecting_) {
    if (c.connect_timeout.count() > 0) consider(started_ + c.connect_timeout);
    return at;
  }
  if (tls_ && !tls_->handshake_done() && core_->handshake_timeout.count() > 0) {
    consider(started_ + core_->handshake_timeout);
  }
  if (c.idle_timeout.count() > 0) consider(last_activity_ + c.idle_timeout);
  if (message_start_ && c.message_timeout.count() > 0)
    consider(*message_start_ + c.message_timeout);
  return at;
}

/// Arms the one timer for the nearest deadline unless it is armed for an
/// earlier time already (it then re-arms itself when it fires).
void stream_connection::arm_timer() {
  if (closed_ || lingering_ || closing_) return;
  const auto at = next_deadline();
  if (!at || (armed_at_ && *armed_at_ <= *at)) return;
  armed_at_ = at;
  const std::uint64_t generation = ++timer_generation_;
  timer_.expires_at(*at);
  timer_.async_wait([self = shared_from_this(), generation](const std::error_code& ec) {
    if (ec == asio::error::operation_aborted) return;
    self->on_timer(generation);
  });
}

void stream_connection::on_timer(std::uint64_t generation) {
  if (closed_ || lingering_ || closing_ || generation != timer_generation_) return;
  armed_at_.reset();
  const tcp_config& c = core_->config;
  const auto now = clock::now();
  if (connecting_) {
    if (c.connect_timeout.count() > 0 && now >= started_ + c.connect_timeout) {
      fail(std::make_error_code(std::errc::timed_out));
      return;
    }
  } else {
    if (tls_ && !tls_->handshake_done() && core_->handshake_timeout.count() > 0 &&
        now >= started_ + core_->handshake_timeout) {
      fail(tls_errc::handshake_timeout);
      return;
    }
    if (message_start_ && c.message_timeout.count() > 0 &&
        now >= *message_start_ + c.message_timeout) {
      fail(std::make_error_code(std::errc::timed_out));  // a dribbling peer
      return;
    }
    if (c.idle_timeout.count() > 0 && now >= last_activity_ + c.idle_timeout) {
      close();
      return;
    }
  }
  arm_timer();
}

}  // namespace sipua::detail
