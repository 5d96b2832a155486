// Two UserAgents (as in two processes) must never make the same Call-ID,
// tag or branch (RFC 3261 §8.1.1.4, §19.3, §8.1.1.7): the UA draws them
// from a CSPRNG. With the core's deterministic fallback, both sent the
// same ones and a receiver took the second request for a merged one (482).
#include <gtest/gtest.h>

#include <set>
#include <string>
#include <vector>

#include "ua_test_support.hpp"

#include "sipua/message/message.hpp"
#include "sipua/ua/user_agent.hpp"

namespace sipua {
namespace {

TEST(ua_randomness, two_user_agents_never_share_call_ids_tags_or_branches) {
  UserAgent bob{ua_test::config_for("sip:bob@127.0.0.1")};
  ASSERT_EQ(bob.start(), std::error_code{});
  std::vector<int> statuses;
  std::set<std::string> call_ids, tags, branches;
  for (int i = 0; i < 2; ++i) {
    UserAgent::Config c = ua_test::config_for("sip:alice@127.0.0.1");
    c.listen = {{transport_protocol::udp, {ip_address::loopback_v4(), 0}}};
    c.trace = [&](const trace_event& e) {
      if (e.dir != trace_event::direction::sent || e.bytes.rfind("OPTIONS", 0) != 0) return;
      message m;
      ASSERT_FALSE(parse_datagram(e.bytes, m));
      call_ids.insert(std::string{m.value(header_id::call_id)});
      if (auto f = m.from()) tags.insert(std::string{f->tag()});
      if (auto v = m.top_via()) branches.insert(std::string{v->branch});
    };
    UserAgent alice{bob.context(), c};
    ASSERT_EQ(alice.start(), std::error_code{});
    ASSERT_EQ(alice.send_options(ua_test::uri_of(bob, transport_protocol::udp),
                                 [&](int s) { statuses.push_back(s); }),
              std::error_code{});
    EXPECT_TRUE(bob.run_until([&] { return statuses.size() == static_cast<std::size_t>(i + 1); },
                              ua_test::timeout));
  }
  EXPECT_EQ(statuses, (std::vector<int>{200, 200}));
  EXPECT_EQ(call_ids.size(), 2U);
  EXPECT_EQ(tags.size(), 2U);
  EXPECT_EQ(branches.size(), 2U);
}

}  // namespace
}  // namespace sipua
