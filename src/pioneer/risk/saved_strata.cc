#include "pioneer/risk/saved_strata.h"

#include <algorithm>
#include <vector>

#include "pioneer/risk/stratification.h"
#include "pioneer/store/utc_time.h"

namespace pioneer::risk {

std::string ModelId(const RiskModel& model) { return "sha256:" + model.data_sha256.substr(0, 16); }

StatusOr<int64_t> SaveStrata(store::Store& store, const timeline::Timeline& t,
                             const RiskModel& model, const Scores& s,
                             std::span<const std::string> leave_out) {
  if (!store.HasTable("risk_strata")) {
    return FailedPreconditionError("the store has no risk_strata table (schema version 5)");
  }
  const Cohort& c = s.cohort;
  const size_t n = c.rows();
  const Strata strata = Stratify(c.practice, s.boosted[kEmergency]);
  const std::string day = c.index_date.ToIso(), model_id = ModelId(model);
  const std::string saved_at = store::UtcNowIso8601();
  const bool has_rub = s.boosted[kTopCost].size() == n;
  int64_t saved = 0;
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    const std::vector<store::Param> date = {store::Param::Of(day)};
    PIONEER_RETURN_IF_ERROR(
        store.Execute("DELETE FROM risk_strata WHERE index_date = ?1", date).status());
    for (size_t i = 0; i < n; ++i) {
      const std::string_view nhs = t.persons().nhs_number[c.person[i]];
      if (std::binary_search(leave_out.begin(), leave_out.end(), nhs,
                             [](std::string_view a, std::string_view b) { return a < b; })) {
        continue;
      }
      const std::vector<store::Param> row = {
          store::Param::Of(nhs),
          store::Param::Of(day),
          store::Param::Of(model_id),
          store::Param::Of(c.practice[i]),
          store::Param::Of(static_cast<int64_t>(c.at(i, kAge))),
          store::Param::Of(static_cast<int64_t>(strata.top2_practice[i])),
          store::Param::Of(static_cast<int64_t>(strata.top4_practice[i])),
          store::Param::Of(static_cast<int64_t>(LoaBand(s.boosted[kAnyAdmission][i]))),
          has_rub ? store::Param::Of(static_cast<int64_t>(RubBand(s.boosted[kTopCost][i])))
                  : store::Param::Null(),
          store::Param::Of(saved_at)};
      PIONEER_RETURN_IF_ERROR(
          store
              .Execute("INSERT INTO risk_strata(nhs_number, index_date, model_id, practice, age, "
                       "top2_practice, top4_practice, loa_band, rub_band, saved_at) "
                       "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
                       row)
              .status());
      ++saved;
    }
    return OkStatus();
  }));
  return saved;
}

}  // namespace pioneer::risk
