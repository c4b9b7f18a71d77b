#include "pioneer/metrics/sql_engine.h"

#include <fmt/format.h>

#include <algorithm>
#include <functional>
#include <set>

#include "pioneer/formats/extract_schema.h"
#include "pioneer/metrics/duplicate_rows.h"
#include "pioneer/metrics/sql_render.h"
#include "pioneer/store/master_index.h"
#include "pioneer/store/record_links.h"

namespace pioneer::metrics {
namespace sql_internal {

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

std::string DateCol(const std::string& alias, const std::string& f) {
  return fmt::format("NULLIF(CAST({}.\"{}\" AS TEXT), '')", alias, f);
}

std::string AgeYearsSql(const store::SqlDialect& sd, const std::string& birth,
                        const std::string& at) {
  return fmt::format(
      "(CASE WHEN {0} IS NULL OR {1} IS NULL THEN NULL ELSE {2} END)", birth, at,
      sd.Greatest("0",
                  fmt::format("({} - {}) - (CASE WHEN {} < {} THEN 1 ELSE 0 END)", sd.YearOf(at),
                              sd.YearOf(birth), sd.MonthDayOf(at), sd.MonthDayOf(birth))));
}

}  // namespace sql_internal

namespace {

using HasTable = std::function<bool(const std::string&)>;

using sql_internal::AgeYearsSql;
using sql_internal::DateCol;
using sql_internal::Quote;
using sql_internal::TextField;
using store::SqlDialect;

std::string Col(const std::string& alias, const std::string& f) {
  return fmt::format("{}.\"{}\"", alias, f);
}

struct RenderCtx {
  const SqlDialect& sd;
  HasTable has_table;
  int depth = 0;
  std::set<std::string>* tables = nullptr;  // source views the statement needs
  std::string source;  // table of the record alias being rendered ("" = unknown)
  bool top = true;     // rendering the counted record itself (the periods alias p is in scope)
};

bool UsesPerson(const Expr& e) {
  if (e.kind == Expr::Kind::kPersonDate) return true;
  for (const auto& c : e.children) {
    if (UsesPerson(c)) return true;
  }
  return false;
}

// Each source is read through a view adding _rid (the rowid) and _pkey: the NHS Number of the
// person the record is placed on, exactly as the timeline places it - the traced number of a
// usable `pioneer link` decision (record_links: automatic or accepted), else the record's own
// number when valid, else NULL (not placed).
std::string SourceView(const SqlDialect& sd, const std::string& table, bool has_links) {
  std::string own = "CASE WHEN t.nhs_number_status = 'valid' THEN t.nhs_number END";
  std::string key = has_links
                        ? fmt::format(
                              "coalesce((SELECT l.traced_nhs_number FROM record_links l WHERE "
                              "l.source_table = {} AND l.row_id = {} AND {} LIMIT 1), {})",
                              Quote(table), sd.RowId("t"), store::UsableLinkSql("l"), own)
                        : own;
  // MATERIALIZED: the person key becomes a column the planner can index for the joins of
  // decorrelated relations (SQLite builds an automatic index; it cannot index an expression).
  return fmt::format(
      "\"v_{0}\" AS MATERIALIZED (SELECT t.*, {2} AS _rid, {1} AS _pkey FROM \"{0}\" t)", table,
      key, sd.RowId("t"));
}

// PDS current rows, one per valid NHS Number (the first by row id), as the timeline reads them.
std::string PersonRows(const SqlDialect& sd) {
  return "SELECT nhs_number, sex, birth_date, death_date, lsoa_code, gp_practice_code FROM "
         "(SELECT nhs_number, sex, birth_date, death_date, lsoa_code, gp_practice_code, "
         "row_number() OVER (PARTITION BY nhs_number ORDER BY " +
         sd.RowId(std::string(formats::kMasterIndexTable)) + ") AS rn FROM " +
         std::string(formats::kMasterIndexTable) + " WHERE " + store::CurrentPersonRowSql("") +
         ") q WHERE rn = 1";
}

std::string Anchor(const Relation& r, const std::string& a) {
  if (r.anchor == kPeriodEnd) return "p.last_day";
  if (r.anchor == kPeriodStart) return "p.first_day";
  return DateCol(a, r.anchor);
}

std::string WindowSql(const SqlDialect& sd, const std::string& v, const std::string& anchor,
                      const Relation& r) {
  std::string s = fmt::format("{} IS NOT NULL AND {} IS NOT NULL", v, anchor);
  if (r.lo > -kUnbounded) s += fmt::format(" AND {} >= {}", v, sd.ShiftDays(anchor, r.lo));
  if (r.hi < kUnbounded) s += fmt::format(" AND {} <= {}", v, sd.ShiftDays(anchor, r.hi));
  return s;
}

std::string Render(const Expr& e, const std::string& a, const RenderCtx& ctx) {
  switch (e.kind) {
    case Expr::Kind::kTrue:
      return ctx.sd.True();
    case Expr::Kind::kIn: {
      if (e.values.empty()) return ctx.sd.False();
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
      return s.empty() ? std::string(ctx.sd.False()) : "(" + s + ")";
    }
    case Expr::Kind::kContains: {
      std::string s;
      for (const auto& part : e.values) {
        if (part.empty()) continue;
        if (!s.empty()) s += " OR ";
        s += fmt::format("{}({}, {}) > 0", ctx.sd.FindFunction(), TextField(a, e.fields[0]),
                         Quote(part));
      }
      return s.empty() ? std::string(ctx.sd.False()) : "(" + s + ")";
    }
    case Expr::Kind::kIntRange:
      return fmt::format(
          "({0}.\"{1}\" IS NOT NULL AND CAST({0}.\"{1}\" AS INTEGER) BETWEEN {2} AND {3})", a,
          e.fields[0], e.lo, e.hi);
    case Expr::Kind::kPresent:
      return fmt::format("({} <> '')", TextField(a, e.fields[0]));
    case Expr::Kind::kDaysBetween: {
      std::string from = DateCol(a, e.fields[0]), to = DateCol(a, e.fields[1]);
      std::string diff = ctx.sd.DaysFromTo(from, to);
      std::string s =
          fmt::format("{} IS NOT NULL AND {} IS NOT NULL AND {} >= {}", from, to, diff, e.lo);
      if (e.hi < kUnbounded) s += fmt::format(" AND {} <= {}", diff, e.hi);
      return "coalesce((" + s + "), " + ctx.sd.False() + ")";
    }
    case Expr::Kind::kAnd:
    case Expr::Kind::kOr: {
      if (e.children.empty()) return e.kind == Expr::Kind::kAnd ? ctx.sd.True() : ctx.sd.False();
      std::string s;
      for (size_t i = 0; i < e.children.size(); ++i) {
        if (i) s += e.kind == Expr::Kind::kAnd ? " AND " : " OR ";
        s += "(" + Render(e.children[i], a, ctx) + ")";
      }
      return s;
    }
    case Expr::Kind::kNot:
      return "NOT (" + Render(e.children[0], a, ctx) + ")";
    case Expr::Kind::kPersonDate: {
      std::string v = fmt::format("NULLIF(CAST(ps.\"{}\" AS TEXT), '')", e.relation.date_field);
      return "coalesce((" + WindowSql(ctx.sd, v, Anchor(e.relation, a), e.relation) + "), " +
             ctx.sd.False() + ")";
    }
    case Expr::Kind::kExists: {
      const Relation& r = e.relation;
      if (!ctx.has_table(r.source)) return ctx.sd.False();
      RenderCtx sub = ctx;
      sub.depth = ctx.depth + 1;
      sub.source = r.source;
      sub.top = false;
      if (ctx.tables) ctx.tables->insert(r.source);
      std::string ra = fmt::format("r{}", sub.depth);
      // Decorrelated form (a semi-join computed once): the rowids of the records of this
      // source (alias x) that have a related record, as one join on the person key; a relation
      // anchored on the period joins the periods too and matches (rowid, period). SQLite and
      // PostgreSQL run this as a join instead of re-scanning the related table per record
      // (a correlated EXISTS under OR cannot be turned into a semi-join by either).
      const bool period_anchor = r.anchor == kPeriodEnd || r.anchor == kPeriodStart;
      const bool decorrelate =
          !ctx.source.empty() && !UsesPerson(e.children[0]) && (!period_anchor || ctx.top);
      const std::string xa = fmt::format("x{}", sub.depth), qa = fmt::format("q{}", sub.depth);
      const std::string self = decorrelate ? xa : a;
      std::string v = DateCol(ra, r.date_field);
      std::string anchor = Anchor(r, self);
      if (decorrelate && period_anchor) {
        anchor = qa + (r.anchor == kPeriodEnd ? ".last_day" : ".first_day");
      }
      std::string rel;
      switch (r.kind) {
        case Relation::Kind::kStartsWithin:
          rel = WindowSql(ctx.sd, v, anchor, r);
          break;
        case Relation::Kind::kOpenOn: {
          std::string day = ctx.sd.ShiftDays(anchor, r.lo);
          std::string end = DateCol(ra, r.end_field);
          rel = fmt::format(
              "{0} IS NOT NULL AND {1} IS NOT NULL AND {0} <= {1} AND ({2} IS NULL "
              "OR {2} > {1})",
              v, day, end);
          break;
        }
        case Relation::Kind::kBefore:
          rel = fmt::format(
              "{0} IS NOT NULL AND {1} IS NOT NULL AND ({0} < {1} OR ({0} = {1} "
              "AND {2}._rid < {3}._rid))",
              v, anchor, ra, self);
          break;
      }
      if (decorrelate && period_anchor) {
        return fmt::format(
            "({0}._rid, p.idx) IN (SELECT {1}._rid, {2}.idx FROM cand {1} JOIN periods {2} "
            "ON {5} JOIN \"v_{4}\" {6} ON {6}._pkey = {1}._pkey WHERE ({7}) AND ({8}))",
            a, xa, qa, ctx.source, r.source, ctx.sd.True(), ra, rel,
            Render(e.children[0], ra, sub));
      }
      if (decorrelate) {
        return fmt::format(
            "{0}._rid IN (SELECT {1}._rid FROM \"v_{2}\" {1} JOIN \"v_{3}\" {4} ON {4}._pkey = "
            "{1}._pkey WHERE ({5}) AND ({6}))",
            a, xa, ctx.source, r.source, ra, rel, Render(e.children[0], ra, sub));
      }
      return fmt::format(
          "EXISTS (SELECT 1 FROM \"v_{0}\" {1} WHERE {1}._pkey = {2}._pkey AND ({3}) AND ({4}))",
          r.source, ra, a, rel, Render(e.children[0], ra, sub));
    }
  }
  return ctx.sd.False();
}

std::string FieldOrPerson(const std::string& f, const std::string& person_col) {
  if (f == kPersonField) return fmt::format("coalesce(CAST(ps.\"{}\" AS TEXT), '')", person_col);
  return TextField("a", f);
}

// The practice of a record's person on its period date (kPracticeAtEvent): the registration
// placed on the same person, open that day, with the latest start (then the highest row id);
// else the PDS current practice.
std::string PracticeSql(const MetricDefinition& d, const HasTable& has) {
  if (d.practice_field != kPracticeAtEvent)
    return FieldOrPerson(d.practice_field, "gp_practice_code");
  std::string person = FieldOrPerson(kPersonField, "gp_practice_code");
  if (!has("gp_registrations")) return person;
  std::string day = d.period_mode == PeriodMode::kAsAtPeriodEnd ? std::string("p.last_day")
                                                                : DateCol("a", d.period_field);
  return fmt::format(
      "coalesce((SELECT {0} FROM \"v_gp_registrations\" g WHERE g._pkey = a._pkey AND {1} IS "
      "NOT NULL AND {1} <= {2} AND ({3} IS NULL OR {3} >= {2}) ORDER BY {1} DESC, g._rid DESC "
      "LIMIT 1), {4})",
      TextField("g", "gp_practice_code"), DateCol("g", "registration_start_date"), day,
      DateCol("g", "registration_end_date"), person);
}

std::string AgeSql(const SqlDialect& sd, const MetricDefinition& d) {
  std::string birth = d.birth_field == kPersonField ? "NULLIF(CAST(ps.birth_date AS TEXT), '')"
                                                    : DateCol("a", d.birth_field);
  switch (d.age_rule) {
    case AgeRule::kField:
      // 7001-7007 (infants) -> 0; NULL stays NULL; negative -> 0.
      return fmt::format(
          "(CASE WHEN {0} IS NULL THEN NULL WHEN {0} BETWEEN 7001 AND 7007 THEN 0 "
          "WHEN {0} < 0 THEN 0 ELSE {0} END)",
          "CAST(" + Col("a", d.age_field) + " AS INTEGER)");
    case AgeRule::kAtDateField:
      return AgeYearsSql(sd, birth, DateCol("a", d.age_date_field));
    case AgeRule::kAtFinancialYearEnd: {
      std::string pd = DateCol("a", d.period_field);
      return AgeYearsSql(sd, birth,
                         fmt::format("(CAST({} + (CASE WHEN {} >= 4 THEN 1 ELSE 0 END) AS TEXT) || "
                                     "'-03-31')",
                                     sd.YearOf(pd), sd.MonthOf(pd)));
    }
    case AgeRule::kAtPeriodEnd:
      return AgeYearsSql(sd, birth, "p.last_day");
  }
  return "NULL";
}

std::string SexSql(const MetricDefinition& d) {
  return fmt::format("(CASE {} WHEN '1' THEN 1 WHEN '2' THEN 2 ELSE 0 END)",
                     FieldOrPerson(d.sex_field, "sex"));
}

std::string GroupSql(const SqlDialect& sd, Breakdown b, const MetricDefinition& d,
                     const HasTable& has) {
  if (d.profile == Profile::kProviderWeekday) {
    return fmt::format(
        "({} || '|' || (CASE {} WHEN 1 THEN 'Mon' WHEN 2 THEN 'Tue' WHEN 3 THEN 'Wed' WHEN 4 "
        "THEN 'Thu' WHEN 5 THEN 'Fri' WHEN 6 THEN 'Sat' ELSE 'Sun' END))",
        d.provider_field.empty() ? std::string("'all'") : TextField("a", d.provider_field),
        sd.WeekdayOf(DateCol("a", d.period_field)));
  }
  std::string practice = PracticeSql(d, has);
  std::string lsoa = FieldOrPerson(d.lsoa_field, "lsoa_code");
  switch (b) {
    case Breakdown::kNone:
      return "'all'";
    case Breakdown::kSex:
      return fmt::format("(CASE {} WHEN 1 THEN 'male' WHEN 2 THEN 'female' ELSE 'unknown' END)",
                         SexSql(d));
    case Breakdown::kAgeBand: {
      std::string age = AgeSql(sd, d);
      std::string s = fmt::format("(CASE WHEN {} IS NULL THEN 'unknown'", age);
      for (const auto& [lo, hi] : AgeBands()) {
        s += fmt::format(" WHEN {} BETWEEN {} AND {} THEN '{}'", age, lo, hi, AgeBandLabel(lo));
      }
      return s + " ELSE 'unknown' END)";
    }
    case Breakdown::kPractice:
      return fmt::format("(CASE {0} WHEN '' THEN 'unknown' ELSE {0} END)", practice);
    case Breakdown::kCcg:
      if (!has("organisations")) return "'unallocated'";
      return fmt::format(
          "coalesce((SELECT o.parent_code FROM organisations o WHERE o.ods_code = {} AND "
          "o.organisation_type = 'gp_practice' AND o.parent_code IS NOT NULL AND o.parent_code "
          "<> '' ORDER BY {} DESC LIMIT 1), 'unallocated')",
          practice, sd.RowId("o"));
    case Breakdown::kDeprivation:
      if (!has("lsoa")) return "'unallocated'";
      return fmt::format(
          "coalesce((SELECT CAST(l.imd_decile AS TEXT) FROM lsoa l WHERE l.lsoa_code = {} ORDER "
          "BY {} DESC LIMIT 1), 'unallocated')",
          lsoa, sd.RowId("l"));
    case Breakdown::kHwb:
      if (!has("lsoa")) return "'unallocated'";
      return fmt::format(
          "coalesce((SELECT CAST(l.la_code AS TEXT) FROM lsoa l WHERE l.lsoa_code = {} ORDER BY "
          "{} DESC LIMIT 1), 'unallocated')",
          lsoa, sd.RowId("l"));
  }
  return "'all'";
}

std::string MembershipSql(const SqlDialect& sd, const MetricDefinition& d) {
  std::string pf = DateCol("a", d.period_field);
  switch (d.period_mode) {
    case PeriodMode::kDateInPeriod:
      return fmt::format("{0} >= p.first_day AND {0} < p.end_day", pf);
    case PeriodMode::kOverlapsPeriod: {
      std::string pe = DateCol("a", d.period_end_field);
      return fmt::format("{0} < p.end_day AND ({1} IS NULL OR {2} > p.first_day)", pf, pe,
                         sd.Greatest(pe, sd.ShiftDays(pf, 1)));
    }
    case PeriodMode::kAsAtPeriodEnd:
      return fmt::format("{} < p.end_day", pf);
  }
  return sd.False();
}

std::string ValueSql(const SqlDialect& sd, const MetricDefinition& d) {
  std::string pf = DateCol("a", d.period_field);
  switch (d.measure) {
    case Measure::kRecords:
    case Measure::kPersons:
      return "1";
    case Measure::kDaysInPeriod: {
      std::string pe = DateCol("a", d.period_end_field);
      return sd.Greatest(
          "0", sd.DaysFromTo(sd.Greatest(pf, "p.first_day"),
                             fmt::format("(CASE WHEN {} IS NULL THEN p.end_day ELSE {} END)", pe,
                                         sd.Least(pe, "p.end_day"))));
    }
    case Measure::kDaysBetween:
      return sd.Greatest("0", sd.DaysFromTo(DateCol("a", d.value_from_field), pf));
  }
  return "1";
}

// Exact duplicate rows (duplicate_rows.h, the quality report's definition): only the first
// copy (lowest rowid) of rows equal in every extract field is counted. A count of distinct
// persons cannot change, so persons-measured definitions skip the grouping.
std::string DistinctRowsSql(const SqlDialect& sd, const MetricDefinition& d) {
  if (d.measure == Measure::kPersons) return "";
  std::vector<std::string> fields = DuplicateKeyFields(d.source);
  if (fields.empty()) return "";
  std::string keys;
  for (size_t i = 0; i < fields.size(); ++i) {
    keys += (i ? ", " : "") + TextField("u", fields[i]);
  }
  return fmt::format(" AND a._rid IN (SELECT min({}) FROM \"{}\" u GROUP BY {})", sd.RowId("u"),
                     d.source, keys);
}

// One row per (record, period) measured: pidx, rid, grp, band, sex_cell, val.
std::string RowsSql(const SqlDialect& sd, const MetricDefinition& d, const Expr& predicate,
                    const std::vector<LabelledPeriod>& periods, Breakdown b, const HasTable& has) {
  std::string values;
  for (size_t i = 0; i < periods.size(); ++i) {
    values +=
        fmt::format("{}({}, '{}', '{}', '{}')", i ? ", " : "", i, periods[i].period.start.ToIso(),
                    periods[i].period.end_exclusive.ToIso(), periods[i].period.last_day().ToIso());
  }
  // The person table (PDS current rows, one per number) is built only for definitions that
  // read it: a definition that reads only the record never joins a person's fields.
  std::string person =
      has(std::string(formats::kMasterIndexTable)) && !ReadsOnlyTheRecord(d, predicate)
          ? PersonRows(sd)
          : std::string(
                "SELECT NULL AS nhs_number, NULL AS sex, NULL AS birth_date, NULL AS "
                "death_date, NULL AS lsoa_code, NULL AS gp_practice_code WHERE ") +
                sd.False();
  // Placed records only, unless the definition counts unplaced ones by the record's own fields.
  std::string where =
      fmt::format("{}{} IS NOT NULL", d.count_unplaced ? "" : "a._pkey IS NOT NULL AND ",
                  DateCol("a", d.period_field));
  if (!d.months.empty()) {
    std::string m;
    for (size_t i = 0; i < d.months.size(); ++i)
      m += fmt::format("{}{}", i ? ", " : "", d.months[i]);
    where += fmt::format(" AND {} IN ({})", sd.MonthOf(DateCol("a", d.period_field)), m);
  }
  if (d.measure == Measure::kDaysBetween) {
    where += fmt::format(" AND {} IS NOT NULL", DateCol("a", d.value_from_field));
  }
  if (d.exclude_objections && has("ig_objections")) {
    where += " AND (a._pkey IS NULL OR a._pkey NOT IN (SELECT o.nhs_number FROM ig_objections o))";
  }
  where += DistinctRowsSql(sd, d);
  std::set<std::string> tables = {d.source};
  if (d.practice_field == kPracticeAtEvent && has("gp_registrations") &&
      (b == Breakdown::kPractice || b == Breakdown::kCcg)) {
    tables.insert("gp_registrations");
  }
  RenderCtx ctx{sd, has, 0, &tables, d.source, true};
  // Records are filtered once (materialised, `cand`) before the join with the periods by
  // every top-level condition that does not read the period; the conditions that do
  // (relations anchored on the period's first/last day) are tested per (record, period).
  auto reads_period = [](const std::string& sql) {
    return sql.find("p.last_day") != std::string::npos ||
           sql.find("p.first_day") != std::string::npos || sql.find("p.idx") != std::string::npos;
  };
  std::vector<const Expr*> terms;
  if (predicate.kind == Expr::Kind::kAnd) {
    for (const auto& c : predicate.children) terms.push_back(&c);
  } else {
    terms.push_back(&predicate);
  }
  std::string fixed_pred, period_pred;
  for (const Expr* t : terms) {
    std::string sql = "(" + Render(*t, "a", ctx) + ")";
    std::string& into = reads_period(sql) ? period_pred : fixed_pred;
    into += (into.empty() ? "" : " AND ") + sql;
  }
  const bool period_dependent = !period_pred.empty();
  std::string cand = fmt::format(
      "SELECT a.* FROM \"v_{}\" a LEFT JOIN person ps ON ps.nhs_number = a._pkey WHERE {}{}",
      d.source, where, fixed_pred.empty() ? "" : " AND " + fixed_pred);
  std::string age = AgeSql(sd, d);
  std::string base = fmt::format(
      "SELECT p.idx AS pidx, a._rid AS rid, a._pkey AS person, {} AS pdate, {} AS age, "
      "{} AS sex_cell, {} AS grp, {} AS val FROM cand a JOIN periods p ON {} LEFT JOIN "
      "person ps ON ps.nhs_number = a._pkey{}",
      DateCol("a", d.period_field), age, SexSql(d), GroupSql(sd, b, d, has), ValueSql(sd, d),
      MembershipSql(sd, d), period_dependent ? " WHERE " + period_pred : "");
  std::string filtered = "SELECT * FROM base";
  if (d.age_lo >= 0) {
    filtered += fmt::format(" WHERE age IS NOT NULL AND age BETWEEN {} AND {}", d.age_lo, d.age_hi);
  }
  std::string chosen = "SELECT * FROM filtered";
  if (d.measure == Measure::kPersons) {
    chosen =
        "SELECT * FROM (SELECT *, row_number() OVER (PARTITION BY person, pidx ORDER BY "
        "pdate, rid) AS rn FROM filtered) q WHERE rn = 1";
  }
  std::string views;
  for (const auto& t : tables) views += SourceView(sd, t, has("record_links")) + ", ";
  return fmt::format(
      "WITH periods(idx, first_day, end_day, last_day) AS (VALUES {}), {}person AS MATERIALIZED "
      "({}), cand AS MATERIALIZED ({}), base AS ({}), filtered AS ({}), chosen AS ({}) SELECT "
      "pidx, rid, grp, (CASE WHEN age IS NULL THEN -1 WHEN age >= 90 THEN 18 ELSE {} END) "
      "AS band, sex_cell, val FROM chosen",
      values, views, person, cand, base, filtered, chosen, sd.IntDiv("age", 5));
}

}  // namespace

namespace sql_internal {

std::string RenderRecordPredicate(const SqlDialect& dialect, const Expr& e,
                                  const std::string& alias, const std::string& source,
                                  const HasTable& has_table, std::set<std::string>* tables,
                                  bool top) {
  RenderCtx ctx{dialect, has_table, 0, tables, source, top};
  return Render(e, alias, ctx);
}

std::string SourceViewCte(const SqlDialect& dialect, const std::string& table, bool has_links) {
  return SourceView(dialect, table, has_links);
}

std::string PersonRowsSql(const SqlDialect& dialect) { return PersonRows(dialect); }

}  // namespace sql_internal

std::string RenderPredicateSql(const Expr& e, const std::string& a) {
  return RenderPredicateSql(e, a, SqlDialect::Sqlite());
}

std::string RenderPredicateSql(const Expr& e, const std::string& a, const SqlDialect& dialect) {
  RenderCtx ctx{dialect, [](const std::string&) { return true; }, 0};
  return Render(e, a, ctx);
}

std::string RenderCountSql(const MetricDefinition& def, const Expr& predicate,
                           const CountRequest& request, const SqlDialect& dialect,
                           const std::function<bool(const std::string&)>& has_table) {
  return fmt::format(
      "SELECT pidx, grp, band, sex_cell, sum(val) FROM ({}) q GROUP BY 1, 2, 3, 4",
      RowsSql(dialect, def, predicate, request.periods, request.breakdown, has_table));
}

std::string SqlEngine::CountSql(const MetricDefinition& def, const Expr& predicate,
                                const CountRequest& request) {
  return RenderCountSql(def, predicate, request, SqlDialect::Sqlite(),
                        [](const std::string&) { return true; });
}

StatusOr<Counts> SqlEngine::Count(const MetricDefinition& def, const Expr& predicate,
                                  const CountRequest& request) {
  Counts counts;
  if (request.periods.empty() || !store_.HasTable(def.source)) return counts;
  HasTable has = [this](const std::string& t) { return store_.HasTable(t); };
  std::string sql = RenderCountSql(def, predicate, request, store_.dialect(), has);
  Status st = store_.Query(sql, {}, [&](const store::RowView& r) {
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
  HasTable has = [this](const std::string& t) { return store_.HasTable(t); };
  std::string sql = fmt::format("SELECT rid FROM ({}) q{} ORDER BY rid",
                                RowsSql(store_.dialect(), def, predicate, {period}, breakdown, has),
                                group.empty() ? "" : " WHERE grp = ?1");
  std::vector<store::Param> params;
  if (!group.empty()) params.push_back(store::Param::Of(group));
  Status st = store_.Query(sql, params, [&](const store::RowView& r) { rows.push_back(r.Int(0)); });
  if (!st.ok()) return st;
  return rows;
}

}  // namespace pioneer::metrics
