// Reading person records from CSV files with a column map.
//
// Column map text (--map): comma-separated canonical=column entries, e.g.
//   "given_name=first_name,family_name=surname,birth_date=dob,address=street_number+address_1"
// Canonical names are those of person_record.h. '+' joins several columns into one field
// (values separated by a space, empty ones skipped). "field=" (nothing after '=') leaves a
// field unmapped. Canonical fields not named in the map are taken from a header column
// with the canonical name or a common alias (first_name, forename -> given_name; surname,
// last_name -> family_name; dob, date_of_birth -> birth_date; suburb, town -> city;
// gender -> sex) when there is one.
//
// Record ids: the id column (--id); when not given, the first of unique_id, id, rec_id,
// record_id, person_id in the header; failing that, the data line number. Ids must be
// non-empty and unique within a file.
//
// Files: RFC 4180 CSV read with base/csv_reader.h (UTF-8 checked, CRLF accepted, blank lines
// skipped); header names and values are trimmed of spaces (FEBRL separates with ", ").
// Errors name the file, line and column, never a value other than a record id:
//   "a.csv: line 1: no column 'surname' (mapped to family_name)"
//   "a.csv: line 7: 10 fields, header has 11"
//   "a.csv: line 9, column 1: duplicate record id 'rec-1-org'"
// Values that cannot be interpreted (a birth date that is not a date, an invalid NHS
// Number) are treated as missing and counted per field with the first line and column
// (LoadedInput::unparsed) so the caller can warn.
// Thread safety: functions are reentrant; one RecordSet per call.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/link/person_record.h"
#include "pioneer/link/record_set.h"

namespace pioneer::link {

struct ColumnMapping {
  Field field = Field::kGivenName;
  std::vector<std::string> columns;  // empty = explicitly unmapped
};

struct ColumnMap {
  std::vector<ColumnMapping> fields;  // explicit entries from --map
  std::string id_column;              // --id ("" = auto)
  std::string truth_column;           // optional: ground-truth cluster column (evaluation)
};

StatusOr<ColumnMap> ParseColumnMap(std::string_view text);

// Automatic mapping of a header column (used for fields --map does not name). The header is
// compared with case, spaces, '_', '-' and '.' ignored against common names from FEBRL,
// Splink's examples and NHS PDS-style extracts: given_name / first_name / forename / given;
// family_name / surname / last_name / family; birth_date / dob / date_of_birth; sex / gender;
// postcode / post_code / postal_code / address_postal_code; city / town / suburb / locality;
// email / email_address; identifier / soc_sec_id / ssn; nhs_number / nhs_no; and the
// address parts address / street_number / house_number / address_1 / address_line_1 /
// street / street_address. Address parts are `part`s: every such column is joined, in
// header order (FEBRL: street_number + address_1); for the other fields the first column
// wins. The truth column (--truth) is never mapped.
struct AutoColumn {
  Field field = Field::kGivenName;
  bool part = false;
};
std::optional<AutoColumn> AutoMapColumn(std::string_view header);

struct FieldIssue {
  Field field = Field::kBirthDate;
  int64_t count = 0;
  int64_t first_line = 0;
  int first_column = 0;
};

struct LoadedInput {
  std::string path;
  int64_t rows = 0;
  std::string id_column;  // the column used for ids ("" = line numbers)
  std::vector<std::pair<Field, std::string>> mapping;  // field -> "col" or "a+b"
  std::vector<FieldIssue> unparsed;
  std::vector<std::string> truth;  // per row, when map.truth_column is set
};

// Appends the rows of `path` to `out` with the given source tag.
Status LoadCsvRecords(const std::string& path, const ColumnMap& map, uint8_t source, RecordSet* out,
                      LoadedInput* info);
// The same for the bytes of an input held in memory; `name` stands for the path in messages
// and in `info` (the result is the one LoadCsvRecords gives for a file with these bytes).
Status LoadCsvBytes(std::string_view data, const std::string& name, const ColumnMap& map,
                    uint8_t source, RecordSet* out, LoadedInput* info);

}  // namespace pioneer::link
