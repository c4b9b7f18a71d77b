#include "pioneer/ig/crypto.h"

#include <gtest/gtest.h>

namespace pioneer::ig {
namespace {

TEST(CryptoTest, PasswordHashIsArgon2idAndVerifies) {
  ASSERT_TRUE(InitCrypto().ok());
  auto h = HashPassword("a long enough password");
  ASSERT_TRUE(h.ok());
  EXPECT_EQ(h->rfind("$argon2id$", 0), 0u) << *h;
  EXPECT_TRUE(VerifyPassword(*h, "a long enough password"));
  EXPECT_FALSE(VerifyPassword(*h, "a long enough passworD"));
  EXPECT_NE(*h, *HashPassword("a long enough password"));  // salted
}

TEST(CryptoTest, TokensAreRandomAndStoredAsDigests) {
  ASSERT_TRUE(InitCrypto().ok());
  std::string a = NewToken(), b = NewToken();
  EXPECT_EQ(a.size(), 43u);
  EXPECT_NE(a, b);
  EXPECT_EQ(TokenDigest(a).size(), 64u);
  EXPECT_EQ(TokenDigest(a), TokenDigest(a));
  EXPECT_NE(TokenDigest(a), TokenDigest(b));
  EXPECT_EQ(TokenDigest(a).find(a), std::string::npos);
}

TEST(CryptoTest, PseudonymsDependOnTheKey) {
  ASSERT_TRUE(InitCrypto().ok());
  auto n = NhsNumber::Parse("9434765919");
  auto m = NhsNumber::Parse("9434765870");
  ASSERT_TRUE(n && m);
  Pseudonymiser k1(std::string(32, 'a')), k2(std::string(32, 'b'));
  EXPECT_EQ(k1.Key(*n), k1.Key(*n));
  EXPECT_NE(k1.Key(*n), k1.Key(*m));
  EXPECT_NE(k1.Key(*n), k2.Key(*n));
  EXPECT_EQ(k1.Key(*n).size(), 32u);
  EXPECT_EQ(k1.Key(*n).find("9434765919"), std::string::npos);
}

}  // namespace
}  // namespace pioneer::ig
