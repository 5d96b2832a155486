// The UserAgent: sipua's public entry point (DESIGN.md "ua"). It owns the
// transports and the UA core and runs them on an io_context — the
// application's (shared event loop) or its own.
//
//   sipua::UserAgent ua{sipua::UserAgent::Config{}};        // its own loop
//   ua.on_incoming_call([](sipua::IncomingCall& in) { in.call.answer(my_media); });
//   if (auto e = ua.start()) { /* bind failed */ }
//   auto call = ua.call("sip:bob@127.0.0.1:5070", {.media = my_media},
//                       {.on_ended = [](const sipua::CallEnd& e) {}});
//   ua.run();
//
// Threading: see call.hpp. UserAgent's own methods may be called from any
// thread too, except the constructor, start() and the destructor, which
// belong to the thread that owns the UserAgent (and the destructor must
// not run on the io_context while it is inside run()).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <system_error>
#include <vector>

#include "sipua/auth/credentials.hpp"
#include "sipua/result.hpp"
#include "sipua/runtime/log.hpp"
#include "sipua/runtime/trace.hpp"
#include "sipua/transport/address.hpp"
#include "sipua/transport/tls.hpp"
#include "sipua/txn/timers.hpp"
#include "sipua/ua/call.hpp"

namespace asio {
class io_context;
}

namespace sipua {

namespace ua_detail {
struct engine;
}

class UserAgent {
 public:
  /// One transport to listen on.
  struct Listen {
    transport_protocol protocol = transport_protocol::udp;
    socket_address address;  ///< port 0: the OS chooses (see local_addresses())
  };

  struct Config {
    /// Default: UDP and TCP on 127.0.0.1, ports chosen by the OS.
    std::vector<Listen> listen{
        {transport_protocol::udp, socket_address{ip_address::loopback_v4(), 0}},
        {transport_protocol::tcp, socket_address{ip_address::loopback_v4(), 0}}};
    std::string identity = "sip:anonymous@anonymous.invalid";  ///< our From
    std::string display_name;
    std::string contact_user = "sipua";
    std::optional<std::string> outbound_proxy;  ///< e.g. "sip:127.0.0.1:5060;lr"
    /// TLS (RFC 3261 §26.2: sips: targets, transport=tls, Listen entries
    /// with transport_protocol::tls). Present, or a TLS Listen entry: the
    /// UA has a TLS transport (tls_config's stream.listen is filled from
    /// `listen`). Listening needs certificate_chain_* and private_key_*;
    /// calling out needs only the CAs (default: the system store).
    /// Without a TLS Listen entry our Contact over TLS names port 5061 on
    /// our host, where nothing listens: the peer's requests in the dialog
    /// (its BYE) reach us only if it reuses our connection. Listen on TLS
    /// to be reachable.
    std::optional<tls_config> tls;
    /// Digest credentials by realm (auth/credentials.hpp): a 401/407 to
    /// any request we send is answered with them once (RFC 3261 §22;
    /// docs/auth.md). Without them a challenge is the request's outcome.
    std::optional<auth::credential_store> credentials;
    std::string user_agent;  ///< User-Agent / Server; empty: none
    timer_config timers;
    unsigned max_redirects = 5;
    std::size_t max_calls = 100'000;
    /// Body types accepted in requests besides application/sdp and
    /// text/plain, e.g. an INFO package's "application/dtmf-relay"
    /// (others get 415 with Accept, RFC 3261 §8.2.3).
    std::vector<std::string> accept;
    /// Media for incoming calls answered without explicit media.
    std::optional<sdp::local_capabilities> media;
    /// Sees every SIP message sent and received, with the transport and
    /// addresses (format_trace() renders one); runs on the io_context.
    trace_hook trace;
    /// Where log lines go (components "runtime", "ua"); with no sink or
    /// level off (the defaults) nothing is logged.
    log_sink log;
    sipua::log_level log_level = sipua::log_level::off;
  };

  /// Owns its io_context (run it with run() / run_for()).
  explicit UserAgent(Config config);
  /// Runs on `io`, which must outlive the UserAgent.
  UserAgent(asio::io_context& io, Config config);
  /// Ends every call (BYE / CANCEL / 603, sent before it returns) and
  /// closes the transports. Handles stay safe: they report unknown_call.
  ~UserAgent();
  UserAgent(const UserAgent&) = delete;
  UserAgent& operator=(const UserAgent&) = delete;

  /// Binds the transports. Errors: the socket's (address_in_use ...).
  std::error_code start();
  /// Where we listen, with the ports the OS chose.
  [[nodiscard]] std::vector<Listen> local_addresses() const;

  // ---- callbacks (set before start(); they run on the io_context) --------------
  /// A new call. Without this callback incoming calls are answered 480.
  void on_incoming_call(std::function<void(IncomingCall&)> handler);
  void on_message(std::function<void(const IncomingMessage&)> handler);
  /// Every call's events (both directions), after the call's own handler.
  void on_call_event(std::function<void(const Call&, const CallEvent&)> observer);

  // ---- requests (any thread) --------------------------------------------------------
  /// Places a call. Errors at once: bad_target (not a sip/sips URI),
  /// shut_down; later ones end the call through on_ended.
  result<Call, std::error_code> call(std::string target, CallOptions options,
                                     CallHandlers handlers);
  /// MESSAGE / OPTIONS; `done` gets the final status (408/503 made up
  /// locally when nothing answered). Errors at once: bad_target, shut_down.
  std::error_code send_message(std::string target, std::string content_type, std::string body,
                               std::function<void(int status)> done = {});
  std::error_code send_options(std::string target, std::function<void(int status)> done = {});

  // ---- registration (RFC 3261 §10.2) -----------------------------------------------
  /// A binding of our Contact at a registrar, kept refreshed.
  struct Registration {
    std::string registrar;  ///< the Request-URI, e.g. "sip:example.com"
    std::string aor;        ///< our address of record; empty: Config::identity
    std::chrono::seconds expires{3600};
  };
  /// Registers (any thread) and keeps the binding refreshed; `on_state`
  /// gets every outcome on the io_context (registered with the granted
  /// expiration and the bindings, failed with when it retries,
  /// unregistered last). Returns the id unregister() takes. Errors at
  /// once: bad_target, shut_down.
  result<std::uint64_t, std::error_code> register_at(
      Registration registration, std::function<void(const registration_event&)> on_state);
  /// Removes the binding (Expires: 0); on_state then gets `unregistered`.
  /// Error: unknown_registration (from the loop thread; elsewhere posted).
  std::error_code unregister(std::uint64_t registration);

  /// Ends every call, removes every registration and refuses new calls;
  /// `drained` runs (on the io_context) once no call and no registration
  /// is left.
  void shutdown(std::function<void()> drained = {});
  [[nodiscard]] std::size_t active_calls() const;

  // ---- the loop ---------------------------------------------------------------------
  [[nodiscard]] asio::io_context& context() noexcept;
  /// For an owned io_context: run until stop() or no more work / for a while
  /// / until `done()` (checked after every handler).
  std::size_t run();
  std::size_t run_for(std::chrono::steady_clock::duration d);
  bool run_until(const std::function<bool()>& done, std::chrono::steady_clock::duration timeout);
  void stop();

 private:
  std::shared_ptr<ua_detail::engine> engine_;
};

}  // namespace sipua
