#include "pioneer/documents/document_store.h"

#include <gtest/gtest.h>

#include <filesystem>

namespace pioneer::documents {
namespace {

namespace fs = std::filesystem;

class DocumentStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = fs::path(::testing::TempDir()) /
            ("documents_" +
             std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) + ".db");
    fs::remove(path_);
    auto s = store::Store::OpenSqlite(path_.string());
    ASSERT_TRUE(s.ok()) << s.status().message();
    store_ = std::move(*s);
  }
  void TearDown() override {
    store_.reset();
    fs::remove(path_);
  }
  static Document Obs(const std::string& identifier, const std::string& value) {
    Document d;
    d.resource_type = "Observation";
    d.nhs_number = NhsNumber::Parse("9434765919");
    d.org_code = "RR8";
    d.identifier = identifier;
    d.clinical_date = "2024-02-03";
    d.resource = R"({"resourceType":"Observation","valueQuantity":{"value":)" + value + "}}";
    d.written_by = "nurse_r";
    return d;
  }
  fs::path path_;
  std::unique_ptr<store::Store> store_;
};

TEST_F(DocumentStoreTest, AddUpdateAndHistoryKeepEveryVersion) {
  StatusOr<int64_t> id = AddDocument(*store_, Obs("https://rr8.example/obs|1", "71"));
  ASSERT_TRUE(id.ok()) << id.status().message();
  Document changed = Obs("https://rr8.example/obs|1", "72");
  changed.doc_id = *id;
  // Only from the current version.
  StatusOr<int64_t> stale = UpdateDocument(*store_, changed, 2);
  ASSERT_FALSE(stale.ok());
  EXPECT_EQ(stale.status().code(), StatusCode::kFailedPrecondition);
  StatusOr<int64_t> v2 = UpdateDocument(*store_, changed, 1);
  ASSERT_TRUE(v2.ok()) << v2.status().message();
  EXPECT_EQ(*v2, 2);
  std::optional<Document> now = *GetDocument(*store_, *id);
  ASSERT_TRUE(now);
  EXPECT_EQ(now->version, 2);
  EXPECT_NE(now->resource.find("72"), std::string::npos);
  std::vector<Document> history = *DocumentHistory(*store_, *id);
  ASSERT_EQ(history.size(), 2u);
  EXPECT_NE(history[0].resource.find("71"), std::string::npos);
  EXPECT_EQ(history[1].version, 2);
  // The person, type and holder are fixed.
  Document moved = changed;
  moved.org_code = "B86001";
  EXPECT_EQ(UpdateDocument(*store_, moved, 2).status().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(UpdateDocument(*store_, changed, 9).status().code(), StatusCode::kFailedPrecondition);
  changed.doc_id = 999;
  EXPECT_EQ(UpdateDocument(*store_, changed, 1).status().code(), StatusCode::kNotFound);
  // The history cannot be edited.
  EXPECT_FALSE(store_->Execute("DELETE FROM fhir_document_history", {}).ok());
  EXPECT_FALSE(store_->Execute("UPDATE fhir_document_history SET resource = '{}'", {}).ok());
}

TEST_F(DocumentStoreTest, IdentifiersAreUniquePerTypeAndFoundBySystemOrValue) {
  ASSERT_TRUE(AddDocument(*store_, Obs("https://rr8.example/obs|A-1", "1")).ok());
  StatusOr<int64_t> again = AddDocument(*store_, Obs("https://rr8.example/obs|A-1", "2"));
  EXPECT_EQ(again.status().code(), StatusCode::kAlreadyExists);
  ASSERT_TRUE(AddDocument(*store_, Obs("https://other.example/obs|A-1", "3")).ok());
  ASSERT_TRUE(AddDocument(*store_, Obs("", "4")).ok());
  ASSERT_TRUE(AddDocument(*store_, Obs("", "5")).ok());  // no identifier: no constraint
  EXPECT_EQ(FindDocuments(*store_, "Observation", "https://rr8.example/obs|A-1", "")->size(), 1u);
  EXPECT_EQ(FindDocuments(*store_, "Observation", "", "|A-1")->size(), 2u);
  EXPECT_EQ(FindDocuments(*store_, "Observation", "", "|A-")->size(), 0u);
  EXPECT_EQ(FindDocuments(*store_, "Immunization", "", "|A-1")->size(), 0u);
  EXPECT_EQ(DocumentsOf(*store_, *NhsNumber::Parse("9434765919"), "Observation")->size(),
            4u);  // one refused
  EXPECT_EQ(DocumentsOf(*store_, *NhsNumber::Parse("9434765919"), "")->size(), 4u);
  EXPECT_EQ(DocumentsOf(*store_, *NhsNumber::Parse("9434765919"), "Immunization")->size(), 0u);
  EXPECT_EQ(DocumentsOf(*store_, *NhsNumber::Parse("4010232137"), "")->size(), 0u);
  Document wrong = Obs("", "1");
  wrong.resource_type = "Patient";
  EXPECT_EQ(AddDocument(*store_, wrong).status().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(IsDocumentType("DocumentReference"));
  EXPECT_TRUE(IsDocumentType("Encounter"));  // another organisation's, beside the extracts'
  EXPECT_TRUE(IsAlsoFromRecord("Encounter"));
  EXPECT_FALSE(IsAlsoFromRecord("Observation"));
  EXPECT_FALSE(IsDocumentType("Patient"));
  EXPECT_FALSE(IsDocumentType("EpisodeOfCare"));
}

}  // namespace
}  // namespace pioneer::documents
