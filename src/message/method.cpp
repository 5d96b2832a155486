#include "sipua/message/method.hpp"

#include <array>

namespace sipua {
namespace {
constexpr std::array<std::string_view, 15> k_methods{
    "",       "INVITE", "ACK",       "BYE",    "CANCEL", "REGISTER", "OPTIONS", "PRACK",
    "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER",  "MESSAGE", "INFO",    "PUBLISH"};
}  // namespace

method to_method(std::string_view t) noexcept {
  // Dispatch on the first letter, then one exact comparison.
  if (t.empty()) return method::extension;
  auto is = [t](method m) { return t == k_methods[static_cast<std::size_t>(m)]; };
  switch (t[0]) {
    case 'I':
      if (is(method::invite)) return method::invite;
      if (is(method::info)) return method::info;
      break;
    case 'A': if (is(method::ack)) return method::ack; break;
    case 'B': if (is(method::bye)) return method::bye; break;
    case 'C': if (is(method::cancel)) return method::cancel; break;
    case 'R':
      if (is(method::register_)) return method::register_;
      if (is(method::refer)) return method::refer;
      break;
    case 'O': if (is(method::options)) return method::options; break;
    case 'P':
      if (is(method::prack)) return method::prack;
      if (is(method::publish)) return method::publish;
      break;
    case 'U': if (is(method::update)) return method::update; break;
    case 'S': if (is(method::subscribe)) return method::subscribe; break;
    case 'N': if (is(method::notify)) return method::notify; break;
    case 'M': if (is(method::message)) return method::message; break;
    default: break;
  }
  return method::extension;
}

std::string_view to_string(method m) noexcept {
  const auto i = static_cast<std::size_t>(m);
  return i < k_methods.size() ? k_methods[i] : std::string_view{};
}

}  // namespace sipua
