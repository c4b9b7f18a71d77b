#include "pioneer/ingest/directory_scan.h"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <system_error>

namespace pioneer::ingest {

namespace fs = std::filesystem;

StatusOr<DirectoryListing> ScanDirectory(const std::string& dir) {
  std::error_code ec;
  if (!fs::is_directory(dir, ec)) {
    return NotFoundError(fmt::format("'{}' is not a folder", dir));
  }
  DirectoryListing out;
  std::vector<std::pair<size_t, FoundExtract>> found;
  auto all = formats::AllExtracts();
  fs::directory_iterator it(dir, ec), end;
  if (ec) return UnavailableError(fmt::format("cannot list '{}': {}", dir, ec.message()));
  for (; it != end; it.increment(ec)) {
    if (ec) return UnavailableError(fmt::format("cannot list '{}': {}", dir, ec.message()));
    std::string name = it->path().filename().string();
    bool is_dir = it->is_directory(ec);
    if (is_dir) {
      if (name == "truth") {
        out.ignored.push_back("truth/ (ground truth written by `pioneer synth`; never ingested)");
      } else if (name == "care_plans") {
        out.ignored.push_back(
            "care_plans/ (care plans are not an extract: load them with `pioneer careplan "
            "import`)");
      } else if (name == "interventions") {
        out.ignored.push_back(
            "interventions/ (enrolment lists for `pioneer caretrak`; not extracts)");
      } else {
        out.unknown.push_back(name + "/");
      }
      continue;
    }
    const formats::ExtractSpec* spec = formats::FindExtract(name);
    if (spec == nullptr || !it->is_regular_file(ec)) {
      out.unknown.push_back(name);
      continue;
    }
    found.push_back({static_cast<size_t>(spec - all.data()), {spec, it->path().string()}});
  }
  std::sort(found.begin(), found.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (auto& f : found) out.extracts.push_back(std::move(f.second));
  std::sort(out.unknown.begin(), out.unknown.end());
  return out;
}

}  // namespace pioneer::ingest
