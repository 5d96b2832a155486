// Matching (RFC 3261 §17.1.3, §17.2.3 with the RFC 2543 fallback,
// §8.2.2.2 merged requests): the keys, and the maps from keys to records.
// Keys view into each transaction's own request buffer, so they stay valid
// exactly as long as the transaction is indexed.
#include <string>

#include "layer_impl.hpp"

#include "sipua/message/params.hpp"

namespace sipua::detail {
namespace {

constexpr std::string_view k_magic_cookie = "z9hG4bK";  // RFC 3261 §8.1.1.7

std::size_t mix(std::size_t h, std::size_t v) noexcept {
  return h ^ (v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2));
}

std::size_t hash_view(std::string_view v) noexcept { return std::hash<std::string_view>{}(v); }

bool has_cookie(std::string_view branch) noexcept {
  return branch.size() > k_magic_cookie.size() && branch.substr(0, 7) == k_magic_cookie;
}

/// The method a request matches under: ACK matches its INVITE (§17.2.3).
method_key match_method(method_key m) noexcept {
  if (m.id == sipua::method::ack) return {sipua::method::invite, {}};
  return m;
}

server_key server_key_of(const via& top, method_key m) noexcept {
  return make_server_key(top.branch, top.host, top.port ? *top.port : 0x10000u, m);
}

std::size_t hash_method(const method_key& m) noexcept {
  return mix(static_cast<std::size_t>(m.id), m.token.empty() ? 0 : hash_view(m.token));
}

/// RFC 3261 §17.2.3 for requests without the magic cookie: Request-URI,
/// From tag, Call-ID, CSeq number, the top Via and the method class (ACK
/// as INVITE). The To tag is checked after the look-up (it differs between
/// an INVITE and its ACK).
std::string legacy_key_of(const message& m, const request_info& r, method_key method) {
  std::string key;
  key.reserve(m.request_uri().size() + r.call_id.size() + r.top.host.size() + 64);
  key.append(m.request_uri()).push_back('\n');
  key.append(r.from_tag).push_back('\n');
  key.append(r.call_id).push_back('\n');
  key.append(std::to_string(r.cseq)).push_back('\n');
  key.append(r.top.host).push_back('\n');
  key.append(std::to_string(r.top.port.value_or(0))).push_back('\n');
  key.append(r.top.branch).push_back('\n');
  const method_key mm = match_method(method);
  key.append(std::to_string(static_cast<int>(mm.id))).append(mm.token);
  return key;
}

}  // namespace

std::optional<request_info> read_request(const message& m) noexcept {
  auto top = m.top_via();
  auto from = m.from();
  auto to = m.to();
  auto cs = m.cseq();
  if (!top || !from || !to || !cs || m.call_id().empty()) return std::nullopt;
  request_info r;
  r.top = *top;
  r.from_tag = from->tag_value;
  r.to_tag = to->tag_value;
  r.call_id = m.call_id();
  r.cseq = cs->number;
  r.method = method_of(m);
  return r;
}

method_key method_of(const message& m) noexcept {
  if (m.method() == sipua::method::extension) return {m.method(), m.method_name()};
  return {m.method(), {}};
}

method_key cseq_method(const cseq& c) noexcept {
  if (c.method == sipua::method::extension) return {c.method, c.method_name};
  return {c.method, {}};
}

client_key make_client_key(std::string_view branch, method_key method) noexcept {
  return {mix(hash_view(branch), hash_method(method)), branch, method};
}

server_key make_server_key(std::string_view branch, std::string_view host, std::uint32_t port,
                           method_key method) noexcept {
  method = match_method(method);
  const std::size_t h =
      mix(mix(hash_view(branch), hash_view(host)), mix(port, hash_method(method)));
  return {h, branch, host, port, method};
}

merge_key make_merge_key(std::string_view from_tag, std::string_view call_id, std::uint32_t cseq,
                         method_key method) noexcept {
  const std::size_t h =
      mix(mix(hash_view(from_tag), hash_view(call_id)), mix(cseq, hash_method(method)));
  return {h, from_tag, call_id, cseq, method};
}

}  // namespace sipua::detail

namespace sipua {

using detail::client_key;
using detail::merge_key;
using detail::no_slot;
using detail::server_key;

namespace {
/// Records the keys of a transaction's request (views into its buffer).
void remember_keys(detail::transaction& t, const detail::request_info& r) {
  t.branch = r.top.branch;
  t.sent_by_host = r.top.host;
  t.sent_by_port = r.top.port ? *r.top.port : 0x10000u;
  t.method = r.method;
  t.from_tag = r.from_tag;
  t.call_id = r.call_id;
  t.cseq = r.cseq;
}
}  // namespace

namespace {

bool is_client(const detail::transaction& t) noexcept {
  return t.kind == transaction_kind::client_invite || t.kind == transaction_kind::client_non_invite;
}

// Key comparisons against a record's own fields (they view its request).
bool same_client(const detail::transaction& t, const client_key& k) noexcept {
  return is_client(t) && t.branch == k.branch && t.method == k.method;
}
bool same_server(const detail::transaction& t, const server_key& k) noexcept {
  return !is_client(t) && !t.rfc2543 && t.branch == k.branch && t.sent_by_host == k.host &&
         t.sent_by_port == k.port && detail::match_method(t.method) == k.method;
}
bool same_merge(const detail::transaction& t, const merge_key& k) noexcept {
  return t.merge_keyed && t.from_tag == k.from_tag && t.call_id == k.call_id && t.cseq == k.cseq &&
         t.method == k.method;
}

}  // namespace

std::uint32_t transaction_layer::impl::find_client(const client_key& k) const {
  const std::uint32_t slot =
      clients.find(k.hash, [&](std::uint32_t s) { return same_client(slots[s], k); });
  return slot == detail::slot_index::none ? no_slot : slot;
}

void transaction_layer::impl::index_client(std::uint32_t slot, const detail::request_info& r) {
  detail::transaction& t = slots[slot];
  remember_keys(t, r);
  t.match_hash = detail::make_client_key(t.branch, t.method).hash;
  clients.insert(t.match_hash, slot);
}

void transaction_layer::impl::index_server(std::uint32_t slot, const message& request,
                                           const detail::request_info& r) {
  detail::transaction& t = slots[slot];
  remember_keys(t, r);
  if (detail::has_cookie(r.top.branch)) {
    t.match_hash = detail::server_key_of(r.top, t.method).hash;
    servers.insert(t.match_hash, slot);
  } else {
    t.rfc2543 = true;
    t.more().legacy_key = detail::legacy_key_of(request, r, t.method);
    legacy_servers.emplace(t.extra->legacy_key, slot);
  }
  // §8.2.2.2: only requests outside a dialog (no To tag) can be merged;
  // the first transaction with a key keeps it.
  if (config.answer_merged_requests && r.to_tag.empty() && t.method.id != sipua::method::ack) {
    const merge_key k = detail::make_merge_key(t.from_tag, t.call_id, t.cseq, t.method);
    const std::uint32_t other =
        merges.find(k.hash, [&](std::uint32_t s) { return same_merge(slots[s], k); });
    if (other == detail::slot_index::none) {
      t.merge_hash = k.hash;
      t.merge_keyed = true;
      merges.insert(k.hash, slot);
    }
  }
}

transaction_layer::impl::peer_key transaction_layer::impl::peer_of(
    const detail::transaction& t) const noexcept {
  if (is_client(t)) return {t.protocol, t.address};
  return {t.origin.protocol, t.origin.peer};
}

void transaction_layer::impl::list_peer(std::uint32_t slot) {
  detail::transaction& t = slots[slot];
  auto [it, fresh] = peer_lists.try_emplace(peer_of(t), slot);
  if (!fresh) {
    t.peer_next = it->second;
    slots[it->second].peer_prev = slot;
    it->second = slot;
  }
  t.peer_listed = true;
}

void transaction_layer::impl::unlist_peer(std::uint32_t slot) {
  detail::transaction& t = slots[slot];
  if (!t.peer_listed) return;
  if (t.peer_next != no_slot) slots[t.peer_next].peer_prev = t.peer_prev;
  if (t.peer_prev != no_slot) {
    slots[t.peer_prev].peer_next = t.peer_next;
  } else {
    auto it = peer_lists.find(peer_of(t));
    if (it != peer_lists.end()) {
      if (t.peer_next == no_slot) {
        peer_lists.erase(it);
      } else {
        it->second = t.peer_next;
      }
    }
  }
  t.peer_prev = t.peer_next = no_slot;
  t.peer_listed = false;
}

void transaction_layer::impl::unindex(std::uint32_t slot) {
  unlist_peer(slot);
  detail::transaction& t = slots[slot];
  if (is_client(t)) {
    clients.erase(t.match_hash, slot);
    return;
  }
  if (t.rfc2543) {
    auto it = legacy_servers.find(t.extra->legacy_key);
    if (it != legacy_servers.end() && it->second == slot) legacy_servers.erase(it);
  } else {
    servers.erase(t.match_hash, slot);
  }
  if (t.merge_keyed) merges.erase(t.merge_hash, slot);
}

std::uint32_t transaction_layer::impl::match_response(const message& response) const {
  auto top = response.top_via();
  auto cs = response.cseq();
  if (!top || !cs) return no_slot;
  return find_client(detail::make_client_key(top->branch, detail::cseq_method(*cs)));
}

std::uint32_t transaction_layer::impl::match_request(const message& request,
                                                     const detail::request_info& r,
                                                     const detail::method_key* as_method) const {
  const detail::method_key method = as_method ? *as_method : r.method;
  if (detail::has_cookie(r.top.branch)) {
    const server_key k = detail::server_key_of(r.top, method);
    const std::uint32_t slot =
        servers.find(k.hash, [&](std::uint32_t s) { return same_server(slots[s], k); });
    return slot == detail::slot_index::none ? no_slot : slot;
  }
  auto it = legacy_servers.find(detail::legacy_key_of(request, r, method));
  if (it == legacy_servers.end()) return no_slot;
  // The To tag: an ACK carries our response's; a retransmission the
  // original's (§17.2.3).
  const detail::transaction& t = slots[it->second];
  if (method.id == sipua::method::ack) {
    return r.to_tag == t.extra->response_to_tag ? it->second : no_slot;
  }
  auto original = parse_datagram(t.text);
  if (!original) return no_slot;
  auto original_to = original->to();
  const std::string_view original_tag = original_to ? original_to->tag_value : std::string_view{};
  return r.to_tag == original_tag ? it->second : no_slot;
}

std::uint32_t transaction_layer::impl::match_merged(const detail::request_info& r) const {
  if (!config.answer_merged_requests || !r.to_tag.empty()) return no_slot;
  const merge_key k = detail::make_merge_key(r.from_tag, r.call_id, r.cseq, r.method);
  const std::uint32_t slot =
      merges.find(k.hash, [&](std::uint32_t s) { return same_merge(slots[s], k); });
  return slot == detail::slot_index::none ? no_slot : slot;
}

}  // namespace sipua
