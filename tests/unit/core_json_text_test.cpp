// src/core/json_text: the depth bound, Chinese errors with line and column, UTF-8 checks.
#include "core/json_text.hpp"

#include <gtest/gtest.h>

using mineplan::InputError;
using mineplan::is_valid_utf8;
using mineplan::json_too_deep_at;
using mineplan::parse_json_text;
using mineplan::try_parse_json_text;

namespace {

std::string nested(int depth) {
  return std::string(static_cast<std::size_t>(depth), '[') +
         std::string(static_cast<std::size_t>(depth), ']');
}

InputError error_of(const std::string &text) {
  try {
    parse_json_text(text, "test.json");
  } catch (const InputError &e) {
    return e;
  }
  throw std::runtime_error("parsed: " + text);
}

} // namespace

TEST(CoreJsonText, NestingUpToTheBoundParses) {
  EXPECT_TRUE(parse_json_text(nested(mineplan::kMaxJsonDepth), "x").is_array());
}

TEST(CoreJsonText, NestingBeyondTheBoundIsAnErrorAtItsPosition) {
  const std::string text =
      "{\n\"a\": " + nested(mineplan::kMaxJsonDepth - 1) + ",\n\"b\": " + nested(150000) + "}";
  InputError e = error_of(text);
  EXPECT_EQ(e.source(), "test.json");
  EXPECT_EQ(e.line(), 3);
  EXPECT_NE(e.detail().find("嵌套超过 64 层"), std::string::npos) << e.what();
}

TEST(CoreJsonText, BracketsInsideStringsDoNotCount) {
  const std::string text = "{\"a\": \"" + std::string(1000, '[') + "\\\"" + "\"}";
  EXPECT_FALSE(json_too_deep_at(text, 4));
  EXPECT_EQ(parse_json_text(text, "x")["a"].get<std::string>().size(), 1001u);
}

TEST(CoreJsonText, SyntaxErrorsNameLineAndColumn) {
  InputError e = error_of("{\n  \"a\": 1,\n  \"b\": ]\n}");
  EXPECT_EQ(e.line(), 3);
  EXPECT_NE(e.detail().find("第 3 行第 8 列"), std::string::npos) << e.what();
}

TEST(CoreJsonText, NumbersBeyondDoubleAreAnError) {
  InputError e = error_of("{\"x\": 1e999}");
  EXPECT_NE(e.detail().find("数值超出"), std::string::npos) << e.what();
  EXPECT_THROW(parse_json_text("[-1e309]", "x"), InputError);
}

TEST(CoreJsonText, InvalidUtf8InStringsIsAnError) {
  InputError e = error_of("[\"ok\",\n\"\xFF\"]");
  EXPECT_EQ(e.line(), 2);
  EXPECT_NE(e.detail().find("UTF-8"), std::string::npos) << e.what();
}

TEST(CoreJsonText, TryParseGivesNothingForBadOrDeepText) {
  EXPECT_FALSE(try_parse_json_text("{"));
  EXPECT_FALSE(try_parse_json_text(nested(1000)));
  EXPECT_TRUE(try_parse_json_text("{\"a\":[1]}"));
}

TEST(CoreJsonText, Utf8Validation) {
  EXPECT_TRUE(is_valid_utf8("矿产资源 abc"));
  EXPECT_TRUE(is_valid_utf8("\xF0\x9F\x98\x80")); // U+1F600
  EXPECT_FALSE(is_valid_utf8("\xFF"));
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));         // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));     // a surrogate
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80")); // beyond U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xE4\xB8"));         // cut short
  EXPECT_FALSE(is_valid_utf8("\x80"));
}
