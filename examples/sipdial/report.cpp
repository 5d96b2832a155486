// The reporter (report.hpp).
#include "report.hpp"

#include <cctype>

#include "sipua/message/message.hpp"

namespace sipdial {

std::string json_string(std::string_view s) {
  std::string out = "\"";
  for (const char c : s) {
    const auto u = static_cast<unsigned char>(c);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (u < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", u);
          out += buf;
        } else {
          out += c;  // UTF-8 passes through (RFC 8259 §8.1)
        }
    }
  }
  return out + "\"";
}

std::string protocol_name(sipua::transport_protocol p) {
  std::string out{sipua::via_token(p)};
  for (char& ch : out) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
  return out;
}

reporter::reporter(std::FILE* out, bool json, bool full)
    : out_(out), json_(json), full_(full), ladder_(out) {}

sipua::trace_hook reporter::hook() {
  return [this](const sipua::trace_event& e) { message(e); };
}

void reporter::self(const sipua::socket_address& address) { ladder_.name(address, "me"); }

response_line received_response(const sipua::trace_event& e) {
  response_line out;
  if (e.dir != sipua::trace_event::direction::received) return out;
  sipua::message m;
  if (sipua::parse_datagram(e.bytes, m) || !m.is_response()) return out;
  const auto cs = m.cseq();
  if (!cs) return out;
  out.status = m.status_code();
  out.method = cs->method_name;
  return out;
}

void reporter::message(const sipua::trace_event& e) {
  for (const auto& w : watchers_) w(e);
  const bool sent = e.dir == sipua::trace_event::direction::sent;
  if (!json_) {
    if (sent) {
      ladder_.sent(e, full_);
    } else {
      ladder_.received(e, full_);
    }
    return;
  }
  const std::string what = summary(e.bytes);
  const std::string peer = e.peer.to_string();
  const bool sdp = e.bytes.find("\r\n\r\nv=0") != std::string_view::npos;
  const std::string protocol = protocol_name(e.protocol);
  std::fprintf(out_, "{\"t\":%.3f,\"event\":\"%s\",\"transport\":%s,\"peer\":%s,\"message\":%s",
               seconds(), sent ? "sent" : "received", json_string(protocol).c_str(),
               json_string(peer).c_str(), json_string(what).c_str());
  if (sdp) std::fputs(",\"sdp\":true", out_);
  if (e.retransmission) std::fputs(",\"retransmission\":true", out_);
  if (full_) std::fprintf(out_, ",\"text\":%s", json_string(e.bytes).c_str());
  std::fputs("}\n", out_);
  std::fflush(out_);
}

void reporter::event(std::string_view name, std::string_view text,
                     std::initializer_list<field> fields) {
  if (!json_) {
    if (!text.empty()) ladder_.note(text);
    return;
  }
  std::fprintf(out_, "{\"t\":%.3f,\"event\":%s", seconds(), json_string(name).c_str());
  for (const field& f : fields) {
    std::fprintf(out_, ",%s:", json_string(f.name).c_str());
    if (const auto* s = std::get_if<std::string_view>(&f.value)) {
      std::fputs(json_string(*s).c_str(), out_);
    } else if (const auto* i = std::get_if<long long>(&f.value)) {
      std::fprintf(out_, "%lld", *i);
    } else if (const auto* d = std::get_if<double>(&f.value)) {
      std::fprintf(out_, "%.3f", *d);
    } else {
      std::fputs(std::get<bool>(f.value) ? "true" : "false", out_);
    }
  }
  std::fputs("}\n", out_);
  std::fflush(out_);
}

}  // namespace sipdial
