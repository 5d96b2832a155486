// The TLS transport (RFC 3261 §18 and §26.2 over TLS 1.2+, RFC 5922 domain
// certificates) on Asio and OpenSSL 3. The connection machinery (table,
// framing, limits, timeouts, keep-alives, graceful close) is the TCP
// transport's (tcp.hpp), with TLS between the socket and the framer.
// Neither Asio nor OpenSSL appear in this header.
//
// Safe by default: TLS 1.2 or later only; a client verifies the server's
// chain against the system store (or the CAs given) and checks the target's
// name as RFC 5922 §7.3 says (subjectAltName URI "sip:<domain>", else
// dNSName; no wildcards, no suffixes) or, for a numeric target, an
// iPAddress entry; SNI (RFC 6066 §3) always carries the target's name.
//
// OpenSSL is driven through an in-memory BIO of sipua's own rather than
// asio::ssl::stream: asio's stream allocates 2 x 17 KB of record buffers
// per connection and its BIO pair another 2 x 17 KB, which would put an
// idle connection far above the 20 KB per connection sipua aims at; with
// SSL_MODE_RELEASE_BUFFERS an idle connection keeps no record buffer.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <system_error>

#include "sipua/transport/address.hpp"
#include "sipua/transport/tcp.hpp"
#include "sipua/transport/tls_error.hpp"
#include "sipua/transport/transport.hpp"

namespace asio {
class io_context;
}

namespace sipua {

enum class tls_version : std::uint8_t { tls1_2, tls1_3 };

/// Whether a server asks clients for a certificate (RFC 5922 §7.4 leaves
/// the policy to the server).
enum class client_certificate_policy : std::uint8_t {
  none,     ///< do not ask (the default)
  request,  ///< ask; a client without one is let in unauthenticated, a bad one is refused
  require,  ///< ask; a client without a valid one is refused (tls_errc::no_certificate)
};

/// TLS settings. Each PEM text field has a file twin; give one or neither.
struct tls_config {
  /// Listen addresses and every connection limit and timeout, as for TCP
  /// (read_buffer_size is the ciphertext read size).
  tcp_config stream;

  /// Our certificate chain (leaf first, then intermediates) and its
  /// private key, as PEM. A transport that listens needs them; a client
  /// presents them when a server asks (mutual TLS).
  std::string certificate_chain_pem;
  std::string certificate_chain_file;
  std::string private_key_pem;
  std::string private_key_file;

  /// Trusted CAs, as PEM text (one or more certificates) or a file. With
  /// neither, the system store (OpenSSL's default paths) is used.
  std::string ca_pem;
  std::string ca_file;
  /// Also trust the system store when CAs are given.
  bool ca_and_system_store = false;

  /// Client side: verify the server's certificate and name. Turning it off
  /// makes TLS open to any man in the middle; only for tests against
  /// servers with throw-away certificates.
  bool verify_server = true;
  /// Server side: ask for client certificates.
  client_certificate_policy client_certificates = client_certificate_policy::none;
  /// RFC 5922 §7.1 step 2 lets an implementation accept a DNS name in the
  /// subject CN when the certificate has no subjectAltName at all. Off by
  /// default: modern certificates carry a subjectAltName.
  bool accept_common_name = false;

  /// The versions offered and accepted; nothing below TLS 1.2 exists here.
  tls_version min_version = tls_version::tls1_2;
  tls_version max_version = tls_version::tls1_3;
  /// OpenSSL cipher list for TLS 1.2 ("" keeps OpenSSL's default), and
  /// TLS 1.3 ciphersuites ("" keeps the default).
  std::string cipher_list;
  std::string ciphersuites;

  /// Most time from the TCP connection (accepted or connected) to a
  /// complete handshake (event tls_errc::handshake_timeout).
  std::chrono::milliseconds handshake_timeout = std::chrono::seconds(10);
  /// Server names remembered per remote address, so that a reconnect to
  /// an address the user once named keeps SNI and the name check even when
  /// the later send() gives the address only (a response routed by
  /// address, a retransmission). Bounded; the oldest is forgotten first.
  std::size_t remembered_names = 4096;
};

/// TLS: server and client in one, over one connection table (see
/// tcp_transport for the table, limits, events and lifetimes; all of it
/// holds here).
///
/// send(send_target{address, name}, bytes) opens a connection to
/// `address` when there is none, with SNI `name` and the server's
/// certificate checked against `name` (RFC 5922 §7.3); an empty name
/// checks the address against the certificate's iPAddress entries and
/// sends no SNI. When a connection to `address` is open, it is reused if
/// its peer certificate covers `name` (else tls_errc::name_not_covered).
/// send(address, bytes) is send_target{address, remembered name}.
///
/// Inbound messages carry origin.tls: the SNI the client sent (server
/// side), the version, the cipher and the peer's RFC 5922 identities.
/// TLS failures arrive as transport_error_event with a tls_errc and
/// OpenSSL's words in `detail`, after the alert (if any) was sent.
class tls_transport final : public transport {
 public:
  tls_transport(asio::io_context& io, tls_config config);
  ~tls_transport() override;

  [[nodiscard]] transport_protocol protocol() const noexcept override {
    return transport_protocol::tls;
  }
  [[nodiscard]] std::span<const socket_address> local_addresses() const noexcept override;
  /// Builds the OpenSSL context from the configuration (errors: the
  /// configuration tls_errc values), then binds and listens as TCP does.
  std::error_code start(transport_user& user) override;
  std::error_code send(const socket_address& destination, std::string_view bytes) override;
  std::error_code send(const send_target& target, std::string_view bytes) override;
  void close() noexcept override;

  [[nodiscard]] std::size_t connection_count() const noexcept;
  /// True while some connection has messages queued or bytes not yet
  /// written: run the io_context until it is false before closing, or
  /// they are lost.
  [[nodiscard]] bool output_pending() const noexcept;
  [[nodiscard]] bool has_connection(const socket_address& remote) const override;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace sipua
