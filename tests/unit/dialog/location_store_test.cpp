#include "sipua/dialog/location_store.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <vector>

namespace sipua {
namespace {

using namespace std::chrono_literals;
using time_point = binding::time_point;

const time_point t0{std::chrono::hours{10}};

binding make(std::string contact, time_point expires_at, std::uint32_t cseq = 1) {
  binding b;
  b.contact = std::move(contact);
  b.expires_at = expires_at;
  b.call_id = "c1";
  b.cseq = cseq;
  return b;
}

TEST(location_store, replace_then_read_back) {
  memory_location_store s;
  EXPECT_TRUE(s.bindings("sip:bob@example.com").empty());
  ASSERT_FALSE(s.replace("sip:bob@example.com",
                         {make("sip:a@192.0.2.1", t0 + 10s), make("sip:b@192.0.2.2", t0 + 20s)},
                         t0));
  const auto b = s.bindings("sip:bob@example.com");
  ASSERT_EQ(b.size(), 2U);
  EXPECT_EQ(b[0].contact, "sip:a@192.0.2.1");
  EXPECT_EQ(b[1].expires_at, t0 + 20s);
  EXPECT_EQ(s.aor_count(), 1U);
  EXPECT_EQ(s.binding_count(), 2U);
}

TEST(location_store, an_empty_replace_forgets_the_aor) {
  memory_location_store s;
  ASSERT_FALSE(s.replace("sip:bob@example.com", {make("sip:a@192.0.2.1", t0 + 10s)}, t0));
  ASSERT_FALSE(s.replace("sip:bob@example.com", {}, t0));
  EXPECT_EQ(s.aor_count(), 0U);
  EXPECT_TRUE(s.bindings("sip:bob@example.com").empty());
}

TEST(location_store, expired_bindings_are_not_kept_nor_counted) {
  location_limits l;
  l.max_bindings_per_aor = 1;
  memory_location_store s{l};
  // Two given, one already expired at now: it fits.
  ASSERT_FALSE(s.replace("sip:bob@example.com",
                         {make("sip:old@192.0.2.1", t0), make("sip:new@192.0.2.2", t0 + 1s)}, t0));
  ASSERT_EQ(s.bindings("sip:bob@example.com").size(), 1U);
  EXPECT_EQ(s.bindings("sip:bob@example.com")[0].contact, "sip:new@192.0.2.2");
}

TEST(location_store, too_many_bindings_changes_nothing) {
  location_limits l;
  l.max_bindings_per_aor = 2;
  memory_location_store s{l};
  ASSERT_FALSE(s.replace("sip:bob@example.com", {make("sip:a@192.0.2.1", t0 + 10s)}, t0));
  const std::error_code e = s.replace(
      "sip:bob@example.com",
      {make("sip:a@x", t0 + 10s), make("sip:b@x", t0 + 10s), make("sip:c@x", t0 + 10s)}, t0);
  EXPECT_EQ(e, location_errc::too_many_bindings);
  ASSERT_EQ(s.bindings("sip:bob@example.com").size(), 1U);
  EXPECT_EQ(s.bindings("sip:bob@example.com")[0].contact, "sip:a@192.0.2.1");
}

TEST(location_store, too_many_aors_until_one_expires) {
  location_limits l;
  l.max_aors = 2;
  memory_location_store s{l};
  ASSERT_FALSE(s.replace("sip:a@example.com", {make("sip:a@x", t0 + 10s)}, t0));
  ASSERT_FALSE(s.replace("sip:b@example.com", {make("sip:b@x", t0 + 20s)}, t0));
  EXPECT_EQ(s.replace("sip:c@example.com", {make("sip:c@x", t0 + 30s)}, t0 + 9s),
            location_errc::too_many_aors);
  EXPECT_EQ(s.aor_count(), 2U);
  // An AOR already there may still change when the store is full.
  EXPECT_FALSE(s.replace("sip:a@example.com", {make("sip:a2@x", t0 + 15s)}, t0 + 9s));
  // At 15 s a's binding has expired: the full store purges and makes room.
  EXPECT_FALSE(s.replace("sip:c@example.com", {make("sip:c@x", t0 + 30s)}, t0 + 15s));
  EXPECT_EQ(s.aor_count(), 2U);
  EXPECT_TRUE(s.bindings("sip:a@example.com").empty());
}

TEST(location_store, purge_and_next_expiry_follow_manual_time) {
  memory_location_store s;
  EXPECT_FALSE(s.next_expiry().has_value());
  ASSERT_FALSE(
      s.replace("sip:a@example.com", {make("sip:1@x", t0 + 30s), make("sip:2@x", t0 + 10s)}, t0));
  ASSERT_FALSE(s.replace("sip:b@example.com", {make("sip:3@x", t0 + 20s)}, t0));
  EXPECT_EQ(s.next_expiry(), t0 + 10s);
  EXPECT_EQ(s.purge(t0 + 9s), 0U);
  EXPECT_EQ(s.purge(t0 + 10s), 1U);  // expires_at is the first instant without it
  EXPECT_EQ(s.next_expiry(), t0 + 20s);
  EXPECT_EQ(s.purge(t0 + 25s), 1U);
  EXPECT_EQ(s.aor_count(), 1U);
  EXPECT_EQ(s.purge(t0 + 1h), 1U);
  EXPECT_EQ(s.aor_count(), 0U);
  EXPECT_FALSE(s.next_expiry().has_value());
}

TEST(location_store, binding_preference_and_activity) {
  binding b = make("sip:a@x", t0 + 1s);
  EXPECT_EQ(b.preference(), 1000);
  b.q = 300;
  EXPECT_EQ(b.preference(), 300);
  EXPECT_TRUE(b.active(t0));
  EXPECT_FALSE(b.active(t0 + 1s));
}

TEST(location_store, error_category) {
  const std::error_code e = location_errc::too_many_aors;
  EXPECT_STREQ(e.category().name(), "sipua.location");
  EXPECT_FALSE(e.message().empty());
  EXPECT_NE(e.message(), std::error_code{location_errc::backend_failure}.message());
}

}  // namespace
}  // namespace sipua
