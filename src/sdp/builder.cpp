// Writes a session description in the RFC 8866 §5 order, CRLF line ends.
#include <string>

#include "text.hpp"

#include "sipua/sdp/session.hpp"

namespace sipua::sdp {
namespace {

// §9 byte-string (may be empty here: s= and attribute values can be).
bool is_text(std::string_view s) noexcept {
  for (char c : s)
    if (c == '\0' || c == '\r' || c == '\n') return false;
  return true;
}

class writer {
 public:
  bool ok = true;

  void line(char type, std::string_view value) {
    if (!is_text(value)) ok = false;
    out_ += type;
    out_ += '=';
    out_ += value;
    out_ += "\r\n";
  }
  // A field that must be a token / non-ws-string (checked, then written).
  std::string& field(std::string_view s, bool token) {
    if (token ? !detail::is_token(s) : !detail::is_non_ws_string(s)) ok = false;
    return scratch_.append(s);
  }
  std::string& scratch() { return scratch_; }
  void flush(char type) {
    line(type, scratch_);
    scratch_.clear();
  }
  std::string take() { return std::move(out_); }

 private:
  std::string out_, scratch_;
};

void write_connection(writer& w, const connection& c) {
  w.field(c.nettype, true) += ' ';
  w.field(c.addrtype, true) += ' ';
  w.field(c.address, false);
  w.flush('c');
}

void write_bandwidths(writer& w, const std::vector<bandwidth>& bs) {
  for (const bandwidth& b : bs) {
    w.field(b.type, true) += ':';
    w.scratch() += std::to_string(b.value);
    w.flush('b');
  }
}

void write_attributes(writer& w, const std::vector<attribute>& as) {
  for (const attribute& a : as) {
    w.field(a.name, true);
    if (a.has_value) w.scratch().append(":").append(a.value);
    w.flush('a');
  }
}

void write_media(writer& w, const media_description& m) {
  w.field(m.media, true) += ' ';
  w.scratch() += std::to_string(m.port);
  if (m.port_count) w.scratch().append("/").append(std::to_string(*m.port_count));
  w.scratch() += ' ';
  w.field(m.proto, false);
  if (m.formats.empty() || (m.port_count && *m.port_count == 0)) w.ok = false;
  for (const std::string& f : m.formats) {
    w.scratch() += ' ';
    w.field(f, true);
  }
  w.flush('m');
  if (m.information) w.line('i', *m.information);
  for (const connection& c : m.connections) write_connection(w, c);
  write_bandwidths(w, m.bandwidths);
  if (m.key) w.line('k', *m.key);
  write_attributes(w, m.attributes);
}

void write_origin(writer& w, const origin& o) {
  w.field(o.username, false) += ' ';
  w.scratch().append(std::to_string(o.sess_id)).append(" ");
  w.scratch().append(std::to_string(o.sess_version)).append(" ");
  w.field(o.nettype, true) += ' ';
  w.field(o.addrtype, true) += ' ';
  w.field(o.address, false);
  w.flush('o');
}

}  // namespace

sdp_result<std::string> build_session(const session_description& sd) {
  writer w;
  if (sd.version != 0 || sd.timings.empty()) return sdp_failure(sdp_errc::bad_field);
  w.line('v', "0");
  write_origin(w, sd.origin);
  w.line('s', sd.name);
  if (sd.information) w.line('i', *sd.information);
  if (sd.uri) w.line('u', *sd.uri);
  for (const std::string& e : sd.emails) w.line('e', e);
  for (const std::string& p : sd.phones) w.line('p', p);
  if (sd.connection) write_connection(w, *sd.connection);
  write_bandwidths(w, sd.bandwidths);
  for (const timing& t : sd.timings) {
    w.scratch().append(std::to_string(t.start)).append(" ").append(std::to_string(t.stop));
    w.flush('t');
    for (const std::string& r : t.repeats) w.line('r', r);
  }
  if (sd.zone) w.line('z', *sd.zone);
  if (sd.key) w.line('k', *sd.key);
  write_attributes(w, sd.attributes);
  for (const media_description& m : sd.media) write_media(w, m);
  if (!w.ok) return sdp_failure(sdp_errc::bad_field);
  return w.take();
}

}  // namespace sipua::sdp
