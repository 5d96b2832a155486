// The typed accessors of message: parse the first field of a kind on use and
// place any error in the whole datagram (header name, offset from the start
// of the buffer, status by direction).
#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"
#include "sipua/message/message.hpp"

namespace sipua {
namespace {

// tag-param = "tag" EQUAL token (RFC 3261 §25.1, From and To).
parse_error parse_from_to(std::string_view value, name_addr& out) noexcept {
  return detail::parse_name_addr_into(value, true, out);
}

// The first via-parm of a Via field value: parsed in place up to the ','
// that ends it (or the end), without splitting the list first.
parse_error parse_top_via(std::string_view value, via& v) noexcept {
  parse_error err;
  const std::size_t end = detail::parse_via_at(value, 0, v, err);
  if (end == detail::npos) return err;
  const std::size_t rest = detail::skip_lws(value, end);
  if (rest != value.size() && value[rest] != ',')
    return make_parse_error(parse_errc::bad_header_value, rest);
  return {};
}

}  // namespace

// Parses into the result object itself, so the value is built once and
// returned without a copy (one named result on every path).
template <class T, class F>
parse_result<T> message::typed_first(header_id id, F&& parse) const noexcept {
  parse_result<T> r{T{}};
  const header_field* f = find(id);
  if (f == nullptr) {
    r = unexpected{
        parse_error{parse_errc::missing_header, 0, header_name(id), is_request_ ? 400 : 0}};
    return r;
  }
  parse_error e = parse(f->value, *r);
  if (e) [[unlikely]] {
    // Views of the value point into the buffer parse_datagram was given.
    const char* base = base_ != nullptr ? base_ : bytes_.data();
    e.offset += static_cast<std::size_t>(f->value.data() - base);
    e.header = f->name;
    e.status = is_request_ ? e.status : 0;
    r = unexpected{e};
  }
  return r;
}

parse_result<via> message::top_via() const noexcept {
  return typed_first<via>(header_id::via, parse_top_via);
}

parse_result<name_addr> message::from() const noexcept {
  return typed_first<name_addr>(header_id::from, parse_from_to);
}

parse_result<name_addr> message::to() const noexcept {
  return typed_first<name_addr>(header_id::to, parse_from_to);
}

parse_result<sipua::cseq> message::cseq() const noexcept {
  return typed_first<sipua::cseq>(header_id::cseq, detail::parse_cseq_into);
}

}  // namespace sipua
