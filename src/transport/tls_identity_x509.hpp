// Private: the RFC 5922 §7.1 identities of an OpenSSL certificate, for the
// TLS transport, which holds the peer certificate as an X509 (after
// SSL_get0_peer_certificate / SSL_get1_peer_certificate).
#pragma once

#include <openssl/x509.h>

#include "sipua/transport/tls_identity.hpp"

namespace sipua {

/// The identities of `cert` by the rules of certificate_identities
/// (tls_identity.hpp). A null `cert` gives no identities. Does not check
/// the certificate's validity (the TLS verification does). Does not keep
/// `cert`; does not touch its reference count.
certificate_identities identities_of(const X509* cert, bool allow_common_name);

}  // namespace sipua
