// Evaluate, WriteReport and EvaluationSummary of pipeline.h: risk-report.json and the
// self-contained risk-report.html (chart.js embedded at build time, as the BCF dashboard).
#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cmath>
#include <cstddef>
#include <filesystem>
#include <fstream>
#include <map>
#include <numeric>

#include "pioneer/base/html.h"
#include "pioneer/base/parallel.h"
#include "pioneer/risk/evaluation.h"
#include "pioneer/risk/national_condition.h"
#include "pioneer/risk/pipeline.h"

namespace pioneer::embedded {
extern const unsigned char kChartJs[];
extern const std::size_t kChartJs_size;
}  // namespace pioneer::embedded

namespace pioneer::risk {
namespace {

using nlohmann::json;

constexpr double kTopPercents[] = {0.5, 1, 2, 4, 5, 10};

json Anchors() {
  return json::array(
      {{{"tool", "QAdmissions (Hippisley-Cox & Coupland, BMJ Open 2013)"},
        {"outcome", "first emergency admission, 1-2 years, adults 18-100"},
        {"auroc", "0.764-0.783"}},
       {{"tool", "Nuffield Trust / NYU new variants (Billings et al., BMJ Open 2013)"},
        {"outcome", "emergency admission, 12 months, GP-registered population"},
        {"auroc", "0.78"}},
       {{"tool", "SPARRA v4 (Public Health Scotland; Liley et al.)"},
        {"outcome", "emergency admission or death, 12 months"},
        {"auroc", "0.80 (XGBoost 0.798, GLM 0.788)"}}});
}

// `auc`: Auroc(p, label), computed by the caller (with the paired test, which needs it too).
json ModelMetrics(std::span<const double> p, const Cohort& c, Outcome o, const AucResult& auc) {
  const auto& y = c.label(o);
  const double prevalence = static_cast<double>(auc.positives) / std::max<size_t>(1, y.size());
  const double brier = Brier(p, y);
  const double ref = prevalence * (1 - prevalence);
  const CalibrationFit cal = Calibration(p, y);
  json deciles = json::array();
  for (const auto& d : Deciles(p, y)) {
    deciles.push_back({{"decile", d.decile},
                       {"n", d.n},
                       {"mean_predicted", d.mean_predicted},
                       {"observed", d.observed}});
  }
  // The rows by descending score, ties in row order: the top shares and the ROC curve.
  const std::vector<size_t> order = ByDescendingScore(p);
  json top = json::array();
  for (const TopShare& t : TopPercents(order, y, c.emergency_count, c.cost, kTopPercents)) {
    const double k = t.percent;
    top.push_back({{"top_percent", k},
                   {"flagged", t.flagged},
                   {"ppv", t.ppv},
                   {"sensitivity", t.sensitivity},
                   {"specificity", t.specificity},
                   {"share_of_emergency_admissions", t.admissions_share},
                   {"share_of_cost", t.cost_share}});
  }
  double mean_p = 0;
  for (double v : p) mean_p += v;
  mean_p /= std::max<size_t>(1, p.size());
  // Observed vs predicted by age band and sex (PLP demographic summary).
  const char* bands[] = {"0-17", "18-44", "45-64", "65-74", "75-84", "85+"};
  std::map<std::pair<int, int>, std::array<double, 3>> by;  // n, observed, predicted
  for (size_t i = 0; i < c.rows(); ++i) {
    const float a = c.at(i, kAge);
    const int b = a < 18 ? 0 : a < 45 ? 1 : a < 65 ? 2 : a < 75 ? 3 : a < 85 ? 4 : 5;
    auto& cell = by[{b, c.at(i, kMale) > 0 ? 1 : 2}];
    cell[0] += 1;
    cell[1] += y[i];
    cell[2] += p[i];
  }
  json demo = json::array();
  for (const auto& [key, v] : by) {
    demo.push_back({{"age_band", bands[key.first]},
                    {"sex", key.second == 1 ? "male" : "female"},
                    {"n", v[0]},
                    {"observed", v[1] / v[0]},
                    {"mean_predicted", v[2] / v[0]}});
  }
  // Segments: AUROC and observed vs predicted.
  json segments = json::array();
  struct Seg {
    const char* name;
    int feature;
  };
  for (const Seg& sg :
       {Seg{"diabetes", kDiabetes}, Seg{"copd", kCopd}, Seg{"chd", kChd}, Seg{"75plus", -1}}) {
    std::vector<double> ps;
    std::vector<uint8_t> ys;
    for (size_t i = 0; i < c.rows(); ++i) {
      const bool in = sg.feature < 0 ? c.at(i, kAge) >= 75 : c.at(i, sg.feature) > 0;
      if (!in) continue;
      ps.push_back(p[i]);
      ys.push_back(y[i]);
    }
    const AucResult a = Auroc(ps, ys);
    double obs = 0, pred = 0;
    for (size_t i = 0; i < ps.size(); ++i) {
      obs += ys[i];
      pred += ps[i];
    }
    const double m = std::max<size_t>(1, ps.size());
    segments.push_back({{"segment", sg.name},
                        {"n", ps.size()},
                        {"auroc", a.auc},
                        {"observed", obs / m},
                        {"mean_predicted", pred / m}});
  }
  // ROC curve at ~100 points for the chart.
  json roc = json::array({{{"fpr", 0.0}, {"tpr", 0.0}}});
  double tp = 0, fp = 0;
  const double pos = auc.positives, neg = auc.negatives;
  const size_t stride = std::max<size_t>(1, order.size() / 100);
  for (size_t r = 0; r < order.size(); ++r) {
    (y[order[r]] ? tp : fp) += 1;
    if ((r + 1) % stride == 0 || r + 1 == order.size()) {
      roc.push_back({{"fpr", neg ? fp / neg : 0}, {"tpr", pos ? tp / pos : 0}});
    }
  }
  return {{"auroc", auc.auc},
          {"auroc_ci95", {auc.ci_low, auc.ci_high}},
          {"auprc", AveragePrecision(p, y)},
          {"brier", brier},
          {"scaled_brier", ref > 0 ? 1 - brier / ref : 0},
          {"calibration_intercept", cal.intercept},
          {"calibration_slope", cal.slope},
          {"mean_predicted", mean_p},
          {"observed", prevalence},
          {"deciles", deciles},
          {"top", top},
          {"by_age_sex", demo},
          {"segments", segments},
          {"roc", roc}};
}

std::string Esc(const std::string& s) { return HtmlEscape(s); }

constexpr const char* kStyle = R"(
body{font-family:system-ui,sans-serif;margin:0;color:#1d2733;background:#f6f7f9}
header{background:#005eb8;color:#fff;padding:16px 28px}header h1{margin:0;font-size:22px}
main{padding:16px 28px;max-width:1200px}section{background:#fff;border-radius:6px;padding:14px 18px;margin:14px 0;box-shadow:0 1px 2px #0002}
.synthetic{background:#fff4e5;border-left:5px solid #ed8b00;padding:10px 14px}
table{border-collapse:collapse;font-size:14px}td,th{border-bottom:1px solid #dde;padding:4px 10px;text-align:left}td.n{text-align:right;font-variant-numeric:tabular-nums}
.charts{display:grid;grid-template-columns:repeat(auto-fit,minmax(min(420px,100%),1fr));gap:14px}.chart{height:320px}
section,.tablewrap{overflow-x:auto;max-width:100%}details{margin:6px 0}summary{cursor:pointer;color:#005eb8}
@media (max-width:600px){main{padding:8px}section{padding:10px}header{padding:12px}}
)";

constexpr const char* kScript = R"JS(
(function(){
  const d = JSON.parse(document.getElementById('risk-data').textContent);
  const e = d.outcomes.emergency_admission;
  const colours = {baseline:'#768692', boosted:'#005eb8'};
  function line(id, datasets, xl, yl, extra){
    new Chart(document.getElementById(id), {type:'scatter', data:{datasets:datasets},
      options:Object.assign({animation:false, maintainAspectRatio:false, showLine:true,
        scales:{x:{title:{display:true,text:xl}}, y:{title:{display:true,text:yl}}}}, extra||{})});
  }
  line('roc', ['baseline','boosted'].map(m => ({label:m+' (AUROC '+e[m].auroc.toFixed(3)+')',
      data:e[m].roc.map(p => ({x:p.fpr, y:p.tpr})), borderColor:colours[m], pointRadius:0, showLine:true}))
      .concat([{label:'chance', data:[{x:0,y:0},{x:1,y:1}], borderColor:'#ccc', pointRadius:0, showLine:true}]),
      'false positive rate', 'sensitivity');
  const maxp = Math.max(...['baseline','boosted'].flatMap(m => e[m].deciles.flatMap(r => [r.mean_predicted, r.observed])));
  line('calibration', ['baseline','boosted'].map(m => ({label:m,
      data:e[m].deciles.map(r => ({x:r.mean_predicted, y:r.observed})), borderColor:colours[m],
      backgroundColor:colours[m], showLine:true}))
      .concat([{label:'perfect', data:[{x:0,y:0},{x:maxp,y:maxp}], borderColor:'#ccc', pointRadius:0, showLine:true}]),
      'mean predicted risk (decile)', 'observed rate');
  new Chart(document.getElementById('capture'), {type:'bar', data:{
      labels:e.boosted.top.map(t => 'top '+t.top_percent+'%'),
      datasets:['baseline','boosted'].map(m => ({label:m+': share of next year\'s emergency admissions',
        data:e[m].top.map(t => 100*t.share_of_emergency_admissions), backgroundColor:colours[m]}))},
    options:{animation:false, maintainAspectRatio:false, scales:{y:{title:{display:true,text:'%'}}}}});
  const demo = e.boosted.by_age_sex;
  new Chart(document.getElementById('agesex'), {type:'bar', data:{
      labels:demo.map(r => r.age_band+' '+r.sex),
      datasets:[{label:'observed', data:demo.map(r => 100*r.observed), backgroundColor:'#ed8b00'},
                {label:'boosted predicted', data:demo.map(r => 100*r.mean_predicted), backgroundColor:'#005eb8'},
                {label:'baseline predicted', data:e.baseline.by_age_sex.map(r => 100*r.mean_predicted), backgroundColor:'#768692'}]},
    options:{animation:false, maintainAspectRatio:false, scales:{y:{title:{display:true,text:'% with an emergency admission'}}}}});
  const nc = d.national_condition;
  if (nc && nc.over_time && document.getElementById('ncseries')) {
    const pal = ['#005eb8', '#ed8b00', '#330072'];
    new Chart(document.getElementById('ncseries'), {type:'line', data:{
        labels:nc.over_time.map(r => r.date),
        datasets:nc.approaches.map((a, i) => ({label:a.label,
          data:nc.over_time.map(r => { const v = r.area[a.approach].with_joint_plan_and_lead_share;
            return v === null ? null : 100 * v; }), borderColor:pal[i], backgroundColor:pal[i]}))},
      options:{animation:false, maintainAspectRatio:false, scales:{y:{min:0, max:100,
        title:{display:true,text:'% of high-risk adults with a joint plan and a named lead'}}}}});
  }
  // Every chart gets its data as a table underneath (the accessible alternative), built from
  // the chart's own data with DOM text nodes only.
  function cell(row, text, head){ const c = document.createElement(head ? 'th' : 'td');
    c.textContent = text; row.appendChild(c); }
  function num(v){ return typeof v === 'number' ? String(Math.round(v * 1000) / 1000) : String(v); }
  document.querySelectorAll('canvas').forEach(function(c){
    const ch = Chart.getChart(c); if (!ch) return;
    const t = document.createElement('table'), ds = ch.data.datasets;
    if (ch.data.labels && ch.data.labels.length) {
      const h = t.insertRow(); cell(h, '', true); ds.forEach(x => cell(h, x.label, true));
      ch.data.labels.forEach((l, i) => { const r = t.insertRow(); cell(r, l, true);
        ds.forEach(x => cell(r, num(x.data[i]))); });
    } else {
      const sc = ch.options.scales, h = t.insertRow();
      ['series', (sc.x.title || {}).text || 'x', (sc.y.title || {}).text || 'y'].forEach(x => cell(h, x, true));
      ds.forEach(x => x.data.forEach(p => { const r = t.insertRow(); cell(r, x.label);
        cell(r, num(p.x)); cell(r, num(p.y)); }));
    }
    const det = document.createElement('details'), sum = document.createElement('summary');
    sum.textContent = 'Data table'; det.appendChild(sum);
    const w = document.createElement('div'); w.className = 'tablewrap'; w.appendChild(t);
    det.appendChild(w); c.parentNode.after(det);
  });
  // Read by tests/report/dashboard_check.js: every canvas holds a chart.
  window.pioneerChartsRendered = Array.from(document.querySelectorAll('canvas'))
      .filter(c => Chart.getChart(c)).length;
})();
)JS";

std::string F(double v, int dp = 3) { return fmt::format("{:.{}f}", v, dp); }
std::string Pct(double v) { return fmt::format("{:.1f}%", 100 * v); }

// "Joint care planning" section: present only when the evaluation carries national-condition
// figures (national_condition.h); counts are already disclosure-controlled.
std::string NationalConditionHtml(const json& j) {
  if (!j.contains("national_condition") || !j["national_condition"].contains("area")) return "";
  const json& nc = j["national_condition"];
  auto count = [](const json& v) {
    return v.is_null() ? std::string("<i>suppressed</i>") : std::to_string(v.get<int64_t>());
  };
  auto share = [](const json& v) {
    return v.is_null() ? std::string("<i>suppressed</i>") : Pct(v.get<double>());
  };
  std::string h = fmt::format(
      "<section><h2>Joint care planning (national condition) on {}</h2><p>Adults at high risk "
      "of emergency admission by each case-finding approach, and how many of them have a care "
      "plan in force, and a joint plan (two or more organisations) naming an accountable GP and "
      "a care coordinator. {} plans in the register. Counts of 1-7 are suppressed and others "
      "rounded to 5; shares are computed from the published counts.</p><table><tr><th>Approach"
      "</th><th>Adults</th><th>High risk</th><th>% of adults</th><th>With a plan</th><th>%</th>"
      "<th>Joint plan and named lead</th><th>%</th></tr>",
      Esc(nc["date"].get<std::string>()), count(nc["plans_recorded"]));
  for (const json& a : nc["approaches"]) {
    const json& c = nc["area"][a["approach"].get<std::string>()];
    h += fmt::format(
        "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td "
        "class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
        Esc(a["label"].get<std::string>()), count(c["adults"]), count(c["high_risk"]),
        share(c["high_risk_share_of_adults"]), count(c["with_plan"]), share(c["with_plan_share"]),
        count(c["with_joint_plan_and_lead"]), share(c["with_joint_plan_and_lead_share"]));
  }
  h += "</table><div class=charts><div><h3>Over time</h3><div class=chart><canvas "
       "id=ncseries></canvas></div></div></div>";
  for (const char* level : {"ccg", "practice"}) {
    h += fmt::format(
        "<h3>By {} (top 2% of each practice)</h3><div class=tablewrap><table><tr><th>{}</th>"
        "<th>Adults</th><th>High risk</th><th>With a plan</th><th>%</th><th>Joint plan and "
        "named lead</th><th>%</th></tr>",
        level == std::string("ccg") ? "CCG" : "practice",
        level == std::string("ccg") ? "CCG" : "Practice");
    for (const json& r : nc[std::string("by_") + level]) {
      const json& c = r["top2_practice"];
      h += fmt::format(
          "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td "
          "class=n>{}</td><td class=n>{}</td><td class=n>{}</td></tr>",
          Esc(r[level].get<std::string>()), count(c["adults"]), count(c["high_risk"]),
          count(c["with_plan"]), share(c["with_plan_share"]), count(c["with_joint_plan_and_lead"]),
          share(c["with_joint_plan_and_lead_share"]));
    }
    h += "</table></div>";
  }
  h += "</section>";
  return h;
}

std::string Html(const json& j) {
  std::string h =
      "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Risk "
      "stratification report</title><meta name=\"viewport\" content=\"width=device-width\">"
      "<style>";
  h += kStyle;
  h += "</style></head><body><header><h1>Risk of emergency admission: model report</h1><div>";
  h += fmt::format("Trained at index date {} &middot; evaluated at {} (outcomes {} to {})",
                   Esc(j["training_index_date"].get<std::string>()),
                   Esc(j["index_date"].get<std::string>()),
                   Esc(j["outcome_window"][0].get<std::string>()),
                   Esc(j["outcome_window"][1].get<std::string>()));
  h += "</div></header><main>";
  h += "<section class=\"synthetic\"><strong>" + Esc(j["statement"].get<std::string>()) +
       "</strong></section>";
  // Headline table.
  h += "<section><h2>Emergency admission in the next 12 months</h2><table><tr><th>Measure</th>"
       "<th>Baseline (logistic)</th><th>Boosted (XGBoost)</th></tr>";
  const json& e = j["outcomes"]["emergency_admission"];
  auto row = [&](const std::string& name, const std::string& a, const std::string& b) {
    h += "<tr><td>" + name + "</td><td class=n>" + a + "</td><td class=n>" + b + "</td></tr>";
  };
  auto ci = [&](const json& m) {
    return F(m["auroc"]) + " (" + F(m["auroc_ci95"][0]) + "&ndash;" + F(m["auroc_ci95"][1]) + ")";
  };
  row("AUROC (95% CI)", ci(e["baseline"]), ci(e["boosted"]));
  for (const char* k : {"auprc", "brier", "scaled_brier", "calibration_intercept",
                        "calibration_slope", "mean_predicted", "observed"}) {
    row(k, F(e["baseline"][k].get<double>()), F(e["boosted"][k].get<double>()));
  }
  h += "</table>";
  const json& t = e["paired_delong"];
  h += fmt::format(
      "<p>Paired DeLong test, boosted minus baseline: difference {} (SE {}), z = {:.2f}, "
      "p = {:.2g}. People: {} ({} with an emergency admission in the outcome year; {} died "
      "in it).</p>",
      F(t["difference"].get<double>(), 4), F(t["se"].get<double>(), 4), t["z"].get<double>(),
      t["p_value"].get<double>(), j["cohort"]["people"].get<int64_t>(),
      e["boosted"]["auroc_positives"].get<int64_t>(),
      j["cohort"]["deaths_in_outcome_year"].get<int64_t>());
  h += "<h3>Published anchors (real data)</h3><table><tr><th>Tool</th><th>Outcome</th>"
       "<th>AUROC</th></tr>";
  for (const auto& a : j["anchors"]) {
    h += "<tr><td>" + Esc(a["tool"]) + "</td><td>" + Esc(a["outcome"]) + "</td><td class=n>" +
         Esc(a["auroc"]) + "</td></tr>";
  }
  h += fmt::format(
      "<tr><td><strong>Pioneer boosted (this report, synthetic data)</strong></td>"
      "<td>emergency admission, 12 months, registered population</td><td "
      "class=n><strong>{}</strong></td></tr></table></section>",
      F(e["boosted"]["auroc"].get<double>()));
  h += "<section><h2>Charts</h2><div class=charts>"
       "<div><h3>ROC curve</h3><div class=chart><canvas id=roc></canvas></div></div>"
       "<div><h3>Calibration by decile</h3><div class=chart><canvas "
       "id=calibration></canvas></div></div>"
       "<div><h3>Share of next year's emergency admissions in the top k%</h3><div class=chart>"
       "<canvas id=capture></canvas></div></div>"
       "<div><h3>Observed vs predicted by age band and sex</h3><div class=chart><canvas "
       "id=agesex></canvas></div></div></div></section>";
  // Case finding.
  h += "<section><h2>Case finding at the top k% (boosted / baseline)</h2><table><tr><th>Top</th>"
       "<th>Flagged</th><th>PPV</th><th>Sensitivity</th><th>Specificity</th><th>Share of "
       "emergency admissions</th><th>Share of cost</th></tr>";
  for (size_t i = 0; i < e["boosted"]["top"].size(); ++i) {
    const json& b = e["boosted"]["top"][i];
    const json& l = e["baseline"]["top"][i];
    h += fmt::format(
        "<tr><td>{}%</td><td class=n>{}</td><td class=n>{} / {}</td><td class=n>{} / {}</td>"
        "<td class=n>{} / {}</td><td class=n>{} / {}</td><td class=n>{} / {}</td></tr>",
        b["top_percent"].get<double>(), b["flagged"].get<int64_t>(), Pct(b["ppv"]), Pct(l["ppv"]),
        Pct(b["sensitivity"]), Pct(l["sensitivity"]), Pct(b["specificity"]), Pct(l["specificity"]),
        Pct(b["share_of_emergency_admissions"]), Pct(l["share_of_emergency_admissions"]),
        Pct(b["share_of_cost"]), Pct(l["share_of_cost"]));
  }
  h += "</table></section>";
  // Segments.
  h += "<section><h2>By segment (boosted)</h2><table><tr><th>Segment</th><th>People</th>"
       "<th>AUROC</th><th>Observed</th><th>Mean predicted</th></tr>";
  for (const auto& s : e["boosted"]["segments"]) {
    h += fmt::format(
        "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td "
        "class=n>{}</td><td class=n>{}</td></tr>",
        Esc(s["segment"]), s["n"].get<int64_t>(), F(s["auroc"].get<double>()), Pct(s["observed"]),
        Pct(s["mean_predicted"]));
  }
  h += "</table></section>";
  // Other outcomes.
  h += "<section><h2>Other outcomes</h2><table><tr><th>Outcome</th><th>Observed</th><th>AUROC "
       "baseline</th><th>AUROC boosted</th><th>Slope baseline</th><th>Slope boosted</th></tr>";
  for (const char* o : {"any_admission", "top5_cost"}) {
    const json& m = j["outcomes"][o];
    h += fmt::format(
        "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td><td "
        "class=n>{}</td><td class=n>{}</td></tr>",
        o, Pct(m["boosted"]["observed"]), F(m["baseline"]["auroc"].get<double>()),
        F(m["boosted"]["auroc"].get<double>()), F(m["baseline"]["calibration_slope"].get<double>()),
        F(m["boosted"]["calibration_slope"].get<double>()));
  }
  h += "</table></section>";
  // Practices.
  h += "<section><h2>By practice (emergency admission, boosted)</h2><table><tr><th>Practice</th>"
       "<th>People</th><th>Observed</th><th>Mean predicted</th><th>Top 2% flagged</th></tr>";
  for (const auto& p : j["practices"]) {
    h += fmt::format(
        "<tr><td>{}</td><td class=n>{}</td><td class=n>{}</td><td class=n>{}</td>"
        "<td class=n>{}</td></tr>",
        Esc(p["practice"]), p["n"].get<int64_t>(), Pct(p["observed"]), Pct(p["mean_predicted"]),
        p["top2_flagged"].get<int64_t>());
  }
  h += "</table></section>";
  h += NationalConditionHtml(j);
  h += "</main>\n";
  std::string payload = j.dump();
  for (size_t pos = 0; (pos = payload.find("</", pos)) != std::string::npos; pos += 3) {
    payload.replace(pos, 2, "<\\/");
  }
  h += "<script type=\"application/json\" id=\"risk-data\">" + payload + "</script>\n<script>";
  h.append(reinterpret_cast<const char*>(embedded::kChartJs), embedded::kChartJs_size);
  h += "</script>\n<script>";
  h += kScript;
  h += "</script></body></html>\n";
  return h;
}

}  // namespace

json Evaluate(const Scores& s, const RiskModel& model, const RiskInputs& inputs) {
  const Cohort& c = s.cohort;
  // Each outcome's measures on its own thread (two at a time): pure functions of the scores.
  std::array<json, kOutcomeCount> per_outcome;
  auto measure = [&](int oi) {
    const auto o = static_cast<Outcome>(oi);
    // The paired test holds each model's own AUROC (t.a boosted, t.b baseline: the same
    // figures Auroc gives), so each score's DeLong components are computed once.
    const PairedAucTest t = DeLongPaired(s.boosted[oi], s.baseline[oi], c.label(o));
    json b = ModelMetrics(s.baseline[oi], c, o, t.b);
    json x = ModelMetrics(s.boosted[oi], c, o, t.a);
    b["auroc_positives"] = t.b.positives;
    x["auroc_positives"] = t.a.positives;
    per_outcome[oi] = {
        {"baseline", b},
        {"boosted", x},
        {"paired_delong",
         {{"difference", t.difference}, {"se", t.se}, {"z", t.z}, {"p_value", t.p_value}}}};
  };
  ParallelFor(kOutcomeCount, DefaultThreads(), [&](size_t oi) { measure(static_cast<int>(oi)); });
  json outcomes = json::object();
  for (int oi = 0; oi < kOutcomeCount; ++oi) {
    outcomes[OutcomeName(static_cast<Outcome>(oi))] = std::move(per_outcome[oi]);
  }
  // Per practice: observed vs predicted, and how many its top 2% flags.
  std::map<std::string, std::vector<size_t>> by_practice;
  for (size_t i = 0; i < c.rows(); ++i) by_practice[c.practice[i]].push_back(i);
  json practices = json::array();
  const auto& pe = s.boosted[kEmergency];
  for (const auto& [practice, rows] : by_practice) {
    double obs = 0, pred = 0;
    for (size_t i : rows) {
      obs += c.emergency[i];
      pred += pe[i];
    }
    practices.push_back({{"practice", practice},
                         {"n", rows.size()},
                         {"observed", obs / rows.size()},
                         {"mean_predicted", pred / rows.size()},
                         {"top2_flagged", static_cast<int64_t>(std::ceil(0.02 * rows.size()))}});
  }
  int64_t deaths = std::accumulate(c.died.begin(), c.died.end(), int64_t{0});
  const Date end = c.index_date.AddDays(364);
  return {
      {"report", "pioneer risk report"},
      {"statement",
       "These figures are computed on synthetic data (a fictional area generated by `pioneer "
       "synth`), not on real patients. They show that the method works; they say nothing about "
       "how well it would predict admissions in a real population. The published figures "
       "beside them come from real data."},
      {"index_date", c.index_date.ToIso()},
      {"training_index_date", model.index_date.ToIso()},
      {"temporal_validation", c.index_date >= model.index_date.AddDays(365)},
      {"outcome_window", {c.index_date.ToIso(), end.ToIso()}},
      {"store_last_activity_date", inputs.last_activity_date.ToIso()},
      {"unit_cost_price_year", inputs.price_year},
      {"model_data_sha256", model.data_sha256},
      {"cohort",
       {{"people", c.rows()},
        {"definition", "alive, born before and registered with a GP practice on the index date"},
        {"deaths_in_outcome_year", deaths}}},
      {"anchors", Anchors()},
      {"outcomes", outcomes},
      {"practices", practices}};
}

Status WriteReport(const json& evaluation, const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return UnavailableError(fmt::format("cannot create {}: {}", dir, ec.message()));
  const std::string jp = (std::filesystem::path(dir) / "risk-report.json").string();
  const std::string hp = (std::filesystem::path(dir) / "risk-report.html").string();
  {
    std::ofstream out(jp, std::ios::binary | std::ios::trunc);
    out << evaluation.dump(2) << "\n";
    out.close();
    if (!out) return UnavailableError("cannot write " + jp);
  }
  std::ofstream out(hp, std::ios::binary | std::ios::trunc);
  out << Html(evaluation);
  out.close();
  if (!out) return UnavailableError("cannot write " + hp);
  return OkStatus();
}

std::string EvaluationSummary(const json& j) {
  const json& e = j["outcomes"]["emergency_admission"];
  std::string s = fmt::format(
      "Risk of emergency admission, index date {} (trained at {}), {} people, {:.1f}% admitted "
      "in the outcome year (synthetic data):\n",
      j["index_date"].get<std::string>(), j["training_index_date"].get<std::string>(),
      j["cohort"]["people"].get<int64_t>(), 100 * e["boosted"]["observed"].get<double>());
  for (const char* m : {"baseline", "boosted"}) {
    const json& x = e[m];
    s += fmt::format(
        "  {:<9} AUROC {:.3f} ({:.3f}-{:.3f})  AUPRC {:.3f}  Brier {:.4f}  calibration slope "
        "{:.2f}, intercept {:+.2f}  top 2%: PPV {:.1f}%, {:.1f}% of admissions\n",
        m, x["auroc"].get<double>(), x["auroc_ci95"][0].get<double>(),
        x["auroc_ci95"][1].get<double>(), x["auprc"].get<double>(), x["brier"].get<double>(),
        x["calibration_slope"].get<double>(), x["calibration_intercept"].get<double>(),
        100 * x["top"][2]["ppv"].get<double>(),
        100 * x["top"][2]["share_of_emergency_admissions"].get<double>());
  }
  const json& t = e["paired_delong"];
  s += fmt::format("  boosted - baseline: {:+.4f} (paired DeLong z {:.2f}, p {:.2g})\n",
                   t["difference"].get<double>(), t["z"].get<double>(), t["p_value"].get<double>());
  s += "  published anchors (real data): QAdmissions 0.76-0.78, Nuffield 0.78, SPARRA v4 0.80\n";
  if (j.contains("national_condition")) s += NationalConditionSummary(j["national_condition"]);
  return s;
}

}  // namespace pioneer::risk
