#include "pioneer/metrics/docs.h"

#include <fmt/format.h>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/evaluate.h"

namespace pioneer::metrics {
namespace {

void RenderExpr(const Expr& e, int depth, std::string& out) {
  std::string indent(depth * 2, ' ');
  if (e.kind == Expr::Kind::kAnd || e.kind == Expr::Kind::kOr) {
    out += fmt::format("{}* {}{}:\n", indent, e.kind == Expr::Kind::kAnd ? "all of" : "any of",
                       e.note.empty() ? "" : " — " + e.note);
    for (const auto& c : e.children) RenderExpr(c, depth + 1, out);
    return;
  }
  out += fmt::format("{}* {}\n", indent, e.Describe());
}

const char* StdName(Standardisation s) {
  switch (s) {
    case Standardisation::kNone:
      return "none (crude rate)";
    case Standardisation::kEsp2013Age:
      return "ESP2013, directly standardised by 5-year age band";
    case Standardisation::kEsp2013AgeSex:
      return "ESP2013, directly standardised by 5-year age band within sex";
  }
  return "";
}

std::string MeasureText(const MetricDefinition& d) {
  switch (d.measure) {
    case Measure::kRecords:
      return "one per record";
    case Measure::kPersons:
      return "distinct people: one per person per period (their first record by period date)";
    case Measure::kDaysInPeriod:
      return fmt::format("days of [`{}`, `{}`) inside the period", d.period_field,
                         d.period_end_field);
    case Measure::kDaysBetween:
      return fmt::format("days from `{}` to `{}` (0 if negative)", d.value_from_field,
                         d.period_field);
  }
  return "";
}

std::string PracticeText(const MetricDefinition& d) {
  if (d.practice_field == kPracticeAtEvent) {
    return fmt::format(
        "the practice the person was registered with on {} (gp_registrations), else the PDS "
        "current practice",
        d.period_mode == PeriodMode::kAsAtPeriodEnd ? "the last day of the period"
                                                    : "`" + d.period_field + "`");
  }
  if (d.practice_field == kPersonField) return "the PDS current practice";
  return "`" + d.practice_field + "` on the record";
}

std::string AgeText(const MetricDefinition& d) {
  std::string birth =
      d.birth_field == kPersonField ? "the PDS birth date" : "`" + d.birth_field + "`";
  std::string s;
  switch (d.age_rule) {
    case AgeRule::kField:
      s = "`" + d.age_field + "` (7001-7007 = 0)";
      break;
    case AgeRule::kAtDateField:
      s = "from " + birth + " at `" + d.age_date_field + "`";
      break;
    case AgeRule::kAtFinancialYearEnd:
      s = "from " + birth + " at 31 March of the financial year of the period date";
      break;
    case AgeRule::kAtPeriodEnd:
      s = "from " + birth + " at the last day of the period";
      break;
  }
  if (d.age_lo >= 0) {
    s += d.age_hi >= 200 ? fmt::format("; only ages {}+", d.age_lo)
                         : fmt::format("; only ages {}-{}", d.age_lo, d.age_hi);
  }
  return s;
}

}  // namespace

std::string RenderMetricsReference() {
  SwitchValues defaults;
  for (const auto& s : AllSwitches()) defaults[s.name] = s.default_value;
  std::vector<MetricDefinition> catalogue = BuildCatalogue(defaults);
  std::string out =
      "### Switches\n\n| switch | default | values | provenance | meaning |\n"
      "|---|---|---|---|---|\n";
  for (const auto& s : AllSwitches()) {
    std::string allowed;
    for (size_t i = 0; i < s.allowed.size(); ++i) allowed += (i ? ", " : "") + s.allowed[i];
    out += fmt::format("| `{}` | `{}` | {} | {} | {} |\n", s.name, s.default_value, allowed,
                       s.provenance, s.description);
  }
  out +=
      "\n### Reference rate tables\n\nPer 100 people; embedded as data in `catalogue.cc`. "
      "The values below could not be checked against their sources here and are labelled "
      "unverified: supply the official tables with `pioneer metrics --rates FILE` (format and "
      "template: `examples/reference/dementia_prevalence_rates.csv`, which holds exactly these "
      "values); each value's `denominator_basis` names the table used.\n";
  for (const auto& t : ReferenceRates()) {
    out += fmt::format(
        "\n`{}` — {} ({}).\n\n| sex | 65-69 | 70-74 | 75-79 | 80-84 | 85-89 | 90+ "
        "|\n|---|---|---|---|---|---|---|\n",
        t.name, t.source, t.provenance);
    for (int sex = 1; sex <= 2; ++sex) {
      out += sex == 1 ? "| male |" : "| female |";
      for (int b = 0; b < 6; ++b) out += fmt::format(" {:.1f} |", t.rate[sex][b]);
      out += "\n";
    }
  }
  for (const auto& d : catalogue) {
    out += fmt::format("\n### `{}` — {}\n\n", d.id, d.title);
    out += fmt::format("* Version {}; provenance {}{}; {}.\n", d.version, d.provenance,
                       d.provisional ? " (outputs labelled provisional)" : "", d.citation);
    out += fmt::format(
        "* Unit: {}; {}.\n", RateUnitText(d),
        d.polarity == Polarity::kLowerIsBetter ? "lower is better" : "higher is better");
    if (std::string ci = RateCiText(d); !ci.empty())
      out += fmt::format("* 95% confidence interval of the rate: {}.\n", ci);
    out += fmt::format("* Period: {}.\n", d.period_rule);
    if (!d.months.empty()) {
      std::string m;
      for (size_t i = 0; i < d.months.size(); ++i)
        m += fmt::format("{}{}", i ? ", " : "", d.months[i]);
      out += fmt::format("* Only period dates in calendar months {}.\n", m);
    }
    out += fmt::format("* Measure: {}.\n", MeasureText(d));
    out += fmt::format("* Age: {}.\n", AgeText(d));
    out += fmt::format("* Practice (practice and CCG breakdowns): {}.\n", PracticeText(d));
    out += fmt::format("* Records without a usable NHS Number: {}.\n",
                       d.count_unplaced
                           ? "counted by the fields on the record (`records.without_nhs_number`)"
                       : ReadsOnlyTheRecord(d, d.numerator) && d.components.empty()
                           ? "not counted (`records.without_nhs_number = exclude`)"
                           : "not counted: the definition needs the person");
    out += fmt::format("* Denominator: {}{}.\n", d.denominator_rule,
                       d.per_month ? " (average per month)" : "");
    out += fmt::format("* Standardisation: {}.\n", StdName(d.standardisation));
    std::string sw;
    for (size_t i = 0; i < d.switches.size(); ++i)
      sw += (i ? ", " : "") + ("`" + d.switches[i] + "`");
    out += fmt::format("* Switches read: {}.\n", sw);
    if (d.components.size() == 1) {
      out += fmt::format("* Numerator: alias of `{}` (the same records, counted once).\n",
                         d.components[0]);
    } else if (!d.components.empty()) {
      std::string comps;
      for (size_t i = 0; i < d.components.size(); ++i)
        comps += (i ? ", " : "") + ("`" + d.components[i] + "`");
      out += fmt::format(
          "* Numerator: the components {} — summed (double counting allowed) by default; with "
          "`composite.deduplicate_spells = true` each admission meeting any component counts "
          "once.\n",
          comps);
    } else {
      out += fmt::format("* Numerator: records of `{}` meeting\n", d.source);
      RenderExpr(d.numerator, 1, out);
    }
  }
  return out;
}

std::string UpdateGeneratedBlock(const std::string& document) {
  size_t b = document.find(kBeginGenerated);
  size_t e = document.find(kEndGenerated);
  if (b == std::string::npos || e == std::string::npos || e < b) return document;
  b += std::string(kBeginGenerated).size();
  return document.substr(0, b) + "\n" + RenderMetricsReference() + document.substr(e);
}

}  // namespace pioneer::metrics
