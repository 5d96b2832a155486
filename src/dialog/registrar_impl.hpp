// Internals shared by registrar.cpp and registrar_text.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/dialog/location_store.hpp"
#include "sipua/dialog/registrar.hpp"
#include "sipua/message/header_id.hpp"
#include "sipua/message/message.hpp"

namespace sipua::detail {

/// One header field a registrar response carries besides the §8.2.6 ones.
struct response_field {
  header_id id = header_id::unknown;
  std::string value;
};

/// A qvalue (§25.1) from thousandths: 1000 -> "1", 500 -> "0.5", 5 -> "0.005".
std::string q_text(std::uint16_t q);

/// A 200's Contact value for `b` (§10.3 step 8): "<uri>;expires=N[;q=..]<params>".
std::string contact_value(const binding& b, binding::time_point now);

/// The response to `in.message` with `fields` (and Server when not empty),
/// To tag `tag`, the top Via completed per §18.2.1; empty when it cannot be
/// built.
std::string respond(const inbound_message& in, int status, std::string_view reason,
                    const std::vector<response_field>& fields, std::string_view tag,
                    std::string_view server);

/// Why a REGISTER is refused before its bindings are looked at.
struct registrar_rejection {
  int status = 0;
  std::string_view rule;  ///< static text
  std::vector<response_field> fields;
  bool foreign_domain = false;  ///< §10.3 step 1
  bool drop = false;            ///< no response at all
};

/// The checks before the bindings: validate_syntax, §10.3 step 1, §8.2 and
/// step 2 (uas_check), step 5 and step 4. nullopt: go on, with `aor` set to
/// the canonical AOR.
std::optional<registrar_rejection> check_register(const message& m, const registrar_config& c,
                                                  std::string& aor);

/// `host` is one of `domains` (case-insensitive), or `domains` is empty.
bool served(const std::vector<std::string>& domains, std::string_view host);

/// `tag` is in `tags` (option tags compare case-insensitively, §19.2).
bool has_tag(const std::vector<std::string>& tags, std::string_view tag);

}  // namespace sipua::detail
