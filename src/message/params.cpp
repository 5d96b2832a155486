#include "sipua/message/params.hpp"

#include "typed_util.hpp"

#include "sipua/message/detail/chars.hpp"

namespace sipua {

using detail::cc_lws;
using detail::cc_token;
using detail::is;
using detail::skip_lws;

void detail::param_step::load() noexcept {
  // raw_ is validated: SEMI name [EQUAL value] ...
  std::size_t i = skip_lws(raw_, pos_);
  if (i >= raw_.size()) {
    pos_ = next_ = raw_.size();
    return;
  }
  if (raw_[i] == ';') i = skip_lws(raw_, i + 1);
  const std::size_t name_begin = i;
  while (i < raw_.size() && raw_[i] != '=' && raw_[i] != ';' && !is(raw_[i], cc_lws)) ++i;
  cur_ = param{raw_.substr(name_begin, i - name_begin), {}, false};
  i = skip_lws(raw_, i);
  if (i < raw_.size() && raw_[i] == '=') {
    i = skip_lws(raw_, i + 1);
    const std::size_t vb = i;
    if (i < raw_.size() && raw_[i] == '"') {
      const std::size_t q = detail::skip_quoted(raw_, i);
      i = q == detail::npos ? raw_.size() : q;
    } else {
      while (i < raw_.size() && raw_[i] != ';' && !is(raw_[i], cc_lws)) ++i;
    }
    cur_.value = raw_.substr(vb, i - vb);
    cur_.has_value = true;
  }
  next_ = i;
  // Keep pos_ strictly increasing so that begin() != end() while a
  // parameter is current.
}

std::optional<param> param_list::find(std::string_view name) const noexcept {
  // Through operator->, which points at the iterator's own element:
  // operator* (and so range-for) would copy each one out first.
  for (auto it = begin(), e = end(); it != e; ++it) {
    const param* p = it.operator->();
    if (detail::iequals(p->name, name)) return *p;
  }
  return std::nullopt;
}

namespace detail {

std::size_t scan_generic_params(std::string_view s, std::size_t i) noexcept {
  std::size_t err = 0;
  return for_each_generic_param(s, i, err, [](const param&, bool) { return true; });
}

std::size_t find_list_comma(std::string_view s, std::size_t i) noexcept {
  while (i < s.size()) {
    const char c = s[i];
    if (c == ',') return i;
    if (c == '"') {
      i = skip_quoted(s, i);
      if (i == npos) return npos;
      continue;
    }
    if (c == '<') {
      const std::size_t gt = s.find('>', i);
      if (gt == std::string_view::npos) return npos;
      i = gt + 1;
      continue;
    }
    ++i;
  }
  return s.size();
}

}  // namespace detail

void detail::comma_step::load() noexcept {
  if (pos_ > raw_.size()) return;
  std::size_t comma = detail::find_list_comma(raw_, pos_);
  balanced_ = comma != detail::npos;
  if (!balanced_) comma = raw_.size();
  std::size_t b = skip_lws(raw_, pos_);
  std::size_t e = comma;
  while (e > b && is(raw_[e - 1], cc_lws)) --e;
  if (b > e) b = e;
  off_ = b;
  cur_ = raw_.substr(b, e - b);
  next_ = comma + 1;
}

}  // namespace sipua
