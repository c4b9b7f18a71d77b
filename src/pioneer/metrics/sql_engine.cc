#include "pioneer/metrics/sql_engine.h"

#include <algorithm>

#include <fmt/format.h>

namespace pioneer::metrics {
namespace {

std::string Quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\'') out += '\'';
    out += c;
  }
  return out + "'";
}

std::string TextField(const std::string& alias, const std::string& f) {
  return fmt::format("coalesce(CAST({}.\"{}\" AS TEXT), '')", alias, f);
}

std::string AgeSql(const std::string& a, const std::string& f) {
  // 7001-7007 (infants) -> 0; NULL stays NULL; negative -> 0.
  return fmt::format(
      "(CASE WHEN {0}.\"{1}\" IS NULL THEN NULL WHEN {0}.\"{1}\" BETWEEN 7001 AND 7007 THEN 0 "
      "WHEN {0}.\"{1}\" < 0 THEN 0 ELSE CAST({0}.\"{1}\" AS INTEGER) END)",
      a, f);
}

std::string GroupSql(Breakdown b, const MetricDefinition& def) {
  switch (b) {
    case Breakdown::kNone:
      return "'all'";
    case Breakdown::kSex:
      return fmt::format("(CASE {} WHEN '1' THEN 'male' WHEN '2' THEN 'female' ELSE 'unknown' END)",
                         TextField("a", def.sex_field));
    case Breakdown::kAgeBand: {
      std::string age = AgeSql("a", def.age_field);
      std::string s = fmt::format("(CASE WHEN {} IS NULL THEN 'unknown'", age);
      for (const auto& [lo, hi] : AgeBands()) {
        s += fmt::format(" WHEN {} BETWEEN {} AND {} THEN '{}'", age, lo, hi, AgeBandLabel(lo));
      }
      return s + " ELSE 'unknown' END)";
    }
    case Breakdown::kPractice:
      return fmt::format("(CASE {0} WHEN '' THEN 'unknown' ELSE {0} END)",
                         TextField("a", "gp_practice_code"));
    case Breakdown::kCcg:
      return "coalesce((SELECT o.parent_code FROM organisations o WHERE o.ods_code = "
             "a.gp_practice_code AND o.organisation_type = 'gp_practice' AND o.parent_code IS "
             "NOT NULL AND o.parent_code <> '' ORDER BY o.rowid DESC LIMIT 1), 'unallocated')";
    case Breakdown::kDeprivation:
      return "coalesce((SELECT CAST(l.imd_decile AS TEXT) FROM lsoa l WHERE l.lsoa_code = "
             "a.lsoa_code ORDER BY l.rowid DESC LIMIT 1), 'unallocated')";
  }
  return "'all'";
}

std::string EspBandSql(const MetricDefinition& def) {
  std::string age = AgeSql("a", def.age_field);
  return fmt::format("(CASE WHEN {0} IS NULL THEN -1 WHEN {0} >= 90 THEN 18 ELSE {0} / 5 END)",
                     age);
}

std::string SexCellSql(const MetricDefinition& def) {
  return fmt::format("(CASE {} WHEN '1' THEN 1 WHEN '2' THEN 2 ELSE 0 END)",
                     TextField("a", def.sex_field));
}

std::string BaseWhere(const MetricDefinition& def, const Expr& predicate) {
  return fmt::format("a.nhs_number_status = 'valid' AND a.\"{}\" IS NOT NULL AND ({})",
                     def.period_field, RenderPredicateSql(predicate, "a"));
}

}  // namespace

std::string RenderPredicateSql(const Expr& e, const std::string& a) {
  switch (e.kind) {
    case Expr::Kind::kTrue:
      return "1";
    case Expr::Kind::kIn: {
      if (e.values.empty()) return "0";
      std::string list;
      for (size_t i = 0; i < e.values.size(); ++i) list += (i ? ", " : "") + Quote(e.values[i]);
      return fmt::format("{} IN ({})", TextField(a, e.fields[0]), list);
    }
    case Expr::Kind::kPrefix: {
      std::string s;
      for (const auto& f : e.fields) {
        for (const auto& p : e.values) {
          if (p.empty()) continue;
          if (!s.empty()) s += " OR ";
          s += fmt::format("substr({}, 1, {}) = {}", TextField(a, f), p.size(), Quote(p));
        }
      }
      return s.empty() ? "0" : "(" + s + ")";
    }
    case Expr::Kind::kIntRange:
      return fmt::format("({0}.\"{1}\" IS NOT NULL AND {0}.\"{1}\" BETWEEN {2} AND {3})", a,
                         e.fields[0], e.lo, e.hi);
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr: {
      if (e.children.empty()) return e.kind == Expr::Kind::kAnd ? "1" : "0";
      std::string s;
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i) s += e.kind == Expr::Kind::kAnd ? " AND " : " OR ";
        s += "(" + RenderPredicateSql(e.children[i], a) + ")";
      }
      return s;
    }
    case Expr::Kind::kNot:
      return "NOT (" + RenderPredicateSql(e.children[0], a) + ")";
  }
  return "0";
}

std::string SqlEngine::CountSql(const MetricDefinition& def, const Expr& predicate,
                                const CountRequest& request) {
  std::string periods;
  for (size_t i = 0; i < request.periods.size(); ++i) {
    periods += fmt::format("{}({}, '{}', '{}')", i ? ", " : "", i,
                           request.periods[i].period.start.ToIso(),
                           request.periods[i].period.end_exclusive.ToIso());
  }
  return fmt::format(
      "WITH periods(idx, first_day, end_day) AS (VALUES {}) "
      "SELECT p.idx, {} AS grp, {} AS band, {} AS sex_cell, count(*) "
      "FROM \"{}\" a JOIN periods p ON a.\"{}\" >= p.first_day AND a.\"{}\" < p.end_day "
      "WHERE {} GROUP BY 1, 2, 3, 4",
      periods, GroupSql(request.breakdown, def), EspBandSql(def), SexCellSql(def), def.source,
      def.period_field, def.period_field, BaseWhere(def, predicate));
}

StatusOr<Counts> SqlEngine::Count(const MetricDefinition& def, const Expr& predicate,
                                  const CountRequest& request) {
  Counts counts;
  if (request.periods.empty() || !store_.HasTable(def.source)) return counts;
  Status st = store_.Query(CountSql(def, predicate, request), {}, [&](const store::RowView& r) {
    CellKey k;
    k.period = static_cast<int>(r.Int(0));
    k.group = std::string(r.Text(1));
    k.esp_band = static_cast<int>(r.Int(2));
    k.sex = static_cast<int>(r.Int(3));
    counts[k] += r.Int(4);
  });
  if (!st.ok()) return st;
  return counts;
}

StatusOr<std::vector<int64_t>> SqlEngine::NumeratorRows(const MetricDefinition& def,
                                                        const Expr& predicate,
                                                        const LabelledPeriod& period,
                                                        Breakdown breakdown,
                                                        const std::string& group) {
  std::vector<int64_t> rows;
  if (!store_.HasTable(def.source)) return rows;
  std::string sql = fmt::format(
      "SELECT a.rowid FROM \"{}\" a WHERE {} AND a.\"{}\" >= ?1 AND a.\"{}\" < ?2{} "
      "ORDER BY a.rowid",
      def.source, BaseWhere(def, predicate), def.period_field, def.period_field,
      group.empty() ? "" : " AND " + GroupSql(breakdown, def) + " = ?3");
  std::vector<store::Param> params = {store::Param::Of(period.period.start.ToIso()),
                                      store::Param::Of(period.period.end_exclusive.ToIso())};
  if (!group.empty()) params.push_back(store::Param::Of(group));
  Status st = store_.Query(sql, params, [&](const store::RowView& r) { rows.push_back(r.Int(0)); });
  if (!st.ok()) return st;
  return rows;
}

}  // namespace pioneer::metrics
