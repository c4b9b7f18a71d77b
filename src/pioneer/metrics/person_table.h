// The query layer's second output: a per-person table (one row per person, columns from
// expressions over that person's records), after ehrQL's Dataset, in the definition language
// of definition.h, evaluated by both engines (PersonTableEngine below).
//
// A spec names an index date D, a population and columns:
//   population  a person-level predicate (Expr) over every person on the timeline (one per
//               distinct valid NHS Number: PDS current rows, and numbers seen only on placed
//               records). Its top level may only combine (kAnd, kOr, kNot, kTrue) the
//               person-level kinds: kPersonDate (a PDS birth or death date in a window around
//               D) and kExists (a record of the person satisfying a predicate, related to D by
//               kStartsWithin or kOpenOn). Anchors are kIndexDate (kPeriodStart and kPeriodEnd
//               name the same day: a person table's period is the single day D). Expr::True()
//               is everyone; RiskPopulation-style specs say "alive, born before D, registered
//               with a practice on D" with the same kinds (see risk/feature_table.h).
//   columns     each a ColumnSpec (below).
//
// Record columns read the person's records of one `source` that are placed on the person
// (as the timeline places them: usable link, else own valid number), satisfy `where` (any
// record-level Expr over that source; relations anchored on kIndexDate read D), and whose
// `date_field` lies in the window [D + lo, D + hi], both ends inclusive (kUnbounded removes a
// side; a look-back year before D is lo = -365, hi = -1). A record whose date_field is empty is
// never in a window. With `open_end_field` (a date field) a column reads instead the records
// whose interval [date_field, open_end_field) meets the window - "open at some point in it":
// date_field <= D + hi and (open_end_field empty (still open) or open_end_field > D + lo);
// lo = hi = 0 is "open on D" as kOpenOn has it (started on or before D, not ended by then).
// `also` (FieldWindow) puts further date fields of the same record in windows around D too
// ([D + lo, D + hi], both ends inclusive; a record without that date fails): "discharged in
// the year and admitted before D" is date_field discharge_date in [-365, -1] and also
// {admission_date, -kUnbounded, -1}.
// Kinds and null rules:
//   kExists     bool: any such record; never null (false when none)
//   kCount      int: how many; never null (0)
//   kFirstDate  date (days since 1970-01-01): earliest `value_field` (a date field, default
//   kLastDate   date_field) among them; null when none has one
//   kMinInt     int: min / max / sum of the integer `value_field` over those that have one;
//   kMaxInt     min and max null when none has one, the sum 0
//   kSumInt
//   kLastDecimal decimal: the decimal `value_field` of the latest record (greatest
//               date_field, then highest row id) among those that have one; null when none.
//               Values are fixed-point: values[r] holds the value x 10^6 (kDecimalScale),
//               rounded half away from zero to the nearest millionth, identically on both
//               engines (the store holds decimals as validated reals, ingest's kDecimal).
//   kSumDays    int: sum over the records of the days of [value_field, end_field) before the
//               window's end E = D + hi + 1: max(0, min(end, E) - start), an empty end_field
//               read as E (still open); records without a start, and with hi unbounded those
//               without an end, add nothing. 0 when none (e.g. bed days to the index date).
// Person columns (no source):
//   kAge        int: whole years at D from the PDS birth date (0 if born after D); null when
//               the person has no PDS birth date
//   kSex        int: the PDS sex code (NHS Data Dictionary 0, 1, 2, 9; a non-digit is 0); null
//               when the person has no PDS current row
//   kPractice   text: the practice registered with on D, by kPracticeAtEvent's rule (the
//               gp_registrations record placed on the person open on D: start <= D and no end
//               or end >= D, the latest start then the highest row id; else the PDS current
//               practice); null when neither names one
//   kImdDecile  int: the IMD decile the lsoa reference table (ReferenceData::lsoa_imd) gives
//               the LSOA of the person's PDS current row (the table's last row for that LSOA;
//               a decile that is not a number reads 0); null when the person has no PDS LSOA
//               or the table does not list it
//
// Rows are sorted by NHS Number. The rules the counting engines apply to records apply here:
// only placed records are read (unplaced ones belong to no person); with `distinct_rows`
// (default) a surplus copy of an exact duplicate row (duplicate_rows.h) is never read (the
// first copy is); with `exclude_objections` (default) people who objected to secondary use
// (ReferenceData::objecting / the store's objections) get no row. Direct-care users (risk
// scores) turn both off, as risk::BuildCohort reads every record of every person.
//
// Information governance: a PersonTable is keyed by NHS Number and is identifiable. It is for
// direct care through the ig gate (PersonAccess, audited), or for aggregation only (counts
// leave through disclosure control); this layer never prints or logs a key or a value, and its
// errors name columns, fields and sources only.
// Thread safety: plain values; an engine builds one table at a time (the fast engine with
// DefaultThreads() workers over ranges of people, base/parallel.h; the result does not depend
// on their number).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/date.h"
#include "pioneer/base/status.h"
#include "pioneer/metrics/definition.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::metrics {

// Anchor of relations and PDS dates in a person-table spec: the index date.
inline constexpr const char* kIndexDate = kPeriodEnd;

enum class ColumnKind {
  kExists,
  kCount,
  kFirstDate,
  kLastDate,
  kMinInt,
  kMaxInt,
  kSumInt,
  kSumDays,
  kLastDecimal,
  kAge,
  kSex,
  kPractice,
  kImdDecile,
};
// "exists", "count", "first_date", ...
const char* ColumnKindName(ColumnKind k);
// True for the kinds that read records of a source (all but kAge, kSex, kPractice, kImdDecile).
bool IsRecordColumn(ColumnKind k);

// kDecimal: fixed-point, the value x kDecimalScale (exact across engines to 6 places).
enum class ValueType { kBool, kInt, kDate, kText, kDecimal };
inline constexpr int64_t kDecimalScale = 1'000'000;
// A decimal text as kDecimal holds it (round(x * kDecimalScale), halves away from zero, as
// SQLite's round() has it); nullopt when `text` is empty or not a decimal number.
std::optional<int64_t> ParseFixedDecimal(std::string_view text);
// The fixed-point value as a double (exact for values of up to 6 decimal places: the nearest
// double to the decimal, as parsing its text gives).
inline double DecimalToDouble(int64_t fixed) {
  return static_cast<double>(fixed) / static_cast<double>(kDecimalScale);
}
ValueType ColumnType(ColumnKind k);

// A further date field of a record that must lie in [D + lo, D + hi] (ColumnSpec::also).
struct FieldWindow {
  std::string field;
  int lo = -kUnbounded, hi = kUnbounded;
};

struct ColumnSpec {
  std::string name;  // unique within the spec, non-empty
  ColumnKind kind = ColumnKind::kExists;
  // Record kinds only.
  std::string source;      // store table ("apc_episodes")
  Expr where;              // record predicate over `source`
  std::string date_field;  // the date placed in the window
  int lo = -kUnbounded, hi = kUnbounded;
  std::string value_field;        // first/last date (default date_field); int and decimal kinds;
                                  // kSumDays start
  std::string end_field;          // kSumDays end
  std::string open_end_field;     // set: records open in the window (above), else dated in it
  std::vector<FieldWindow> also;  // further date fields in windows around D (above)

  // A record column over [D + lo, D + hi].
  static ColumnSpec Records(std::string name, ColumnKind kind, std::string source, Expr where,
                            std::string date_field, int lo, int hi, std::string value_field = "",
                            std::string end_field = "");
  // A record column over the records open at some point in [D + lo, D + hi]: their interval
  // [start_field, end_field) meets it.
  static ColumnSpec Open(std::string name, ColumnKind kind, std::string source, Expr where,
                         std::string start_field, std::string end_field, int lo, int hi);
  static ColumnSpec Person(std::string name, ColumnKind kind);
};

// One person's own index date (PersonTableSpec::index_dates).
struct PersonIndexDate {
  std::string nhs_number;  // ten digits
  Date index_date;
};

struct PersonTableSpec {
  Date index_date;
  // Per-person index dates (e.g. each Care Trak participant's enrolment day). When non-empty,
  // each listed person's own date is D for everything above (windows, relations of `where` and
  // the population anchored on the index date, kAge, kPractice), index_date is not read, and
  // only listed people can have a row (the population, objections and the timeline's people
  // still apply: a listed number no record or PDS row carries gets none). kInvalidArgument for
  // a number listed twice or not of ten digits.
  std::vector<PersonIndexDate> index_dates;
  Expr population = Expr::True();
  std::vector<ColumnSpec> columns;
  bool distinct_rows = true;       // skip surplus copies of exact duplicate rows
  bool exclude_objections = true;  // no row for people who objected to secondary use
};

// One typed column. Row r is null when null[r] != 0; otherwise kBool/kInt/kDate read
// values[r] (bool 0/1, date as days since 1970-01-01) and kText reads text[r].
struct PersonColumn {
  std::string name;
  ValueType type = ValueType::kInt;
  std::vector<int64_t> values;    // one per row (0 where null, and in kText columns)
  std::vector<std::string> text;  // kText: one per row ("" where null); other types: empty
  std::vector<uint8_t> null;
  bool IsNull(size_t row) const { return null[row] != 0; }
};

struct PersonTable {
  std::vector<std::string> nhs_number;  // row keys, ascending (identifiable: see above)
  std::vector<PersonColumn> columns;    // in spec order
  size_t rows() const { return nhs_number.size(); }
  // The column of that name, or nullptr.
  const PersonColumn* Find(std::string_view name) const;
};

// kInvalidArgument naming the column (or "population") for: an empty or repeated name, an
// unknown source or field, a field of the wrong type (date_field, first/last value and
// kSumDays fields, open_end_field and `also` fields must be dates, int kinds' value_field an
// integer, kLastDecimal's a decimal), lo > hi (of the column or an `also` window), and a
// population
// whose top level reads a record's fields or uses kBefore or a non-index anchor.
Status ValidatePersonTableSpec(const PersonTableSpec& spec);

// The attribute fields the fast engine needs for `spec` (every field the columns, their
// predicates and the population's relations read), to merge into the timeline's options.
timeline::TimelineOptions PersonTableTimelineOptions(const PersonTableSpec& spec);
// `a` with every field of `b` added (sorted, unique per table).
timeline::TimelineOptions MergeTimelineOptions(const timeline::TimelineOptions& a,
                                               const timeline::TimelineOptions& b);

// The first difference between two tables (row count, keys by row index, column names, types,
// nulls and values by column and row index), for test messages; "" when equal. Never quotes a
// key or a value.
std::string FirstDifference(const PersonTable& a, const PersonTable& b);

// Appends a row's values for tests and builders: the column's null marker and value (a text
// only to kText columns).
void AppendNull(PersonColumn& c);
void AppendInt(PersonColumn& c, int64_t v);
void AppendText(PersonColumn& c, std::string v);

// The per-person contract, implemented by FastEngine (over the timeline) and SqlEngine (SQL
// over the store), which must return identical tables
// (tests/integration/person_table_test.cc). Errors: ValidatePersonTableSpec's; the fast
// engine's kInvalidArgument for a field the timeline did not load
// (PersonTableTimelineOptions); store errors.
class PersonTableEngine {
 public:
  virtual ~PersonTableEngine() = default;
  virtual StatusOr<PersonTable> BuildPersonTable(const PersonTableSpec& spec) = 0;
};

}  // namespace pioneer::metrics
