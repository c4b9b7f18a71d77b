// The usable-link rule: which `pioneer link` decisions place a record on a person.
//
// record_links (store schema version 2, written by `pioneer link`, docs/linkage.md) holds one
// row per record that needed NHS Number tracing. A row is a usable link - the record is placed
// on the person of its traced NHS Number instead of its own - exactly when its decision is
// 'automatic' (the engine matched) or 'accepted' (a reviewer accepted the number) and the
// traced number is present. Every reader that places records on people (the person timeline,
// the metrics' reference SQL engine, linkage accuracy, the IG gate's person records) and the
// linker's own coverage count use this one rule, through the functions below.
// Thread safety: pure functions; ForEachUsableLink uses the store from the calling thread.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

#include "pioneer/base/status.h"
#include "pioneer/store/store.h"

namespace pioneer::store {

// True for the decisions whose link places the record: "automatic" and "accepted".
bool IsUsableLinkDecision(std::string_view decision);

// SQL condition true for a usable record_links row; columns are qualified by `alias`
// ("l" -> "l.decision IN ('automatic', 'accepted') AND l.traced_nhs_number IS NOT NULL"),
// unqualified when `alias` is empty. Standard SQL: any backend's dialect.
std::string UsableLinkSql(std::string_view alias);

// Calls fn(source_table, row_id, traced_nhs_number) for every usable link, of `table` only
// when it is not empty, in no particular order. A store without record_links (schema version
// 1) has none: OK without a call. Errors: the store's.
using UsableLinkFn =
    std::function<void(std::string_view table, int64_t row_id, std::string_view traced_nhs_number)>;
Status ForEachUsableLink(Store& store, std::string_view table, const UsableLinkFn& fn);

}  // namespace pioneer::store
