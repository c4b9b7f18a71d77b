#include "pioneer/metrics/fast_engine.h"

#include <algorithm>
#include <bit>
#include <functional>
#include <limits>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>

#include "pioneer/base/parallel.h"
#include "pioneer/formats/derived_tables.h"
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

Status NotLoaded(const std::string& table, const std::string& f) {
  return InvalidArgumentError("metrics: field '" + f + "' of " + table + " not loaded in timeline");
}

// The person of an unplaced record (Timeline::UnplacedRange).
constexpr timeline::PersonIndex kNoPerson = ~timeline::PersonIndex{0};

// Special anchors.
constexpr int kAnchorPeriodEnd = -2;
constexpr int kAnchorPeriodStart = -3;

// A compiled predicate node, bound to the attribute table of the source it reads.
struct Node {
  Expr::Kind kind;
  const AttributeTable* attrs = nullptr;
  std::vector<int> cols;
  std::vector<bool> text;             // per col: interned string (else date/int)
  std::unordered_set<int32_t> ids;    // kIn: interned ids of the values
  std::vector<std::string> prefixes;  // kPrefix, kContains: the non-empty values
  mutable std::vector<int8_t> memo;   // kPrefix, kContains: per string id, -1 unknown
  int64_t lo = 0, hi = 0;
  // Relations.
  Relation::Kind rel_kind = Relation::Kind::kStartsWithin;
  Source rel_source = Source::kApcEpisode;
  int rel_date = -1, rel_end = -1;  // columns in the related source's table
  int anchor = -1;                  // column in this node's table, or kAnchorPeriod*
  bool birth = false;               // kPersonDate: birth (else death)
  bool period_dependent = false;
  std::vector<Node> children;
};

bool IsText(std::string_view table, const std::string& field) {
  const formats::ExtractSpec* spec = formats::FindSourceTable(table);
  if (!spec) return true;
  int i = spec->FieldIndex(field);
  if (i < 0) return true;
  auto t = spec->fields[i].type;
  return t != formats::FieldType::kDate && t != formats::FieldType::kInteger;
}

StatusOr<Node> Compile(const Expr& e, const timeline::Timeline& t, Source src) {
  Node n;
  n.kind = e.kind;
  const AttributeTable& attrs = t.attributes(src);
  const std::string table(timeline::SourceTable(src));
  n.attrs = &attrs;
  for (const auto& f : e.fields) {
    int c = attrs.FieldIndex(f);
    if (c < 0) return NotLoaded(table, f);
    n.cols.push_back(c);
    n.text.push_back(IsText(table, f));
  }
  const auto& pool = t.strings();
  if (e.kind == Expr::Kind::kIn) {
    for (const auto& v : e.values) {
      int64_t id = pool.Find(v);
      if (id >= 0) n.ids.insert(static_cast<int32_t>(id));
    }
  }
  if (e.kind == Expr::Kind::kPrefix || e.kind == Expr::Kind::kContains) {
    for (const auto& p : e.values) {
      if (!p.empty()) n.prefixes.push_back(p);
    }
    n.memo.assign(pool.size(), -1);
  }
  n.lo = e.lo;
  n.hi = e.hi;
  if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kPersonDate) {
    const Relation& r = e.relation;
    n.rel_kind = r.kind;
    n.lo = r.lo;
    n.hi = r.hi;
    if (r.anchor == kPeriodEnd) {
      n.anchor = kAnchorPeriodEnd;
    } else if (r.anchor == kPeriodStart) {
      n.anchor = kAnchorPeriodStart;
    } else {
      n.anchor = attrs.FieldIndex(r.anchor);
      if (n.anchor < 0) return NotLoaded(table, r.anchor);
    }
    n.period_dependent = n.anchor < -1;
    if (e.kind == Expr::Kind::kPersonDate) {
      if (r.date_field != "birth_date" && r.date_field != "death_date") {
        return InvalidArgumentError("metrics: person date '" + r.date_field + "' unknown");
      }
      n.birth = r.date_field == "birth_date";
      return n;
    }
    auto rs = SourceOf(r.source);
    if (!rs) return InvalidArgumentError("metrics: unknown source '" + r.source + "'");
    if (r.kind == Relation::Kind::kBefore && *rs != src) {
      return InvalidArgumentError("metrics: 'before' relations need the same source");
    }
    n.rel_source = *rs;
    const AttributeTable& ra = t.attributes(*rs);
    n.rel_date = ra.FieldIndex(r.date_field);
    if (n.rel_date < 0) return NotLoaded(r.source, r.date_field);
    if (!r.end_field.empty()) {
      n.rel_end = ra.FieldIndex(r.end_field);
      if (n.rel_end < 0) return NotLoaded(r.source, r.end_field);
    }
    PIONEER_ASSIGN_OR_RETURN(Node child, Compile(e.children[0], t, *rs));
    n.period_dependent |= child.period_dependent;
    n.children.push_back(std::move(child));
    return n;
  }
  for (const auto& c : e.children) {
    PIONEER_ASSIGN_OR_RETURN(Node child, Compile(c, t, src));
    n.period_dependent |= child.period_dependent;
    n.children.push_back(std::move(child));
  }
  return n;
}

// What Eval needs besides the row: the person, the event and the period being counted.
struct Ctx {
  const timeline::Timeline* t;
  timeline::PersonIndex person;
  uint64_t first_event, end_event;  // the person's events
  uint64_t event;                   // the event being tested
  int32_t period_first = kNoDate, period_last = kNoDate;
  const FastEngine::SourceIndex* index = nullptr;  // per source (FastEngine::Indexes)
};

bool InWindow(int64_t v, int64_t anchor, int64_t lo, int64_t hi) {
  if (lo > -kUnbounded && v < anchor + lo) return false;
  if (hi < kUnbounded && v > anchor + hi) return false;
  return true;
}

bool Eval(const Node& n, const Ctx& ctx, uint32_t row) {
  const AttributeTable& attrs = *n.attrs;
  switch (n.kind) {
    case Expr::Kind::kTrue:
      return true;
    case Expr::Kind::kIn:
      return n.ids.count(attrs.Value(n.cols[0], row)) > 0;
    case Expr::Kind::kPrefix: {
      const auto& pool = ctx.t->strings();
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
    }
    case Expr::Kind::kContains: {
      const int32_t id = attrs.Value(n.cols[0], row);
      if (id < 0 || static_cast<size_t>(id) >= n.memo.size()) return false;
      int8_t& m = n.memo[id];
      if (m < 0) {
        const std::string_view s = ctx.t->strings().Get(id);
        m = 0;
        for (const auto& p : n.prefixes) {
          if (s.find(p) != std::string_view::npos) m = 1;
        }
      }
      return m != 0;
    }
    case Expr::Kind::kIntRange: {
      int32_t v = attrs.Value(n.cols[0], row);
      return v != kNoValue && v >= n.lo && v <= n.hi;
    }
    case Expr::Kind::kPresent: {
      int32_t v = attrs.Value(n.cols[0], row);
      return n.text[0] ? v != 0 : v != kNoValue;
    }
    case Expr::Kind::kDaysBetween: {
      int32_t a = attrs.Value(n.cols[0], row), b = attrs.Value(n.cols[1], row);
      if (a == kNoDate || b == kNoDate) return false;
      int64_t d = static_cast<int64_t>(b) - a;
      return d >= n.lo && (n.hi >= kUnbounded || d <= n.hi);
    }
    case Expr::Kind::kAnd:
      for (const auto& c : n.children) {
        if (!Eval(c, ctx, row)) return false;
      }
      return true;
    case Expr::Kind::kOr:
      for (const auto& c : n.children) {
        if (Eval(c, ctx, row)) return true;
      }
      return false;
    case Expr::Kind::kNot:
      return !Eval(n.children[0], ctx, row);
    case Expr::Kind::kExists:
    case Expr::Kind::kPersonDate: {
      int32_t anchor = n.anchor == kAnchorPeriodEnd     ? ctx.period_last
                       : n.anchor == kAnchorPeriodStart ? ctx.period_first
                                                        : attrs.Value(n.anchor, row);
      if (anchor == kNoDate) return false;
      if (n.kind == Expr::Kind::kPersonDate) {
        const auto& pc = ctx.t->persons();
        int32_t v = n.birth ? pc.birth_day[ctx.person] : pc.death_day[ctx.person];
        return v != kNoDate && InWindow(v, anchor, n.lo, n.hi);
      }
      const auto& ev = ctx.t->events();
      const AttributeTable& ra = ctx.t->attributes(n.rel_source);
      // The person's events of the related source, in timeline order: from the source index,
      // or (person tables built without one) by scanning the person's events.
      const FastEngine::SourceIndex* xi =
          ctx.index ? &ctx.index[static_cast<int>(n.rel_source)] : nullptr;
      const uint64_t k_first = xi ? xi->first[ctx.person] : ctx.first_event;
      const uint64_t k_end = xi ? xi->first[ctx.person + 1] : ctx.end_event;
      for (uint64_t k = k_first; k < k_end; ++k) {
        if (!xi && ev.source[k] != n.rel_source) continue;
        const uint64_t j = xi ? xi->events[k] : k;
        uint32_t rrow = ev.attr_row[j];
        int32_t v = ra.Value(n.rel_date, rrow);
        if (v == kNoDate) continue;
        bool related = false;
        switch (n.rel_kind) {
          case Relation::Kind::kStartsWithin:
            related = InWindow(v, anchor, n.lo, n.hi);
            break;
          case Relation::Kind::kOpenOn: {
            int64_t day = static_cast<int64_t>(anchor) + n.lo;
            int32_t end = n.rel_end < 0 ? kNoDate : ra.Value(n.rel_end, rrow);
            related = v <= day && (end == kNoDate || end > day);
            break;
          }
          case Relation::Kind::kBefore:
            related = v < anchor || (v == anchor && ev.row_id[j] < ev.row_id[ctx.event]);
            break;
        }
        if (!related) continue;
        Ctx sub = ctx;
        sub.event = j;
        if (Eval(n.children[0], sub, rrow)) return true;
      }
      return false;
    }
  }
  return false;
}

int NormalisedAge(int32_t v) {
  if (v == kNoValue) return -1;
  if (v >= 7001 && v <= 7007) return 0;
  return v < 0 ? 0 : v;
}

int AgeYears(int32_t birth, int32_t at) {
  if (birth == kNoDate || at == kNoDate) return -1;
  Date b = Date::FromDaysSinceEpoch(birth), d = Date::FromDaysSinceEpoch(at);
  int y = d.year() - b.year();
  if (d.month() < b.month() || (d.month() == b.month() && d.day() < b.day())) --y;
  return std::max(y, 0);
}

int32_t FyEnd(int32_t day) {
  int y = FinancialYear::Containing(Date::FromDaysSinceEpoch(day)).start_year + 1;
  return Date::FromYmd(y, 3, 31)->days_since_epoch();
}

const char* const kWeekdays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// Everything the per-record loop needs, resolved once per call.
struct Plan {
  const MetricDefinition* def;
  Source src;
  const AttributeTable* attrs;
  Node root;
  int period = -1, period_end = -1, value_from = -1, age = -1, birth = -1, age_date = -1;
  int sex = -1, practice = -1, lsoa = -1, provider = -1;  // -1: from the person (PDS)
  bool practice_at_event = false;                         // practice_field == kPracticeAtEvent
  std::vector<std::pair<int32_t, int32_t>> ranges;        // [first, end) per period
  bool sorted_disjoint = false;  // ranges ascending and non-overlapping (e.g. every month)
};

StatusOr<Plan> MakePlan(const timeline::Timeline& t, const MetricDefinition& def, const Expr& pred,
                        const std::vector<LabelledPeriod>& periods) {
  Plan p;
  p.def = &def;
  auto src = SourceOf(def.source);
  if (!src) return InvalidArgumentError("metrics: unknown source '" + def.source + "'");
  p.src = *src;
  p.attrs = &t.attributes(*src);
  PIONEER_ASSIGN_OR_RETURN(p.root, Compile(pred, t, *src));
  auto col = [&](const std::string& f, int& out, bool person_ok) -> Status {
    if (f.empty() || (person_ok && (f == kPersonField || f == kPracticeAtEvent))) {
      return OkStatus();
    }
    out = p.attrs->FieldIndex(f);
    if (out < 0) return NotLoaded(def.source, f);
    return OkStatus();
  };
  PIONEER_RETURN_IF_ERROR(col(def.period_field, p.period, false));
  PIONEER_RETURN_IF_ERROR(col(def.period_end_field, p.period_end, false));
  PIONEER_RETURN_IF_ERROR(col(def.value_from_field, p.value_from, false));
  if (def.age_rule == AgeRule::kField) {
    PIONEER_RETURN_IF_ERROR(col(def.age_field, p.age, false));
  } else {
    PIONEER_RETURN_IF_ERROR(col(def.birth_field, p.birth, true));
  }
  PIONEER_RETURN_IF_ERROR(col(def.age_date_field, p.age_date, false));
  PIONEER_RETURN_IF_ERROR(col(def.sex_field, p.sex, true));
  PIONEER_RETURN_IF_ERROR(col(def.practice_field, p.practice, true));
  p.practice_at_event = def.practice_field == kPracticeAtEvent;
  PIONEER_RETURN_IF_ERROR(col(def.lsoa_field, p.lsoa, true));
  if (def.profile != Profile::kNone) {
    PIONEER_RETURN_IF_ERROR(col(def.provider_field, p.provider, false));
  }
  for (const auto& lp : periods) {
    p.ranges.push_back(
        {lp.period.start.days_since_epoch(), lp.period.end_exclusive.days_since_epoch()});
  }
  p.sorted_disjoint = true;
  for (size_t k = 1; k < p.ranges.size(); ++k) {
    if (p.ranges[k].first < p.ranges[k - 1].second) p.sorted_disjoint = false;
  }
  return p;
}

struct Hit {
  int period;
  int group;  // index into Groups::names
  int esp_band;
  int sex;
  int64_t value;
  int64_t row_id;
};

// Group labels of one Visit, interned to dense ids; labels computed from a practice, LSOA or
// provider string are cached by that string's pool id so each is built once per call.
class Groups {
 public:
  explicit Groups(size_t pool_size) : by_pool_(pool_size, -1) {}
  int Id(const std::string& label) {
    auto [it, inserted] = ids_.try_emplace(label, static_cast<int>(names_.size()));
    if (inserted) names_.push_back(label);
    return it->second;
  }
  // The id for pool string `pool_id`, computing its label with make() the first time.
  template <typename F>
  int ByPoolId(uint32_t pool_id, F&& make) {
    if (pool_id >= by_pool_.size()) return Id(make());
    int& g = by_pool_[pool_id];
    if (g < 0) g = Id(make());
    return g;
  }
  const std::vector<std::string>& names() const { return names_; }

 private:
  std::vector<int> by_pool_;
  std::unordered_map<std::string, int> ids_;
  std::vector<std::string> names_;
};

// The periods a record with period date `pd` (and end `pend`) may fall in, [begin, end) of
// p.ranges: all, or with sorted disjoint periods only those from the first that ends after the
// period date (and, for a closed interval, up to the one it ends in).
std::pair<int, int> CandidatePeriods(const Plan& p, int32_t pd, int32_t pend) {
  const MetricDefinition& d = *p.def;
  const int np = static_cast<int>(p.ranges.size());
  int k_begin = 0, k_end = np;
  if (!p.sorted_disjoint) return {k_begin, k_end};
  auto after = std::upper_bound(
      p.ranges.begin(), p.ranges.end(), pd,
      [](int32_t day, const std::pair<int32_t, int32_t>& r) { return day < r.second; });
  k_begin = static_cast<int>(after - p.ranges.begin());
  if (d.period_mode == PeriodMode::kDateInPeriod) {
    k_end = std::min(np, k_begin + 1);
  } else if (d.period_mode == PeriodMode::kOverlapsPeriod && pend != kNoDate) {
    const int32_t stop = std::max(pend, pd + 1);
    auto last = std::lower_bound(
        p.ranges.begin() + k_begin, p.ranges.end(), stop,
        [](const std::pair<int32_t, int32_t>& r, int32_t day) { return r.first < day; });
    k_end = static_cast<int>(last - p.ranges.begin());
  }
  return {k_begin, k_end};
}

// The record's age by the definition's age rule, for the period ending before `end` (-1:
// unknown).
int AgeOfHit(const Plan& p, const AttributeTable& attrs, uint32_t row, int32_t birth, int32_t pd,
             int32_t end) {
  switch (p.def->age_rule) {
    case AgeRule::kField:
      return NormalisedAge(attrs.Value(p.age, row));
    case AgeRule::kAtDateField:
      return AgeYears(birth, attrs.Value(p.age_date, row));
    case AgeRule::kAtFinancialYearEnd:
      return AgeYears(birth, FyEnd(pd));
    case AgeRule::kAtPeriodEnd:
      return AgeYears(birth, end - 1);
  }
  return -1;
}

// The group (breakdown cell, or provider and weekday for a profile) of a counted record.
class HitGrouper {
 public:
  HitGrouper(const timeline::Timeline& t, const ReferenceData& ref, const Plan& p,
             const FastEngine::SourceIndex* indexes, Breakdown breakdown)
      : t_(t),
        ref_(ref),
        p_(p),
        registrations_(indexes[static_cast<int>(Source::kGpRegistration)]),
        breakdown_(breakdown) {}

  // `person` is kNoPerson for an unplaced record; `end` is the period's exclusive end.
  int Group(Groups& groups, uint32_t row, timeline::PersonIndex person, int sex, int age,
            int32_t pd, int32_t end) const {
    const MetricDefinition& d = *p_.def;
    const AttributeTable& attrs = *p_.attrs;
    const auto& pool = t_.strings();
    const auto& pc = t_.persons();
    const bool placed = person != kNoPerson;
    if (d.profile == Profile::kProviderWeekday) {
      return groups.Id((p_.provider < 0 ? std::string("all")
                                        : std::string(pool.Get(attrs.Value(p_.provider, row)))) +
                       "|" + kWeekdays[Date::FromDaysSinceEpoch(pd).iso_weekday() - 1]);
    }
    switch (breakdown_) {
      case Breakdown::kNone:
        return groups.Id("all");
      case Breakdown::kSex:
        return groups.Id(SexLabel(sex));
      case Breakdown::kAgeBand:
        return groups.Id(age < 0 ? "unknown" : AgeBandLabel(age));
      case Breakdown::kPractice:
      case Breakdown::kCcg: {
        const uint32_t id = static_cast<uint32_t>(
            p_.practice >= 0 ? attrs.Value(p_.practice, row)
            : !placed        ? 0
            : p_.practice_at_event
                ? PracticeAt(person, d.period_mode == PeriodMode::kAsAtPeriodEnd ? end - 1 : pd)
                : pc.practice[person]);
        return groups.ByPoolId(id, [&]() -> std::string {
          std::string pr(pool.Get(id));
          if (breakdown_ == Breakdown::kPractice) return pr.empty() ? "unknown" : pr;
          auto it = ref_.practice_ccg.find(pr);
          return it == ref_.practice_ccg.end() ? "unallocated" : it->second;
        });
      }
      case Breakdown::kDeprivation:
      case Breakdown::kHwb: {
        const uint32_t id = static_cast<uint32_t>(p_.lsoa >= 0 ? attrs.Value(p_.lsoa, row)
                                                  : placed     ? pc.lsoa[person]
                                                               : 0);
        return groups.ByPoolId(id, [&]() -> std::string {
          std::string ls(pool.Get(id));
          if (breakdown_ == Breakdown::kDeprivation) {
            auto it = ref_.lsoa_imd.find(ls);
            return it == ref_.lsoa_imd.end() ? "unallocated" : std::to_string(it->second);
          }
          auto it = ref_.lsoa_la.find(ls);
          return it == ref_.lsoa_la.end() ? "unallocated" : it->second;
        });
      }
    }
    return groups.Id("all");
  }

 private:
  // Practice of `person` on `day` (kPracticeAtEvent): the registration open that day with the
  // latest start (events are ordered by start, then row id), else the PDS current practice.
  uint32_t PracticeAt(timeline::PersonIndex person, int32_t day) const {
    const auto& ev = t_.events();
    uint32_t practice = t_.persons().practice[person];
    for (uint32_t k = registrations_.first[person]; k < registrations_.first[person + 1]; ++k) {
      const uint64_t r = registrations_.events[k];
      if (ev.start_day[r] > day) break;
      if (ev.end_day[r] != kNoDate && ev.end_day[r] < day) continue;
      practice = ev.code[r];
    }
    return practice;
  }

  const timeline::Timeline& t_;
  const ReferenceData& ref_;
  const Plan& p_;
  const FastEngine::SourceIndex& registrations_;
  const Breakdown breakdown_;
};

// Visits every (record, period) the definition measures, in person order; for kPersons only
// each person's first record per period (by period date, then row id).
Status Visit(const timeline::Timeline& t, const ReferenceData& ref, const Plan& p,
             const FastEngine::SourceIndex* indexes, const std::vector<uint8_t>& objecting,
             Breakdown breakdown, Groups& groups, const std::function<void(const Hit&)>& fn) {
  const FastEngine::SourceIndex& index = indexes[static_cast<int>(p.src)];
  const MetricDefinition& d = *p.def;
  const auto& ev = t.events();
  const auto& pc = t.persons();
  const auto& pool = t.strings();
  const AttributeTable& attrs = *p.attrs;
  const int np = static_cast<int>(p.ranges.size());
  std::vector<std::pair<std::pair<int32_t, int64_t>, Hit>> best(np);
  std::vector<char> have(np);
  const HitGrouper grouper(t, ref, p, indexes, breakdown);
  // One record: event i of `person` (kNoPerson: an unplaced record, counted only when the
  // definition reads nothing of the person, MetricDefinition::count_unplaced), whose events
  // are [b, e).
  auto record = [&](timeline::PersonIndex person, uint64_t i, uint64_t b, uint64_t e) {
    const bool placed = person != kNoPerson;
    uint32_t row = ev.attr_row[i];
    if (!index.duplicate.empty() && index.duplicate[row]) return;  // a surplus copy
    int32_t pd = attrs.Value(p.period, row);
    if (pd == kNoDate) return;
    if (!d.months.empty()) {
      int m = Date::FromDaysSinceEpoch(pd).month();
      if (std::find(d.months.begin(), d.months.end(), m) == d.months.end()) return;
    }
    int32_t pend = p.period_end >= 0 ? attrs.Value(p.period_end, row) : kNoDate;
    Ctx ctx{&t, person, b, e, i};
    ctx.index = indexes;
    if (!p.root.period_dependent && !Eval(p.root, ctx, row)) return;
    // A period-dependent conjunction: test its period-independent terms once per record.
    if (p.root.period_dependent && p.root.kind == Expr::Kind::kAnd) {
      bool ok = true;
      for (const auto& c : p.root.children) {
        if (!c.period_dependent && !Eval(c, ctx, row)) {
          ok = false;
          break;
        }
      }
      if (!ok) return;
    }
    // Per-record parts of the cell.
    std::string_view sex_text;
    int sex = 0;
    if (p.sex >= 0) {
      sex_text = pool.Get(attrs.Value(p.sex, row));
      sex = sex_text == "1" ? 1 : sex_text == "2" ? 2 : 0;
    } else {
      sex = !placed ? 0 : pc.sex[person] == 1 ? 1 : pc.sex[person] == 2 ? 2 : 0;
    }
    int32_t birth = p.birth >= 0 ? attrs.Value(p.birth, row)
                    : placed     ? pc.birth_day[person]
                                 : kNoDate;
    const auto [k_begin, k_end] = CandidatePeriods(p, pd, pend);
    for (int k = k_begin; k < k_end; ++k) {
      auto [first, end] = p.ranges[k];
      switch (d.period_mode) {
        case PeriodMode::kDateInPeriod:
          if (pd < first || pd >= end) continue;
          break;
        case PeriodMode::kOverlapsPeriod:
          if (pd >= end || (pend != kNoDate && std::max(pend, pd + 1) <= first)) continue;
          break;
        case PeriodMode::kAsAtPeriodEnd:
          if (pd >= end) continue;
          break;
      }
      if (p.root.period_dependent) {
        ctx.period_first = first;
        ctx.period_last = end - 1;
        if (!Eval(p.root, ctx, row)) continue;
      }
      const int age = AgeOfHit(p, attrs, row, birth, pd, end);
      if (d.age_lo >= 0 && (age < d.age_lo || age > d.age_hi)) continue;
      int64_t value = 1;
      if (d.measure == Measure::kDaysInPeriod) {
        int32_t stop = pend == kNoDate ? end : std::min(pend, end);
        value = std::max<int64_t>(0, static_cast<int64_t>(stop) - std::max(pd, first));
      } else if (d.measure == Measure::kDaysBetween) {
        int32_t from = attrs.Value(p.value_from, row);
        if (from == kNoDate) continue;
        value = std::max<int64_t>(0, static_cast<int64_t>(pd) - from);
      }
      Hit h;
      h.period = k;
      h.value = value;
      h.row_id = ev.row_id[i];
      h.esp_band = age < 0 ? -1 : Esp2013Band(age);
      h.sex = sex;
      h.group = grouper.Group(groups, row, person, sex, age, pd, end);
      if (d.measure == Measure::kPersons) {
        std::pair<int32_t, int64_t> order{pd, h.row_id};
        if (!have[k] || order < best[k].first) {
          have[k] = 1;
          best[k] = {order, std::move(h)};
        }
      } else {
        fn(h);
      }
    }
  };
  const bool skip_objecting = d.exclude_objections && !objecting.empty();
  for (timeline::PersonIndex person = 0; person < t.person_count(); ++person) {
    const uint32_t first_of_source = index.first[person], end_of_source = index.first[person + 1];
    if (first_of_source == end_of_source) continue;
    if (skip_objecting && objecting[person]) continue;
    auto [b, e] = t.EventRange(person);
    if (d.measure == Measure::kPersons) std::fill(have.begin(), have.end(), 0);
    for (uint32_t j = first_of_source; j < end_of_source; ++j)
      record(person, index.events[j], b, e);
    if (d.measure == Measure::kPersons) {
      for (int k = 0; k < np; ++k) {
        if (have[k]) fn(best[k].second);
      }
    }
  }
  if (d.count_unplaced && d.measure != Measure::kPersons) {
    auto [b, e] = t.UnplacedRange();
    for (uint32_t i : index.unplaced) record(kNoPerson, i, b, e);
  }
  return OkStatus();
}

}  // namespace

timeline::TimelineOptions RequiredTimelineOptions(const std::vector<MetricDefinition>& catalogue) {
  std::map<std::string, std::set<std::string>> fields;
  for (const auto& d : catalogue) {
    for (const auto& [table, set] : FieldsBySource(catalogue, d)) {
      fields[table].insert(set.begin(), set.end());
    }
    // Breakdowns read these from the record when the definition does.
    if (d.practice_field[0] != '@') fields[d.source].insert(d.practice_field);
    if (d.lsoa_field[0] != '@') fields[d.source].insert(d.lsoa_field);
  }
  timeline::TimelineOptions o;
  for (auto& [table, set] : fields) {
    set.erase("");
    if (!set.empty()) o.attributes[table] = {set.begin(), set.end()};
  }
  return o;
}

StatusOr<const FastEngine::SourceIndex*> FastEngine::Indexes() {
  if (indexed_) return index_.data();
  if (t_.event_count() > UINT32_MAX) {
    return InvalidArgumentError("metrics: more than 2^32 events on the timeline");
  }
  const auto& src = t_.events().source;
  std::array<size_t, timeline::kSourceCount> n{};
  for (timeline::Source s : src) ++n[static_cast<int>(s)];
  for (int s = 0; s < timeline::kSourceCount; ++s) {
    index_[s].events.reserve(n[s]);
    index_[s].first.assign(t_.person_count() + 1, 0);
  }
  const auto& nhs = t_.persons().nhs_number;
  for (timeline::PersonIndex person = 0; person < t_.person_count(); ++person) {
    for (auto& x : index_) x.first[person] = static_cast<uint32_t>(x.events.size());
    if (!shard_.Contains(nhs[person])) continue;  // another shard's person: no events
    auto [b, e] = t_.EventRange(person);
    for (uint64_t i = b; i < e; ++i) {
      index_[static_cast<int>(src[i])].events.push_back(static_cast<uint32_t>(i));
    }
  }
  for (auto& x : index_) x.first[t_.person_count()] = static_cast<uint32_t>(x.events.size());
  for (auto [i, e] = t_.UnplacedRange(); shard_.HoldsUnplaced() && i < e; ++i) {
    index_[static_cast<int>(src[i])].unplaced.push_back(static_cast<uint32_t>(i));
  }
  for (const auto& [table, rows] : ref_.duplicate_rows) {
    auto s = SourceOf(table);
    if (!s || rows.empty()) continue;
    SourceIndex& x = index_[static_cast<int>(*s)];
    x.duplicate.assign(t_.attributes(*s).rows(), 0);
    for (const auto* list : {&x.events, &x.unplaced}) {
      for (uint32_t i : *list) {
        if (std::binary_search(rows.begin(), rows.end(), t_.events().row_id[i])) {
          const uint32_t row = t_.events().attr_row[i];
          if (row < x.duplicate.size()) x.duplicate[row] = 1;
        }
      }
    }
  }
  if (!ref_.objecting.empty()) {
    objecting_.assign(t_.person_count(), 0);
    for (timeline::PersonIndex person = 0; person < t_.person_count(); ++person) {
      objecting_[person] =
          std::binary_search(ref_.objecting.begin(), ref_.objecting.end(), nhs[person]);
    }
  }
  indexed_ = true;
  return index_.data();
}

StatusOr<Counts> FastEngine::Count(const MetricDefinition& def, const Expr& predicate,
                                   const CountRequest& request) {
  Counts counts;
  PIONEER_ASSIGN_OR_RETURN(Plan plan, MakePlan(t_, def, predicate, request.periods));
  PIONEER_ASSIGN_OR_RETURN(const SourceIndex* indexes, Indexes());
  // Accumulate by a packed integer cell (period, group id, band, sex), then name the cells.
  Groups groups(t_.strings().size());
  std::unordered_map<uint64_t, int64_t> cells;
  auto pack = [](const Hit& h) -> uint64_t {
    return (static_cast<uint64_t>(h.period) << 40) | (static_cast<uint64_t>(h.group) << 12) |
           (static_cast<uint64_t>(h.esp_band + 1) << 4) | static_cast<uint64_t>(h.sex);
  };
  PIONEER_RETURN_IF_ERROR(Visit(t_, ref_, plan, indexes, objecting_, request.breakdown, groups,
                                [&](const Hit& h) { cells[pack(h)] += h.value; }));
  for (const auto& [key, n] : cells) {
    CellKey k;
    k.period = static_cast<int>(key >> 40);
    k.group = groups.names()[static_cast<size_t>((key >> 12) & ((uint64_t{1} << 28) - 1))];
    k.esp_band = static_cast<int>((key >> 4) & 0xFF) - 1;
    k.sex = static_cast<int>(key & 0xF);
    counts[k] += n;
  }
  return counts;
}

StatusOr<std::vector<int64_t>> FastEngine::NumeratorRows(const MetricDefinition& def,
                                                         const Expr& predicate,
                                                         const LabelledPeriod& period,
                                                         Breakdown breakdown,
                                                         const std::string& group) {
  std::vector<int64_t> rows;
  PIONEER_ASSIGN_OR_RETURN(Plan plan, MakePlan(t_, def, predicate, {period}));
  PIONEER_ASSIGN_OR_RETURN(const SourceIndex* indexes, Indexes());
  Groups groups(t_.strings().size());
  PIONEER_RETURN_IF_ERROR(
      Visit(t_, ref_, plan, indexes, objecting_, breakdown, groups, [&](const Hit& h) {
        if (group.empty() || groups.names()[static_cast<size_t>(h.group)] == group) {
          rows.push_back(h.row_id);
        }
      }));
  std::sort(rows.begin(), rows.end());
  return rows;
}

// ---------------------------------------------------------------------------------------------
// Per-person tables (person_table.h).

//
// One pass over each person's events evaluates every column, as risk::BuildCohort does: each
// event is offered only to the columns of its source, and a column whose predicate requires a
// kIn on a field (the predicate itself, or a child of its top-level kAnd) only to the events
// whose value is in that set, found by one lookup per event in a per-string-id bit mask shared
// by every column guarded on that field. Workers (DefaultThreads()) take contiguous ranges of
// the NHS Number order and their rows are concatenated in that order, so the table does not
// depend on the thread count. The source indexes (Indexes()) are built only when the spec
// needs them (duplicate rows to skip, objections to apply); relations then scan the person's
// events instead.

namespace {

// A record column of a spec, compiled. Compiled once per worker: the kPrefix and kContains
// memos of a Node are written as they are read.
struct TableColumn {
  // What every event offered to the column reads first (one cache line), then the predicate.
  ColumnKind kind = ColumnKind::kExists;
  int lo = 0, hi = 0;
  int date = -1, value = -1, end = -1, open_end = -1;
  bool where_is_guard = false;  // `where` is a kIn alone: the guard decides
  // date_field is the timeline event's start (open_end_field its end): read from the event
  // columns, in the person's order, rather than the attribute table, in the store's.
  bool date_is_start = false, open_end_is_end = false;
  Source src = Source::kGpRegistration;
  const AttributeTable* attrs = nullptr;
  Node where;
  // ColumnSpec::also: further date fields (attribute column, or the event's start) in windows.
  struct Also {
    int field = -1;
    bool is_start = false;
    int lo = 0, hi = 0;
  };
  std::vector<Also> also;
  // kLastDecimal: the fixed-point value of each string id read so far (kNoDecimal: none).
  std::unordered_map<uint32_t, int64_t> decimals;
};

constexpr int64_t kNoDecimal = std::numeric_limits<int64_t>::min();

// Which event column holds the value of `field` of `table` as the attribute table holds it:
// 1 start, 2 end (dates), 3 code, 4 detail (interned text, the same string ids); 0 none.
int EventColumnOf(std::string_view table, const std::string& field) {
  const formats::ExtractSpec* spec = formats::FindSourceTable(table);
  const int i = spec ? spec->FieldIndex(field) : -1;
  if (i < 0 || field.empty()) return 0;
  const formats::FieldType type = spec->fields[i].type;
  const bool date = type == formats::FieldType::kDate;
  const bool text = !date && type != formats::FieldType::kInteger;
  if (date && field == spec->event.start) return 1;
  if (date && field == spec->event.end) return 2;
  if (text && field == spec->event.code) return 3;
  if (text && field == spec->event.detail) return 4;
  return 0;
}

struct TablePlan {
  Node population;
  std::vector<TableColumn> columns;  // spec order; person kinds hold nothing
};

StatusOr<TablePlan> CompileTable(const PersonTableSpec& spec, const timeline::Timeline& t) {
  TablePlan p;
  // The population reads no record of its own (ValidatePersonTableSpec): any source will do.
  PIONEER_ASSIGN_OR_RETURN(p.population, Compile(spec.population, t, Source::kGpRegistration));
  for (const ColumnSpec& c : spec.columns) {
    TableColumn col;
    col.kind = c.kind;
    col.lo = c.lo;
    col.hi = c.hi;
    if (IsRecordColumn(c.kind)) {
      auto src = SourceOf(c.source);
      if (!src) return InvalidArgumentError("person table: unknown source '" + c.source + "'");
      col.src = *src;
      col.attrs = &t.attributes(*src);
      PIONEER_ASSIGN_OR_RETURN(col.where, Compile(c.where, t, *src));
      col.where_is_guard = c.where.kind == Expr::Kind::kIn;
      auto field = [&](const std::string& f, int& index) -> Status {
        if (f.empty()) return OkStatus();
        index = col.attrs->FieldIndex(f);
        return index < 0 ? NotLoaded(c.source, f) : OkStatus();
      };
      PIONEER_RETURN_IF_ERROR(field(c.date_field, col.date));
      PIONEER_RETURN_IF_ERROR(
          field(c.value_field.empty() ? c.date_field : c.value_field, col.value));
      PIONEER_RETURN_IF_ERROR(field(c.end_field, col.end));
      PIONEER_RETURN_IF_ERROR(field(c.open_end_field, col.open_end));
      col.date_is_start = EventColumnOf(c.source, c.date_field) == 1;
      col.open_end_is_end = EventColumnOf(c.source, c.open_end_field) == 2;
      for (const FieldWindow& w : c.also) {
        TableColumn::Also a;
        PIONEER_RETURN_IF_ERROR(field(w.field, a.field));
        a.is_start = EventColumnOf(c.source, w.field) == 1;
        a.lo = w.lo;
        a.hi = w.hi;
        col.also.push_back(a);
      }
    }
    p.columns.push_back(std::move(col));
  }
  return p;
}

// The kIn every record satisfying `e` satisfies: `e` itself, or a child of a top-level kAnd.
const Expr* GuardOf(const Expr& e) {
  if (e.kind == Expr::Kind::kIn) return &e;
  if (e.kind == Expr::Kind::kAnd) {
    for (const Expr& c : e.children) {
      if (c.kind == Expr::Kind::kIn) return &c;
    }
  }
  return nullptr;
}

// Which record columns an event of one source may feed.
struct SourceDispatch {
  std::vector<size_t> always;  // tried on every event
  struct Guard {
    int field = -1;  // attribute column of the guarded field
    int event = 0;   // EventColumnOf the field: 3 code, 4 detail (read there), else 0
    std::vector<std::set<size_t>> ids;  // while building: per column, the kIn's string ids
    // Per string id an index into masks (one byte, so the table stays in cache): masks[slot]
    // has bit b when columns[b]'s kIn holds the id; slot 0 holds no column.
    std::vector<uint8_t> slot;
    std::vector<uint64_t> masks;
    std::vector<size_t> columns;  // at most 64
  };
  std::vector<Guard> guards;
  bool empty() const { return always.empty() && guards.empty(); }
};

// Running value of one record column for the current person.
struct Accumulator {
  int64_t count = 0, sum = 0, best = 0;
  bool have = false;
  int32_t best_date = 0;  // kLastDecimal: the (date, row id) of the record holding best
  int64_t best_row = 0;
};

// Which record columns each source's events are offered to: columns whose `where` starts with
// a kIn guard on one field are reached through a one-byte slot per string id and a bit mask
// (at most 64 columns per mask); the others are tried on every event of their source.
std::array<SourceDispatch, timeline::kSourceCount> PlanDispatch(const PersonTableSpec& spec,
                                                                const TablePlan& first_plan,
                                                                const timeline::StringPool& pool) {
  std::array<SourceDispatch, timeline::kSourceCount> dispatch;
  for (size_t k = 0; k < spec.columns.size(); ++k) {
    const ColumnSpec& c = spec.columns[k];
    if (!IsRecordColumn(c.kind)) continue;
    const TableColumn& col = first_plan.columns[k];
    SourceDispatch& d = dispatch[static_cast<int>(col.src)];
    const Expr* guard = GuardOf(c.where);
    const int field = guard ? col.attrs->FieldIndex(guard->fields[0]) : -1;
    if (field < 0) {
      d.always.push_back(k);
      continue;
    }
    auto g = std::find_if(d.guards.begin(), d.guards.end(), [&](const SourceDispatch::Guard& x) {
      return x.field == field && x.columns.size() < 64;
    });
    if (g == d.guards.end()) {
      d.guards.push_back({field, EventColumnOf(c.source, guard->fields[0]), {}, {}, {}, {}});
      g = d.guards.end() - 1;
    }
    g->columns.push_back(k);
    g->ids.emplace_back();
    for (const auto& v : guard->values) {
      const int64_t id = pool.Find(v);
      if (id >= 0) g->ids.back().insert(static_cast<size_t>(id));
    }
  }
  // The guards' masks: one per distinct set of columns; more than 255 such sets (never in
  // practice) and the guard's columns are tried on every event instead.
  for (SourceDispatch& d : dispatch) {
    for (auto g = d.guards.begin(); g != d.guards.end();) {
      std::map<size_t, uint64_t> mask_of;  // string id -> columns
      for (size_t b = 0; b < g->columns.size(); ++b) {
        for (size_t id : g->ids[b]) mask_of[id] |= uint64_t{1} << b;
      }
      std::map<uint64_t, uint8_t> slot_of;
      g->masks = {0};
      g->slot.assign(pool.size(), 0);
      bool fits = true;
      for (const auto& [id, mask] : mask_of) {
        auto [it, added] = slot_of.emplace(mask, static_cast<uint8_t>(g->masks.size()));
        if (added) {
          if (g->masks.size() > 255) {
            fits = false;
            break;
          }
          g->masks.push_back(mask);
        }
        g->slot[id] = it->second;
      }
      g->ids.clear();
      if (fits) {
        ++g;
      } else {
        d.always.insert(d.always.end(), g->columns.begin(), g->columns.end());
        g = d.guards.erase(g);
      }
    }
  }

  return dispatch;
}

// Offers event i (attribute row `row`) of the person in `ctx` to record column `col` of kind
// `kind`: when its date lies in the window around `day` and it satisfies the column's
// predicate, it is counted in `a` and its value taken by the column's rule.
void OfferEvent(TableColumn& col, ColumnKind kind, Ctx& ctx, uint64_t i, uint32_t row, int32_t day,
                Accumulator& a) {
  const auto& ev = ctx.t->events();
  const TableColumn& c = col;
  const AttributeTable& attrs = *col.attrs;
  const int32_t v = col.date_is_start ? ev.start_day[i] : attrs.Value(col.date, row);
  if (v == kNoDate) return;
  if (col.open_end < 0) {
    if (!InWindow(v, day, c.lo, c.hi)) return;
  } else {  // open at some point in the window: starts by its end, ends after its start
    if (c.hi < kUnbounded && v > static_cast<int64_t>(day) + c.hi) return;
    const int32_t open_end = col.open_end_is_end ? ev.end_day[i] : attrs.Value(col.open_end, row);
    if (open_end != kNoDate && c.lo > -kUnbounded && open_end <= static_cast<int64_t>(day) + c.lo) {
      return;
    }
  }
  for (const TableColumn::Also& w : col.also) {
    const int32_t x = w.is_start ? ev.start_day[i] : attrs.Value(w.field, row);
    if (x == kNoDate || !InWindow(x, day, w.lo, w.hi)) return;
  }
  if (!col.where_is_guard) {
    ctx.event = i;
    if (!Eval(col.where, ctx, row)) return;
  }
  ++a.count;
  switch (kind) {
    case ColumnKind::kFirstDate:
    case ColumnKind::kLastDate:
    case ColumnKind::kMinInt:
    case ColumnKind::kMaxInt: {
      const int32_t x = attrs.Value(col.value, row);
      if (x == kNoDate) break;  // == kNoValue: no value
      const bool lowest = kind == ColumnKind::kFirstDate || kind == ColumnKind::kMinInt;
      if (!a.have || (lowest ? x < a.best : x > a.best)) a.best = x;
      a.have = true;
      break;
    }
    case ColumnKind::kSumInt: {
      const int32_t x = attrs.Value(col.value, row);
      if (x != kNoValue) a.sum += x;
      break;
    }
    case ColumnKind::kLastDecimal: {
      // The latest by (date, row id); v is the record's date_field (in the window).
      const int64_t rid = ev.row_id[i];
      if (a.have && (v < a.best_date || (v == a.best_date && rid < a.best_row))) break;
      const auto id = static_cast<uint32_t>(attrs.Value(col.value, row));
      auto [it, added] = col.decimals.try_emplace(id, kNoDecimal);
      if (added) {
        it->second = ParseFixedDecimal(ctx.t->strings().Get(id)).value_or(kNoDecimal);
      }
      if (it->second == kNoDecimal) break;
      a.best = it->second;
      a.best_date = v;
      a.best_row = rid;
      a.have = true;
      break;
    }
    case ColumnKind::kSumDays: {
      const int32_t start = attrs.Value(col.value, row);
      const int32_t end = attrs.Value(col.end, row);
      if (start == kNoDate) break;
      const bool open_window = c.hi >= kUnbounded;
      if (end == kNoDate && open_window) break;
      const int64_t window_end = static_cast<int64_t>(day) + c.hi + 1;
      int64_t stop = end == kNoDate ? window_end : end;
      if (!open_window) stop = std::min(stop, window_end);
      a.sum += std::max<int64_t>(0, stop - start);
      break;
    }
    default:
      break;
  }
}

// One person's cells: person columns from the timeline and the reference data, record columns
// from their accumulators (events [b, e) are the person's).
void WriteCells(const PersonTableSpec& spec, const std::vector<Accumulator>& acc,
                const timeline::Timeline& t, const ReferenceData& ref, timeline::PersonIndex person,
                uint64_t b, uint64_t e, int32_t day, int64_t* value, uint8_t* null) {
  const auto& ev = t.events();
  const auto& pc = t.persons();
  const auto& pool = t.strings();
  for (size_t k = 0; k < spec.columns.size(); ++k) {
    const ColumnSpec& c = spec.columns[k];
    const Accumulator& a = acc[k];
    switch (c.kind) {
      case ColumnKind::kAge: {
        const int age = AgeYears(pc.birth_day[person], day);
        if (age < 0) {
          null[k] = 1;
        } else {
          value[k] = age;
        }
        break;
      }
      case ColumnKind::kSex:
        if (pc.in_pds[person]) {
          value[k] = pc.sex[person];
        } else {
          null[k] = 1;
        }
        break;
      case ColumnKind::kPractice: {
        // kPracticeAtEvent's rule on the index date (as Visit's practice_at): events are
        // ordered by start day, so the first registration starting after D ends the search.
        uint32_t practice = pc.practice[person];
        for (uint64_t i = b; i < e; ++i) {
          if (ev.source[i] != Source::kGpRegistration) continue;
          if (ev.start_day[i] > day) break;
          if (ev.end_day[i] != kNoDate && ev.end_day[i] < day) continue;
          practice = ev.code[i];
        }
        if (pool.Get(practice).empty()) {
          null[k] = 1;
        } else {
          value[k] = practice;
        }
        break;
      }
      case ColumnKind::kImdDecile: {
        const std::string_view lsoa = pool.Get(pc.lsoa[person]);
        const auto it = lsoa.empty() ? ref.lsoa_imd.end() : ref.lsoa_imd.find(std::string(lsoa));
        if (it == ref.lsoa_imd.end()) {
          null[k] = 1;
        } else {
          value[k] = it->second;
        }
        break;
      }
      case ColumnKind::kExists:
        value[k] = a.count > 0;
        break;
      case ColumnKind::kCount:
        value[k] = a.count;
        break;
      case ColumnKind::kSumInt:
      case ColumnKind::kSumDays:
        value[k] = a.sum;
        break;
      default:
        if (a.have) {
          value[k] = a.best;
        } else {
          null[k] = 1;
        }
        break;
    }
  }
}

}  // namespace

StatusOr<FastEngine::PersonCells> FastEngine::BuildPersonCells(const PersonTableSpec& spec) {
  PIONEER_RETURN_IF_ERROR(ValidatePersonTableSpec(spec));
  const bool skip_objecting = spec.exclude_objections && !ref_.objecting.empty();
  const SourceIndex* indexes = nullptr;
  if (indexed_ || skip_objecting || (spec.distinct_rows && !ref_.duplicate_rows.empty())) {
    PIONEER_ASSIGN_OR_RETURN(indexes, Indexes());
  }
  const bool skip_duplicates = spec.distinct_rows && indexes != nullptr;
  PIONEER_ASSIGN_OR_RETURN(TablePlan first_plan, CompileTable(spec, t_));
  const auto& pool = t_.strings();

  const std::array<SourceDispatch, timeline::kSourceCount> dispatch =
      PlanDispatch(spec, first_plan, pool);
  // Each person's index date: the spec's, or their own (index_dates; kNoDate: not listed).
  const int32_t spec_day = spec.index_date.days_since_epoch();
  std::vector<int32_t> own_day;
  if (!spec.index_dates.empty()) {
    own_day.assign(t_.person_count(), kNoDate);
    for (const PersonIndexDate& d : spec.index_dates) {
      if (auto p = t_.FindPerson(d.nhs_number)) own_day[*p] = d.index_date.days_since_epoch();
    }
  }
  const auto& ev = t_.events();
  // Workers fill person-indexed cells (people in timeline order, so each person's events are
  // read where they lie); the rows are then gathered in NHS Number order.
  const size_t people = t_.person_count(), ncols = spec.columns.size();
  PersonCells result;
  result.columns = ncols;
  result.in_population.assign(people, 0);
  result.values.assign(people * ncols, 0);
  result.null.assign(people * ncols, 0);
  std::vector<uint8_t>& in_population = result.in_population;
  std::vector<int64_t>& cells = result.values;
  const int threads = DefaultThreads();
  const size_t tasks = std::clamp<size_t>(people / 4096, 1, static_cast<size_t>(threads));
  std::vector<Status> errors(tasks, OkStatus());

  auto build = [&](size_t task) {
    TablePlan local;
    TablePlan* plan = &first_plan;
    if (task > 0) {
      auto compiled = CompileTable(spec, t_);
      if (!compiled.ok()) {
        errors[task] = compiled.status();
        return;
      }
      local = std::move(*compiled);
      plan = &local;
    }
    std::vector<Accumulator> acc(spec.columns.size());
    const size_t from = people * task / tasks, to = people * (task + 1) / tasks;
    for (size_t r = from; r < to; ++r) {
      const auto person = static_cast<timeline::PersonIndex>(r);
      if (skip_objecting && objecting_[person]) continue;
      const int32_t day = own_day.empty() ? spec_day : own_day[person];
      if (day == kNoDate) continue;
      auto [b, e] = t_.EventRange(person);
      Ctx ctx{&t_, person, b, e, b};
      ctx.index = indexes;
      ctx.period_first = ctx.period_last = day;
      if (!Eval(plan->population, ctx, 0)) continue;
      in_population[person] = 1;
      std::fill(acc.begin(), acc.end(), Accumulator{});
      int64_t* value = cells.data() + person * ncols;
      uint8_t* null = result.null.data() + person * ncols;

      auto offer = [&](size_t k, uint64_t i, uint32_t row) {
        OfferEvent(plan->columns[k], spec.columns[k].kind, ctx, i, row, day, acc[k]);
      };
      for (uint64_t i = b; i < e; ++i) {
        const int s = static_cast<int>(ev.source[i]);
        const SourceDispatch& d = dispatch[s];
        if (d.empty()) continue;
        const uint32_t row = ev.attr_row[i];
        if (skip_duplicates && !indexes[s].duplicate.empty() && indexes[s].duplicate[row]) {
          continue;  // a surplus copy of an exact duplicate row
        }
        for (size_t k : d.always) offer(k, i, row);
        for (const SourceDispatch::Guard& g : d.guards) {
          const int64_t id = g.event == 3 ? int64_t{ev.code[i]}
                             : g.event == 4
                                 ? int64_t{ev.detail[i]}
                                 : t_.attributes(static_cast<Source>(s)).Value(g.field, row);
          if (id < 0 || static_cast<size_t>(id) >= g.slot.size()) continue;
          for (uint64_t m = g.masks[g.slot[static_cast<size_t>(id)]]; m != 0; m &= m - 1) {
            offer(g.columns[static_cast<size_t>(std::countr_zero(m))], i, row);
          }
        }
      }

      WriteCells(spec, acc, t_, ref_, person, b, e, day, value, null);
    }
  };
  ParallelFor(tasks, threads, build);
  for (const Status& st : errors) PIONEER_RETURN_IF_ERROR(st);
  return result;
}

StatusOr<PersonTable> FastEngine::BuildPersonTable(const PersonTableSpec& spec) {
  PIONEER_ASSIGN_OR_RETURN(const PersonCells result, BuildPersonCells(spec));
  const size_t people = t_.person_count(), ncols = result.columns;
  const std::vector<uint8_t>& in_population = result.in_population;
  const std::vector<int64_t>& cells = result.values;
  const std::vector<uint8_t>& nulls = result.null;
  const auto& pc = t_.persons();
  const auto& pool = t_.strings();
  PersonTable out;
  size_t rows = 0;
  for (size_t p = 0; p < people; ++p) rows += in_population[p];
  out.nhs_number.reserve(rows);
  for (const ColumnSpec& c : spec.columns) {
    PersonColumn o{c.name, ColumnType(c.kind), {}, {}, {}};
    o.values.reserve(rows);
    o.null.reserve(rows);
    if (o.type == ValueType::kText) o.text.reserve(rows);
    out.columns.push_back(std::move(o));
  }
  for (const uint32_t person : t_.nhs_order()) {
    if (!in_population[person]) continue;
    out.nhs_number.emplace_back(pc.nhs_number[person]);
    for (size_t k = 0; k < ncols; ++k) {
      PersonColumn& o = out.columns[k];
      const size_t cell = person * ncols + k;
      if (nulls[cell]) {
        AppendNull(o);
      } else if (o.type == ValueType::kText) {
        AppendText(o, std::string(pool.Get(static_cast<uint32_t>(cells[cell]))));
      } else {
        AppendInt(o, cells[cell]);
      }
    }
  }
  return out;
}

}  // namespace pioneer::metrics
