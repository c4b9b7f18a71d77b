#include "pioneer/metrics/evaluate.h"

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <functional>
#include <set>
#include <tuple>

#include "pioneer/base/parallel.h"
#include "pioneer/metrics/statistics.h"

namespace pioneer::metrics {
namespace {

int PopulationYear(const ReferenceData& ref, const SwitchValues& sw, const Period& p) {
  if (ref.max_year == 0) return 0;
  if (sw.count("population.mye_year") && sw.at("population.mye_year") == "latest") {
    return ref.max_year;
  }
  int y = FinancialYear::Containing(p.start).start_year;
  return std::clamp(y, ref.min_year, ref.max_year);
}

// Per (period, group): events by (band, sex).
using GroupCells = std::map<std::pair<int, std::string>, std::map<std::pair<int, int>, int64_t>>;

GroupCells Regroup(const Counts& c) {
  GroupCells g;
  for (const auto& [k, n] : c) g[{k.period, k.group}][{k.esp_band, k.sex}] += n;
  return g;
}

bool Registered(const SwitchValues& sw) {
  return sw.count("population.basis") && sw.at("population.basis") == "registered";
}

// Population of ages [lo, hi] and sex `sex` (0 = both) inside one group of a breakdown, in
// mid-year / FY `year` (nullopt: the group has no population denominator).
//   none, sex, age band: ONS mid-year estimates, or registered people (population.basis);
//   hwb: ONS estimates of that area (no registered split by residence area);
//   practice, ccg, deprivation: people registered on 1 April of the financial year, whatever
//     population.basis says -- ONS publishes no estimates for practices, CCG lists are
//     registered lists by definition (1.3), and the store holds no MYE by IMD decile.
std::optional<int64_t> GroupPopulation(const ReferenceData& ref, const SwitchValues& sw,
                                       Breakdown b, const std::string& group, int year, int sex,
                                       int lo, int hi) {
  if (ref.max_year == 0) return std::nullopt;
  auto pop = [&](int s, int l, int h) -> int64_t {
    return Registered(sw) ? ref.Registered(year, s, l, h) : ref.Population(year, s, l, h);
  };
  switch (b) {
    case Breakdown::kNone:
      return pop(sex, lo, hi);
    case Breakdown::kSex: {
      if (group == "unknown") return std::nullopt;
      const int g = group == "male" ? 1 : 2;
      if (sex != 0 && sex != g) return 0;
      return pop(g, lo, hi);
    }
    case Breakdown::kAgeBand:
      for (const auto& [blo, bhi] : AgeBands()) {
        if (AgeBandLabel(blo) == group) {
          int l = std::max(lo, blo), h = std::min(hi, bhi);
          return l > h ? 0 : pop(sex, l, h);
        }
      }
      return std::nullopt;
    case Breakdown::kHwb:
      if (Registered(sw) || group == "unallocated") return std::nullopt;
      return ref.AreaPopulation(group, year, sex, lo, hi);
    case Breakdown::kPractice:
    case Breakdown::kCcg:
    case Breakdown::kDeprivation:
      return ref.RegisteredIn(b, group, year, sex, lo, hi);
  }
  return std::nullopt;
}

// Where a group's population comes from (MetricValue::denominator_basis).
std::string PopulationBasis(const SwitchValues& sw, Breakdown b, int year) {
  if (b == Breakdown::kPractice || b == Breakdown::kCcg || b == Breakdown::kDeprivation ||
      Registered(sw)) {
    return fmt::format("GP-registered 1 April {}", year);
  }
  return fmt::format("ONS mid-{} estimate", year);
}

std::optional<int64_t> Denominator(const ReferenceData& ref, const SwitchValues& sw,
                                   const MetricDefinition& d, Breakdown b, const std::string& group,
                                   int year) {
  return GroupPopulation(ref, sw, b, group, year, 0, d.denominator_age_lo, d.denominator_age_hi);
}

// Expected prevalence: sum over sex and 5-year bands from 65 of rate x the group's population.
std::optional<double> Expected(const ReferenceData& ref, const SwitchValues& sw,
                               const MetricDefinition& d, Breakdown b, const std::string& group,
                               int year) {
  const RateTable* t = ref.RateTableNamed(d.prevalence_table);
  if (!t || ref.max_year == 0) return std::nullopt;
  double expected = 0;
  for (int sex = 1; sex <= 2; ++sex) {
    for (int band = 0; band < 6; ++band) {
      int lo = 65 + band * 5, hi = band == 5 ? 200 : lo + 4;
      lo = std::max(lo, d.denominator_age_lo);
      hi = std::min(hi, d.denominator_age_hi);
      if (lo > hi) continue;
      auto n = GroupPopulation(ref, sw, b, group, year, sex, lo, hi);
      if (!n) return std::nullopt;
      expected += t->rate[sex][band] / 100.0 * static_cast<double>(*n);
    }
  }
  return expected;
}

int MonthsIn(const Period& p) {
  int n = 0;
  for (CalendarMonth m = CalendarMonth::Containing(p.start); m.period().start < p.end_exclusive;
       m = m.Next()) {
    if (p.Contains(m.period().start)) ++n;
  }
  return std::max(n, 1);
}

double UnitScale(Unit u) {
  switch (u) {
    case Unit::kPer100k:
      return 100000.0;
    case Unit::kPer1000:
      return 1000.0;
    case Unit::kPercent:
      return 100.0;
    case Unit::kDays:
      return 1.0;
    case Unit::kCount:
      return 0.0;
  }
  return 0.0;
}

std::optional<DirectlyStandardisedRate> Standardise(
    const ReferenceData& ref, const MetricDefinition& d, int year, int only_sex, bool registered,
    const std::map<std::pair<int, int>, int64_t>& ev) {
  std::vector<StandardCell> cells;
  const auto& w = Esp2013Weights();
  std::vector<int> sexes = d.standardisation == Standardisation::kEsp2013AgeSex
                               ? std::vector<int>{1, 2}
                               : std::vector<int>{0};
  if (only_sex != 0) sexes = {only_sex};
  for (int s : sexes) {
    for (int band = 0; band < 19; ++band) {
      int blo = band * 5, bhi = band == 18 ? 200 : band * 5 + 4;
      int lo = std::max(blo, d.denominator_age_lo), hi = std::min(bhi, d.denominator_age_hi);
      if (lo > hi) continue;
      StandardCell c;
      c.weight = w[band];
      c.population = static_cast<double>(registered ? ref.Registered(year, s, lo, hi)
                                                    : ref.Population(year, s, lo, hi));
      for (const auto& [key, n] : ev) {
        if (key.first == band && (s == 0 || key.second == s)) c.events += static_cast<double>(n);
      }
      cells.push_back(c);
    }
  }
  return DirectlyStandardise(cells);
}

double Round1(double v) { return std::round(v * 10) / 10; }

enum class CiKind { kNone, kWilson, kPoisson };
CiKind RateCiKind(const MetricDefinition& d) {
  if (d.profile != Profile::kNone || d.unit == Unit::kCount || d.unit == Unit::kDays ||
      d.denominator_kind == DenominatorKind::kNone) {
    return CiKind::kNone;
  }
  if (d.denominator_kind == DenominatorKind::kMetric && d.unit == Unit::kPercent) {
    return CiKind::kWilson;
  }
  return CiKind::kPoisson;
}

// The rate interval of `v` from count k, denominator n (Wilson) or the rate of one event
// `per_event` (Poisson: rate = k x per_event).
void SetRateInterval(MetricValue& v, CiKind kind, double k, double n, double per_event) {
  v.rate_ci_lower.reset();
  v.rate_ci_upper.reset();
  v.ci_method.clear();
  if (!v.rate) return;
  if (kind == CiKind::kWilson && n > 0 && k <= n) {
    Interval w = WilsonInterval95(k, n);
    v.rate_ci_lower = w.lower * 100.0;
    v.rate_ci_upper = w.upper * 100.0;
    v.ci_method = "wilson";
  } else if (kind == CiKind::kPoisson && per_event > 0) {
    Interval o = PoissonLimits95(k);
    v.rate_ci_lower = o.lower * per_event;
    v.rate_ci_upper = o.upper * per_event;
    v.ci_method = "poisson";
  }
}

double Round5(double v) { return std::round(v / 5) * 5; }

std::string Fmt(const std::optional<double>& v, int dp) {
  if (!v) return "-";
  return fmt::format("{:.{}f}", *v, dp);
}

const char* UnitName(Unit u);

}  // namespace

std::string RateCiText(const MetricDefinition& d) {
  switch (RateCiKind(d)) {
    case CiKind::kWilson:
      return "Wilson score";
    case CiKind::kPoisson:
      return "exact Poisson (Byar from 389 events)";
    case CiKind::kNone:
      return "";
  }
  return "";
}

std::string RateUnitText(const MetricDefinition& d) {
  if (d.profile != Profile::kNone) return "count by day of week (cv: %)";
  switch (d.unit) {
    case Unit::kPer100k:
    case Unit::kPer1000: {
      std::string base = d.unit == Unit::kPer100k ? "per 100,000" : "per 1,000";
      if (d.denominator_kind == DenominatorKind::kMetric) {
        return base + " " + d.denominator_metric + " in the period";
      }
      return d.per_month ? base + " population per month (average over the period)"
                         : base + " population in the period (not annualised)";
    }
    case Unit::kPercent:
      return "%";
    case Unit::kCount:
      return "count in the period";
    case Unit::kDays:
      return "days (mean)";
  }
  return "";
}

namespace {

const char* UnitName(Unit u) {
  switch (u) {
    case Unit::kPer100k:
      return "per 100,000";
    case Unit::kPer1000:
      return "per 1,000";
    case Unit::kPercent:
      return "%";
    case Unit::kCount:
      return "count";
    case Unit::kDays:
      return "days (mean)";
  }
  return "";
}

// Day-of-week profiles: completes each provider's seven days (0 where nothing happened) and
// appends "<provider>|cv" whose rate is the coefficient of variation (population standard
// deviation / mean, %) of the seven counts.
void AddProfileRows(const std::vector<LabelledPeriod>& periods, const std::string& id,
                    std::vector<MetricValue>& values) {
  static const char* const kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  std::map<std::pair<std::string, std::string>, std::array<double, 7>> by;  // (period, prov)
  std::map<std::string, Period> period_of;
  for (const auto& v : values) {
    if (v.metric_id != id) continue;
    size_t bar = v.group.rfind('|');
    if (bar == std::string::npos) continue;
    std::string day = v.group.substr(bar + 1);
    auto& arr = by.try_emplace({v.period_label, v.group.substr(0, bar)}).first->second;
    for (int i = 0; i < 7; ++i) {
      if (day == kDays[i]) arr[i] = *v.numerator;
    }
    period_of[v.period_label] = v.period;
  }
  std::vector<MetricValue> extra;
  for (const auto& [key, arr] : by) {
    for (int i = 0; i < 7; ++i) {
      std::string g = key.second + "|" + kDays[i];
      bool present = std::any_of(values.begin(), values.end(), [&](const MetricValue& v) {
        return v.metric_id == id && v.period_label == key.first && v.group == g;
      });
      if (!present) {
        MetricValue z;
        z.metric_id = id;
        z.period_label = key.first;
        z.period = period_of[key.first];
        z.group = g;
        z.numerator = 0.0;
        extra.push_back(z);
      }
    }
    double mean = 0, var = 0;
    for (double x : arr) mean += x / 7;
    for (double x : arr) var += (x - mean) * (x - mean) / 7;
    MetricValue cv;
    cv.metric_id = id;
    cv.period_label = key.first;
    cv.period = period_of[key.first];
    cv.group = key.second + "|cv";
    if (mean > 0) cv.rate = std::sqrt(var) / mean * 100.0;
    extra.push_back(cv);
  }
  values.insert(values.end(), extra.begin(), extra.end());
  // Keep a stable order: by period index then group.
  std::map<std::string, size_t> order;
  for (size_t i = 0; i < periods.size(); ++i) order[periods[i].label] = i;
  auto first = std::find_if(values.begin(), values.end(),
                            [&](const MetricValue& v) { return v.metric_id == id; });
  std::stable_sort(first, values.end(), [&](const MetricValue& a, const MetricValue& b) {
    return std::tie(order[a.period_label], a.group) < std::tie(order[b.period_label], b.group);
  });
}

}  // namespace

std::vector<LabelledPeriod> MakePeriods(const Period& range, Granularity g) {
  std::vector<LabelledPeriod> out;
  switch (g) {
    case Granularity::kMonth:
      for (CalendarMonth m = CalendarMonth::Containing(range.start);
           m.period().start < range.end_exclusive; m = m.Next()) {
        if (range.Contains(m.period().start)) out.push_back({m.Label(), m.period()});
      }
      break;
    case Granularity::kQuarter:
      for (FiscalQuarter q = FiscalQuarter::Containing(range.start);
           q.period().start < range.end_exclusive;
           q = FiscalQuarter::Containing(q.period().end_exclusive)) {
        if (range.Contains(q.period().start)) out.push_back({q.Label(), q.period()});
      }
      break;
    case Granularity::kRolling12: {
      std::vector<CalendarMonth> months;
      for (CalendarMonth m = CalendarMonth::Containing(range.start);
           m.period().start < range.end_exclusive; m = m.Next()) {
        if (range.Contains(m.period().start) && m.period().end_exclusive <= range.end_exclusive) {
          months.push_back(m);
        }
      }
      for (size_t i = 11; i < months.size(); ++i) {
        out.push_back({"12m to " + months[i].Label(),
                       Period{months[i - 11].period().start, months[i].period().end_exclusive}});
      }
      break;
    }
    case Granularity::kYear:
      for (FinancialYear y = FinancialYear::Containing(range.start);
           y.period().start < range.end_exclusive; y = FinancialYear{y.start_year + 1}) {
        if (range.Contains(y.period().start)) out.push_back({y.Label(), y.period()});
      }
      break;
  }
  return out;
}

namespace {

// Groups in natural order: by period, then IMD deciles 1..10 numerically, then labels
// ("unallocated").
struct NaturalGroupOrder {
  static int Number(const std::string& s) {
    if (s.empty() || s.size() > 6) return -1;
    for (char c : s) {
      if (c < '0' || c > '9') return -1;
    }
    return std::stoi(s);
  }
  bool operator()(const std::pair<int, std::string>& a,
                  const std::pair<int, std::string>& b) const {
    if (a.first != b.first) return a.first < b.first;
    const int na = Number(a.second), nb = Number(b.second);
    if (na >= 0 && nb >= 0 && na != nb) return na < nb;
    if ((na >= 0) != (nb >= 0)) return na >= 0;
    return a.second < b.second;
  }
};

StatusOr<std::vector<const MetricDefinition*>> SelectMetrics(
    const std::vector<MetricDefinition>& catalogue, const std::vector<std::string>& metric_ids) {
  std::vector<const MetricDefinition*> selected;
  if (metric_ids.empty()) {
    for (const auto& d : catalogue) selected.push_back(&d);
    return selected;
  }
  for (const auto& id : metric_ids) {
    const MetricDefinition* d = FindMetric(catalogue, id);
    if (!d) return NotFoundError("metrics: no metric '" + id + "'");
    selected.push_back(d);
  }
  return selected;
}

// Counts every engine-counted definition the selection needs (composites are sums of their
// components' counts, so only their leaves), on `threads` threads, into `counted`.
Status CountLeaves(CountingEngine& engine, const std::vector<MetricDefinition>& catalogue,
                   const std::vector<const MetricDefinition*>& selected,
                   const CountRequest& request, int threads,
                   std::map<std::string, Counts>& counted) {
  std::vector<const MetricDefinition*> leaves;
  std::set<std::string> seen;
  std::function<void(const MetricDefinition*)> need = [&](const MetricDefinition* d) {
    if (!d || !seen.insert(d->id).second) return;
    if (!d->components.empty() && !d->deduplicate_components) {
      for (const auto& cid : d->components) need(FindMetric(catalogue, cid));
    } else {
      leaves.push_back(d);
    }
    if (d->denominator_kind == DenominatorKind::kMetric) {
      need(FindMetric(catalogue, d->denominator_metric));
    }
  };
  for (const MetricDefinition* d : selected) need(d);
  std::vector<std::optional<StatusOr<Counts>>> results(leaves.size());
  ParallelFor(leaves.size(), threads, [&](size_t i) {
    results[i] = engine.Count(*leaves[i], EffectivePredicate(catalogue, *leaves[i]), request);
  });
  for (size_t i = 0; i < leaves.size(); ++i) {
    if (!results[i]->ok()) return results[i]->status();
    counted[leaves[i]->id] = std::move(**results[i]);
  }
  return OkStatus();
}

// What every value of one metric shares.
struct MetricScope {
  const ReferenceData& ref;
  const SwitchValues& switches;
  SwitchValues dsw;  // the switches the denominators read (registered_denominator pins
                     // population.basis)
  Breakdown breakdown;
  const MetricDefinition& d;
  double scale;
};

// Sets v's denominator, its basis and the rate from `per` (the count, per month when the
// metric is); `den_from_metric` is the denominator metric's count for the cell.
void SetDenominatorAndRate(const MetricScope& m, double per, int64_t den_from_metric,
                           MetricValue& v) {
  const MetricDefinition& d = m.d;
  switch (d.denominator_kind) {
    case DenominatorKind::kPopulation:
      v.denominator_basis = PopulationBasis(m.dsw, m.breakdown, v.population_year);
      v.denominator = Denominator(m.ref, m.dsw, d, m.breakdown, v.group, v.population_year);
      if (v.denominator && *v.denominator > 0 && m.scale > 0) {
        v.rate = per / static_cast<double>(*v.denominator) * m.scale;
      }
      break;
    case DenominatorKind::kMetric:
      v.denominator = den_from_metric;
      v.denominator_basis = "metric " + d.denominator_metric;
      if (den_from_metric > 0 && m.scale > 0) {
        v.rate = per / static_cast<double>(den_from_metric) * m.scale;
      }
      break;
    case DenominatorKind::kExpectedPrevalence: {
      auto expected = Expected(m.ref, m.dsw, d, m.breakdown, v.group, v.population_year);
      v.denominator_basis = "expected: " + d.prevalence_table + " rates x " +
                            PopulationBasis(m.dsw, m.breakdown, v.population_year);
      if (expected) {
        v.denominator = std::llround(*expected);
        if (*expected > 0) v.rate = per / *expected * m.scale;
      }
      break;
    }
    case DenominatorKind::kNone:
      break;
  }
}

// The rate's confidence interval, from the rate of one event: rate / count, or from the
// denominator when nothing happened.
void SetInterval(const MetricScope& m, int64_t num, MetricValue& v) {
  const MetricDefinition& d = m.d;
  double per_event = 0;
  if (v.rate && num > 0) {
    per_event = *v.rate / static_cast<double>(num);
  } else if (v.rate && m.scale > 0) {
    double months = d.per_month ? MonthsIn(v.period) : 1.0;
    double den = 0;
    if (d.denominator_kind == DenominatorKind::kExpectedPrevalence) {
      auto e = Expected(m.ref, m.dsw, d, m.breakdown, v.group, v.population_year);
      den = e ? *e : 0;
    } else if (v.denominator) {
      den = static_cast<double>(*v.denominator);
    }
    if (den > 0) per_event = m.scale / (months * den);
  }
  SetRateInterval(v, RateCiKind(d), static_cast<double>(num),
                  v.denominator ? static_cast<double>(*v.denominator) : 0, per_event);
}

// One cell's value: `ev` is its counts by standardisation band, `den_from_metric` the
// denominator metric's count.
MetricValue CellValue(const MetricScope& m, const LabelledPeriod& period, const std::string& group,
                      const std::map<std::pair<int, int>, int64_t>& ev, int64_t den_from_metric) {
  const MetricDefinition& d = m.d;
  MetricValue v;
  v.metric_id = d.id;
  v.period_label = period.label;
  v.period = period.period;
  v.group = group;
  v.population_year = PopulationYear(m.ref, m.switches, v.period);
  int64_t num = 0;
  for (const auto& [bk, n] : ev) num += n;
  v.numerator = static_cast<double>(num);
  const double per =
      d.per_month ? static_cast<double>(num) / MonthsIn(v.period) : static_cast<double>(num);
  if (d.lookback_years > 0 && !m.ref.social_care_first_date.empty()) {
    auto first = Date::ParseIso(m.ref.social_care_first_date);
    if (first && v.period.start < first->AddMonths(12 * d.lookback_years)) {
      v.flags.push_back("lookback_truncated");
    }
  }
  SetDenominatorAndRate(m, per, den_from_metric, v);
  SetInterval(m, num, v);
  const bool standardise_group =
      m.breakdown == Breakdown::kNone || (m.breakdown == Breakdown::kSex && v.group != "unknown");
  if (d.standardisation != Standardisation::kNone && standardise_group && m.ref.max_year) {
    int only_sex = m.breakdown == Breakdown::kSex ? (v.group == "male" ? 1 : 2) : 0;
    auto dsr = Standardise(m.ref, d, v.population_year, only_sex, Registered(m.dsw), ev);
    if (dsr) {
      v.standardised_rate = dsr->rate;
      v.ci_lower = dsr->ci95.lower;
      v.ci_upper = dsr->ci95.upper;
    }
  }
  return v;
}

}  // namespace

namespace {

// Counts of a definition for the report: `leaf` gives an engine-counted definition's; the
// counts of a composite without deduplication are the sum of its components'.
using LeafCounts = std::function<StatusOr<Counts>(const MetricDefinition&)>;

// The report of `selected` from the counts `leaf` gives (memoised in `counted`), with every
// derived figure: rates over their denominators, intervals, standardisation and disclosure
// control.
StatusOr<MetricsReport> Assemble(const std::vector<MetricDefinition>& catalogue,
                                 const std::vector<const MetricDefinition*>& selected,
                                 std::map<std::string, Counts>& counted, const LeafCounts& leaf,
                                 std::string engine_name, const ReferenceData& ref,
                                 const SwitchValues& switches,
                                 const std::vector<LabelledPeriod>& periods, Breakdown breakdown) {
  MetricsReport report;
  report.switches = switches;
  report.breakdown = breakdown;
  report.engine = std::move(engine_name);
  report.data_as_of = ref.data_as_of;
  std::function<StatusOr<Counts>(const MetricDefinition&)> count_of =
      [&](const MetricDefinition& d) -> StatusOr<Counts> {
    auto it = counted.find(d.id);
    if (it != counted.end()) return it->second;
    Counts c;
    if (!d.components.empty() && !d.deduplicate_components) {
      for (const auto& cid : d.components) {
        const MetricDefinition* cd = FindMetric(catalogue, cid);
        if (!cd) return InternalError("metrics: component '" + cid + "' missing");
        PIONEER_ASSIGN_OR_RETURN(Counts part, count_of(*cd));
        for (const auto& [k, n] : part) c[k] += n;
      }
    } else {
      PIONEER_ASSIGN_OR_RETURN(c, leaf(d));
    }
    counted[d.id] = c;
    return c;
  };
  static const std::map<std::pair<int, int>, int64_t> kEmpty;
  for (const MetricDefinition* d : selected) {
    report.definitions.push_back(*d);
    PIONEER_ASSIGN_OR_RETURN(Counts counts, count_of(*d));
    GroupCells cells = Regroup(counts);
    GroupCells den_cells;
    if (d->denominator_kind == DenominatorKind::kMetric) {
      const MetricDefinition* dd = FindMetric(catalogue, d->denominator_metric);
      if (!dd) return InternalError("metrics: denominator '" + d->denominator_metric + "' missing");
      PIONEER_ASSIGN_OR_RETURN(Counts dc, count_of(*dd));
      den_cells = Regroup(dc);
    }
    std::set<std::pair<int, std::string>, NaturalGroupOrder> keys;
    for (const auto& [k, v] : cells) keys.insert(k);
    for (const auto& [k, v] : den_cells) keys.insert(k);
    // Every period has an "all" row even when nothing was counted.
    if (breakdown == Breakdown::kNone && d->profile == Profile::kNone) {
      for (int p = 0; p < static_cast<int>(periods.size()); ++p) keys.insert({p, "all"});
    }
    MetricScope scope{ref, switches, switches, breakdown, *d, UnitScale(d->unit)};
    if (d->registered_denominator) scope.dsw["population.basis"] = "registered";
    for (const auto& key : keys) {
      auto cit = cells.find(key);
      int64_t den = 0;
      auto dit = den_cells.find(key);
      if (dit != den_cells.end()) {
        for (const auto& [bk, n] : dit->second) den += n;
      }
      report.values.push_back(CellValue(scope, periods[key.first], key.second,
                                        cit == cells.end() ? kEmpty : cit->second, den));
    }
    if (d->profile == Profile::kProviderWeekday) AddProfileRows(periods, d->id, report.values);
  }
  if (switches.count("disclosure.apply") == 0 || switches.at("disclosure.apply") == "true") {
    ApplyDisclosureControl(report);
  }
  return report;
}

}  // namespace

StatusOr<MetricsReport> Evaluate(CountingEngine& engine, const ReferenceData& ref,
                                 const SwitchValues& switches,
                                 const std::vector<LabelledPeriod>& periods, Breakdown breakdown,
                                 const std::vector<std::string>& metric_ids) {
  std::vector<MetricDefinition> catalogue = BuildCatalogue(switches);
  PIONEER_ASSIGN_OR_RETURN(std::vector<const MetricDefinition*> selected,
                           SelectMetrics(catalogue, metric_ids));
  CountRequest request{periods, breakdown};
  std::map<std::string, Counts> counted;  // memo per metric id
  // Count up front on several threads when the engine allows it.
  if (engine.PrepareConcurrentCount()) {
    PIONEER_RETURN_IF_ERROR(
        CountLeaves(engine, catalogue, selected, request, DefaultThreads(), counted));
  }
  const LeafCounts leaf = [&](const MetricDefinition& d) {
    return engine.Count(d, EffectivePredicate(catalogue, d), request);
  };
  return Assemble(catalogue, selected, counted, leaf, engine.name(), ref, switches, periods,
                  breakdown);
}

StatusOr<MetricCounts> CountMetrics(CountingEngine& engine, const SwitchValues& switches,
                                    const std::vector<LabelledPeriod>& periods, Breakdown breakdown,
                                    const std::vector<std::string>& metric_ids) {
  std::vector<MetricDefinition> catalogue = BuildCatalogue(switches);
  PIONEER_ASSIGN_OR_RETURN(std::vector<const MetricDefinition*> selected,
                           SelectMetrics(catalogue, metric_ids));
  CountRequest request{periods, breakdown};
  MetricCounts counted;
  const int threads = engine.PrepareConcurrentCount() ? DefaultThreads() : 1;
  PIONEER_RETURN_IF_ERROR(CountLeaves(engine, catalogue, selected, request, threads, counted));
  return counted;
}

void MergeCounts(MetricCounts& into, const MetricCounts& more) {
  for (const auto& [id, counts] : more) {
    Counts& to = into[id];
    for (const auto& [key, n] : counts) to[key] += n;
  }
}

StatusOr<MetricsReport> EvaluateCounts(const MetricCounts& counts, std::string engine_name,
                                       const ReferenceData& ref, const SwitchValues& switches,
                                       const std::vector<LabelledPeriod>& periods,
                                       Breakdown breakdown,
                                       const std::vector<std::string>& metric_ids) {
  std::vector<MetricDefinition> catalogue = BuildCatalogue(switches);
  PIONEER_ASSIGN_OR_RETURN(std::vector<const MetricDefinition*> selected,
                           SelectMetrics(catalogue, metric_ids));
  std::map<std::string, Counts> counted;
  const LeafCounts leaf = [&](const MetricDefinition& d) -> StatusOr<Counts> {
    auto it = counts.find(d.id);
    if (it == counts.end()) {
      return InvalidArgumentError("metrics: the counts hold no counts of metric '" + d.id + "'");
    }
    return it->second;
  };
  return Assemble(catalogue, selected, counted, leaf, std::move(engine_name), ref, switches,
                  periods, breakdown);
}

void ApplyDisclosureControl(MetricsReport& report) {
  if (report.disclosure_applied) return;  // idempotent: published values are not re-derived
  report.disclosure_applied = true;
  for (auto& v : report.values) {
    const MetricDefinition* d = FindMetric(report.definitions, v.metric_id);
    const bool count_den = d && d->denominator_kind == DenominatorKind::kMetric;
    bool small_num = v.numerator && *v.numerator >= 1 && *v.numerator <= 7;
    bool small_den = v.denominator && *v.denominator >= 1 && *v.denominator <= 7;
    if (v.suppressed || small_num || small_den) {
      v.suppressed = true;
      v.numerator.reset();
      v.rate.reset();
      v.standardised_rate.reset();
      v.ci_lower.reset();
      v.ci_upper.reset();
      v.rate_ci_lower.reset();
      v.rate_ci_upper.reset();
      if (small_den) {
        v.denominator.reset();
      } else if (count_den && v.denominator) {
        v.denominator = static_cast<int64_t>(Round5(static_cast<double>(*v.denominator)));
      }
      continue;
    }
    const double exact = v.numerator.value_or(0);
    const double published = v.numerator ? Round5(exact) : 0;
    if (v.numerator) v.numerator = published;
    double den_ratio = 1;  // exact / published denominator (count denominators)
    if (count_den && v.denominator) {
      const double rd = Round5(static_cast<double>(*v.denominator));
      if (rd > 0) den_ratio = static_cast<double>(*v.denominator) / rd;
      v.denominator = static_cast<int64_t>(rd);
    }
    if (exact > 0 && v.numerator) {
      // Derived from the published numbers only, by one formula (so that no exact value shows
      // through floating-point differences): over a count denominator, published / published;
      // otherwise the published count times the rate of one event (a function of the public
      // denominator) taken to 9 significant digits.
      auto canon = [](double x) {
        if (x == 0 || !std::isfinite(x)) return x;
        const double p = std::pow(10.0, 8 - static_cast<int>(std::floor(std::log10(std::fabs(x)))));
        return std::round(x * p) / p;
      };
      const double unit_scale = d ? UnitScale(d->unit) : 0;
      if (v.rate) {
        if (count_den && v.denominator && *v.denominator > 0 && unit_scale > 0) {
          const double months = d->per_month ? MonthsIn(v.period) : 1.0;
          v.rate = published / months / static_cast<double>(*v.denominator) * unit_scale;
        } else {
          v.rate = published * canon(*v.rate / exact * den_ratio);
        }
      }
      if (v.standardised_rate) {
        v.standardised_rate = published * canon(*v.standardised_rate / exact);
        Interval o = PoissonLimits95(published);
        const double per_event = *v.standardised_rate / published;
        v.ci_lower = o.lower * per_event;
        v.ci_upper = o.upper * per_event;
      }
      if (d) {
        const double per_event = v.rate && published > 0 ? *v.rate / published : 0;
        SetRateInterval(v, RateCiKind(*d), published,
                        v.denominator ? static_cast<double>(*v.denominator) : 0, per_event);
      }
    } else if (v.numerator && count_den && v.rate && d) {
      // Nothing counted: the proportion stays 0; its interval uses the published denominator.
      SetRateInterval(v, RateCiKind(*d), 0, v.denominator ? static_cast<double>(*v.denominator) : 0,
                      0);
    }
  }
  // Day-of-week coefficients of variation from the published day counts.
  for (auto& cv : report.values) {
    const size_t bar = cv.group.rfind('|');
    if (bar == std::string::npos || cv.group.compare(bar, std::string::npos, "|cv") != 0) {
      continue;
    }
    const std::string provider = cv.group.substr(0, bar + 1);
    std::vector<double> days;
    bool hidden = false;
    for (const auto& v : report.values) {
      if (v.metric_id != cv.metric_id || v.period_label != cv.period_label || &v == &cv ||
          v.group.compare(0, provider.size(), provider) != 0 ||
          v.group.size() != provider.size() + 3) {
        continue;
      }
      if (v.suppressed || !v.numerator)
        hidden = true;
      else
        days.push_back(*v.numerator);
    }
    cv.rate.reset();
    if (hidden || days.size() != 7) {
      cv.suppressed = hidden;
      continue;
    }
    double mean = 0, var = 0;
    for (double x : days) mean += x / 7;
    for (double x : days) var += (x - mean) * (x - mean) / 7;
    if (mean > 0) cv.rate = std::sqrt(var) / mean * 100.0;
  }
  for (auto& v : report.values) {
    for (auto* r : {&v.rate, &v.standardised_rate, &v.ci_lower, &v.ci_upper, &v.rate_ci_lower,
                    &v.rate_ci_upper}) {
      if (*r) *r = Round1(**r);
    }
  }
}

nlohmann::json ReportJson(const MetricsReport& r) {
  nlohmann::json j;
  j["engine"] = r.engine;
  j["data_as_of"] = r.data_as_of;
  j["breakdown"] = BreakdownName(r.breakdown);
  j["disclosure_control"] = r.disclosure_applied;
  j["release"] = r.release_basis;
  nlohmann::json sw = nlohmann::json::array();
  for (const auto& s : AllSwitches()) {
    sw.push_back({{"name", s.name},
                  {"value", r.switches.count(s.name) ? r.switches.at(s.name) : s.default_value},
                  {"default", s.default_value},
                  {"provenance", s.provenance}});
  }
  j["switches"] = sw;
  nlohmann::json metrics = nlohmann::json::array();
  for (const auto& d : r.definitions) {
    nlohmann::json m = {{"id", d.id},
                        {"title", d.title},
                        {"version", d.version},
                        {"citation", d.citation},
                        {"provenance", d.provenance},
                        {"provisional", d.provisional},
                        {"unit", UnitName(d.unit)},
                        {"rate_unit", RateUnitText(d)},
                        {"polarity", d.polarity == Polarity::kLowerIsBetter ? "lower is better"
                                                                            : "higher is better"},
                        {"switches", d.switches}};
    nlohmann::json vals = nlohmann::json::array();
    for (const auto& v : r.values) {
      if (v.metric_id != d.id) continue;
      auto opt = [](const auto& o) -> nlohmann::json {
        return o ? nlohmann::json(*o) : nlohmann::json(nullptr);
      };
      vals.push_back({{"period", v.period_label},
                      {"first_day", v.period.start.ToIso()},
                      {"last_day", v.period.last_day().ToIso()},
                      {"group", v.group},
                      {"numerator", opt(v.numerator)},
                      {"denominator", opt(v.denominator)},
                      {"rate", opt(v.rate)},
                      {"standardised_rate", opt(v.standardised_rate)},
                      {"ci95_lower", opt(v.ci_lower)},
                      {"ci95_upper", opt(v.ci_upper)},
                      {"rate_ci95_lower", opt(v.rate_ci_lower)},
                      {"rate_ci95_upper", opt(v.rate_ci_upper)},
                      {"rate_ci_method", v.ci_method},
                      {"population_year", v.population_year},
                      {"denominator_basis", v.denominator_basis},
                      {"flags", v.flags},
                      {"suppressed", v.suppressed}});
    }
    m["values"] = vals;
    metrics.push_back(m);
  }
  j["metrics"] = metrics;
  return j;
}

std::string ReportCsv(const MetricsReport& r) {
  // One number format per column: counts as integers, rates and intervals with one decimal
  // place when disclosure control is on (what is published), four otherwise.
  const int dp = r.disclosure_applied ? 1 : 4;
  auto quote = [](std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
      if (c == '"') out += '"';
      out += c;
    }
    return out + "\"";
  };
  std::string out =
      "metric_id,metric_title,unit,polarity,definition_version,period,first_day,last_day,group,"
      "numerator,denominator,rate,rate_ci95_lower,rate_ci95_upper,rate_ci_method,"
      "standardised_rate,ci95_lower,ci95_upper,suppressed,provisional,data_as_of,"
      "denominator_basis,flags\n";
  for (const auto& v : r.values) {
    const MetricDefinition* d = FindMetric(r.definitions, v.metric_id);
    auto f = [&](const std::optional<double>& o) {
      return o ? fmt::format("{:.{}f}", *o, dp) : std::string();
    };
    std::string flags;
    for (const auto& fl : v.flags) flags += (flags.empty() ? "" : ";") + fl;
    out += fmt::format(
        "{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", v.metric_id,
        quote(d ? d->title : ""), quote(d ? RateUnitText(*d) : ""),
        d ? (d->polarity == Polarity::kLowerIsBetter ? "lower is better" : "higher is better") : "",
        d ? d->version : "", v.period_label, v.period.start.ToIso(), v.period.last_day().ToIso(),
        quote(v.group), v.numerator ? fmt::format("{:.0f}", *v.numerator) : "",
        v.denominator ? std::to_string(*v.denominator) : "", f(v.rate), f(v.rate_ci_lower),
        f(v.rate_ci_upper), v.ci_method, f(v.standardised_rate), f(v.ci_lower), f(v.ci_upper),
        v.suppressed ? 1 : 0, d && d->provisional ? 1 : 0, r.data_as_of, quote(v.denominator_basis),
        flags);
  }
  return out;
}

std::string ReportTable(const MetricsReport& r) {
  std::string out = fmt::format(
      "BCF metrics (engine {}, data as of {}, breakdown {}, disclosure control {})\n", r.engine,
      r.data_as_of.empty() ? "unknown" : r.data_as_of, BreakdownName(r.breakdown),
      r.disclosure_applied ? "ON (1-7 suppressed '*', numerators rounded to 5)" : "OFF");
  if (r.release_basis != "published") out += fmt::format("Release: {}\n", r.release_basis);
  for (const auto& d : r.definitions) {
    out +=
        fmt::format("\n{} — {} [v{}{}]\n  {}; {}; {}\n", d.id, d.title, d.version,
                    d.provisional ? ", provisional" : "", RateUnitText(d),
                    d.polarity == Polarity::kLowerIsBetter ? "lower is better" : "higher is better",
                    d.citation);
    out += fmt::format("  {:<12} {:<14} {:>10} {:>12} {:>10} {:>17} {:>10} {:>21}\n", "period",
                       "group", "numerator", "denominator", "rate", "rate 95% CI", "DSR",
                       "DSR 95% CI");
    bool flagged = false;
    std::string basis;
    for (const auto& v : r.values) {
      if (v.metric_id != d.id) continue;
      if (basis.empty()) basis = v.denominator_basis;
      std::string ci = v.ci_lower ? fmt::format("{:.1f}-{:.1f}", *v.ci_lower, *v.ci_upper) : "-";
      std::string label = v.period_label;
      if (!v.flags.empty()) {
        label += "+";
        flagged = true;
      }
      std::string rci =
          v.rate_ci_lower ? fmt::format("{:.1f}-{:.1f}", *v.rate_ci_lower, *v.rate_ci_upper) : "-";
      out += fmt::format("  {:<12} {:<14} {:>10} {:>12} {:>10} {:>17} {:>10} {:>21}\n", label,
                         v.group, v.suppressed ? "*" : Fmt(v.numerator, 0),
                         v.denominator ? std::to_string(*v.denominator) : "-", Fmt(v.rate, 1), rci,
                         Fmt(v.standardised_rate, 1), ci);
    }
    if (!basis.empty()) out += fmt::format("  denominator: {} (first value)\n", basis);
    if (flagged) {
      out += fmt::format(
          "  + look-back truncated: the period starts less than {} years after the social care "
          "history does (first request, assessment or review), so some new admissions may have "
          "had an earlier placement\n",
          d.lookback_years);
    }
  }
  out += "\nSwitches in force:\n";
  for (const auto& s : AllSwitches()) {
    std::string val = r.switches.count(s.name) ? r.switches.at(s.name) : s.default_value;
    out += fmt::format("  {:<34} = {:<12} (default {}, {})\n", s.name, val, s.default_value,
                       s.provenance);
  }
  return out;
}

}  // namespace pioneer::metrics
