#include "pioneer/caretrak/caretrak_report.h"

#include <fmt/format.h>

#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>

#include "pioneer/base/html.h"

namespace pioneer::embedded {
extern const unsigned char kChartJs[];
extern const std::size_t kChartJs_size;
}  // namespace pioneer::embedded

namespace pioneer::caretrak {
namespace {

using nlohmann::json;

json Num(double v) { return std::isfinite(v) ? json(v) : json(nullptr); }
json Ci(const Interval& i) { return json::array({Num(i.low), Num(i.high)}); }

json OutcomeJson(const OutcomeEstimate& o, int64_t matched, int look_back) {
  const DidEstimate& d = o.did;
  const bool saving = d.relative_ci95.high < 0;
  const bool increase = d.relative_ci95.low > 0;
  json months = json::array();
  for (size_t m = 0; m < o.treated_monthly.size(); ++m)
    months.push_back(static_cast<int>(m) - look_back);
  return {
      {"outcome", MeasureSpecs()[o.measure].name},
      {"unit", MeasureSpecs()[o.measure].unit},
      {"definition", MeasureSpecs()[o.measure].definition},
      {"effect",
       {{"relative", Num(d.point.relative)},
        {"relative_ci95", Ci(d.relative_ci95)},
        {"relative_unadjusted", Num(d.point.relative_unadjusted)},
        {"relative_without_regression_adjustment", Num(d.point.relative_unregressed)},
        {"absolute_per_person_year", Num(d.point.absolute)},
        {"absolute_per_person_year_ci95", Ci(d.absolute_ci95)},
        {"absolute_total_per_year", Num(d.point.absolute * matched)},
        {"conclusion", saving     ? "reduction (the 95% interval is below zero)"
                       : increase ? "increase (the 95% interval is above zero)"
                                  : "no evidence of a change (the 95% interval includes zero)"},
        {"bootstrap_replicates", d.replicates}}},
      {"naive",
       {{"relative", Num(d.point.naive_relative)}, {"relative_ci95", Ci(d.naive_relative_ci95)}}},
      {"rates_per_person_year",
       {{"cohort_before", d.point.treated_pre},
        {"cohort_after", d.point.treated_post},
        {"matched_before", d.point.control_pre},
        {"matched_after", d.point.control_post},  // adjusted for later enrolment
        {"cohort_counterfactual_after", d.point.counterfactual}}},
      {"monthly",
       {{"month", months}, {"cohort", o.treated_monthly}, {"matched", o.control_monthly}}}};
}

std::string Esc(const std::string& s) { return HtmlEscape(s); }

std::string F(const json& v, int dp = 3) {
  return v.is_number() ? fmt::format("{:.{}f}", v.get<double>(), dp) : "n/a";
}
std::string Pct(const json& v) {
  return v.is_number() ? fmt::format("{:+.1f}%", 100 * v.get<double>()) : "n/a";
}

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#005eb8;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}
main{padding:16px 28px;max-width:1200px}section{background:#fff;border-radius:6px;padding:14px 18px;margin:14px 0;box-shadow:0 1px 2px #0002}
.warn{background:#fff4e5;border-left:5px solid #ed8b00;padding:10px 14px}
table{border-collapse:collapse;font-size:14px}td,th{border-bottom:1px solid #dde;padding:4px 10px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(420px,100%),1fr));gap:14px}.chart{height:320px}
.tall{height:520px}
section,.tablewrap{overflow-x:auto;max-width:100%}details{margin:6px 0}summary{cursor:pointer;color:#005eb8}
@media (max-width:600px){main{padding:8px}section{padding:10px}header{padding:12px}}
)";

constexpr const char* kScript = R"JS(
(function(){
  const d = JSON.parse(document.getElementById('caretrak-data').textContent);
  const opts = (xl, yl) => ({animation:false, maintainAspectRatio:false,
      scales:{x:{title:{display:true,text:xl}}, y:{title:{display:true,text:yl}}}});
  d.outcomes.forEach(function(o, i){
    new Chart(document.getElementById('monthly-' + i), {type:'line', data:{
        labels:o.monthly.month,
        datasets:[{label:'cohort', data:o.monthly.cohort, borderColor:'#005eb8', backgroundColor:'#005eb8'},
                  {label:'matched comparison group', data:o.monthly.matched, borderColor:'#ed8b00', backgroundColor:'#ed8b00'}]},
      options:opts('month relative to the index date (0 = first month after)', o.outcome + ' per person per month')});
    new Chart(document.getElementById('effect-' + i), {type:'bar', data:{
        labels:['matched difference-in-differences', 'naive before/after (cohort alone)'],
        datasets:[{label:'relative change (%)', data:[100 * o.effect.relative, 100 * o.naive.relative],
                   backgroundColor:['#005eb8', '#768692']},
                  {label:'95% CI low (%)', data:[100 * o.effect.relative_ci95[0], 100 * o.naive.relative_ci95[0]], backgroundColor:'#41b6e6'},
                  {label:'95% CI high (%)', data:[100 * o.effect.relative_ci95[1], 100 * o.naive.relative_ci95[1]], backgroundColor:'#41b6e6'}]},
      options:opts('', 'relative change in ' + o.outcome + ' (%)')});
  });
  new Chart(document.getElementById('balance'), {type:'bar', data:{
      labels:d.balance.map(b => b.feature),
      datasets:[{label:'before matching', data:d.balance.map(b => b.smd_before), backgroundColor:'#768692'},
                {label:'after matching', data:d.balance.map(b => b.smd_after), backgroundColor:'#005eb8'}]},
    options:Object.assign(opts('standardised mean difference (|SMD| < 0.1 is balanced)', ''), {indexAxis:'y'})});
  function cell(row, text, head){ const c = document.createElement(head ? 'th' : 'td');
    c.textContent = text; row.appendChild(c); }
  function num(v){ return typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v); }
  document.querySelectorAll('canvas').forEach(function(c){
    const ch = Chart.getChart(c); if (!ch) return;
    const t = document.createElement('table'), ds = ch.data.datasets;
    const h = t.insertRow(); cell(h, '', true); ds.forEach(x => cell(h, x.label, true));
    ch.data.labels.forEach((l, i) => { const r = t.insertRow(); cell(r, l, true);
      ds.forEach(x => cell(r, num(x.data[i]))); });
    const det = document.createElement('details'), sum = document.createElement('summary');
    sum.textContent = 'Data table'; det.appendChild(sum);
    const w = document.createElement('div'); w.className = 'tablewrap'; w.appendChild(t);
    det.appendChild(w); c.parentNode.after(det);
  });
  window.pioneerChartsRendered = Array.from(document.querySelectorAll('canvas'))
      .filter(c => Chart.getChart(c)).length;
})();
)JS";

}  // namespace

json ToJson(const Evaluation& ev) {
  const CohortDefinition& c = ev.cohort;
  json outcomes = json::array();
  for (const OutcomeEstimate& o : ev.outcomes) {
    outcomes.push_back(OutcomeJson(o, ev.matched, c.look_back_months));
  }
  json balance = json::array();
  double worst = 0;
  for (const BalanceRow& b : ev.balance) {
    balance.push_back({{"feature", b.feature},
                       {"cohort_mean", Num(b.treated_mean)},
                       {"candidates_mean", Num(b.candidates_mean)},
                       {"matched_mean", Num(b.matched_mean)},
                       {"smd_before", Num(b.smd_before)},
                       {"smd_after", Num(b.smd_after)}});
    if (std::isfinite(b.smd_after)) worst = std::max(worst, std::abs(b.smd_after));
  }
  json j = {
      {"report", "pioneer caretrak"},
      {"cohort",
       {{"name", c.name},
        {"scheme", c.scheme.empty() ? c.name : c.scheme},
        {"entry", EntryTypeName(c.entry)},
        {"enrolment_rows", ev.enrolment_rows},
        {"unknown_nhs_numbers", ev.unknown_nhs_number},
        {"bad_rows", ev.bad_rows},
        {"duplicates", ev.duplicates},
        {"excluded_age", ev.excluded_age},
        {"excluded_not_alive", ev.excluded_dead},
        {"excluded_outside_data_window", ev.excluded_outside_data_window},
        {"size", ev.cohort_size},
        {"min_age", c.min_age},
        {"max_age", c.max_age},
        {"look_back_months", c.look_back_months},
        {"follow_up_months", c.follow_up_months}}},
      {"data",
       {{"start", ev.data_start.ToIso()},
        {"end", ev.data_end.ToIso()},
        {"unit_cost_price_year", ev.price_year}}},
      {"comparison",
       {{"method",
         fmt::format(
             "1:{} nearest-neighbour matching {}on the logit of a propensity score from "
             "pre-index features, exact on age band, sex and prior emergency admissions, "
             "within a caliper{}; difference-in-differences{} with a bootstrap over {}",
             ev.controls_per_case, c.reuse_controls ? "" : "without replacement of people ",
             c.reuse_controls ? ", each candidate index date used once (a person may serve "
                                "at several)"
                              : "",
             c.regression_adjustment
                 ? ", regression-adjusted on the matching covariates (doubly robust)"
                 : "",
             c.reuse_controls ? "clusters of matched sets sharing a person" : "matched sets")},
        {"controls_per_case", ev.controls_per_case},
        {"regression_adjustment", c.regression_adjustment},
        {"reuse_controls", c.reuse_controls},
        {"exact_practice", c.exact_practice},
        {"adjust_for_later_enrolment", c.adjust_for_later_enrolment},
        {"control_index", ControlIndexName(ev.control_index)},
        {"cohort_share_enrolled_within_30_days_of_emergency_discharge", ev.crisis_share},
        {"control_lag_days", ev.control_lag_days},
        {"candidate_rows", ev.candidate_rows},
        {"candidate_people", ev.candidate_people},
        {"caliper_sd", c.caliper_sd},
        {"caliper_logit", ev.caliper},
        {"seed", c.seed}}},
      {"matched_group",
       {{"size", ev.matched},
        {"comparison_rows", ev.comparison_rows},
        {"cohort_unmatched", ev.unmatched},
        {"enrolled_later", ev.controls_enrolled_later},
        {"follow_up_share_after_own_enrolment", ev.control_followup_enrolled_share},
        {"same_practice", ev.matched_same_practice},
        {"distinct_people", ev.control_people},
        {"bootstrap_clusters", ev.bootstrap_clusters}}},
      {"reliable", ev.reliable},
      {"warning", ev.reliable
                      ? ""
                      : fmt::format("only {} matched pairs (fewer than {}): the estimate is "
                                    "unreliable; read the interval, not the point estimate",
                                    ev.matched, c.reliable_cohort)},
      {"outcome", outcomes.empty() ? json("") : outcomes[0]["outcome"]},
      {"effect", outcomes.empty() ? json::object() : outcomes[0]["effect"]},
      {"naive", outcomes.empty() ? json::object() : outcomes[0]["naive"]},
      {"outcomes", outcomes},
      {"balance", balance},
      {"balance_max_abs_smd_after", worst}};
  return j;
}

std::string RenderHtml(const json& j) {
  std::string h =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Care Trak: " +
      Esc(j["cohort"]["name"].get<std::string>()) +
      "</title><meta name=\"viewport\" content=\"width=device-width\"><style>";
  h += kStyle;
  h +=
      "</style></head><body><header><h1>Care Trak: " + Esc(j["cohort"]["name"].get<std::string>()) +
      "</h1><div>";
  h += fmt::format(
      "{} enrolled people evaluated, {} matched pairs &middot; {} months before and {} after the "
      "index date &middot; data {} to {}, unit costs {}",
      j["cohort"]["size"].get<int64_t>(), j["matched_group"]["size"].get<int64_t>(),
      j["cohort"]["look_back_months"].get<int>(), j["cohort"]["follow_up_months"].get<int>(),
      Esc(j["data"]["start"].get<std::string>()), Esc(j["data"]["end"].get<std::string>()),
      Esc(j["data"]["unit_cost_price_year"].get<std::string>()));
  h += "</div></header><main>";
  if (!j["reliable"].get<bool>()) {
    h += "<section class=\"warn\"><strong>Small cohort: " + Esc(j["warning"].get<std::string>()) +
         "</strong></section>";
  }
  h += "<section><h2>Effect against the matched comparison group</h2><table><tr><th>Outcome</th>"
       "<th>Relative change (95% CI)</th><th>Without the later-enrolment adjustment</th>"
       "<th>Matched DiD without the regression adjustment</th>"
       "<th>Per person per year (95% CI)</th><th>Total per year</th><th>Naive "
       "before/after</th><th>Conclusion</th></tr>";
  for (const json& o : j["outcomes"]) {
    const json& e = o["effect"];
    h += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{} ({} to {})</td><td class=\"n\">{}</td><td "
        "class=\"n\">{}</td><td "
        "class=\"n\">{} ({} to {})</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td>"
        "</tr>",
        Esc(o["outcome"].get<std::string>()), Pct(e["relative"]), Pct(e["relative_ci95"][0]),
        Pct(e["relative_ci95"][1]), Pct(e["relative_unadjusted"]),
        Pct(e["relative_without_regression_adjustment"]), F(e["absolute_per_person_year"]),
        F(e["absolute_per_person_year_ci95"][0]), F(e["absolute_per_person_year_ci95"][1]),
        F(e["absolute_total_per_year"], 1), Pct(o["naive"]["relative"]),
        Esc(e["conclusion"].get<std::string>()));
  }
  h += "</table><p>The naive before/after compares the cohort with itself. People enrolled after "
       "a crisis improve anyway (regression to the mean), so it overstates the benefit; the "
       "difference-in-differences subtracts the change seen in similar people who were not "
       "enrolled. Some of those were enrolled later, during their follow-up; the relative change "
       "is adjusted for the scheme they then received (the unadjusted figure is diluted towards "
       "zero), and regression-adjusted for the differences matching leaves inside the caliper "
       "(the matched DiD without it is shown).</p></section>";
  for (size_t i = 0; i < j["outcomes"].size(); ++i) {
    const std::string name = Esc(j["outcomes"][i]["outcome"].get<std::string>());
    h += fmt::format(
        "<section><h2>{0}</h2><div class=\"charts\"><div class=\"chart\"><canvas "
        "id=\"monthly-{1}\" "
        "aria-label=\"{0} per person per month, cohort and matched group\"></canvas></div>"
        "<div class=\"chart\"><canvas id=\"effect-{1}\" aria-label=\"{0}: effect and naive "
        "before/after\"></canvas></div></div></section>",
        name, i);
  }
  h += "<section><h2>Balance of the pre-index features</h2><div class=\"chart tall\"><canvas "
       "id=\"balance\" aria-label=\"standardised mean differences before and after "
       "matching\"></canvas></div>";
  h += "<table><tr><th>Feature</th><th>Cohort mean</th><th>Candidates mean</th><th>Matched "
       "mean</th><th>SMD before</th><th>SMD after</th></tr>";
  for (const json& b : j["balance"]) {
    h += fmt::format(
        "<tr><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td>"
        "<td class=\"n\">{}</td><td class=\"n\">{}</td></tr>",
        Esc(b["feature"].get<std::string>()), F(b["cohort_mean"], 2), F(b["candidates_mean"], 2),
        F(b["matched_mean"], 2), F(b["smd_before"]), F(b["smd_after"]));
  }
  h += "</table></section>";
  h += "<section><h2>Cohort</h2><table>";
  for (const char* k :
       {"enrolment_rows", "unknown_nhs_numbers", "bad_rows", "duplicates", "excluded_age",
        "excluded_not_alive", "excluded_outside_data_window", "size"}) {
    h += fmt::format("<tr><td>{}</td><td class=\"n\">{}</td></tr>", k,
                     j["cohort"][k].get<int64_t>());
  }
  h += fmt::format("<tr><td>comparison index dates</td><td>{}</td></tr>",
                   Esc(j["comparison"]["control_index"].get<std::string>()));
  h += "</table></section></main>";
  std::string payload = j.dump();
  for (size_t pos = 0; (pos = payload.find("</", pos)) != std::string::npos; pos += 3) {
    payload.replace(pos, 2, "<\\/");
  }
  h += "<script type=\"application/json\" id=\"caretrak-data\">" + payload + "</script>\n<script>";
  h.append(reinterpret_cast<const char*>(embedded::kChartJs), embedded::kChartJs_size);
  h += "</script>\n<script>";
  h += kScript;
  h += "</script></body></html>\n";
  return h;
}

Status WriteReport(const Evaluation& ev, const std::string& out_dir) {
  std::error_code ec;
  std::filesystem::create_directories(out_dir, ec);
  if (ec) return UnavailableError(fmt::format("cannot create {}: {}", out_dir, ec.message()));
  const json j = ToJson(ev);
  const auto write = [&](const char* name, const std::string& text) -> Status {
    const std::string p = (std::filesystem::path(out_dir) / name).string();
    std::ofstream out(p, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) return UnavailableError("cannot write " + p);
    return OkStatus();
  };
  PIONEER_RETURN_IF_ERROR(write("caretrak.json", j.dump(2) + "\n"));
  return write("caretrak.html", RenderHtml(j));
}

std::string Summary(const json& j) {
  std::string s = fmt::format(
      "Care Trak: {} — {} enrolled people evaluated, {} matched pairs (control index: {})\n",
      j["cohort"]["name"].get<std::string>(), j["cohort"]["size"].get<int64_t>(),
      j["matched_group"]["size"].get<int64_t>(),
      j["comparison"]["control_index"].get<std::string>());
  for (const json& o : j["outcomes"]) {
    const json& e = o["effect"];
    s += fmt::format(
        "  {:<26} DiD {} (95% CI {} to {}), {} per person per year; naive "
        "before/after {}: {}\n",
        o["outcome"].get<std::string>(), Pct(e["relative"]), Pct(e["relative_ci95"][0]),
        Pct(e["relative_ci95"][1]), F(e["absolute_per_person_year"]), Pct(o["naive"]["relative"]),
        e["conclusion"].get<std::string>());
  }
  s += fmt::format("  balance: largest |SMD| after matching {:.3f}\n",
                   j["balance_max_abs_smd_after"].get<double>());
  if (!j["reliable"].get<bool>()) s += "  WARNING: " + j["warning"].get<std::string>() + "\n";
  return s;
}

}  // namespace pioneer::caretrak
