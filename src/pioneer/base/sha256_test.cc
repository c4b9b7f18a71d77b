#include "pioneer/base/sha256.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

namespace pioneer {
namespace {

// Test vectors from FIPS 180-2 appendix B.
TEST(Sha256Test, KnownVectors) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256Test, IncrementalEqualsOneShot) {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += static_cast<char>('a' + i % 26);
  Sha256 h;
  for (size_t i = 0; i < data.size(); i += 777) h.Update(std::string_view(data).substr(i, 777));
  EXPECT_EQ(h.FinishHex(), Sha256Hex(data));
}

TEST(Sha256Test, FileDigestAndMissingFile) {
  auto path = std::filesystem::temp_directory_path() / "pioneer_sha256_test.bin";
  std::FILE* f = std::fopen(path.c_str(), "wb");
  ASSERT_NE(f, nullptr);
  std::fputs("abc", f);
  std::fclose(f);
  auto hex = Sha256FileHex(path.string());
  ASSERT_TRUE(hex.ok());
  EXPECT_EQ(*hex, Sha256Hex("abc"));
  std::filesystem::remove(path);
  EXPECT_EQ(Sha256FileHex(path.string()).status().code(), StatusCode::kUnavailable);
}

}  // namespace
}  // namespace pioneer
