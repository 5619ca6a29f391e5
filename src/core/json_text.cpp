#include "core/json_text.hpp"

#include <algorithm>

namespace mineplan {

namespace {

struct Position {
  int line = 1;
  int column = 1;
};

Position position_of(std::string_view text, std::size_t byte) {
  Position p;
  byte = std::min(byte, text.size());
  for (std::size_t i = 0; i < byte; ++i) {
    if (text[i] == '\n') {
      ++p.line;
      p.column = 1;
    } else if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) {
      ++p.column; // count characters, not UTF-8 continuation bytes
    }
  }
  return p;
}

std::string where(const Position &p) {
  return "第 " + std::to_string(p.line) + " 行第 " + std::to_string(p.column) + " 列";
}

// nlohmann's messages name the problem in English after a fixed prefix; what a user needs is
// what was expected, in Chinese, with the English kept for the record.
std::string explain(const nlohmann::json::exception &e) {
  const std::string what = e.what();
  if (what.find("ill-formed UTF-8") != std::string::npos ||
      what.find("invalid UTF-8") != std::string::npos)
    return "字符串含有无效的 UTF-8 字节（应为 UTF-8 编码的文本）";
  if (what.find("number overflow") != std::string::npos)
    return "数值超出可表示的范围（应为有限的数）";
  if (what.find("unexpected end of input") != std::string::npos)
    return "JSON 文本不完整（缺少结尾的括号或引号）";
  if (what.find("control character") != std::string::npos) return "字符串中含有未转义的控制字符";
  return "不是有效的 JSON（应为 JSON 文本）";
}

} // namespace

std::optional<std::size_t> json_too_deep_at(std::string_view text, int max_depth) {
  int depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char ch = text[i];
    if (in_string) {
      if (ch == '\\')
        ++i; // the escaped character cannot end the string
      else if (ch == '"')
        in_string = false;
      continue;
    }
    switch (ch) {
    case '"': in_string = true; break;
    case '[':
    case '{':
      if (++depth > max_depth) return i;
      break;
    case ']':
    case '}':
      if (depth > 0) --depth; // an unbalanced closer is the parser's to report
      break;
    default: break;
    }
  }
  return std::nullopt;
}

Json parse_json_text(std::string_view text, const std::string &source, int max_depth) {
  if (auto at = json_too_deep_at(text, max_depth))
    throw InputError(source, position_of(text, *at).line, "",
                     where(position_of(text, *at)) + "：JSON 嵌套超过 " +
                         std::to_string(max_depth) + " 层（应为不超过 " +
                         std::to_string(max_depth) + " 层的对象或数组）");
  try {
    return Json::parse(text);
  } catch (const Json::parse_error &e) {
    // The byte is one past the character that failed.
    const Position p = position_of(text, e.byte > 0 ? e.byte - 1 : 0);
    throw InputError(source, p.line, "", where(p) + "：" + explain(e));
  } catch (const Json::exception &e) {
    // out_of_range 406 (number overflow) carries no position.
    throw InputError(source, 0, "", explain(e));
  }
}

std::optional<Json> try_parse_json_text(std::string_view text, int max_depth) {
  if (json_too_deep_at(text, max_depth)) return std::nullopt;
  try {
    return Json::parse(text);
  } catch (const Json::exception &) {
    return std::nullopt;
  }
}

bool is_valid_utf8(std::string_view text) {
  std::size_t i = 0;
  const std::size_t n = text.size();
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  while (i < n) {
    const unsigned char c = byte(i);
    if (c < 0x80) {
      ++i;
      continue;
    }
    int extra = 0;
    std::uint32_t cp = 0;
    if (c >= 0xC2 && c <= 0xDF) {
      extra = 1;
      cp = c & 0x1F;
    } else if (c >= 0xE0 && c <= 0xEF) {
      extra = 2;
      cp = c & 0x0F;
    } else if (c >= 0xF0 && c <= 0xF4) {
      extra = 3;
      cp = c & 0x07;
    } else {
      return false; // a continuation byte first, an overlong lead (C0, C1) or beyond F4
    }
    if (i + static_cast<std::size_t>(extra) >= n) return false; // cut short
    for (int k = 1; k <= extra; ++k) {
      const unsigned char cc = byte(i + static_cast<std::size_t>(k));
      if ((cc & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (cc & 0x3F);
    }
    if ((extra == 2 && cp < 0x800) || (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
        (cp >= 0xD800 && cp <= 0xDFFF))
      return false;
    i += static_cast<std::size_t>(extra) + 1;
  }
  return true;
}

} // namespace mineplan
