// Fuzz target for the registrar (registrar.hpp) over a small
// memory_location_store (location_store.hpp), in virtual time.
//
// Input: a config byte, then records, each
//   [advance] [origin] message-bytes NUL
// advance: the clock moves (advance & 0x7f) * 32 s; bit 7 purges the store
// afterwards. origin: bits 0-1 the transport, bits 2-3 the source address.
// The message goes through parse_datagram (from an exact-size buffer) into
// registrar::process. At most 24 records.
//
// Config byte: bits 0-1 max AORs - 1, bits 2-3 max bindings per AOR - 1,
// bit 4 domains {biloxi.example.com} (else any), bit 5 supports "path",
// bit 6 min_expires 60 (else 0), bit 7 max_expires 7200 (else 0: no cap).
//
// Promises checked (a broken one aborts, which libFuzzer reports):
//   - nothing crashes; the status is 0 (no answer) or 200..599, never 6xx
//     (§10.3);
//   - the store never holds more AORs or bindings than its limits (bounded
//     memory), and no binding outlives max_expires;
//   - a response, when there is one, parses back with the outcome's status
//     and the request's CSeq; when the request passed validate_syntax, so
//     does the response (valid in, valid out);
//   - a 200 lists exactly the AOR's active bindings, one Contact each with
//     an expires parameter of at least 1;
//   - any other status leaves the AOR's active bindings as they were
//     (§10.3: processed atomically);
//   - lookup() returns the AOR's active bindings sorted by q, highest first;
//   - the canonical AOR is a URI whose canonical form is itself.
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "sipua/dialog/location_store.hpp"
#include "sipua/dialog/registrar.hpp"
#include "sipua/message/contact.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/params.hpp"
#include "sipua/message/validate.hpp"

namespace {

using time_point = sipua::registrar::time_point;

/// SIPUA_FUZZ_REGISTRAR_TRACE=1 prints each record's outcome (to read a
/// crasher, or to see what a seed covers).
const bool trace = std::getenv("SIPUA_FUZZ_REGISTRAR_TRACE") != nullptr;

[[noreturn]] void broken(const char* what) {
  std::fprintf(stderr, "fuzz_registrar: promise broken: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) broken(what);
}

std::vector<sipua::binding> active(const sipua::location_store& s, const std::string& aor,
                                   time_point now) {
  auto v = s.bindings(aor);
  std::erase_if(v, [now](const sipua::binding& b) { return !b.active(now); });
  return v;
}

bool same(const std::vector<sipua::binding>& a, const std::vector<sipua::binding>& b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (a[i].contact != b[i].contact || a[i].expires_at != b[i].expires_at ||
        a[i].call_id != b[i].call_id || a[i].cseq != b[i].cseq || a[i].q != b[i].q) {
      return false;
    }
  }
  return true;
}

struct harness {
  sipua::location_limits limits;
  sipua::registrar_config config;
  std::unique_ptr<sipua::memory_location_store> store;
  std::unique_ptr<sipua::registrar> reg;
  time_point now{std::chrono::hours{24}};

  explicit harness(std::uint8_t flags) {
    limits.max_aors = 1U + (flags & 3U);
    limits.max_bindings_per_aor = 1U + ((flags >> 2U) & 3U);
    if ((flags & 0x10U) != 0) config.domains = {"biloxi.example.com"};
    if ((flags & 0x20U) != 0) config.supported_option_tags = {"path"};
    config.min_expires = (flags & 0x40U) != 0 ? 60 : 0;
    config.max_expires = (flags & 0x80U) != 0 ? 7200 : 0;
    store = std::make_unique<sipua::memory_location_store>(limits);
    reg = std::make_unique<sipua::registrar>(*store, config);
  }

  void check_response(const sipua::registrar_outcome& o, const sipua::message& request) const {
    if (o.response.empty()) {
      check(o.status == 0 || o.status >= 400, "only a failure may go without a response");
      return;
    }
    const auto bytes = std::make_unique<char[]>(o.response.size());
    std::memcpy(bytes.get(), o.response.data(), o.response.size());
    const std::string_view view{bytes.get(), o.response.size()};
    sipua::message r;
    check(!sipua::parse_datagram(view, r), "the response parses");
    check(r.is_response() && r.status_code() == o.status, "the response has the outcome's status");
    if (const auto want = request.cseq()) {
      const auto cs = r.cseq();
      check(cs && cs->number == want->number, "the response has the request's CSeq");
    }
    sipua::validate_options v;
    v.allow_malformed_date = true;
    if (!sipua::validate_syntax(request, v)) {
      check(!sipua::validate_syntax(r, v), "valid request in, valid response out");
    }
    if (o.status != 200) return;
    std::size_t contacts = 0;
    for (const sipua::header_field& f : r.headers()) {
      if (f.id != sipua::header_id::contact) continue;
      for (const std::string_view e : sipua::comma_list{f.value}) {
        const auto c = sipua::parse_contact(e);
        check(c && !c->star && c->expires && *c->expires >= 1, "a 200 Contact has expires >= 1");
        ++contacts;
      }
    }
    check(contacts == o.bindings.size(), "a 200 lists every binding once");
  }

  void check_store(const sipua::registrar_outcome& o) const {
    check(store->aor_count() <= limits.max_aors, "no more AORs than max_aors");
    check(store->binding_count() <= limits.max_aors * limits.max_bindings_per_aor,
          "no more bindings than the limits");
    if (o.aor.empty()) return;
    const auto l = reg->lookup(o.aor, now);
    check(l.size() == active(*store, o.aor, now).size(), "lookup returns the active bindings");
    for (std::size_t i = 1; i < l.size(); ++i) {
      check(l[i - 1].preference() >= l[i].preference(), "lookup is sorted by q");
    }
    for (const sipua::binding& b : l) {
      check(config.max_expires == 0 || b.expires_at - now <= std::chrono::seconds{7200},
            "no binding outlives max_expires");
    }
  }

  void feed(std::string_view msg, std::uint8_t origin) {
    const auto buf = std::make_unique<char[]>(msg.size() + 1);
    std::memcpy(buf.get(), msg.data(), msg.size());
    sipua::inbound_message in;
    static constexpr sipua::transport_protocol protocols[] = {
        sipua::transport_protocol::udp, sipua::transport_protocol::tcp,
        sipua::transport_protocol::tls, sipua::transport_protocol::udp};
    in.origin.protocol = protocols[origin & 3U];
    in.origin.peer = *sipua::socket_address::parse((origin & 4U) != 0 ? "192.0.2.4:5060"
                                                                      : "[2001:db8::4]:40000");
    if (sipua::parse_datagram(std::string_view{buf.get(), msg.size()}, in.message)) return;

    // The AOR's active bindings before, to check that a failure keeps them.
    std::optional<std::string> aor;
    std::vector<sipua::binding> before;
    if (const auto to = in.message.to()) {
      if (auto a = sipua::canonical_aor(to->uri)) {
        aor = std::move(*a);
        before = active(*store, *aor, now);
      }
    }
    const auto o = reg->process(in, now, std::chrono::system_clock::time_point{});
    if (trace) {
      std::fprintf(stderr, "fuzz_registrar: %d %.*s (%zu bindings) %.*s\n", o.status,
                   static_cast<int>(o.aor.size()), o.aor.data(), o.bindings.size(),
                   static_cast<int>(o.rule.size()), o.rule.data());
    }
    check(o.status == 0 || (o.status >= 200 && o.status < 600), "status 0 or 2xx-5xx");
    check(o.status == 200 || o.changes.empty(), "changes only with a 200");
    if (o.status != 200 && aor) {
      check(same(before, active(*store, *aor, now)), "a failure changes no binding");
    }
    if (o.status == 200) {
      check(o.aor == aor.value_or(""), "the outcome's AOR is the To's canonical form");
      const auto again = sipua::canonical_aor(o.aor);
      check(again && *again == o.aor, "the canonical AOR is a URI that canonicalises to itself");
      check(same(o.bindings, active(*store, o.aor, now)), "a 200 lists the stored bindings");
    }
    check_response(o, in.message);
    check_store(o);
  }
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return 0;
  harness h{data[0]};
  std::string_view rest{reinterpret_cast<const char*>(data + 1), size - 1};
  for (int record = 0; record < 24 && rest.size() >= 2; ++record) {
    const auto advance = static_cast<std::uint8_t>(rest[0]);
    const auto origin = static_cast<std::uint8_t>(rest[1]);
    rest.remove_prefix(2);
    const std::size_t end = rest.find('\0');
    const std::string_view msg = rest.substr(0, end);
    rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    h.now += std::chrono::seconds{32 * (advance & 0x7fU)};
    h.feed(msg, origin);
    if ((advance & 0x80U) != 0) {
      h.store->purge(h.now);
      const auto next = h.store->next_expiry();
      check(!next || *next > h.now, "nothing expired is left after a purge");
    }
  }
  return 0;
}
