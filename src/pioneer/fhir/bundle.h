// Batch and transaction Bundles (FHIR R4 http.html#transaction): the request side read into
// entries, the order a transaction processes them in, the references inside them, and the
// response Bundle. Pure JSON work: the server dispatches each entry to the handler that
// serves the same request on its own, so an entry is checked, gated and audited exactly as
// that request would be.
//
// Rules (docs/fhir.md section 3a):
// - `Bundle.type` is `batch` or `transaction`; every entry has `request.method` (GET, HEAD,
//   POST, PUT, PATCH, DELETE) and a relative `request.url`; POST and PUT carry a resource.
// - A transaction processes DELETE, then POST, then PUT and PATCH, then GET and HEAD (R4
//   "transaction processing rules"); among the POSTs, an entry whose `fullUrl` another POST
//   references by `urn:uuid:`/`urn:oid:` comes first (a cycle is an error). A batch
//   processes entries in their order.
// - References to an entry's `fullUrl` are replaced by the `Type/id` the server assigned;
//   conditional references (`Type?search`) by the one resource the search finds.
// Thread safety: functions only; no shared state.
#pragma once

#include <cstddef>
#include <functional>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "pioneer/base/status.h"

namespace pioneer::fhir {

// Entries a Bundle may hold (the request body limit bounds it too).
inline constexpr size_t kMaxBundleEntries = 10000;

struct BundleEntry {
  size_t index = 0;      // position in Bundle.entry
  std::string full_url;  // Bundle.entry.fullUrl ("" when absent)
  std::string method;    // upper case
  std::string url;       // relative: "CarePlan", "CarePlan/cp-3", "Patient?identifier=..."
  std::string if_none_exist;
  std::string if_match;
  std::optional<nlohmann::json> resource;
};

struct RequestBundle {
  bool transaction = false;  // else batch
  std::vector<BundleEntry> entries;
};

// Reads a batch or transaction Bundle. kInvalidArgument naming the element
// ("Bundle.entry[3].request.url: ...") when it is not one: another resourceType or Bundle
// type, a missing or unknown method, an absolute or empty url, a POST/PUT without a
// resource, a repeated fullUrl, more than kMaxBundleEntries entries.
StatusOr<RequestBundle> ParseRequestBundle(const nlohmann::json& body);

// The order a transaction processes its entries in (indexes into entries, see above).
// kInvalidArgument when POST entries reference each other in a cycle.
StatusOr<std::vector<size_t>> TransactionOrder(const RequestBundle& bundle);

// Calls `fn` with every Reference.reference string inside `resource` (any depth), which
// may change it in place.
void ForEachReference(nlohmann::json& resource, const std::function<void(std::string&)>& fn);

// True for "urn:uuid:..." and "urn:oid:..." (a reference to another entry's fullUrl).
bool IsUrnReference(std::string_view ref);

// A conditional reference "Type?params" (R4 "conditional references"): its type and query.
struct ConditionalReference {
  std::string type;
  std::string query;
};
std::optional<ConditionalReference> ParseConditionalReference(std::string_view ref);

// "Type/id" from a Location header or url ("https://h/fhir/CarePlan/cp-3/_history/2" ->
// "CarePlan/cp-3"); "" when it holds none.
std::string TypeAndIdOf(std::string_view location);

// "201 Created" and the like, for Bundle.entry.response.status.
std::string StatusLine(int status);

// What one entry's request got: the HTTP status and headers and the JSON body (null when
// the response had none).
struct EntryResponse {
  int status = 0;
  std::string location;
  std::string etag;
  std::string last_modified;
  nlohmann::json body;
};

// The `batch-response` or `transaction-response` Bundle: one entry per request, in the
// request order; a body that is an OperationOutcome goes to response.outcome, any other
// resource to entry.resource.
nlohmann::json ResponseBundle(bool transaction, const std::vector<EntryResponse>& responses);

}  // namespace pioneer::fhir
