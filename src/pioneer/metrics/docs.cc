#include "pioneer/metrics/docs.h"

#include <fmt/format.h>

#include "pioneer/metrics/definition.h"

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
    case Standardisation::kNone: return "none (crude rate)";
    case Standardisation::kEsp2013Age: return "ESP2013, directly standardised by 5-year age band";
    case Standardisation::kEsp2013AgeSex:
      return "ESP2013, directly standardised by 5-year age band within sex";
  }
  return "";
}

}  // namespace

std::string RenderMetricsReference() {
  SwitchValues defaults;
  for (const auto& s : AllSwitches()) defaults[s.name] = s.default_value;
  std::vector<MetricDefinition> catalogue = BuildCatalogue(defaults);
  std::string out = "### Switches\n\n| switch | default | values | provenance | meaning |\n"
                    "|---|---|---|---|---|\n";
  for (const auto& s : AllSwitches()) {
    std::string allowed;
    for (size_t i = 0; i < s.allowed.size(); ++i) allowed += (i ? ", " : "") + s.allowed[i];
    out += fmt::format("| `{}` | `{}` | {} | {} | {} |\n", s.name, s.default_value, allowed,
                       s.provenance, s.description);
  }
  for (const auto& d : catalogue) {
    out += fmt::format("\n### `{}` — {}\n\n", d.id, d.title);
    out += fmt::format("* Version {}; provenance {}{}; {}.\n", d.version, d.provenance,
                       d.provisional ? " (outputs labelled provisional)" : "", d.citation);
    out += fmt::format("* Unit: {}; {}.\n", d.unit == Unit::kPer100k ? "per 100,000" : "%",
                       d.polarity == Polarity::kLowerIsBetter ? "lower is better"
                                                              : "higher is better");
    out += fmt::format("* Period: {}.\n", d.period_rule);
    out += fmt::format("* Denominator: {}.\n", d.denominator_rule);
    out += fmt::format("* Standardisation: {}.\n", StdName(d.standardisation));
    std::string sw;
    for (size_t i = 0; i < d.switches.size(); ++i) sw += (i ? ", " : "") + ("`" + d.switches[i] + "`");
    out += fmt::format("* Switches read: {}.\n", sw);
    if (!d.components.empty()) {
      std::string comps;
      for (size_t i = 0; i < d.components.size(); ++i) comps += (i ? ", " : "") + ("`" + d.components[i] + "`");
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
