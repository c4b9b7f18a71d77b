#include "pioneer/quality/quality_dashboard.h"

#include <fmt/format.h>

#include <algorithm>

namespace pioneer::quality {
namespace {

std::string Html(std::string_view s) {
  std::string out;
  for (char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

struct Bar {
  std::string label;
  double percent;
  int64_t numerator;
  int64_t denominator;
};

// Horizontal percentage bars, 0-100%, with the numerator/denominator as text.
std::string BarChart(const std::vector<Bar>& bars, std::string_view colour) {
  const int row = 26, label_w = 230, bar_w = 380, w = label_w + bar_w + 170;
  int h = static_cast<int>(bars.size()) * row + 24;
  std::string svg = fmt::format(
      "<svg role=\"img\" width=\"{}\" height=\"{}\" viewBox=\"0 0 {} {}\" "
      "xmlns=\"http://www.w3.org/2000/svg\" font-family=\"sans-serif\" font-size=\"13\">\n",
      w, h, w, h);
  for (int pct : {0, 25, 50, 75, 100}) {
    int x = label_w + bar_w * pct / 100;
    svg += fmt::format(
        "<line x1=\"{0}\" y1=\"0\" x2=\"{0}\" y2=\"{1}\" stroke=\"#ddd\"/>"
        "<text x=\"{0}\" y=\"{2}\" text-anchor=\"middle\" fill=\"#666\">{3}%</text>\n",
        x, h - 18, h - 4, pct);
  }
  for (size_t i = 0; i < bars.size(); ++i) {
    const Bar& b = bars[i];
    int y = static_cast<int>(i) * row;
    double len = std::clamp(b.percent, 0.0, 100.0) / 100.0 * bar_w;
    svg += fmt::format(
        "<text x=\"{}\" y=\"{}\" text-anchor=\"end\">{}</text>"
        "<rect x=\"{}\" y=\"{}\" width=\"{:.1f}\" height=\"{}\" fill=\"{}\">"
        "<title>{}: {} of {}</title></rect>"
        "<text x=\"{}\" y=\"{}\">{:.1f}% ({} / {})</text>\n",
        label_w - 8, y + 17, Html(b.label), label_w, y + 4, len, row - 8, colour, Html(b.label),
        b.numerator, b.denominator, label_w + bar_w + 8, y + 17, b.percent, b.numerator,
        b.denominator);
  }
  svg += "</svg>\n";
  return svg;
}

std::vector<Bar> BarsFor(const QualityReport& r, std::string_view measure, bool by_field) {
  std::vector<Bar> bars;
  for (const Figure& f : r.figures) {
    if (f.measure != measure) continue;
    std::string label = by_field ? f.field : f.source;
    bars.push_back({label, f.percent(), f.numerator, f.denominator});
  }
  return bars;
}

}  // namespace

std::string RenderQualityDashboard(const QualityReport& report, const std::string& title) {
  std::string page = fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<title>{0}: data quality</title>\n<style>body{{font-family:sans-serif;margin:2em;"
      "max-width:900px;color:#222}}h2{{margin-top:2em;border-bottom:1px solid #ccc}}"
      "p.note{{color:#555}}</style></head><body>\n<h1>{0}</h1>\n"
      "<p>Data quality as of {1}. Every bar is a numerator over a denominator; hover for counts. "
      "Aggregates only: no person can be identified from this page.</p>\n",
      Html(title), report.as_of.ToIso());

  page +=
      "<h2 id=\"coverage\">NHS Number coverage by source</h2>\n"
      "<p class=\"note\">Rows carrying a valid NHS Number: what can be joined today.</p>\n";
  page += BarChart(BarsFor(report, "nhs_number_coverage", false), "#2e7d32");

  page +=
      "<h2 id=\"unlinkable\">Records that cannot be linked yet</h2>\n"
      "<p class=\"note\">No valid NHS Number, or a number unknown to PDS.</p>\n";
  page += BarChart(BarsFor(report, "unlinkable", false), "#c62828");

  std::vector<Bar> issues;
  for (const Figure& f : report.figures) {
    if ((f.section == "consistency" || f.section == "duplicates") && f.numerator > 0) {
      issues.push_back({f.measure + " · " + f.source, f.percent(), f.numerator, f.denominator});
    }
  }
  page += "<h2 id=\"consistency\">Duplicates and inconsistent records</h2>\n";
  page += issues.empty() ? std::string("<p>None found.</p>\n") : BarChart(issues, "#ef6c00");

  page +=
      "<h2 id=\"quarantine\">Quarantined at ingest, by reason</h2>\n"
      "<p class=\"note\">Rows kept aside with file, line, field and reason; nothing is "
      "dropped.</p>\n";
  std::vector<Bar> q = BarsFor(report, "quarantine_by_reason", true);
  page += q.empty() ? std::string("<p>No rows quarantined.</p>\n") : BarChart(q, "#6a1b9a");
  page += "</body></html>\n";
  return page;
}

}  // namespace pioneer::quality
