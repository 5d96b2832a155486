// The "sipua.dialog" error category.
#include <string>

#include "sipua/dialog/dialog.hpp"

namespace sipua {

namespace {

class dialog_category_impl final : public std::error_category {
 public:
  const char* name() const noexcept override { return "sipua.dialog"; }
  std::string message(int ev) const override {
    switch (static_cast<dialog_errc>(ev)) {
      case dialog_errc::ok: return "ok";
      case dialog_errc::missing_header: return "Call-ID, From, To or CSeq missing or malformed";
      case dialog_errc::missing_tag: return "the tag that creates the dialog is missing";
      case dialog_errc::missing_contact: return "no usable Contact in a dialog-creating message";
      case dialog_errc::bad_contact: return "Contact is \"*\", several, or does not parse";
      case dialog_errc::bad_record_route: return "a Record-Route element does not parse";
      case dialog_errc::not_in_dialog: return "the message does not belong to this dialog";
      case dialog_errc::out_of_order: return "CSeq lower than the remote sequence number";
      case dialog_errc::not_a_final_2xx: return "not a 2xx response";
    }
    return "unknown dialog error";
  }
};

}  // namespace

const std::error_category& dialog_category() noexcept {
  static const dialog_category_impl category;
  return category;
}

}  // namespace sipua
