// The shared care record service: FHIR R4 over HTTP(S) with the information-governance gate
// (`pioneer serve`, docs/fhir.md, docs/ig.md, docs/security.md).
//
// Endpoints:
//   GET  /fhir/metadata                      CapabilityStatement (no token)
//   POST /auth/token                         OAuth2 password grant -> bearer token
//   POST /auth/revoke                        RFC 7009 token revocation
//   POST /auth/break-glass                   {"nhs_number", "reason"} -> a short-lived token
//                                            carrying a grant for that person
//   GET  /fhir/Patient/{id}, /fhir/Patient?...,  POST /fhir/Patient/_search
//   GET|POST /fhir/Patient/{id}/$everything
//   GET  /fhir/{Encounter|Condition|EpisodeOfCare|CarePlan}/{id} and ?patient=...&date=...
//   GET  /fhir/CarePlan/{id}/_history[/{vid}]  history and vread (the register's versions)
//   POST /fhir/CarePlan [If-None-Exist], PUT /fhir/CarePlan/{id} with If-Match
//                                            create and version-aware update
//   POST /fhir/Consent, GET /fhir/Consent/{id} and ?patient=   objections (record, lift, read)
//   GET  /fhir/AuditEvent?patient=&agent=&date=   (IG officer; a patient: own record only)
//   GET  /analytics/summary                  aggregates for analysts (suppressed, no persons)
// HTTP/1.1 on cpp-httplib (Debian's split build): TCP_NODELAY, keep-alive, a thread pool,
// read/write timeouts against slow clients, a request body limit (413), a per-client-address
// token-bucket rate limit (429), TLS when given a certificate and key. SIGTERM/SIGINT stop
// accepting, let requests in flight finish, and return. Logs: one JSON line per request on
// stderr (json_log.h) with the route template, never the path or query.
// Errors: kInvalidArgument for bad options, kUnavailable when the address cannot be bound
// or the store cannot be opened.
// Thread safety: RunServer blocks the calling thread; handlers run on the pool, each with
// its own store connection from a fixed pool.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>

#include "pioneer/base/status.h"
#include "pioneer/base/version.h"

namespace pioneer::server {

struct ServerOptions {
  std::string db_path;
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 = any free port
  std::string tls_cert, tls_key;
  int threads = 8;
  size_t max_body_bytes = size_t{1} << 20;
  double rate_per_second = 200;  // per client address
  double rate_burst = 400;
  int64_t token_ttl_seconds = 900;
  int timeout_seconds = 10;  // read/write timeout per request
  std::string version = std::string(PioneerVersion());
};

// Serves until SIGTERM or SIGINT. `on_listening(port)` runs once the socket is bound.
Status RunServer(const ServerOptions& options, const std::function<void(int)>& on_listening);

}  // namespace pioneer::server
