// A scheme's enrolment list: a CSV with the header `nhs_number,enrolment_date` (columns in
// either order, other columns ignored), one row per enrolled person, placed on the person
// timeline by NHS Number.
//
// Rows that cannot be used are counted, never silently dropped: an invalid NHS Number or a
// date that is not YYYY-MM-DD is a problem naming the line and field (never the value: the
// list is identifiable); a valid NHS Number that is not on the timeline counts as unknown
// (the count is reported, the numbers are not); a person listed again keeps the first
// enrolment and counts as a duplicate.
// Errors: kNotFound (no file), kInvalidArgument (no header with both columns, or the CSV is
// malformed: line and column), kUnavailable (I/O).
// Thread safety: pure function of the file and the timeline.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/careplan/care_plan.h"
#include "pioneer/caretrak/cohort.h"
#include "pioneer/metrics/person_table.h"
#include "pioneer/timeline/timeline.h"

namespace pioneer::caretrak {

struct Enrolment {
  timeline::PersonIndex person = 0;
  int32_t day = 0;  // enrolment date, days since 1970-01-01
};

struct EnrolmentList {
  std::vector<Enrolment> rows;  // usable rows, in file order
  int64_t data_rows = 0;        // rows read (header excluded)
  int64_t unknown_nhs_number = 0;
  int64_t duplicates = 0;
  int64_t bad_rows = 0;
  std::vector<std::string> problems;  // "line 7, field enrolment_date: not a date ..." (first 20)
};

StatusOr<EnrolmentList> ReadEnrolmentList(const std::string& path, const timeline::Timeline& t);

// The entry event "care plan created": each person's first care plan (earliest start date;
// drafts and plans entered in error never count; with `joint_only`, joint plans only) as an
// enrolment on its start date. data_rows counts the plans considered; a person not on the
// timeline counts as unknown; a person's later plans count as duplicates.
EnrolmentList EnrolmentFromCarePlans(std::span<const careplan::CarePlan> plans,
                                     const timeline::Timeline& t, bool joint_only);

// The entry events read from the extracts (cohort.h, EntryType): each person's first event of
// the kind on the timeline, as an enrolment on its date. reablement_start: a social care
// event of type "service" for the service "reablement"; virtual_ward_start and
// case_management_start: a community contact of the team "virtual_ward" or
// "community_matron". data_rows counts the events of the kind, duplicates a person's later
// ones; unknown_nhs_number is always 0 (the events are on the timeline already). Rows are in
// timeline (person index) order. Read through the query layer: EntryEventSpec's person table,
// built by the fast engine over `t`, which must hold EntryEventTimelineOptions(entry) (else
// kFailedPrecondition naming the field).
// REQUIRES: entry is one of those three.
StatusOr<EnrolmentList> EnrolmentFromFirstEvents(const timeline::Timeline& t, EntryType entry);

// The entry event as a person table (metrics/person_table.h): for every person on the timeline,
// the date of their first event of the kind ("first", kFirstDate) and how many they have
// ("events", kCount), over every record (duplicates and objectors included, as the timeline
// holds them; the window is unbounded). REQUIRES: as above.
metrics::PersonTableSpec EntryEventSpec(EntryType entry);
// The timeline attribute fields EntryEventSpec reads, to merge into the timeline's options.
timeline::TimelineOptions EntryEventTimelineOptions(EntryType entry);

// What the entry event is read from, for messages: "reablement services in the social care
// extract", ...
const char* EntryEventSource(EntryType entry);

}  // namespace pioneer::caretrak
