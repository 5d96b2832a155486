#include "sipua/dialog/redirect.hpp"

#include <gtest/gtest.h>

#include <optional>
#include <string>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/message.hpp"

namespace sipua {
namespace {

// A 3xx (or any response) to an INVITE, with `contacts` as header lines
// (each ending in CRLF).
std::string response_text(int status, const std::string& contacts) {
  std::string s = "SIP/2.0 " + std::to_string(status) + " Moved\r\n";
  s += "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bK776asdhds\r\n";
  s += "To: <sip:bob@biloxi.example.com>;tag=3flal12sf\r\n";
  s += "From: <sip:alice@atlanta.example.com>;tag=1928301774\r\n";
  s += "Call-ID: a84b4c76e66710@pc33\r\n";
  s += "CSeq: 1 INVITE\r\n";
  s += contacts;
  s += "Content-Length: 0\r\n\r\n";
  return s;
}

// Feeds the response (from an exact-size buffer) to `t`; returns how many
// targets it added.
std::size_t feed(redirect_targets& t, int status, const std::string& contacts) {
  std::size_t added = 0;
  test::for_each_exact(response_text(status, contacts), [&](std::string_view b) {
    message m;
    ASSERT_FALSE(parse_datagram(b, m));
    added = t.add_response(m);
  });
  return added;
}

// Everything next() gives, in order.
std::vector<std::string> drain(redirect_targets& t) {
  std::vector<std::string> out;
  while (auto u = t.next()) out.push_back(*u);
  return out;
}

using uris = std::vector<std::string>;

TEST(RedirectTargets, OrdersByQDescendingAbsentQIsOne) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  EXPECT_EQ(feed(t, 302,
                 "Contact: <sip:low@example.com>;q=0.1, <sip:none@example.com>\r\n"
                 "Contact: <sip:mid@example.com>;q=0.5, <sip:top@example.com>;q=1.0\r\n"
                 "Contact: sip:half@example.com;q=0.500\r\n"),
            5U);
  EXPECT_EQ(t.pending(), 5U);
  EXPECT_EQ(t.reason(), redirect_end::not_exhausted);
  EXPECT_EQ(drain(t), (uris{"sip:none@example.com", "sip:top@example.com", "sip:mid@example.com",
                            "sip:half@example.com", "sip:low@example.com"}));
  EXPECT_EQ(t.reason(), redirect_end::no_targets);
  EXPECT_EQ(t.redirects_followed(), 1U);
}

TEST(RedirectTargets, EqualQKeepResponseOrderAcrossResponses) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  feed(t, 301, "Contact: <sip:a@example.com>;q=0.7, <sip:b@example.com>;q=0.7\r\n");
  ASSERT_EQ(t.next(), std::optional<std::string>{"sip:a@example.com"});
  // a redirected again: its targets join b, in q order, b first at equal q.
  feed(t, 302,
       "Contact: <sip:c@example.com>;q=0.7, <sip:d@example.com>;q=0.9, "
       "<sip:e@example.com>;q=0.2\r\n");
  EXPECT_EQ(drain(t), (uris{"sip:d@example.com", "sip:b@example.com", "sip:c@example.com",
                            "sip:e@example.com"}));
  EXPECT_EQ(t.redirects_followed(), 2U);
}

TEST(RedirectTargets, DuplicatesAndTheOriginalAreNotAddedTwice) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  // §19.1.4: host and scheme case-insensitive, default port differs from
  // explicit 5060, a parameter present on one side only is ignored.
  EXPECT_EQ(feed(t, 302,
                 "Contact: <sip:bob@BILOXI.example.com>\r\n"  // the original: a loop
                 "Contact: <sip:carol@example.com>, <SIP:carol@Example.COM>\r\n"
                 "Contact: <sip:carol@example.com;foo=bar>, <sip:carol@example.com:5060>\r\n"),
            2U);
  EXPECT_EQ(drain(t), (uris{"sip:carol@example.com", "sip:carol@example.com:5060"}));
  EXPECT_EQ(t.target_set(), (uris{"sip:bob@biloxi.example.com", "sip:carol@example.com",
                                  "sip:carol@example.com:5060"}));
  EXPECT_EQ(t.reason(), redirect_end::loop);
}

TEST(RedirectTargets, RedirectBackToATriedTargetIsALoop) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  feed(t, 302, "Contact: <sip:carol@example.com>\r\n");
  ASSERT_EQ(t.next(), std::optional<std::string>{"sip:carol@example.com"});
  // carol's server redirects back to bob and to carol herself.
  EXPECT_EQ(feed(t, 302, "Contact: <sip:bob@biloxi.example.com>, <sip:carol@example.com>\r\n"), 0U);
  EXPECT_EQ(t.next(), std::nullopt);
  EXPECT_EQ(t.reason(), redirect_end::loop);
}

TEST(RedirectTargets, SkipsStarGarbageAndOtherSchemes) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  EXPECT_EQ(feed(t, 302,
                 "Contact: *\r\n"
                 "Contact: <sip:ok1@example.com>, \"unclosed <sip:x@example.com>\r\n"
                 "Contact: <tel:+15551234567>, <mailto:bob@example.com>, "
                 "<sip:bad@example.com>;q=2\r\n"
                 "Contact: <sips:ok2@example.com>;q=0.3\r\n"),
            2U);
  EXPECT_EQ(drain(t), (uris{"sip:ok1@example.com", "sips:ok2@example.com"}));
  EXPECT_EQ(t.reason(), redirect_end::no_targets);
}

TEST(RedirectTargets, NoContactMeansNoTargets) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  EXPECT_EQ(feed(t, 302, ""), 0U);
  EXPECT_EQ(t.next(), std::nullopt);
  EXPECT_EQ(t.reason(), redirect_end::no_targets);
  EXPECT_EQ(t.redirects_followed(), 1U);
}

TEST(RedirectTargets, UseProxyAndAlternativeServiceAreNotFollowed) {
  redirect_targets t{"sip:bob@biloxi.example.com"};
  EXPECT_EQ(feed(t, 305, "Contact: <sip:proxy.evil.example.com>\r\n"), 0U);
  EXPECT_EQ(feed(t, 380, "Contact: <sip:alt@example.com>\r\n"), 0U);
  EXPECT_EQ(feed(t, 486, "Contact: <sip:info@example.com>\r\n"), 0U);
  EXPECT_EQ(t.redirects_followed(), 0U);
  EXPECT_EQ(t.next(), std::nullopt);
  EXPECT_EQ(t.reason(), redirect_end::no_targets);
  // An unknown 3xx is a 300 (§8.1.3.2).
  EXPECT_EQ(feed(t, 399, "Contact: <sip:x@example.com>\r\n"), 1U);
}

TEST(RedirectTargets, RedirectLimitReachedAfterNResponses) {
  redirect_targets t{"sip:u0@example.com", redirect_limits{3, 16, false}};
  for (int i = 1; i <= 3; ++i) {
    const std::string uri = "sip:u" + std::to_string(i) + "@example.com";
    ASSERT_EQ(
        feed(t, 302,
             "Contact: <" + uri + ">, <sip:spare" + std::to_string(i) + "@example.com>;q=0.1\r\n"),
        2U);
    ASSERT_EQ(t.next(), std::optional<std::string>{uri});
  }
  EXPECT_EQ(t.redirects_followed(), 3U);
  EXPECT_EQ(t.pending(), 3U);
  // The fourth 3xx is one too many: the whole redirection ends.
  EXPECT_EQ(feed(t, 302, "Contact: <sip:u4@example.com>\r\n"), 0U);
  EXPECT_EQ(t.next(), std::nullopt);
  EXPECT_EQ(t.reason(), redirect_end::limit_reached);
  EXPECT_EQ(t.redirects_followed(), 3U);
}

TEST(RedirectTargets, DefaultLimitIsFiveRedirects) {
  redirect_targets t{"sip:u0@example.com"};
  for (int i = 1; i <= 5; ++i) {
    ASSERT_EQ(feed(t, 302, "Contact: <sip:u" + std::to_string(i) + "@example.com>\r\n"), 1U);
    ASSERT_TRUE(t.next());
  }
  EXPECT_EQ(feed(t, 302, "Contact: <sip:u6@example.com>\r\n"), 0U);
  EXPECT_EQ(t.reason(), redirect_end::limit_reached);
}

TEST(RedirectTargets, TargetCapDropsTheRest) {
  redirect_targets t{"sip:bob@example.com", redirect_limits{5, 2, false}};
  EXPECT_EQ(feed(t, 300,
                 "Contact: <sip:a@example.com>;q=0.1, <sip:b@example.com>, "
                 "<sip:c@example.com>;q=0.9\r\n"),
            2U);
  EXPECT_EQ(drain(t), (uris{"sip:b@example.com", "sip:a@example.com"}));
  EXPECT_EQ(t.reason(), redirect_end::limit_reached);
}

TEST(RedirectTargets, SipsOriginalDropsSipContactsUnlessAllowed) {
  const std::string contacts = "Contact: <sip:plain@example.com>, <sips:secure@example.com>\r\n";
  redirect_targets strict{"sips:bob@example.com"};
  EXPECT_EQ(feed(strict, 302, contacts), 1U);
  EXPECT_EQ(drain(strict), (uris{"sips:secure@example.com"}));
  redirect_targets lenient{"sips:bob@example.com", redirect_limits{5, 16, true}};
  EXPECT_EQ(feed(lenient, 302, contacts), 2U);
  EXPECT_EQ(drain(lenient), (uris{"sip:plain@example.com", "sips:secure@example.com"}));
}

}  // namespace
}  // namespace sipua
