// The registrar's text helpers: the AOR canonical form (RFC 3261 §10.3
// step 5), the SIP-date (§20.17), the Contact values of a 200 (§10.3
// step 8) and the responses it sends.
#include <chrono>
#include <cstdio>
#include <functional>
#include <string>

#include "registrar_impl.hpp"

#include "sipua/message/builder.hpp"
#include "sipua/message/detail/chars.hpp"
#include "sipua/message/error.hpp"
#include "sipua/message/uri.hpp"
#include "sipua/transport/routing.hpp"

namespace sipua {

result<std::string, std::error_code> canonical_aor(std::string_view uri_text) {
  const auto u = parse_uri(uri_text);
  if (!u || (u->scheme != uri_scheme::sip && u->scheme != uri_scheme::sips)) {
    return unexpected{make_error_code(parse_errc::bad_uri)};
  }
  // §10.3 step 5: every URI parameter removed (user-param included) and the
  // escapes decoded. Scheme and host compare case-insensitively (§19.1.4),
  // so they are lowered; the user is case-sensitive. A decoded character
  // that may not stand unescaped in a URI is escaped again, in one spelling
  // (%HH, upper case), so that the key is itself a URI and canonical_aor()
  // of it gives it back (lookup() takes either).
  const sip_uri& s = u->sip;
  std::string out = s.secure ? "sips:" : "sip:";
  if (s.has_user) {
    static constexpr char hex[] = "0123456789ABCDEF";
    for (const char ch : unescape(s.user)) {
      if (detail::is(ch, detail::cc_unreserved)) {
        out.push_back(ch);
      } else {
        const auto b = static_cast<unsigned char>(ch);
        out.append(1, '%').append(1, hex[b >> 4U]).append(1, hex[b & 0xfU]);
      }
    }
    out.append(1, '@');
  }
  for (const char ch : s.host) out.push_back(detail::to_lower(ch));
  if (s.port) out.append(1, ':').append(std::to_string(*s.port));
  return out;
}

std::string format_sip_date(std::chrono::system_clock::time_point t) {
  using namespace std::chrono;
  static constexpr const char* day_names[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
  static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                           "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  const auto secs = floor<seconds>(t);
  const auto day = floor<std::chrono::days>(secs);
  const year_month_day ymd{day};
  const hh_mm_ss<seconds> hms{secs - day};
  const weekday wd{day};
  char buf[40];
  std::snprintf(buf, sizeof buf, "%s, %02u %s %04d %02d:%02d:%02d GMT", day_names[wd.c_encoding()],
                static_cast<unsigned>(ymd.day()), months[static_cast<unsigned>(ymd.month()) - 1],
                static_cast<int>(ymd.year()), static_cast<int>(hms.hours().count()),
                static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()));
  return buf;
}

namespace detail {

std::string q_text(std::uint16_t q) {
  // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )  (§25.1)
  if (q >= 1000) return "1";
  char buf[8];
  std::snprintf(buf, sizeof buf, "0.%03u", static_cast<unsigned>(q));
  std::string s = buf;
  while (s.back() == '0') s.pop_back();
  if (s.back() == '.') s.pop_back();
  return s;
}

std::string contact_value(const binding& b, binding::time_point now) {
  // §10.3 step 8: each Contact value carries the expires the registrar
  // chose; what is left of it now, rounded up so that a live binding never
  // shows 0 (0 means "removed" to the UA, §10.2.4).
  const auto left = b.expires_at - now;
  auto secs = std::chrono::ceil<std::chrono::seconds>(left).count();
  if (secs < 1) secs = 1;
  std::string v = "<" + b.contact + ">;expires=" + std::to_string(secs);
  if (b.q) v += ";q=" + q_text(*b.q);
  v += b.params;
  return v;
}

std::string respond(const inbound_message& in, int status, std::string_view reason,
                    const std::vector<response_field>& fields, std::string_view tag,
                    std::string_view server) {
  const message& m = in.message;
  // §18.2.1 / RFC 3581 §4: the top Via gets received / rport, as the UA
  // core's responses do (ua_core::impl::respond).
  const auto top = top_via_for_response(m.value(header_id::via), in.origin);
  response_builder b = top ? build_response(m, response_top_via{*top}, status, reason, tag)
                           : build_response(m, status, reason, tag);
  // §10.3: never a Record-Route in a response to REGISTER (build_response
  // copies none).
  for (const response_field& f : fields) b.header(f.id, f.value);
  if (!server.empty()) b.header(header_id::server, server);
  auto bytes = b.build();
  return bytes ? std::move(*bytes) : std::string{};
}

}  // namespace detail
}  // namespace sipua
