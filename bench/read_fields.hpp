// What the parse benchmark reads after parsing: the fields a UA
// needs to route a message to its transaction and dialog.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "sipua/message/message.hpp"

namespace sipua::bench {

struct key_fields {
  int method_or_status = 0;
  std::string_view call_id;
  std::uint32_t cseq = 0;
  std::string_view cseq_method;
  std::string_view branch;
  std::string_view from_tag;
  std::string_view to_tag;
  std::size_t body_length = 0;
  bool ok = false;
};

/// Parses `data` into `m` and reads method or status, Call-ID, CSeq number
/// and method, top Via branch, From tag, To tag and body length.
inline key_fields parse_and_read(std::string_view data, message& m) {
  key_fields k;
  if (parse_datagram(data, m)) return k;
  k.method_or_status = m.is_request() ? static_cast<int>(m.method()) : m.status_code();
  k.call_id = m.call_id();
  auto cs = m.cseq();
  auto via = m.top_via();
  auto from = m.from();
  auto to = m.to();
  if (!cs || !via || !from || !to) return k;
  k.cseq = cs->number;
  k.cseq_method = cs->method_name;
  k.branch = via->branch;
  k.from_tag = from->tag();
  k.to_tag = to->tag();
  k.body_length = m.body().size();
  k.ok = true;
  return k;
}

}  // namespace sipua::bench
