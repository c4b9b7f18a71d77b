// ScanDirectory: what `pioneer ingest DIR` finds in DIR.
//
// Files whose names are known extracts (formats::FindExtract) are returned in the order of
// formats::AllExtracts (reference data first). Everything else is reported, never silently
// dropped: other files and folders are "unknown" (skipped), and the `truth/` folder written
// by `pioneer synth` and the `interventions/` folder of enrolment lists are "ignored" (ground truth
// for evaluations and inputs of `pioneer caretrak`, never ingested).
// Errors: kNotFound if DIR does not exist or is not a folder; kUnavailable if unreadable.
// Thread safety: thread-safe.
#pragma once

#include <string>
#include <vector>

#include "pioneer/base/status.h"
#include "pioneer/formats/extract_schema.h"

namespace pioneer::ingest {

struct FoundExtract {
  const formats::ExtractSpec* spec;
  std::string path;
};

struct DirectoryListing {
  std::vector<FoundExtract> extracts;
  std::vector<std::string> unknown;  // names, sorted; folders end in '/'
  std::vector<std::string> ignored;  // names with the reason, e.g. "truth/ (...)"
};

StatusOr<DirectoryListing> ScanDirectory(const std::string& dir);

}  // namespace pioneer::ingest
