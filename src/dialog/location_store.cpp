// The "sipua.location" error category and memory_location_store.
#include "sipua/dialog/location_store.hpp"

#include <algorithm>
#include <string>
#include <utility>

namespace sipua {

namespace {

class location_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.location"; }
  std::string message(int ev) const override {
    switch (static_cast<location_errc>(ev)) {
      case location_errc::ok: return "ok";
      case location_errc::too_many_aors: return "the location store holds its maximum of AORs";
      case location_errc::too_many_bindings:
        return "more bindings for one address-of-record than the store allows";
      case location_errc::backend_failure: return "the location store could not commit";
    }
    return "unknown location error";
  }
};

}  // namespace

const std::error_category& location_category() noexcept {
  static const location_category_impl category;
  return category;
}

memory_location_store::memory_location_store(location_limits limits) : limits_(limits) {}

std::vector<binding> memory_location_store::bindings(std::string_view aor) const {
  const auto it = aors_.find(std::string{aor});
  return it == aors_.end() ? std::vector<binding>{} : it->second;
}

std::error_code memory_location_store::replace(std::string_view aor, std::vector<binding> next,
                                               time_point now) {
  // Bindings already expired need no room: keep only live ones.
  std::erase_if(next, [now](const binding& b) { return !b.active(now); });
  if (next.size() > limits_.max_bindings_per_aor) return location_errc::too_many_bindings;
  std::string key{aor};
  const auto it = aors_.find(key);
  if (next.empty()) {
    if (it != aors_.end()) aors_.erase(it);
    return {};
  }
  if (it != aors_.end()) {
    it->second = std::move(next);
    return {};
  }
  // A new AOR: make room from expired ones first, only when full (keeps
  // the common path O(1)).
  if (aors_.size() >= limits_.max_aors) purge(now);
  if (aors_.size() >= limits_.max_aors) return location_errc::too_many_aors;
  aors_.emplace(std::move(key), std::move(next));
  return {};
}

std::size_t memory_location_store::purge(time_point now) {
  std::size_t removed = 0;
  for (auto it = aors_.begin(); it != aors_.end();) {
    auto& v = it->second;
    const std::size_t before = v.size();
    std::erase_if(v, [now](const binding& b) { return !b.active(now); });
    removed += before - v.size();
    it = v.empty() ? aors_.erase(it) : std::next(it);
  }
  return removed;
}

std::optional<binding::time_point> memory_location_store::next_expiry() const {
  std::optional<time_point> first;
  for (const auto& [aor, v] : aors_) {
    for (const binding& b : v) {
      if (!first || b.expires_at < *first) first = b.expires_at;
    }
  }
  return first;
}

std::size_t memory_location_store::binding_count() const noexcept {
  std::size_t n = 0;
  for (const auto& [aor, v] : aors_) n += v.size();
  return n;
}

}  // namespace sipua
