// Fuzz target for the SDP layer: parse_session, build_session, make_answer,
// the hold helpers and the offer/answer machine.
// Properties checked (a violation traps):
// - an error offset lies within the input (or is the size limit);
// - a parsed description builds, and the text parses back equal, and builds
//   to the same text again (parse → build → parse is a fixed point);
// - make_answer gives one m= line per offered one, and builds and re-parses;
// - the machine accepts the parsed offer and our answer to it, then is stable;
// - hold re-offers build;
// - raw input that unpack_capabilities() accepts packs and unpacks back
//   equal (and packs to the same bytes again); capabilities() round-trips.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "sipua/sdp/offer_answer.hpp"
#include "sipua/sdp/session.hpp"

namespace {

using namespace sipua::sdp;

local_capabilities capabilities() {
  local_capabilities l;
  l.origin = {"fuzz", 1, 1, "IN", "IP6", "2001:db8::1"};
  l.connection = {"IN", "IP6", "2001:db8::1"};
  media_capability audio;
  audio.port = 4000;
  audio.codecs = {{"PCMU", 8000, 1, {}, 0},
                  {"iLBC", 8000, 1, "mode=30", {}},
                  {"telephone-event", 8000, 1, "0-15", {}}};
  audio.ptime = 20;
  media_capability video;
  video.media = "video";
  video.port = 4002;
  video.dir = direction::recvonly;
  video.codecs = {{"H261", 90000, 1, {}, 31}, {"H264", 90000, 1, "profile-level-id=42e01f", {}}};
  l.media = {audio, audio, video};
  return l;
}

void check_round_trip(const session_description& sd) {
  const auto text = build_session(sd);
  if (!text) return;  // e.g. an empty s= with a CR inside is impossible; tokens checked
  const auto again = parse_session(*text);
  if (!again || !(*again == sd)) __builtin_trap();
  const auto text2 = build_session(*again);
  if (!text2 || *text2 != *text) __builtin_trap();
}

std::size_t touch(const session_description& sd) {
  std::size_t n = 0;
  for (const media_description& m : sd.media) {
    n += static_cast<std::size_t>(sd.effective_direction(m));
    n += sd.effective_connection(m) != nullptr;
    for (const std::string& f : m.formats) {
      if (auto r = m.rtpmap_for(f)) n += r->clock_rate + r->channels;
      if (auto p = m.fmtp_for(f)) n += p->size();
    }
    n += m.ptime().value_or(0);
  }
  return n;
}

void check_capabilities(std::string_view in) {
  static const bool fixed_ok = [] {
    const local_capabilities fixed = capabilities();
    const auto back = unpack_capabilities(pack_capabilities(fixed));
    return back && *back == fixed;
  }();
  if (!fixed_ok) __builtin_trap();
  const auto caps = unpack_capabilities(in);
  if (!caps) return;
  const std::string packed = pack_capabilities(*caps);
  const auto again = unpack_capabilities(packed);
  if (!again || !(*again == *caps)) __builtin_trap();
  if (pack_capabilities(*again) != packed) __builtin_trap();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view in{reinterpret_cast<const char*>(data), size};
  volatile std::size_t sink = 0;
  check_capabilities(in);
  const auto r = parse_session(in);
  if (!r) {
    if (r.error().offset > size) __builtin_trap();
    return 0;
  }
  const session_description& offer = *r;
  // Every parsed description is writable: its fields came from SDP lines.
  if (!build_session(offer)) __builtin_trap();
  check_round_trip(offer);
  sink = sink + touch(offer);

  const auto answer = make_answer(offer, capabilities());
  if (answer.media.size() != offer.media.size()) __builtin_trap();
  if (!answer.timings.empty()) check_round_trip(answer);

  offer_answer machine;
  if (!machine.receive_offer(offer)) {
    const auto sent = machine.send_answer(answer);
    if (!sent || machine.state() != oa_state::stable) __builtin_trap();
    const auto held = machine.send_offer(make_hold_offer(*sent));
    if (!held) __builtin_trap();
    check_round_trip(*held);
    check_round_trip(make_unhold_offer(*held));
    machine.rollback();
  }
  return 0;
}
