#include "pioneer/fhir/directory.h"

#include <fmt/format.h>

#include <algorithm>

#include "pioneer/fhir/resources.h"

namespace pioneer::fhir {
namespace {

using nlohmann::json;

std::string Text(const json& obj, std::string_view key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string NameOf(const json& r, std::string_view type) {
  if (type == "Organization" || type == "Location") return Text(r, "name");
  if (type == "Practitioner") {
    auto names = r.find("name");
    if (names == r.end() || !names->is_array() || names->empty() || !(*names)[0].is_object()) {
      return "";
    }
    std::string family = Text((*names)[0], "family");
    return family.empty() ? Text((*names)[0], "text") : family;
  }
  if (type == "Medication") {
    auto code = r.find("code");
    if (code == r.end() || !code->is_object()) return "";
    std::string text = Text(*code, "text");
    if (!text.empty()) return text;
    auto codings = code->find("coding");
    if (codings != code->end() && codings->is_array() && !codings->empty() &&
        (*codings)[0].is_object()) {
      return Text((*codings)[0], "display");
    }
  }
  return "";
}

// Narrows one criterion: a second, different value matches nothing.
void Narrow(std::string* slot, const std::string& value, bool* nothing) {
  if (!slot->empty() && *slot != value) *nothing = true;
  *slot = value;
}

Status AddIdentifier(std::string_view v, DirectorySearch* s) {
  if (v.empty()) return InvalidArgumentError("parameter 'identifier' is empty");
  size_t bar = v.find('|');
  if (bar == std::string_view::npos) {
    Narrow(&s->query.identifier_suffix, "|" + std::string(v), &s->matches_nothing);
  } else if (bar == 0) {
    Narrow(&s->query.identifier_exact, std::string(v), &s->matches_nothing);
  } else {
    if (v.find('|', bar + 1) != std::string_view::npos || bar + 1 == v.size()) {
      return InvalidArgumentError("parameter 'identifier' is system|value, |value or value");
    }
    Narrow(&s->query.identifier_exact, std::string(v), &s->matches_nothing);
  }
  return OkStatus();
}

}  // namespace

std::optional<int64_t> ParseDirectoryId(std::string_view id) { return ParseNumberedId(id, "dir-"); }

std::string DirectoryId(int64_t entry_id) { return fmt::format("dir-{}", entry_id); }

DirectoryParse ParseDirectoryResource(const json& body, std::string_view type) {
  DirectoryParse out;
  if (!body.is_object()) {
    out.not_a_resource = "the body must be a JSON object (a FHIR resource)";
    return out;
  }
  if (Text(body, "resourceType") != type) {
    out.not_a_resource = fmt::format("the body must be a {} resource (resourceType)", type);
    return out;
  }
  if (auto ids = body.find("identifier"); ids != body.end()) {
    if (!ids->is_array()) {
      out.problems.push_back({fmt::format("{}.identifier", type), "must be an array"});
    } else {
      for (size_t i = 0; i < ids->size(); ++i) {
        const json& id = (*ids)[i];
        const std::string where = fmt::format("{}.identifier[{}]", type, i);
        if (!id.is_object()) {
          out.problems.push_back({where, "must be an Identifier"});
          continue;
        }
        const std::string value = Text(id, "value");
        const std::string system = Text(id, "system");
        if (value.find('|') != std::string::npos || system.find('|') != std::string::npos ||
            value.find('\n') != std::string::npos || system.find('\n') != std::string::npos) {
          out.problems.push_back({where, "must not contain '|' or a line break"});
          continue;
        }
        if (!value.empty()) out.identifiers.push_back(system + "|" + value);
      }
    }
  }
  out.name = NameOf(body, type);
  json stored = body;
  stored.erase("id");
  stored.erase("meta");
  out.stored = stored.dump(-1, ' ', false, json::error_handler_t::replace);
  return out;
}

json DirectoryResource(const documents::DirectoryEntry& entry) {
  json r = json::parse(entry.resource, nullptr, false);
  if (!r.is_object()) r = json::object();
  r["resourceType"] = entry.resource_type;
  r["id"] = DirectoryId(entry.entry_id);
  r["meta"] = {{"versionId", std::to_string(entry.version)}, {"lastUpdated", entry.written_at}};
  return r;
}

StatusOr<DirectorySearch> DirectorySearchFromParams(const SearchParams& params, bool lenient,
                                                    const std::vector<std::string>& other_known) {
  DirectorySearch s;
  for (const auto& [k, v] : params) {
    if (k == "_count" || k == "_offset" || k == "_format") continue;
    if (k == "identifier") {
      PIONEER_RETURN_IF_ERROR(AddIdentifier(v, &s));
    } else if (k == "name") {
      if (v.empty()) return InvalidArgumentError("parameter 'name' is empty");
      Narrow(&s.query.name_prefix, v, &s.matches_nothing);
    } else if (std::find(other_known.begin(), other_known.end(), k) != other_known.end()) {
      s.matches_nothing = true;
    } else if (!lenient) {
      return InvalidArgumentError(fmt::format(
          "unknown or unsupported search parameter '{}' (send Prefer: handling=lenient to "
          "ignore it)",
          k.substr(0, 40)));
    }
  }
  return s;
}

}  // namespace pioneer::fhir
