// A call's media (sdp::local_capabilities: what make_offer / make_answer
// need for a re-INVITE or UPDATE): whole while in use, packed into one
// string (sdp::pack_capabilities) while the call is idle. Most of an idle
// call's bytes were its media's vectors and strings.
#pragma once

#include <memory>
#include <string>
#include <utility>

#include "sipua/sdp/offer_answer.hpp"

namespace sipua {

class held_media {
 public:
  held_media() = default;
  held_media& operator=(sdp::local_capabilities m) {
    full_ = std::make_unique<sdp::local_capabilities>(std::move(m));
    std::string{}.swap(packed_);
    return *this;
  }

  /// True when the call has media.
  explicit operator bool() const noexcept { return full_ != nullptr || !packed_.empty(); }

  /// The media, unpacked first when packed. Only when operator bool.
  sdp::local_capabilities& operator*() {
    if (!full_) {
      // Packed by compact() from a value: it unpacks (pack/unpack round
      // trip, tested in the sdp layer); an empty value otherwise.
      auto m = sdp::unpack_capabilities(packed_);
      full_ =
          std::make_unique<sdp::local_capabilities>(m ? std::move(*m) : sdp::local_capabilities{});
      std::string{}.swap(packed_);
    }
    return *full_;
  }

  /// Packs the media (the call is idle): read back by the next operator*.
  void compact() {
    if (!full_) return;
    packed_ = sdp::pack_capabilities(*full_);
    full_.reset();
  }

  void reset() noexcept {
    full_.reset();
    std::string{}.swap(packed_);
  }

 private:
  std::unique_ptr<sdp::local_capabilities> full_;
  std::string packed_;
};

}  // namespace sipua
