// The one forward iterator behind the message layer's list views
// (param_list, comma_list, auth_params, uri_words, token_list,
// element_list): each view walks validated text element by element, and
// only the scanning of one element differs. That scanning is a `Step`.
#pragma once

#include <cstddef>
#include <iterator>
#include <string_view>

namespace sipua::detail {

/// Where an iteration stands: the text, the position where the current
/// element's scan started, the position where the next one starts, and the
/// current element. A Step derives from it and adds `load()`.
template <class Value>
class text_cursor {
 public:
  using value_type = Value;

 protected:
  [[nodiscard]] const Value& current() const noexcept { return cur_; }

  std::string_view raw_;
  std::size_t pos_ = 0;
  std::size_t next_ = 0;
  Value cur_{};
};

/// A forward iterator over the elements of a text, scanned by `Step`: a
/// class derived from text_cursor<V> (or from another Step) with a member
///
///     void load() noexcept;  // protected is enough
///
/// that scans the element starting at raw_[pos_] into cur_ and sets next_.
/// At the end of the text it sets pos_ to the value the view's end() uses
/// (and may leave cur_ alone). It may move pos_ forward (past separators)
/// but must keep it strictly increasing from one element to the next:
/// iterators compare by pos_ alone.
///
/// The iterator derives from its Step, so load() works on the iterator's own
/// members exactly as a hand-written iterator's would (no extra arguments,
/// no extra indirection), and a Step that keeps more per-element state can
/// give the iterator accessors (comma_list: offset(), balanced()). A Step
/// may also yield something other than cur_ by declaring its own
/// `value_type` and `current()` (element_list parses comma_list's text).
///
/// operator* returns by value, so no reference into the iterator can
/// dangle: this is a C++20 forward iterator and a legacy input iterator.
/// Elements view the text, which must outlive them (the iterator and the
/// list view need not).
template <class Step>
class text_iterator : public Step {
 public:
  using iterator_concept = std::forward_iterator_tag;
  using iterator_category = std::input_iterator_tag;
  using value_type = typename Step::value_type;
  using difference_type = std::ptrdiff_t;
  using pointer = const value_type*;
  using reference = value_type;

  text_iterator() = default;
  /// The element that starts at raw[pos]; the list's end() when `pos` is
  /// where its Step ends.
  text_iterator(std::string_view raw, std::size_t pos) noexcept {
    this->raw_ = raw;
    this->pos_ = pos;
    this->load();
  }

  value_type operator*() const noexcept { return this->current(); }
  /// Points into this iterator: valid until it changes or goes away.
  pointer operator->() const noexcept { return &this->current(); }
  text_iterator& operator++() noexcept {
    this->pos_ = this->next_;
    this->load();
    return *this;
  }
  text_iterator operator++(int) noexcept {
    auto t = *this;
    ++*this;
    return t;
  }
  friend bool operator==(const text_iterator& a, const text_iterator& b) noexcept {
    return a.pos_ == b.pos_;
  }
};

}  // namespace sipua::detail
