// The UserAgent's per-call id table (src/ua/id_table.hpp): lookups after
// any mix of inserts and erases agree with std::unordered_map, and the
// array shrinks back as entries go.
#include "../../../src/ua/id_table.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <random>
#include <unordered_map>

namespace sipua::ua_detail {
namespace {

TEST(IdTable, AgreesWithUnorderedMapUnderRandomInsertsAndErases) {
  id_table<std::uint32_t> table;
  std::unordered_map<std::uint64_t, std::uint32_t> model;
  std::mt19937_64 rng{42};
  std::uint64_t next_id = 1;
  for (int round = 0; round < 200'000; ++round) {
    const auto r = rng() % 10;
    if (r < 5 || model.empty()) {
      // Sequential ids as the UA hands them out, and some far apart.
      const std::uint64_t id = r == 0 ? (rng() | 1U) : next_id++;
      const auto v = static_cast<std::uint32_t>(rng());
      const bool fresh = model.emplace(id, v).second;
      EXPECT_EQ(table.insert(id, v), fresh);
    } else {
      // Erase a present id (or, now and then, an absent one).
      const std::uint64_t id = r == 9 ? next_id + 7 : model.begin()->first;
      const bool present = model.erase(id) != 0;
      EXPECT_EQ(table.erase(id), present);
    }
    ASSERT_EQ(table.size(), model.size());
    if (round % 997 == 0) {
      for (const auto& [id, v] : model) {
        const std::uint32_t* found = table.find(id);
        ASSERT_NE(found, nullptr) << id;
        EXPECT_EQ(*found, v);
      }
    }
  }
  for (const auto& [id, v] : model) {
    const std::uint32_t* found = table.find(id);
    ASSERT_NE(found, nullptr);
    EXPECT_EQ(*found, v);
  }
  EXPECT_FALSE(table.contains(0));
  EXPECT_FALSE(table.insert(0));
}

TEST(IdTable, GrowsWithItsEntriesAndShrinksBackWhenTheyGo) {
  id_table<no_value> table;
  for (std::uint64_t id = 1; id <= 100'000; ++id) ASSERT_TRUE(table.insert(id));
  EXPECT_EQ(table.size(), 100'000U);
  EXPECT_GE(table.capacity() * 3, table.size() * 4);  // at most 3/4 full
  EXPECT_LE(table.capacity(), 4 * table.size());
  for (std::uint64_t id = 1; id <= 99'990; ++id) ASSERT_TRUE(table.erase(id));
  EXPECT_EQ(table.size(), 10U);
  EXPECT_LE(table.capacity(), 64U);  // shrank with the entries
  for (std::uint64_t id = 99'991; id <= 100'000; ++id) EXPECT_TRUE(table.contains(id));
  EXPECT_FALSE(table.contains(5));
  for (std::uint64_t id = 99'991; id <= 100'000; ++id) ASSERT_TRUE(table.erase(id));
  EXPECT_TRUE(table.empty());
  EXPECT_FALSE(table.erase(99'991));
}

}  // namespace
}  // namespace sipua::ua_detail
