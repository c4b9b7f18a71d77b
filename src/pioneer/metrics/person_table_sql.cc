// SqlEngine::BuildPersonTable: a person-table spec (person_table.h) rendered to one SQLite
// statement over the store, reading records through the same source views and predicate
// rendering as the counting SQL (sql_render.h), independently of the timeline.
#include <fmt/format.h>

#include <set>

#include "pioneer/formats/derived_tables.h"
#include "pioneer/metrics/duplicate_rows.h"
#include "pioneer/metrics/sql_engine.h"
#include "pioneer/metrics/sql_render.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::metrics {
namespace {

using HasTable = std::function<bool(const std::string&)>;

using sql_internal::DateCol;
using sql_internal::Quote;
using sql_internal::TextField;

std::string Iso(int64_t day) {
  return Quote(Date::FromDaysSinceEpoch(static_cast<int32_t>(day)).ToIso());
}

// The store field a source's timeline events start on (rows without it are not on the
// timeline), or "" for a table that is not a timeline source.
std::string EventStart(const std::string& table) {
  const formats::ExtractSpec* spec = formats::FindSourceTable(table);
  return spec ? std::string(spec->event.start) : std::string();
}

// Exact duplicate rows (duplicate_rows.h): only the first copy (lowest row id) is read.
std::string DistinctRows(const store::SqlDialect& sd, const std::string& table) {
  std::vector<std::string> fields = DuplicateKeyFields(table);
  if (fields.empty()) return "";
  std::string keys;
  for (size_t i = 0; i < fields.size(); ++i) keys += (i ? ", " : "") + TextField("u", fields[i]);
  return fmt::format(" AND a._rid IN (SELECT min({}) FROM \"{}\" u GROUP BY {})", sd.RowId("u"),
                     table, keys);
}

// True when `e` reads a PDS date (kPersonDate): its rendering joins the person rows as `ps`.
// Joined only then: the join costs a lookup per record.
bool UsesPerson(const Expr& e) {
  if (e.kind == Expr::Kind::kPersonDate) return true;
  for (const auto& c : e.children) {
    if (UsesPerson(c)) return true;
  }
  return false;
}

// The aggregate of one record column over the matching rows `a` of its source.
std::string Aggregate(const store::SqlDialect& sd, const ColumnSpec& c, int32_t day) {
  const std::string value = c.value_field.empty() ? c.date_field : c.value_field;
  const std::string integer = fmt::format("(CASE WHEN {} <> '' THEN CAST(a.\"{}\" AS INTEGER) END)",
                                          TextField("a", value), value);
  switch (c.kind) {
    case ColumnKind::kExists:
    case ColumnKind::kCount:
      return "count(*)";
    case ColumnKind::kFirstDate:
      return "min(" + DateCol("a", value) + ")";
    case ColumnKind::kLastDate:
      return "max(" + DateCol("a", value) + ")";
    case ColumnKind::kMinInt:
      return "min(" + integer + ")";
    case ColumnKind::kMaxInt:
      return "max(" + integer + ")";
    case ColumnKind::kSumInt:
      return "coalesce(sum(" + integer + "), 0)";
    case ColumnKind::kSumDays: {
      const std::string from = DateCol("a", c.value_field), to = DateCol("a", c.end_field);
      const bool open_window = c.hi >= kUnbounded;
      const std::string end = open_window ? "" : Iso(static_cast<int64_t>(day) + c.hi + 1);
      const std::string stop =
          open_window ? to : sd.Least(fmt::format("coalesce({}, {})", to, end), end);
      return fmt::format("coalesce(sum(CASE WHEN {} IS NULL OR {} IS NULL THEN 0 ELSE {} END), 0)",
                         from, stop, sd.Greatest("0", sd.DaysFromTo(from, stop)));
    }
    default:
      return "NULL";
  }
}

}  // namespace

namespace {

// The WHERE clause of a record column's CTE: the person's placed records of c.source whose
// date lies in the window around `day` (or, with open_end_field, that are open during it) and
// satisfy c.where; `tables` gains the tables the predicate reads.
std::string RecordColumnWhere(const store::SqlDialect& sd, const ColumnSpec& c, int32_t day,
                              bool distinct_rows, const HasTable& has,
                              std::set<std::string>* tables) {
  const std::string date = DateCol("a", c.date_field);
  std::string where = fmt::format("a._pkey IS NOT NULL AND {} IS NOT NULL", date);
  if (!EventStart(c.source).empty()) {
    where += fmt::format(" AND {} IS NOT NULL", DateCol("a", EventStart(c.source)));
  }
  if (c.open_end_field.empty()) {
    if (c.lo > -kUnbounded) where += fmt::format(" AND {} >= {}", date, Iso(int64_t{day} + c.lo));
    if (c.hi < kUnbounded) where += fmt::format(" AND {} <= {}", date, Iso(int64_t{day} + c.hi));
  } else {  // open at some point in the window
    if (c.hi < kUnbounded) where += fmt::format(" AND {} <= {}", date, Iso(int64_t{day} + c.hi));
    if (c.lo > -kUnbounded) {
      const std::string end = DateCol("a", c.open_end_field);
      where += fmt::format(" AND ({0} IS NULL OR {0} > {1})", end, Iso(int64_t{day} + c.lo));
    }
  }
  for (const FieldWindow& w : c.also) {
    const std::string d = DateCol("a", w.field);
    where += fmt::format(" AND {} IS NOT NULL", d);
    if (w.lo > -kUnbounded) where += fmt::format(" AND {} >= {}", d, Iso(int64_t{day} + w.lo));
    if (w.hi < kUnbounded) where += fmt::format(" AND {} <= {}", d, Iso(int64_t{day} + w.hi));
  }
  where +=
      " AND (" + sql_internal::RenderRecordPredicate(sd, c.where, "a", c.source, has, tables) + ")";
  if (distinct_rows) where += DistinctRows(sd, c.source);
  return where;
}

// Runs the statement and reads its rows: the NHS Number, then one value per column.
StatusOr<PersonTable> ReadPersonTable(store::Store& store, const std::string& sql,
                                      const PersonTableSpec& spec) {
  PersonTable out;
  for (const auto& c : spec.columns)
    out.columns.push_back({c.name, ColumnType(c.kind), {}, {}, {}});
  Status parse = OkStatus();
  Status st = store.Query(sql, {}, [&](const store::RowView& r) {
    out.nhs_number.emplace_back(r.Text(0));
    for (size_t k = 0; k < out.columns.size(); ++k) {
      PersonColumn& o = out.columns[k];
      const int i = static_cast<int>(k) + 1;
      if (r.IsNull(i)) {
        AppendNull(o);
      } else if (o.type == ValueType::kText) {
        AppendText(o, std::string(r.Text(i)));
      } else if (o.type == ValueType::kDate) {
        auto d = Date::ParseIso(r.Text(i));
        if (!d) {
          parse =
              InvalidArgumentError("person table: column " + o.name + " holds a malformed date");
          AppendNull(o);
        } else {
          AppendInt(o, d->days_since_epoch());
        }
      } else {
        AppendInt(o, r.Int(i));
      }
    }
  });
  PIONEER_RETURN_IF_ERROR(st);
  PIONEER_RETURN_IF_ERROR(parse);
  return out;
}

}  // namespace

StatusOr<PersonTable> SqlEngine::BuildPersonTable(const PersonTableSpec& spec) {
  PIONEER_RETURN_IF_ERROR(ValidatePersonTableSpec(spec));
  HasTable has = [this](const std::string& t) { return store_.HasTable(t); };
  const store::SqlDialect& sd = store_.dialect();
  const int32_t day = spec.index_date.days_since_epoch();
  std::set<std::string> tables;
  std::vector<std::string> timeline_tables;
  for (int s = 0; s < timeline::kSourceCount; ++s) {
    std::string table(timeline::SourceTable(static_cast<timeline::Source>(s)));
    if (has(table)) timeline_tables.push_back(table);
  }
  tables.insert(timeline_tables.begin(), timeline_tables.end());

  // Everyone on the timeline: PDS current rows and every number a dated record is placed on.
  std::string everyone = "SELECT nhs_number AS _pkey FROM person";
  for (const auto& table : timeline_tables) {
    everyone += fmt::format(
        " UNION SELECT _pkey FROM \"v_{}\" WHERE _pkey IS NOT NULL AND {} IS "
        "NOT NULL",
        table, DateCol("v_" + table, EventStart(table)));
  }
  // The population is rendered as the counting SQL renders a record's predicate with the
  // person as the record (`cand`, one row per person): its relations, all anchored on D, become
  // one semi-join each (decorrelated) instead of a lookup per person.
  std::string pop = fmt::format(
      "SELECT a._pkey AS _pkey FROM cand a CROSS JOIN periods p LEFT JOIN person ps ON "
      "ps.nhs_number = a._pkey WHERE ({})",
      sql_internal::RenderRecordPredicate(sd, spec.population, "a", "everyone", has, &tables,
                                          /*top=*/true));
  if (spec.exclude_objections && has("ig_objections")) {
    pop += " AND a._pkey NOT IN (SELECT o.nhs_number FROM ig_objections o)";
  }

  std::string ctes, select = "pop._pkey", joins;
  for (size_t k = 0; k < spec.columns.size(); ++k) {
    const ColumnSpec& c = spec.columns[k];
    switch (c.kind) {
      case ColumnKind::kAge: {
        const Date d = spec.index_date;
        select += fmt::format(
            ", (CASE WHEN {0} IS NULL THEN NULL ELSE max(0, {1} - CAST(substr({0}, 1, 4) AS "
            "INTEGER) - (CASE WHEN '{2:02d}-{3:02d}' < substr({0}, 6, 5) THEN 1 ELSE 0 END)) END)",
            DateCol("ps", "birth_date"), d.year(), d.month(), d.day());
        continue;
      }
      case ColumnKind::kSex:
        select += fmt::format(
            ", (CASE WHEN ps.nhs_number IS NULL THEN NULL WHEN length({0}) = 1 AND {0} BETWEEN "
            "'0' AND '9' THEN CAST({0} AS INTEGER) ELSE 0 END)",
            TextField("ps", "sex"));
        continue;
      case ColumnKind::kPractice: {
        // kPracticeAtEvent's rule on the index date (as the counting SQL's PracticeSql): the
        // registration open on D with the latest start, then the highest row id.
        std::string at = TextField("ps", "gp_practice_code");
        if (has("gp_registrations")) {
          const std::string cte = fmt::format("c{}", k);
          ctes += fmt::format(
              ", {0} AS MATERIALIZED (SELECT k, v FROM (SELECT CAST(g._pkey AS TEXT) AS k, {1} AS "
              "v, "
              "row_number() OVER "
              "(PARTITION BY g._pkey ORDER BY {2} DESC, g._rid DESC) AS rn FROM "
              "\"v_gp_registrations\" g WHERE g._pkey IS NOT NULL AND {2} IS NOT NULL AND {2} <= "
              "{3} AND ({4} IS NULL OR {4} >= {3})) q WHERE rn = 1)",
              cte, TextField("g", "gp_practice_code"), DateCol("g", "registration_start_date"),
              Iso(day), DateCol("g", "registration_end_date"));
          joins += fmt::format(" LEFT JOIN {0} ON {0}.k = pop._pkey", cte);
          at = fmt::format("coalesce({}.v, {})", cte, at);
          tables.insert("gp_registrations");
        }
        select += ", NULLIF(" + at + ", '')";
        continue;
      }
      case ColumnKind::kImdDecile:
        // ReferenceData::lsoa_imd's value: the lsoa table's last row for the LSOA, a decile
        // read as an integer (NULL and text as 0).
        if (has("lsoa")) {
          select += fmt::format(
              ", (SELECT coalesce(CAST(l.imd_decile AS INTEGER), 0) FROM lsoa l WHERE "
              "CAST(l.lsoa_code AS TEXT) = {0} AND {0} <> '' ORDER BY {1} DESC LIMIT 1)",
              TextField("ps", "lsoa_code"), sd.RowId("l"));
        } else {
          select += ", NULL";
        }
        continue;
      default:
        break;
    }
    const std::string cte = fmt::format("c{}", k);
    const std::string empty_value =
        c.kind == ColumnKind::kExists ? fmt::format("({}.k IS NOT NULL)", cte)
        : (c.kind == ColumnKind::kCount || c.kind == ColumnKind::kSumInt ||
           c.kind == ColumnKind::kSumDays)
            ? fmt::format("coalesce({}.v, 0)", cte)
            : cte + ".v";
    select += ", " + empty_value;
    joins += fmt::format(" LEFT JOIN {0} ON {0}.k = pop._pkey", cte);
    if (!has(c.source)) {
      ctes += fmt::format(", {} AS (SELECT NULL AS k, NULL AS v WHERE 0)", cte);
      continue;
    }
    tables.insert(c.source);
    const std::string where = RecordColumnWhere(sd, c, day, spec.distinct_rows, has, &tables);
    const std::string person_join =
        UsesPerson(c.where) ? " LEFT JOIN person ps ON ps.nhs_number = a._pkey" : "";
    if (c.kind == ColumnKind::kLastDecimal) {
      // The latest record with a value (date, then row id), its value in millionths rounded
      // as ParseFixedDecimal rounds (SQLite's round(): halves away from zero).
      ctes += fmt::format(
          ", {0} AS MATERIALIZED (SELECT k, v FROM (SELECT CAST(a._pkey AS TEXT) AS k, "
          "CAST(round(CAST(a.\"{1}\" AS REAL) * {2}.0) AS INTEGER) AS v, row_number() OVER "
          "(PARTITION BY a._pkey ORDER BY {3} DESC, a._rid DESC) AS rn FROM \"v_{4}\" a CROSS "
          "JOIN periods p{5} WHERE {6} AND {7} <> '') q WHERE rn = 1)",
          cte, c.value_field, kDecimalScale, DateCol("a", c.date_field), c.source, person_join,
          where, TextField("a", c.value_field));
      continue;
    }
    ctes += fmt::format(
        ", {} AS MATERIALIZED (SELECT CAST(a._pkey AS TEXT) AS k, {} AS v FROM \"v_{}\" a CROSS "
        "JOIN periods p{} "
        "WHERE {} GROUP BY a._pkey)",
        cte, Aggregate(sd, c, day), c.source, person_join, where);
  }

  std::string views;
  for (const auto& t : tables) {
    if (has(t)) views += sql_internal::SourceViewCte(sd, t, has("record_links")) + ", ";
  }
  const std::string person =
      has(std::string(formats::kMasterIndexTable))
          ? sql_internal::PersonRowsSql(sd)
          : "SELECT NULL AS nhs_number, NULL AS sex, NULL AS birth_date, NULL AS "
            "death_date, NULL AS lsoa_code, NULL AS gp_practice_code WHERE 0";
  const std::string sql = fmt::format(
      "WITH periods(idx, first_day, end_day, last_day) AS (VALUES (0, {0}, {1}, {0})), {2}person "
      "AS MATERIALIZED ({3}), everyone AS ({4}), cand AS MATERIALIZED (SELECT row_number() OVER "
      "(ORDER BY _pkey) AS _rid, _pkey FROM everyone), pop AS MATERIALIZED ({5}){6} SELECT {7} "
      "FROM pop "
      "LEFT JOIN person ps ON ps.nhs_number = pop._pkey{8} ORDER BY pop._pkey",
      Iso(day), Iso(int64_t{day} + 1), views, person, everyone, pop, ctes, select, joins);

  return ReadPersonTable(store_, sql, spec);
}

}  // namespace pioneer::metrics
