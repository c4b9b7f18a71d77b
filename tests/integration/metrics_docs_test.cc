// docs/metrics.md carries a block generated from the metric catalogue; it must be current.
// Refresh: PIONEER_UPDATE_DOCS=1 ./pioneer_integration_tests --gtest_filter='MetricsDocs*'
// (or `pioneer metrics --update-docs docs/metrics.md`).
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>

#include "pioneer/metrics/definition.h"
#include "pioneer/metrics/docs.h"
#include "testing/test_util.h"

namespace pioneer {
namespace {

TEST(MetricsDocs, GeneratedReferenceIsCurrent) {
  std::string path = testing::SourceDir() + "/docs/metrics.md";
  std::string doc = testing::ReadFile(path);
  ASSERT_NE(doc.find(metrics::kBeginGenerated), std::string::npos) << path;
  std::string updated = metrics::UpdateGeneratedBlock(doc);
  if (std::getenv("PIONEER_UPDATE_DOCS") && updated != doc) {
    std::ofstream(path, std::ios::trunc) << updated;
    doc = updated;
  }
  EXPECT_EQ(doc, updated) << "docs/metrics.md is stale; see the comment at the top of this test";
  // Every metric and switch has a section / row.
  for (const auto& d : metrics::BuildCatalogue({})) {
    EXPECT_NE(doc.find("### `" + d.id + "`"), std::string::npos) << d.id;
  }
  for (const auto& s : metrics::AllSwitches()) {
    EXPECT_NE(doc.find("`" + s.name + "`"), std::string::npos) << s.name;
  }
}

}  // namespace
}  // namespace pioneer
