#include "pioneer/metrics/definition.h"

#include <algorithm>
#include <set>

#include <fmt/format.h>

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

namespace {
void CollectFields(const Expr& e, std::set<std::string>& out) {
  for (const auto& f : e.fields) out.insert(f);
  for (const auto& c : e.children) CollectFields(c, out);
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
      body = fmt::format("{}`{}` starts with one of {{{}}}", fields.size() > 1 ? "any of " : "",
                         f, JoinValues(values));
      break;
    }
    case Kind::kIntRange:
      body = fmt::format("`{}` in {}..{}", fields[0], lo, hi);
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
  }
  return note.empty() ? body : body + " [" + note + "]";
}

const std::vector<SwitchSpec>& AllSwitches() {
  static const std::vector<SwitchSpec> kSwitches = {
      {"composite.deduplicate_spells", "false", {"false", "true"}, "PROP",
       "Avoidable admissions composite: false = plain sum of the four component numerators "
       "(double counting allowed, the official construction); true = each admission counted "
       "once (bcf-metrics.md 5.1)."},
      {"nel.method_set", "emergency", {"emergency", "mar"}, "PROP",
       "Total non-elective admissions: emergency = ADMIMETH emergency set (1.5); mar = "
       "emergency set plus 81 (non-emergency transfers), approximating the Monthly Activity "
       "Return (5.6)."},
      {"falls.exclude_transfers", "false", {"false", "true"}, "PROP",
       "Falls 65+: true drops first episodes with ADMIMETH 2B or ADMISORC 51-53 (6.2)."},
      {"falls.cause_positions", "cause_field", {"cause_field", "any_secondary"}, "CORR",
       "Falls 65+: where the W00-W19 external cause is sought: cause_field = the HES CAUSE "
       "field only; any_secondary = CAUSE or any secondary diagnosis position (6.1)."},
      {"lrti.include_optional_codes", "false", {"false", "true"}, "PROP",
       "NHSOF 3.2 children's LRTI: true adds J10.0, J11.0, J20, J22 to J12-J16, J18, J21 "
       "(5.5)."},
      {"population.mye_year", "fy_mid_year", {"fy_mid_year", "latest"}, "PROP",
       "Which ONS mid-year estimate is the denominator: fy_mid_year = the mid-year inside the "
       "period's financial year (mid-2014 for 2014/15); latest = the latest year in the store "
       "(1.3)."},
      {"disclosure.apply", "true", {"true", "false"}, "PROP",
       "Small-number disclosure control on commissioning outputs (1.9): suppress 1-7, round "
       "numerators to 5, rates to 1 dp. false only for direct-care users."},
  };
  return kSwitches;
}

StatusOr<SwitchValues> ResolveSwitches(const SwitchValues& overrides) {
  SwitchValues v;
  for (const auto& s : AllSwitches()) v[s.name] = s.default_value;
  for (const auto& [name, value] : overrides) {
    auto it = std::find_if(AllSwitches().begin(), AllSwitches().end(),
                           [&](const SwitchSpec& s) { return s.name == name; });
    if (it == AllSwitches().end()) return InvalidArgumentError("unknown switch '" + name + "'");
    if (std::find(it->allowed.begin(), it->allowed.end(), value) == it->allowed.end()) {
      return InvalidArgumentError("switch '" + name + "' cannot be '" + value + "'");
    }
    v[name] = value;
  }
  return v;
}

const char* BreakdownName(Breakdown b) {
  switch (b) {
    case Breakdown::kNone: return "none";
    case Breakdown::kSex: return "sex";
    case Breakdown::kAgeBand: return "age_band";
    case Breakdown::kPractice: return "practice";
    case Breakdown::kCcg: return "ccg";
    case Breakdown::kDeprivation: return "deprivation";
  }
  return "none";
}

std::optional<Breakdown> ParseBreakdown(std::string_view name) {
  for (Breakdown b : {Breakdown::kNone, Breakdown::kSex, Breakdown::kAgeBand,
                      Breakdown::kPractice, Breakdown::kCcg, Breakdown::kDeprivation}) {
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
