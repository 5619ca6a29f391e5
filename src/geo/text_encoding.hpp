#pragma once
// Text encodings of surveyors' files: UTF-8 (with or without BOM), GBK/GB18030 (what Chinese
// Windows tools write by default), occasionally UTF-16 ("Unicode" in Notepad).
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace mineplan::geo {

// Offset of the first byte that is not part of well-formed UTF-8 (overlong forms, surrogates
// and code points above U+10FFFF are ill-formed), or nullopt when the text is valid.
std::optional<std::size_t> invalid_utf8_offset(std::string_view bytes);

struct Conversion {
  std::string text;                        // converted text, valid when !error_offset
  std::optional<std::size_t> error_offset; // input offset of the first unconvertible byte
};

// Converts with iconv(3) between two encodings named as iconv names them ("GB18030",
// "UTF-8", "UTF-16LE" …). Throws mineplan::Error only when iconv does not know an encoding.
Conversion convert_encoding(std::string_view bytes, const char *from, const char *to);

} // namespace mineplan::geo
