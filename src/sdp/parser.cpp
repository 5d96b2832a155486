// The SDP body parser: lines, their order (RFC 8866 §5) and the limits.
#include <string_view>

#include "fields.hpp"
#include "text.hpp"

#include "sipua/sdp/session.hpp"

namespace sipua::sdp {
namespace {

using detail::offset_in;

struct line {
  char type = 0;
  std::string_view value;  // view into the body
  std::size_t offset = 0;  // of the type letter
};

// Cuts the body into lines. §5: lines end in CRLF; parsers should accept a
// bare LF too. The last line may lack its line end; empty lines may only
// trail the body.
class line_reader {
 public:
  line_reader(std::string_view body, const sdp_limits& limits) : body_(body), limits_(limits) {}

  // Reads the next line into `out`; returns false at the end. On error,
  // `error` is set.
  bool next(line& out, sdp_error& error) {
    if (pos_ >= body_.size() || error) return false;
    const std::size_t start = pos_;
    auto nl = body_.find('\n', start);
    std::size_t end = nl == std::string_view::npos ? body_.size() : nl;
    pos_ = nl == std::string_view::npos ? body_.size() : nl + 1;
    if (end > start && body_[end - 1] == '\r') --end;
    const std::string_view text = body_.substr(start, end - start);
    if (text.empty()) return trailing_blank(start, error);
    if (++count_ > limits_.max_lines) {
      error = {sdp_errc::too_many_lines, start};
      return false;
    }
    // §9 byte-string: no NUL, CR or LF inside a line.
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == '\0' || text[i] == '\r') {
        error = {sdp_errc::bad_line, start + i};
        return false;
      }
    }
    if (text.size() < 2 || text[1] != '=') {
      error = {sdp_errc::bad_line, start};
      return false;
    }
    out = line{text[0], text.substr(2), start};
    return true;
  }

 private:
  // An empty line: fine only if nothing but line ends follows.
  bool trailing_blank(std::size_t start, sdp_error& error) {
    for (std::size_t i = start; i < body_.size(); ++i) {
      if (body_[i] != '\r' && body_[i] != '\n') {
        error = {sdp_errc::bad_line, start};
        return false;
      }
    }
    pos_ = body_.size();
    return false;
  }

  std::string_view body_;
  const sdp_limits& limits_;
  std::size_t pos_ = 0;
  std::size_t count_ = 0;
};

bool known_type(char t) noexcept {
  return std::string_view("vosiuepcbtrzkam").find(t) != std::string_view::npos;
}

// Position of each session-level line type in the §5 order; r= shares t='s.
int session_rank(char t) noexcept {
  switch (t) {
    case 'v': return 0;
    case 'o': return 1;
    case 's': return 2;
    case 'i': return 3;
    case 'u': return 4;
    case 'e': return 5;
    case 'p': return 6;
    case 'c': return 7;
    case 'b': return 8;
    case 't':
    case 'r': return 9;
    case 'z': return 10;
    case 'k': return 11;
    case 'a': return 12;
    default: return -1;
  }
}

bool repeatable_in_session(char t) noexcept {
  return t == 'e' || t == 'p' || t == 'b' || t == 't' || t == 'r' || t == 'a';
}

// Position in a media description (§5: m i c* b* k? a*); -1: not allowed.
int media_rank(char t) noexcept {
  switch (t) {
    case 'm': return 0;
    case 'i': return 1;
    case 'c': return 2;
    case 'b': return 3;
    case 'k': return 4;
    case 'a': return 5;
    default: return -1;
  }
}

// The model defaults to one t= line (for building); a parsed body has
// exactly the t= lines it contains.
session_description empty_description() {
  session_description sd;
  sd.timings.clear();
  return sd;
}

class parser {
 public:
  parser(std::string_view body, const sdp_limits& limits) : body_(body), limits_(limits) {}

  sdp_result<session_description> run() {
    line_reader reader(body_, limits_);
    line l;
    sdp_error error;
    std::size_t n = 0;
    while (reader.next(l, error)) {
      if (!known_type(l.type)) return sdp_failure(sdp_errc::unknown_type, l.offset);
      if (auto e = header_line(n++, l)) return unexpected<sdp_error>{e};
      if (auto e = l.type == 'm' || in_media_ ? media_line(l) : session_line(l))
        return unexpected<sdp_error>{e};
    }
    if (error) return unexpected<sdp_error>{error};
    if (n == 0) return sdp_failure(sdp_errc::empty, 0);
    if (n < 3)
      return sdp_failure(n == 1 ? sdp_errc::missing_origin : sdp_errc::missing_name, body_.size());
    if (sd_.timings.empty()) return sdp_failure(sdp_errc::missing_timing, body_.size());
    return std::move(sd_);
  }

 private:
  // §5: the description starts v=, o=, s= in that order.
  sdp_error header_line(std::size_t index, const line& l) const {
    static constexpr char expected[] = {'v', 'o', 's'};
    static constexpr sdp_errc missing[] = {sdp_errc::missing_version, sdp_errc::missing_origin,
                                           sdp_errc::missing_name};
    if (index < 3 && l.type != expected[index]) return {missing[index], l.offset};
    return {};
  }

  sdp_error session_line(const line& l) {
    const int rank = session_rank(l.type);
    const bool repeat = rank == rank_ && !repeatable_in_session(l.type);
    // r= only right after its t= (or another r=).
    if (rank < rank_ || repeat || (l.type == 'r' && last_ != 't' && last_ != 'r'))
      return {sdp_errc::unexpected_line, l.offset};
    rank_ = rank;
    last_ = l.type;
    return store_session(l);
  }

  sdp_error store_session(const line& l) {
    const std::string value(l.value);
    switch (l.type) {
      case 'v':
        if (l.value != "0") return {sdp_errc::bad_version, offset_in(body_, l.value)};
        return {};
      case 'o': return assign(detail::parse_origin_value(body_, l.value), sd_.origin);
      case 's': sd_.name = value; return {};
      case 'i': sd_.information = value; return {};
      case 'u': sd_.uri = value; return {};
      case 'e': sd_.emails.push_back(value); return {};
      case 'p': sd_.phones.push_back(value); return {};
      case 'c': return assign(detail::parse_connection_value(body_, l.value), sd_.connection);
      case 'b': return append(detail::parse_bandwidth_value(body_, l.value), sd_.bandwidths);
      case 't': return append(detail::parse_timing_value(body_, l.value), sd_.timings);
      case 'r': sd_.timings.back().repeats.push_back(value); return {};
      case 'z': sd_.zone = value; return {};
      case 'k': sd_.key = value; return {};
      default: return append(detail::parse_attribute_value(body_, l.value), sd_.attributes);
    }
  }

  sdp_error media_line(const line& l) {
    if (l.type == 'm') {
      if (sd_.timings.empty()) return {sdp_errc::missing_timing, l.offset};
      if (sd_.media.size() >= limits_.max_media) return {sdp_errc::too_many_media, l.offset};
      auto m = detail::parse_media_value(body_, l.value, limits_.max_formats);
      if (!m) return m.error();
      sd_.media.push_back(std::move(*m));
      in_media_ = true;
      media_rank_ = 0;
      return {};
    }
    const int rank = media_rank(l.type);
    const bool repeat = rank == media_rank_ && (l.type == 'i' || l.type == 'k');
    if (rank < media_rank_ || repeat) return {sdp_errc::unexpected_line, l.offset};
    media_rank_ = rank;
    media_description& m = sd_.media.back();
    switch (l.type) {
      case 'i': m.information = std::string(l.value); return {};
      case 'c': return append(detail::parse_connection_value(body_, l.value), m.connections);
      case 'b': return append(detail::parse_bandwidth_value(body_, l.value), m.bandwidths);
      case 'k': m.key = std::string(l.value); return {};
      default: return append(detail::parse_attribute_value(body_, l.value), m.attributes);
    }
  }

  template <class T, class U>
  static sdp_error assign(sdp_result<T>&& r, U& out) {
    if (!r) return r.error();
    out = std::move(*r);
    return {};
  }
  template <class T>
  static sdp_error append(sdp_result<T>&& r, std::vector<T>& out) {
    if (!r) return r.error();
    out.push_back(std::move(*r));
    return {};
  }

  std::string_view body_;
  const sdp_limits& limits_;
  session_description sd_ = empty_description();
  bool in_media_ = false;
  int rank_ = -1;
  char last_ = 0;
  int media_rank_ = 0;
};

}  // namespace

sdp_result<session_description> parse_session(std::string_view body, const sdp_limits& limits) {
  if (body.size() > limits.max_size) return sdp_failure(sdp_errc::too_large, limits.max_size);
  return parser(body, limits).run();
}

}  // namespace sipua::sdp
