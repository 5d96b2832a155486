// A server and a client transport of one kind on one loopback address
// (127.0.0.1 or ::1, the test parameter), both started, each with a
// recording_user: the fixture the UDP and TCP tests share.
#pragma once

#include <gtest/gtest.h>

#include <chrono>
#include <string>
#include <string_view>

#include "support/recording_user.hpp"

#include "sipua/runtime/io_runtime.hpp"
#include "sipua/transport/address.hpp"

namespace sipua::test {

/// Generous: only a broken transport waits this long.
inline constexpr auto k_timeout = std::chrono::seconds(20);

inline socket_address addr(std::string_view text) { return *socket_address::parse(text); }

template <class Transport, class Config>
class loopback_pair : public ::testing::TestWithParam<const char*> {
 protected:
  socket_address any_port() const { return addr(GetParam()); }
  Config config() const {
    Config c;
    c.listen = {any_port()};
    return c;
  }
  std::string via_host() const { return any_port().address().to_uri_string(); }
  socket_address server_addr() const { return server.local_addresses()[0]; }
  socket_address client_addr() const { return client.local_addresses()[0]; }

  void SetUp() override {
    ASSERT_FALSE(server.start(server_user));
    ASSERT_FALSE(client.start(client_user));
    ASSERT_EQ(server.local_addresses().size(), 1u);
    ASSERT_NE(server.local_addresses()[0].port(), 0);  // the OS chose one
    ASSERT_EQ(server.local_addresses()[0].address(), any_port().address());
  }

  io_runtime rt;
  Transport server{rt.context(), config()};
  Transport client{rt.context(), config()};
  recording_user server_user;
  recording_user client_user;
};

}  // namespace sipua::test
