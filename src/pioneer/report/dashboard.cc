#include "pioneer/report/dashboard.h"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <fstream>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "pioneer/base/html.h"
#include "pioneer/plan/finding.h"

namespace pioneer::embedded {
extern const unsigned char kChartJs[];
extern const std::size_t kChartJs_size;
}  // namespace pioneer::embedded

namespace pioneer::report {
namespace {

using nlohmann::json;

std::string Esc(const std::string& s) { return HtmlEscape(s); }

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

// A theme's investment in a year: the sum of its schemes' stated figures; nullopt when no
// scheme of the theme states one (a missing figure is never zero).
std::optional<double> ThemeInvestment(const plan::Plan& p, const std::string& theme,
                                      const std::string& year) {
  std::optional<double> v;
  for (const auto& s : p.schemes)
    if (s.theme == theme) {
      auto it = s.investment.find(year);
      if (it != s.investment.end()) v = v.value_or(0) + p.ToPounds(it->second);
    }
  return v;
}

// A data table for a chart (the accessible alternative), folded under the chart.
std::string DataTable(const std::string& caption, const std::vector<std::string>& head,
                      const std::vector<std::vector<std::string>>& rows) {
  std::string h =
      "<details><summary>" + Esc(caption) + ": data table</summary><div class=tw><table>";
  h += "<tr>";
  for (const auto& c : head) h += "<th>" + Esc(c) + "</th>";
  h += "</tr>";
  for (const auto& r : rows) {
    h += "<tr>";
    for (size_t i = 0; i < r.size(); ++i) h += (i ? "<td class=n>" : "<td>") + Esc(r[i]) + "</td>";
    h += "</tr>";
  }
  return h + "</table></div></details>";
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
    m["rolling"] = json::array();
    for (const auto& p : t.series) {
      m["labels"].push_back(p.label);
      m["actual"].push_back(Opt(p.actual));  // null when suppressed: a gap, never joined
      m["planned"].push_back(Opt(p.planned));
      m["rolling"].push_back(Opt(p.rolling12));
    }
    j["metrics"].push_back(m);
  }
  json weekday = json::array();
  for (int64_t n : d.facts.discharges_by_weekday)
    weekday.push_back(n < 0 ? json(nullptr) : json(n));
  j["weekday"] = {{"labels", {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}},
                  {"values", weekday},
                  {"period", d.facts.weekday_period}};
  const plan::Plan& p = d.plan;
  json inv;
  inv["themes"] = json::array();
  inv["years"] = p.years;
  inv["values"] = json::array();
  for (const auto& th : p.themes) inv["themes"].push_back(th.name);
  for (const auto& y : p.years) {
    json row = json::array();
    for (const auto& th : p.themes) row.push_back(Opt(ThemeInvestment(p, th.id, y)));
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
  if (d.national_condition) {
    json nc;
    nc["dates"] = d.national_condition->dates;
    nc["approaches"] = json::array();
    for (const auto& a : d.national_condition->approaches) {
      json series = json::array();
      for (const auto& v : a.series) series.push_back(v ? json(100 * *v) : json(nullptr));
      nc["approaches"].push_back({{"label", a.label}, {"series", series}});
    }
    j["national_condition"] = nc;
  }
  if (d.care_trak_value && !d.care_trak_value->schemes.empty()) {
    json v;
    v["year"] = d.care_trak_value->year;
    v["labels"] = json::array();
    v["saving"] = json::array();
    v["investment"] = json::array();
    for (const SchemeValue& x : d.care_trak_value->schemes) {
      v["labels"].push_back(x.scheme_name.empty() ? x.scheme_id : x.scheme_name);
      v["saving"].push_back(Opt(x.saving_gbp));
      v["investment"].push_back(Opt(x.investment_gbp));
    }
    j["care_trak_value"] = v;
  }
  return j;
}

std::string Share(std::optional<double> v) {
  return v ? fmt::format("{:.1f}%", 100 * *v) : std::string("suppressed");
}
std::string Count(std::optional<int64_t> v) {
  return v ? std::to_string(*v) : std::string("suppressed");
}

// National condition: high-risk adults with a joint care plan and a named lead professional.
std::string NationalConditionSection(const ReportData& d) {
  std::string h =
      "<section><h2>Joint care planning for people at high risk (national "
      "condition)</h2>";
  if (!d.national_condition) {
    return h +
           "<p>Not measured: give the report a risk report (<code>pioneer report "
           "--risk-report risk-report.json</code>) to show how many adults at high risk "
           "have a joint care plan and a named lead professional.</p></section>\n";
  }
  const NationalCondition& nc = *d.national_condition;
  h += "<p>On " + Esc(nc.date) +
       ", by each case-finding approach: the share of adults at high risk of emergency "
       "admission, and how many of them have a care plan in force and a joint plan naming an "
       "accountable GP and a care coordinator. Counts of 1-7 are suppressed, others rounded to "
       "5 (synthetic data in the demo).</p><div class=tw><table><tr><th>Approach</th><th>Adults "
       "at high risk</th><th>% of adults</th><th>With a plan</th><th>Joint plan and named "
       "lead</th></tr>";
  std::vector<std::string> head = {"Date"};
  std::vector<std::vector<std::string>> rows(nc.dates.size());
  for (size_t i = 0; i < nc.dates.size(); ++i) rows[i].push_back(nc.dates[i]);
  for (const auto& a : nc.approaches) {
    h += "<tr><td>" + Esc(a.label) + "</td><td class=n>" + Count(a.high_risk) +
         "</td><td class=n>" + Share(a.high_risk_share) + "</td><td class=n>" +
         Share(a.with_plan_share) + "</td><td class=n>" + Share(a.with_joint_plan_and_lead_share) +
         "</td></tr>";
    head.push_back(a.label);
    for (size_t i = 0; i < nc.dates.size() && i < a.series.size(); ++i)
      rows[i].push_back(Share(a.series[i]));
  }
  h += "</table></div><div class=chart><canvas id=\"national-condition\" aria-label=\"Joint care "
       "plan coverage of the high-risk over time\"></canvas></div>";
  h += DataTable("Joint plan and named lead coverage over time", head, rows);
  return h + "</section>\n";
}

std::string SignedPct(double v) { return fmt::format("{:+.1f}%", 100 * v); }

// Care Trak: each evaluated scheme's effect beside the naive before/after.
std::string CareTrakSection(const ReportData& d) {
  if (d.care_trak.empty()) return "";
  std::string h =
      "<section><h2>Care Trak: what the schemes achieved</h2><p>Each scheme's cohort against a "
      "matched comparison group (difference in differences, 95% interval). The naive "
      "before/after of the cohort alone is shown beside it: people enrolled at a crisis "
      "improve anyway, so it overstates what a scheme did.</p><div class=tw><table><tr><th>"
      "Scheme</th><th>Outcome</th><th>Effect (95% CI)</th><th>Per person per year</th><th>"
      "Naive before/after</th><th>Cohort / matched</th><th>Reading</th></tr>";
  for (const CareTrakScheme& s : d.care_trak) {
    for (const CareTrakOutcome& o : s.outcomes) {
      h += "<tr><td>" + Esc(s.name) + "</td><td>" +
           Esc(o.definition.empty() ? o.outcome : o.definition) + "</td><td class=n>" +
           SignedPct(o.relative) + " (" + SignedPct(o.relative_low) + " to " +
           SignedPct(o.relative_high) + ")</td><td class=n>" +
           (o.outcome == "total_cost" ? Money(o.absolute_per_person_year)
                                      : fmt::format("{:+.3f}", o.absolute_per_person_year)) +
           "</td><td class=n>" + (o.naive_relative ? SignedPct(*o.naive_relative) : "–") +
           "</td><td class=n>" + std::to_string(s.cohort) + " / " + std::to_string(s.matched) +
           "</td><td class=small>" + Esc(o.conclusion) +
           (s.reliable ? "" : "<br><span class=warn>" + Esc(s.warning) + "</span>") + "</td></tr>";
    }
  }
  h += "</table></div>";
  if (d.care_trak_value && !d.care_trak_value->schemes.empty()) {
    const CareTrakValue& v = *d.care_trak_value;
    auto money = [](std::optional<double> x) { return x ? Money(*x) : std::string("–"); };
    h += "<h3>Financial value against the plan's investment (" + Esc(v.year) +
         ")</h3><p class=small>Saving = the cost difference-in-differences per person-year "
         "(positive: saved) x the matched cohort, a year of follow-up; 95% intervals.</p><div "
         "class=tw><table><tr><th>Scheme</th><th>Saving per person-year</th><th>Saving per "
         "year</th><th>Investment</th><th>Net</th><th>Return per £1</th><th>Emergency "
         "admissions avoided a year</th><th>Note</th></tr>";
    std::vector<std::vector<std::string>> rows;
    for (const SchemeValue& x : v.schemes) {
      const std::string name = x.scheme_name.empty() ? x.scheme_id : x.scheme_name;
      h += "<tr><td>" + Esc(name) + "</td><td class=n>" + money(x.saving_per_person_gbp) + " (" +
           money(x.saving_per_person_low_gbp) + " to " + money(x.saving_per_person_high_gbp) +
           ")</td><td class=n>" + money(x.saving_gbp) + " (" + money(x.saving_low_gbp) + " to " +
           money(x.saving_high_gbp) + ")</td><td class=n>" + money(x.investment_gbp) +
           "</td><td class=n>" + money(x.net_gbp) + "</td><td class=n>" +
           (x.return_per_pound ? fmt::format("£{:.2f}", *x.return_per_pound) : "–") +
           "</td><td class=n>" +
           (x.admissions_avoided ? fmt::format("{:.1f} ({:.1f} to {:.1f})", *x.admissions_avoided,
                                               x.admissions_avoided_low.value_or(NAN),
                                               x.admissions_avoided_high.value_or(NAN))
                                 : "–") +
           "</td><td class=small>" + Esc(x.note) + "</td></tr>";
      rows.push_back({name, money(x.saving_gbp), money(x.investment_gbp)});
    }
    h += "</table></div><div class=chart><canvas id=\"caretrak-value\" aria-label=\"Measured "
         "saving and investment by scheme\"></canvas></div>";
    h += DataTable("Measured saving and investment by scheme",
                   {"Scheme", "Saving per year", "Investment"}, rows);
    if (!v.scenarios.empty()) {
      h += fmt::format(
          "<h3>Risk share with the measured saving</h3><p class=small>The avoidable-admissions "
          "scenario counts the baseline year less the {:.1f} emergency admissions a year the "
          "evaluated schemes avoided, instead of the population count (which mixes the "
          "schemes' effect with demand); the contingency is drawn down in the plan's "
          "order.</p><div class=tw><table><tr><th>Scenario</th><th>Cost as measured</th><th>Cost "
          "with the measured saving</th><th>Contingency left</th><th>Beyond the "
          "contingency</th></tr>",
          *v.admissions_avoided);
      for (size_t i = 0; i < v.scenarios.size(); ++i) {
        const ScenarioResult& r = v.scenarios[i];
        const ScenarioResult* m = i < d.scenarios.size() ? &d.scenarios[i] : nullptr;
        h += "<tr><td>(" + Esc(r.id) + ") " + Esc(r.description) + "</td><td class=n>" +
             (m && m->modelled ? money(m->cost_gbp) : "not modelled") + "</td><td class=n>" +
             (r.modelled ? money(r.cost_gbp) : "not modelled") + "</td><td class=n>" +
             money(r.contingency_after_gbp) + "</td><td class=n>" +
             money(r.beyond_contingency_gbp) + "</td></tr>";
      }
      h += "</table></div>";
      if (v.p4p) {
        h += "<p>P4P released with the measured saving: <strong>" + money(v.p4p->released_gbp) +
             "</strong> of a " + money(v.p4p->pot_gbp) +
             " pot (as measured from all admissions: " + money(d.p4p.released_gbp) + ").</p>";
      }
    }
  }
  return h + "</section>\n";
}

const char* kStyle =
    R"(body{font-family:system-ui,-apple-system,"Segoe UI",Arial,sans-serif;margin:0;color:#1b1b1b;background:#f4f6f8}
header{background:#005eb8;color:#fff;padding:16px 24px}header h1{margin:0;font-size:22px}header p{margin:4px 0 0;opacity:.9}
main{padding:16px 24px;max-width:1200px}section{background:#fff;border-radius:6px;padding:16px;margin-bottom:16px;box-shadow:0 1px 2px rgba(0,0,0,.08)}
h2{margin-top:0;font-size:18px}.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(460px,100%),1fr));gap:16px}
.tw{overflow-x:auto;max-width:100%}details{margin-top:6px;font-size:13px}summary{cursor:pointer;color:#005eb8}
td,th{overflow-wrap:anywhere}
@media (max-width:640px){main{padding:8px}section{padding:10px}header{padding:12px}table{font-size:12px}th,td{padding:4px}
.chart{height:240px}td.note{display:none}th.note{display:none}}
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
  // Long labels as several lines so that nothing is clipped.
  function wrap(text, width) {
    const out = []; let line = '';
    String(text).split(' ').forEach(function (w) {
      if (line && (line + ' ' + w).length > width) { out.push(line); line = w; } else { line = line ? line + ' ' + w : w; }
    });
    if (line) out.push(line);
    return out;
  }
  function make(id, config) { new Chart(document.getElementById(id), config); drawn++; }
  data.metrics.forEach(function (m, i) {
    make('metric-' + i, { type: 'line', data: { labels: m.labels, datasets: [
      { label: 'Actual (quarter)', data: m.actual, borderColor: '#005eb8', backgroundColor: '#005eb8', spanGaps: false, pointRadius: 4 },
      { label: 'Actual, 12 months to quarter end', data: m.rolling, borderColor: '#7c2855', backgroundColor: '#7c2855', spanGaps: false, pointRadius: 3, pointStyle: 'rect' },
      { label: 'Planned trajectory', data: m.planned, borderColor: '#ed8b00', backgroundColor: '#ed8b00', borderDash: [6, 4], spanGaps: true, pointRadius: 3, pointStyle: 'triangle' }
    ] }, options: { plugins: { title: { display: true, text: wrap(m.name, 60) } } } });
  });
  make('weekday', { type: 'bar', data: { labels: data.weekday.labels, datasets: [
    { label: 'Hospital discharges ' + data.weekday.period, data: data.weekday.values, backgroundColor: '#41b6e6' } ] },
    options: { plugins: { title: { display: true, text: 'Discharges by day of the week' } } } });
  const palette = ['#005eb8', '#ed8b00', '#009639', '#7c2855'];
  make('investment', { type: 'bar', data: { labels: data.investment.themes.map(function (t) { return wrap(t, 22); }), datasets:
    data.investment.years.map(function (y, i) { return { label: y + ' (£)', data: data.investment.values[i], backgroundColor: palette[i % palette.length] }; }) },
    options: { indexAxis: 'y', plugins: { title: { display: true, text: 'Investment by theme' } } } });
  if (data.p4p.present) {
    make('p4p', { type: 'bar', data: { labels: data.p4p.labels, datasets: [
      { label: 'Released (£)', data: data.p4p.released, backgroundColor: '#009639' },
      { label: 'Withheld (£)', data: data.p4p.withheld, backgroundColor: '#da291c' } ] },
      options: { scales: { x: { stacked: true }, y: { stacked: true } },
                 plugins: { title: { display: true, text: 'Payment for performance by quarter' } } } });
  }
  if (data.national_condition) {
    const nc = data.national_condition, pal = ['#005eb8', '#ed8b00', '#330072'];
    make('national-condition', { type: 'line', data: { labels: nc.dates, datasets:
      nc.approaches.map(function (a, i) { return { label: a.label, data: a.series, borderColor: pal[i % 3],
        backgroundColor: pal[i % 3], spanGaps: false }; }) },
      options: { scales: { y: { min: 0, max: 100, title: { display: true, text: '% with a joint plan and a named lead' } } },
                 plugins: { title: { display: true, text: 'High-risk adults with a joint care plan and a named lead professional' } } } });
  }
  if (data.care_trak_value) {
    const v = data.care_trak_value;
    make('caretrak-value', { type: 'bar', data: { labels: v.labels.map(function (t) { return wrap(t, 22); }), datasets: [
      { label: 'Measured saving per year (£)', data: v.saving, backgroundColor: '#009639' },
      { label: 'Investment ' + v.year + ' (£)', data: v.investment, backgroundColor: '#005eb8' } ] },
      options: { plugins: { title: { display: true, text: 'Care Trak: measured saving against investment' } } } });
  }
  window.pioneerChartsRendered = drawn;
})();
)";

}  // namespace

namespace {

// Metric summary: every milestone, with the plan's baseline and the measured one; RAG next to
// the metric name so that it stays in view on a phone.
std::string SummarySection(const ReportData& d) {
  std::string h;
  h += "<section><h2>Metrics: actual against plan</h2><div class=tw><table><tr><th>Metric</th>"
       "<th>Status</th><th>Milestone</th><th>Baseline (plan / measured)</th><th>Planned</th>"
       "<th>Actual</th><th>Variance</th><th class=note>Note</th></tr>";
  int red = 0, amber = 0, green = 0, nodata = 0;
  for (const auto& t : d.tracks) {
    std::string baseline = (t.baseline_planned ? Num(t.baseline_planned) : std::string("–")) +
                           " / " + (t.baseline_actual ? Num(t.baseline_actual) : std::string("–"));
    if (t.milestones.empty()) {
      // No trajectory: still show what was measured in each plan year.
      std::string actual;
      for (const auto& ya : t.year_actuals)
        actual += (actual.empty() ? "" : "<br>") + Esc(ya.year) + ": " +
                  (ya.suppressed ? std::string("suppressed") : Num(ya.actual));
      if (actual.empty()) actual = "–";
      ++nodata;
      h += "<tr><td>" + Esc(t.name) +
           "</td><td class=\"rag nodata\">no trajectory</td><td>–</td><td class=n>" + baseline +
           "</td><td class=n>–</td><td class=n>" + actual +
           "</td><td class=n>–</td><td class=\"small note\">" + Esc(t.note) + "</td></tr>";
      continue;
    }
    for (size_t mi = 0; mi < t.milestones.size(); ++mi) {
      const MilestoneTrack& m = t.milestones[mi];
      std::string cls = m.rag == Rag::kNoData ? "nodata" : RagName(m.rag);
      switch (m.rag) {
        case Rag::kRed:
          ++red;
          break;
        case Rag::kAmber:
          ++amber;
          break;
        case Rag::kGreen:
          ++green;
          break;
        case Rag::kNoData:
          ++nodata;
          break;
      }
      h += "<tr><td>" + (mi == 0 ? Esc(t.name) : std::string("<span class=small>″</span>")) +
           "</td><td class=\"rag " + cls + "\">" + RagName(m.rag) + "</td><td>" + Esc(m.date) +
           "</td><td class=n>" + (mi == 0 ? baseline : std::string()) + "</td><td class=n>" +
           Num(m.planned) + "</td><td class=n>" + Num(m.actual) + "</td><td class=n>" +
           Num(m.variance) + "</td><td class=\"small note\">" + (mi == 0 ? Esc(t.note) : "") +
           "</td></tr>";
    }
  }
  h += "</table></div><p class=small>" +
       Esc(fmt::format("Milestones: {} red, {} amber, {} green, {} without data. ", red, amber,
                       green, nodata)) +
       "Green: at or better than the milestone. Amber: worse, but at least 70% of "
       "the planned improvement achieved (within 2% where no improvement was planned). Red: "
       "otherwise. "
       "Actuals are crude rates with disclosure control (docs/report.md); a suppressed quarter is "
       "a gap "
       "in its chart, and the 12 months to each quarter end are shown beside it.</p></section>\n";
  return h;
}

// Each metric's chart with its data table (`cd`: ChartData).
std::string MetricChartsSection(const json& cd) {
  std::string h;
  h += "<section><h2>Each metric: actual vs trajectory, by quarter</h2><div class=grid>";
  for (size_t i = 0; i < cd["metrics"].size(); ++i) {
    const auto& m = cd["metrics"][i];
    std::vector<std::vector<std::string>> rows;
    for (size_t k = 0; k < m["labels"].size(); ++k) {
      auto cell = [&](const char* key) {
        const auto& v = m[key][k];
        return v.is_null() ? std::string("–") : fmt::format("{:.2f}", v.get<double>());
      };
      rows.push_back(
          {m["labels"][k].get<std::string>(), cell("actual"), cell("rolling"), cell("planned")});
    }
    h += fmt::format(
        "<div><div class=chart><canvas id=\"metric-{}\" aria-label=\"{}\"></canvas></div>", i,
        Esc(m["name"].get<std::string>()));
    h += DataTable(m["name"].get<std::string>(),
                   {"Quarter", "Actual (quarter)", "Actual, 12 months to quarter end", "Planned"},
                   rows) +
         "</div>";
  }
  if (cd["metrics"].empty()) h += "<p>No metric has a trajectory to chart.</p>";
  h += "</div></section>\n";
  return h;
}

// Discharges by weekday and investment by theme.
std::string SevenDayAndInvestmentSection(const ReportData& d) {
  const plan::Plan& p = d.plan;
  std::string h;
  std::vector<std::vector<std::string>> weekday_rows;
  static const char* kDays[] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
  for (int k = 0; k < 7; ++k)
    weekday_rows.push_back({kDays[k], d.facts.discharges_by_weekday[k] < 0
                                          ? std::string("suppressed")
                                          : std::to_string(d.facts.discharges_by_weekday[k])});
  std::vector<std::string> inv_head = {"Theme"};
  for (const auto& y : p.years) inv_head.push_back(y + " (£)");
  std::vector<std::vector<std::string>> inv_rows;
  for (const auto& th : p.themes) {
    std::vector<std::string> r = {th.name};
    for (const auto& y : p.years) {
      auto v = ThemeInvestment(p, th.id, y);
      r.push_back(v ? Money(*v) : std::string("not stated"));
    }
    inv_rows.push_back(r);
  }
  h += "<section><h2>Seven-day services and investment</h2><div class=grid>"
       "<div><div class=chart><canvas id=\"weekday\" aria-label=\"Discharges by "
       "weekday\"></canvas></div>" +
       DataTable("Discharges by day of the week " + d.facts.weekday_period, {"Day", "Discharges"},
                 weekday_rows) +
       "</div><div><div class=chart><canvas id=\"investment\" aria-label=\"Investment by "
       "theme\"></canvas></div>" +
       DataTable("Investment by theme", inv_head, inv_rows) + "</div></div></section>\n";
  return h;
}

std::string PaymentForPerformanceSection(const ReportData& d) {
  std::string h;
  h += "<section><h2>Payment for performance</h2>";
  if (d.p4p.present) {
    h += "<div class=chart><canvas id=\"p4p\" aria-label=\"Payment for "
         "performance\"></canvas></div>";
    std::vector<std::vector<std::string>> p4p_rows;
    for (const auto& q : d.p4p.quarters)
      p4p_rows.push_back({q.plan_quarter, q.released_gbp ? Money(*q.released_gbp) : "–",
                          q.withheld_gbp ? Money(*q.withheld_gbp) : "–"});
    h += DataTable("Payment for performance by quarter", {"Quarter", "Released", "Withheld"},
                   p4p_rows);
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
  return h;
}

// Risk share: the scenarios, the contingency and each partner's exposure.
std::string ScenarioSection(const ReportData& d) {
  const plan::Plan& p = d.plan;
  std::string h;
  h += "<section><h2>Risk share: scenarios, contingency and partner exposure</h2>";
  h += "<p>Contingency: " +
       (p.risk_share.contingency ? Money(p.ToPounds(*p.risk_share.contingency))
                                 : std::string("not stated")) +
       " · assessed over " + Esc(d.assessment_year) + " against " + Esc(d.baseline_year) + ".</p>";
  h += "<div "
       "class=tw><table><tr><th>Scenario</th><th>Planned</th><th>Actual</th><th>Cost</th><th>From "
       "contingency</th>"
       "<th>Contingency left</th><th>Partner exposure</th><th>Note</th></tr>";
  for (const auto& s : d.scenarios) {
    std::string exp;
    for (const auto& [org, v] : s.exposure_gbp) {
      const plan::Organisation* o = p.FindOrganisation(org);
      exp += (exp.empty() ? "" : "<br>") + Esc(o ? o->name : org) + ": " + Money(v);
    }
    if (s.unallocated_gbp > 0)
      exp += (exp.empty() ? "" : "<br>") + std::string("unallocated: ") + Money(s.unallocated_gbp);
    h += "<tr><td>(" + Esc(s.id) + ") " + Esc(s.description) + "</td><td class=n>" +
         Num(s.input.planned, 0) + "</td><td class=n>" + Num(s.input.actual, 0) +
         "</td><td class=n>" + (s.modelled ? Money(s.cost_gbp) : "–") + "</td><td class=n>" +
         (s.modelled ? Money(s.drawdown_gbp) : "–") + "</td><td class=n>" +
         (s.modelled ? Money(s.contingency_after_gbp) : "–") + "</td><td>" + exp +
         "</td><td class=small>" + Esc(s.note) + "</td></tr>";
  }
  h += "</table></div></section>\n";
  return h;
}

// The plan check's findings.
std::string FindingsSection(const ReportData& d) {
  std::string h;
  h += "<section><h2>Plan check</h2>";
  if (d.findings.empty())
    h += "<p>No findings.</p>";
  else {
    h += "<table><tr><th>Severity</th><th>Line</th><th>Finding</th></tr>";
    for (const auto& f : d.findings)
      h += "<tr><td class=\"rag " +
           std::string(f.severity == plan::Severity::kError ? "red" : "amber") + "\">" +
           plan::SeverityName(f.severity) + "</td><td class=n>" + std::to_string(f.line) +
           "</td><td>" + Esc(f.message) + "</td></tr>";
    h += "</table>";
  }
  h += "</section>";
  return h;
}

}  // namespace

std::string DashboardHtml(const ReportData& d) {
  const plan::Plan& p = d.plan;
  std::string h;
  h += "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">";
  h += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">";
  h += "<title>" + Esc("BCF dashboard: " + p.hwb) + "</title><style>" + kStyle +
       "</style></head><body>\n";
  h += "<header><h1>" + Esc("Better Care Fund: " + p.hwb) + "</h1><p>" +
       Esc((p.title.empty() ? p.id : p.title) + " · data as of " +
           (d.data_as_of.empty() ? "unknown" : d.data_as_of)) +
       "</p></header><main>\n";
  const json cd = ChartData(d);
  h += SummarySection(d);
  h += MetricChartsSection(cd);
  h += SevenDayAndInvestmentSection(d);
  h += PaymentForPerformanceSection(d);
  h += ScenarioSection(d);
  h += NationalConditionSection(d);
  h += CareTrakSection(d);
  h += FindingsSection(d);
  h += "</main>\n";
  std::string payload = cd.dump();
  for (size_t pos = 0; (pos = payload.find("</", pos)) != std::string::npos; pos += 3)
    payload.replace(pos, 2, "<\\/");
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
