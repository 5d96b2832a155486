// Parses one SIP request through the installed (or add_subdirectory'd) sipua
// and checks what it read, and round-trips a transport address. Exit status
// 0 only if everything matched.
#include <cstdio>
#include <string_view>

#include <sipua/message/message.hpp>
#include <sipua/transport/address.hpp>

int main() {
  constexpr std::string_view text =
      "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
      "Max-Forwards: 70\r\n"
      "To: <sip:carol@chicago.example.com>\r\n"
      "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
      "Call-ID: a84b4c76e66710\r\n"
      "CSeq: 63104 OPTIONS\r\n"
      "Content-Length: 0\r\n"
      "\r\n";
  const auto parsed = sipua::parse_datagram(text);
  if (!parsed) {
    std::fprintf(stderr, "consumer: parse failed: %s at offset %zu\n",
                 parsed.error().error_code().message().c_str(), parsed.error().offset);
    return 1;
  }
  const sipua::message& m = *parsed;
  if (!m.is_request() || m.method() != sipua::method::options || m.method_name() != "OPTIONS" ||
      m.call_id() != "a84b4c76e66710" || m.headers().size() != 7) {
    std::fprintf(stderr, "consumer: parsed the wrong thing\n");
    return 1;
  }
  // sipua::transport links too (and Threads with it).
  const auto peer = sipua::socket_address::parse("[::1]:5060");
  if (!peer || peer->to_string() != "[::1]:5060" ||
      sipua::via_token(sipua::transport_protocol::tls) != "TLS") {
    std::fprintf(stderr, "consumer: transport address round trip failed\n");
    return 1;
  }
  std::printf("consumer: parsed %.*s with %zu header fields\n",
              static_cast<int>(m.method_name().size()), m.method_name().data(), m.headers().size());
  return 0;
}
