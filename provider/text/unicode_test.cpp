#include "provider/text/unicode.h"

#include <set>
#include <string>

#include <gtest/gtest.h>

namespace text {
namespace {

TEST(JiraLowerCase, AsciiLetters) {
  EXPECT_EQ(JiraLowerCase("GitLab-Developers"), "gitlab-developers");
  EXPECT_EQ(JiraLowerCase("a_B.c@D"), "a_b.c@d");
}

TEST(JiraLowerCase, LettersBeyondAscii) {
  EXPECT_EQ(JiraLowerCase("Équipe"), "équipe");
  EXPECT_EQ(JiraLowerCase("GRÜN"), "grün");
  EXPECT_EQ(JiraLowerCase("ΟΔΟΣ"), "οδος");  // final sigma: Java maps a word-final Σ to ς
  EXPECT_EQ(JiraLowerCase("ПРИВЕТ"), "привет");
}

TEST(JiraLowerCase, LowerCasingIsNotFolding) {
  // Java's toLowerCase leaves ß alone and never produces "ss": Straße and STRASSE differ.
  EXPECT_EQ(JiraLowerCase("Straße"), "straße");
  EXPECT_FALSE(EqualsIgnoreCase("Straße", "STRASSE"));
}

TEST(JiraLowerCase, DottedCapitalIGrowsAsInJava) {
  // "İ".toLowerCase(Locale.ENGLISH) is "i̇" (i + U+0307 combining dot), two code points.
  EXPECT_EQ(JiraLowerCase("İ"), "i\xCC\x87");
}

TEST(JiraLowerCase, InvalidUtf8KeepsItsBytes) {
  std::string bad1 = "A\xFF", bad2 = "A\xFE";
  EXPECT_EQ(JiraLowerCase(bad1), "a\xFF");
  EXPECT_FALSE(EqualsIgnoreCase(bad1, bad2));
  EXPECT_FALSE(IsValidUtf8(bad1));
  EXPECT_TRUE(IsValidUtf8("Équipe"));
}

TEST(EqualsIgnoreCase, MatchesJiraNames) {
  EXPECT_TRUE(EqualsIgnoreCase("Équipe", "équipe"));
  EXPECT_TRUE(EqualsIgnoreCase("GITLAB", "gitlab"));
  EXPECT_FALSE(EqualsIgnoreCase("gitlab", "gitlab2"));
  EXPECT_FALSE(EqualsIgnoreCase("Équipe", "Equipe"));
  EXPECT_TRUE(EqualsIgnoreCase("", ""));
}

TEST(LessIgnoreCase, OrdersCaseVariantsAsOne) {
  std::set<std::string, LessIgnoreCase> names{"Équipe", "équipe", "ÉQUIPE", "b"};
  EXPECT_EQ(names.size(), 2u);
}

}  // namespace
}  // namespace text
