// The dialog index of the UA core (src/dialog/call_index.hpp): hashed keys,
// several calls under one key, the record decides.
#include "dialog/call_index.hpp"

#include <gtest/gtest.h>

namespace sipua {
namespace {

call_handle handle(std::uint32_t slot) {
  call_handle h;
  h.slot = slot;
  h.generation = 1;
  return h;
}

TEST(call_index, keys_depend_on_every_part_and_where_it_ends) {
  const call_index idx{7};
  const auto k = idx.key("abc@host", "t1", "t2");
  EXPECT_EQ(k, idx.key("abc@host", "t1", "t2"));
  EXPECT_NE(k, idx.key("abc@hos", "t1", "t2"));
  EXPECT_NE(k, idx.key("abc@host", "t1", "t3"));
  EXPECT_NE(idx.key("ab", "c", ""), idx.key("a", "bc", ""));
  EXPECT_NE(idx.key("a", "", "b"), idx.key("a", "b", ""));
  EXPECT_NE(k, call_index{8}.key("abc@host", "t1", "t2"));  // the seed matters
}

TEST(call_index, a_shared_key_is_resolved_by_the_predicate) {
  call_index idx{1};
  idx.add(42, handle(1));
  idx.add(42, handle(2));
  idx.add(43, handle(3));
  EXPECT_EQ(idx.find(42, [](call_handle h) { return h.slot == 2; }), handle(2));
  EXPECT_EQ(idx.find(42, [](call_handle h) { return h.slot == 1; }), handle(1));
  EXPECT_FALSE(idx.find(42, [](call_handle h) { return h.slot == 3; }).valid());
  EXPECT_FALSE(idx.find(44, [](call_handle) { return true; }).valid());
}

TEST(call_index, remove_takes_out_one_entry_of_that_call_only) {
  call_index idx{1};
  idx.add(42, handle(1));
  idx.add(42, handle(2));
  idx.add(42, handle(2));  // a call's two early dialogs may share a key
  idx.remove(42, handle(2));
  EXPECT_EQ(idx.size(), 2U);
  EXPECT_EQ(idx.find(42, [](call_handle h) { return h.slot == 2; }), handle(2));
  idx.remove(42, handle(2));
  idx.remove(42, handle(9));  // absent: nothing happens
  EXPECT_EQ(idx.size(), 1U);
  EXPECT_EQ(idx.find(42, [](call_handle) { return true; }), handle(1));
}

}  // namespace
}  // namespace sipua
