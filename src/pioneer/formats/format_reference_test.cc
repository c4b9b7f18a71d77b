#include "pioneer/formats/format_reference.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

namespace pioneer::formats {
namespace {

TEST(FormatReferenceTest, MentionsEveryExtractAndField) {
  std::string md = FormatReferenceMarkdown();
  EXPECT_NE(md.find("### `social_care_events.csv`"), std::string::npos);
  EXPECT_NE(md.find("| `discharge_ready_date` |"), std::string::npos);
  EXPECT_NE(md.find("#### `admission_method`"), std::string::npos);
  EXPECT_NE(md.find("| `2A` |"), std::string::npos);
}

// docs/data-formats.md must hold exactly the generated reference: when a format or code set
// changes, regenerate it with `pioneer formats --update docs/data-formats.md`.
TEST(FormatReferenceTest, DocsDataFormatsIsCurrent) {
  const char* env = std::getenv("PIONEER_SOURCE_DIR");
  const char* root = env ? env : PIONEER_SOURCE_DIR_DEFAULT;
  std::ifstream in(std::string(root) + "/docs/data-formats.md");
  ASSERT_TRUE(in) << "docs/data-formats.md missing";
  std::stringstream ss;
  ss << in.rdbuf();
  std::string doc = ss.str();
  size_t b = doc.find(kGeneratedBegin);
  size_t e = doc.find(kGeneratedEnd);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  std::string generated =
      doc.substr(b + kGeneratedBegin.size() + 1, e - b - kGeneratedBegin.size() - 1);
  EXPECT_EQ(generated, FormatReferenceMarkdown())
      << "docs/data-formats.md is stale: run `pioneer formats --update docs/data-formats.md`";
}

}  // namespace
}  // namespace pioneer::formats
