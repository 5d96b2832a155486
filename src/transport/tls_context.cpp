// SSL_CTX construction from tls_config, and the RFC 5922 §7.3 name check
// run by OpenSSL's certificate verification.
#include "tls_context.hpp"

#include <openssl/err.h>
#include <openssl/pem.h>

#include "tls_identity_x509.hpp"
#include <openssl/x509v3.h>

namespace sipua::detail {
namespace {

struct bio_free {
  void operator()(BIO* b) const noexcept { BIO_free(b); }
};
struct x509_free {
  void operator()(X509* x) const noexcept { X509_free(x); }
};
struct pkey_free {
  void operator()(EVP_PKEY* k) const noexcept { EVP_PKEY_free(k); }
};
using bio_ptr = std::unique_ptr<BIO, bio_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using pkey_ptr = std::unique_ptr<EVP_PKEY, pkey_free>;

void free_expected_peer(void*, void* ptr, CRYPTO_EX_DATA*, int, long, void*) {
  delete static_cast<tls_expected_peer*>(ptr);
}

int expected_peer_index() {
  static const int index = SSL_get_ex_new_index(0, nullptr, nullptr, nullptr, free_expected_peer);
  return index;
}

/// OpenSSL verifies the chain (RFC 5922 §7.1: RFC 5280 validation, the
/// extendedKeyUsage through the ssl_server/ssl_client purpose); at depth 0
/// of a client connection this adds the name check of RFC 5922 §7.3, so a
/// wrong name fails the handshake with a bad_certificate alert like any
/// other verification failure.
int verify_callback(int preverify_ok, X509_STORE_CTX* store) {
  if (preverify_ok != 1 || X509_STORE_CTX_get_error_depth(store) != 0) return preverify_ok;
  const auto* ssl = static_cast<const SSL*>(
      X509_STORE_CTX_get_ex_data(store, SSL_get_ex_data_X509_STORE_CTX_idx()));
  const tls_expected_peer* peer = tls_context::expected_peer(ssl);
  if (peer == nullptr) return 1;  // a server judging a client: no name to match (§7.4)
  const certificate_identities ids =
      identities_of(X509_STORE_CTX_get_current_cert(store), peer->accept_common_name);
  if (!peer->server_name.empty()) {
    if (matches_domain(ids, peer->server_name)) return 1;
    X509_STORE_CTX_set_error(store, X509_V_ERR_HOSTNAME_MISMATCH);
    return 0;
  }
  if (matches_address(ids, peer->address)) return 1;
  X509_STORE_CTX_set_error(store, X509_V_ERR_IP_ADDRESS_MISMATCH);
  return 0;
}

bio_ptr memory_bio(const std::string& text) {
  return bio_ptr(BIO_new_mem_buf(text.data(), static_cast<int>(text.size())));
}

bool load_certificate_chain(SSL_CTX* ctx, const tls_config& c) {
  if (!c.certificate_chain_file.empty()) {
    return SSL_CTX_use_certificate_chain_file(ctx, c.certificate_chain_file.c_str()) == 1;
  }
  bio_ptr bio = memory_bio(c.certificate_chain_pem);
  x509_ptr leaf(bio ? PEM_read_bio_X509_AUX(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  if (!leaf || SSL_CTX_use_certificate(ctx, leaf.get()) != 1) return false;
  while (X509* extra = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    if (SSL_CTX_add0_chain_cert(ctx, extra) != 1) {  // takes ownership on success only
      X509_free(extra);
      return false;
    }
  }
  ERR_clear_error();  // the end of the PEM text reads as "no start line"
  return true;
}

bool load_private_key(SSL_CTX* ctx, const tls_config& c) {
  if (!c.private_key_file.empty()) {
    return SSL_CTX_use_PrivateKey_file(ctx, c.private_key_file.c_str(), SSL_FILETYPE_PEM) == 1;
  }
  bio_ptr bio = memory_bio(c.private_key_pem);
  pkey_ptr key(bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr);
  return key && SSL_CTX_use_PrivateKey(ctx, key.get()) == 1;
}

bool load_trusted(SSL_CTX* ctx, const tls_config& c) {
  const bool given = !c.ca_pem.empty() || !c.ca_file.empty();
  if (!c.ca_pem.empty()) {
    bio_ptr bio = memory_bio(c.ca_pem);
    X509_STORE* store = SSL_CTX_get_cert_store(ctx);
    int added = 0;
    while (bio) {
      x509_ptr ca(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
      if (!ca) break;
      if (X509_STORE_add_cert(store, ca.get()) != 1) return false;
      ++added;
    }
    ERR_clear_error();
    if (added == 0) return false;
  }
  if (!c.ca_file.empty() && SSL_CTX_load_verify_file(ctx, c.ca_file.c_str()) != 1) return false;
  if (!given || c.ca_and_system_store) return SSL_CTX_set_default_verify_paths(ctx) == 1;
  return true;
}

int server_verify_mode(client_certificate_policy p) {
  switch (p) {
    case client_certificate_policy::none: return SSL_VERIFY_NONE;
    case client_certificate_policy::request: return SSL_VERIFY_PEER;
    case client_certificate_policy::require:
      return SSL_VERIFY_PEER | SSL_VERIFY_FAIL_IF_NO_PEER_CERT;
  }
  return SSL_VERIFY_NONE;
}

}  // namespace

std::string take_openssl_errors() {
  const unsigned long e = ERR_peek_last_error();
  std::string text;
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    text = buf;
  }
  ERR_clear_error();
  return text;
}

result<std::shared_ptr<tls_context>, std::error_code> tls_context::create(const tls_config& config,
                                                                          bool listening,
                                                                          std::string& detail) {
  std::shared_ptr<tls_context> self(new tls_context(config));
  auto refuse = [&detail](tls_errc e) {
    detail = take_openssl_errors();
    return unexpected{make_error_code(e)};
  };
  self->ctx_.reset(SSL_CTX_new(TLS_method()));
  SSL_CTX* ctx = self->ctx_.get();
  if (ctx == nullptr) return refuse(tls_errc::handshake_failed);
  auto version = [](tls_version v) {
    return v == tls_version::tls1_3 ? TLS1_3_VERSION : TLS1_2_VERSION;
  };
  SSL_CTX_set_min_proto_version(ctx, version(config.min_version));
  SSL_CTX_set_max_proto_version(ctx, version(config.max_version));
  // Idle connections give their record buffers back (the memory target);
  // no renegotiation (a CPU sink for a hostile peer, and unneeded).
  SSL_CTX_set_mode(ctx, SSL_MODE_RELEASE_BUFFERS);
  SSL_CTX_set_options(
      ctx, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_COMPRESSION | SSL_OP_CIPHER_SERVER_PREFERENCE);
  if (!config.cipher_list.empty() &&
      SSL_CTX_set_cipher_list(ctx, config.cipher_list.c_str()) != 1) {
    return refuse(tls_errc::bad_cipher_list);
  }
  if (!config.ciphersuites.empty() &&
      SSL_CTX_set_ciphersuites(ctx, config.ciphersuites.c_str()) != 1) {
    return refuse(tls_errc::bad_cipher_list);
  }
  const bool has_chain =
      !config.certificate_chain_pem.empty() || !config.certificate_chain_file.empty();
  const bool has_key = !config.private_key_pem.empty() || !config.private_key_file.empty();
  if (listening && (!has_chain || !has_key)) return refuse(tls_errc::missing_certificate);
  if (has_chain && !load_certificate_chain(ctx, config)) {
    return refuse(tls_errc::certificate_load_failed);
  }
  if (has_key && !load_private_key(ctx, config)) {
    // OpenSSL checks the key against the certificate as it takes it.
    const int reason = ERR_GET_REASON(ERR_peek_last_error());
    const bool mismatch =
        has_chain && ERR_GET_LIB(ERR_peek_last_error()) == ERR_LIB_X509 &&
        (reason == X509_R_KEY_VALUES_MISMATCH || reason == X509_R_KEY_TYPE_MISMATCH);
    return refuse(mismatch ? tls_errc::key_mismatch : tls_errc::private_key_load_failed);
  }
  if (has_chain != has_key)
    return refuse(has_chain ? tls_errc::private_key_load_failed
                            : tls_errc::certificate_load_failed);
  if (has_chain && SSL_CTX_check_private_key(ctx) != 1) return refuse(tls_errc::key_mismatch);
  if (!load_trusted(ctx, config)) return refuse(tls_errc::ca_load_failed);
  SSL_CTX_set_verify(ctx, server_verify_mode(config.client_certificates), verify_callback);
  // Needed once clients are verified, or a resumed session is refused.
  static const unsigned char session_context[] = "sipua";
  SSL_CTX_set_session_id_context(ctx, session_context, sizeof session_context - 1);
  ERR_clear_error();
  return self;
}

ssl_ptr tls_context::new_client(std::unique_ptr<tls_expected_peer> peer) const {
  ssl_ptr ssl(SSL_new(ctx_.get()));
  if (!ssl) return ssl;
  SSL_set_connect_state(ssl.get());
  // RFC 6066 §3: SNI carries a host name, never an address literal; it is
  // sent whether or not the server is verified.
  if (!peer->server_name.empty() &&
      SSL_set_tlsext_host_name(ssl.get(), peer->server_name.c_str()) != 1) {
    return nullptr;
  }
  if (!config_.verify_server) {
    SSL_set_verify(ssl.get(), SSL_VERIFY_NONE, nullptr);
    return ssl;
  }
  SSL_set_verify(ssl.get(), SSL_VERIFY_PEER, verify_callback);
  if (SSL_set_ex_data(ssl.get(), expected_peer_index(), peer.get()) != 1) return nullptr;
  (void)peer.release();  // owned by the SSL now (free_expected_peer)
  return ssl;
}

ssl_ptr tls_context::new_server() const {
  ssl_ptr ssl(SSL_new(ctx_.get()));
  if (ssl) SSL_set_accept_state(ssl.get());
  return ssl;
}

const tls_expected_peer* tls_context::expected_peer(const SSL* ssl) noexcept {
  if (ssl == nullptr) return nullptr;
  return static_cast<const tls_expected_peer*>(SSL_get_ex_data(ssl, expected_peer_index()));
}

}  // namespace sipua::detail
