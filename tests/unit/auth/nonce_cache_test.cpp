// nonce_cache: nc replay window and the bounded LRU with its eviction floor.
#include "sipua/auth/nonce_cache.hpp"

#include <gtest/gtest.h>

#include <string>

namespace sipua::auth {
namespace {

TEST(nonce_cache, each_nc_once) {
  nonce_cache c(8);
  EXPECT_TRUE(c.accept("n", 1, 1));
  EXPECT_FALSE(c.accept("n", 1, 1));
  EXPECT_TRUE(c.accept("n", 1, 3));
  EXPECT_TRUE(c.accept("n", 1, 2));  // out of order, inside the window
  EXPECT_FALSE(c.accept("n", 1, 2));
  EXPECT_FALSE(c.accept("n", 1, 0));
  EXPECT_TRUE(c.accept("m", 1, 1));  // another nonce has its own counts
}

TEST(nonce_cache, window_is_64_below_the_highest) {
  nonce_cache c(8);
  EXPECT_TRUE(c.accept("n", 1, 100));
  EXPECT_TRUE(c.accept("n", 1, 37));   // 100 - 63
  EXPECT_FALSE(c.accept("n", 1, 36));  // 100 - 64: too old to tell
  EXPECT_TRUE(c.accept("n", 1, 200));  // a jump clears the window
  EXPECT_FALSE(c.accept("n", 1, 200));
  EXPECT_FALSE(c.accept("n", 1, 100));
  EXPECT_TRUE(c.accept("n", 1, 199));
}

TEST(nonce_cache, bounded_and_evicted_nonces_never_come_back) {
  nonce_cache c(4);
  for (std::uint64_t t = 1; t <= 10; ++t) EXPECT_TRUE(c.accept("n" + std::to_string(t), t, 1));
  EXPECT_EQ(c.size(), 4U);
  // n1 .. n6 were evicted: their history is gone, so they are refused even
  // with a count they never used.
  EXPECT_FALSE(c.accept("n1", 1, 2));
  EXPECT_FALSE(c.accept("n6", 6, 1));
  // A nonce issued after the newest evicted one is new.
  EXPECT_TRUE(c.accept("n11", 11, 1));
  EXPECT_FALSE(c.accept("n10", 10, 1));  // still remembered: a replay
  EXPECT_EQ(c.size(), 4U);
}

TEST(nonce_cache, use_refreshes_lru_position) {
  nonce_cache c(2);
  EXPECT_TRUE(c.accept("a", 1, 1));
  EXPECT_TRUE(c.accept("b", 2, 1));
  EXPECT_TRUE(c.accept("a", 1, 2));  // a is now the most recent
  EXPECT_TRUE(c.accept("c", 3, 1));  // evicts b
  EXPECT_TRUE(c.accept("a", 1, 3));  // a kept
  EXPECT_FALSE(c.accept("b", 2, 2));
}

}  // namespace
}  // namespace sipua::auth
