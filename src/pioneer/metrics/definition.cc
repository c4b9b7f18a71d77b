#include "pioneer/metrics/definition.h"

#include <fmt/format.h>

#include <algorithm>
#include <set>

namespace pioneer::metrics {

Expr Expr::In(std::string field, std::vector<std::string> values, std::string note) {
  Expr e;
  e.kind = Kind::kIn;
  e.fields = {std::move(field)};
  e.values = std::move(values);
  e.note = std::move(note);
  return e;
}

Expr Expr::Prefix(std::vector<std::string> fields, std::vector<std::string> prefixes,
                  std::string note) {
  Expr e;
  e.kind = Kind::kPrefix;
  e.fields = std::move(fields);
  e.values = std::move(prefixes);
  e.note = std::move(note);
  return e;
}

Expr Expr::Contains(std::string field, std::vector<std::string> parts, std::string note) {
  Expr e;
  e.kind = Kind::kContains;
  e.fields = {std::move(field)};
  e.values = std::move(parts);
  e.note = std::move(note);
  return e;
}

Expr Expr::IntRange(std::string field, int64_t lo, int64_t hi, std::string note) {
  Expr e;
  e.kind = Kind::kIntRange;
  e.fields = {std::move(field)};
  e.lo = lo;
  e.hi = hi;
  e.note = std::move(note);
  return e;
}

Expr Expr::And(std::vector<Expr> c, std::string note) {
  Expr e;
  e.kind = Kind::kAnd;
  e.children = std::move(c);
  e.note = std::move(note);
  return e;
}

Expr Expr::Or(std::vector<Expr> c, std::string note) {
  Expr e;
  e.kind = Kind::kOr;
  e.children = std::move(c);
  e.note = std::move(note);
  return e;
}

Expr Expr::Not(Expr c, std::string note) {
  Expr e;
  e.kind = Kind::kNot;
  e.children = {std::move(c)};
  e.note = std::move(note);
  return e;
}

Expr Expr::Present(std::string field, std::string note) {
  Expr e;
  e.kind = Kind::kPresent;
  e.fields = {std::move(field)};
  e.note = std::move(note);
  return e;
}

Expr Expr::DaysBetween(std::string from, std::string to, int64_t lo, int64_t hi, std::string note) {
  Expr e;
  e.kind = Kind::kDaysBetween;
  e.fields = {std::move(from), std::move(to)};
  e.lo = lo;
  e.hi = hi;
  e.note = std::move(note);
  return e;
}

Expr Expr::Exists(Relation r, Expr related, std::string note) {
  Expr e;
  e.kind = Kind::kExists;
  e.relation = std::move(r);
  e.children = {std::move(related)};
  e.note = std::move(note);
  return e;
}

Expr Expr::PersonDate(std::string pds_field, std::string anchor, int lo, int hi, std::string note) {
  Expr e;
  e.kind = Kind::kPersonDate;
  e.relation.date_field = std::move(pds_field);
  e.relation.anchor = std::move(anchor);
  e.relation.lo = lo;
  e.relation.hi = hi;
  e.note = std::move(note);
  return e;
}

namespace {
bool IsRecordField(const std::string& f) { return !f.empty() && f[0] != '@'; }

void CollectFields(const Expr& e, std::set<std::string>& out) {
  for (const auto& f : e.fields) out.insert(f);
  if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kPersonDate) {
    if (IsRecordField(e.relation.anchor)) out.insert(e.relation.anchor);
    return;  // the child reads the related source
  }
  for (const auto& c : e.children) CollectFields(c, out);
}

void CollectBySource(const Expr& e, const std::string& source,
                     std::map<std::string, std::set<std::string>>& out) {
  auto& mine = out[source];
  for (const auto& f : e.fields) mine.insert(f);
  if (e.kind == Expr::Kind::kPersonDate) {
    if (IsRecordField(e.relation.anchor)) mine.insert(e.relation.anchor);
    return;
  }
  if (e.kind == Expr::Kind::kExists) {
    if (IsRecordField(e.relation.anchor)) mine.insert(e.relation.anchor);
    auto& rel = out[e.relation.source];
    rel.insert(e.relation.date_field);
    if (!e.relation.end_field.empty()) rel.insert(e.relation.end_field);
    CollectBySource(e.children[0], e.relation.source, out);
    return;
  }
  for (const auto& c : e.children) CollectBySource(c, source, out);
}

std::string Window(const Relation& r) {
  auto side = [&](int x) {
    if (x == 0) return r.anchor;
    return fmt::format("{} {} {}", r.anchor, x < 0 ? "-" : "+", x < 0 ? -x : x);
  };
  if (r.lo <= -kUnbounded) return fmt::format("on or before {}", side(r.hi));
  if (r.hi >= kUnbounded) return fmt::format("on or after {}", side(r.lo));
  return fmt::format("between {} and {}", side(r.lo), side(r.hi));
}

std::string JoinValues(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i) {
    if (i) s += ", ";
    s += v[i].empty() ? "(empty)" : v[i];
  }
  return s;
}
}  // namespace

std::map<std::string, std::set<std::string>> FieldsBySource(
    const std::vector<MetricDefinition>& catalogue, const MetricDefinition& def) {
  std::map<std::string, std::set<std::string>> out;
  CollectBySource(EffectivePredicate(catalogue, def), def.source, out);
  auto& mine = out[def.source];
  for (const std::string& f :
       {def.period_field, def.period_end_field, def.value_from_field, def.age_date_field,
        def.age_rule == AgeRule::kField ? def.age_field : def.birth_field, def.sex_field,
        def.practice_field, def.lsoa_field,
        def.profile == Profile::kNone ? std::string() : def.provider_field}) {
    if (IsRecordField(f)) mine.insert(f);
  }
  return out;
}

std::vector<std::string> Expr::Fields() const {
  std::set<std::string> s;
  CollectFields(*this, s);
  return {s.begin(), s.end()};
}

std::string Expr::Describe() const {
  std::string body;
  switch (kind) {
    case Kind::kTrue:
      body = "true";
      break;
    case Kind::kIn:
      body = fmt::format("`{}` in {{{}}}", fields[0], JoinValues(values));
      break;
    case Kind::kPrefix: {
      std::string f;
      for (size_t i = 0; i < fields.size(); ++i) f += (i ? "/" : "") + fields[i];
      body = fmt::format("{}`{}` starts with one of {{{}}}", fields.size() > 1 ? "any of " : "", f,
                         JoinValues(values));
      break;
    }
    case Kind::kIntRange:
      body = fmt::format("`{}` in {}..{}", fields[0], lo, hi);
      break;
    case Kind::kContains:
      body = fmt::format("`{}` contains one of {{{}}}", fields[0], JoinValues(values));
      break;
    case Kind::kAnd:
    case Kind::kOr: {
      const char* op = kind == Kind::kAnd ? " AND " : " OR ";
      for (size_t i = 0; i < children.size(); ++i) {
        if (i) body += op;
        body += "(" + children[i].Describe() + ")";
      }
      break;
    }
    case Kind::kNot:
      body = "NOT (" + children[0].Describe() + ")";
      break;
    case Kind::kPresent:
      body = fmt::format("`{}` present", fields[0]);
      break;
    case Kind::kDaysBetween:
      body = fmt::format("`{}` - `{}` in {}..{} days", fields[1], fields[0], lo,
                         hi >= kUnbounded ? std::string("any") : std::to_string(hi));
      break;
    case Kind::kExists: {
      const Relation& r = relation;
      std::string rel;
      switch (r.kind) {
        case Relation::Kind::kStartsWithin:
          rel = fmt::format("`{}` {}", r.date_field, Window(r));
          break;
        case Relation::Kind::kOpenOn:
          rel = fmt::format("open (`{}`..`{}`) on {}", r.date_field, r.end_field,
                            r.lo == 0 ? r.anchor
                                      : fmt::format("{} {} {}", r.anchor, r.lo < 0 ? "-" : "+",
                                                    r.lo < 0 ? -r.lo : r.lo));
          break;
        case Relation::Kind::kBefore:
          rel = fmt::format("earlier (`{}`, then row order) than this record's `{}`", r.date_field,
                            r.anchor);
          break;
      }
      body = fmt::format("the same person has a `{}` record {} with ({})", r.source, rel,
                         children[0].Describe());
      break;
    }
    case Kind::kPersonDate:
      body = fmt::format("the person's PDS `{}` is {}", relation.date_field, Window(relation));
      break;
  }
  return note.empty() ? body : body + " [" + note + "]";
}

const std::vector<SwitchSpec>& AllSwitches() {
  static const std::vector<SwitchSpec> kSwitches = {
      {"composite.deduplicate_spells",
       "false",
       {"false", "true"},
       "PROP",
       "Avoidable admissions composite: false = plain sum of the four component numerators "
       "(double counting allowed, the official construction); true = each admission counted "
       "once (bcf-metrics.md 5.1)."},
      {"nel.method_set",
       "emergency",
       {"emergency", "mar"},
       "PROP",
       "Total non-elective admissions: emergency = ADMIMETH emergency set (1.5); mar = "
       "emergency set plus 81 (non-emergency transfers), approximating the Monthly Activity "
       "Return (5.6)."},
      {"falls.exclude_transfers",
       "false",
       {"false", "true"},
       "PROP",
       "Falls 65+: true drops first episodes with ADMIMETH 2B or ADMISORC 51-53 (6.2)."},
      {"falls.cause_positions",
       "cause_field",
       {"cause_field", "any_secondary"},
       "CORR",
       "Falls 65+: where the W00-W19 external cause is sought: cause_field = the HES CAUSE "
       "field only; any_secondary = CAUSE or any secondary diagnosis position (6.1)."},
      {"lrti.include_optional_codes",
       "false",
       {"false", "true"},
       "PROP",
       "NHSOF 3.2 children's LRTI: true adds J10.0, J11.0, J20, J22 to J12-J16, J18, J21 "
       "(5.5)."},
      {"ascof2a.exclude_depleted_self_funders_previously_counted",
       "false",
       {"false", "true"},
       "PROP",
       "ASCOF 2A: true drops first placements reached through route self_funder_depleted (the "
       "2020 rule, for 2018/19 onwards); false keeps them for 2014/15-2015/16 comparability "
       "(2.2)."},
      {"ascof2a.earlier_placement_funding",
       "not_self_funded",
       {"not_self_funded", "any"},
       "CORR",
       "ASCOF 2A: which earlier permanent placements make a council-supported placement "
       "not new. not_self_funded (2014/15 ASCOF guidance, 2.2): earlier council-supported or "
       "NHS-funded placements only, so a self-funder whose funds ran out counts when the "
       "council starts paying; any: an earlier self-funded placement also rules it out (the "
       "reading of the later rule change, kept for comparison)."},
      {"ascof2a.age_rule",
       "period_end",
       {"period_end", "admission"},
       "CORR",
       "ASCOF 2A: age from the PDS birth date at 31 March of the financial year (NHS England "
       "CLD method) or at the admission date (2.3 step 7)."},
      {"ascof2a.lookback_years",
       "3",
       {"1", "2", "3", "5"},
       "PROP",
       "ASCOF 2A: values whose period starts less than this many years after the social care "
       "history starts (the first request, assessment or review in the store) are flagged "
       "lookback_truncated (2.3 step 4: look-back as far as data allow, at least 3 years "
       "proposed)."},
      {"ascof2b.no_evidence",
       "not_at_home",
       {"not_at_home", "at_home"},
       "CORR",
       "ASCOF 2B part 1: a person with no contrary evidence on day 91 (not dead, not in "
       "hospital, not in a permanent care home) but no positive evidence either (no GP, "
       "community or social care contact within 14 days of day 91, no open service) counts as "
       "not at home (not_at_home, default: the official 'status unknown = not at home' "
       "convention, 3.1 and 3.4 step 3) or as at home (at_home, a proposed "
       "absence-of-contrary-evidence rule). ascof_2b_status_unknown reports how many such "
       "people there are either way (3.4 step 3)."},
      {"ascof2b.reablement_start_days",
       "7",
       {"0", "3", "7", "14"},
       "PROP",
       "ASCOF 2B: the reablement service must start on the discharge date or within this many "
       "days after it (3.4 step 2)."},
      {"ascof2b.counting_unit",
       "discharges",
       {"discharges", "first_per_person"},
       "CORR",
       "ASCOF 2B part 1: count discharges (SALT) or each person's first qualifying discharge "
       "in the period (3.4 step 4)."},
      {"dementia.prevalence_rates",
       "cfas2",
       {"cfas2", "dementia_uk_2007"},
       "CORR",
       "Dementia diagnosis rate: expected prevalence from CFAS II (current 65+ definition) or "
       "Dementia UK 2007 rates (the 2014/15 prevalence calculator, 65+ part) (7.1-7.2)."},
      {"dementia.population_basis",
       "registered",
       {"registered", "residence"},
       "AUTH",
       "Dementia diagnosis rate: the expected prevalence is applied to the GP-registered 65+ "
       "population (registered, default: the National Indicator Library definition, 7.1) or "
       "to ONS residents 65+ (residence). Overrides population.basis for this metric only."},
      {"population.basis",
       "residence",
       {"residence", "registered"},
       "PROP",
       "Population denominators: residence = ONS mid-year estimates (default, 1.2); registered "
       "= people registered with a GP practice on 1 April of the financial year (from "
       "gp_registrations, ages and sex from PDS), as CCG OIS does (1.3)."},
      {"population.mye_year",
       "fy_mid_year",
       {"fy_mid_year", "latest"},
       "PROP",
       "Which ONS mid-year estimate is the denominator: fy_mid_year = the mid-year inside the "
       "period's financial year (mid-2014 for 2014/15); latest = the latest year in the store "
       "(1.3)."},
      {"records.without_nhs_number",
       "count",
       {"count", "exclude"},
       "CORR",
       "Records with no usable NHS Number (missing or invalid, not traced by `pioneer link`): "
       "count = counted by the age, sex, practice and residence on the record wherever the "
       "metric reads only the record (admissions, falls, delayed days, discharges), as the "
       "official hospital-based indicators count every episode (1.2: unknown is a bucket, "
       "never silently dropped); exclude = only records placed on a person. Metrics that need "
       "the person (relations, PDS dates, distinct persons) count placed records either way."},
      {"objections.secondary_use",
       "exclude",
       {"exclude", "include"},
       "CORR",
       "People who objected to the use of their records beyond their own care (the right to "
       "object; `pioneer objections import`, a FHIR Consent with a deny provision): exclude "
       "(default) leaves their records out of every metric, as the national data opt-out "
       "requires for planning uses of confidential patient information; include only for "
       "reconciliation by the data controller, when the IG gate grants it (docs/ig.md R23). "
       "Records with no usable NHS Number cannot be matched to an objection and stay "
       "counted.",
       true},
      {"disclosure.apply",
       "true",
       {"true", "false"},
       "PROP",
       "Small-number disclosure control on commissioning outputs (1.9): suppress 1-7, round "
       "numerators to 5, rates to 1 dp. false only for reconciliation by the data "
       "controller, when the IG gate grants it (docs/ig.md R23).",
       true},
  };
  return kSwitches;
}

StatusOr<SwitchValues> ResolveSwitches(const SwitchValues& overrides,
                                       const ig::AggregateRelease& release) {
  SwitchValues v;
  for (const auto& s : AllSwitches()) v[s.name] = s.default_value;
  for (const auto& [name, value] : overrides) {
    auto it = std::find_if(AllSwitches().begin(), AllSwitches().end(),
                           [&](const SwitchSpec& s) { return s.name == name; });
    if (it == AllSwitches().end()) return InvalidArgumentError("unknown switch '" + name + "'");
    if (it->gated) {
      return InvalidArgumentError(
          "switch '" + name +
          "' is decided by the IG gate, not set: an IG officer reconciling the figures asks "
          "for them with `pioneer metrics --reconcile` (docs/ig.md, rule R23)");
    }
    if (std::find(it->allowed.begin(), it->allowed.end(), value) == it->allowed.end()) {
      return InvalidArgumentError("switch '" + name + "' cannot be '" + value + "'");
    }
    v[name] = value;
  }
  v["disclosure.apply"] = release.suppress_small_numbers() ? "true" : "false";
  v["objections.secondary_use"] = release.exclude_objectors() ? "exclude" : "include";
  return v;
}

const char* BreakdownName(Breakdown b) {
  switch (b) {
    case Breakdown::kNone:
      return "none";
    case Breakdown::kSex:
      return "sex";
    case Breakdown::kAgeBand:
      return "age_band";
    case Breakdown::kPractice:
      return "practice";
    case Breakdown::kCcg:
      return "ccg";
    case Breakdown::kDeprivation:
      return "deprivation";
    case Breakdown::kHwb:
      return "hwb";
  }
  return "none";
}

const std::vector<Breakdown>& AllBreakdowns() {
  static const std::vector<Breakdown> kAll = {
      Breakdown::kNone, Breakdown::kSex,         Breakdown::kAgeBand, Breakdown::kPractice,
      Breakdown::kCcg,  Breakdown::kDeprivation, Breakdown::kHwb};
  return kAll;
}

std::optional<Breakdown> ParseBreakdown(std::string_view name) {
  for (Breakdown b : AllBreakdowns()) {
    if (name == BreakdownName(b)) return b;
  }
  return std::nullopt;
}

const std::vector<std::pair<int, int>>& AgeBands() {
  static const std::vector<std::pair<int, int>> kBands = {
      {0, 17}, {18, 64}, {65, 74}, {75, 84}, {85, 200}};
  return kBands;
}

const MetricDefinition* FindMetric(const std::vector<MetricDefinition>& catalogue,
                                   std::string_view id) {
  for (const auto& d : catalogue) {
    if (d.id == id) return &d;
  }
  return nullptr;
}

Expr EffectivePredicate(const std::vector<MetricDefinition>& catalogue,
                        const MetricDefinition& def) {
  if (def.components.empty()) return def.numerator;
  std::vector<Expr> parts;
  for (const auto& c : def.components) {
    const MetricDefinition* d = FindMetric(catalogue, c);
    if (d) parts.push_back(EffectivePredicate(catalogue, *d));
  }
  return Expr::Or(std::move(parts), "any component");
}

}  // namespace pioneer::metrics

namespace pioneer::metrics {
namespace {

bool ReadsAnotherRecordOrThePerson(const Expr& e) {
  if (e.kind == Expr::Kind::kExists || e.kind == Expr::Kind::kPersonDate) return true;
  for (const auto& c : e.children) {
    if (ReadsAnotherRecordOrThePerson(c)) return true;
  }
  return false;
}

bool FromTheRecord(const std::string& field) { return field.empty() || field[0] != '@'; }

}  // namespace

bool ReadsOnlyTheRecord(const MetricDefinition& def, const Expr& predicate) {
  if (def.measure == Measure::kPersons) return false;
  if (def.age_rule != AgeRule::kField && !FromTheRecord(def.birth_field)) return false;
  if (!FromTheRecord(def.sex_field) || !FromTheRecord(def.practice_field) ||
      !FromTheRecord(def.lsoa_field)) {
    return false;
  }
  return !ReadsAnotherRecordOrThePerson(predicate);
}

}  // namespace pioneer::metrics
