#include "sipua/dialog/registrar.hpp"

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/contact.hpp"
#include "sipua/message/message.hpp"
#include "sipua/message/params.hpp"

namespace sipua {
namespace {

using namespace std::chrono_literals;
using time_point = registrar::time_point;

const time_point t0{std::chrono::hours{1000}};

struct reg_request {
  std::string ruri = "sip:biloxi.example.com";
  std::string to = "<sip:bob@biloxi.example.com>";
  std::string call_id = "843817637684230@998sdasdh09";
  unsigned cseq = 1826;
  std::string method = "REGISTER";
  std::vector<std::string> extra;  ///< whole header lines without CRLF (Contact, Expires ...)

  [[nodiscard]] std::string text() const {
    std::string s = method + " " + ruri + " SIP/2.0\r\n";
    s += "Via: SIP/2.0/UDP bobspc.biloxi.example.com:5060;branch=z9hG4bKnashds7\r\n";
    s += "Max-Forwards: 70\r\n";
    s += "To: " + to + "\r\n";
    s += "From: " + to + ";tag=456248\r\n";
    s += "Call-ID: " + call_id + "\r\n";
    s += "CSeq: " + std::to_string(cseq) + " " + method + "\r\n";
    for (const std::string& h : extra) s += h + "\r\n";
    s += "Content-Length: 0\r\n\r\n";
    return s;
  }
};

/// A registrar over a memory store, fed requests from exact-size buffers.
struct fixture {
  memory_location_store store;
  registrar reg;

  explicit fixture(registrar_config c = config(), location_limits l = {})
      : store(l), reg(store, std::move(c)) {}

  static registrar_config config() {
    registrar_config c;
    c.domains = {"biloxi.example.com"};
    return c;
  }

  registrar_outcome send(const reg_request& r, time_point now,
                         std::optional<std::chrono::system_clock::time_point> date = {}) {
    test::exact_buffer buf{r.text()};
    inbound_message in;
    in.origin.protocol = transport_protocol::udp;
    in.origin.peer = *socket_address::parse("192.0.2.4:5060");
    in.origin.local = *socket_address::parse("192.0.2.1:5060");
    EXPECT_FALSE(parse_datagram(buf.view(), in.message));
    return reg.process(in, now, date);
  }
};

/// The parsed response of an outcome, owning its bytes.
struct parsed {
  std::shared_ptr<std::string> bytes;
  message m;
  explicit parsed(const registrar_outcome& o) : bytes(std::make_shared<std::string>(o.response)) {
    EXPECT_FALSE(parse_datagram(*bytes, m)) << o.response;
  }
  /// Every Contact value of the response, each parsed.
  [[nodiscard]] std::vector<contact> contacts() const {
    std::vector<contact> out;
    for (const header_field& f : m.headers()) {
      if (f.id != header_id::contact) continue;
      for (const std::string_view e : comma_list{f.value}) {
        auto c = parse_contact(e);
        EXPECT_TRUE(c.has_value()) << e;
        if (c) out.push_back(*c);
      }
    }
    return out;
  }
};

reg_request with(std::vector<std::string> extra, unsigned cseq = 1826,
                 std::string call_id = "843817637684230@998sdasdh09") {
  reg_request r;
  r.extra = std::move(extra);
  r.cseq = cseq;
  r.call_id = std::move(call_id);
  return r;
}

TEST(registrar, registers_one_contact_with_the_default_expiry) {
  fixture f;
  const auto o = f.send(with({"Contact: <sip:bob@192.0.2.4>"}), t0);
  ASSERT_EQ(o.status, 200) << o.rule;
  EXPECT_EQ(o.aor, "sip:bob@biloxi.example.com");
  ASSERT_EQ(o.changes.size(), 1U);
  EXPECT_EQ(o.changes[0].what, binding_change::kind::added);
  EXPECT_EQ(o.changes[0].contact, "sip:bob@192.0.2.4");

  const auto stored = f.store.bindings("sip:bob@biloxi.example.com");
  ASSERT_EQ(stored.size(), 1U);
  EXPECT_EQ(stored[0].expires_at, t0 + 3600s);
  EXPECT_EQ(stored[0].call_id, "843817637684230@998sdasdh09");
  EXPECT_EQ(stored[0].cseq, 1826U);
  ASSERT_TRUE(stored[0].source.has_value());
  EXPECT_EQ(stored[0].source->peer.to_string(), "192.0.2.4:5060");

  const parsed p{o};
  EXPECT_EQ(p.m.status_code(), 200);
  EXPECT_FALSE(p.m.to()->tag().empty());  // §8.2.6.2
  EXPECT_EQ(p.m.cseq()->number, 1826U);
  const auto cs = p.contacts();
  ASSERT_EQ(cs.size(), 1U);
  EXPECT_EQ(cs[0].addr.uri, "sip:bob@192.0.2.4");
  EXPECT_EQ(cs[0].expires, 3600U);  // §10.3 step 8: every Contact has expires
  // §18.2.1: the sent-by is a name, so the response's top Via says where
  // the request came from.
  EXPECT_NE(p.m.value(header_id::via).find("received=192.0.2.4"), std::string_view::npos);
}

TEST(registrar, step1_a_foreign_request_uri_domain_is_404_and_may_be_forwarded) {
  fixture f;
  reg_request r = with({"Contact: <sip:bob@192.0.2.4>"});
  r.ruri = "sip:atlanta.example.com";
  const auto o = f.send(r, t0);
  EXPECT_EQ(o.status, 404);
  EXPECT_TRUE(o.foreign_domain);
  EXPECT_EQ(parsed{o}.m.status_code(), 404);
  EXPECT_EQ(f.store.aor_count(), 0U);
}

TEST(registrar, domains_compare_case_insensitively_and_empty_means_any) {
  fixture f;
  reg_request r = with({"Contact: <sip:bob@192.0.2.4>"});
  r.ruri = "sip:BILOXI.example.COM";
  EXPECT_EQ(f.send(r, t0).status, 200);

  registrar_config any;
  fixture g{any};
  r.ruri = "sip:atlanta.example.com";
  r.to = "<sip:alice@atlanta.example.com>";
  EXPECT_EQ(g.send(r, t0).status, 200);
}

TEST(registrar, step2_an_unsupported_require_is_420_with_unsupported) {
  fixture f;
  const auto o = f.send(with({"Require: foo, path", "Contact: <sip:bob@192.0.2.4>"}), t0);
  EXPECT_EQ(o.status, 420);
  const parsed p{o};
  EXPECT_EQ(p.m.value(header_id::unsupported), "foo, path");
  EXPECT_EQ(f.store.aor_count(), 0U);

  registrar_config c = fixture::config();
  c.supported_option_tags = {"path", "foo"};
  fixture g{c};
  EXPECT_EQ(g.send(with({"Require: foo, path", "Contact: <sip:bob@192.0.2.4>"}), t0).status, 200);
}

TEST(registrar, only_register_is_processed_others_get_405_with_allow) {
  fixture f;
  reg_request r = with({"Contact: <sip:bob@192.0.2.4>"});
  r.method = "OPTIONS";
  const auto o = f.send(r, t0);
  EXPECT_EQ(o.status, 405);
  EXPECT_EQ(parsed{o}.m.value(header_id::allow), "REGISTER");
}

TEST(registrar, step4_authorize_sees_the_canonical_aor_and_may_refuse) {
  registrar_config c = fixture::config();
  std::string seen;
  registrar_decision decision = registrar_decision::forbidden;
  c.authorize = [&](std::string_view aor, const message& m) {
    seen = std::string{aor};
    EXPECT_EQ(m.method(), method::register_);
    return decision;
  };
  fixture f{c};
  reg_request r = with({"Contact: <sip:bob@192.0.2.4>"});
  r.to = "<sip:Bob%41@BILOXI.example.com;user=phone>";
  EXPECT_EQ(f.send(r, t0).status, 403);
  EXPECT_EQ(seen, "sip:BobA@biloxi.example.com");
  decision = registrar_decision::not_found;
  EXPECT_EQ(f.send(r, t0).status, 404);
  EXPECT_EQ(f.store.aor_count(), 0U);
  decision = registrar_decision::allow;
  EXPECT_EQ(f.send(r, t0).status, 200);
  EXPECT_EQ(f.store.bindings("sip:BobA@biloxi.example.com").size(), 1U);
}

TEST(registrar, step5_the_aor_is_canonical_and_must_be_of_our_domain) {
  fixture f;
  reg_request r = with({"Contact: <sip:bob@192.0.2.4>"});
  r.to = "\"Bob\" <sip:b%6Fb@Biloxi.Example.COM;user=ip;transport=tcp>";
  EXPECT_EQ(f.send(r, t0).aor, "sip:bob@biloxi.example.com");
  // The lookup canonicalises the same way.
  EXPECT_EQ(f.reg.lookup("sip:bob@BILOXI.example.com;maddr=x", t0).size(), 1U);

  r.to = "<sip:bob@atlanta.example.com>";
  const auto o = f.send(r, t0);
  EXPECT_EQ(o.status, 404);
  EXPECT_FALSE(o.foreign_domain);

  r.to = "<tel:+1-201-555-0123>";  // §10.2: an AOR is a SIP or SIPS URI
  EXPECT_EQ(f.send(r, t0).status, 400);
}

TEST(registrar, canonical_aor_removes_parameters_and_decodes_escapes) {
  EXPECT_EQ(*canonical_aor("SIP:Bob%41@Biloxi.COM:5060;user=phone?x=y"),
            "sip:BobA@biloxi.com:5060");
  EXPECT_EQ(*canonical_aor("sips:bob:secret@biloxi.com"), "sips:bob@biloxi.com");
  EXPECT_EQ(*canonical_aor("sip:biloxi.com"), "sip:biloxi.com");
  // Decoded characters that a URI cannot carry as they are are escaped
  // again, in one spelling: the key is a URI and canonical_aor is idempotent.
  EXPECT_EQ(*canonical_aor("sip:B%7fb%20x@h"), "sip:B%7Fb%20x@h");
  EXPECT_EQ(*canonical_aor("sip:a%3bb@h"), *canonical_aor("sip:a;b@h"));
  for (const char* u : {"sip:B%7fb%20x@h", "sip:a;b@h", "SIP:Bob%41@Biloxi.COM:5060;user=phone",
                        "sips:%40%25@[2001:DB8::1]:5061"}) {
    const auto once = canonical_aor(u);
    ASSERT_TRUE(once) << u;
    const auto twice = canonical_aor(*once);
    ASSERT_TRUE(twice) << *once;
    EXPECT_EQ(*twice, *once) << u;
  }
  EXPECT_FALSE(canonical_aor("tel:+12015550123"));
  EXPECT_FALSE(canonical_aor("not a uri"));
}

TEST(registrar, step7_expires_param_then_expires_header_then_default) {
  fixture f;
  f.send(with({"Expires: 1800", "Contact: <sip:a@192.0.2.4>;expires=120, <sip:b@192.0.2.4>",
               "Contact: <sip:c@192.0.2.4>"}),
         t0);
  f.send(with({"Contact: <sip:d@192.0.2.4>"}, 1827), t0);
  const auto b = f.store.bindings("sip:bob@biloxi.example.com");
  ASSERT_EQ(b.size(), 4U);
  EXPECT_EQ(b[0].expires_at, t0 + 120s);
  EXPECT_EQ(b[1].expires_at, t0 + 1800s);
  EXPECT_EQ(b[2].expires_at, t0 + 1800s);
  EXPECT_EQ(b[3].expires_at, t0 + 3600s);
}

TEST(registrar, step7_a_long_request_is_shortened_to_max_expires) {
  registrar_config c = fixture::config();
  c.max_expires = 7200;
  fixture f{c};
  const auto o = f.send(with({"Contact: <sip:a@192.0.2.4>;expires=100000"}), t0);
  ASSERT_EQ(o.status, 200);
  EXPECT_EQ(parsed{o}.contacts().at(0).expires, 7200U);
}

TEST(registrar, step7_423_with_min_expires_only_below_an_hour) {
  registrar_config c = fixture::config();
  c.min_expires = 7200;
  fixture f{c};
  const auto o = f.send(with({"Contact: <sip:a@192.0.2.4>;expires=30"}), t0);
  EXPECT_EQ(o.status, 423);
  EXPECT_EQ(parsed{o}.m.value(header_id::min_expires), "7200");
  EXPECT_EQ(f.store.aor_count(), 0U);
  // One hour or more is never too brief; 0 is a removal.
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>;expires=3600"}, 1827), t0).status, 200);
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>;expires=0"}, 1828), t0).status, 200);
  EXPECT_EQ(f.store.aor_count(), 0U);
}

TEST(registrar, the_423_flow_retry_with_min_expires_succeeds) {
  fixture f;  // min_expires 60
  const auto o = f.send(with({"Expires: 20", "Contact: <sip:a@192.0.2.4>"}), t0);
  ASSERT_EQ(o.status, 423);
  const parsed p{o};
  const auto min = p.m.value(header_id::min_expires);
  EXPECT_EQ(min, "60");
  // §10.2.8: the UA retries with the Min-Expires value.
  const auto retry =
      f.send(with({"Expires: " + std::string{min}, "Contact: <sip:a@192.0.2.4>"}, 1827), t0);
  ASSERT_EQ(retry.status, 200);
  EXPECT_EQ(parsed{retry}.contacts().at(0).expires, 60U);
}

TEST(registrar, expires_zero_removes_one_binding) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>, <sip:b@192.0.2.4>"}), t0);
  const auto o = f.send(with({"Contact: <sip:a@192.0.2.4>;expires=0"}, 1827), t0 + 1s);
  ASSERT_EQ(o.status, 200);
  ASSERT_EQ(o.changes.size(), 1U);
  EXPECT_EQ(o.changes[0].what, binding_change::kind::removed);
  const parsed p{o};  // the contacts view its bytes
  const auto cs = p.contacts();
  ASSERT_EQ(cs.size(), 1U);  // the 200 lists what is left
  EXPECT_EQ(cs[0].addr.uri, "sip:b@192.0.2.4");
  // Removing a contact that has no binding is no error and no change.
  const auto again = f.send(with({"Contact: <sip:zz@192.0.2.4>;expires=0"}, 1828), t0 + 2s);
  EXPECT_EQ(again.status, 200);
  EXPECT_TRUE(again.changes.empty());
}

TEST(registrar, contacts_match_with_the_uri_comparison_rules) {
  fixture f;
  f.send(with({"Contact: <sip:bob@192.0.2.4;transport=udp>"}), t0);
  // §19.1.4: host case-insensitive, same parameters: the same binding.
  const auto o = f.send(with({"Contact: <sip:bob@192.0.2.4;TRANSPORT=UDP>;expires=600"}, 1827), t0);
  ASSERT_EQ(o.changes.size(), 1U);
  EXPECT_EQ(o.changes[0].what, binding_change::kind::refreshed);
  EXPECT_EQ(f.store.bindings(o.aor).size(), 1U);
  EXPECT_EQ(f.store.bindings(o.aor)[0].expires_at, t0 + 600s);
}

TEST(registrar, star_with_expires_zero_removes_every_binding) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>, <sip:b@192.0.2.4>"}), t0);
  f.send(with({"Contact: <sip:c@192.0.2.4>"}, 5, "other-call-id"), t0);
  const auto o = f.send(with({"Contact: *", "Expires: 0"}, 1827), t0 + 1s);
  ASSERT_EQ(o.status, 200) << o.rule;
  EXPECT_EQ(o.changes.size(), 3U);
  EXPECT_TRUE(parsed{o}.contacts().empty());
  EXPECT_EQ(f.store.aor_count(), 0U);
}

TEST(registrar, star_rules_violations_are_400) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>"}), t0);
  EXPECT_EQ(f.send(with({"Contact: *"}, 1827), t0).status, 400);
  EXPECT_EQ(f.send(with({"Contact: *", "Expires: 5"}, 1828), t0).status, 400);
  EXPECT_EQ(f.send(with({"Contact: *, <sip:b@192.0.2.4>", "Expires: 0"}, 1829), t0).status, 400);
  EXPECT_EQ(
      f.send(with({"Contact: *", "Contact: <sip:b@192.0.2.4>", "Expires: 0"}, 1830), t0).status,
      400);
  EXPECT_EQ(f.store.bindings("sip:bob@biloxi.example.com").size(), 1U);
}

TEST(registrar, star_from_the_same_call_id_needs_a_higher_cseq) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>"}, 10), t0);
  const auto o = f.send(with({"Contact: *", "Expires: 0"}, 10), t0);
  EXPECT_EQ(o.status, 500);
  EXPECT_EQ(f.store.bindings("sip:bob@biloxi.example.com").size(), 1U);
  EXPECT_EQ(f.send(with({"Contact: *", "Expires: 0"}, 11), t0).status, 200);
}

TEST(registrar, step7_same_call_id_lower_or_equal_cseq_fails_with_500_and_changes_nothing) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>;expires=600"}, 20), t0);
  for (const unsigned cseq : {20U, 19U, 1U}) {
    // A new contact in the same request must not be added either (atomic).
    const auto o =
        f.send(with({"Contact: <sip:n@192.0.2.4>, <sip:a@192.0.2.4>;expires=900"}, cseq), t0 + 1s);
    EXPECT_EQ(o.status, 500) << cseq;
    EXPECT_TRUE(o.changes.empty());
    EXPECT_EQ(parsed{o}.m.status_code(), 500);
  }
  const auto b = f.store.bindings("sip:bob@biloxi.example.com");
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].expires_at, t0 + 600s);
  EXPECT_EQ(b[0].cseq, 20U);
}

TEST(registrar, step7_higher_cseq_or_other_call_id_updates) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>;expires=600"}, 20), t0);
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>;expires=700"}, 21), t0).status, 200);
  EXPECT_EQ(f.store.bindings("sip:bob@biloxi.example.com")[0].expires_at, t0 + 700s);
  // Another Call-ID (another UA, or a rebooted one) with a lower CSeq.
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>;expires=800"}, 3, "new-call"), t0).status,
            200);
  const auto b = f.store.bindings("sip:bob@biloxi.example.com");
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].expires_at, t0 + 800s);
  EXPECT_EQ(b[0].call_id, "new-call");
  EXPECT_EQ(b[0].cseq, 3U);
}

TEST(registrar, a_contact_named_twice_in_one_request_takes_the_last) {
  fixture f;
  const auto o =
      f.send(with({"Contact: <sip:a@192.0.2.4>;expires=100, <sip:a@192.0.2.4>;expires=200"}), t0);
  ASSERT_EQ(o.status, 200);
  const auto b = f.store.bindings(o.aor);
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].expires_at, t0 + 200s);
}

TEST(registrar, a_query_without_contact_lists_the_bindings_and_changes_nothing) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>;expires=100"}), t0);
  const auto o = f.send(with({}, 1827), t0 + 30s);
  ASSERT_EQ(o.status, 200);
  EXPECT_TRUE(o.changes.empty());
  const parsed p{o};  // the contacts view its bytes
  const auto cs = p.contacts();
  ASSERT_EQ(cs.size(), 1U);
  EXPECT_EQ(cs[0].expires, 70U);  // what is left at now
}

TEST(registrar, bindings_expire_over_manual_time) {
  fixture f;
  f.send(with({"Contact: <sip:a@192.0.2.4>;expires=60", "Contact: <sip:b@192.0.2.4>;expires=120"}),
         t0);
  EXPECT_EQ(f.reg.lookup("sip:bob@biloxi.example.com", t0 + 59s).size(), 2U);
  const auto at60 = f.reg.lookup("sip:bob@biloxi.example.com", t0 + 60s);
  ASSERT_EQ(at60.size(), 1U);
  EXPECT_EQ(at60[0].contact, "sip:b@192.0.2.4");
  EXPECT_TRUE(f.reg.lookup("sip:bob@biloxi.example.com", t0 + 120s).empty());
  EXPECT_EQ(f.store.next_expiry(), t0 + 60s);
  EXPECT_EQ(f.store.purge(t0 + 60s), 1U);
  EXPECT_EQ(f.store.next_expiry(), t0 + 120s);
  // An expired binding no longer exists: the same Call-ID with a lower
  // CSeq registers it anew (no 500).
  const auto o = f.send(with({"Contact: <sip:b@192.0.2.4>"}, 1), t0 + 200s);
  ASSERT_EQ(o.status, 200);
  ASSERT_EQ(o.changes.size(), 1U);
  EXPECT_EQ(o.changes[0].what, binding_change::kind::added);
}

TEST(registrar, lookup_sorts_by_q_descending_absent_q_counting_as_one) {
  fixture f;
  f.send(with({"Contact: <sip:low@192.0.2.4>;q=0.1, <sip:none@192.0.2.4>",
               "Contact: <sip:mid@192.0.2.4>;q=0.5, <sip:top@192.0.2.4>;q=1.0",
               "Contact: <sip:mid2@192.0.2.4>;q=0.5"}),
         t0);
  const auto l = f.reg.lookup("sip:bob@biloxi.example.com", t0);
  std::vector<std::string> order;
  for (const binding& b : l) order.push_back(b.contact);
  const std::vector<std::string> want{"sip:none@192.0.2.4", "sip:top@192.0.2.4",
                                      "sip:mid@192.0.2.4", "sip:mid2@192.0.2.4",
                                      "sip:low@192.0.2.4"};
  EXPECT_EQ(order, want);
  EXPECT_TRUE(f.reg.lookup("sip:nobody@biloxi.example.com", t0).empty());
  EXPECT_TRUE(f.reg.lookup("tel:+1", t0).empty());
}

TEST(registrar, the_200_keeps_q_and_other_contact_params) {
  fixture f;
  const auto o = f.send(
      with({"Contact: <sip:a@192.0.2.4>;q=0.25;+sip.instance=\"<urn:uuid:1>\";expires=90"}), t0);
  const parsed p{o};  // the contacts view its bytes
  const auto cs = p.contacts();
  ASSERT_EQ(cs.size(), 1U);
  EXPECT_EQ(cs[0].q, 250);
  EXPECT_EQ(cs[0].expires, 90U);
  EXPECT_EQ(cs[0].addr.params.find("+sip.instance")->value, "\"<urn:uuid:1>\"");
}

TEST(registrar, several_uas_share_an_aor_up_to_the_bound) {
  location_limits l;
  l.max_bindings_per_aor = 2;
  fixture f{fixture::config(), l};
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>"}, 1, "ua1"), t0).status, 200);
  EXPECT_EQ(f.send(with({"Contact: <sip:b@192.0.2.5>"}, 1, "ua2"), t0).status, 200);
  const auto o = f.send(with({"Contact: <sip:c@192.0.2.6>"}, 1, "ua3"), t0);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(parsed{o}.m.reason_phrase(), "Too Many Bindings");
  EXPECT_EQ(f.store.bindings(o.aor).size(), 2U);
  // Once one expires (default 3600 s), there is room again.
  EXPECT_EQ(f.send(with({"Contact: <sip:c@192.0.2.6>"}, 2, "ua3"), t0 + 3600s).status, 200);
}

TEST(registrar, too_many_contacts_in_one_request_is_403_before_any_work) {
  registrar_config c = fixture::config();
  c.max_contacts_per_request = 2;
  fixture f{c};
  const auto o = f.send(
      with({"Contact: <sip:a@192.0.2.4>, <sip:b@192.0.2.4>", "Contact: <sip:c@192.0.2.4>"}), t0);
  EXPECT_EQ(o.status, 403);
  EXPECT_EQ(parsed{o}.m.reason_phrase(), "Too Many Bindings");
  EXPECT_EQ(f.store.aor_count(), 0U);
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>, <sip:b@192.0.2.4>"}), t0).status, 200);
}

TEST(registrar, a_full_store_answers_503_with_retry_after) {
  location_limits l;
  l.max_aors = 1;
  registrar_config c = fixture::config();
  c.retry_after_when_full = 120;
  fixture f{c, l};
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>;expires=100"}), t0).status, 200);
  reg_request r = with({"Contact: <sip:c@192.0.2.6>"});
  r.to = "<sip:carol@biloxi.example.com>";
  const auto o = f.send(r, t0 + 1s);
  EXPECT_EQ(o.status, 503);
  EXPECT_EQ(parsed{o}.m.value(header_id::retry_after), "120");
  EXPECT_EQ(f.send(r, t0 + 100s).status, 200);  // bob's binding expired
}

TEST(registrar, path_is_stored_and_echoed_when_supported) {
  registrar_config c = fixture::config();
  c.supported_option_tags = {"path"};
  fixture f{c};
  const auto o = f.send(with({"Path: <sip:p1.example.com;lr>", "Path: <sip:p2.example.com;lr>",
                              "Contact: <sip:a@192.0.2.4>"}),
                        t0);
  ASSERT_EQ(o.status, 200);
  const auto b = f.store.bindings(o.aor);
  ASSERT_EQ(b.size(), 1U);
  EXPECT_EQ(b[0].path,
            (std::vector<std::string>{"<sip:p1.example.com;lr>", "<sip:p2.example.com;lr>"}));
  const parsed p{o};
  EXPECT_EQ(p.m.count(header_id::path), 2U);
}

TEST(registrar, date_header_and_no_record_route) {
  fixture f;
  using namespace std::chrono;
  const auto when = sys_days{year{2026} / November / 22} + 3h + 4min + 5s;
  const auto o =
      f.send(with({"Record-Route: <sip:proxy.example.com;lr>", "Contact: <sip:a@192.0.2.4>"}), t0,
             system_clock::time_point{when});
  const parsed p{o};
  EXPECT_EQ(p.m.value(header_id::date), "Sun, 22 Nov 2026 03:04:05 GMT");
  EXPECT_EQ(p.m.find(header_id::record_route), nullptr);  // §10.3
  EXPECT_EQ(format_sip_date(system_clock::time_point{sys_days{year{1970} / January / 1}}),
            "Thu, 01 Jan 1970 00:00:00 GMT");
}

TEST(registrar, a_malformed_contact_or_expires_is_400) {
  fixture f;
  EXPECT_EQ(f.send(with({"Contact: <sip:a@192.0.2.4>;expires=abc"}), t0).status, 400);
  EXPECT_EQ(f.send(with({"Expires: soon", "Contact: <sip:a@192.0.2.4>"}), t0).status, 400);
  EXPECT_EQ(f.store.aor_count(), 0U);
}

TEST(registrar, a_response_is_never_answered) {
  fixture f;
  const std::string text =
      "SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:b@biloxi.example.com>\r\n"
      "From: <sip:b@biloxi.example.com>;tag=1\r\nCall-ID: x\r\nCSeq: 1 REGISTER\r\n"
      "Content-Length: 0\r\n\r\n";
  test::exact_buffer buf{text};
  inbound_message in;
  ASSERT_FALSE(parse_datagram(buf.view(), in.message));
  const auto o = f.reg.process(in, t0);
  EXPECT_EQ(o.status, 0);
  EXPECT_TRUE(o.response.empty());
}

TEST(registrar, to_tags_come_from_the_injected_randomness) {
  registrar_config c = fixture::config();
  c.random = [] { return std::uint64_t{0xabcdef}; };
  fixture f{c};
  const auto o = f.send(with({"Contact: <sip:a@192.0.2.4>"}), t0);
  EXPECT_EQ(parsed{o}.m.to()->tag(), "0000000000abcdef");
}

}  // namespace
}  // namespace sipua
