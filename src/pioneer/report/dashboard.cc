#include "pioneer/report/dashboard.h"

#include <fmt/format.h>

#include <cstddef>
#include <fstream>
#include <nlohmann/json.hpp>

#include "pioneer/plan/finding.h"

namespace pioneer::embedded {
extern const unsigned char kChartJs[];
extern const std::size_t kChartJs_size;
}  // namespace pioneer::embedded

namespace pioneer::report {
namespace {

using nlohmann::json;

std::string Esc(const std::string& s) {
  std::string o;
  for (char c : s) {
    switch (c) {
      case '&': o += "&amp;"; break;
      case '<': o += "&lt;"; break;
      case '>': o += "&gt;"; break;
      case '"': o += "&quot;"; break;
      default: o += c;
    }
  }
  return o;
}

json Opt(std::optional<double> v) { return v ? json(*v) : json(nullptr); }

std::string Money(double v) {
  std::string s = fmt::format("{:.0f}", std::fabs(v));
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out += ',';
    out += s[i];
  }
  return (v < 0 ? "-£" : "£") + out;
}

std::string Num(std::optional<double> v, int dp = 2) {
  return v ? fmt::format("{:.{}f}", *v, dp) : std::string("–");
}

json ChartData(const ReportData& d) {
  json j;
  j["metrics"] = json::array();
  for (const auto& t : d.tracks) {
    if (t.series.empty()) continue;
    json m;
    m["name"] = t.name;
    m["id"] = t.id;
    m["labels"] = json::array();
    m["actual"] = json::array();
    m["planned"] = json::array();
    for (const auto& p : t.series) {
      m["labels"].push_back(p.label);
      m["actual"].push_back(Opt(p.actual));
      m["planned"].push_back(Opt(p.planned));
    }
    j["metrics"].push_back(m);
  }
  j["weekday"] = {{"labels", {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}},
                  {"values", d.facts.discharges_by_weekday},
                  {"period", d.facts.weekday_period}};
  const plan::Plan& p = d.plan;
  json inv;
  inv["themes"] = json::array();
  inv["years"] = p.years;
  inv["values"] = json::array();
  for (const auto& th : p.themes) inv["themes"].push_back(th.name);
  for (const auto& y : p.years) {
    json row = json::array();
    for (const auto& th : p.themes) {
      double v = 0;
      for (const auto& s : p.schemes)
        if (s.theme == th.id) {
          auto it = s.investment.find(y);
          if (it != s.investment.end()) v += p.ToPounds(it->second);
        }
      row.push_back(v);
    }
    inv["values"].push_back(row);
  }
  j["investment"] = inv;
  json p4p;
  p4p["present"] = d.p4p.present;
  p4p["labels"] = json::array();
  p4p["released"] = json::array();
  p4p["withheld"] = json::array();
  for (const auto& q : d.p4p.quarters) {
    p4p["labels"].push_back(q.plan_quarter);
    p4p["released"].push_back(Opt(q.released_gbp));
    p4p["withheld"].push_back(Opt(q.withheld_gbp));
  }
  j["p4p"] = p4p;
  return j;
}

const char* kStyle = R"(body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0;color:#1b1b1b;background:#f4f6f8}
header{background:#005eb8;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.9}
main{padding:16px 24px;max-width:1200px}section{background:#fff;border-radius:6px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{margin-top:0;font-size:18px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(460px,1fr));gap:16px}
.chart{position:relative;height:280px}table{border-collapse:collapse;width:100%;font-size:14px}th,td{border-bottom:1px solid #ddd;padding:6px 8px;text-align:left;vertical-align:top}
th{background:#e8edf3}td.n{text-align:right;font-variant-numeric:tabular-nums}.rag{font-weight:600;text-align:center;border-radius:3px}
.green{background:#c6efce}.amber{background:#ffeb9c}.red{background:#ffc7ce}.nodata{background:#ededed}.warn{color:#9c0006;font-weight:600}
.small{font-size:13px;color:#555})";

const char* kScript = R"(
(function () {
  const data = JSON.parse(document.getElementById('pioneer-data').textContent);
  Chart.defaults.animation = false;
  Chart.defaults.maintainAspectRatio = false;
  let drawn = 0;
  function make(id, config) { new Chart(document.getElementById(id), config); drawn++; }
  data.metrics.forEach(function (m, i) {
    make('metric-' + i, { type: 'line', data: { labels: m.labels, datasets: [
      { label: 'Actual', data: m.actual, borderColor: '#005eb8', backgroundColor: '#005eb8', spanGaps: true },
      { label: 'Planned trajectory', data: m.planned, borderColor: '#ed8b00', backgroundColor: '#ed8b00', borderDash: [6, 4], spanGaps: true }
    ] }, options: { plugins: { title: { display: true, text: m.name } } } });
  });
  make('weekday', { type: 'bar', data: { labels: data.weekday.labels, datasets: [
    { label: 'Hospital discharges ' + data.weekday.period, data: data.weekday.values, backgroundColor: '#41b6e6' } ] },
    options: { plugins: { title: { display: true, text: 'Discharges by day of the week' } } } });
  const palette = ['#005eb8', '#ed8b00', '#009639', '#7c2855'];
  make('investment', { type: 'bar', data: { labels: data.investment.themes, datasets:
    data.investment.years.map(function (y, i) { return { label: y + ' (£)', data: data.investment.values[i], backgroundColor: palette[i % palette.length] }; }) },
    options: { plugins: { title: { display: true, text: 'Investment by theme' } } } });
  if (data.p4p.present) {
    make('p4p', { type: 'bar', data: { labels: data.p4p.labels, datasets: [
      { label: 'Released (£)', data: data.p4p.released, backgroundColor: '#009639' },
      { label: 'Withheld (£)', data: data.p4p.withheld, backgroundColor: '#da291c' } ] },
      options: { scales: { x: { stacked: true }, y: { stacked: true } },
                 plugins: { title: { display: true, text: 'Payment for performance by quarter' } } } });
  }
  window.pioneerChartsRendered = drawn;
})();
)";

}  // namespace

std::string DashboardHtml(const ReportData& d) {
  const plan::Plan& p = d.plan;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>" + Esc("BCF dashboard: " + p.hwb) + "</title><style>" + kStyle + "</style></head><body>\n";
  h += "<header><h1>" + Esc("Better Care Fund: " + p.hwb) + "</h1><p>" +
       Esc((p.title.empty() ? p.id : p.title) + " · data as of " +
           (d.data_as_of.empty() ? "unknown" : d.data_as_of)) +
       "</p></header><main>\n";
  // Metric summary.
  h += "<section><h2>Metrics: actual against plan</h2><table><tr><th>Metric</th><th>Milestone</th>"
       "<th>Planned</th><th>Actual</th><th>Variance</th><th>Status</th><th>Note</th></tr>";
  for (const auto& t : d.tracks) {
    const MilestoneTrack* latest = nullptr;
    for (const auto& m : t.milestones)
      if (m.actual) latest = &m;
    if (!latest && !t.milestones.empty()) latest = &t.milestones.back();
    Rag rag = latest ? latest->rag : Rag::kNoData;
    std::string cls = rag == Rag::kNoData ? "nodata" : RagName(rag);
    h += "<tr><td>" + Esc(t.name) + "</td><td>" + (latest ? Esc(latest->date) : "–") + "</td><td class=n>" +
         (latest ? Num(latest->planned) : "–") + "</td><td class=n>" + (latest ? Num(latest->actual) : "–") +
         "</td><td class=n>" + (latest ? Num(latest->variance) : "–") + "</td><td class=\"rag " + cls +
         "\">" + RagName(rag) + "</td><td class=small>" + Esc(t.note) + "</td></tr>";
  }
  h += "</table><p class=small>Green: at or better than the milestone. Amber: worse, but at least 70% of "
       "the planned improvement achieved (within 2% where no improvement was planned). Red: otherwise. "
       "Actuals are crude rates with disclosure control (docs/report.md).</p></section>\n";
  // Metric charts.
  json cd = ChartData(d);
  h += "<section><h2>Each metric: actual vs trajectory, by quarter</h2><div class=grid>";
  for (size_t i = 0; i < cd["metrics"].size(); ++i)
    h += fmt::format("<div class=chart><canvas id=\"metric-{}\" aria-label=\"{}\"></canvas></div>", i,
                     Esc(cd["metrics"][i]["name"].get<std::string>()));
  if (cd["metrics"].empty()) h += "<p>No metric has a trajectory to chart.</p>";
  h += "</div></section>\n";
  h += "<section><h2>Seven-day services and investment</h2><div class=grid>"
       "<div class=chart><canvas id=\"weekday\" aria-label=\"Discharges by weekday\"></canvas></div>"
       "<div class=chart><canvas id=\"investment\" aria-label=\"Investment by theme\"></canvas></div>"
       "</div></section>\n";
  // P4P.
  h += "<section><h2>Payment for performance</h2>";
  if (d.p4p.present) {
    h += "<div class=chart><canvas id=\"p4p\" aria-label=\"Payment for performance\"></canvas></div>";
    h += fmt::format("<p>Pot {} · released {} · withheld {} (to {}).</p>", Money(d.p4p.pot_gbp),
                     Money(d.p4p.released_gbp), Money(d.p4p.withheld_gbp), Esc(d.p4p.withheld_to));
    if (d.p4p.value_unverified)
      h += "<p class=warn>" +
           Esc(fmt::format("The value per avoided admission ({}) is UNVERIFIED: no source text was "
                           "found for the commonly quoted £1,490 (bcf-metrics.md 9.3).",
                           Money(d.p4p.value_per_admission_gbp))) +
           "</p>";
  } else {
    h += "<p>The plan has no payment-for-performance section.</p>";
  }
  h += "</section>\n";
  // Scenarios.
  h += "<section><h2>Risk share: scenarios, contingency and partner exposure</h2>";
  h += "<p>Contingency: " +
       (p.risk_share.contingency ? Money(p.ToPounds(*p.risk_share.contingency)) : std::string("not stated")) +
       " · assessed over " + Esc(d.assessment_year) + " against " + Esc(d.baseline_year) + ".</p>";
  h += "<table><tr><th>Scenario</th><th>Planned</th><th>Actual</th><th>Cost</th><th>From contingency</th>"
       "<th>Contingency left</th><th>Partner exposure</th><th>Note</th></tr>";
  for (const auto& s : d.scenarios) {
    std::string exp;
    for (const auto& [org, v] : s.exposure_gbp) {
      const plan::Organisation* o = p.FindOrganisation(org);
      exp += (exp.empty() ? "" : "<br>") + Esc(o ? o->name : org) + ": " + Money(v);
    }
    if (s.unallocated_gbp > 0) exp += (exp.empty() ? "" : "<br>") + std::string("unallocated: ") + Money(s.unallocated_gbp);
    h += "<tr><td>(" + Esc(s.id) + ") " + Esc(s.description) + "</td><td class=n>" + Num(s.input.planned, 0) +
         "</td><td class=n>" + Num(s.input.actual, 0) + "</td><td class=n>" + (s.modelled ? Money(s.cost_gbp) : "–") +
         "</td><td class=n>" + (s.modelled ? Money(s.drawdown_gbp) : "–") + "</td><td class=n>" +
         (s.modelled ? Money(s.contingency_after_gbp) : "–") + "</td><td>" + exp + "</td><td class=small>" +
         Esc(s.note) + "</td></tr>";
  }
  h += "</table></section>\n";
  // Findings.
  h += "<section><h2>Plan check</h2>";
  if (d.findings.empty()) h += "<p>No findings.</p>";
  else {
    h += "<table><tr><th>Severity</th><th>Line</th><th>Finding</th></tr>";
    for (const auto& f : d.findings)
      h += "<tr><td class=\"rag " + std::string(f.severity == plan::Severity::kError ? "red" : "amber") + "\">" +
           plan::SeverityName(f.severity) + "</td><td class=n>" + std::to_string(f.line) + "</td><td>" +
           Esc(f.message) + "</td></tr>";
    h += "</table>";
  }
  h += "</section></main>\n";
  std::string payload = cd.dump();
  for (size_t pos = 0; (pos = payload.find("</", pos)) != std::string::npos; pos += 3) payload.replace(pos, 2, "<\\/");
  h += "<script type=\"application/json\" id=\"pioneer-data\">" + payload + "</script>\n<script>";
  h.append(reinterpret_cast<const char*>(embedded::kChartJs), embedded::kChartJs_size);
  h += "</script>\n<script>";
  h += kScript;
  h += "</script></body></html>\n";
  return h;
}

Status WriteDashboard(const ReportData& data, const std::string& path) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << DashboardHtml(data);
  out.close();
  if (!out) return UnavailableError("cannot write " + path);
  return OkStatus();
}

}  // namespace pioneer::report
