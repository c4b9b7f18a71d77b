#include "pioneer/metrics/fast_engine.h"

#include <algorithm>
#include <functional>
#include <set>
#include <unordered_set>

#include "pioneer/metrics/statistics.h"

namespace pioneer::metrics {
namespace {

using timeline::AttributeTable;
using timeline::kNoDate;
using timeline::kNoValue;
using timeline::Source;

std::optional<Source> SourceOf(std::string_view table) {
  for (int s = 0; s < timeline::kSourceCount; ++s) {
    if (timeline::SourceTable(static_cast<Source>(s)) == table) return static_cast<Source>(s);
  }
  return std::nullopt;
}

// A compiled predicate node.
struct Node {
  Expr::Kind kind;
  std::vector<int> cols;
  std::unordered_set<int32_t> ids;     // kIn: interned ids of the values
  std::vector<std::string> prefixes;   // kPrefix
  mutable std::vector<int8_t> memo;    // kPrefix: per string id, -1 unknown
  int64_t lo = 0, hi = 0;
  std::vector<Node> children;
};

StatusOr<Node> Compile(const Expr& e, const AttributeTable& attrs,
                       const timeline::StringPool& pool) {
  Node n;
  n.kind = e.kind;
  for (const auto& f : e.fields) {
    int c = attrs.FieldIndex(f);
    if (c < 0) return InvalidArgumentError("metrics: field '" + f + "' not loaded in timeline");
    n.cols.push_back(c);
  }
  if (e.kind == Expr::Kind::kIn) {
    for (const auto& v : e.values) {
      int64_t id = pool.Find(v);
      if (id >= 0) n.ids.insert(static_cast<int32_t>(id));
    }
  }
  if (e.kind == Expr::Kind::kPrefix) {
    for (const auto& p : e.values) {
      if (!p.empty()) n.prefixes.push_back(p);
    }
    n.memo.assign(pool.size(), -1);
  }
  n.lo = e.lo;
  n.hi = e.hi;
  for (const auto& c : e.children) {
    PIONEER_ASSIGN_OR_RETURN(Node child, Compile(c, attrs, pool));
    n.children.push_back(std::move(child));
  }
  return n;
}

bool Eval(const Node& n, const AttributeTable& attrs, uint32_t row,
          const timeline::StringPool& pool) {
  switch (n.kind) {
    case Expr::Kind::kTrue:
      return true;
    case Expr::Kind::kIn:
      return n.ids.count(attrs.Value(n.cols[0], row)) > 0;
    case Expr::Kind::kPrefix:
      for (int c : n.cols) {
        int32_t id = attrs.Value(c, row);
        if (id < 0 || static_cast<size_t>(id) >= n.memo.size()) continue;
        int8_t& m = n.memo[id];
        if (m < 0) {
          std::string_view s = pool.Get(id);
          m = 0;
          for (const auto& p : n.prefixes) {
            if (s.size() >= p.size() && s.compare(0, p.size(), p) == 0) {
              m = 1;
              break;
            }
          }
        }
        if (m) return true;
      }
      return false;
    case Expr::Kind::kIntRange: {
      int32_t v = attrs.Value(n.cols[0], row);
      return v != kNoValue && v >= n.lo && v <= n.hi;
    }
    case Expr::Kind::kAnd:
      for (const auto& c : n.children) {
        if (!Eval(c, attrs, row, pool)) return false;
      }
      return true;
    case Expr::Kind::kOr:
      for (const auto& c : n.children) {
        if (Eval(c, attrs, row, pool)) return true;
      }
      return false;
    case Expr::Kind::kNot:
      return !Eval(n.children[0], attrs, row, pool);
  }
  return false;
}

struct Columns {
  int period = -1, age = -1, sex = -1, practice = -1, lsoa = -1;
};

// Visits every matching event: fn(event index, attr row, period day).
Status ForEachMatch(const timeline::Timeline& t, const MetricDefinition& def, const Expr& pred,
                    Columns& cols, const std::function<void(uint64_t, uint32_t, int32_t)>& fn) {
  auto src = SourceOf(def.source);
  if (!src) return InvalidArgumentError("metrics: unknown source '" + def.source + "'");
  const AttributeTable& attrs = t.attributes(*src);
  const auto& pool = t.strings();
  PIONEER_ASSIGN_OR_RETURN(Node root, Compile(pred, attrs, pool));
  auto need = [&](const std::string& f, int& out) -> Status {
    out = attrs.FieldIndex(f);
    if (out < 0) return InvalidArgumentError("metrics: field '" + f + "' not loaded in timeline");
    return OkStatus();
  };
  PIONEER_RETURN_IF_ERROR(need(def.period_field, cols.period));
  PIONEER_RETURN_IF_ERROR(need(def.age_field, cols.age));
  PIONEER_RETURN_IF_ERROR(need(def.sex_field, cols.sex));
  PIONEER_RETURN_IF_ERROR(need("gp_practice_code", cols.practice));
  PIONEER_RETURN_IF_ERROR(need("lsoa_code", cols.lsoa));
  const auto& ev = t.events();
  const size_t n = t.event_count();
  for (uint64_t i = 0; i < n; ++i) {
    if (ev.source[i] != *src) continue;
    uint32_t row = ev.attr_row[i];
    int32_t day = attrs.Value(cols.period, row);
    if (day == kNoDate) continue;
    if (!Eval(root, attrs, row, pool)) continue;
    fn(i, row, day);
  }
  return OkStatus();
}

int NormalisedAge(int32_t v) {
  if (v == kNoValue) return -1;
  if (v >= 7001 && v <= 7007) return 0;
  return v < 0 ? 0 : v;
}

std::string GroupOf(const timeline::Timeline& t, const ReferenceData& ref, const Columns& cols,
                    Breakdown b, const AttributeTable& attrs, uint32_t row) {
  const auto& pool = t.strings();
  switch (b) {
    case Breakdown::kNone:
      return "all";
    case Breakdown::kSex: {
      std::string_view s = pool.Get(attrs.Value(cols.sex, row));
      return SexLabel(s == "1" ? 1 : s == "2" ? 2 : 0);
    }
    case Breakdown::kAgeBand: {
      int age = NormalisedAge(attrs.Value(cols.age, row));
      return age < 0 ? "unknown" : AgeBandLabel(age);
    }
    case Breakdown::kPractice: {
      std::string_view p = pool.Get(attrs.Value(cols.practice, row));
      return p.empty() ? "unknown" : std::string(p);
    }
    case Breakdown::kCcg: {
      auto it = ref.practice_ccg.find(std::string(pool.Get(attrs.Value(cols.practice, row))));
      return it == ref.practice_ccg.end() ? "unallocated" : it->second;
    }
    case Breakdown::kDeprivation: {
      auto it = ref.lsoa_imd.find(std::string(pool.Get(attrs.Value(cols.lsoa, row))));
      return it == ref.lsoa_imd.end() ? "unallocated" : std::to_string(it->second);
    }
  }
  return "all";
}

}  // namespace

timeline::TimelineOptions RequiredTimelineOptions(
    const std::vector<MetricDefinition>& catalogue) {
  std::map<std::string, std::set<std::string>> fields;
  for (const auto& d : catalogue) {
    auto& f = fields[d.source];
    for (const auto& x : EffectivePredicate(catalogue, d).Fields()) f.insert(x);
    f.insert(d.period_field);
    f.insert(d.age_field);
    f.insert(d.sex_field);
    f.insert("gp_practice_code");
    f.insert("lsoa_code");
  }
  timeline::TimelineOptions o;
  for (auto& [table, set] : fields) o.attributes[table] = {set.begin(), set.end()};
  return o;
}

StatusOr<Counts> FastEngine::Count(const MetricDefinition& def, const Expr& predicate,
                                   const CountRequest& request) {
  Counts counts;
  Columns cols;
  auto src = SourceOf(def.source);
  if (!src) return InvalidArgumentError("metrics: unknown source '" + def.source + "'");
  const AttributeTable& attrs = t_.attributes(*src);
  std::vector<std::pair<int32_t, int32_t>> ranges;
  for (const auto& p : request.periods) {
    ranges.push_back({p.period.start.days_since_epoch(),
                      p.period.end_exclusive.days_since_epoch()});
  }
  const auto& pool = t_.strings();
  Status st = ForEachMatch(t_, def, predicate, cols, [&](uint64_t, uint32_t row, int32_t day) {
    bool any = false;
    for (const auto& r : ranges) any |= day >= r.first && day < r.second;
    if (!any) return;
    int age = NormalisedAge(attrs.Value(cols.age, row));
    std::string_view s = pool.Get(attrs.Value(cols.sex, row));
    CellKey key;
    key.group = GroupOf(t_, ref_, cols, request.breakdown, attrs, row);
    key.esp_band = age < 0 ? -1 : Esp2013Band(age);
    key.sex = s == "1" ? 1 : s == "2" ? 2 : 0;
    for (size_t p = 0; p < ranges.size(); ++p) {
      if (day >= ranges[p].first && day < ranges[p].second) {
        key.period = static_cast<int>(p);
        ++counts[key];
      }
    }
  });
  if (!st.ok()) return st;
  return counts;
}

StatusOr<std::vector<int64_t>> FastEngine::NumeratorRows(const MetricDefinition& def,
                                                         const Expr& predicate,
                                                         const LabelledPeriod& period,
                                                         Breakdown breakdown,
                                                         const std::string& group) {
  std::vector<int64_t> rows;
  Columns cols;
  auto src = SourceOf(def.source);
  if (!src) return InvalidArgumentError("metrics: unknown source '" + def.source + "'");
  const AttributeTable& attrs = t_.attributes(*src);
  Status st = ForEachMatch(t_, def, predicate, cols, [&](uint64_t i, uint32_t row, int32_t day) {
    if (!period.period.Contains(Date::FromDaysSinceEpoch(day))) return;
    if (!group.empty() && GroupOf(t_, ref_, cols, breakdown, attrs, row) != group) return;
    rows.push_back(t_.events().row_id[i]);
  });
  if (!st.ok()) return st;
  std::sort(rows.begin(), rows.end());
  return rows;
}

}  // namespace pioneer::metrics
