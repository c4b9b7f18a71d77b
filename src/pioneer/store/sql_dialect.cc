#include "pioneer/store/sql_dialect.h"

#include <fmt/format.h>

namespace pioneer::store {

const SqlDialect& SqlDialect::Sqlite() {
  static const SqlDialect d(Kind::kSqlite);
  return d;
}
const SqlDialect& SqlDialect::Postgres() {
  static const SqlDialect d(Kind::kPostgres);
  return d;
}
const SqlDialect& SqlDialect::DuckDb() {
  static const SqlDialect d(Kind::kDuckDb);
  return d;
}

const SqlDialect* SqlDialect::ByName(std::string_view name) {
  if (name == "sqlite") return &Sqlite();
  if (name == "postgres") return &Postgres();
  if (name == "duckdb") return &DuckDb();
  return nullptr;
}

std::string_view SqlDialect::name() const {
  switch (kind_) {
    case Kind::kSqlite:
      return "sqlite";
    case Kind::kPostgres:
      return "postgres";
    case Kind::kDuckDb:
      return "duckdb";
  }
  return "sqlite";
}

const char* SqlDialect::True() const { return Lite() ? "1" : "TRUE"; }
const char* SqlDialect::False() const { return Lite() ? "0" : "FALSE"; }

std::string SqlDialect::AsDate(const std::string& x) const {
  return kind_ == Kind::kPostgres ? "(" + x + ")::date" : "CAST(" + x + " AS DATE)";
}

std::string SqlDialect::IsoOf(const std::string& date) const {
  return kind_ == Kind::kPostgres ? "to_char(" + date + ", 'YYYY-MM-DD')"
                                  : "strftime(" + date + ", '%Y-%m-%d')";
}

std::string SqlDialect::Greatest(const std::string& a, const std::string& b) const {
  return fmt::format("{}({}, {})", Lite() ? "max" : "GREATEST", a, b);
}

std::string SqlDialect::Least(const std::string& a, const std::string& b) const {
  return fmt::format("{}({}, {})", Lite() ? "min" : "LEAST", a, b);
}

std::string SqlDialect::DaysFromTo(const std::string& a, const std::string& b) const {
  if (Lite()) return fmt::format("CAST(round(julianday({}) - julianday({})) AS INTEGER)", b, a);
  if (kind_ == Kind::kPostgres) return fmt::format("({} - {})", AsDate(b), AsDate(a));
  return fmt::format("date_diff('day', {}, {})", AsDate(a), AsDate(b));
}

std::string SqlDialect::ShiftDays(const std::string& day, int64_t n) const {
  if (n == 0) return day;
  if (Lite()) return fmt::format("date({}, '{:+d} days')", day, n);
  return IsoOf(fmt::format("({} + {})", AsDate(day), n));
}

std::string SqlDialect::YearOf(const std::string& x) const {
  if (Lite()) return fmt::format("CAST(strftime('%Y', {}) AS INTEGER)", x);
  return fmt::format("CAST(extract(year FROM {}) AS INTEGER)", AsDate(x));
}

std::string SqlDialect::MonthOf(const std::string& x) const {
  if (Lite()) return fmt::format("CAST(strftime('%m', {}) AS INTEGER)", x);
  return fmt::format("CAST(extract(month FROM {}) AS INTEGER)", AsDate(x));
}

std::string SqlDialect::MonthDayOf(const std::string& x) const {
  if (Lite()) return fmt::format("strftime('%m-%d', {})", x);
  return fmt::format("substr(CAST({} AS TEXT), 6, 5)", x);
}

std::string SqlDialect::WeekdayOf(const std::string& x) const {
  if (Lite()) return fmt::format("CAST(strftime('%w', {}) AS INTEGER)", x);
  return fmt::format("CAST(extract(dow FROM {}) AS INTEGER)", AsDate(x));
}

std::string_view SqlDialect::RowIdColumn() const { return Lite() ? "rowid" : "_rowid"; }

std::string SqlDialect::RowId(const std::string& alias) const {
  return alias + "." + std::string(RowIdColumn());
}

std::string SqlDialect::IntDiv(const std::string& a, int b) const {
  return "(" + a + (kind_ == Kind::kDuckDb ? " // " : " / ") + std::to_string(b) + ")";
}

const char* SqlDialect::FindFunction() const { return Lite() ? "instr" : "strpos"; }

const char* SqlDialect::BulkInsert() const { return Lite() ? "INSERT OR FAIL" : "INSERT"; }

}  // namespace pioneer::store
