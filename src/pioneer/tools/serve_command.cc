// `pioneer serve --db FILE [--listen HOST:PORT] [--tls-cert F --tls-key F]`: the shared
// care record service (FHIR R4 with the IG gate; docs/fhir.md, docs/ig.md). Prints
// `listening on http://HOST:PORT` on stdout once ready; logs JSON lines on stderr; stops
// cleanly on SIGTERM/SIGINT. Exit codes: 0 stopped cleanly, 2 usage or input error (bad
// address, store, certificate), 3 internal.
#include <CLI/CLI.hpp>
#include <cstdio>
#include <memory>
#include <string>

#include "pioneer/base/version.h"
#include "pioneer/server/server.h"
#include "pioneer/tools/commands.h"
#include "pioneer/tools/db_option.h"

namespace pioneer::tools {
namespace {

using ServeArgs = ServeSettings;

}  // namespace

int ServeStore(const ServeSettings& a, const char* command) {
  server::ServerOptions o;
  o.db_path = a.db;
  size_t colon = a.listen.rfind(':');
  if (colon == std::string::npos || colon == 0) {
    std::fprintf(stderr, "pioneer %s: --listen must be HOST:PORT, e.g. 127.0.0.1:8080\n", command);
    return 2;
  }
  o.host = a.listen.substr(0, colon);
  try {
    o.port = std::stoi(a.listen.substr(colon + 1));
  } catch (...) {
    o.port = -1;
  }
  if (o.port < 0 || o.port > 65535) {
    std::fprintf(stderr, "pioneer %s: --listen port must be 0-65535\n", command);
    return 2;
  }
  o.tls_cert = a.tls_cert;
  o.tls_key = a.tls_key;
  o.threads = a.threads;
  o.rate_per_second = a.rate;
  o.rate_burst = a.rate * 2;
  o.token_ttl_seconds = a.token_ttl;
  o.max_body_bytes = a.max_body;
  o.timeout_seconds = a.request_timeout;
  o.version = std::string(PioneerVersion());
  if (o.tls_cert.empty() && o.host != "127.0.0.1" && o.host != "localhost" && o.host != "::1") {
    std::fprintf(stderr,
                 "pioneer %s: plain HTTP is allowed on loopback only; give --tls-cert and "
                 "--tls-key to listen on %s\n",
                 command, o.host.c_str());
    return 2;
  }
  Status s = server::RunServer(o, [&](int port) {
    std::printf("listening on %s://%s:%d%s\n", o.tls_cert.empty() ? "http" : "https",
                o.host.c_str(), port,
                o.tls_cert.empty() ? " (plain HTTP on loopback: no TLS)" : "");
    std::fflush(stdout);
  });
  if (!s.ok()) {
    std::fprintf(stderr, "pioneer %s: %s\n", command, s.message().c_str());
    return s.code() == StatusCode::kInternal ? 3 : 2;
  }
  return 0;
}

namespace {
int RunServe(const ServeArgs& a) { return ServeStore(a, "serve"); }
}  // namespace

void RegisterServeCommand(CLI::App& app, int& exit_code) {
  auto args = std::make_shared<ServeArgs>();
  auto* cmd = app.add_subcommand(
      "serve",
      "Serve the shared care record: FHIR R4 at /fhir behind the IG gate (exit codes: 0 "
      "stopped cleanly, 2 usage or input error, 3 internal)");
  AddDbOption(cmd, args->db)->required()->check(CLI::ExistingFile);
  cmd->add_option("--listen", args->listen, "HOST:PORT (port 0 = any free port)")
      ->capture_default_str();
  cmd->add_option("--tls-cert", args->tls_cert, "PEM certificate (enables HTTPS)");
  cmd->add_option("--tls-key", args->tls_key, "PEM private key");
  cmd->add_option("--threads", args->threads, "Worker threads")->capture_default_str();
  cmd->add_option("--rate-limit", args->rate, "Requests per second per client address (burst 2x)")
      ->capture_default_str();
  cmd->add_option("--token-ttl", args->token_ttl, "Bearer token lifetime in seconds")
      ->capture_default_str();
  cmd->add_option("--request-timeout", args->request_timeout,
                  "Seconds a client may stall reading or writing before its connection is cut")
      ->check(CLI::Range(1, 3600))
      ->capture_default_str();
  cmd->add_option("--max-body", args->max_body, "Largest request body in bytes (413 above)")
      ->capture_default_str();
  cmd->callback([args, &exit_code] { exit_code = RunServe(*args); });
}

}  // namespace pioneer::tools
