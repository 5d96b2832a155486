// What a client knows to answer challenges: per realm, a user name and
// either the password or HA1 = H(user ":" realm ":" password) precomputed
// for some algorithms (RFC 7616 §3.4.2, §5.2: a UA may be provisioned with
// HA1 and never see the password).
#pragma once

#include <array>
#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "sipua/auth/hash.hpp"

namespace sipua::auth {

/// One user's secret for one realm.
struct credential {
  std::string user;
  /// The password; unused when every needed HA1 is set.
  std::optional<std::string> password;
  /// Precomputed HA1 (lower-case hex), indexed by hash_algorithm. A set
  /// entry wins over the password for that hash.
  std::array<std::optional<std::string>, 3> ha1;

  static credential with_password(std::string user, std::string password) {
    credential c;
    c.user = std::move(user);
    c.password = std::move(password);
    return c;
  }
  /// Sets the HA1 for one hash (for the plain and the -sess algorithm).
  credential& with_ha1(hash_algorithm h, std::string hex) {
    ha1[static_cast<std::size_t>(h)] = std::move(hex);
    return *this;
  }
  /// Whether this credential can answer with hash `h`.
  [[nodiscard]] bool supports(hash_algorithm h) const noexcept {
    return password.has_value() || ha1[static_cast<std::size_t>(h)].has_value();
  }
};

/// Credentials by realm (RFC 3261 §22.1: "the realm string alone defines
/// the protection domain"), plus an optional fallback for any realm.
/// Realms compare byte for byte as unq(realm).
class credential_store {
 public:
  void set(std::string realm, credential c) { by_realm_[std::move(realm)] = std::move(c); }
  /// Used for a realm that has no entry of its own.
  void set_default(credential c) { default_ = std::move(c); }
  void erase(std::string_view realm) {
    if (auto it = by_realm_.find(realm); it != by_realm_.end()) by_realm_.erase(it);
  }
  /// The credential for `realm`, else the default, else nullptr. The
  /// pointer is valid until the store is next changed.
  [[nodiscard]] const credential* find(std::string_view realm) const noexcept {
    if (auto it = by_realm_.find(realm); it != by_realm_.end()) return &it->second;
    return default_ ? &*default_ : nullptr;
  }

 private:
  std::map<std::string, credential, std::less<>> by_realm_;
  std::optional<credential> default_;
};

}  // namespace sipua::auth
