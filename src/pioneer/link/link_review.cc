#include "pioneer/link/link_review.h"

#include <fmt/format.h>

#include <algorithm>

#include "pioneer/store/utc_time.h"

namespace pioneer::link {
namespace {

using store::Param;
using store::RowView;

void ParseEvidence(std::string_view text, ReviewItem* item) {
  const nlohmann::json j = nlohmann::json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded() || !j.is_object()) return;
  if (j.contains("candidates")) {
    for (const auto& c : j["candidates"]) {
      ReviewCandidateEvidence e;
      e.weight = c.value("weight", 0.0);
      e.probability = c.value("probability", 0.0);
      e.blocks_hit = c.value("blocks_hit", 0);
      if (c.contains("fields")) {
        for (const auto& f : c["fields"]) {
          e.levels.emplace_back(f.value("comparison", ""), f.value("level", ""));
          e.field_weights.push_back(f.value("weight", 0.0));
        }
      }
      item->candidates.push_back(std::move(e));
    }
  }
  if (item->candidates.size() > 1) {
    item->runner_up_gap = item->candidates[0].weight - item->candidates[1].weight;
  }
}

}  // namespace

StatusOr<std::vector<ReviewItem>> ListReviewItems(store::Store& store, bool include_decided) {
  if (!store.HasTable("record_links")) {
    return FailedPreconditionError("the store has no linkage tables: run `pioneer link` first");
  }
  std::vector<ReviewItem> items;
  const std::string sql = fmt::format(
      "SELECT l.link_id, l.source_table, l.row_id, l.own_number_status, l.mps_step, "
      "l.reason_code, l.decision, l.evidence, r.decided_by, r.decided_at "
      "FROM record_links l LEFT JOIN link_reviews r ON r.source_table = l.source_table AND "
      "r.row_id = l.row_id AND r.nhs_number = l.traced_nhs_number "
      "WHERE l.decision {} ORDER BY l.link_id",
      include_decided ? "IN ('review', 'accepted', 'rejected')" : "= 'review'");
  PIONEER_RETURN_IF_ERROR(store.Query(sql, {}, [&](const RowView& r) {
    ReviewItem it;
    it.link_id = r.Int(0);
    it.source_table = std::string(r.Text(1));
    it.row_id = r.Int(2);
    it.own_number_status = std::string(r.Text(3));
    it.mps_step = static_cast<int>(r.Int(4));
    it.reason_code = std::string(r.Text(5));
    it.decision = std::string(r.Text(6));
    ParseEvidence(r.Text(7), &it);
    it.decided_by = std::string(r.Text(8));
    it.decided_at = std::string(r.Text(9));
    items.push_back(std::move(it));
  }));
  return items;
}

std::string ReviewItemsText(const std::vector<ReviewItem>& items) {
  std::string out;
  if (items.empty()) return "review queue: empty\n";
  out += fmt::format(
      "review queue: {} item(s). Levels only; look values up in the source "
      "systems you are entitled to see.\n",
      items.size());
  for (const ReviewItem& it : items) {
    out += fmt::format(
        "\n#{}  {} row {}  own NHS Number: {}  reason: {}  decision: {}{}\n", it.link_id,
        it.source_table, it.row_id, it.own_number_status, it.reason_code, it.decision,
        it.decided_by.empty() ? "" : fmt::format(" (by {} at {})", it.decided_by, it.decided_at));
    if (it.candidates.empty()) {
      out += "  no scored candidates\n";
      continue;
    }
    const size_t k = std::min<size_t>(it.candidates.size(), 3);
    std::string head = fmt::format("  {:<14}", "field");
    for (size_t c = 0; c < k; ++c) {
      head += fmt::format(" | {:<22}", fmt::format("candidate {}", c + 1));
    }
    out += head + "\n";
    const auto& fields = it.candidates[0].levels;
    for (size_t f = 0; f < fields.size(); ++f) {
      std::string row = fmt::format("  {:<14}", fields[f].first);
      for (size_t c = 0; c < k; ++c) {
        const auto& cand = it.candidates[c];
        row += f < cand.levels.size() ? fmt::format(" | {:<14} {:>+7.2f}", cand.levels[f].second,
                                                    cand.field_weights[f])
                                      : fmt::format(" | {:<22}", "");
      }
      out += row + "\n";
    }
    std::string total = fmt::format("  {:<14}", "total");
    for (size_t c = 0; c < k; ++c) {
      total += fmt::format(" | w {:>+7.2f} p {:<9.4f}", it.candidates[c].weight,
                           it.candidates[c].probability);
    }
    out += total + "\n";
    if (it.runner_up_gap >= 0) {
      out += fmt::format("  gap best - runner-up: {:.2f} bits\n", it.runner_up_gap);
    }
  }
  out +=
      "\naccept: pioneer link review accept ID --by NAME [--candidate K] --db FILE\n"
      "reject: pioneer link review reject ID --by NAME --db FILE\n";
  return out;
}

nlohmann::json ReviewItemsJson(const std::vector<ReviewItem>& items) {
  nlohmann::json arr = nlohmann::json::array();
  for (const ReviewItem& it : items) {
    nlohmann::json cands = nlohmann::json::array();
    for (const auto& c : it.candidates) {
      nlohmann::json fields = nlohmann::json::array();
      for (size_t f = 0; f < c.levels.size(); ++f) {
        fields.push_back({{"comparison", c.levels[f].first},
                          {"level", c.levels[f].second},
                          {"weight", c.field_weights[f]}});
      }
      cands.push_back({{"weight", c.weight},
                       {"probability", c.probability},
                       {"blocks_hit", c.blocks_hit},
                       {"fields", std::move(fields)}});
    }
    nlohmann::json j = {{"link_id", it.link_id},   {"source_table", it.source_table},
                        {"row_id", it.row_id},     {"own_number_status", it.own_number_status},
                        {"mps_step", it.mps_step}, {"reason_code", it.reason_code},
                        {"decision", it.decision}, {"candidates", std::move(cands)}};
    if (!it.decided_by.empty()) {
      j["decided_by"] = it.decided_by;
      j["decided_at"] = it.decided_at;
    }
    arr.push_back(std::move(j));
  }
  return arr;
}

StatusOr<std::string> DecideReview(store::Store& store, const ReviewVerdict& v) {
  if (v.reviewer.empty()) return InvalidArgumentError("--by: the reviewer's name is required");
  if (v.candidate < 1) return InvalidArgumentError("--candidate counts from 1");
  if (!store.HasTable("record_links")) {
    return FailedPreconditionError("the store has no linkage tables: run `pioneer link` first");
  }
  bool found = false;
  std::string table, decision, traced, evidence;
  int64_t row_id = 0, run_id = 0;
  const Param id[] = {Param::Of(v.link_id)};
  PIONEER_RETURN_IF_ERROR(
      store.Query("SELECT source_table, row_id, decision, traced_nhs_number, evidence, run_id "
                  "FROM record_links WHERE link_id = ?1",
                  id, [&](const RowView& r) {
                    found = true;
                    table = std::string(r.Text(0));
                    row_id = r.Int(1);
                    decision = std::string(r.Text(2));
                    traced = std::string(r.Text(3));
                    evidence = std::string(r.Text(4));
                    run_id = r.Int(5);
                  }));
  if (!found) return NotFoundError(fmt::format("no linkage decision #{}", v.link_id));
  if (decision != "review" && decision != "accepted" && decision != "rejected") {
    return FailedPreconditionError(
        fmt::format("decision #{} is '{}', not waiting for review", v.link_id, decision));
  }
  // The number the verdict is about: candidate k of the evidence (1 = the proposal).
  std::string number = v.candidate == 1 ? traced : "";
  const nlohmann::json j = nlohmann::json::parse(evidence, nullptr, false);
  if (!j.is_discarded() && j.contains("candidates")) {
    const auto& cands = j["candidates"];
    if (static_cast<size_t>(v.candidate) <= cands.size()) {
      const std::string n = cands[static_cast<size_t>(v.candidate - 1)].value("nhs_number", "");
      if (v.candidate > 1 || number.empty()) number = n;
    }
  }
  if (number.empty()) {
    return FailedPreconditionError(
        fmt::format("decision #{} has no candidate {}", v.link_id, v.candidate));
  }
  const std::string verdict = v.accept ? "accepted" : "rejected";
  PIONEER_RETURN_IF_ERROR(store.InTransaction([&]() -> Status {
    if (v.accept) {
      const Param p[] = {Param::Of(table), Param::Of(row_id)};
      PIONEER_RETURN_IF_ERROR(store
                                  .Execute("DELETE FROM link_reviews WHERE source_table = ?1 "
                                           "AND row_id = ?2 AND verdict = 'accepted'",
                                           p)
                                  .status());
    }
    const Param p[] = {Param::Of(table),   Param::Of(row_id),     Param::Of(number),
                       Param::Of(verdict), Param::Of(v.reviewer), Param::Of(store::UtcNowIso8601()),
                       Param::Of(run_id)};
    PIONEER_RETURN_IF_ERROR(
        store
            .Execute("INSERT INTO link_reviews(source_table, row_id, nhs_number, verdict, "
                     "decided_by, decided_at, link_run_id) VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7) "
                     "ON CONFLICT(source_table, row_id, nhs_number) DO UPDATE SET "
                     "verdict = excluded.verdict, decided_by = excluded.decided_by, "
                     "decided_at = excluded.decided_at, link_run_id = excluded.link_run_id",
                     p)
            .status());
    const Param u[] = {Param::Of(verdict), Param::Of(number), Param::Of(v.link_id)};
    return store
        .Execute(
            "UPDATE record_links SET decision = ?1, traced_nhs_number = ?2 "
            "WHERE link_id = ?3",
            u)
        .status();
  }));
  return verdict;
}

}  // namespace pioneer::link
