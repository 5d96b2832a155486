// The messages the parse benchmarks use: what a UA sees on a typical call
// and registration. The INVITE is the reference message of issue #2
// (about 900 bytes with SDP).
#pragma once

#include <string>
#include <string_view>

namespace sipua::bench {

inline std::string with_body(std::string head, std::string_view body) {
  head += "Content-Length: " + std::to_string(body.size()) + "\r\n\r\n";
  head += body;
  return head;
}

inline constexpr std::string_view k_sdp =
    "v=0\r\n"
    "o=alice 2890844526 2890844526 IN IP4 192.0.2.101\r\n"
    "s=-\r\n"
    "c=IN IP4 192.0.2.101\r\n"
    "t=0 0\r\n"
    "m=audio 49170 RTP/AVP 0 8 9 101\r\n"
    "a=rtpmap:0 PCMU/8000\r\n"
    "a=rtpmap:8 PCMA/8000\r\n"
    "a=rtpmap:9 G722/8000\r\n"
    "a=rtpmap:101 telephone-event/8000\r\n"
    "a=fmtp:101 0-16\r\n"
    "a=ptime:20\r\n"
    "a=sendrecv\r\n";

inline const std::string& invite() {
  static const std::string m = with_body(
      "INVITE sip:bob@biloxi.example.com SIP/2.0\r\n"
      "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK.3cbQbLq1Zk;rport\r\n"
      "Max-Forwards: 70\r\n"
      "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
      "To: \"Bob\" <sip:bob@biloxi.example.com>\r\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
      "CSeq: 314159 INVITE\r\n"
      "Contact: <sip:alice@192.0.2.101:5060;transport=udp>;expires=3600\r\n"
      "User-Agent: sipua-bench/0.1\r\n"
      "Allow: INVITE, ACK, CANCEL, OPTIONS, BYE, REFER, NOTIFY, MESSAGE, INFO, UPDATE\r\n"
      "Supported: replaces, timer, 100rel\r\n"
      "Session-Expires: 1800;refresher=uac\r\n"
      "Min-SE: 90\r\n"
      "Content-Type: application/sdp\r\n",
      k_sdp);
  return m;
}

inline const std::string& ok_200() {
  static const std::string m = with_body(
      "SIP/2.0 200 OK\r\n"
      "Via: SIP/2.0/UDP "
      "server10.biloxi.example.com;branch=z9hG4bK4b43c2ff8.1;received=192.0.2.3\r\n"
      "Via: SIP/2.0/UDP "
      "192.0.2.101:5060;branch=z9hG4bK.3cbQbLq1Zk;rport=5060;received=192.0.2.101\r\n"
      "Record-Route: <sip:server10.biloxi.example.com;lr>\r\n"
      "Record-Route: <sip:bigbox3.site3.atlanta.example.com;lr>\r\n"
      "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
      "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
      "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
      "CSeq: 314159 INVITE\r\n"
      "Contact: <sip:bob@192.0.2.4>\r\n"
      "Content-Type: application/sdp\r\n",
      k_sdp);
  return m;
}

inline constexpr std::string_view k_ringing =
    "SIP/2.0 180 Ringing\r\n"
    "Via: SIP/2.0/UDP "
    "192.0.2.101:5060;branch=z9hG4bK.3cbQbLq1Zk;rport=5060;received=192.0.2.101\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 INVITE\r\n"
    "Contact: <sip:bob@192.0.2.4>\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

inline constexpr std::string_view k_ack =
    "ACK sip:bob@192.0.2.4 SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.101:5060;branch=z9hG4bK.74bf9aa;rport\r\n"
    "Route: <sip:bigbox3.site3.atlanta.example.com;lr>\r\n"
    "Route: <sip:server10.biloxi.example.com;lr>\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "To: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 314159 ACK\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

inline constexpr std::string_view k_bye =
    "BYE sip:alice@192.0.2.101:5060;transport=udp SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7\r\n"
    "Max-Forwards: 70\r\n"
    "From: \"Bob\" <sip:bob@biloxi.example.com>;tag=8321234356\r\n"
    "To: \"Alice Liddell\" <sip:alice@atlanta.example.com>;tag=9fxced76sl\r\n"
    "Call-ID: 3848276298220188511@atlanta.example.com\r\n"
    "CSeq: 231 BYE\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

inline constexpr std::string_view k_register =
    "REGISTER sip:registrar.biloxi.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport\r\n"
    "Max-Forwards: 70\r\n"
    "From: Bob <sip:bob@biloxi.example.com>;tag=a73kszlfl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>\r\n"
    "Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.4\r\n"
    "CSeq: 2 REGISTER\r\n"
    "Contact: <sip:bob@192.0.2.4;transport=udp>;expires=3600\r\n"
    "Authorization: Digest username=\"bob\", realm=\"biloxi.example.com\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"sip:registrar.biloxi.example.com\", "
    "qop=auth, nc=00000001, cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
    "algorithm=MD5, opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"\r\n"
    "Expires: 3600\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

inline constexpr std::string_view k_unauthorized =
    "SIP/2.0 401 Unauthorized\r\n"
    "Via: SIP/2.0/UDP 192.0.2.4:5060;branch=z9hG4bKnashds7;rport=5060;received=192.0.2.4\r\n"
    "From: Bob <sip:bob@biloxi.example.com>;tag=a73kszlfl\r\n"
    "To: Bob <sip:bob@biloxi.example.com>;tag=1410948204\r\n"
    "Call-ID: 1j9FpLxk3uxtm8tn@192.0.2.4\r\n"
    "CSeq: 1 REGISTER\r\n"
    "WWW-Authenticate: Digest realm=\"biloxi.example.com\", qop=\"auth,auth-int\", "
    "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", "
    "algorithm=SHA-256\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

inline constexpr std::string_view k_options =
    "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
    "Via: SIP/2.0/UDP pc33.atlanta.example.com;branch=z9hG4bKhjhs8ass877\r\n"
    "Max-Forwards: 70\r\n"
    "To: <sip:carol@chicago.example.com>\r\n"
    "From: Alice <sip:alice@atlanta.example.com>;tag=1928301774\r\n"
    "Call-ID: a84b4c76e66710\r\n"
    "CSeq: 63104 OPTIONS\r\n"
    "Contact: <sip:alice@pc33.atlanta.example.com>\r\n"
    "Accept: application/sdp\r\n"
    "Content-Length: 0\r\n"
    "\r\n";

}  // namespace sipua::bench
