// Memory per idle connection of a server transport (issue #3 target: at
// most 4 KB per idle TCP connection with 10,000 open).
//
//   idle_memory [connections=10000] [transport=tcp|tcp-1k-buffer|tls]
//
// This process is the server: one transport on 127.0.0.1, one io_context,
// one thread. A forked child process (a separate process, so that neither
// side needs 2 N descriptors) opens N plain TCP connections to it, sends
// one small valid request on each (so every server connection has framed,
// parsed and answered a message), reads the 200 on each and keeps them all
// open. The server measures itself before the child connects and once all
// N are answered and idle: VmRSS (/proc/self/status) and the bytes malloc
// has handed out (mallinfo2: uordblks + hblkhd). The difference divided by
// N is the figure; the kernel's socket memory (/proc/net/sockstat) is
// printed beside it, labelled, and not counted.
//
// The server transport is pluggable: a `variant` names a function that
// builds the server and one that opens a client connection in the child
// (a TLS variant needs a TLS client there too).
#include <fcntl.h>
#include <malloc.h>
#include <netinet/in.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "support/test_pki.hpp"
#include <asio/io_context.hpp>
#include <asio/posix/stream_descriptor.hpp>

#include "sipua/message/builder.hpp"
#include "sipua/transport/tcp.hpp"
#include "sipua/transport/tls.hpp"

namespace sipua::bench {
namespace {

// --- what is measured --------------------------------------------------------

struct memory_sample {
  long rss_kib = 0;               ///< VmRSS
  std::size_t heap_bytes = 0;     ///< malloc'd and not freed
  std::string kernel_tcp;         ///< the "TCP:" line of /proc/net/sockstat
  long kernel_tcp_mem_pages = 0;  ///< its "mem" field (pages, system-wide)
  /// Active objects times object size of the slab caches a socket uses
  /// (/proc/slabinfo, system-wide; -1 when it is not readable: root only).
  long long kernel_slab_bytes = -1;
};

/// The caches one connected, epoll-registered socket takes objects from:
/// the TCP socket, its inode, the file, the dentry, the epoll item.
long long socket_slab_bytes() {
  std::ifstream in("/proc/slabinfo");
  if (!in) return -1;
  long long total = 0;
  std::string line;
  while (std::getline(in, line)) {
    char cache[64] = {};
    long long active = 0;
    long long total_objs = 0;
    long long size = 0;
    if (std::sscanf(line.c_str(), "%63s %lld %lld %lld", cache, &active, &total_objs, &size) != 4)
      continue;
    for (const char* wanted : {"TCP", "sock_inode_cache", "filp", "dentry", "eventpoll_epi"}) {
      if (std::strcmp(cache, wanted) == 0) total += active * size;
    }
  }
  return total;
}

long vm_rss_kib() {
  std::ifstream in("/proc/self/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtol(line.c_str() + 6, nullptr, 10);
  }
  return -1;
}

memory_sample sample() {
  memory_sample s;
  s.rss_kib = vm_rss_kib();
  const struct mallinfo2 mi = mallinfo2();
  s.heap_bytes = mi.uordblks + mi.hblkhd;  // in-use chunks + mmap'd chunks
  s.kernel_slab_bytes = socket_slab_bytes();
  std::ifstream in("/proc/net/sockstat");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("TCP:", 0) != 0) continue;
    s.kernel_tcp = line;
    if (auto at = line.find(" mem "); at != std::string::npos) {
      s.kernel_tcp_mem_pages = std::strtol(line.c_str() + at + 5, nullptr, 10);
    }
  }
  return s;
}

// --- the variants ------------------------------------------------------------

struct server_under_test {
  std::unique_ptr<transport> server;
  std::function<std::size_t()> connection_count;
  std::string settings;  ///< printed with the figures
};

/// An OPTIONS like the one of bench/messages.hpp, numbered `n`.
std::string options_request(std::size_t n) {
  const std::string id = std::to_string(n);
  return "OPTIONS sip:carol@chicago.example.com SIP/2.0\r\n"
         "Via: SIP/2.0/TCP pc33.atlanta.example.com;branch=z9hG4bKidle" +
         id +
         "\r\n"
         "Max-Forwards: 70\r\n"
         "To: <sip:carol@chicago.example.com>\r\n"
         "From: Alice <sip:alice@atlanta.example.com>;tag=" +
         id +
         "\r\n"
         "Call-ID: idle-" +
         id +
         "\r\n"
         "CSeq: 1 OPTIONS\r\n"
         "Contact: <sip:alice@pc33.atlanta.example.com;transport=tcp>\r\n"
         "Content-Length: 0\r\n\r\n";
}

server_under_test make_tcp_server_with(asio::io_context& io, std::size_t n,
                                       std::size_t read_buffer_size) {
  tcp_config c;
  c.listen = {socket_address(ip_address::loopback_v4(), 0)};
  c.max_connections = n + 16;
  c.read_buffer_size = read_buffer_size;
  auto t = std::make_unique<tcp_transport>(io, c);
  tcp_transport* raw = t.get();
  return {std::move(t), [raw] { return raw->connection_count(); },
          "read_buffer_size=" + std::to_string(c.read_buffer_size) +
              " max_buffered=" + std::to_string(c.framing.max_buffered)};
}

/// The defaults: the figure of docs/benchmarks.md.
server_under_test make_tcp_server(asio::io_context& io, std::size_t n) {
  return make_tcp_server_with(io, n, tcp_config{}.read_buffer_size);
}

/// The same with a 1 KiB read buffer: shows how much of the figure the
/// buffer is (a comparison, not a recommended setting).
server_under_test make_tcp_1k_server(asio::io_context& io, std::size_t n) {
  return make_tcp_server_with(io, n, 1024);
}

/// Child side: a socket connected to the server, or -1.
int open_tcp_client_only(std::uint16_t port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return -1;
  sockaddr_in to{};
  to.sin_family = AF_INET;
  to.sin_port = htons(port);
  to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&to), sizeof to) != 0) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Child side of plain TCP: a connected socket with the request sent, or -1.
int open_tcp_client(std::uint16_t port, std::size_t n) {
  const int fd = open_tcp_client_only(port);
  if (fd < 0) return -1;
  const std::string request = options_request(n);
  if (::send(fd, request.data(), request.size(), MSG_NOSIGNAL) !=
      static_cast<ssize_t>(request.size())) {
    ::close(fd);
    return -1;
  }
  return fd;
}

/// Child side: blocks until a whole 200 (no body) arrived on `fd`.
bool await_tcp_answer(int fd) {
  std::string got;
  std::array<char, 1024> buf{};
  while (got.find("\r\n\r\n") == std::string::npos) {
    const ssize_t r = ::recv(fd, buf.data(), buf.size(), 0);
    if (r <= 0) return false;
    got.append(buf.data(), static_cast<std::size_t>(r));
  }
  return got.rfind("SIP/2.0 200 ", 0) == 0;
}

/// TLS: the server has a certificate from a throw-away CA (made before the
/// fork, so both processes have it). The child's clients are plain
/// blocking OpenSSL: TLS 1.3, full handshake, the CA trusted and the name
/// checked, SNI sent; their SSL objects live in the child, not counted.
struct tls_keys {
  test::test_ca ca = test::make_ca("idle_memory CA");
  test::test_leaf leaf = [this] {
    test::leaf_options o;
    o.dns_names = {"sip.example.com"};
    return test::issue(ca, o);
  }();
  static const tls_keys& get() {
    static const tls_keys k;
    return k;
  }
};

server_under_test make_tls_server(asio::io_context& io, std::size_t n) {
  tls_config c;
  c.stream.listen = {socket_address(ip_address::loopback_v4(), 0)};
  c.stream.max_connections = n + 16;
  c.certificate_chain_pem = tls_keys::get().leaf.cert_pem;
  c.private_key_pem = tls_keys::get().leaf.key_pem;
  auto t = std::make_unique<tls_transport>(io, c);
  tls_transport* raw = t.get();
  return {std::move(t), [raw] { return raw->connection_count(); },
          "TLS 1.3 read_buffer_size=" + std::to_string(c.stream.read_buffer_size)};
}

/// The child's TLS sessions, by descriptor.
std::vector<SSL*>& child_sessions() {
  static std::vector<SSL*> sessions;
  return sessions;
}

SSL_CTX* child_context() {
  static SSL_CTX* const ctx = [] {
    SSL_CTX* c = SSL_CTX_new(TLS_client_method());
    SSL_CTX_set_verify(c, SSL_VERIFY_PEER, nullptr);
    BIO* bio = BIO_new_mem_buf(tls_keys::get().ca.cert_pem.data(),
                               static_cast<int>(tls_keys::get().ca.cert_pem.size()));
    X509* ca = PEM_read_bio_X509(bio, nullptr, nullptr, nullptr);
    X509_STORE_add_cert(SSL_CTX_get_cert_store(c), ca);
    X509_free(ca);
    BIO_free(bio);
    return c;
  }();
  return ctx;
}

int open_tls_client(std::uint16_t port, std::size_t n) {
  const int fd = open_tcp_client_only(port);
  if (fd < 0) return -1;
  SSL* ssl = SSL_new(child_context());
  SSL_set_fd(ssl, fd);
  SSL_set_tlsext_host_name(ssl, "sip.example.com");
  SSL_set1_host(ssl, "sip.example.com");
  const std::string request = options_request(n);
  if (SSL_connect(ssl) != 1 ||
      SSL_write(ssl, request.data(), static_cast<int>(request.size())) <= 0) {
    SSL_free(ssl);
    ::close(fd);
    return -1;
  }
  auto& sessions = child_sessions();
  if (sessions.size() <= static_cast<std::size_t>(fd)) sessions.resize(fd + 1, nullptr);
  sessions[fd] = ssl;
  return fd;
}

bool await_tls_answer(int fd) {
  SSL* ssl = child_sessions()[fd];
  std::string got;
  std::array<char, 1024> buf{};
  while (got.find("\r\n\r\n") == std::string::npos) {
    const int r = SSL_read(ssl, buf.data(), static_cast<int>(buf.size()));
    if (r <= 0) return false;
    got.append(buf.data(), static_cast<std::size_t>(r));
  }
  return got.rfind("SIP/2.0 200 ", 0) == 0;
}

struct variant {
  std::string_view name;
  server_under_test (*make_server)(asio::io_context&, std::size_t n);
  int (*open_client)(std::uint16_t port, std::size_t n);
  bool (*await_answer)(int fd);
};

constexpr std::array k_variants{
    variant{"tcp", make_tcp_server, open_tcp_client, await_tcp_answer},
    variant{"tcp-1k-buffer", make_tcp_1k_server, open_tcp_client, await_tcp_answer},
    variant{"tls", make_tls_server, open_tls_client, await_tls_answer},
};

// --- the two processes -------------------------------------------------------

void write_line(int fd, const std::string& line) { (void)!::write(fd, line.data(), line.size()); }

/// The child: opens n connections, reports "ok" or an error line on
/// `report`, then keeps them open until `hold` reaches EOF.
[[noreturn]] void run_client(const variant& v, std::size_t n, int hold, int report) {
  std::uint16_t port = 0;
  if (::read(hold, &port, sizeof port) != sizeof port) _exit(2);
  std::vector<int> fds;
  fds.reserve(n);
  for (std::size_t i = 0; i < n; ++i) {
    const int fd = v.open_client(port, i);
    if (fd < 0) {
      write_line(report,
                 "error: connection " + std::to_string(i) + ": " + std::strerror(errno) + "\n");
      _exit(1);
    }
    fds.push_back(fd);
  }
  for (std::size_t i = 0; i < n; ++i) {
    if (!v.await_answer(fds[i])) {
      write_line(report, "error: no 200 on connection " + std::to_string(i) + "\n");
      _exit(1);
    }
  }
  write_line(report, "ok\n");
  char c = 0;
  while (::read(hold, &c, 1) > 0) {}
  for (int fd : fds) ::close(fd);
  _exit(0);
}

struct answering_user final : transport_user {
  transport* server = nullptr;
  std::size_t answered = 0;
  std::size_t failures = 0;
  void on_message(inbound_message&& m) override {
    // Built per request, as a UA would (RFC 3261 §8.2.6); nothing is kept.
    auto r = build_response(m.message, 200, {}, "idle").build();
    if (r && !server->send(m.origin.peer, *r)) {
      ++answered;
    } else {
      ++failures;
    }
  }
  void on_parse_failure(inbound_parse_failure&&) override { ++failures; }
  void on_transport_error(const transport_error_event&) override { ++failures; }
};

void print_figures(const memory_sample& before, const memory_sample& after, std::size_t count) {
  const auto n = static_cast<double>(count);
  const double rss = static_cast<double>(after.rss_kib - before.rss_kib) * 1024.0 / n;
  const double heap =
      (static_cast<double>(after.heap_bytes) - static_cast<double>(before.heap_bytes)) / n;
  std::printf("rss_kib_before %ld\nrss_kib_after %ld\n", before.rss_kib, after.rss_kib);
  std::printf("heap_bytes_before %zu\nheap_bytes_after %zu\n", before.heap_bytes, after.heap_bytes);
  std::printf("rss_bytes_per_connection %.0f\n", rss);
  std::printf("heap_bytes_per_connection %.0f\n", heap);
  // Kernel side, system-wide (both ends of every connection, and any
  // other socket on the host): shown for context, not counted above.
  std::printf("kernel_sockstat_before: %s\nkernel_sockstat_after: %s\n", before.kernel_tcp.c_str(),
              after.kernel_tcp.c_str());
  std::printf("kernel_tcp_mem_bytes_per_connection_pair %.0f (system-wide, not counted)\n",
              static_cast<double>(after.kernel_tcp_mem_pages - before.kernel_tcp_mem_pages) *
                  static_cast<double>(::sysconf(_SC_PAGESIZE)) / n);
  if (before.kernel_slab_bytes >= 0 && after.kernel_slab_bytes >= 0) {
    std::printf(
        "kernel_slab_bytes_per_connection_pair %.0f (TCP, sock_inode_cache, filp, dentry, "
        "eventpoll_epi; system-wide, both ends; not counted)\n",
        static_cast<double>(after.kernel_slab_bytes - before.kernel_slab_bytes) / n);
  } else {
    std::printf("kernel_slab_bytes_per_connection_pair unknown (/proc/slabinfo not readable)\n");
  }
}

int run_server(const variant& v, std::size_t n, int hold, int report) {
  asio::io_context io(1);
  server_under_test s = v.make_server(io, n);
  answering_user user;
  user.server = s.server.get();
  if (auto ec = s.server->start(user)) {
    std::fprintf(stderr, "idle_memory: start: %s\n", ec.message().c_str());
    return 1;
  }
  asio::posix::stream_descriptor from_child(io, report);
  std::string status;
  std::array<char, 256> buf{};
  std::function<void()> read_status = [&] {
    from_child.async_read_some(asio::buffer(buf), [&](const std::error_code& ec, std::size_t k) {
      status.append(buf.data(), k);
      if (ec) status += "error: the client process went away\n";
      if (!ec && status.find('\n') == std::string::npos) read_status();
    });
  };
  read_status();

  const memory_sample before = sample();
  const std::uint16_t port = s.server->local_addresses()[0].port();
  if (::write(hold, &port, sizeof port) != sizeof port) return 1;
  const auto began = std::chrono::steady_clock::now();
  while (status.find('\n') == std::string::npos) {
    if (io.run_one_for(std::chrono::seconds(120)) == 0) {
      std::fprintf(stderr, "idle_memory: timed out\n");
      return 1;
    }
  }
  io.poll();  // whatever is ready still (writes completing): then idle
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - began).count();
  const memory_sample after = sample();

  std::printf("transport %.*s (%s)\nconnections %zu\n", static_cast<int>(v.name.size()),
              v.name.data(), s.settings.c_str(), n);
  std::printf("client_status %s", status.c_str());
  std::printf("server_connection_count %zu\nanswered %zu\nfailures %zu\nsetup_seconds %.2f\n",
              s.connection_count(), user.answered, user.failures, seconds);
  print_figures(before, after, n);
  const bool ok =
      status == "ok\n" && s.connection_count() == n && user.answered == n && user.failures == 0;
  from_child.close();
  s.server->close();
  return ok ? 0 : 1;
}

void raise_fd_limit() {
  rlimit r{};
  if (::getrlimit(RLIMIT_NOFILE, &r) == 0 && r.rlim_cur < r.rlim_max) {
    r.rlim_cur = r.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &r);
  }
}

}  // namespace
}  // namespace sipua::bench

int main(int argc, char** argv) {
  using namespace sipua::bench;
  const std::size_t n = argc > 1 ? std::strtoull(argv[1], nullptr, 10) : 10'000;
  const std::string_view name = argc > 2 ? argv[2] : "tcp";
  const variant* v = nullptr;
  for (const variant& candidate : k_variants) {
    if (candidate.name == name) v = &candidate;
  }
  if (v == nullptr || n == 0) {
    std::fprintf(stderr, "usage: idle_memory [connections=10000] [transport=tcp|tcp-1k-buffer]\n");
    return 2;
  }
  raise_fd_limit();
  rlimit r{};
  ::getrlimit(RLIMIT_NOFILE, &r);
  if (r.rlim_cur < n + 64) {
    std::fprintf(stderr, "idle_memory: RLIMIT_NOFILE %llu is too small for %zu connections\n",
                 static_cast<unsigned long long>(r.rlim_cur), n);
    return 2;
  }
  int to_child[2];    // the port, then EOF = "close now"
  int from_child[2];  // "ok\n" or "error: ...\n"
  if (::pipe2(to_child, O_CLOEXEC) != 0 || ::pipe2(from_child, O_CLOEXEC) != 0) return 1;
  std::fflush(stdout);
  if (v->name == "tls") (void)tls_keys::get();  // before the fork: both sides need the keys
  const pid_t child = ::fork();
  if (child < 0) return 1;
  if (child == 0) {
    ::close(to_child[1]);
    ::close(from_child[0]);
    run_client(*v, n, to_child[0], from_child[1]);
  }
  ::close(to_child[0]);
  ::close(from_child[1]);
  const int rc = run_server(*v, n, to_child[1], from_child[0]);
  ::close(to_child[1]);  // EOF: the child closes its connections and exits
  int child_status = 0;
  ::waitpid(child, &child_status, 0);
  return rc;
}
