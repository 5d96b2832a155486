// Per-vector checks beyond the key fields: what each RFC 4475 / RFC 5118
// test is about (escapes, folded values, IPv6 references ...). Each takes a
// message that parsed and validated and makes gtest EXPECTs on it.
#pragma once

#include "sipua/message/message.hpp"

namespace sipua::conformance::extras {

void wsinv(const message& m);
void intmeth(const message& m);
void esc01(const message& m);
void escnull(const message& m);
void esc02(const message& m);
void lwsdisp(const message& m);
void longreq(const message& m);
void dblreq(const message& m);
void semiuri(const message& m);
void transports(const message& m);
void mpart01(const message& m);
void unreason(const message& m);
void noreason(const message& m);
void regaut01(const message& m);
void cparam01(const message& m);
void cparam02(const message& m);
void regescrt(const message& m);
void inv2543(const message& m);

void ipv6_good(const message& m);
void port_ambiguous(const message& m);
void port_unambiguous(const message& m);
void received_with_delim(const message& m);
void received_no_delim(const message& m);
void ipv6_in_sdp(const message& m);
void mult_ip_in_header(const message& m);
void mult_ip_in_sdp(const message& m);
void ipv4_mapped_ipv6(const message& m);

}  // namespace sipua::conformance::extras
