// A transport_user that records every event, for transport tests.
#pragma once

#include <functional>
#include <vector>

#include "sipua/message/builder.hpp"
#include "sipua/transport/transport.hpp"

namespace sipua::test {

struct recording_user final : transport_user {
  std::vector<inbound_message> messages;
  std::vector<inbound_parse_failure> failures;
  std::vector<transport_error_event> errors;
  /// Called after each message is recorded (e.g. to answer it).
  std::function<void(const inbound_message&)> on_each_message;
  /// Called after each parse failure is recorded (e.g. to answer 400).
  std::function<void(const inbound_parse_failure&)> on_each_failure;

  void on_message(inbound_message&& m) override {
    messages.push_back(std::move(m));
    if (on_each_message) on_each_message(messages.back());
  }
  void on_parse_failure(inbound_parse_failure&& f) override {
    failures.push_back(std::move(f));
    if (on_each_failure) on_each_failure(failures.back());
  }
  void on_transport_error(const transport_error_event& e) override { errors.push_back(e); }
  [[nodiscard]] std::size_t events() const {
    return messages.size() + failures.size() + errors.size();
  }
};

/// A small valid request with `n` in its Call-ID and CSeq, and its answer.
inline std::string options_request(std::size_t n, std::string_view via_host = "127.0.0.1") {
  return "OPTIONS sip:bob@example.com SIP/2.0\r\n"
         "Via: SIP/2.0/UDP " +
         std::string(via_host) + ";branch=z9hG4bK" + std::to_string(n) +
         "\r\n"
         "Max-Forwards: 70\r\n"
         "To: <sip:bob@example.com>\r\n"
         "From: <sip:alice@example.com>;tag=a" +
         std::to_string(n) +
         "\r\n"
         "Call-ID: call-" +
         std::to_string(n) +
         "\r\n"
         "CSeq: " +
         std::to_string(n + 1) +
         " OPTIONS\r\n"
         "Content-Length: 0\r\n\r\n";
}

/// The response to `request` (RFC 3261 §8.2.6), or empty on a builder error.
inline std::string answer(const message& request, int status) {
  auto r = build_response(request, status, {}, "uas1").build();
  return r ? std::move(*r) : std::string{};
}

}  // namespace sipua::test
