// Internals shared by registrar.cpp and registrar_text.cpp.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/dialog/location_store.hpp"
#include "sipua/dialog/registrar.hpp"
#include "sipua/message/header_id.hpp"

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

/// 16 hex digits from `random`, or (unset) from a splitmix64 over `sequence`.
std::string random_tag(const std::function<std::uint64_t()>& random, std::uint64_t& sequence);

/// The response to `in.message` with `fields` (and Server when not empty),
/// To tag `tag`, the top Via completed per §18.2.1; empty when it cannot be
/// built.
std::string respond(const inbound_message& in, int status, std::string_view reason,
                    const std::vector<response_field>& fields, std::string_view tag,
                    std::string_view server);

}  // namespace sipua::detail
