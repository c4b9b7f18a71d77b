#include "pioneer/report/workbook.h"

#include <fmt/format.h>
#include <xlsxwriter.h>

#include <cmath>
#include <map>
#include <set>

namespace pioneer::report {
namespace {

std::string ColName(int col) {
  std::string s;
  for (int c = col + 1; c > 0; c = (c - 1) / 26)
    s.insert(s.begin(), static_cast<char>('A' + (c - 1) % 26));
  return s;
}

struct Formats {
  lxw_format* title;
  lxw_format* header;
  lxw_format* bold;
  lxw_format* money;
  lxw_format* money_bold;
  lxw_format* num;
  lxw_format* num_bold;
  lxw_format* count;
  lxw_format* pct;
  lxw_format* wrap;
  lxw_format* warn;
  lxw_format* rag_green;
  lxw_format* rag_amber;
  lxw_format* rag_red;
  lxw_format* rag_none;
};

Formats MakeFormats(lxw_workbook* wb) {
  Formats f;
  f.title = workbook_add_format(wb);
  format_set_bold(f.title);
  format_set_font_size(f.title, 14);
  f.header = workbook_add_format(wb);
  format_set_bold(f.header);
  format_set_bg_color(f.header, 0xD9E1F2);
  format_set_bottom(f.header, LXW_BORDER_THIN);
  format_set_text_wrap(f.header);
  format_set_align(f.header, LXW_ALIGN_VERTICAL_TOP);
  f.bold = workbook_add_format(wb);
  format_set_bold(f.bold);
  f.money = workbook_add_format(wb);
  format_set_num_format(f.money, "£#,##0");
  f.money_bold = workbook_add_format(wb);
  format_set_num_format(f.money_bold, "£#,##0");
  format_set_bold(f.money_bold);
  f.num = workbook_add_format(wb);
  format_set_num_format(f.num, "#,##0.00");
  f.num_bold = workbook_add_format(wb);
  format_set_num_format(f.num_bold, "#,##0.00");
  format_set_bold(f.num_bold);
  f.count = workbook_add_format(wb);
  format_set_num_format(f.count, "#,##0");
  f.pct = workbook_add_format(wb);
  format_set_num_format(f.pct, "0.00\"%\"");
  f.wrap = workbook_add_format(wb);
  format_set_text_wrap(f.wrap);
  format_set_align(f.wrap, LXW_ALIGN_VERTICAL_TOP);
  f.warn = workbook_add_format(wb);
  format_set_font_color(f.warn, 0x9C0006);
  format_set_bold(f.warn);
  format_set_text_wrap(f.warn);
  auto rag = [&](uint32_t bg) {
    lxw_format* x = workbook_add_format(wb);
    format_set_bg_color(x, bg);
    format_set_bold(x);
    format_set_align(x, LXW_ALIGN_CENTER);
    return x;
  };
  f.rag_green = rag(0xC6EFCE);
  f.rag_amber = rag(0xFFEB9C);
  f.rag_red = rag(0xFFC7CE);
  f.rag_none = rag(0xEDEDED);
  return f;
}

lxw_format* RagFormat(const Formats& f, Rag r) {
  switch (r) {
    case Rag::kGreen:
      return f.rag_green;
    case Rag::kAmber:
      return f.rag_amber;
    case Rag::kRed:
      return f.rag_red;
    case Rag::kNoData:
      return f.rag_none;
  }
  return f.rag_none;
}

class Sheet {
 public:
  Sheet(lxw_worksheet* ws, const Formats& f) : ws_(ws), f_(f) {}
  lxw_worksheet* ws() { return ws_; }
  void Str(int r, int c, const std::string& s, lxw_format* fmt = nullptr) {
    worksheet_write_string(ws_, r, c, s.c_str(), fmt);
  }
  void Num(int r, int c, double v, lxw_format* fmt = nullptr) {
    worksheet_write_number(ws_, r, c, v, fmt);
  }
  void Opt(int r, int c, std::optional<double> v, lxw_format* fmt = nullptr) {
    if (v)
      Num(r, c, *v, fmt);
    else
      worksheet_write_blank(ws_, r, c, fmt);
  }
  // A live formula with its cached result.
  void Formula(int r, int c, const std::string& formula, double cached, lxw_format* fmt = nullptr) {
    worksheet_write_formula_num(ws_, r, c, formula.c_str(), fmt, cached);
  }
  void Header(int r, const std::vector<std::string>& cols) {
    for (size_t i = 0; i < cols.size(); ++i) Str(r, static_cast<int>(i), cols[i], f_.header);
    worksheet_freeze_panes(ws_, r + 1, 0);
  }
  void Width(int first, int last, double w) { worksheet_set_column(ws_, first, last, w, nullptr); }

 private:
  lxw_worksheet* ws_;
  const Formats& f_;
};

std::string Quote(const std::string& sheet) { return "'" + sheet + "'"; }

// --- Schemes and finance ------------------------------------------------------------------
struct FinanceRefs {
  std::map<std::string, std::string> scheme_total_by_year;  // year -> cell with all-scheme total
  std::map<std::string, double> scheme_total_value;
};

// The "Schemes and finance" sheet, written top to bottom: one row per scheme, totals by
// theme (SUMIF formulas), all schemes against the pooled budget, investment by organisation,
// and a chart of investment by theme.
class SchemeSheet {
 public:
  SchemeSheet(lxw_workbook* wb, const Formats& f, const plan::Plan& p)
      : wb_(wb), f_(f), p_(p), s_(workbook_add_worksheet(wb, kName), f) {}

  FinanceRefs Write() {
    std::vector<std::string> cols = {"Scheme id",       "Scheme",
                                     "Theme",           "Status",
                                     "Protection line", "Lead commissioner",
                                     "Recurrent",       "Metrics it should move"};
    first_year_col_ = static_cast<int>(cols.size());
    for (const auto& y : p_.years) cols.push_back("Investment " + y + " (£)");
    cols.push_back("Savings assumption");
    s_.Header(0, cols);
    int row = WriteSchemeRows(1);
    last_scheme_row_ = row - 1;
    has_schemes_ = !p_.schemes.empty();
    row = WriteThemeTotals(row + 1);
    row = WriteBudgetTotals(row);
    row = WriteInvestmentByOrganisation(row + 2);
    SetWidths();
    if (has_schemes_ && !p_.themes.empty()) AddThemeChart(row);
    return refs_;
  }

 private:
  static constexpr const char* kName = "Schemes and finance";

  int YearCol(size_t y) const { return first_year_col_ + static_cast<int>(y); }

  static std::string Join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : ", ") + x;
    return out;
  }

  int WriteSchemeRows(int row) {
    for (const auto& sc : p_.schemes) {
      const plan::Theme* th = p_.FindTheme(sc.theme);
      s_.Str(row, 0, sc.id);
      s_.Str(row, 1, sc.name, f_.wrap);
      s_.Str(row, 2, th ? th->name : sc.theme, f_.wrap);
      s_.Str(row, 3, sc.status.empty() ? "not stated" : sc.status);
      s_.Str(row, 4, sc.protection ? "yes" : "no");
      const plan::Organisation* lead = p_.FindOrganisation(sc.lead);
      s_.Str(row, 5, lead ? lead->name : (sc.lead.empty() ? "not stated" : sc.lead), f_.wrap);
      s_.Str(row, 6, sc.recurrent ? (*sc.recurrent ? "yes" : "no") : "not stated");
      s_.Str(
          row, 7,
          Join(sc.metrics) + (sc.conditions.empty() ? "" : " | conditions: " + Join(sc.conditions)),
          f_.wrap);
      for (size_t y = 0; y < p_.years.size(); ++y) {
        auto it = sc.investment.find(p_.years[y]);
        if (it != sc.investment.end()) s_.Num(row, YearCol(y), p_.ToPounds(it->second), f_.money);
      }
      s_.Str(row, YearCol(p_.years.size()), sc.savings, f_.wrap);
      ++row;
    }
    return row;
  }

  // Totals by theme (SUMIF over the theme column), each with the totals the plan states.
  int WriteThemeTotals(int row) {
    s_.Str(row, 1, "Totals by theme", f_.bold);
    s_.Str(row, 2, "Stated in the plan (schemes / with protection lines)", f_.bold);
    ++row;
    for (const auto& th : p_.themes) {
      s_.Str(row, 1, th.name, f_.wrap);
      std::string stated;
      for (const auto& y : p_.years) {
        auto a = th.stated_scheme_total.find(y);
        auto b = th.stated_total.find(y);
        stated += fmt::format(
            "{}{}: {} / {}", stated.empty() ? "" : "; ", y,
            a == th.stated_scheme_total.end() ? "not stated"
                                              : fmt::format("£{:.0f}", p_.ToPounds(a->second)),
            b == th.stated_total.end() ? "not stated"
                                       : fmt::format("£{:.0f}", p_.ToPounds(b->second)));
      }
      s_.Str(row, 2, stated, f_.wrap);
      for (size_t y = 0; y < p_.years.size(); ++y) {
        const int col = YearCol(y);
        double v = 0;
        bool any = false;  // a missing figure is never zero: no scheme figure, no total
        for (const auto& sc : p_.schemes) {
          if (sc.theme != th.id) continue;
          auto it = sc.investment.find(p_.years[y]);
          if (it != sc.investment.end()) {
            v += p_.ToPounds(it->second);
            any = true;
          }
        }
        if (!any) {
          s_.Str(row, col, "not stated");
        } else if (has_schemes_) {
          const std::string cl = ColName(col);
          s_.Formula(row, col,
                     fmt::format("=SUMIF($C$2:$C${},\"{}\",{}2:{}{})", last_scheme_row_ + 1,
                                 th.name, cl, cl, last_scheme_row_ + 1),
                     v, f_.money);
        }
      }
      ++row;
    }
    return row;
  }

  // All schemes, the pooled budget, what it leaves unallocated and the minimum required.
  int WriteBudgetTotals(int row) {
    s_.Str(row, 1, "All schemes", f_.bold);
    for (size_t y = 0; y < p_.years.size(); ++y) {
      const int col = YearCol(y);
      double v = 0;
      bool any = false;
      for (const auto& sc : p_.schemes) {
        auto it = sc.investment.find(p_.years[y]);
        if (it != sc.investment.end()) {
          v += p_.ToPounds(it->second);
          any = true;
        }
      }
      const std::string cl = ColName(col);
      if (!any) {
        s_.Str(row, col, "not stated");
      } else if (has_schemes_) {
        s_.Formula(row, col, fmt::format("=SUM({}2:{}{})", cl, cl, last_scheme_row_ + 1), v,
                   f_.money_bold);
        refs_.scheme_total_by_year[p_.years[y]] = Quote(kName) + "!" + CellRef(row, col, true);
        refs_.scheme_total_value[p_.years[y]] = v;
      }
    }
    const int all_row = row++;
    s_.Str(row, 1, "Total agreed pooled budget (plan)", f_.bold);
    for (size_t y = 0; y < p_.years.size(); ++y) {
      auto it = p_.pooled_total.find(p_.years[y]);
      if (it != p_.pooled_total.end())
        s_.Num(row, YearCol(y), p_.ToPounds(it->second), f_.money_bold);
    }
    const int pool_row = row++;
    s_.Str(row, 1, "Pooled budget not allocated to a scheme", f_.bold);
    for (size_t y = 0; y < p_.years.size(); ++y) {
      const int col = YearCol(y);
      auto it = p_.pooled_total.find(p_.years[y]);
      if (it == p_.pooled_total.end() || !refs_.scheme_total_by_year.count(p_.years[y])) continue;
      const double v = p_.ToPounds(it->second) - refs_.scheme_total_value[p_.years[y]];
      s_.Formula(row, col, fmt::format("={}-{}", CellRef(pool_row, col), CellRef(all_row, col)), v,
                 f_.money_bold);
    }
    ++row;
    s_.Str(row, 1, "Minimum required pooled budget (plan)", f_.bold);
    for (size_t y = 0; y < p_.years.size(); ++y) {
      auto it = p_.pooled_minimum.find(p_.years[y]);
      if (it != p_.pooled_minimum.end())
        s_.Num(row, YearCol(y), p_.ToPounds(it->second), f_.money);
      else
        s_.Str(row, YearCol(y), "not stated");
    }
    return row;
  }

  int WriteInvestmentByOrganisation(int row) {
    bool any_org = false;
    for (const auto& sc : p_.schemes) any_org = any_org || !sc.investment_by_org.empty();
    s_.Str(row++, 1, "Investment by contributing organisation", f_.bold);
    if (!any_org) {
      s_.Str(row++, 1, "The plan does not split scheme investment by organisation.");
      return row;
    }
    for (const auto& o : p_.organisations) {
      bool has = false;
      std::vector<double> v(p_.years.size(), 0);
      for (const auto& sc : p_.schemes) {
        auto it = sc.investment_by_org.find(o.id);
        if (it == sc.investment_by_org.end()) continue;
        has = true;
        for (size_t y = 0; y < p_.years.size(); ++y) {
          auto a = it->second.find(p_.years[y]);
          if (a != it->second.end()) v[y] += p_.ToPounds(a->second);
        }
      }
      if (!has) continue;
      s_.Str(row, 1, o.name);
      for (size_t y = 0; y < p_.years.size(); ++y) s_.Num(row, YearCol(y), v[y], f_.money);
      ++row;
    }
    return row;
  }

  void SetWidths() {
    s_.Width(0, 0, 22);
    s_.Width(1, 1, 48);
    s_.Width(2, 2, 36);
    s_.Width(3, 6, 13);
    s_.Width(7, 7, 40);
    s_.Width(first_year_col_, YearCol(p_.years.size()) - 1, 18);
    s_.Width(YearCol(p_.years.size()), YearCol(p_.years.size()), 50);
  }

  // Investment by theme: one column series per year over the theme totals.
  void AddThemeChart(int row) {
    lxw_chart* ch = workbook_add_chart(wb_, LXW_CHART_COLUMN);
    const int first_theme_row = last_scheme_row_ + 3;
    const int last_theme_row = first_theme_row + static_cast<int>(p_.themes.size()) - 1;
    for (size_t y = 0; y < p_.years.size(); ++y) {
      const int col = YearCol(y);
      const std::string cats = Quote(kName) + "!" + CellRef(first_theme_row, 1, true) + ":" +
                               CellRef(last_theme_row, 1, true);
      const std::string vals = Quote(kName) + "!" + CellRef(first_theme_row, col, true) + ":" +
                               CellRef(last_theme_row, col, true);
      lxw_chart_series* ser = chart_add_series(ch, cats.c_str(), vals.c_str());
      chart_series_set_name(ser, p_.years[y].c_str());
    }
    chart_title_set_name(ch, "Investment by theme (£)");
    worksheet_insert_chart(s_.ws(), row + 1, 1, ch);
  }

  lxw_workbook* wb_;
  const Formats& f_;
  const plan::Plan& p_;
  Sheet s_;
  FinanceRefs refs_;
  int first_year_col_ = 0;
  int last_scheme_row_ = 0;
  bool has_schemes_ = false;
};

FinanceRefs WriteSchemes(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  return SchemeSheet(wb, f, d.plan).Write();
}

// --- Metrics ------------------------------------------------------------------------------
// Metrics sheet row of each track's milestones (by track index, in milestone order).
using MilestoneRows = std::vector<std::vector<int>>;

MilestoneRows WriteMetrics(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  MilestoneRows rows_of(d.tracks.size());
  const std::string name = "Metrics";
  Sheet s(workbook_add_worksheet(wb, name.c_str()), f);
  s.Header(0, {"Metric", "Kind", "Pioneer metric", "Unit", "Per", "Baseline (plan)",
               "Baseline window", "Baseline (measured)", "Milestone date", "Planned",
               "Measured over", "Actual", "Variance", "Variance %", "RAG", "Note"});
  int row = 1;
  for (size_t ti = 0; ti < d.tracks.size(); ++ti) {
    const MetricTrack& t = d.tracks[ti];
    auto write_common = [&](int r) {
      s.Str(r, 0, t.name, f.wrap);
      s.Str(r, 1, t.kind);
      s.Str(r, 2, t.catalogue_id.empty() ? "-" : t.catalogue_id);
      s.Str(r, 3, t.unit.empty() ? "-" : t.unit);
      s.Str(r, 4, t.rate_basis.empty() ? "-" : t.rate_basis);
      s.Opt(r, 5, t.baseline_planned, f.num);
      s.Str(r, 6, t.baseline_window + (t.baseline_window_assumed ? " (assumed)" : ""));
      s.Opt(r, 7, t.baseline_actual, f.num);
    };
    if (t.milestones.empty()) {
      write_common(row);
      s.Str(row, 14, RagName(Rag::kNoData), f.rag_none);
      s.Str(row, 15, t.note, f.wrap);
      ++row;
      continue;
    }
    for (const auto& m : t.milestones) {
      write_common(row);
      rows_of[ti].push_back(row);
      s.Str(row, 8, m.date);
      s.Num(row, 9, m.planned, f.num);
      s.Str(row, 10, m.window);
      s.Opt(row, 11, m.actual, f.num);
      if (m.actual) {
        s.Formula(row, 12, fmt::format("={}-{}", CellRef(row, 11), CellRef(row, 9)), *m.variance,
                  f.num);
        if (m.variance_pct)
          s.Formula(row, 13,
                    fmt::format("=IF({1}=0,\"\",100*{0}/{1})", CellRef(row, 12), CellRef(row, 9)),
                    *m.variance_pct, f.pct);
      }
      s.Str(row, 14, RagName(m.rag), RagFormat(f, m.rag));
      s.Str(row, 15, t.note, f.wrap);
      ++row;
    }
  }
  row += 1;
  s.Str(row++, 0, "Quarterly actual vs trajectory (chart data)", f.bold);
  int chart_row = 1;
  for (const auto& t : d.tracks) {
    if (t.series.empty()) continue;
    s.Str(row, 0, t.name, f.bold);
    s.Str(row, 1, "Quarter", f.header);
    s.Str(row, 2, "Quarter end", f.header);
    s.Str(row, 3, "Actual", f.header);
    s.Str(row, 4, "Planned trajectory", f.header);
    s.Str(row, 5, "Actual, 12 months to quarter end", f.header);
    int first = row + 1;
    for (const auto& p : t.series) {
      ++row;
      s.Str(row, 1, p.label);
      s.Str(row, 2, p.end_date);
      s.Opt(row, 3, p.actual, f.num);  // blank when suppressed: a gap in the chart
      s.Opt(row, 4, p.planned, f.num);
      s.Opt(row, 5, p.rolling12, f.num);
    }
    int last = row;
    row += 2;
    lxw_chart* ch = workbook_add_chart(wb, LXW_CHART_LINE);
    std::string cats = "Metrics!" + CellRef(first, 1, true) + ":" + CellRef(last, 1, true);
    lxw_chart_series* a = chart_add_series(
        ch, cats.c_str(),
        ("Metrics!" + CellRef(first, 3, true) + ":" + CellRef(last, 3, true)).c_str());
    chart_series_set_name(a, "Actual");
    chart_series_set_marker_type(a, LXW_CHART_MARKER_CIRCLE);
    lxw_chart_series* pl = chart_add_series(
        ch, cats.c_str(),
        ("Metrics!" + CellRef(first, 4, true) + ":" + CellRef(last, 4, true)).c_str());
    chart_series_set_name(pl, "Planned trajectory");
    chart_series_set_marker_type(pl, LXW_CHART_MARKER_DIAMOND);
    lxw_chart_series* ro = chart_add_series(
        ch, cats.c_str(),
        ("Metrics!" + CellRef(first, 5, true) + ":" + CellRef(last, 5, true)).c_str());
    chart_series_set_name(ro, "Actual, 12 months to quarter end");
    chart_series_set_marker_type(ro, LXW_CHART_MARKER_SQUARE);
    // Suppressed or unmeasured quarters are blank cells: gaps, never zero.
    chart_show_blanks_as(ch, LXW_CHART_BLANKS_AS_GAP);
    chart_title_set_name(ch, t.name.c_str());
    worksheet_insert_chart(s.ws(), chart_row, 17, ch);
    chart_row += 16;
  }
  s.Width(0, 0, 50);
  s.Width(1, 1, 11);
  s.Width(2, 2, 28);
  s.Width(3, 4, 9);
  s.Width(5, 5, 12);
  s.Width(6, 6, 26);
  s.Width(7, 9, 13);
  s.Width(10, 10, 24);
  s.Width(11, 14, 12);
  s.Width(15, 15, 44);
  return rows_of;
}

// --- Protected social care -----------------------------------------------------------------
void WriteProtected(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  const plan::Plan& p = d.plan;
  Sheet s(workbook_add_worksheet(wb, "Protected social care"), f);
  std::vector<std::string> cols = {"Service protected", "Benefit", "Theme", "Theme-table line"};
  const int fy = 4;
  for (const auto& y : p.years) cols.push_back(y + " (£)");
  cols.push_back("Range (£, year not stated)");
  s.Header(0, cols);
  int row = 1;
  for (const auto& ps : p.protected_services) {
    s.Str(row, 0, ps.name, f.wrap);
    s.Str(row, 1, ps.benefit, f.wrap);
    const plan::Theme* th = p.FindTheme(ps.theme);
    s.Str(row, 2, th ? th->name : ps.theme, f.wrap);
    s.Str(row, 3, ps.scheme);
    for (size_t y = 0; y < p.years.size(); ++y) {
      auto it = ps.amount.find(p.years[y]);
      if (it != ps.amount.end())
        s.Num(row, fy + static_cast<int>(y), p.ToPounds(it->second), f.money);
    }
    if (ps.amount_range.size() == 2)
      s.Str(row, fy + static_cast<int>(p.years.size()),
            fmt::format("£{:.0f} - £{:.0f}", p.ToPounds(ps.amount_range[0]),
                        p.ToPounds(ps.amount_range[1])));
    ++row;
  }
  int last = row - 1;
  if (p.protected_services.empty()) s.Str(row++, 0, "The plan lists no protected services.");
  ++row;
  s.Str(row, 0, "Total (sum of services)", f.bold);
  std::vector<double> sums(p.years.size(), 0);
  for (size_t y = 0; y < p.years.size(); ++y) {
    for (const auto& ps : p.protected_services) {
      auto it = ps.amount.find(p.years[y]);
      if (it != ps.amount.end()) sums[y] += p.ToPounds(it->second);
    }
    int col = fy + static_cast<int>(y);
    if (last >= 1)
      s.Formula(row, col, fmt::format("=SUM({}:{})", CellRef(1, col), CellRef(last, col)), sums[y],
                f.money_bold);
  }
  int sum_row = row++;
  s.Str(row, 0, "Stated total in the plan", f.bold);
  for (size_t y = 0; y < p.years.size(); ++y) {
    auto it = p.protected_stated_total.find(p.years[y]);
    if (it != p.protected_stated_total.end())
      s.Num(row, fy + static_cast<int>(y), p.ToPounds(it->second), f.money_bold);
    else
      s.Str(row, fy + static_cast<int>(y), "not stated");
  }
  int stated_row = row++;
  s.Str(row, 0, "Difference (sum - stated)", f.bold);
  for (size_t y = 0; y < p.years.size(); ++y) {
    auto it = p.protected_stated_total.find(p.years[y]);
    if (it == p.protected_stated_total.end() || last < 1) continue;
    int col = fy + static_cast<int>(y);
    s.Formula(row, col, fmt::format("={}-{}", CellRef(sum_row, col), CellRef(stated_row, col)),
              sums[y] - p.ToPounds(it->second), f.money_bold);
  }
  s.Width(0, 0, 40);
  s.Width(1, 1, 60);
  s.Width(2, 2, 36);
  s.Width(3, 3, 26);
  s.Width(fy, fy + static_cast<int>(p.years.size()), 18);
}

// --- Payment for performance --------------------------------------------------------------
void WriteP4p(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  Sheet s(workbook_add_worksheet(wb, "Payment for performance"), f);
  const P4pResult& r = d.p4p;
  s.Str(0, 0, "Payment for performance (BCF 2015/16 design, bcf-metrics.md 9.2-9.4)", f.title);
  worksheet_freeze_panes(s.ws(), 8, 0);
  if (!r.present) {
    s.Str(2, 0, "The plan has no payment-for-performance section.");
    s.Width(0, 0, 60);
    return;
  }
  s.Str(1, 0, "Metric");
  s.Str(1, 1, r.metric);
  s.Str(2, 0, "Planned reduction (%)");
  s.Num(2, 1, r.planned_reduction_pct, f.num);
  s.Str(3, 0, "Value per avoided admission (£)");
  s.Num(3, 1, r.value_per_admission_gbp, f.money);
  s.Str(3, 2,
        r.value_unverified
            ? "UNVERIFIED: the commonly quoted £1,490 has no source text (bcf-metrics.md 9.3); "
              "replace it with the local tariff"
            : "source: " + r.value_provenance,
        r.value_unverified ? f.warn : f.wrap);
  s.Str(4, 0, "Assessment");
  s.Str(4, 1, r.assessment);
  s.Str(5, 0, "Withheld money goes to");
  s.Str(5, 1, r.withheld_to, f.wrap);
  const int h = 7;
  s.Header(h, {"Baseline quarter", "Plan quarter", "Baseline admissions", "Planned reduction",
               "Planned admissions", "Actual admissions", "Achieved reduction", "Pot (£)",
               "Released (£)", "Withheld (£)"});
  int row = h + 1;
  for (const auto& q : r.quarters) {
    s.Str(row, 0, q.baseline_quarter);
    s.Str(row, 1, q.plan_quarter);
    s.Opt(row, 2, q.baseline, f.count);
    if (q.baseline) {
      s.Formula(row, 3, fmt::format("={}*$B$3/100", CellRef(row, 2)), q.planned_reduction, f.num);
      s.Formula(row, 4, fmt::format("={}-{}", CellRef(row, 2), CellRef(row, 3)),
                q.planned_admissions, f.num);
      s.Formula(row, 7, fmt::format("={}*$B$4", CellRef(row, 3)), q.pot_gbp, f.money);
    }
    s.Opt(row, 5, q.actual, f.count);
    if (q.achieved_reduction) {
      s.Formula(row, 6, fmt::format("={}-{}", CellRef(row, 2), CellRef(row, 5)),
                *q.achieved_reduction, f.num);
      if (r.assessment == "per_quarter")
        s.Formula(row, 8, fmt::format("=MIN(MAX({},0),{})*$B$4", CellRef(row, 6), CellRef(row, 3)),
                  *q.released_gbp, f.money);
      else
        s.Num(row, 8, *q.released_gbp, f.money);
      s.Formula(row, 9, fmt::format("={}-{}", CellRef(row, 7), CellRef(row, 8)), *q.withheld_gbp,
                f.money);
    }
    ++row;
  }
  int last = row - 1;
  s.Str(row, 0, "Total", f.bold);
  if (last > h) {
    s.Formula(row, 7, fmt::format("=SUM({}:{})", CellRef(h + 1, 7), CellRef(last, 7)), r.pot_gbp,
              f.money_bold);
    s.Formula(row, 8, fmt::format("=SUM({}:{})", CellRef(h + 1, 8), CellRef(last, 8)),
              r.released_gbp, f.money_bold);
    s.Formula(row, 9, fmt::format("=SUM({}:{})", CellRef(h + 1, 9), CellRef(last, 9)),
              r.withheld_gbp, f.money_bold);
  }
  s.Width(0, 1, 30);
  s.Width(2, 9, 16);
  worksheet_set_column(s.ws(), 2, 2, 60, nullptr);
  worksheet_set_column(s.ws(), 2, 9, 17, nullptr);
}

// --- Scenarios ----------------------------------------------------------------------------
// Cells of the Scenarios sheet the Summary reads (live formulas, not typed values).
struct ScenarioRefs {
  std::string drawn;  // SUM over the "Contingency drawn" column ("" when nothing modelled)
  std::string left;   // the contingency left after the last modelled scenario
};

// The scenario table from header row `h`: the contingency is drawn down in scenario order,
// each modelled scenario drawing MIN(cost, what is left) from the previous one's "left" cell
// (`left_cell` at the start: the contingency). Returns the modelled rows and the next row.
struct ScenarioTable {
  int first_modelled = -1, last_modelled = -1, next_row = 0;
};
ScenarioTable WriteScenarioTable(Sheet& s, const Formats& f, const plan::Plan& p,
                                 const std::vector<ScenarioResult>& scenarios, int h,
                                 std::string left_cell) {
  ScenarioTable t;
  std::set<std::string> partners;
  for (const auto& sc : scenarios)
    for (const auto& [o, v] : sc.exposure_gbp) partners.insert(o);
  std::vector<std::string> cols = {"Scenario",
                                   "Description",
                                   "Activity",
                                   "Planned",
                                   "Actual",
                                   "Excess",
                                   "Unit cost (£)",
                                   "Cost (£)",
                                   "Contingency drawn (£)",
                                   "Contingency left (£)",
                                   "Beyond contingency (£)",
                                   "Unallocated (£)"};
  const int pc = static_cast<int>(cols.size());
  for (const auto& o : partners) {
    const plan::Organisation* org = p.FindOrganisation(o);
    cols.push_back((org ? org->name : o) + " exposure (£)");
  }
  cols.push_back("Unit cost basis / note");
  cols.push_back("Shares basis");
  s.Header(h, cols);
  int row = h + 1;
  for (const auto& sc : scenarios) {
    const plan::Scenario* ps = nullptr;
    for (const auto& x : p.risk_share.scenarios)
      if (x.id == sc.id) ps = &x;
    s.Str(row, 0, "(" + sc.id + ") " + sc.kind);
    s.Str(row, 1, sc.description, f.wrap);
    s.Str(row, 2, sc.input.activity, f.wrap);
    s.Opt(row, 3, sc.input.planned, f.num);
    s.Opt(row, 4, sc.input.actual, f.count);
    if (sc.modelled) {
      s.Formula(row, 5, fmt::format("=MAX(0,{}-{})", CellRef(row, 4), CellRef(row, 3)), *sc.excess,
                f.num);
      s.Num(row, 6, *sc.input.unit_cost_gbp, f.money);
      s.Formula(row, 7, fmt::format("={}*{}", CellRef(row, 5), CellRef(row, 6)), sc.cost_gbp,
                f.money);
      s.Formula(row, 8, fmt::format("=MIN({},{})", CellRef(row, 7), left_cell), sc.drawdown_gbp,
                f.money);
      s.Formula(row, 9, fmt::format("={}-{}", left_cell, CellRef(row, 8)), sc.contingency_after_gbp,
                f.money);
      left_cell = CellRef(row, 9);
      if (t.first_modelled < 0) t.first_modelled = row;
      t.last_modelled = row;
      s.Formula(row, 10, fmt::format("={}-{}", CellRef(row, 7), CellRef(row, 8)),
                sc.beyond_contingency_gbp, f.money);
      const bool shared = ps && !ps->shares.empty();
      s.Formula(row, 11, shared ? std::string("=0") : "=" + CellRef(row, 10), sc.unallocated_gbp,
                f.money);
      int c = pc;
      for (const auto& o : partners) {
        auto it = sc.exposure_gbp.find(o);
        auto share = ps ? ps->shares.find(o) : std::map<std::string, double>::const_iterator{};
        if (it != sc.exposure_gbp.end() && ps && share != ps->shares.end())
          s.Formula(row, c, fmt::format("={}*{}", share->second, CellRef(row, 10)), it->second,
                    f.money);
        ++c;
      }
    }
    std::string note = sc.input.unit_cost_basis;
    if (!sc.note.empty()) note += (note.empty() ? "" : "; ") + sc.note;
    s.Str(row, pc + static_cast<int>(partners.size()), note, f.wrap);
    s.Str(row, pc + static_cast<int>(partners.size()) + 1, sc.shares_basis, f.wrap);
    ++row;
  }
  s.Width(0, 0, 30);
  s.Width(1, 2, 45);
  s.Width(3, pc + static_cast<int>(partners.size()) - 1, 16);
  s.Width(pc + static_cast<int>(partners.size()), pc + static_cast<int>(partners.size()) + 1, 60);
  t.next_row = row;
  return t;
}

ScenarioRefs WriteScenarios(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  ScenarioRefs refs;
  const plan::Plan& p = d.plan;
  Sheet s(workbook_add_worksheet(wb, "Scenarios"), f);
  s.Str(0, 0, "Risk-share scenarios: contingency drawdown and partner exposure", f.title);
  s.Str(1, 0, "Contingency (£)");
  if (p.risk_share.contingency)
    s.Num(1, 1, p.ToPounds(*p.risk_share.contingency), f.money);
  else
    s.Str(1, 1, "not stated");
  s.Str(2, 0,
        fmt::format("Assessed over {} against {} (baseline year); drawn down in scenario order.",
                    d.assessment_year, d.baseline_year),
        f.wrap);
  // The contingency is drawn down in scenario order from B2.
  const ScenarioTable t = WriteScenarioTable(
      s, f, p, d.scenarios, 4, p.risk_share.contingency ? CellRef(1, 1, true) : std::string("0"));
  const int first_modelled = t.first_modelled, last_modelled = t.last_modelled;
  if (first_modelled >= 0) {
    refs.drawn = fmt::format("SUM(Scenarios!{}:{})", CellRef(first_modelled, 8, true),
                             CellRef(last_modelled, 8, true));
    refs.left = "Scenarios!" + CellRef(last_modelled, 9, true);
  }
  return refs;
}

// --- Data quality -------------------------------------------------------------------------
void WriteDataQuality(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  Sheet s(workbook_add_worksheet(wb, "Data quality"), f);
  s.Header(0, {"Severity", "Finding", "Plan file line", "Key", "Explanation"});
  int row = 1;
  for (const auto& x : d.findings) {
    s.Str(row, 0, plan::SeverityName(x.severity),
          x.severity == plan::Severity::kError ? f.rag_red : f.rag_amber);
    s.Str(row, 1, x.code);
    s.Num(row, 2, x.line);
    s.Str(row, 3, x.key);
    s.Str(row, 4, x.message, f.wrap);
    ++row;
  }
  for (const auto& id : d.not_in_catalogue) {
    s.Str(row, 0, "note", f.rag_none);
    s.Str(row, 1, "metric.not_measured");
    s.Str(row, 3, id);
    s.Str(row, 4,
          "the plan names metric '" + id + "', which this build of Pioneer cannot measure yet",
          f.wrap);
    ++row;
  }
  ++row;
  s.Str(row++, 1, "About the measured values", f.bold);
  s.Str(row++, 1, "Data as of: " + (d.data_as_of.empty() ? std::string("unknown") : d.data_as_of));
  s.Str(row++, 1, "Engine: " + d.engine);
  s.Str(row++, 1,
        d.disclosure_applied ? "Disclosure control applied: counts 1-7 suppressed, numerators "
                               "rounded to 5, rates to 1 decimal place"
                             : "Disclosure control OFF");
  s.Str(row++, 1,
        "Rates are crude rates from docs/metrics.md definitions; see docs/report.md for RAG "
        "thresholds");
  s.Width(0, 0, 10);
  s.Width(1, 1, 34);
  s.Width(2, 2, 10);
  s.Width(3, 3, 40);
  s.Width(4, 4, 100);
}

// --- Summary ------------------------------------------------------------------------------
void WriteSummary(lxw_workbook* wb, lxw_worksheet* ws, const Formats& f, const ReportData& d,
                  const FinanceRefs& refs, const MilestoneRows& milestone_rows,
                  const ScenarioRefs& scenario_refs) {
  const plan::Plan& p = d.plan;
  Sheet s(ws, f);
  s.Str(0, 0, "BCF Part 2: " + p.hwb, f.title);
  s.Str(1, 0, "Plan");
  s.Str(1, 1, p.title.empty() ? p.id : p.title);
  s.Str(2, 0, "Source");
  s.Str(2, 1, p.source, f.wrap);
  s.Str(3, 0, "Data as of");
  s.Str(3, 1, d.data_as_of.empty() ? "unknown" : d.data_as_of);
  int errors = plan::CountErrors(d.findings);
  s.Str(4, 0, "Plan check");
  s.Str(4, 1,
        fmt::format("{} error(s), {} warning(s) (sheet Data quality)", errors,
                    d.findings.size() - errors),
        errors ? f.warn : nullptr);
  const int h = 6;
  std::vector<std::string> cols = {"Pooled budget"};
  for (const auto& y : p.years) cols.push_back(y + " (£)");
  s.Header(h, cols);
  int row = h + 1;
  s.Str(row, 0, "Minimum required");
  for (size_t y = 0; y < p.years.size(); ++y) {
    auto it = p.pooled_minimum.find(p.years[y]);
    if (it != p.pooled_minimum.end())
      s.Num(row, 1 + static_cast<int>(y), p.ToPounds(it->second), f.money);
    else
      s.Str(row, 1 + static_cast<int>(y), "not stated");
  }
  ++row;
  s.Str(row, 0, "Total agreed");
  for (size_t y = 0; y < p.years.size(); ++y) {
    auto it = p.pooled_total.find(p.years[y]);
    if (it != p.pooled_total.end())
      s.Num(row, 1 + static_cast<int>(y), p.ToPounds(it->second), f.money);
    else
      s.Str(row, 1 + static_cast<int>(y), "not stated");
  }
  ++row;
  s.Str(row, 0, "Allocated to schemes (live from Schemes and finance)");
  for (size_t y = 0; y < p.years.size(); ++y) {
    auto it = refs.scheme_total_by_year.find(p.years[y]);
    if (it != refs.scheme_total_by_year.end())
      s.Formula(row, 1 + static_cast<int>(y), "=" + it->second,
                refs.scheme_total_value.at(p.years[y]), f.money);
    else
      s.Str(row, 1 + static_cast<int>(y), "not stated");
  }
  row += 2;
  s.Str(row, 0, "Metric", f.header);
  s.Str(row, 1, "Latest milestone", f.header);
  s.Str(row, 2, "Planned", f.header);
  s.Str(row, 3, "Actual", f.header);
  s.Str(row, 4, "RAG", f.header);
  ++row;
  for (size_t ti = 0; ti < d.tracks.size(); ++ti) {
    const MetricTrack& t = d.tracks[ti];
    s.Str(row, 0, t.name, f.wrap);
    const MilestoneTrack* latest = nullptr;
    size_t latest_index = 0;
    for (size_t mi = 0; mi < t.milestones.size(); ++mi)
      if (t.milestones[mi].actual) {
        latest = &t.milestones[mi];
        latest_index = mi;
      }
    if (!latest && !t.milestones.empty()) {
      latest = &t.milestones.back();
      latest_index = t.milestones.size() - 1;
    }
    if (latest) {
      // Live references to the Metrics sheet row of that milestone.
      const int mrow = milestone_rows[ti][latest_index];
      s.Str(row, 1, latest->date);
      s.Formula(row, 2, "=Metrics!" + CellRef(mrow, 9, true), latest->planned, f.num);
      if (latest->actual)
        s.Formula(row, 3, "=Metrics!" + CellRef(mrow, 11, true), *latest->actual, f.num);
      else
        s.Str(row, 3, "no data");
      s.Str(row, 4, RagName(latest->rag), RagFormat(f, latest->rag));
    } else {
      s.Str(row, 1, t.note, f.wrap);
      s.Str(row, 4, RagName(Rag::kNoData), f.rag_none);
    }
    ++row;
  }
  ++row;
  if (d.p4p.present) {
    s.Str(row, 0, "Payment for performance: pot / released / withheld (£)", f.bold);
    s.Formula(
        row, 1,
        "='Payment for performance'!" + CellRef(8 + static_cast<int>(d.p4p.quarters.size()), 7),
        d.p4p.pot_gbp, f.money);
    s.Formula(
        row, 2,
        "='Payment for performance'!" + CellRef(8 + static_cast<int>(d.p4p.quarters.size()), 8),
        d.p4p.released_gbp, f.money);
    s.Formula(
        row, 3,
        "='Payment for performance'!" + CellRef(8 + static_cast<int>(d.p4p.quarters.size()), 9),
        d.p4p.withheld_gbp, f.money);
    ++row;
    if (d.p4p.value_unverified)
      s.Str(row++, 0,
            fmt::format("Value per avoided admission £{:.0f} is UNVERIFIED (bcf-metrics.md 9.3)",
                        d.p4p.value_per_admission_gbp),
            f.warn);
  }
  double drawn = 0, left = 0;
  for (const auto& sc : d.scenarios) {
    drawn += sc.drawdown_gbp;
    if (sc.modelled) left = sc.contingency_after_gbp;
  }
  s.Str(row, 0, "Scenarios: contingency drawn / left (£)", f.bold);
  if (!scenario_refs.drawn.empty()) {
    s.Formula(row, 1, "=" + scenario_refs.drawn, drawn, f.money);
    s.Formula(row, 2, "=" + scenario_refs.left, left, f.money);
  } else {
    s.Str(row, 1, "no scenario modelled");
  }
  s.Width(0, 0, 58);
  s.Width(1, 4, 18);
  (void)wb;
}

// --- Care Trak -------------------------------------------------------------------------------
// One row per scheme and outcome from the caretrak.json files given to `pioneer report
// --caretrak`: the difference-in-differences effect with its 95% interval beside the naive
// before/after. Written only when results were given.
void WriteCareTrak(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  if (d.care_trak.empty()) return;
  Sheet s(workbook_add_worksheet(wb, "Care Trak"), f);
  s.Str(0, 0,
        "Care Trak: what each scheme changed, against a matched comparison group "
        "(difference-in-differences; the naive before/after beside it misleads: regression to "
        "the mean)",
        f.title);
  s.Header(2, {"Scheme", "Outcome", "Cohort (people)", "Matched pairs", "Effect (relative %)",
               "95% CI low (%)", "95% CI high (%)", "Effect per person-year", "Unit",
               "Naive before/after (%)", "Conclusion", "Reliable", "Warning"});
  int row = 3;
  for (const CareTrakScheme& scheme : d.care_trak) {
    for (const CareTrakOutcome& o : scheme.outcomes) {
      s.Str(row, 0, scheme.name);
      s.Str(row, 1, o.outcome);
      s.Num(row, 2, static_cast<double>(scheme.cohort), f.count);
      s.Num(row, 3, static_cast<double>(scheme.matched), f.count);
      s.Num(row, 4, 100 * o.relative, f.pct);
      s.Num(row, 5, 100 * o.relative_low, f.pct);
      s.Num(row, 6, 100 * o.relative_high, f.pct);
      s.Num(row, 7, o.absolute_per_person_year, f.num);
      s.Str(row, 8, o.unit);
      if (o.naive_relative) {
        s.Num(row, 9, 100 * *o.naive_relative, f.pct);
      } else {
        s.Str(row, 9, "no activity before");
      }
      s.Str(row, 10, o.conclusion, f.wrap);
      s.Str(row, 11, scheme.reliable ? "yes" : "no", scheme.reliable ? nullptr : f.warn);
      s.Str(row, 12, scheme.warning, f.wrap);
      ++row;
    }
  }
  s.Width(0, 1, 26);
  s.Width(2, 9, 14);
  s.Width(10, 10, 40);
  s.Width(11, 11, 10);
  s.Width(12, 12, 50);
}

// The national condition on joint care planning (figures from `pioneer risk report`,
// already disclosure-controlled): one row per place, date and case-finding approach, with the
// share of adults at high risk and the shares of them with a plan and with a joint plan and a
// named lead professional. A suppressed figure is written as "suppressed", never as a number.
// Written only when a risk report was given.
void WriteNationalCondition(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  if (!d.national_condition) return;
  const NationalCondition& nc = *d.national_condition;
  Sheet s(workbook_add_worksheet(wb, "National condition"), f);
  s.Str(0, 0,
        "Joint care planning for people at high risk of emergency admission (national "
        "condition): share of adults at high risk by each case-finding approach, and of them "
        "the share with a care plan and with a joint plan naming an accountable GP and a care "
        "coordinator",
        f.title);
  s.Str(1, 0,
        "Counts of 1-7 are suppressed and others rounded to 5; shares are computed from the "
        "published counts. People who objected to secondary use are not counted.");
  s.Header(3, {"Level", "Code", "Date", "Approach", "Adults", "High risk",
               "High risk (% of adults)", "With a care plan", "With a plan (% of high risk)",
               "Joint plan and lead", "Joint plan and lead (% of high risk)"});
  auto label = [&](const std::string& id) {
    for (const auto& a : nc.approaches) {
      if (a.id == id) return a.label;
    }
    return id;
  };
  auto count = [&](int r, int c, const std::optional<int64_t>& v) {
    if (v) {
      s.Num(r, c, static_cast<double>(*v), f.count);
    } else {
      s.Str(r, c, "suppressed");
    }
  };
  auto share = [&](int r, int c, const std::optional<double>& v) {
    if (v) {
      s.Num(r, c, 100 * *v, f.pct);
    } else {
      s.Str(r, c, "suppressed");
    }
  };
  int row = 4;
  auto write = [&](const NationalConditionFigures& x) {
    s.Str(row, 0, x.level);
    s.Str(row, 1, x.code);
    s.Str(row, 2, x.date);
    s.Str(row, 3, label(x.approach));
    count(row, 4, x.adults);
    count(row, 5, x.high_risk);
    share(row, 6, x.high_risk_share);
    count(row, 7, x.with_plan);
    share(row, 8, x.with_plan_share);
    count(row, 9, x.with_joint_plan_and_lead);
    share(row, 10, x.with_joint_plan_and_lead_share);
    ++row;
  };
  // The headline (the area at the report's date) first, then the breakdowns as read.
  for (const auto& a : nc.approaches) {
    write({"area", "", nc.date, a.id, a.adults, a.high_risk, a.with_plan,
           a.with_joint_plan_and_lead, a.high_risk_share, a.with_plan_share,
           a.with_joint_plan_and_lead_share});
  }
  for (const auto& x : nc.breakdown) {
    if (x.level == "area" && x.date == nc.date) continue;  // the headline, already written
    write(x);
  }
  s.Width(0, 2, 12);
  s.Width(3, 3, 40);
  s.Width(4, 10, 16);
}

// --- Care Trak value ---------------------------------------------------------------------------
// What the evaluated schemes saved against what the plan invests in them, and the risk share
// and P4P recomputed with their measured saving (care_trak_value.h). Written only when Care
// Trak results were given.
void WriteCareTrakValueBody(Sheet& s, const Formats& f, const ReportData& d) {
  const CareTrakValue& v = *d.care_trak_value;
  const plan::Plan& p = d.plan;
  s.Str(0, 0,
        "Care Trak value: the measured saving of each evaluated scheme (cost difference-in-"
        "differences against its matched comparison group) set against the plan's investment",
        f.title);
  s.Header(
      2,
      {"Cohort", "Plan scheme", "Scheme name", "Matched members", "Saving per person-year (£)",
       "95% CI low (£)", "95% CI high (£)", "Saving per year (£)", "95% CI low (£)",
       "95% CI high (£)", "Investment " + v.year + " (£)", "Net (£)", "Return per £1",
       "Emergency admissions avoided per year", "95% CI low", "95% CI high", "Reliable", "Note"});
  int row = 3;
  for (const SchemeValue& x : v.schemes) {
    s.Str(row, 0, x.cohort);
    s.Str(row, 1, x.scheme_id);
    s.Str(row, 2, x.scheme_name, f.wrap);
    s.Num(row, 3, static_cast<double>(x.matched), f.count);
    s.Opt(row, 4, x.saving_per_person_gbp, f.money);
    s.Opt(row, 5, x.saving_per_person_low_gbp, f.money);
    s.Opt(row, 6, x.saving_per_person_high_gbp, f.money);
    for (int k = 0; k < 3; ++k) {
      const std::optional<double>& total = k == 0   ? x.saving_gbp
                                           : k == 1 ? x.saving_low_gbp
                                                    : x.saving_high_gbp;
      if (total) {
        s.Formula(row, 7 + k, fmt::format("={}*{}", CellRef(row, 4 + k), CellRef(row, 3)), *total,
                  f.money);
      }
    }
    s.Opt(row, 10, x.investment_gbp, f.money);
    if (x.net_gbp) {
      s.Formula(row, 11, fmt::format("={}-{}", CellRef(row, 7), CellRef(row, 10)), *x.net_gbp,
                f.money);
    }
    if (x.return_per_pound) {
      s.Formula(row, 12, fmt::format("={}/{}", CellRef(row, 7), CellRef(row, 10)),
                *x.return_per_pound, f.num);
    }
    s.Opt(row, 13, x.admissions_avoided, f.num);
    s.Opt(row, 14, x.admissions_avoided_low, f.num);
    s.Opt(row, 15, x.admissions_avoided_high, f.num);
    s.Str(row, 16, x.reliable ? "yes" : "no", x.reliable ? nullptr : f.warn);
    s.Str(row, 17, x.note, f.wrap);
    ++row;
  }
  row += 1;
  if (v.scenarios.empty()) {
    s.Str(row, 0,
          "No emergency admissions outcome in the evaluations: the risk share and P4P are not "
          "recomputed.",
          f.wrap);
    return;
  }
  s.Str(row, 0,
        fmt::format("Risk share with the measured saving: the avoidable-admissions scenario "
                    "counts the baseline year less the {:.1f} emergency admissions a year the "
                    "evaluated schemes avoided; the others keep their measured activity "
                    "(Scenarios sheet).",
                    *v.admissions_avoided),
        f.wrap);
  ++row;
  s.Str(row, 0, "Contingency (£)");
  const int contingency_row = row;
  if (p.risk_share.contingency)
    s.Num(row, 1, p.ToPounds(*p.risk_share.contingency), f.money);
  else
    s.Str(row, 1, "not stated");
  row += 2;
  const ScenarioTable t = WriteScenarioTable(
      s, f, p, v.scenarios, row,
      p.risk_share.contingency ? CellRef(contingency_row, 1, true) : std::string("0"));
  row = t.next_row + 1;
  if (!v.p4p) return;
  s.Str(row, 0,
        "P4P with the measured saving: each plan quarter's admissions are its baseline quarter "
        "less a quarter of the admissions avoided a year (P4P sheet: measured).",
        f.wrap);
  ++row;
  s.Header(row, {"Plan quarter", "Baseline quarter", "Baseline", "Admissions with the saving",
                 "Planned reduction", "Achieved (Care Trak)", "Released (£)", "Withheld (£)",
                 "Released as measured (£)"});
  ++row;
  const double value = v.p4p->value_per_admission_gbp;
  for (size_t i = 0; i < v.p4p->quarters.size(); ++i) {
    const P4pQuarter& q = v.p4p->quarters[i];
    s.Str(row, 0, q.plan_quarter);
    s.Str(row, 1, q.baseline_quarter);
    s.Opt(row, 2, q.baseline, f.count);
    s.Opt(row, 3, q.actual, f.num);
    s.Num(row, 4, q.planned_reduction, f.num);
    if (q.achieved_reduction) {
      s.Formula(row, 5, fmt::format("={}-{}", CellRef(row, 2), CellRef(row, 3)),
                *q.achieved_reduction, f.num);
    }
    if (q.released_gbp && v.p4p->assessment != "cumulative") {
      s.Formula(row, 6,
                fmt::format("=MIN(MAX({},0),{})*{}", CellRef(row, 5), CellRef(row, 4), value),
                *q.released_gbp, f.money);
    } else {
      s.Opt(row, 6, q.released_gbp, f.money);
    }
    s.Opt(row, 7, q.withheld_gbp, f.money);
    if (i < d.p4p.quarters.size()) s.Opt(row, 8, d.p4p.quarters[i].released_gbp, f.money);
    ++row;
  }
  s.Str(row, 0, "Total");
  s.Num(row, 6, v.p4p->released_gbp, f.money);
  s.Num(row, 7, v.p4p->withheld_gbp, f.money);
  s.Num(row, 8, d.p4p.released_gbp, f.money);
}

void WriteCareTrakValue(lxw_workbook* wb, const Formats& f, const ReportData& d) {
  if (!d.care_trak_value || d.care_trak_value->schemes.empty()) return;
  Sheet s(workbook_add_worksheet(wb, "Care Trak value"), f);
  WriteCareTrakValueBody(s, f, d);
  worksheet_freeze_panes(s.ws(), 3, 0);  // the scheme table's header, not the last table's
  s.Width(0, 2, 26);
}

}  // namespace

std::string CellRef(int row, int col, bool absolute) {
  return absolute ? fmt::format("${}${}", ColName(col), row + 1)
                  : fmt::format("{}{}", ColName(col), row + 1);
}

Status WriteWorkbook(const ReportData& d, const std::string& path) {
  lxw_workbook* wb = workbook_new(path.c_str());
  if (!wb) return UnavailableError("cannot create workbook " + path);
  Formats f = MakeFormats(wb);
  lxw_worksheet* summary = workbook_add_worksheet(wb, "Summary");
  MilestoneRows milestone_rows = WriteMetrics(wb, f, d);
  FinanceRefs refs = WriteSchemes(wb, f, d);
  WriteProtected(wb, f, d);
  WriteP4p(wb, f, d);
  ScenarioRefs scenario_refs = WriteScenarios(wb, f, d);
  WriteDataQuality(wb, f, d);
  WriteCareTrak(wb, f, d);
  WriteCareTrakValue(wb, f, d);
  WriteNationalCondition(wb, f, d);
  WriteSummary(wb, summary, f, d, refs, milestone_rows, scenario_refs);
  lxw_doc_properties props = {};
  std::string title = "BCF Part 2: " + d.plan.hwb;
  std::string author = "Pioneer";
  props.title = title.data();
  props.author = author.data();
  workbook_set_properties(wb, &props);
  lxw_error err = workbook_close(wb);
  if (err != LXW_NO_ERROR)
    return UnavailableError(fmt::format("cannot write {}: {}", path, lxw_strerror(err)));
  return OkStatus();
}

}  // namespace pioneer::report
