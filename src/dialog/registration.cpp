// Registration timing (registration.hpp).
#include "sipua/dialog/registration.hpp"

#include <algorithm>

namespace sipua {

std::string_view to_string(registration_state s) noexcept {
  switch (s) {
    case registration_state::registered: return "registered";
    case registration_state::failed: return "failed";
    case registration_state::unregistered: return "unregistered";
  }
  return "unknown";
}

std::chrono::milliseconds refresh_after(std::chrono::seconds granted) noexcept {
  using std::chrono::milliseconds;
  const milliseconds g = granted;
  const milliseconds margin = std::chrono::seconds{64};
  const milliseconds at = g > 2 * margin ? g - margin : g / 2;
  return std::max(at, milliseconds{1000});
}

std::chrono::milliseconds retry_after_failures(unsigned failures, std::uint64_t random) noexcept {
  constexpr std::int64_t base_ms = 30'000;  // base-time when all flows failed
  constexpr std::int64_t max_ms = 1'800'000;
  std::int64_t w = max_ms;
  if (failures < 16) w = std::min(max_ms, base_ms << failures);
  // Uniform in [W/2, W] (RFC 5626 §4.5).
  const std::int64_t half = w / 2;
  const auto spread = static_cast<std::uint64_t>(w - half + 1);
  return std::chrono::milliseconds{half + static_cast<std::int64_t>(random % spread)};
}

}  // namespace sipua
