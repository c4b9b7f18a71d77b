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

// The index date D of the row in scope, shifted by n days, as SQL: a literal when the spec has
// one D, else the person's own (`p.last_day` of their `periods` row).
class IndexDay {
 public:
  IndexDay(const store::SqlDialect& sd, const PersonTableSpec& spec)
      : sd_(sd), per_person_(!spec.index_dates.empty()), day_(spec.index_date.days_since_epoch()) {}
  std::string Plus(int64_t n) const {
    return per_person_ ? sd_.ShiftDays("p.last_day", n) : Iso(int64_t{day_} + n);
  }
  // Brings the row `alias` (with _pkey) its `periods` row p.
  std::string Join(const std::string& alias) const {
    return per_person_ ? fmt::format(" JOIN periods p ON p.k = {}._pkey", alias)
                       : std::string(" CROSS JOIN periods p");
  }
  bool per_person() const { return per_person_; }
  int32_t day() const { return day_; }

 private:
  const store::SqlDialect& sd_;
  bool per_person_;
  int32_t day_;
};

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
std::string Aggregate(const store::SqlDialect& sd, const ColumnSpec& c, const IndexDay& day) {
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
      const std::string end = open_window ? "" : day.Plus(int64_t{c.hi} + 1);
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
std::string RecordColumnWhere(const store::SqlDialect& sd, const ColumnSpec& c, const IndexDay& day,
                              bool distinct_rows, const HasTable& has,
                              std::set<std::string>* tables) {
  const std::string date = DateCol("a", c.date_field);
  std::string where = fmt::format("a._pkey IS NOT NULL AND {} IS NOT NULL", date);
  if (!EventStart(c.source).empty()) {
    where += fmt::format(" AND {} IS NOT NULL", DateCol("a", EventStart(c.source)));
  }
  if (c.open_end_field.empty()) {
    if (c.lo > -kUnbounded) where += fmt::format(" AND {} >= {}", date, day.Plus(c.lo));
    if (c.hi < kUnbounded) where += fmt::format(" AND {} <= {}", date, day.Plus(c.hi));
  } else {  // open at some point in the window
    if (c.hi < kUnbounded) where += fmt::format(" AND {} <= {}", date, day.Plus(c.hi));
    if (c.lo > -kUnbounded) {
      const std::string end = DateCol("a", c.open_end_field);
      where += fmt::format(" AND ({0} IS NULL OR {0} > {1})", end, day.Plus(c.lo));
    }
  }
  for (const FieldWindow& w : c.also) {
    const std::string d = DateCol("a", w.field);
    where += fmt::format(" AND {} IS NOT NULL", d);
    if (w.lo > -kUnbounded) where += fmt::format(" AND {} >= {}", d, day.Plus(w.lo));
    if (w.hi < kUnbounded) where += fmt::format(" AND {} <= {}", d, day.Plus(w.hi));
  }
  where +=
      " AND (" + sql_internal::RenderRecordPredicate(sd, c.where, "a", c.source, has, tables) + ")";
  if (distinct_rows) where += DistinctRows(sd, c.source);
  return where;
}

// Record columns joined to the population together (the values' SELECT list and the joins of
// their CTEs), at most kColumnsPerPart of them: SQLite joins at most 64 tables in a SELECT.
struct Part {
  std::string select, joins;
};
constexpr size_t kColumnsPerPart = 48;

// The part the n-th record column (from 0) goes in, started when it is the first.
Part& PartOf(std::vector<Part>& parts, size_t n) {
  if (n % kColumnsPerPart == 0) parts.emplace_back();
  return parts.back();
}

// The rows of the `periods` CTE (k, idx, first_day, end_day, last_day): the index date D as
// a period of one day, one row in all (k NULL), or one per listed person (k their number;
// ValidatePersonTableSpec checked it is ten digits, so it is quoted as is).
std::string PeriodRows(const PersonTableSpec& spec) {
  auto row = [](const std::string& k, int64_t day) {
    return fmt::format("({}, 0, {}, {}, {})", k, Iso(day), Iso(day + 1), Iso(day));
  };
  if (spec.index_dates.empty())
    return "(VALUES " + row("NULL", spec.index_date.days_since_epoch()) + ")";
  std::string rows;
  for (const PersonIndexDate& d : spec.index_dates) {
    rows += (rows.empty() ? "" : ", ") + row(Quote(d.nhs_number), d.index_date.days_since_epoch());
  }
  return "(VALUES " + rows + ")";
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
  const IndexDay day(sd, spec);
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
  // With per-person index dates each person joins their own periods row, and the relations
  // are rendered per person (a semi-join over cand and periods would pair everyone with every
  // date).
  std::string pop = fmt::format(
      "SELECT a._pkey AS _pkey FROM cand a{} LEFT JOIN person ps ON "
      "ps.nhs_number = a._pkey WHERE ({})",
      day.Join("a"),
      sql_internal::RenderRecordPredicate(sd, spec.population, "a", "everyone", has, &tables,
                                          /*top=*/!day.per_person()));
  if (spec.exclude_objections && has("ig_objections")) {
    pop += " AND a._pkey NOT IN (SELECT o.nhs_number FROM ig_objections o)";
  }

  std::string ctes, select = "pop._pkey", joins;
  std::vector<Part> parts;
  size_t record_columns = 0;
  for (size_t k = 0; k < spec.columns.size(); ++k) {
    const ColumnSpec& c = spec.columns[k];
    switch (c.kind) {
      case ColumnKind::kAge: {
        if (day.per_person()) {
          select += ", " + sql_internal::AgeYearsSql(sd, DateCol("ps", "birth_date"), "p.last_day");
          continue;
        }
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
              "\"v_gp_registrations\" g{5} WHERE g._pkey IS NOT NULL AND {2} IS NOT NULL AND {2} "
              "<= "
              "{3} AND ({4} IS NULL OR {4} >= {3})) q WHERE rn = 1)",
              cte, TextField("g", "gp_practice_code"), DateCol("g", "registration_start_date"),
              day.Plus(0), DateCol("g", "registration_end_date"),
              day.per_person() ? day.Join("g") : std::string());
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
    // SQLite joins at most 64 tables in one SELECT: record columns are joined to the
    // population in parts of kColumnsPerPart, each a CTE with one row per person.
    Part& part = PartOf(parts, record_columns++);
    part.select += fmt::format(", {} AS x{}", empty_value, k);
    part.joins += fmt::format(" LEFT JOIN {0} ON {0}.k = pop._pkey", cte);
    select += fmt::format(", part{}.x{}", parts.size() - 1, k);
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
          "(PARTITION BY a._pkey ORDER BY {3} DESC, a._rid DESC) AS rn FROM \"v_{4}\" a{5}{6} "
          "WHERE {7} AND {8} <> '') q WHERE rn = 1)",
          cte, c.value_field, kDecimalScale, DateCol("a", c.date_field), c.source, day.Join("a"),
          person_join, where, TextField("a", c.value_field));
      continue;
    }
    ctes += fmt::format(
        ", {} AS MATERIALIZED (SELECT CAST(a._pkey AS TEXT) AS k, {} AS v FROM \"v_{}\" a{}{} "
        "WHERE {} GROUP BY a._pkey)",
        cte, Aggregate(sd, c, day), c.source, day.Join("a"), person_join, where);
  }

  for (size_t j = 0; j < parts.size(); ++j) {
    ctes += fmt::format(", part{0} AS MATERIALIZED (SELECT pop._pkey AS _pkey{1} FROM pop{2})", j,
                        parts[j].select, parts[j].joins);
    joins += fmt::format(" JOIN part{0} ON part{0}._pkey = pop._pkey", j);
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
      "WITH periods(k, idx, first_day, end_day, last_day) AS {0}, {1}person "
      "AS MATERIALIZED ({2}), everyone AS ({3}), cand AS MATERIALIZED (SELECT row_number() OVER "
      "(ORDER BY _pkey) AS _rid, _pkey FROM everyone), pop AS MATERIALIZED ({4}){5} SELECT {6} "
      "FROM pop{7} "
      "LEFT JOIN person ps ON ps.nhs_number = pop._pkey{8} ORDER BY pop._pkey",
      PeriodRows(spec), views, person, everyone, pop, ctes, select,
      day.per_person() ? day.Join("pop") : std::string(), joins);

  return ReadPersonTable(store_, sql, spec);
}

}  // namespace pioneer::metrics
