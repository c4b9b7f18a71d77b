#include "pioneer/risk/saved_strata.h"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "pioneer/risk/stratification.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::risk {

std::string ModelId(const RiskModel& model) { return "sha256:" + model.data_sha256.substr(0, 16); }

StatusOr<int64_t> SaveStrata(store::Store& store, const timeline::Timeline& t,
                             const RiskModel& model, const Scores& s,
                             std::span<const std::string> leave_out, const Strata* given) {
  if (!store.HasTable("risk_strata")) {
    return FailedPreconditionError("the store has no risk_strata table (schema version 5)");
  }
  const Cohort& c = s.cohort;
  const size_t n = c.rows();
  const Strata strata = given != nullptr ? Strata{} : Stratify(c.practice, s.boosted[kEmergency]);
  const Strata& st = given != nullptr ? *given : strata;
  const std::string day = c.index_date.ToIso(), model_id = ModelId(model);
  const std::string saved_at = store::UtcNowIso8601();
  const bool has_rub = s.boosted[kTopCost].size() == n;
  // The rows kept, in cohort order (the order their stratum_id follows).
  std::vector<size_t> keep;
  keep.reserve(n);
  for (size_t i = 0; i < n; ++i) {
    const std::string_view nhs = t.persons().nhs_number[c.person[i]];
    if (!std::binary_search(leave_out.begin(), leave_out.end(), nhs,
                            [](std::string_view a, std::string_view b) { return a < b; })) {
      keep.push_back(i);
    }
  }
  // Many rows per INSERT statement (kRowsPerInsert, the last statement the rest): one
  // statement's overhead (binding, the AUTOINCREMENT counter's update) per batch instead of
  // per row. Rows are inserted in the same order as one at a time, so they get the same
  // stratum_id. The dialect's bulk insert (SQLite: INSERT OR FAIL): a statement that could
  // undo its own earlier rows on a constraint error would keep a statement journal of every
  // page it changes (spilled to a temporary file: 157,000 writes at 100,000 people); a
  // failure still rolls back the whole save (InTransaction). ?1 the index date, ?2 the model, ?3
  // the save time (the same in every row); each row's own seven values follow.
  constexpr size_t kRowsPerInsert = 64;
  constexpr int kShared = 3, kOwn = 7;
  auto insert_sql = [&store](size_t rows) {
    std::string sql = std::string(store.dialect().BulkInsert()) +
                      " INTO risk_strata(nhs_number, index_date, model_id, practice, age, "
                      "top2_practice, top4_practice, loa_band, rub_band, saved_at) VALUES";
    for (size_t r = 0; r < rows; ++r) {
      const size_t o = kShared + r * kOwn;  // this row's first parameter is ?(o + 1)
      sql += fmt::format("{}(?{},?1,?2,?{},?{},?{},?{},?{},?{},?3)", r == 0 ? "" : ",", o + 1,
                         o + 2, o + 3, o + 4, o + 5, o + 6, o + 7);
    }
    return sql;
  };
  const std::string full_sql = insert_sql(kRowsPerInsert);
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    const std::vector<store::Param> date = {store::Param::Of(day)};
    PIONEER_RETURN_IF_ERROR(
        store.Execute("DELETE FROM risk_strata WHERE index_date = ?1", date).status());
    std::vector<store::Param> params;
    params.reserve(kShared + kRowsPerInsert * kOwn);
    for (size_t b = 0; b < keep.size(); b += kRowsPerInsert) {
      const size_t rows = std::min(kRowsPerInsert, keep.size() - b);
      params.clear();
      params.push_back(store::Param::Of(day));
      params.push_back(store::Param::Of(model_id));
      params.push_back(store::Param::Of(saved_at));
      for (size_t r = b; r < b + rows; ++r) {
        const size_t i = keep[r];
        const std::string_view nhs = t.persons().nhs_number[c.person[i]];
        params.push_back(store::Param::Of(nhs));
        params.push_back(store::Param::Of(c.practice[i]));
        params.push_back(store::Param::Of(static_cast<int64_t>(c.at(i, kAge))));
        params.push_back(store::Param::Of(static_cast<int64_t>(st.top2_practice[i])));
        params.push_back(store::Param::Of(static_cast<int64_t>(st.top4_practice[i])));
        params.push_back(
            store::Param::Of(static_cast<int64_t>(LoaBand(s.boosted[kAnyAdmission][i]))));
        params.push_back(
            has_rub ? store::Param::Of(static_cast<int64_t>(RubBand(s.boosted[kTopCost][i])))
                    : store::Param::Null());
      }
      PIONEER_RETURN_IF_ERROR(
          store.Execute(rows == kRowsPerInsert ? full_sql : insert_sql(rows), params).status());
    }
    return OkStatus();
  }));
  const int64_t saved = static_cast<int64_t>(keep.size());
  return saved;
}

}  // namespace pioneer::risk
