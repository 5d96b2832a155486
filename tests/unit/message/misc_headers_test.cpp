// Retry-After, Event, Subscription-State, Session-Expires, Min-SE, Reason,
// Warning.
#include <gtest/gtest.h>

#include <iterator>
#include <string>
#include <vector>

#include "support/split.hpp"

#include "sipua/message/event.hpp"
#include "sipua/message/reason.hpp"
#include "sipua/message/retry_after.hpp"
#include "sipua/message/session_expires.hpp"
#include "sipua/message/warning.hpp"

namespace sipua {
namespace {

// Runs `parse` on an exact-size copy of `text`, then `check(result)`.
template <class P, class F>
void parse_exact(P parse, std::string_view text, F&& check) {
  test::for_each_exact(text, [&](std::string_view v) { check(parse(v)); });
}

template <class P>
void expect_error(P parse, std::string_view text, parse_errc code, std::size_t offset) {
  parse_exact(parse, text, [&](const auto& r) {
    ASSERT_FALSE(r) << text;
    EXPECT_EQ(r.error().code, code) << text;
    EXPECT_EQ(r.error().offset, offset) << text;
  });
}

std::vector<std::string> param_names(const param_list& ps) {
  std::vector<std::string> out;
  for (const param& p : ps) out.emplace_back(p.name);
  return out;
}
using strings = std::vector<std::string>;

static_assert(std::forward_iterator<reason_list::iterator>);
static_assert(std::forward_iterator<warning_list::iterator>);

// ---- Retry-After ----------------------------------------------------------

TEST(retry_after, rfc3261_section_20_33_examples) {
  parse_exact(parse_retry_after, "18000;duration=3600", [](const parse_result<retry_after>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seconds, 18000u);
    EXPECT_EQ(r->duration, 3600u);
    EXPECT_FALSE(r->has_comment);
    EXPECT_EQ(param_names(r->params), strings{"duration"});
  });
  parse_exact(parse_retry_after, "120 (I'm in a meeting)", [](const parse_result<retry_after>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seconds, 120u);
    EXPECT_TRUE(r->has_comment);
    EXPECT_EQ(r->comment, "I'm in a meeting");
    EXPECT_FALSE(r->duration);
    EXPECT_TRUE(r->params.empty());
  });
}

TEST(retry_after, comment_nesting_escapes_and_params) {
  parse_exact(parse_retry_after, "5(a (nested \\) one) b)\r\n ; duration = 7 ;x=\"y\";flag",
              [](const parse_result<retry_after>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->comment, "a (nested \\) one) b");
                EXPECT_EQ(r->duration, 7u);
                EXPECT_EQ(param_names(r->params), (strings{"duration", "x", "flag"}));
                EXPECT_EQ(r->params.find("x")->value, "\"y\"");
              });
  parse_exact(parse_retry_after, "0 ()", [](const parse_result<retry_after>& r) {
    ASSERT_TRUE(r);
    EXPECT_TRUE(r->has_comment);
    EXPECT_EQ(r->comment, "");
  });
}

TEST(retry_after, scalarlg_huge_value_saturates) {
  // RFC 4475 §3.1.2.5: "RFC 3261 does not define a legal range for this
  // field": the value is grammatical and saturates at 2**32-1.
  parse_exact(parse_retry_after, "949302838503028349304023988",
              [](const parse_result<retry_after>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->seconds, 4294967295u);
              });
  parse_exact(parse_retry_after, "4294967295;duration=4294967296",
              [](const parse_result<retry_after>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->seconds, 4294967295u);
                EXPECT_EQ(r->duration, 4294967295u);
              });
  parse_exact(parse_retry_after, "4294967294", [](const parse_result<retry_after>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seconds, 4294967294u);
  });
}

TEST(retry_after, malformed) {
  //                              0123456789012345
  expect_error(parse_retry_after, "", parse_errc::bad_number, 0);
  expect_error(parse_retry_after, "  x", parse_errc::bad_number, 2);
  expect_error(parse_retry_after, "-5", parse_errc::bad_number, 0);
  expect_error(parse_retry_after, "12x", parse_errc::bad_header_value, 2);
  expect_error(parse_retry_after, "12 13", parse_errc::bad_header_value, 3);
  expect_error(parse_retry_after, "12 (open", parse_errc::bad_header_value, 3);
  expect_error(parse_retry_after, "12 (a(b)", parse_errc::bad_header_value, 3);
  expect_error(parse_retry_after, "12 (a\\", parse_errc::bad_header_value, 3);
  expect_error(parse_retry_after, std::string_view{"12 (a\0)", 7}, parse_errc::bad_header_value, 3);
  expect_error(parse_retry_after, "12 (a) (b)", parse_errc::bad_header_value, 7);
  expect_error(parse_retry_after, "12;duration", parse_errc::bad_param, 3);
  expect_error(parse_retry_after, "12;duration=x", parse_errc::bad_param, 12);
  expect_error(parse_retry_after, "12;duration=1;DURATION=2", parse_errc::bad_param, 14);
  expect_error(parse_retry_after, "12;", parse_errc::bad_param, 3);
  expect_error(parse_retry_after, "12;a=\"x", parse_errc::bad_quoted_string, 5);
}

// ---- Event ----------------------------------------------------------------

TEST(event, package_templates_and_id) {
  parse_exact(parse_event, "presence.winfo", [](const parse_result<event>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->type, "presence.winfo");
    EXPECT_EQ(r->package, "presence");
    EXPECT_EQ(r->templates, "winfo");
    EXPECT_FALSE(r->id);
  });
  parse_exact(parse_event, "a.b.c", [](const parse_result<event>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->package, "a");
    EXPECT_EQ(r->templates, "b.c");
  });
  // RFC 3515 §4.3 example.
  parse_exact(parse_event, "refer;id=93809824", [](const parse_result<event>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->type, "refer");
    EXPECT_EQ(r->id, "93809824");
    EXPECT_EQ(param_names(r->params), strings{"id"});
  });
  parse_exact(parse_event, "foo ;\r\n param=abcd ; ID = 1234", [](const parse_result<event>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->id, "1234");
    EXPECT_EQ(param_names(r->params), (strings{"param", "ID"}));
  });
}

TEST(event, rfc6665_section_8_2_1_matching) {
  auto a = parse_event("foo; id=1234");
  auto b = parse_event("foo; param=abcd; id=1234");
  auto c = parse_event("foo");
  auto d = parse_event("Foo; id=1234");
  auto e = parse_event("foo; id=1235");
  ASSERT_TRUE(a && b && c && d && e);
  EXPECT_TRUE(same_event(*a, *b));
  EXPECT_FALSE(same_event(*a, *c));  // id does not match
  EXPECT_FALSE(same_event(*a, *d));  // event-type compared byte by byte
  EXPECT_FALSE(same_event(*a, *e));
  EXPECT_TRUE(same_event(*c, *c));
}

TEST(event, malformed) {
  //                        0123456789012
  expect_error(parse_event, "", parse_errc::bad_header_value, 0);
  expect_error(parse_event, ".winfo", parse_errc::bad_header_value, 0);
  expect_error(parse_event, "presence.", parse_errc::bad_header_value, 0);
  expect_error(parse_event, "a..b", parse_errc::bad_header_value, 0);
  expect_error(parse_event, "a b", parse_errc::bad_header_value, 2);
  expect_error(parse_event, "a;id", parse_errc::bad_param, 2);
  expect_error(parse_event, "a;id=\"1\"", parse_errc::bad_param, 5);
  expect_error(parse_event, "a;id=[::1]", parse_errc::bad_param, 5);
  expect_error(parse_event, "a;id=1;id=1", parse_errc::bad_param, 7);
  expect_error(parse_event, "a;x=a:b", parse_errc::bad_param, 4);
}

// ---- Subscription-State -----------------------------------------------

TEST(subscription_state, rfc_examples) {
  // RFC 3856 §7 and RFC 3515 §4.3 examples.
  parse_exact(parse_subscription_state, "active;expires=599",
              [](const parse_result<subscription_state>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->state, substate::active);
                EXPECT_EQ(r->state_name, "active");
                EXPECT_EQ(r->expires, 599u);
                EXPECT_FALSE(r->reason);
                EXPECT_FALSE(r->retry_after);
              });
  parse_exact(parse_subscription_state, "terminated;reason=noresource",
              [](const parse_result<subscription_state>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->state, substate::terminated);
                EXPECT_EQ(r->reason, event_reason::noresource);
                EXPECT_EQ(r->reason_name, "noresource");
              });
  // RFC 6665 §4.1.3 / §4.2.2: probation with retry-after.
  parse_exact(parse_subscription_state, "Terminated ; reason=Probation ;retry-after=3600 ;x",
              [](const parse_result<subscription_state>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->state, substate::terminated);
                EXPECT_EQ(r->reason, event_reason::probation);
                EXPECT_EQ(r->retry_after, 3600u);
                EXPECT_EQ(param_names(r->params), (strings{"reason", "retry-after", "x"}));
              });
}

TEST(subscription_state, extension_values) {
  parse_exact(parse_subscription_state, "waiting;reason=moon-phase",
              [](const parse_result<subscription_state>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->state, substate::extension);
                EXPECT_EQ(r->state_name, "waiting");
                EXPECT_EQ(r->reason, event_reason::extension);
              });
  const std::pair<std::string_view, event_reason> reasons[] = {
      {"deactivated", event_reason::deactivated}, {"probation", event_reason::probation},
      {"rejected", event_reason::rejected},       {"timeout", event_reason::timeout},
      {"giveup", event_reason::giveup},           {"noresource", event_reason::noresource},
      {"invariant", event_reason::invariant}};
  for (const auto& entry : reasons) {
    const event_reason id = entry.second;  // clang 14 cannot capture structured bindings
    const std::string text = "terminated;reason=" + std::string(entry.first);
    parse_exact(parse_subscription_state, text, [&](const parse_result<subscription_state>& r) {
      ASSERT_TRUE(r) << text;
      EXPECT_EQ(r->reason, id) << text;
    });
  }
  auto p = parse_subscription_state("pending");
  ASSERT_TRUE(p);
  EXPECT_EQ(p->state, substate::pending);
}

TEST(subscription_state, malformed) {
  //                                     012345678901234567890
  expect_error(parse_subscription_state, "", parse_errc::bad_header_value, 0);
  expect_error(parse_subscription_state, ";expires=1", parse_errc::bad_header_value, 0);
  expect_error(parse_subscription_state, "active;expires=abc", parse_errc::bad_param, 15);
  expect_error(parse_subscription_state, "active;expires", parse_errc::bad_param, 7);
  expect_error(parse_subscription_state, "active;expires=1;expires=2", parse_errc::bad_param, 17);
  expect_error(parse_subscription_state, "active;retry-after=-1", parse_errc::bad_param, 19);
  expect_error(parse_subscription_state, "terminated;reason=\"timeout\"", parse_errc::bad_param,
               18);
  expect_error(parse_subscription_state, "terminated;reason=a;reason=b", parse_errc::bad_param, 20);
  expect_error(parse_subscription_state, "active, pending", parse_errc::bad_header_value, 6);
}

// ---- Session-Expires / Min-SE ---------------------------------------------

TEST(session_expires, rfc4028_examples) {
  parse_exact(parse_session_expires, "4000;refresher=uac",
              [](const parse_result<session_expires>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->seconds, 4000u);
                EXPECT_EQ(r->refresher, refresher::uac);
              });
  parse_exact(parse_session_expires, "1800", [](const parse_result<session_expires>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seconds, 1800u);
    EXPECT_EQ(r->refresher, refresher::unspecified);
    EXPECT_TRUE(r->params.empty());
  });
  parse_exact(parse_session_expires, "90 ;\r\n\tREFRESHER = UAS;x=1",
              [](const parse_result<session_expires>& r) {
                ASSERT_TRUE(r);
                EXPECT_EQ(r->seconds, 90u);
                EXPECT_EQ(r->refresher, refresher::uas);
                EXPECT_EQ(param_names(r->params), (strings{"REFRESHER", "x"}));
              });
  parse_exact(parse_min_se, "3600", [](const parse_result<min_se>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seconds, 3600u);
  });
  parse_exact(parse_min_se, "90;foo=bar", [](const parse_result<min_se>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->seconds, 90u);
    EXPECT_EQ(param_names(r->params), strings{"foo"});
  });
}

TEST(session_expires, malformed) {
  //                                  01234567890123456789012345
  expect_error(parse_session_expires, "", parse_errc::bad_number, 0);
  expect_error(parse_session_expires, "refresher=uac", parse_errc::bad_number, 0);
  expect_error(parse_session_expires, "4000;refresher=both", parse_errc::bad_param, 15);
  expect_error(parse_session_expires, "4000;refresher", parse_errc::bad_param, 5);
  expect_error(parse_session_expires, "4000;refresher=uac;refresher=uac", parse_errc::bad_param,
               19);
  expect_error(parse_session_expires, "4000 refresher=uac", parse_errc::bad_header_value, 5);
  expect_error(parse_min_se, "abc", parse_errc::bad_number, 0);
  expect_error(parse_min_se, "90;", parse_errc::bad_param, 3);
  expect_error(parse_min_se, "90,100", parse_errc::bad_header_value, 2);
}

// ---- Reason -----------------------------------------------------------------

TEST(reason, rfc3326_examples) {
  parse_exact(parse_reasons, "SIP ;cause=200 ;text=\"Call completed elsewhere\"",
              [](const parse_result<reason_list>& r) {
                ASSERT_TRUE(r);
                ASSERT_EQ(r->size(), 1u);
                const reason x = *r->begin();
                EXPECT_EQ(x.protocol, "SIP");
                EXPECT_TRUE(x.is_sip());
                EXPECT_EQ(x.cause, 200u);
                EXPECT_EQ(x.text, "Call completed elsewhere");
              });
  parse_exact(parse_reason, "Q.850 ;cause=16 ;text=\"Terminated\"",
              [](const parse_result<reason>& r) {
                ASSERT_TRUE(r);
                EXPECT_TRUE(r->is_q850());
                EXPECT_EQ(r->cause, 16u);
                EXPECT_EQ(r->text, "Terminated");
              });
}

TEST(reason, list_with_folds_and_commas_inside_text) {
  constexpr std::string_view text =
      "SIP;cause=600;text=\"Busy, Everywhere\",\r\n Q.850;cause=17 , x-proto;foo";
  parse_exact(parse_reasons, text, [](const parse_result<reason_list>& r) {
    ASSERT_TRUE(r);
    std::vector<std::string> got;
    for (const reason& x : *r)
      got.push_back(std::string(x.protocol) + "/" + std::to_string(x.cause.value_or(0)) + "/" +
                    std::string(x.text.value_or("-")));
    EXPECT_EQ(got, (strings{"SIP/600/Busy, Everywhere", "Q.850/17/-", "x-proto/0/-"}));
  });
}

TEST(reason, malformed) {
  //                          0123456789012345678901234567890
  expect_error(parse_reasons, "", parse_errc::bad_header_value, 0);
  expect_error(parse_reasons, "SIP;cause=200,", parse_errc::bad_header_value, 14);
  expect_error(parse_reasons, "SIP;cause=200, ,Q.850", parse_errc::bad_header_value, 15);
  expect_error(parse_reasons, "SIP;cause=2x0", parse_errc::bad_param, 10);
  expect_error(parse_reasons, "SIP;cause=99999999999", parse_errc::bad_param, 10);
  expect_error(parse_reasons, "SIP;cause", parse_errc::bad_param, 4);
  expect_error(parse_reasons, "SIP;text=Busy", parse_errc::bad_param, 9);
  expect_error(parse_reasons, "SIP;cause=1;cause=2", parse_errc::bad_param, 12);
  expect_error(parse_reasons, "SIP;cause=1, Q.850;text=\"a\";text=\"b\"", parse_errc::bad_param,
               28);
  expect_error(parse_reasons, "SIP;text=\"open", parse_errc::bad_quoted_string, 9);
  expect_error(parse_reasons, "\"SIP\"", parse_errc::bad_header_value, 0);
}

// ---- Warning ---------------------------------------------------------------

TEST(warning, rfc3261_section_20_43_examples) {
  parse_exact(parse_warnings, "307 isi.edu \"Session parameter 'foo' not understood\"",
              [](const parse_result<warning_list>& r) {
                ASSERT_TRUE(r);
                ASSERT_EQ(r->size(), 1u);
                EXPECT_EQ(r->begin()->code, 307);
                EXPECT_EQ(r->begin()->agent, "isi.edu");
                EXPECT_EQ(r->begin()->text, "Session parameter 'foo' not understood");
              });
  constexpr std::string_view two =
      "301 isi.edu \"Incompatible network address type 'E.164'\",\r\n 370 [2001:db8::1]:5060 \"x, "
      "y\", 399 "
      "192.0.2.1 \"\"";
  parse_exact(parse_warnings, two, [](const parse_result<warning_list>& r) {
    ASSERT_TRUE(r);
    std::vector<std::string> got;
    for (const warning& w : *r)
      got.push_back(std::to_string(w.code) + "|" + std::string(w.agent) + "|" +
                    std::string(w.text));
    EXPECT_EQ(got, (strings{"301|isi.edu|Incompatible network address type 'E.164'",
                            "370|[2001:db8::1]:5060|x, y", "399|192.0.2.1|"}));
  });
  parse_exact(parse_warning, "000 devnull \"a\\\"b\"", [](const parse_result<warning>& r) {
    ASSERT_TRUE(r);
    EXPECT_EQ(r->code, 0);
    EXPECT_EQ(r->text, "a\\\"b");
  });
}

TEST(warning, scalarlg_four_digit_code_fails) {
  // RFC 4475 §3.1.2.5: "The Warning field has a warning-value with more
  // than 3 digits."
  expect_error(parse_warnings, "1812 overture \"In Progress\"", parse_errc::bad_number, 3);
  expect_error(parse_warnings, "399 a \"ok\", 1812 overture \"In Progress\"",
               parse_errc::bad_number, 15);
}

TEST(warning, malformed) {
  //                           01234567890123456789
  expect_error(parse_warnings, "", parse_errc::bad_header_value, 0);
  expect_error(parse_warnings, "39 a \"x\"", parse_errc::bad_number, 2);
  expect_error(parse_warnings, "3a9 a \"x\"", parse_errc::bad_number, 1);
  expect_error(parse_warnings, "399", parse_errc::bad_header_value, 3);
  expect_error(parse_warnings, "399\ta \"x\"", parse_errc::bad_header_value, 3);
  expect_error(parse_warnings, "399  a \"x\"", parse_errc::bad_header_value, 4);
  expect_error(parse_warnings, "399 a", parse_errc::bad_header_value, 5);
  expect_error(parse_warnings, "399 a  \"x\"", parse_errc::bad_header_value, 6);
  expect_error(parse_warnings, "399 a x", parse_errc::bad_header_value, 6);
  expect_error(parse_warnings, "399 a \"x", parse_errc::bad_quoted_string, 6);
  expect_error(parse_warnings, "399 a \"x\" y", parse_errc::bad_header_value, 10);
  expect_error(parse_warnings, "399 [::1 \"x\"", parse_errc::bad_header_value, 4);
  expect_error(parse_warnings, "399 a:99999 \"x\"", parse_errc::bad_header_value, 4);
  expect_error(parse_warnings, "399 a \"x\",", parse_errc::bad_header_value, 10);
}

}  // namespace
}  // namespace sipua
