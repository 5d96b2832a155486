// One TCP connection: RFC 3261 §18.3 framing, RFC 5626 §3.5.1 keep-alive
// answers, the bounded send queue and the timeouts (one steady_timer).
#include "tcp_connection.hpp"

#include <algorithm>

#include "asio_address.hpp"
#include <asio/connect.hpp>
#include <asio/write.hpp>

namespace sipua::detail {

using tcp = asio::ip::tcp;

tcp_connection::tcp_connection(std::shared_ptr<tcp_core> core, tcp::socket socket,
                               socket_address remote, socket_address local)
    : core_(std::move(core)),
      socket_(std::move(socket)),
      timer_(core_->io),
      remote_(remote),
      local_(local),
      framer_(core_->config.framing),
      buffer_(std::max<std::size_t>(core_->config.read_buffer_size, 1)),
      started_(clock::now()),
      last_activity_(started_) {}

tcp_connection::tcp_connection(std::shared_ptr<tcp_core> core, socket_address remote)
    : core_(std::move(core)),
      socket_(core_->io),
      timer_(core_->io),
      remote_(remote),
      framer_(core_->config.framing),
      buffer_(std::max<std::size_t>(core_->config.read_buffer_size, 1)),
      started_(clock::now()),
      last_activity_(started_),
      connecting_(true) {}

void tcp_connection::start_accepted() {
  std::error_code ignored;
  socket_.set_option(tcp::no_delay(true), ignored);
  read();
  arm_timer();
}

void tcp_connection::start_connect() {
  arm_timer();
  socket_.async_connect(to_endpoint<tcp::endpoint>(remote_),
                        [self = shared_from_this()](const std::error_code& ec) {
                          if (self->closed_ || ec == asio::error::operation_aborted) return;
                          if (ec) {
                            self->fail(to_std(ec));
                            return;
                          }
                          self->connecting_ = false;
                          self->last_activity_ = clock::now();
                          std::error_code e;
                          self->socket_.set_option(tcp::no_delay(true), e);
                          self->local_ = from_endpoint(self->socket_.local_endpoint(e));
                          self->read();
                          self->write();
                          self->arm_timer();
                        });
}

std::error_code tcp_connection::enqueue(std::string_view bytes) {
  if (closed_) return transport_errc::closed;
  if (queue_.size() >= core_->config.max_send_queue) return transport_errc::send_queue_full;
  queue_.emplace_back(bytes);
  write();
  return {};
}

void tcp_connection::detach() noexcept {
  auto it = core_->connections.find(remote_);
  if (it != core_->connections.end() && it->second.get() == this) core_->connections.erase(it);
}

void tcp_connection::close() noexcept {
  if (closed_) return;
  closed_ = true;
  detach();
  std::error_code ignored;
  socket_.close(ignored);
  timer_.cancel();
  queue_.clear();
}

void tcp_connection::fail(std::error_code ec) {
  close();
  if (core_->user == nullptr) return;
  core_->user->on_transport_error(
      transport_error_event{transport_protocol::tcp, local_, remote_, ec});
}

// --- reading ---------------------------------------------------------------

void tcp_connection::read() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](const std::error_code& ec, std::size_t n) {
                            self->on_read(ec, n);
                          });
}

void tcp_connection::on_read(const std::error_code& ec, std::size_t n) {
  if (closed_ || ec == asio::error::operation_aborted || core_->user == nullptr) return;
  if (ec == asio::error::eof) {
    // A clean close between messages is no error; in the middle of one the
    // message is lost (RFC 3261 §18.4 lets the layer above know).
    if (framer_.in_message()) {
      fail(std::make_error_code(std::errc::connection_aborted));
    } else {
      close();
    }
    return;
  }
  if (ec) {
    fail(to_std(ec));
    return;
  }
  last_activity_ = clock::now();
  if (!frame(std::string_view(buffer_.data(), n))) return;
  if (framer_.in_message()) {
    if (!message_start_) message_start_ = last_activity_;
  } else {
    message_start_.reset();
  }
  arm_timer();
  read();
}

bool tcp_connection::frame(std::string_view bytes) {
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

bool tcp_connection::deliver(std::string_view framed) {
  // The framed view points into the read buffer or the framer's: the
  // message gets its own copy, which it owns (message::set_owner).
  auto bytes = std::make_shared<const std::string>(framed);
  inbound_message in{transport_origin{transport_protocol::tcp, local_, remote_}, {}};
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
void tcp_connection::fail_parse(std::shared_ptr<const std::string> bytes, const parse_error& e) {
  draining_ = true;
  core_->user->on_parse_failure(inbound_parse_failure{
      transport_origin{transport_protocol::tcp, local_, remote_}, std::move(bytes), e});
  if (closed_) return;
  if (queue_.empty() && !writing_) close();  // nothing to write: close at once
  // Else nothing more is framed (no read is started); on_write lingers once
  // the queue is empty.
}

/// After the answer to a parse failure: leaves the table, sends FIN after
/// the answer and reads (and discards) until the peer closes or
/// linger_timeout passes. Closing with unread input at once would make the
/// kernel send a RST, which can destroy the answer still in flight.
void tcp_connection::linger() {
  detach();
  lingering_ = true;
  std::error_code ignored;
  socket_.shutdown(tcp::socket::shutdown_send, ignored);
  ++timer_generation_;
  armed_at_.reset();
  timer_.expires_after(core_->config.linger_timeout);
  timer_.async_wait([self = shared_from_this()](const std::error_code& ec) {
    if (ec != asio::error::operation_aborted) self->close();
  });
  discard();
}

void tcp_connection::discard() {
  socket_.async_read_some(asio::buffer(buffer_),
                          [self = shared_from_this()](const std::error_code& ec, std::size_t) {
                            if (self->closed_) return;
                            if (ec) {
                              self->close();
                              return;
                            }
                            self->discard();
                          });
}

// --- writing ---------------------------------------------------------------

void tcp_connection::write() {
  if (writing_ || connecting_ || closed_ || queue_.empty()) return;
  writing_ = true;
  asio::async_write(
      socket_, asio::buffer(queue_.front()),
      [self = shared_from_this()](const std::error_code& ec, std::size_t) { self->on_write(ec); });
}

void tcp_connection::on_write(const std::error_code& ec) {
  writing_ = false;
  if (closed_ || ec == asio::error::operation_aborted) return;
  if (ec) {
    fail(to_std(ec));
    return;
  }
  last_activity_ = clock::now();
  queue_.pop_front();
  if (draining_ && queue_.empty()) {
    linger();
    return;
  }
  write();
}

// --- timeouts --------------------------------------------------------------

std::optional<tcp_connection::clock::time_point> tcp_connection::next_deadline() const {
  const tcp_config& c = core_->config;
  std::optional<clock::time_point> at;
  auto consider = [&at](clock::time_point t) {
    if (!at || t < *at) at = t;
  };
  if (connecting_) {
    if (c.connect_timeout.count() > 0) consider(started_ + c.connect_timeout);
    return at;
  }
  if (c.idle_timeout.count() > 0) consider(last_activity_ + c.idle_timeout);
  if (message_start_ && c.message_timeout.count() > 0)
    consider(*message_start_ + c.message_timeout);
  return at;
}

/// Arms the one timer for the nearest deadline unless it is armed for an
/// earlier time already (it then re-arms itself when it fires).
void tcp_connection::arm_timer() {
  if (closed_ || lingering_) return;
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

void tcp_connection::on_timer(std::uint64_t generation) {
  if (closed_ || lingering_ || generation != timer_generation_) return;
  armed_at_.reset();
  const tcp_config& c = core_->config;
  const auto now = clock::now();
  if (connecting_) {
    if (c.connect_timeout.count() > 0 && now >= started_ + c.connect_timeout) {
      fail(std::make_error_code(std::errc::timed_out));
      return;
    }
  } else {
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
