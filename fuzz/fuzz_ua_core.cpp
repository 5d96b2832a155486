// Stateful fuzz target: the UA core (ua_core.hpp) driven by a byte program.
// Two cores, "alice" (192.0.2.1) and "bob" (192.0.2.2), share a virtual
// network in virtual time with a hostile peer (192.0.2.9) that sees every
// message on the wire. Each step the input picks one event:
//   - a SIP message from the hostile peer to one core, built from templates
//     with input-chosen method, Call-ID, tags, branch, CSeq, Contact,
//     Record-Route and SDP body (valid offer, hold offer, broken, none),
//     where Call-IDs, tags and branches come from what the peer saw on the
//     wire (so they match live calls and transactions) or are made up;
//   - a response from the peer to a request it saw (any status, To tag,
//     Contact, SDP), or raw input bytes through parse_datagram;
//   - an application command (call, ring, progress, answer, reject,
//     redirect, hangup, hold, unhold, reinvite, send_info, send_message,
//     send_options, shutdown) on a live, ended or made-up call handle;
//   - the answer to a pending resolve_action, a transport error, loss of the
//     next messages between the cores, or a jump in time (small, large, or
//     to the next deadline).
// Messages between the cores are delivered at once (unless lost); those to
// the peer are only watched.
//
// Promises checked (a broken one aborts, which libFuzzer reports):
//   - nothing crashes or asserts; every command returns an error at worst,
//     and a handle the core does not know (state() none) gets unknown_call;
//   - everything a core sends parses, and every request passes
//     validate_syntax (whatever the peer sent: a Contact with headers, ...);
//   - call_ended_event comes once per call, and no call event follows it;
//   - after handle_timeout(now) no deadline is due at `now`;
//   - the network settles (no endless exchange at one instant);
//   - at the end, once every call was hung up (and every incoming one
//     answered by a hangup), every resolution answered, and virtual time ran
//     10 minutes ahead in steps of next_deadline(): calls() == 0, no
//     transaction, no deadline (nothing leaked: calls, transactions, timers).
#include <algorithm>
#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <deque>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "program.hpp"

#include "sipua/dialog/seeded_random.hpp"
#include "sipua/dialog/ua_core.hpp"
#include "sipua/message/builder.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/validate.hpp"

namespace {

using namespace std::chrono_literals;
using sipua::call_handle;
using sipua::core_errc;
using sipua::ua_core;
using time_point = ua_core::time_point;
using tp = sipua::transport_protocol;

void check(bool ok, const char* what) {
  if (!ok) {
    std::fprintf(stderr, "fuzz_ua_core: broken promise: %s\n", what);
    std::abort();
  }
}

/// SIPUA_FUZZ_UA_TRACE=1 prints every message and event (to read a crasher).
/// SIPUA_FUZZ_UA_TRACE=2 prints whole messages.
const char* const trace_env = std::getenv("SIPUA_FUZZ_UA_TRACE");
const bool trace = trace_env != nullptr;
const bool trace_all = trace && std::string_view{trace_env} == "2";

using sipua::fuzzing::program;

sipua::socket_address addr(std::uint8_t last, std::uint16_t port = 5060) {
  return {sipua::ip_address::v4({192, 0, 2, last}), port};
}
const sipua::socket_address peer_address = addr(9);

sipua::sdp::local_capabilities audio(const std::string& ip, std::uint16_t port,
                                     std::uint64_t sess_id, bool with_video) {
  sipua::sdp::local_capabilities caps;
  caps.origin.username = "-";
  caps.origin.sess_id = sess_id;
  caps.origin.sess_version = 1;
  caps.origin.address = ip;
  caps.connection.address = ip;
  sipua::sdp::media_capability m;
  m.port = port;
  m.codecs.push_back(sipua::sdp::codec{"PCMU", 8000, 1, {}, 0U});
  m.codecs.push_back(sipua::sdp::codec{"telephone-event", 8000, 1, "0-16", 101U});
  caps.media.push_back(std::move(m));
  if (with_video) {
    sipua::sdp::media_capability v;
    v.media = "video";
    v.port = static_cast<std::uint16_t>(port + 2);
    v.codecs.push_back(sipua::sdp::codec{"H264", 90000, 1, {}, std::nullopt});
    caps.media.push_back(std::move(v));
  }
  return caps;
}

constexpr std::array<std::string_view, 6> sdp_bodies = {
    "",  // none
    "v=0\r\no=- 7 1 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 0 101\r\na=rtpmap:101 telephone-event/8000\r\n",
    "v=0\r\no=- 7 2 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 192.0.2.9\r\nt=0 0\r\n"
    "m=audio 4000 RTP/AVP 0\r\na=sendonly\r\n",
    "v=0\r\no=- 7 3 IN IP4 192.0.2.9\r\ns=-\r\nc=IN IP4 0.0.0.0\r\nt=0 0\r\n"
    "m=audio 0 RTP/AVP 0\r\nm=video 5000 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n",
    "v=0\r\no=- 7 4 IN IP4 192.0.2.9\r\ns=-\r\nt=0 0\r\nm=audio 4000 RTP/AVP 18\r\n",  // no c=, no
                                                                                       // common
                                                                                       // codec
    "v=1\r\nthis is not sdp\r\n",
};
constexpr std::array<std::string_view, 12> methods = {"INVITE", "ACK",   "BYE",     "CANCEL",
                                                      "INVITE", "INFO",  "OPTIONS", "MESSAGE",
                                                      "UPDATE", "PRACK", "FOO",     "BYE"};
constexpr std::array<int, 23> statuses = {100, 180, 183, 199, 200, 202, 299, 300,
                                          301, 302, 305, 380, 400, 401, 404, 407,
                                          423, 481, 486, 487, 491, 503, 603};
/// What a 401/407 challenges with (RFC 7616 §3.3), good and bad.
constexpr std::array<std::string_view, 7> challenges = {
    R"(Digest realm="fuzz", nonce="n1", qop="auth", algorithm=MD5)",
    R"(Digest realm="fuzz", nonce="n2", qop="auth,auth-int", algorithm=SHA-256, opaque="o")",
    R"(Digest realm="fuzz", nonce="n3", stale=true, qop="auth", algorithm=SHA-512-256)",
    R"(Digest realm="fuzz", nonce="n4", algorithm=MD5-sess)",
    R"(Digest realm="other", nonce="n5")",
    R"(Digest nonce="no-realm")",
    R"(Basic realm="fuzz")"};
constexpr std::array<std::string_view, 9> contacts = {
    "<sip:p@192.0.2.9:5060>",
    "<sip:p@192.0.2.9:5060;transport=tcp>",
    "",  // none
    "*",
    "<sip:p@peer.example.com>",  // a name: resolve_action
    "<sip:bob@192.0.2.2>, <sip:p@192.0.2.9;q=0.5>",
    "<sips:p@192.0.2.9:5061>",
    "<sip:p@192.0.2.9:5060>;q=0.2, <sip:x@192.0.2.9:5070>;q=0.9, <sip:alice@192.0.2.1>",
    // §19.1.1 Table 1: allowed in a Contact, not in a Request-URI or Route.
    "<sip:p@192.0.2.9:5060;method=BYE?Subject=x&Priority=urgent>",
};
constexpr std::array<std::string_view, 4> record_routes = {
    "", "<sip:proxy.example.com;lr>", "<sip:192.0.2.9;lr>, <sip:198.51.100.7;lr>",
    "<sip:192.0.2.9:5080>"  // a strict router
};
constexpr std::array<std::string_view, 7> call_targets = {
    "sip:bob@192.0.2.2",       "sip:p@192.0.2.9",       "sip:p@peer.example.com",
    "sips:p@192.0.2.9:5061",   "mailto:nobody@example", "sip:bob@192.0.2.2;transport=tcp",
    "sip:alice@192.0.2.1:5060"};

/// One core and what the harness knows of it.
struct node {
  std::string name;
  std::uint8_t last_octet = 0;
  std::unique_ptr<ua_core> core;
  std::vector<call_handle> handles;        ///< every call handle it gave out, live or not
  std::set<std::uint64_t> ended;           ///< calls that reported call_ended_event
  std::vector<std::uint64_t> resolutions;  ///< resolve_action tokens not yet answered
  std::vector<sipua::registration_handle> registrations;  ///< every one it gave out
  bool tcp = false;                                       ///< listens on TCP too
};

/// The call a call event is about (null for message and request events).
const call_handle* event_call(const sipua::core_event& e) {
  if (auto* p = std::get_if<sipua::call_progress_event>(&e)) return &p->call;
  if (auto* a = std::get_if<sipua::call_answered_event>(&e)) return &a->call;
  if (auto* m = std::get_if<sipua::call_media_event>(&e)) return &m->call;
  if (auto* i = std::get_if<sipua::call_info_event>(&e)) return &i->call;
  if (auto* x = std::get_if<sipua::call_ended_event>(&e)) return &x->call;
  return nullptr;
}

std::uint64_t key(call_handle h) { return (std::uint64_t{h.slot} << 32) | h.generation; }

class harness {
 public:
  explicit harness(program& p);
  void step();
  void finish();

 private:
  node& pick_node() { return p_.byte() & 1 ? bob_ : alice_; }
  call_handle pick_handle(node& n);
  void command(node& n);
  void place_call(node& n);
  void call_command(node& n, std::uint8_t op);
  static void check_command(bool known, std::error_code e);
  void from_peer(node& to, std::string text, tp protocol);
  std::string peer_request();
  std::string peer_response();
  void answer_resolution(node& n, bool always_fail);
  void transport_error(node& n);

  void drain(node& n);
  void transmit(node& from, const sipua::socket_address& to, tp protocol,
                const std::shared_ptr<const std::string>& bytes);
  void settle();
  void advance(time_point to);
  void observe(const std::shared_ptr<const std::string>& bytes, const sipua::message& m);
  std::string observed_call_id();
  std::string observed_tag();

  program& p_;
  node alice_;
  node bob_;
  time_point now_ = time_point{} + 1h;
  bool finishing_ = false;
  unsigned lose_ = 0;  ///< messages between the cores still to lose

  struct delivery {
    node* to;
    sipua::inbound_message message;
  };
  std::deque<delivery> in_flight_;
  /// Connections refused by a core without that transport, to report.
  std::deque<std::pair<node*, sipua::transport_error_event>> refused_;
  /// The last messages on the wire, as the peer saw them (owning bytes).
  std::deque<sipua::message> seen_;
  std::uint32_t peer_cseq_ = 1;
};

sipua::ua_core_config make_config(const std::string& name, std::uint8_t octet, std::uint8_t b) {
  sipua::ua_core_config c;
  c.identity = "sip:" + name + "@example.com";
  c.contact_user = name;
  const std::string ip = "192.0.2." + std::to_string(octet);
  c.endpoints.push_back(sipua::local_endpoint{tp::udp, ip, 5060});
  if (b & 1) c.endpoints.push_back(sipua::local_endpoint{tp::tcp, ip, 5060});
  if (b & 2) c.outbound_proxy = "sip:192.0.2.9;lr";
  c.max_calls = b & 4 ? 2 : 100;
  c.max_redirects = b & 8 ? 1 : 5;
  c.txn.timers.t1 = std::chrono::milliseconds(b & 16 ? 100 : 500);
  c.txn.max_transactions = b & 32 ? 4 : 1000;
  if (b & 64) c.user_agent = "fuzz/1";
  if (b & 128) {
    // Credentials for any realm: 401/407 from the peer are answered.
    sipua::auth::credential_store store;
    store.set_default(sipua::auth::credential::with_password(name, "pw"));
    c.credentials = store;
  }
  // Apart by 2**40 steps: the two cores never make the same tag or branch.
  std::uint64_t seed = std::uint64_t{octet} << 40U;
  c.random = sipua::seeded_random(seed);
  return c;
}

harness::harness(program& p) : p_(p) {
  alice_.name = "alice";
  alice_.last_octet = 1;
  alice_.core = std::make_unique<ua_core>(make_config("alice", 1, p.byte()));
  alice_.tcp = alice_.core->config().endpoints.size() > 1;
  bob_.name = "bob";
  bob_.last_octet = 2;
  bob_.core = std::make_unique<ua_core>(make_config("bob", 2, p.byte()));
  bob_.tcp = bob_.core->config().endpoints.size() > 1;
}

call_handle harness::pick_handle(node& n) {
  const std::uint8_t b = p_.byte();
  if (n.handles.empty() || b >= 0xf0) {
    // A handle the core never gave out (or an old one of another slot).
    return call_handle{static_cast<std::uint32_t>(b & 3), static_cast<std::uint32_t>(b)};
  }
  // Mostly the newest calls.
  const std::size_t back = b % std::min<std::size_t>(n.handles.size(), 4);
  return b & 0x80 ? n.handles[b % n.handles.size()] : n.handles[n.handles.size() - 1 - back];
}

void harness::check_command(bool known, std::error_code e) {
  if (!known)
    check(e == make_error_code(core_errc::unknown_call), "a stale handle gets unknown_call");
  if (e) check(e.category() == sipua::core_category(), "a command fails with a core error");
}

void harness::command(node& n) {
  ua_core& core = *n.core;
  const std::uint8_t op = p_.byte() % 16;
  if (op == 0) return place_call(n);
  if (op == 14) {
    sipua::registration_options o;
    o.registrar = std::string{p_.pick(call_targets)};
    o.expires = std::chrono::seconds{p_.byte() % 4 == 0 ? 0 : 60 * (1 + p_.byte() % 60)};
    auto r = core.register_binding(now_, std::move(o));
    if (!r) {
      check(r.error().category() == sipua::core_category(), "register fails with a core error");
      return;
    }
    n.registrations.push_back(*r);
    return;
  }
  if (op == 15) {
    if (n.registrations.empty()) return;
    const sipua::registration_handle h = n.registrations[p_.byte() % n.registrations.size()];
    const std::error_code e = core.unregister(now_, h);
    check(!e || e == make_error_code(core_errc::unknown_registration),
          "unregister fails only for a finished registration");
    return;
  }
  if (op == 11 || op == 12) {
    const bool msg = op == 11;
    std::string target{p_.pick(call_targets)};
    auto r = msg ? core.send_message(now_, std::move(target), "text/plain", "hello")
                 : core.send_options(now_, std::move(target));
    if (!r) check(r.error().category() == sipua::core_category(), "a core error");
    return;
  }
  if (op == 13) {
    // Rare: the core refuses new calls from then on.
    if (p_.byte() == 0x5a) core.shutdown(now_);
    return;
  }
  call_command(n, op);
}

void harness::place_call(node& n) {
  sipua::call_options o;
  o.target = std::string{p_.pick(call_targets)};
  const std::uint8_t b = p_.byte();
  if (b & 1) o.media = audio("192.0.2." + std::to_string(n.last_octet), 20000, b, (b & 2) != 0);
  o.follow_redirects = (b & 4) == 0;
  if (b & 8) o.headers.push_back(sipua::extra_header{"Subject", "fuzz"});
  if (b & 16) o.target_display_name = "\"Bob\"";
  auto r = n.core->call(now_, std::move(o));
  if (!r) {
    check(r.error().category() == sipua::core_category(), "call() fails with a core error");
    return;
  }
  // A call can fail at once (no transport for a sips target ...): it is
  // then gone already, and its call_ended_event waits in the queue.
  const bool live = n.core->state(*r).has_value();
  n.handles.push_back(*r);
  if (!live) {
    drain(n);
    check(n.ended.count(key(*r)) == 1, "a call gone at once reported its end");
  }
}

void harness::call_command(node& n, std::uint8_t op) {
  ua_core& core = *n.core;
  const call_handle h = pick_handle(n);
  const bool known = core.state(h).has_value();
  std::error_code e;
  const std::uint8_t b = p_.byte();
  std::optional<sipua::sdp::local_capabilities> media;
  if (b & 1) media = audio("192.0.2." + std::to_string(n.last_octet), 30000, b, (b & 2) != 0);
  int reject_status = 0;
  switch (op) {
    case 1: e = core.ring(now_, h); break;
    case 2: e = core.progress(now_, h, sipua::answer_options{media, {}}); break;
    case 3: e = core.answer(now_, h, sipua::answer_options{media, {}}); break;
    case 4: {
      constexpr std::array<int, 8> codes = {486, 603, 404, 400, 699, 200, 100, 700};
      reject_status = codes[(b >> 2) % codes.size()];
      e = core.reject(now_, h, reject_status, b & 0x40 ? "No" : "");
      break;
    }
    case 5: {
      std::vector<std::string> to;
      if (b & 4) to.emplace_back("sip:p@192.0.2.9");
      if (b & 8) to.emplace_back("sip:bob@192.0.2.2");
      if (b & 16) to.emplace_back("<bad");
      e = core.redirect(now_, h, std::move(to));
      break;
    }
    case 6: e = core.hangup(now_, h); break;
    case 7: e = core.hold(now_, h); break;
    case 8: e = core.unhold(now_, h); break;
    case 9:
      e = core.reinvite(now_, h, media ? *media : audio("192.0.2.50", 40000, 9, false));
      break;
    case 10: {
      auto r = core.send_info(now_, h, b & 4 ? "application/dtmf-relay" : "",
                              b & 8 ? "Signal=5\r\nDuration=160\r\n" : "");
      if (!r) e = r.error();
      break;
    }
    default: break;
  }
  if (trace) {
    std::fprintf(stderr, "%s: command %d on call %u/%u (%s): %s\n", n.name.c_str(), op, h.slot,
                 h.generation, known ? "known" : "unknown", e ? e.message().c_str() : "ok");
  }
  check_command(known, e);
}

// Each of these reads a fixed number of program bytes whatever the state,
// so that a program keeps its meaning when the state around it changes.

std::string harness::observed_call_id() {
  const std::uint8_t b = p_.byte();
  if (seen_.empty() || b % 4 == 0) return "hostile-" + std::to_string(b / 4 % 3);
  return std::string{seen_[b / 4 % seen_.size()].call_id()};
}

std::string harness::observed_tag() {
  const std::uint8_t b = p_.byte();
  if (seen_.empty() || b % 4 == 0) {
    constexpr std::array<std::string_view, 4> made_up = {"", "p1", "p2", "zz"};
    return std::string{made_up[b / 4 % made_up.size()]};
  }
  const sipua::message& m = seen_[b / 4 % seen_.size()];
  const auto a = b & 2 ? m.from() : m.to();
  return a ? std::string{a->tag()} : std::string{};
}

std::string harness::peer_request() {
  const std::string_view method = p_.pick(methods);
  const std::string call_id = observed_call_id();
  const std::string from_tag = observed_tag();
  const std::string to_tag = observed_tag();
  const std::uint8_t b = p_.byte();
  const std::uint8_t cs = p_.byte();
  std::uint32_t cseq = peer_cseq_;
  if (cs & 1) ++peer_cseq_;
  if (cs % 8 == 2) cseq = 0;
  if (cs % 8 == 4) cseq = 4294967295U;
  if (cs % 8 == 6) cseq = cs;
  const std::string_view contact = p_.pick(contacts);
  const std::string_view rr = p_.pick(record_routes);
  const std::string_view body = p_.pick(sdp_bodies);
  std::string s{method};
  s += b & 1 ? " sip:bob@192.0.2.2 SIP/2.0" : " sip:alice@192.0.2.1:5060 SIP/2.0";
  s += "\r\nVia: SIP/2.0/UDP 192.0.2.9:5060;branch=z9hG4bKp";
  s += static_cast<char>('0' + (b >> 1) % 5);
  s += "\r\nMax-Forwards: ";
  s += b & 0x40 ? "0" : "70";
  s += "\r\nFrom: <sip:p@192.0.2.9>";
  if (!from_tag.empty()) s.append(";tag=").append(from_tag);
  s += "\r\nTo: <sip:x@192.0.2.1>";
  if (!to_tag.empty()) s.append(";tag=").append(to_tag);
  s.append("\r\nCall-ID: ").append(call_id);
  s.append("\r\nCSeq: ").append(std::to_string(cseq)).append(" ");
  s.append(b & 0x80 ? std::string_view{"INVITE"} : method);
  if (!contact.empty()) s.append("\r\nContact: ").append(contact);
  if (!rr.empty()) s.append("\r\nRecord-Route: ").append(rr);
  if (b & 0x20) s.append("\r\nRequire: 100rel");
  if (!body.empty()) {
    s.append(method == "MESSAGE" || method == "INFO" ? "\r\nContent-Type: text/plain"
                                                     : "\r\nContent-Type: application/sdp");
  }
  s.append("\r\nContent-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
  s.append(body);
  return s;
}

std::string harness::peer_response() {
  const int status = p_.byte() % 4 == 0 ? 100 + p_.u16() % 600 : p_.pick(statuses);
  const std::uint8_t b = p_.byte();
  const std::string to_tag = observed_tag();
  std::string_view contact = p_.pick(contacts);
  const std::string_view rr = p_.pick(record_routes);
  const std::string_view body = p_.pick(sdp_bodies);
  const std::string stray_from_tag = observed_tag();
  const std::string stray_call_id = observed_call_id();
  const std::uint8_t stray_cseq = p_.byte();
  const std::string_view stray_method = p_.pick(methods);
  // A request the peer saw, usually one sent to it.
  const sipua::message* request = nullptr;
  if (!seen_.empty()) {
    const std::size_t start = b % seen_.size();
    for (std::size_t i = 0; i < seen_.size(); ++i) {
      const sipua::message& m = seen_[(start + i) % seen_.size()];
      if (m.is_request() && m.method() != sipua::method::ack) {
        request = &m;
        break;
      }
    }
  }
  std::string text;
  if (request != nullptr && (b & 0x80) == 0) {
    auto builder = sipua::build_response(*request, status, {}, to_tag.empty() ? "p1" : to_tag);
    if (!contact.empty()) builder.header(sipua::header_id::contact, contact);
    if (!rr.empty()) builder.header(sipua::header_id::record_route, rr);
    if (status == 401 || status == 407) {
      builder.header(
          status == 401 ? sipua::header_id::www_authenticate : sipua::header_id::proxy_authenticate,
          challenges[b % challenges.size()]);
    }
    if (status == 423) builder.header(sipua::header_id::min_expires, b & 2 ? "3600" : "x");
    if (!body.empty()) builder.content_type("application/sdp");
    if (auto built = builder.build(body)) text = std::move(*built);
  }
  if (text.empty()) {
    // A response to nothing in particular: a stray, or a Call-ID of a call
    // on a branch that matches no transaction.
    text = "SIP/2.0 " + std::to_string(status) + " X\r\nVia: SIP/2.0/UDP 192.0.2.1:5060;branch=";
    text += b & 1 ? "z9hG4bKstray" : "z9hG4bK" + std::string(1, static_cast<char>('a' + b % 7));
    text += "\r\nFrom: <sip:alice@example.com>;tag=" + stray_from_tag;
    text += "\r\nTo: <sip:p@192.0.2.9>;tag=" + (to_tag.empty() ? std::string{"p1"} : to_tag);
    text += "\r\nCall-ID: " + stray_call_id;
    text += "\r\nCSeq: " + std::to_string(stray_cseq % 4) + " " + std::string{stray_method};
    if (!contact.empty()) text.append("\r\nContact: ").append(contact);
    text += "\r\nContent-Length: 0\r\n\r\n";
  }
  return text;
}

void harness::from_peer(node& to, std::string text, tp protocol) {
  auto bytes = std::make_shared<const std::string>(std::move(text));
  sipua::message m;
  if (sipua::parse_datagram(*bytes, m)) return;  // the transport drops it (§18.3)
  m.set_owner(bytes);
  observe(bytes, m);  // the peer remembers what it sent (to CANCEL, ACK ... it)
  if (trace) {
    // =2: whole messages.
    const std::string_view shown = trace_all ? m.bytes() : m.start_line();
    std::fprintf(stderr, "peer->%s %.*s\n", to.name.c_str(), static_cast<int>(shown.size()),
                 shown.data());
  }
  to.core->receive(
      now_, sipua::inbound_message{
                sipua::transport_origin{protocol, addr(to.last_octet), peer_address, nullptr},
                std::move(m)});
}

void harness::answer_resolution(node& n, bool always_fail) {
  const std::uint8_t b = always_fail ? 0 : p_.byte();
  if (n.resolutions.empty()) return;
  const std::size_t i = b % n.resolutions.size();
  const std::uint64_t token = n.resolutions[i];
  n.resolutions.erase(n.resolutions.begin() + static_cast<std::ptrdiff_t>(i));
  std::vector<std::pair<sipua::socket_address, tp>> targets;
  std::error_code e;
  switch (b % 4) {
    case 0: e = std::make_error_code(std::errc::host_unreachable); break;
    case 1: targets.emplace_back(peer_address, tp::udp); break;
    case 2: targets.emplace_back(addr(2), tp::udp); break;
    case 3: targets.emplace_back(peer_address, tp::tcp); break;
  }
  n.core->resolved(now_, token, e, targets);
  // A token answered twice, or one never given: ignored.
  if (b & 0x80) n.core->resolved(now_, token, e, targets);
}

void harness::transport_error(node& n) {
  sipua::transport_error_event e;
  const std::uint8_t b = p_.byte();
  e.protocol = b & 1 ? tp::tcp : tp::udp;
  e.local = addr(n.last_octet);
  if (b & 2) e.peer = b & 4 ? peer_address : addr(b & 8 ? 1 : 2);
  e.error = std::make_error_code(std::errc::connection_refused);
  n.core->transport_error(now_, e);
}

void harness::observe(const std::shared_ptr<const std::string>& bytes, const sipua::message& m) {
  sipua::message copy = m;
  copy.set_owner(bytes);
  seen_.push_back(std::move(copy));
  if (seen_.size() > 24) seen_.pop_front();
}

void harness::transmit(node& from, const sipua::socket_address& to, tp protocol,
                       const std::shared_ptr<const std::string>& bytes) {
  check(bytes != nullptr && !bytes->empty(), "a send action carries bytes");
  sipua::message m;
  check(!sipua::parse_datagram(*bytes, m), "everything a core sends parses");
  if (m.is_request()) {
    // Our requests are well formed whatever the peer sent (a response may
    // copy the fields of a malformed request it answers).
    const sipua::parse_error e = sipua::validate_syntax(m);
    if (e && trace) std::fprintf(stderr, "invalid:\n%s\n", bytes->c_str());
    check(!e, "every request a core sends passes validate_syntax");
  }
  m.set_owner(bytes);
  if (trace) {
    const std::string_view shown = trace_all ? m.bytes() : m.start_line();
    std::fprintf(stderr, "%s->%s %.*s\n", from.name.c_str(), to.to_string().c_str(),
                 static_cast<int>(shown.size()), shown.data());
  }
  observe(bytes, m);
  node* dest = nullptr;
  if (to == addr(1)) dest = &alice_;
  if (to == addr(2)) dest = &bob_;
  if (dest == nullptr) return;  // to the peer (or nowhere): watched only
  if (protocol != tp::udp && !dest->tcp) {
    // Nobody listens on that transport there: the connection is refused.
    sipua::transport_error_event e;
    e.protocol = protocol;
    e.local = addr(from.last_octet);
    e.peer = to;
    e.error = std::make_error_code(std::errc::connection_refused);
    refused_.push_back(std::make_pair(&from, e));
    return;
  }
  if (lose_ > 0) {
    --lose_;
    return;
  }
  in_flight_.push_back(delivery{
      dest,
      sipua::inbound_message{sipua::transport_origin{protocol, to, addr(from.last_octet), nullptr},
                             std::move(m)}});
}

void harness::drain(node& n) {
  while (auto a = n.core->next_action()) {
    if (auto* s = std::get_if<sipua::send_request_action>(&*a)) {
      transmit(n, s->address, s->protocol, s->bytes);
    } else if (auto* r = std::get_if<sipua::send_response_action>(&*a)) {
      // §18.2.2: back to where the request came from.
      transmit(n, r->origin.peer, r->origin.protocol, r->bytes);
    } else if (auto* q = std::get_if<sipua::resolve_action>(&*a)) {
      n.resolutions.push_back(q->token);
    } else if (auto* e = std::get_if<sipua::core_event>(&*a)) {
      if (trace) {
        const call_handle* about = event_call(*e);
        std::fprintf(stderr, "%s: event %zu about call %u/%u\n", n.name.c_str(), e->index(),
                     about != nullptr ? about->slot : 0U,
                     about != nullptr ? about->generation : 0U);
      }
      if (auto* in = std::get_if<sipua::incoming_call_event>(e)) {
        check(n.core->state(in->call).has_value(), "an incoming call has a state");
        n.handles.push_back(in->call);
        if (finishing_) (void)n.core->hangup(now_, in->call);  // the application's duty
      } else if (const call_handle* about = event_call(*e);
                 about != nullptr && n.ended.count(key(*about)) != 0) {
        check(false, "no event about a call after its call_ended_event");
      } else if (auto* end = std::get_if<sipua::call_ended_event>(e)) {
        if (trace) {
          std::fprintf(stderr, "%s: call %u/%u ended %d\n", n.name.c_str(), end->call.slot,
                       end->call.generation, end->status);
        }
        check(n.ended.insert(key(end->call)).second, "call_ended_event comes once per call");
      }
    }
  }
  check(!n.core->has_action(), "next_action() drained the queue");
}

void harness::settle() {
  for (int round = 0; round < 2000; ++round) {
    drain(alice_);
    drain(bob_);
    if (!refused_.empty()) {
      const auto [from, e] = refused_.front();
      refused_.pop_front();
      from->core->transport_error(now_, e);
      continue;
    }
    if (in_flight_.empty()) return;
    auto d = std::move(in_flight_.front());
    in_flight_.pop_front();
    d.to->core->receive(now_, std::move(d.message));
  }
  check(false, "the network settles");
}

void harness::advance(time_point to) {
  now_ = std::max(now_, to);
  for (node* n : {&alice_, &bob_}) {
    n->core->handle_timeout(now_);
    settle();
  }
  for (node* n : {&alice_, &bob_}) {
    const auto d = n->core->next_deadline();
    check(!d || *d > now_, "handle_timeout(now) leaves no deadline due at now");
  }
}

void harness::step() {
  // Every read of the program in its own statement: the byte layout must
  // not depend on the compiler's order of evaluating arguments.
  switch (p_.byte() % 12) {
    case 0:
    case 1:
    case 2: {
      node& to = pick_node();
      std::string text = peer_request();
      const tp protocol = p_.byte() & 1 && to.tcp ? tp::tcp : tp::udp;
      from_peer(to, std::move(text), protocol);
      break;
    }
    case 3:
    case 4: {
      node& to = pick_node();
      std::string text = peer_response();
      from_peer(to, std::move(text), tp::udp);
      break;
    }
    case 5: {
      node& to = pick_node();
      const std::uint8_t n = p_.byte();
      from_peer(to, std::string{p_.bytes(n)}, tp::udp);
      break;
    }
    case 6:
    case 7: command(pick_node()); break;
    case 8: {
      node& n = pick_node();
      if (p_.byte() & 1) {
        answer_resolution(n, false);
      } else {
        transport_error(n);
      }
      break;
    }
    case 9: lose_ = p_.byte() % 3; break;
    case 10: {
      const std::uint8_t b = p_.byte();
      advance(now_ + (b & 0x80 ? std::chrono::milliseconds((b & 0x7f) * 1000)
                               : std::chrono::milliseconds(b * 10)));
      break;
    }
    case 11: {
      std::optional<time_point> next;
      for (node* n : {&alice_, &bob_}) {
        const auto d = n->core->next_deadline();
        if (d && (!next || *d < *next)) next = d;
      }
      if (next) advance(*next);
      break;
    }
  }
  settle();
}

void harness::finish() {
  finishing_ = true;
  lose_ = 0;
  // The application's duties: hang up every call (an incoming call one
  // answers or rejects; drain() hangs up those that arrive from now on),
  // and answer every resolution.
  for (node* n : {&alice_, &bob_}) {
    for (std::size_t i = 0; i < n->handles.size(); ++i) {
      const call_handle h = n->handles[i];
      const bool known = n->core->state(h).has_value();
      const std::error_code e = n->core->hangup(now_, h);
      check(known || e == make_error_code(core_errc::unknown_call),
            "a stale handle gets unknown_call");
      settle();
    }
  }
  for (node* n : {&alice_, &bob_}) {
    for (const sipua::registration_handle r : n->registrations) {
      const std::error_code e = n->core->unregister(now_, r);
      check(!e || e == make_error_code(core_errc::unknown_registration),
            "unregister fails only for a finished registration");
      settle();
    }
  }
  const time_point end = now_ + 10min;
  for (;;) {
    for (node* n : {&alice_, &bob_}) {
      while (!n->resolutions.empty()) {
        answer_resolution(*n, true);
        settle();
      }
    }
    std::optional<time_point> next;
    for (node* n : {&alice_, &bob_}) {
      const auto d = n->core->next_deadline();
      if (d && (!next || *d < *next)) next = d;
    }
    if (!next || *next > end) break;
    advance(*next);
  }
  for (node* n : {&alice_, &bob_}) {
    if (trace) {
      std::fprintf(stderr, "%s: %zu calls, %zu transactions, deadline %s at the end\n",
                   n->name.c_str(), n->core->calls(), n->core->transactions().size(),
                   n->core->next_deadline() ? "set" : "none");
      for (const call_handle h : n->handles) {
        if (auto s = n->core->state(h)) {
          std::fprintf(stderr, "  call %u/%u left in %s\n", h.slot, h.generation,
                       std::string{sipua::to_string(*s)}.c_str());
        }
      }
    }
    check(n->resolutions.empty(), "every resolution answered");
    check(n->core->calls() == 0, "no call is left 10 minutes after hanging up (leak)");
    check(n->core->registrations() == 0, "no registration is left after unregistering (leak)");
    check(n->core->transactions().size() == 0, "no transaction is left (leak)");
    check(!n->core->next_deadline(), "no timer runs 10 minutes later");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  program p(data, size);
  harness h(p);
  for (int steps = 0; steps < 300 && !p.done(); ++steps) h.step();
  h.finish();
  return 0;
}
