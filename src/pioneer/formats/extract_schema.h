// The extract formats Pioneer reads: one ExtractSpec per file, as data.
//
// This table is the single source of truth for the CSV files that NHS and council systems
// (imitated by `pioneer synth`) hand to `pioneer ingest`. The synthetic generator writes
// columns in exactly this order; ingest validates each row against it; docs/data-formats.md
// describes it for people; the store creates one table per extract from it.
//
// Conventions shared by every extract (docs/data-formats.md section 1):
//  * UTF-8, comma-separated, RFC 4180 quoting, a header row with exactly these names;
//  * dates ISO 8601 "YYYY-MM-DD"; decimals with '.'; empty field = not recorded;
//  * codes are the NHS Data Dictionary / dataset values named by `code_set`.
// Thread safety: immutable static data.
#pragma once

#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pioneer::formats {

enum class FieldType {
  kText,       // free text (names, addresses); any UTF-8
  kInteger,    // optional leading '-', digits
  kDecimal,    // integer or decimal with '.', e.g. 412.50
  kDate,       // YYYY-MM-DD, a real calendar date
  kNhsNumber,  // 10 digits (spaces/hyphens allowed); an invalid number is kept and flagged
  kCode,       // a value from the code set named in FieldSpec::code_set
  kIcd10,      // ICD-10 code, any common styling ("J45.9", "J459", "j45"); normalised on ingest
  kOpcs4,      // OPCS-4 procedure code ("K40.1", "K401"); normalised on ingest
  kOdsCode,    // ODS organisation code (3-6 alphanumerics, e.g. "B86001", "RR8", "15F")
  kPostcode,   // UK postcode; normalised to upper case with one space ("LS1 4AP")
};

const char* FieldTypeName(FieldType t);

// What a field means to the readers that trace, place and judge records, beyond its type.
// Each role is declared here, on the field, and read by every module that needs it, instead of
// a per-source table of field names in each module.
enum class FieldRole {
  kNone,  // activity data; a date field without a role is an activity date
  // The person's identifiers, which `pioneer link` traces on (link/store_link.h): a source
  // carrying a family name and a date of birth can be traced.
  kGivenName,
  kFamilyName,
  kBirthDate,
  kSex,
  kPostcode,
  // Dates that describe the person or the row, not activity (the quality report's
  // future-date check skips them; docs/quality.md).
  kDeathDate,
  kValidFrom,  // the period a (PDS history) row applies for
  kValidTo,
  // HES STARTAGE coding: years 0-120, or 7001-7007 for infants (the quality report counts
  // ages over 115 that are not infant codes).
  kStartAge,
};

const char* FieldRoleName(FieldRole r);

// A range a number of an integer or decimal field must lie in (both ends inclusive), and why
// it holds (a source's definition or a rule of arithmetic). A field with ranges accepts a
// number in any one of them; ingest quarantines any other with reason out_of_range and a
// detail naming the ranges (DescribeRanges). A field without ranges accepts any number that
// fits its type.
struct ValueRange {
  double min;
  double max;  // kNoMaximum: unbounded above
  std::string_view why;
};
inline constexpr double kNoMaximum = std::numeric_limits<double>::infinity();

struct FieldSpec {
  std::string_view name;
  FieldType type;
  bool required;
  std::string_view code_set;  // for kCode: the model::CodeSet name; empty otherwise
  std::string_view description;
  FieldRole role = FieldRole::kNone;
  std::span<const ValueRange> ranges = {};  // kInteger / kDecimal: see ValueRange
};

// "out of range: must be within 0..120 (ages in years)" for the ranges of one field; a range
// without a maximum is written ">= 0".
std::string DescribeRanges(std::span<const ValueRange> ranges);

// A cross-field date rule: in a row, `later` must not be before `earlier` when both are
// present (docs/data-formats.md section 1). Ingest quarantines a row breaking one with reason
// date_order on the `later` field.
struct DateOrder {
  std::string_view earlier;
  std::string_view later;
};

// The fields the person timeline makes an event of (timeline/timeline.h): the event's start
// date, its end date ("" for a point event), its code and a detail ("" for none). All empty
// for a table that gives no events (reference data, the master person index).
struct EventFields {
  std::string_view start;
  std::string_view end;
  std::string_view code;
  std::string_view detail;
};

struct ExtractSpec {
  std::string_view file_name;  // "apc_episodes.csv"
  std::string_view table;      // store table name: "apc_episodes"
  std::string_view imitates;   // the national dataset whose style it follows
  std::string_view description;
  std::span<const FieldSpec> fields;
  // Name of the column identifying the record within its source system (for duplicate
  // detection and linkage), or empty for reference tables.
  std::string_view record_id_field;
  bool person_level;  // true when rows describe people (IG applies), false for reference data
  std::span<const DateOrder> date_order;  // the rows' cross-field date rules
  EventFields event;                      // what the person timeline reads as an event

  // Index of a field by name, or -1.
  int FieldIndex(std::string_view name) const;
  // Index of the first field with `role`, or -1.
  int FieldWithRole(FieldRole role) const;
  // The name of the first field with `role`, or "" when the extract has none.
  std::string_view FieldNameWithRole(FieldRole role) const;
};

// The store table of the master person index (PDS): the extract every other person-level
// source is placed on and traced against.
inline constexpr std::string_view kMasterIndexTable = "pds";

// Every known extract, in dependency order (reference data first).
std::span<const ExtractSpec> AllExtracts();
// The spec for a file name such as "pds.csv", or nullptr if Pioneer does not know it.
const ExtractSpec* FindExtract(std::string_view file_name);

}  // namespace pioneer::formats
