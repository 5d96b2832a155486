// A TLS session over an in-memory BIO: OpenSSL reads the ciphertext the
// caller fed (engine::in_) and writes into engine::out_. With
// SSL_MODE_RELEASE_BUFFERS (tls_context) nothing but the SSL object stays
// allocated between messages.
#include "tls_engine.hpp"

#include <openssl/err.h>

#include <algorithm>
#include <cstring>

#include "tls_identity_x509.hpp"
#include <openssl/x509_vfy.h>

namespace sipua::detail {

// --- the BIO ---------------------------------------------------------------

struct engine_bio {
  static tls_engine& engine(BIO* b) { return *static_cast<tls_engine*>(BIO_get_data(b)); }

  static int write(BIO* b, const char* data, std::size_t len, std::size_t* written) {
    engine(b).out_.append(data, len);
    *written = len;
    return 1;
  }

  static int read(BIO* b, char* data, std::size_t len, std::size_t* got) {
    BIO_clear_retry_flags(b);
    std::string_view& in = engine(b).in_;
    if (in.empty()) {
      BIO_set_retry_read(b);  // "would block": SSL_ERROR_WANT_READ
      *got = 0;
      return 0;
    }
    const std::size_t n = std::min(len, in.size());
    std::memcpy(data, in.data(), n);
    in.remove_prefix(n);
    *got = n;
    return 1;
  }

  static long ctrl(BIO*, int cmd, long, void*) { return cmd == BIO_CTRL_FLUSH ? 1 : 0; }

  static int create(BIO* b) {
    BIO_set_init(b, 1);
    return 1;
  }

  static const BIO_METHOD* method() {
    static BIO_METHOD* const m = [] {
      BIO_METHOD* meth = BIO_meth_new(BIO_get_new_index() | BIO_TYPE_SOURCE_SINK, "sipua-tls");
      BIO_meth_set_write_ex(meth, write);
      BIO_meth_set_read_ex(meth, read);
      BIO_meth_set_ctrl(meth, ctrl);
      BIO_meth_set_create(meth, create);
      return meth;
    }();
    return m;
  }
};

// --- errors ----------------------------------------------------------------

namespace {

tls_errc from_verify_result(long v) {
  switch (v) {
    case X509_V_ERR_CERT_HAS_EXPIRED: return tls_errc::expired;
    case X509_V_ERR_CERT_NOT_YET_VALID: return tls_errc::not_yet_valid;
    case X509_V_ERR_HOSTNAME_MISMATCH:
    case X509_V_ERR_IP_ADDRESS_MISMATCH: return tls_errc::wrong_host;
    case X509_V_ERR_DEPTH_ZERO_SELF_SIGNED_CERT:
    case X509_V_ERR_SELF_SIGNED_CERT_IN_CHAIN:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT:
    case X509_V_ERR_UNABLE_TO_GET_ISSUER_CERT_LOCALLY:
    case X509_V_ERR_UNABLE_TO_VERIFY_LEAF_SIGNATURE:
    case X509_V_ERR_CERT_UNTRUSTED: return tls_errc::untrusted;
    default: return tls_errc::bad_certificate;
  }
}

/// The reason of OpenSSL's last SSL-library error, as a tls_errc; ok when
/// it is none of those sipua names.
tls_errc from_ssl_reason(unsigned long e) {
  if (e == 0 || ERR_GET_LIB(e) != ERR_LIB_SSL) return tls_errc::ok;
  switch (ERR_GET_REASON(e)) {
    case SSL_R_NO_SHARED_CIPHER:
    case SSL_R_NO_SHARED_GROUPS:
    case SSL_R_NO_SUITABLE_SIGNATURE_ALGORITHM:
    // What a server with nothing in common sends (RFC 8446 §4.1.1,
    // RFC 5246 §7.4.1.3): the client's view of "no shared cipher".
    case SSL_R_SSLV3_ALERT_HANDSHAKE_FAILURE: return tls_errc::no_shared_cipher;
    case SSL_R_UNSUPPORTED_PROTOCOL:
    case SSL_R_TLSV1_ALERT_PROTOCOL_VERSION: return tls_errc::protocol_version;
    case SSL_R_PEER_DID_NOT_RETURN_A_CERTIFICATE: return tls_errc::no_certificate;
    case SSL_R_SSLV3_ALERT_BAD_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_UNSUPPORTED_CERTIFICATE:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_REVOKED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_EXPIRED:
    case SSL_R_SSLV3_ALERT_CERTIFICATE_UNKNOWN:
    case SSL_R_TLSV1_ALERT_UNKNOWN_CA:
    case SSL_R_TLSV13_ALERT_CERTIFICATE_REQUIRED: return tls_errc::peer_rejected_certificate;
    default: return tls_errc::ok;
  }
}

}  // namespace

// --- the engine ------------------------------------------------------------

tls_engine::tls_engine(ssl_ptr ssl, bool client, std::string server_name)
    : ssl_(std::move(ssl)), client_(client), server_name_(std::move(server_name)) {
  BIO* bio = BIO_new(engine_bio::method());
  BIO_set_data(bio, this);
  SSL_set_bio(ssl_.get(), bio, bio);  // one BIO both ways; the SSL owns it
}

tls_engine::~tls_engine() = default;

tls_progress tls_engine::start() {
  if (!client_) return {};
  return begin_receive({});
}

tls_progress tls_engine::begin_receive(std::string_view ciphertext) {
  in_ = ciphertext;
  if (done_) return {};
  ERR_clear_error();
  const int r = SSL_do_handshake(ssl_.get());
  if (r == 1) {
    complete_handshake();
    tls_progress p;
    p.handshake_completed = true;
    return p;
  }
  const int e = SSL_get_error(ssl_.get(), r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return {};
  return failure(e);
}

bool tls_engine::read_plain(std::span<char> scratch, std::string_view& plain, tls_progress& p) {
  ERR_clear_error();
  std::size_t n = 0;
  const int r = SSL_read_ex(ssl_.get(), scratch.data(), scratch.size(), &n);
  if (r == 1) {
    plain = std::string_view(scratch.data(), n);
    return true;
  }
  const int e = SSL_get_error(ssl_.get(), r);
  if (e == SSL_ERROR_WANT_READ || e == SSL_ERROR_WANT_WRITE) return false;
  if (e == SSL_ERROR_ZERO_RETURN) {
    p.peer_closed = true;
    return false;
  }
  tls_progress f = failure(e);
  p.error = f.error;
  p.detail = std::move(f.detail);
  return false;
}

tls_progress tls_engine::failure(int ssl_error) {
  tls_progress p;
  const long verify = SSL_get_verify_result(ssl_.get());
  const unsigned long last = ERR_peek_last_error();
  if (verify != X509_V_OK) {
    // This side judged the peer's certificate and refused it. (OpenSSL
    // keeps no peer certificate after a failed verification: the verify
    // result is what is left.)
    p.error = from_verify_result(verify);
    p.detail = X509_verify_cert_error_string(verify);
    ERR_clear_error();
    return p;
  }
  const tls_errc reason = from_ssl_reason(last);
  if (reason != tls_errc::ok) {
    p.error = reason;
  } else if (!done_) {
    p.error = tls_errc::handshake_failed;
  } else {
    p.error = std::make_error_code(std::errc::protocol_error);  // a bad record later on
  }
  p.detail = take_openssl_errors();
  if (p.detail.empty()) p.detail = "SSL_get_error " + std::to_string(ssl_error);
  return p;
}

void tls_engine::complete_handshake() {
  done_ = true;
  auto info = std::make_shared<tls_session_info>();
  SSL* ssl = ssl_.get();
  if (client_) {
    info->server_name = server_name_;
  } else if (const char* sni = SSL_get_servername(ssl, TLSEXT_NAMETYPE_host_name)) {
    info->server_name = sni;
  }
  info->version = SSL_get_version(ssl);
  info->cipher = SSL_CIPHER_get_name(SSL_get_current_cipher(ssl));
  if (X509* peer = SSL_get0_peer_certificate(ssl)) {
    const tls_expected_peer* expected = tls_context::expected_peer(ssl);
    info->peer_identities =
        identities_of(peer, expected != nullptr && expected->accept_common_name);
    const bool checked = client_ ? expected != nullptr : SSL_get_verify_mode(ssl) != 0;
    info->peer_verified = checked && SSL_get_verify_result(ssl) == X509_V_OK;
  }
  session_ = std::move(info);
}

std::error_code tls_engine::send(std::string_view plaintext) {
  if (!done_) return tls_errc::handshake_failed;
  ERR_clear_error();
  std::size_t written = 0;
  if (SSL_write_ex(ssl_.get(), plaintext.data(), plaintext.size(), &written) != 1) {
    return failure(SSL_get_error(ssl_.get(), 0)).error;
  }
  return {};
}

void tls_engine::close_notify() {
  ERR_clear_error();
  (void)SSL_shutdown(ssl_.get());
  ERR_clear_error();
}

}  // namespace sipua::detail
