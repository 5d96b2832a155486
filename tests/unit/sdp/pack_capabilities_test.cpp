// pack_capabilities / unpack_capabilities (offer_answer.hpp): an exact round
// trip for every member, and nullopt (never a crash or a large allocation)
// for anything pack_capabilities() did not write.
#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <limits>
#include <string>

#include "sipua/sdp/offer_answer.hpp"

namespace sipua::sdp {
namespace {

codec make_codec(std::string encoding, std::uint32_t rate, unsigned channels, std::string fmtp,
                 std::optional<unsigned> pt) {
  codec c;
  c.encoding = std::move(encoding);
  c.clock_rate = rate;
  c.channels = channels;
  c.fmtp = std::move(fmtp);
  c.payload_type = pt;
  return c;
}

// Audio twice (one with a media-level c= and ptime) and video.
local_capabilities multi_stream() {
  local_capabilities l = audio_capabilities("2001:db8::1", 4000, 1234567890123ULL);
  l.origin.username = "alice";
  l.name = "a call";
  media_capability& audio = l.media[0];
  audio.ptime = 20;
  audio.codecs.push_back(make_codec("iLBC", 8000, 1, "mode=30", std::nullopt));
  media_capability second = audio;
  second.port = 4002;
  second.dir = direction::sendonly;
  second.ptime.reset();
  connection c;
  c.addrtype = "IP4";
  c.address = "192.0.2.7";
  second.connection = c;
  media_capability video;
  video.media = "video";
  video.port = 4004;
  video.dir = direction::recvonly;
  video.codecs.push_back(make_codec("H261", 90000, 1, "", 31U));
  video.codecs.push_back(make_codec("H264", 90000, 1, "profile-level-id=42e01f", std::nullopt));
  l.media.push_back(second);
  l.media.push_back(video);
  return l;
}

// Every number at its maximum, every string empty, every optional present.
local_capabilities extremes() {
  local_capabilities l;
  l.origin.username = "";
  l.origin.sess_id = std::numeric_limits<std::uint64_t>::max();
  l.origin.sess_version = std::numeric_limits<std::uint64_t>::max();
  l.origin.nettype = "";
  l.origin.addrtype = "";
  l.origin.address = "";
  l.connection.nettype = "";
  l.connection.addrtype = "";
  l.connection.address = "";
  l.name = "";
  media_capability m;
  m.media = "";
  m.proto = "";
  m.port = 65535;
  m.connection = connection{};
  m.dir = direction::inactive;
  m.ptime = std::numeric_limits<std::uint32_t>::max();
  m.codecs.push_back(make_codec("", std::numeric_limits<std::uint32_t>::max(),
                                std::numeric_limits<unsigned>::max(), "",
                                std::numeric_limits<unsigned>::max()));
  m.codecs.push_back(make_codec("x", 0, 0, "", 0U));
  l.media.push_back(m);
  media_capability zero;  // all defaults, no codecs
  zero.port = 0;
  l.media.push_back(zero);
  return l;
}

void expect_round_trip(const local_capabilities& l) {
  const std::string packed = pack_capabilities(l);
  const auto back = unpack_capabilities(packed);
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(*back == l);
  EXPECT_EQ(pack_capabilities(*back), packed);
}

TEST(pack_capabilities, audio_round_trip) {
  expect_round_trip(audio_capabilities("127.0.0.1", 40000, 1));
  expect_round_trip(audio_capabilities("::1", 0, 0));
}

TEST(pack_capabilities, multi_stream_round_trip) { expect_round_trip(multi_stream()); }

TEST(pack_capabilities, extremes_round_trip) { expect_round_trip(extremes()); }

TEST(pack_capabilities, no_media_round_trip) {
  local_capabilities l;
  expect_round_trip(l);
}

TEST(pack_capabilities, every_direction_round_trips) {
  for (direction d :
       {direction::sendrecv, direction::sendonly, direction::recvonly, direction::inactive}) {
    local_capabilities l = audio_capabilities("192.0.2.1", 5004, 7);
    l.media[0].dir = d;
    const auto back = unpack_capabilities(pack_capabilities(l));
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->media[0].dir, d);
    EXPECT_TRUE(*back == l);
  }
}

TEST(pack_capabilities, differences_survive) {
  // operator== sees each change, and the packed forms differ too.
  const local_capabilities base = multi_stream();
  local_capabilities other = base;
  other.media[2].codecs[1].fmtp = "profile-level-id=42e01e";
  EXPECT_FALSE(base == other);
  EXPECT_NE(pack_capabilities(base), pack_capabilities(other));
  other = base;
  other.media[0].codecs[0].payload_type.reset();
  EXPECT_FALSE(base == other);
  const auto back = unpack_capabilities(pack_capabilities(other));
  ASSERT_TRUE(back.has_value());
  EXPECT_TRUE(*back == other);
  EXPECT_FALSE(*back == base);
}

TEST(pack_capabilities, every_prefix_is_rejected) {
  for (const local_capabilities& l :
       {audio_capabilities("127.0.0.1", 40000, 1), multi_stream(), extremes()}) {
    const std::string packed = pack_capabilities(l);
    for (std::size_t n = 0; n < packed.size(); ++n)
      EXPECT_FALSE(unpack_capabilities(std::string_view(packed).substr(0, n)).has_value())
          << "prefix of " << n << " of " << packed.size();
  }
}

TEST(pack_capabilities, trailing_byte_is_rejected) {
  std::string packed = pack_capabilities(multi_stream());
  ASSERT_TRUE(unpack_capabilities(packed).has_value());
  packed.push_back('\0');
  EXPECT_FALSE(unpack_capabilities(packed).has_value());
}

TEST(pack_capabilities, bad_format_byte_is_rejected) {
  std::string packed = pack_capabilities(audio_capabilities("127.0.0.1", 40000, 1));
  packed[0] = static_cast<char>(packed[0] + 1);
  EXPECT_FALSE(unpack_capabilities(packed).has_value());
}

TEST(pack_capabilities, corrupt_direction_is_rejected) {
  // With no codecs and ptime, the direction byte is the last but one byte.
  local_capabilities l;
  media_capability m;
  m.dir = direction::recvonly;
  l.media.push_back(m);
  std::string packed = pack_capabilities(l);
  ASSERT_GE(packed.size(), 2U);
  const std::size_t at = packed.size() - 2;
  ASSERT_EQ(packed[at], static_cast<char>(direction::recvonly));
  packed[at] = static_cast<char>(static_cast<int>(direction::inactive) + 1);
  EXPECT_FALSE(unpack_capabilities(packed).has_value());
  packed[at] = static_cast<char>(0xff);
  EXPECT_FALSE(unpack_capabilities(packed).has_value());
  packed[at] = static_cast<char>(direction::inactive);
  const auto back = unpack_capabilities(packed);
  ASSERT_TRUE(back.has_value());
  EXPECT_EQ(back->media[0].dir, direction::inactive);
}

TEST(pack_capabilities, bad_presence_byte_is_rejected) {
  local_capabilities l;
  l.media.push_back(media_capability{});
  std::string packed = pack_capabilities(l);
  ASSERT_EQ(packed.back(), '\0');  // ptime absent
  packed.back() = '\2';
  EXPECT_FALSE(unpack_capabilities(packed).has_value());
}

TEST(pack_capabilities, huge_count_with_little_input_is_rejected) {
  // A packed value with no media, its media count (the last byte, 0)
  // replaced by 2^63 - 1 in ten-ish varint bytes: must fail without
  // reserving (an attempt would throw length_error / bad_alloc).
  local_capabilities l;
  std::string packed = pack_capabilities(l);
  ASSERT_EQ(packed.back(), '\0');
  packed.pop_back();
  std::string huge = packed;
  for (int i = 0; i < 8; ++i) huge.push_back(static_cast<char>(0xff));
  huge.push_back(static_cast<char>(0x7f));
  EXPECT_FALSE(unpack_capabilities(huge).has_value());
  // A count of 1000 followed by only a few bytes.
  std::string some = packed;
  some.push_back(static_cast<char>(0xe8));
  some.push_back(static_cast<char>(0x07));
  some.append(20, '\0');
  EXPECT_FALSE(unpack_capabilities(some).has_value());
  // A string length far beyond the input.
  std::string longstr(1, packed[0]);
  for (int i = 0; i < 4; ++i) longstr.push_back(static_cast<char>(0xfe));
  longstr.push_back(static_cast<char>(0x0f));
  EXPECT_FALSE(unpack_capabilities(longstr).has_value());
}

TEST(pack_capabilities, out_of_range_numbers_are_rejected) {
  // port 65536 where 65535 was: the varint decodes but exceeds uint16.
  local_capabilities l;
  media_capability m;
  m.port = 65535;
  l.media.push_back(m);
  const std::string packed = pack_capabilities(l);
  ASSERT_TRUE(unpack_capabilities(packed).has_value());
  // 65535 is ff ff 03; 65536 is 80 80 04.
  const std::string max_port = "\xff\xff\x03";
  const std::size_t at = packed.find(max_port);
  ASSERT_NE(at, std::string::npos);
  std::string bad = packed;
  bad.replace(at, 3, "\x80\x80\x04");
  EXPECT_FALSE(unpack_capabilities(bad).has_value());
  // An eleven-byte varint for sess_id overflows 64 bits.
  local_capabilities o;
  o.origin.sess_id = std::numeric_limits<std::uint64_t>::max();
  std::string p = pack_capabilities(o);
  const std::size_t id = p.find("\xff\xff\xff\xff\xff\xff\xff\xff\xff\x01");
  ASSERT_NE(id, std::string::npos);
  ASSERT_TRUE(unpack_capabilities(p).has_value());
  p[id + 9] = '\x02';  // 2^64 and more
  EXPECT_FALSE(unpack_capabilities(p).has_value());
}

TEST(pack_capabilities, unknown_word_index_is_rejected) {
  local_capabilities l;
  std::string packed = pack_capabilities(l);
  ASSERT_EQ(packed[1], '\x01');  // username "-" is word 0
  packed[1] = '\x7f';            // word 63: beyond the table
  EXPECT_FALSE(unpack_capabilities(packed).has_value());
}

TEST(pack_capabilities, audio_case_is_small) {
  const local_capabilities l = audio_capabilities("127.0.0.1", 40000, 1);
  const std::string packed = pack_capabilities(l);
  EXPECT_LE(packed.size(), 64U) << packed.size();
  RecordProperty("packed_audio_bytes", static_cast<int>(packed.size()));
  std::printf("packed audio_capabilities(127.0.0.1, 40000, 1): %zu bytes\n", packed.size());
  EXPECT_LE(
      pack_capabilities(audio_capabilities("2001:db8::1234:5678", 40000, 3913056000ULL)).size(),
      90U);
}

}  // namespace
}  // namespace sipua::sdp
