#pragma once
// JSON text from outside (request bodies, application files, data files, store rows): parsed
// with a bound on nesting depth and every failure reported as an InputError naming the line,
// column and what was expected, in Chinese. nlohmann's DOM copies and compares recursively, so
// a document nested 150,000 levels deep would overflow the stack long after parsing: the depth
// is checked on the raw text before a DOM exists.
#include "core/error.hpp"
#include "core/model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace mineplan {

// Deeper than any document mineplan reads (a GeoJSON MultiPolygon in an application is 7
// levels), shallow enough that recursive copies stay far from the stack's end.
inline constexpr int kMaxJsonDepth = 64;

// Parses `text`; InputError(source, line, "", message) when it is not JSON, nests deeper than
// `max_depth`, holds invalid UTF-8 or a number beyond double's range.
Json parse_json_text(std::string_view text, const std::string &source,
                     int max_depth = kMaxJsonDepth);

// The same, for text that may legitimately not be JSON (a ledger cell): nullopt instead of an
// error.
std::optional<Json> try_parse_json_text(std::string_view text, int max_depth = kMaxJsonDepth);

// The first position (0-based byte offset) where `text` nests deeper than `max_depth`, if any.
// Brackets inside strings do not count.
std::optional<std::size_t> json_too_deep_at(std::string_view text, int max_depth);

// True when `text` is well-formed UTF-8 (no overlong forms, no surrogates, nothing past
// U+10FFFF).
bool is_valid_utf8(std::string_view text);

} // namespace mineplan
