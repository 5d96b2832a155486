// io_runtime and basic_resolver on a real io_context. The only name ever
// resolved is "localhost".
#include <gtest/gtest.h>

#include <chrono>
#include <optional>

#include "loopback_pair.hpp"
#include <asio/io_context.hpp>
#include <asio/steady_timer.hpp>

#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/resolver.hpp"

namespace sipua {
namespace {

using namespace std::chrono_literals;
using test::k_timeout;

TEST(IoRuntime, OwnsOrBorrowsTheContext) {
  io_runtime owned;
  EXPECT_TRUE(owned.owns_context());
  asio::io_context app;
  io_runtime borrowed{app};
  EXPECT_FALSE(borrowed.owns_context());
  EXPECT_EQ(&borrowed.context(), &app);
  int ran = 0;
  borrowed.post([&] { ++ran; });
  EXPECT_EQ(app.run(), 1u);  // the application runs its own loop
  EXPECT_EQ(ran, 1);
}

TEST(IoRuntime, RunUntilStopsAtTheConditionOrTheTimeout) {
  io_runtime rt;
  int n = 0;
  for (int i = 0; i < 5; ++i) rt.post([&] { ++n; });
  EXPECT_TRUE(rt.run_until([&] { return n == 3; }, k_timeout));
  EXPECT_EQ(n, 3);  // stopped right after the third handler
  // Out of work and not done: returns false at once, not after the timeout.
  EXPECT_FALSE(rt.run_until([&] { return n == 99; }, k_timeout));
  EXPECT_EQ(n, 5);
  // Work that never satisfies the condition: bounded by the timeout.
  asio::steady_timer never{rt.context(), 1h};
  never.async_wait([](const std::error_code&) {});
  EXPECT_FALSE(rt.run_until([] { return false; }, 20ms));
  never.cancel();
  rt.run();
}

TEST(IoRuntime, StopMakesRunReturn) {
  io_runtime rt;
  asio::steady_timer never{rt.context(), 1h};
  never.async_wait([](const std::error_code&) {});
  rt.post([&] { rt.stop(); });
  rt.run();  // returns because of stop(), not the timer
  bool after = false;
  rt.post([&] { after = true; });
  never.cancel();
  rt.run();  // restarted
  EXPECT_TRUE(after);
}

struct outcome {
  std::error_code ec;
  std::vector<resolved_target> targets;
};

std::optional<outcome> resolve(io_runtime& rt, resolver& r, resolve_query q) {
  std::optional<outcome> out;
  r.resolve(q, [&](std::error_code ec, std::vector<resolved_target> t) {
    out = outcome{ec, std::move(t)};
  });
  EXPECT_FALSE(out) << "handler ran inside resolve()";
  rt.run_until([&] { return out.has_value(); }, k_timeout);
  return out;
}

TEST(BasicResolver, LiteralsResolveToThemselves) {
  io_runtime rt;
  basic_resolver r{rt.context(), true};
  auto v4 = resolve(rt, r, {"192.0.2.1", 5080, std::nullopt, false});
  ASSERT_TRUE(v4);
  ASSERT_FALSE(v4->ec);
  ASSERT_EQ(v4->targets.size(), 1u);
  EXPECT_EQ(v4->targets[0].address, *socket_address::parse("192.0.2.1:5080"));
  EXPECT_EQ(v4->targets[0].protocol, transport_protocol::udp);

  auto v6 = resolve(rt, r, {"[2001:db8::1]", std::nullopt, transport_protocol::tcp, false});
  ASSERT_TRUE(v6);
  ASSERT_FALSE(v6->ec);
  ASSERT_EQ(v6->targets.size(), 1u);
  EXPECT_EQ(v6->targets[0].address, *socket_address::parse("[2001:db8::1]:5060"));
  EXPECT_EQ(v6->targets[0].protocol, transport_protocol::tcp);

  // sips: TLS and 5061 (RFC 3263 §4.1, RFC 3261 §19.1.2).
  auto secure = resolve(rt, r, {"::1", std::nullopt, std::nullopt, true});
  ASSERT_TRUE(secure);
  ASSERT_FALSE(secure->ec);
  EXPECT_EQ(secure->targets[0].address, *socket_address::parse("[::1]:5061"));
  EXPECT_EQ(secure->targets[0].protocol, transport_protocol::tls);

  // sips forces TLS whatever transport= says (RFC 3261 §26.2.2: transport=tcp
  // under sips is TLS over TCP); a WebSocket one becomes WSS.
  for (transport_protocol asked :
       {transport_protocol::udp, transport_protocol::tcp, transport_protocol::tls}) {
    auto forced = resolve(rt, r, {"127.0.0.1", std::nullopt, asked, true});
    ASSERT_TRUE(forced);
    ASSERT_FALSE(forced->ec);
    EXPECT_EQ(forced->targets[0].protocol, transport_protocol::tls);
    EXPECT_EQ(forced->targets[0].address, *socket_address::parse("127.0.0.1:5061"));
  }
  auto ws = resolve(rt, r, {"127.0.0.1", 443, transport_protocol::ws, true});
  ASSERT_TRUE(ws);
  EXPECT_EQ(ws->targets[0].protocol, transport_protocol::wss);
}

TEST(BasicResolver, Errors) {
  io_runtime rt;
  basic_resolver numeric{rt.context(), true};
  auto name = resolve(rt, numeric, {"localhost", std::nullopt, std::nullopt, false});
  ASSERT_TRUE(name);
  EXPECT_EQ(name->ec, transport_errc::not_numeric);
  EXPECT_TRUE(name->targets.empty());
  for (const char* bad : {"", "1.2.3.999", "[::1", "1::2::3"}) {
    auto r = resolve(rt, numeric, {bad, std::nullopt, std::nullopt, false});
    ASSERT_TRUE(r) << bad;
    EXPECT_EQ(r->ec, transport_errc::bad_address) << bad;
  }
}

TEST(BasicResolver, LocalhostResolvesToLoopback) {
  io_runtime rt;
  basic_resolver r{rt.context()};
  auto out = resolve(rt, r, {"localhost", 5070, std::nullopt, false});
  ASSERT_TRUE(out);
  ASSERT_FALSE(out->ec) << out->ec.message();
  ASSERT_FALSE(out->targets.empty());
  for (const auto& t : out->targets) {
    EXPECT_TRUE(t.address.address().is_loopback()) << t.address.to_string();
    EXPECT_EQ(t.address.port(), 5070);
    EXPECT_EQ(t.protocol, transport_protocol::udp);
  }
}

TEST(BasicResolver, CancelledLookupsReportCancellation) {
  io_runtime rt;
  basic_resolver r{rt.context()};
  std::optional<std::error_code> got;
  r.resolve({"127.0.0.1", std::nullopt, std::nullopt, false},
            [&](std::error_code ec, std::vector<resolved_target> t) {
              got = ec;
              EXPECT_TRUE(t.empty());
            });
  r.cancel();
  ASSERT_TRUE(rt.run_until([&] { return got.has_value(); }, k_timeout));
  EXPECT_EQ(*got, std::errc::operation_canceled);
}

}  // namespace
}  // namespace sipua
