#include "pioneer/fhir/bundle.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace pioneer::fhir {
namespace {

using nlohmann::json;

std::string Text(const json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

Status Invalid(const std::string& where, const std::string& why) {
  return InvalidArgumentError(fmt::format("{}: {}", where, why));
}

int MethodRank(const std::string& m) {
  if (m == "DELETE") return 0;
  if (m == "POST") return 1;
  if (m == "PUT" || m == "PATCH") return 2;
  return 3;  // GET, HEAD
}

}  // namespace

bool IsUrnReference(std::string_view ref) {
  return ref.rfind("urn:uuid:", 0) == 0 || ref.rfind("urn:oid:", 0) == 0;
}

std::optional<ConditionalReference> ParseConditionalReference(std::string_view ref) {
  size_t q = ref.find('?');
  if (q == std::string_view::npos || q == 0 || q + 1 >= ref.size()) return std::nullopt;
  std::string_view type = ref.substr(0, q);
  if (!std::isupper(static_cast<unsigned char>(type[0]))) return std::nullopt;
  if (!std::all_of(type.begin(), type.end(),
                   [](char c) { return std::isalpha(static_cast<unsigned char>(c)); })) {
    return std::nullopt;
  }
  return ConditionalReference{std::string(type), std::string(ref.substr(q + 1))};
}

StatusOr<RequestBundle> ParseRequestBundle(const json& body) {
  if (!body.is_object() || Text(body, "resourceType") != "Bundle") {
    return Invalid("Bundle", "the body must be a Bundle");
  }
  RequestBundle out;
  const std::string type = Text(body, "type");
  if (type == "transaction") {
    out.transaction = true;
  } else if (type != "batch") {
    return Invalid("Bundle.type", "must be batch or transaction to be processed");
  }
  auto it = body.find("entry");
  if (it == body.end()) return out;
  if (!it->is_array()) return Invalid("Bundle.entry", "must be an array");
  if (it->size() > kMaxBundleEntries) {
    return Invalid("Bundle.entry", fmt::format("holds {} entries; at most {} are processed",
                                               it->size(), kMaxBundleEntries));
  }
  std::set<std::string> full_urls;
  for (size_t i = 0; i < it->size(); ++i) {
    const json& e = (*it)[i];
    const std::string where = fmt::format("Bundle.entry[{}]", i);
    if (!e.is_object()) return Invalid(where, "must be an object");
    BundleEntry entry;
    entry.index = i;
    entry.full_url = Text(e, "fullUrl");
    if (!entry.full_url.empty() && !full_urls.insert(entry.full_url).second) {
      return Invalid(where + ".fullUrl", "repeats another entry's fullUrl");
    }
    auto req = e.find("request");
    if (req == e.end() || !req->is_object()) return Invalid(where + ".request", "is required");
    entry.method = Text(*req, "method");
    std::transform(entry.method.begin(), entry.method.end(), entry.method.begin(),
                   [](unsigned char c) { return static_cast<char>(std::toupper(c)); });
    static const std::set<std::string> kMethods = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
    if (!kMethods.count(entry.method)) {
      return Invalid(where + ".request.method", "must be GET, HEAD, POST, PUT, PATCH or DELETE");
    }
    entry.url = Text(*req, "url");
    while (!entry.url.empty() && entry.url[0] == '/') entry.url.erase(0, 1);
    if (entry.url.empty()) return Invalid(where + ".request.url", "is required");
    if (entry.url.find("://") != std::string::npos) {
      return Invalid(where + ".request.url", "must be relative to the server's base");
    }
    entry.if_none_exist = Text(*req, "ifNoneExist");
    entry.if_match = Text(*req, "ifMatch");
    auto res = e.find("resource");
    if (res != e.end()) {
      if (!res->is_object()) return Invalid(where + ".resource", "must be a resource");
      entry.resource = *res;
    }
    if ((entry.method == "POST" || entry.method == "PUT") && !entry.resource) {
      return Invalid(where + ".resource", "is required for " + entry.method);
    }
    out.entries.push_back(std::move(entry));
  }
  return out;
}

void ForEachReference(json& resource, const std::function<void(std::string&)>& fn) {
  // Iterative: a request body may nest arrays and objects hundreds of thousands deep.
  std::vector<json*> todo = {&resource};
  while (!todo.empty()) {
    json* j = todo.back();
    todo.pop_back();
    if (j->is_object()) {
      for (auto& [key, value] : j->items()) {
        if (key == "reference" && value.is_string()) {
          std::string ref = value.get<std::string>();
          fn(ref);
          value = ref;
        } else if (value.is_structured()) {
          todo.push_back(&value);
        }
      }
    } else if (j->is_array()) {
      for (json& v : *j) {
        if (v.is_structured()) todo.push_back(&v);
      }
    }
  }
}

StatusOr<std::vector<size_t>> TransactionOrder(const RequestBundle& bundle) {
  const std::vector<BundleEntry>& entries = bundle.entries;
  std::vector<size_t> order(entries.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return MethodRank(entries[a].method) < MethodRank(entries[b].method);
  });
  // POST entries that reference other POST entries by fullUrl come after them: a
  // depth-first topological sort that keeps the Bundle's order where nothing constrains it.
  std::map<std::string, size_t> post_by_url;
  for (const BundleEntry& e : entries) {
    if (e.method == "POST" && !e.full_url.empty()) post_by_url[e.full_url] = e.index;
  }
  std::vector<std::vector<size_t>> needs(entries.size());
  for (const BundleEntry& e : entries) {
    if (e.method != "POST" || !e.resource) continue;
    json copy = *e.resource;
    ForEachReference(copy, [&](std::string& ref) {
      auto it = post_by_url.find(ref);
      if (it != post_by_url.end() && it->second != e.index) needs[e.index].push_back(it->second);
    });
  }
  // Depth-first, iteratively (a chain of references may be as long as the Bundle).
  std::vector<int> state(entries.size(), 0);  // 0 new, 1 on the path, 2 placed
  std::vector<size_t> posts;
  for (size_t root : order) {
    if (entries[root].method != "POST" || state[root] == 2) continue;
    std::vector<std::pair<size_t, size_t>> path = {{root, 0}};  // entry, next need to visit
    state[root] = 1;
    while (!path.empty()) {
      auto& [i, next] = path.back();
      if (next < needs[i].size()) {
        size_t j = needs[i][next++];
        if (state[j] == 1) {
          return Invalid(fmt::format("Bundle.entry[{}]", j),
                         "the entries it creates reference each other in a cycle");
        }
        if (state[j] == 0) {
          state[j] = 1;
          path.emplace_back(j, 0);
        }
        continue;
      }
      state[i] = 2;
      posts.push_back(i);
      path.pop_back();
    }
  }
  std::vector<size_t> out;
  out.reserve(entries.size());
  for (size_t i : order) {
    if (entries[i].method == "DELETE") out.push_back(i);
  }
  out.insert(out.end(), posts.begin(), posts.end());
  for (size_t i : order) {
    if (MethodRank(entries[i].method) >= 2) out.push_back(i);
  }
  return out;
}

std::string TypeAndIdOf(std::string_view location) {
  std::string_view s = location;
  size_t q = s.find('?');
  if (q != std::string_view::npos) s = s.substr(0, q);
  size_t hist = s.find("/_history");
  if (hist != std::string_view::npos) s = s.substr(0, hist);
  while (!s.empty() && s.back() == '/') s.remove_suffix(1);
  size_t slash = s.rfind('/');
  if (slash == std::string_view::npos || slash == 0) return "";
  size_t type_start = s.rfind('/', slash - 1);
  std::string_view type =
      s.substr(type_start == std::string_view::npos ? 0 : type_start + 1,
               slash - (type_start == std::string_view::npos ? 0 : type_start + 1));
  std::string_view id = s.substr(slash + 1);
  if (type.empty() || id.empty() || !std::isupper(static_cast<unsigned char>(type[0]))) {
    return "";
  }
  return fmt::format("{}/{}", type, id);
}

std::string StatusLine(int status) {
  switch (status) {
    case 200:
      return "200 OK";
    case 201:
      return "201 Created";
    case 204:
      return "204 No Content";
    case 304:
      return "304 Not Modified";
    case 400:
      return "400 Bad Request";
    case 401:
      return "401 Unauthorized";
    case 403:
      return "403 Forbidden";
    case 404:
      return "404 Not Found";
    case 405:
      return "405 Method Not Allowed";
    case 409:
      return "409 Conflict";
    case 410:
      return "410 Gone";
    case 412:
      return "412 Precondition Failed";
    case 415:
      return "415 Unsupported Media Type";
    case 422:
      return "422 Unprocessable Entity";
    case 428:
      return "428 Precondition Required";
    case 429:
      return "429 Too Many Requests";
    default:
      return std::to_string(status);
  }
}

json ResponseBundle(bool transaction, const std::vector<EntryResponse>& responses) {
  json entries = json::array();
  for (const EntryResponse& r : responses) {
    json response = {{"status", StatusLine(r.status)}};
    if (!r.location.empty()) response["location"] = r.location;
    if (!r.etag.empty()) response["etag"] = r.etag;
    if (!r.last_modified.empty()) response["lastModified"] = r.last_modified;
    json entry = json::object();
    if (r.body.is_object() && Text(r.body, "resourceType") == "OperationOutcome") {
      response["outcome"] = r.body;
    } else if (r.body.is_object()) {
      entry["resource"] = r.body;
      std::string ti = TypeAndIdOf(r.location);
      if (!ti.empty()) entry["fullUrl"] = r.location.substr(0, r.location.find("/_history"));
    }
    entry["response"] = std::move(response);
    entries.push_back(std::move(entry));
  }
  return {{"resourceType", "Bundle"},
          {"type", transaction ? "transaction-response" : "batch-response"},
          {"entry", std::move(entries)}};
}

}  // namespace pioneer::fhir
