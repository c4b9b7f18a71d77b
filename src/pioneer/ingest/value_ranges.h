// Value ranges of numeric extract fields, as data: a number of `table`.`field` is accepted
// when it lies in one of the field's ranges (both ends inclusive); otherwise the row is
// quarantined with reason out_of_range and a detail naming the ranges and why they hold
// (docs/ingest.md section 2). Fields without an entry accept any number that fits the type.
// Thread safety: immutable static data.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace pioneer::ingest {

struct ValueRange {
  std::string_view table;
  std::string_view field;
  double min;
  double max;
  std::string_view why;  // the reason for the range, for the quarantine detail
};

std::span<const ValueRange> AllValueRanges();

// The ranges of one field (empty when it has none), in table order.
std::vector<const ValueRange*> RangesOf(std::string_view table, std::string_view field);

// "out of range: must be within 0..120 (ages in years)" for the ranges of one field; a range
// without a maximum is written ">= 0".
std::string DescribeRanges(const std::vector<const ValueRange*>& ranges);

}  // namespace pioneer::ingest
