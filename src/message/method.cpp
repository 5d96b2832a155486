#include "sipua/message/method.hpp"

#include <array>

namespace sipua {
namespace {
constexpr std::array<std::string_view, 15> k_methods{
    "",       "INVITE",    "ACK",    "BYE",   "CANCEL",  "REGISTER", "OPTIONS", "PRACK",
    "UPDATE", "SUBSCRIBE", "NOTIFY", "REFER", "MESSAGE", "INFO",     "PUBLISH"};
}  // namespace

method to_method(std::string_view t) noexcept {
  // Dispatch on the length, then fixed-size comparisons (no memcmp call).
  switch (t.size()) {
    case 3:
      if (t == "ACK") return method::ack;
      if (t == "BYE") return method::bye;
      break;
    case 4:
      if (t == "INFO") return method::info;
      break;
    case 5:
      if (t == "PRACK") return method::prack;
      if (t == "REFER") return method::refer;
      break;
    case 6:
      if (t == "INVITE") return method::invite;
      if (t == "CANCEL") return method::cancel;
      if (t == "UPDATE") return method::update;
      if (t == "NOTIFY") return method::notify;
      break;
    case 7:
      if (t == "OPTIONS") return method::options;
      if (t == "MESSAGE") return method::message;
      if (t == "PUBLISH") return method::publish;
      break;
    case 8:
      if (t == "REGISTER") return method::register_;
      break;
    case 9:
      if (t == "SUBSCRIBE") return method::subscribe;
      break;
    default: break;
  }
  return method::extension;
}

std::string_view to_string(method m) noexcept {
  const auto i = static_cast<std::size_t>(m);
  return i < k_methods.size() ? k_methods[i] : std::string_view{};
}

}  // namespace sipua
