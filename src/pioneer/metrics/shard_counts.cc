#include "pioneer/metrics/shard_counts.h"

#include <fmt/format.h>

#include <fstream>

namespace pioneer::metrics {
namespace {

constexpr const char* kFormat = "pioneer-metric-counts";
constexpr int kVersion = 1;

Status Bad(const std::string& file, const std::string& what) {
  return InvalidArgumentError(fmt::format("{}: {}", file, what));
}

// True when a and b are counts of the same run (everything but the shard and the counts).
bool SameRun(const ShardCounts& a, const ShardCounts& b) {
  if (a.periods.size() != b.periods.size()) return false;
  for (size_t i = 0; i < a.periods.size(); ++i) {
    if (a.periods[i].label != b.periods[i].label || !(a.periods[i].period == b.periods[i].period))
      return false;
  }
  return a.generation == b.generation && a.engine == b.engine && a.release == b.release &&
         a.breakdown == b.breakdown && a.switches == b.switches && a.metric_ids == b.metric_ids &&
         a.shard.count == b.shard.count;
}

}  // namespace

nlohmann::json ShardCountsToJson(const ShardCounts& c) {
  nlohmann::json j;
  j["format"] = kFormat;
  j["version"] = kVersion;
  j["shard"] = c.shard.ToString();
  j["generation"] = c.generation;
  j["engine"] = c.engine;
  j["release"] = c.release;
  j["breakdown"] = BreakdownName(c.breakdown);
  j["switches"] = nlohmann::json::object();
  for (const auto& [k, v] : c.switches) j["switches"][k] = v;
  j["periods"] = nlohmann::json::array();
  for (const LabelledPeriod& p : c.periods) {
    j["periods"].push_back({{"label", p.label}, {"range", p.period.ToString()}});
  }
  j["metric_ids"] = c.metric_ids;
  j["counts"] = nlohmann::json::object();
  for (const auto& [id, counts] : c.counts) {
    nlohmann::json cells = nlohmann::json::array();
    for (const auto& [k, n] : counts) cells.push_back({k.period, k.group, k.esp_band, k.sex, n});
    j["counts"][id] = std::move(cells);
  }
  return j;
}

StatusOr<ShardCounts> ShardCountsFromJson(const nlohmann::json& j, const std::string& file) {
  if (!j.is_object() || j.value("format", "") != kFormat) {
    return Bad(file, "not a Pioneer metric counts file (format)");
  }
  if (j.value("version", 0) != kVersion) {
    return Bad(file, fmt::format("counts file version is not {} (version)", kVersion));
  }
  ShardCounts c;
  try {
    auto shard = analysis::PersonShard::Parse(j.at("shard").get<std::string>());
    if (!shard.ok()) return Bad(file, "shard: " + shard.status().message());
    c.shard = *shard;
    c.generation = j.at("generation").get<std::string>();
    c.engine = j.at("engine").get<std::string>();
    c.release = j.at("release").get<std::string>();
    auto b = ParseBreakdown(j.at("breakdown").get<std::string>());
    if (!b) return Bad(file, "breakdown: not a breakdown name");
    c.breakdown = *b;
    for (const auto& [k, v] : j.at("switches").items()) c.switches[k] = v.get<std::string>();
    for (const auto& p : j.at("periods")) {
      auto range = Period::Parse(p.at("range").get<std::string>());
      if (!range) return Bad(file, "periods: a range is not a period");
      c.periods.push_back({p.at("label").get<std::string>(), *range});
    }
    c.metric_ids = j.at("metric_ids").get<std::vector<std::string>>();
    for (const auto& [id, cells] : j.at("counts").items()) {
      Counts& counts = c.counts[id];
      for (const auto& cell : cells) {
        if (!cell.is_array() || cell.size() != 5)
          return Bad(file, "counts: a cell is not 5 values");
        CellKey k{cell[0].get<int>(), cell[1].get<std::string>(), cell[2].get<int>(),
                  cell[3].get<int>()};
        if (k.period < 0 || k.period >= static_cast<int>(c.periods.size())) {
          return Bad(file, "counts: a cell's period is out of range");
        }
        counts[k] += cell[4].get<int64_t>();
      }
    }
  } catch (const nlohmann::json::exception& e) {
    return Bad(file, std::string("malformed counts (") + e.what() + ")");
  }
  return c;
}

StatusOr<ShardCounts> ReadShardCounts(const std::string& file) {
  std::ifstream in(file);
  if (!in) return NotFoundError(file + ": cannot read the counts file");
  nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) return Bad(file, "not JSON");
  return ShardCountsFromJson(j, file);
}

StatusOr<ShardCounts> MergeShardCounts(const std::vector<ShardCounts>& parts,
                                       const std::vector<std::string>& files) {
  if (parts.empty()) return InvalidArgumentError("no counts files to merge");
  const ShardCounts& first = parts.front();
  std::vector<int> seen(static_cast<size_t>(first.shard.count), -1);
  ShardCounts merged = first;
  merged.counts.clear();
  merged.shard = analysis::PersonShard{};
  for (size_t i = 0; i < parts.size(); ++i) {
    const ShardCounts& p = parts[i];
    const std::string& name = i < files.size() ? files[i] : std::to_string(i);
    if (!SameRun(first, p)) {
      return Bad(name,
                 "counted with other settings, another shard count or another store "
                 "generation than " +
                     (files.empty() ? std::string("the first") : files.front()));
    }
    int& where = seen[static_cast<size_t>(p.shard.index)];
    if (where >= 0) {
      return Bad(name, "shard " + p.shard.ToString() + " is also in " +
                           (static_cast<size_t>(where) < files.size() ? files[where] : "another"));
    }
    where = static_cast<int>(i);
    MergeCounts(merged.counts, p.counts);
  }
  for (size_t s = 0; s < seen.size(); ++s) {
    if (seen[s] < 0) {
      return InvalidArgumentError(fmt::format("counts of shard {}/{} are missing", s, seen.size()));
    }
  }
  return merged;
}

}  // namespace pioneer::metrics
