// sipdial's commands and their options (main.cpp parses them).
#pragma once

#include <optional>
#include <string>
#include <vector>

namespace sipdial {

/// Every flag of every command; each command reads the ones it documents.
struct options {
  std::vector<std::string> positional;      ///< after the command: URI, text ...
  bool trace = false;                       ///< --trace: every message in full
  bool json = false;                        ///< --json: one JSON object per line
  std::string local;                        ///< --local HOST:PORT
  std::string transport = "udp";            ///< --transport udp|tcp|tls
  std::string proxy;                        ///< --proxy URI (outbound proxy)
  std::string from;                         ///< --from URI (our identity)
  std::string tls_ca;                       ///< --tls-ca FILE (trusted CAs)
  std::string tls_cert;                     ///< --tls-cert FILE (our chain, to listen)
  std::string tls_key;                      ///< --tls-key FILE
  bool tls_insecure = false;                ///< --tls-insecure: no server verification
  std::optional<double> hangup_after;       ///< --hangup-after SECONDS
  double ring_timeout = 60;                 ///< --ring-timeout SECONDS
  double answer_after = 0;                  ///< --answer-after SECONDS
  std::optional<int> reject;                ///< --reject CODE
  std::optional<unsigned> calls;            ///< --calls N
  std::string content_type = "text/plain";  ///< --type (message)
  std::string user;                   ///< --user: digest user name; register: the AOR's user part
  std::string password;               ///< --password: digest password (any realm)
  std::string register_at;            ///< --register REGISTRAR-URI (call, listen: register first)
  double expires = 3600;              ///< --expires SECONDS (register)
  std::optional<double> for_seconds;  ///< --for SECONDS (register)
};

/// Exit codes shared by the commands (README, `sipdial --help`).
enum exit_code : int {
  exit_ok = 0,
  exit_failure = 1,  ///< transport error, timeout, no answer
  exit_usage = 2,
};

int run_demo(const options& o);
int run_call(const options& o);
int run_listen(const options& o);
int run_message(const options& o);
int run_options(const options& o);
int run_register(const options& o);

}  // namespace sipdial
