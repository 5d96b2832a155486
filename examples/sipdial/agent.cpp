// sipdial's UserAgent set-up (agent.hpp).
#include "agent.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <optional>

#include "registration.hpp"

#include "sipua/message/uri.hpp"

namespace sipdial {

sipua::result<sipua::transport_protocol, std::string> transport_of(const options& o) {
  if (o.transport == "udp") return sipua::transport_protocol::udp;
  if (o.transport == "tcp") return sipua::transport_protocol::tcp;
  if (o.transport == "tls") return sipua::transport_protocol::tls;
  return sipua::unexpected{"--transport must be udp, tcp or tls, not " + o.transport};
}

namespace {

/// The source address the OS would use towards `to` (a UDP socket's
/// connect() only picks the route; no packet leaves).
std::optional<sipua::ip_address> source_towards(const sipua::ip_address& to) {
  const std::string text = to.to_string();
  sockaddr_storage ss{};
  socklen_t len = 0;
  if (to.is_v4()) {
    auto* sa = reinterpret_cast<sockaddr_in*>(&ss);
    sa->sin_family = AF_INET;
    sa->sin_port = htons(9);
    if (inet_pton(AF_INET, text.c_str(), &sa->sin_addr) != 1) return std::nullopt;
    len = sizeof(sockaddr_in);
  } else {
    auto* sa = reinterpret_cast<sockaddr_in6*>(&ss);
    sa->sin6_family = AF_INET6;
    sa->sin6_port = htons(9);
    if (inet_pton(AF_INET6, text.c_str(), &sa->sin6_addr) != 1) return std::nullopt;
    len = sizeof(sockaddr_in6);
  }
  const int fd = ::socket(ss.ss_family, SOCK_DGRAM, 0);
  if (fd < 0) return std::nullopt;
  std::optional<sipua::ip_address> out;
  sockaddr_storage local{};
  socklen_t local_len = sizeof local;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&ss), len) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&local), &local_len) == 0) {
    char buf[INET6_ADDRSTRLEN] = {};
    const void* addr =
        local.ss_family == AF_INET
            ? static_cast<const void*>(&reinterpret_cast<sockaddr_in*>(&local)->sin_addr)
            : static_cast<const void*>(&reinterpret_cast<sockaddr_in6*>(&local)->sin6_addr);
    if (inet_ntop(local.ss_family, addr, buf, sizeof buf) != nullptr) {
      if (auto ip = sipua::ip_address::parse(buf)) out = *ip;
    }
  }
  ::close(fd);
  return out;
}

/// Where to listen without --local: towards the target's (or proxy's)
/// numeric host, else `fallback`.
std::string default_local(std::string_view target, std::string_view fallback) {
  const auto u = sipua::parse_uri(target);
  if (!u || (u->scheme != sipua::uri_scheme::sip && u->scheme != sipua::uri_scheme::sips)) {
    return std::string{fallback};
  }
  std::string_view host = u->sip.host;
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  const auto ip = sipua::ip_address::parse(host);
  if (!ip) return std::string{fallback};
  const auto from = source_towards(*ip);
  if (!from) return std::string{fallback};
  return from->is_v4() ? from->to_string() + ":0" : "[" + from->to_string() + "]:0";
}

sipua::result<sipua::socket_address, std::string> parse_local(const std::string& text,
                                                              sipua::transport_protocol p) {
  if (auto a = sipua::socket_address::parse(text)) return *a;
  // HOST alone: the protocol's default port.
  if (auto ip = sipua::ip_address::parse(text)) {
    return sipua::socket_address{*ip, sipua::default_port(p)};
  }
  return sipua::unexpected{"--local must be HOST:PORT (an IP address), not " + text};
}

}  // namespace

sipua::result<sipua::UserAgent::Config, std::string> agent_config(const options& o,
                                                                  std::string_view target,
                                                                  std::string_view fallback_local,
                                                                  reporter& r) {
  const auto protocol = transport_of(o);
  if (!protocol) return sipua::unexpected{protocol.error()};
  const std::string_view towards = o.proxy.empty() ? target : std::string_view{o.proxy};
  const std::string local_text = o.local.empty() ? default_local(towards, fallback_local) : o.local;
  const auto local = parse_local(local_text, *protocol);
  if (!local) return sipua::unexpected{local.error()};

  sipua::UserAgent::Config c;
  c.listen = {{*protocol, *local}};
  const std::string host = local->address().is_v4() ? local->address().to_string()
                                                    : "[" + local->address().to_string() + "]";
  // Our From: --from; else the address of record we register; else
  // sip:<--user or "sipdial">@<our host>.
  c.identity = "sip:" + (o.user.empty() ? std::string{"sipdial"} : o.user) + "@" + host;
  if (!o.from.empty()) {
    c.identity = o.from;
  } else if (!o.register_at.empty()) {
    if (auto aor = address_of_record(o, o.register_at)) c.identity = *aor;
  }
  c.contact_user = "sipdial";
  c.user_agent = "sipdial";
  if (!o.proxy.empty()) {
    std::string proxy = o.proxy;
    if (proxy.find(";lr") == std::string::npos) proxy += ";lr";  // RFC 3261 §16.12: a loose router
    c.outbound_proxy = proxy;
  }
  if (*protocol == sipua::transport_protocol::tls || !o.tls_ca.empty()) {
    sipua::tls_config t;
    t.ca_file = o.tls_ca;
    t.certificate_chain_file = o.tls_cert;
    t.private_key_file = o.tls_key;
    t.verify_server = !o.tls_insecure;
    c.tls = t;
    // Without a certificate we cannot listen on TLS: connect out only,
    // with UDP on the same address for the rest (see Config::tls).
    if (*protocol == sipua::transport_protocol::tls && o.tls_cert.empty()) {
      c.listen = {{sipua::transport_protocol::udp, sipua::socket_address{local->address(), 0}}};
    }
  }
  if (!o.password.empty()) {
    // One credential for whatever realm challenges (RFC 3261 §22.1).
    sipua::auth::credential_store store;
    store.set_default(sipua::auth::credential::with_password(
        o.user.empty() ? std::string{"sipdial"} : o.user, o.password));
    c.credentials = std::move(store);
  }
  c.trace = r.hook();
  return c;
}

int usage_error(std::string_view text) {
  std::fprintf(stderr, "sipdial: %.*s\n", static_cast<int>(text.size()), text.data());
  return exit_usage;
}

sipua::result<std::string, std::string> target_of(const options& o, std::string_view command) {
  if (o.positional.empty()) {
    return sipua::unexpected{std::string{command} + ": give the URI (see sipdial --help)"};
  }
  const auto protocol = transport_of(o);
  if (!protocol) return sipua::unexpected{protocol.error()};
  return with_transport(o.positional.front(), *protocol);
}

bool start_agent(sipua::UserAgent& ua, reporter& r) {
  if (auto e = ua.start()) {
    std::fprintf(stderr, "sipdial: cannot listen: %s\n", e.message().c_str());
    return false;
  }
  for (const auto& l : ua.local_addresses()) r.self(l.address);
  return true;
}

std::string with_transport(std::string target, sipua::transport_protocol p) {
  if (p == sipua::transport_protocol::udp || target.rfind("sips:", 0) == 0) return target;
  if (target.find(";transport=") != std::string::npos) return target;
  const std::size_t headers = target.find('?');
  const std::string param =
      p == sipua::transport_protocol::tcp ? ";transport=tcp" : ";transport=tls";
  if (headers == std::string::npos) return target + param;
  return target.insert(headers, param);
}

interrupts::interrupts(sipua::UserAgent& ua, std::function<void()> on_signal)
    : signals_(ua.context(), SIGINT, SIGTERM), on_signal_(std::move(on_signal)) {
  arm();
}

interrupts::~interrupts() {
  std::error_code ignored;
  signals_.cancel(ignored);
}

void interrupts::arm() {
  signals_.async_wait([this](std::error_code e, int) {
    if (e) return;
    if (++count_ > 1) std::_Exit(130);  // a second Ctrl-C: give up at once
    on_signal_();
    arm();
  });
}

void report_listening(const sipua::UserAgent& ua, reporter& r) {
  for (const auto& l : ua.local_addresses()) {
    r.self(l.address);
    const std::string protocol = protocol_name(l.protocol);
    const std::string address = l.address.to_string();
    if (!r.json()) {
      std::printf("listening on %s %s\n", protocol.c_str(), address.c_str());
      std::fflush(stdout);
    }
    r.event("listening", {}, {{"transport", protocol}, {"address", address}});
  }
}

}  // namespace sipdial
