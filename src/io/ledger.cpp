// Ledger rows -> Rights, Mines, Zones; cell parsers.
#include "io/ledger.hpp"

#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/json_text.hpp"

#include <algorithm>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <ctime>

namespace mineplan::io {
namespace {

// Folds full-width ASCII (U+FF01..U+FF5E) to ASCII and the ideographic space to a space:
// bureaus type ２０２１／３／１ and １３．９ in Chinese input mode.
std::string fold_fullwidth(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c == 0xEF && i + 2 < s.size()) {
      auto c1 = static_cast<unsigned char>(s[i + 1]), c2 = static_cast<unsigned char>(s[i + 2]);
      unsigned cp = ((c & 0x0F) << 12) | ((c1 & 0x3F) << 6) | (c2 & 0x3F);
      if (cp >= 0xFF01 && cp <= 0xFF5E) {
        out += static_cast<char>(cp - 0xFEE0);
        i += 2;
        continue;
      }
    }
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      out += ' ';
      i += 2;
      continue;
    }
    out += s[i];
  }
  return out;
}

// Production scale: t/a, m3/a, m3/d; gold and gems are sometimes given as a mass or volume.
constexpr std::initializer_list<Dimension> kScaleDimensions{
    Dimension::MassRate, Dimension::VolumeRate, Dimension::Mass, Dimension::Volume};

// The first `bytes` bytes of s, not cutting a UTF-8 character.
std::string utf8_prefix(const std::string &s, std::size_t bytes) {
  if (s.size() <= bytes) return s;
  while (bytes > 0 && (static_cast<unsigned char>(s[bytes]) & 0xC0) == 0x80)
    --bytes;
  return s.substr(0, bytes);
}

std::string dq(std::string_view s) {
  // Built by appending: GCC 12 warns falsely (-Wrestrict) on "literal" + std::string.
  std::string out(1, '"');
  out.append(s);
  out += '"';
  return out;
}

std::string join(const std::vector<std::string> &v, const std::string &sep) {
  std::string out;
  for (const auto &s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

bool is_digits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

std::optional<std::string> iso_date(int y, unsigned m, unsigned d) {
  using namespace std::chrono;
  year_month_day ymd{year{y}, month{m}, day{d}};
  if (!ymd.ok() || y < 1900 || y > 2200) return std::nullopt;
  char buf[48];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", y, m, d);
  return std::string(buf);
}

std::uint64_t fnv1a(std::string_view s) {
  std::uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

// Which column holds each field of a layer, for one table.
class ColumnMap {
public:
  ColumnMap(const LedgerTable &t, const LedgerSchema &schema, const std::string &layer) {
    for (std::size_t c = 0; c < t.columns.size(); ++c) {
      const std::string &h = t.columns[c];
      auto m = schema.match(layer, h);
      if (auto hint = schema.kind_hint(h)) hints_.insert(*hint);
      if (m.ignored) continue;
      if (m.field.empty() || field_col_.count(m.field)) {
        // Unknown, or a second column for a field (矿山名称 and 项目名称): kept verbatim.
        extra_.push_back(static_cast<int>(c));
        continue;
      }
      field_col_[m.field] = static_cast<int>(c);
      if (!m.unit.empty()) unit_[m.field] = m.unit;
    }
  }
  bool has(const std::string &field) const { return field_col_.count(field) > 0; }
  int col(const std::string &field) const {
    auto it = field_col_.find(field);
    return it == field_col_.end() ? -1 : it->second;
  }
  // Unit from the header's brackets: 矿区面积(公顷) -> ha.
  std::string header_unit(const std::string &field) const {
    auto it = unit_.find(field);
    return it == unit_.end() ? "" : it->second;
  }
  const std::vector<int> &extra() const { return extra_; }
  // The kind the headers suggest, when they agree.
  std::optional<std::string> kind_hint() const {
    if (hints_.size() == 1) return *hints_.begin();
    return std::nullopt;
  }

private:
  std::map<std::string, int> field_col_;
  std::map<std::string, std::string> unit_;
  std::vector<int> extra_;
  std::set<std::string> hints_;
};

// One record being converted: cell access and problem reporting.
class Row {
public:
  Row(const LedgerTable &t, const LedgerTable::Record &r, const ColumnMap &cols,
      const LedgerSchema &schema, const std::string &layer, std::vector<ImportProblem> &problems)
      : t_(t), r_(r), cols_(cols), schema_(schema), layer_(layer), problems_(problems) {}

  bool has(const std::string &field) const { return cols_.has(field); }
  // Trimmed cell text; empty when null, blank or the column is absent.
  std::string text(const std::string &field) const {
    int c = cols_.col(field);
    if (c < 0 || c >= static_cast<int>(r_.values.size()) || !r_.values[c]) return {};
    return trim_cell(*r_.values[c]);
  }
  // The header of a field as the file writes it, or its usual header.
  std::string header(const std::string &field) const {
    int c = cols_.col(field);
    if (c >= 0) return t_.columns[c];
    auto hs = schema_.headers_of(layer_, field);
    return hs.empty() ? field : hs.front();
  }
  void problem(const std::string &field, const std::string &message) {
    problems_.push_back(ImportProblem{t_.unit, r_.number, header(field), message});
    ++count_;
  }
  void problem_at(const std::string &column, const std::string &message) {
    problems_.push_back(ImportProblem{t_.unit, r_.number, column, message});
    ++count_;
  }
  int problem_count() const { return count_; }
  const LedgerTable::Record &record() const { return r_; }

  std::optional<std::string> vocab(const std::string &field) {
    std::string v = text(field);
    if (v.empty()) return std::string();
    std::string vocabulary = schema_.vocabulary_of(layer_, field);
    if (auto c = schema_.lookup(vocabulary, v)) return c;
    auto keys = schema_.vocabulary_keys(vocabulary);
    std::string expected;
    std::size_t shown = 0;
    for (const auto &k : keys) {
      if (++shown > 12) {
        expected += " …";
        break;
      }
      expected += (expected.empty() ? "" : "/") + k;
    }
    problem(field, "unknown value " + dq(v) + "; expected one of " + expected +
                       " (data/ledger-columns.json vocabularies." + vocabulary + ")");
    return std::nullopt;
  }

  std::optional<std::string> date(const std::string &field) {
    std::string v = text(field);
    if (v.empty()) return std::string();
    if (auto d = parse_date(v, t_.excel_dates)) return d;
    problem(field,
            "expected a date (2021-03-01, 2021/3/1, 2021年3月1日 or 20210301), found " + dq(v));
    return std::nullopt;
  }

  // Mineral names -> catalogue names.
  std::optional<std::vector<std::string>> minerals(const LedgerReference &ref) {
    std::vector<std::string> out;
    bool ok = true;
    for (const auto &name : split_list(text("minerals"))) {
      const Mineral *m = ref.find_mineral(name);
      if (!m) {
        problem("minerals",
                "unknown mineral " + dq(name) +
                    "; expected a name or alias of the mineral catalogue (data/minerals.json)");
        ok = false;
        continue;
      }
      if (std::find(out.begin(), out.end(), m->name) == out.end()) out.push_back(m->name);
    }
    if (!ok) return std::nullopt;
    return out;
  }

  // value + unit from (value_field, unit_field); the unit from the unit column, the header's
  // brackets, the cell itself (13.9万吨/年) or `fallback_unit`. nullopt value = cleared.
  struct QuantityCell {
    bool ok = true;
    std::optional<Quantity> q;
    std::string unit_source; // the column the unit came from, for messages
  };
  QuantityCell quantity(const std::string &value_field, const std::string &unit_field,
                        const std::string &fallback_unit, std::initializer_list<Dimension> dims,
                        const char *what) {
    QuantityCell out;
    std::string v = text(value_field);
    std::string unit_text = text(unit_field);
    if (v.empty()) {
      if (!unit_text.empty() && !find_unit(unit_text)) {
        problem(unit_field, "unknown unit " + dq(unit_text));
        out.ok = false;
      }
      return out;
    }
    auto parsed = parse_number_with_unit(v);
    if (!parsed) {
      problem(value_field, std::string("expected a number (") + what + "), found " + dq(v));
      out.ok = false;
      return out;
    }
    // What follows the number is its unit: with a unit column as well, it must be a unit that
    // agrees with it, never dropped unread ("1e300" is not 1 km2, "3万吨" is not 3 km2).
    if (!parsed->second.empty() && !unit_text.empty()) {
      const UnitInfo *own = find_unit(parsed->second), *column = find_unit(unit_text);
      if (!own || !column || std::string_view(own->symbol) != std::string_view(column->symbol)) {
        problem(value_field, std::string("应为数字 (expected a number (") + what + ") in " +
                                 dq(unit_text) + "), found " + dq(v));
        out.ok = false;
        return out;
      }
    }
    std::string unit;
    if (!unit_text.empty()) {
      unit = unit_text;
      out.unit_source = header(unit_field);
    } else if (!parsed->second.empty()) {
      unit = parsed->second;
      out.unit_source = header(value_field);
    } else if (auto hu = cols_.header_unit(value_field); !hu.empty()) {
      unit = hu;
      out.unit_source = header(value_field);
    } else if (!fallback_unit.empty()) {
      unit = fallback_unit;
    } else {
      problem(unit_field,
              std::string("expected the unit of ") + header(value_field) +
                  " (no unit column, no unit after the number, no mineral to take it from)");
      out.ok = false;
      return out;
    }
    const UnitInfo *u = find_unit(unit);
    if (!u) {
      problem(out.unit_source.empty() ? header(unit_field) : out.unit_source,
              "unknown unit " + dq(unit));
      out.ok = false;
      return out;
    }
    if (std::find(dims.begin(), dims.end(), u->dimension) == dims.end()) {
      problem(out.unit_source.empty() ? header(unit_field) : out.unit_source,
              "unit " + dq(unit) + " is not a unit of " + what);
      out.ok = false;
      return out;
    }
    if (parsed->first < 0) {
      problem(value_field,
              std::string("expected a non-negative number (") + what + "), found " + dq(v));
      out.ok = false;
      return out;
    }
    out.q = Quantity{parsed->first, std::string(u->symbol)};
    return out;
  }

  std::optional<std::string> jurisdiction(const LedgerReference &ref) {
    std::string v = fold_fullwidth(text("jurisdiction"));
    if (v.empty()) return std::string();
    std::string code;
    if (is_digits(v) && (v.size() == 6 || v.size() == 9 || v.size() == 12)) {
      code = v.substr(0, 6);
    } else if (!is_digits(v)) {
      for (const auto &d : ref.divisions)
        if (d.name == v) code = d.code;
      if (code.empty()) {
        problem("jurisdiction", "expected a GB/T 2260 administrative code (e.g. 150621) or a known "
                                "division name, found " +
                                    dq(v));
        return std::nullopt;
      }
    } else {
      problem("jurisdiction", "expected a 6-digit GB/T 2260 administrative code, found " + dq(v));
      return std::nullopt;
    }
    if (!ref.divisions.empty()) {
      bool known = std::any_of(ref.divisions.begin(), ref.divisions.end(),
                               [&](const Division &d) { return d.code == code; });
      if (!known) {
        problem("jurisdiction", "administrative code " + code + " is not in data/divisions.json");
        return std::nullopt;
      }
    }
    return code;
  }

  std::optional<Json> attributes(const Json &current) {
    Json attrs = current.is_object() ? current : Json::object();
    bool ok = true;
    if (has("attributes")) {
      std::string v = text("attributes");
      attrs = Json::object();
      if (!v.empty()) {
        auto parsed = try_parse_json_text(v);
        Json j = parsed ? std::move(*parsed) : Json(Json::value_t::discarded);
        if (j.is_discarded() || !j.is_object()) {
          problem("attributes", "expected a JSON object, found " + dq(utf8_prefix(v, 60) + "…"));
          ok = false;
        } else {
          attrs = j;
        }
      }
    }
    for (int c : cols_.extra()) {
      const std::string &h = t_.columns[c];
      if (h.empty()) continue;
      std::string v =
          c < static_cast<int>(r_.values.size()) && r_.values[c] ? trim_cell(*r_.values[c]) : "";
      if (v.empty())
        attrs.erase(h);
      else
        attrs[h] = v;
    }
    if (!ok) return std::nullopt;
    return attrs;
  }

  std::optional<std::optional<Citation>> cite(const std::optional<Citation> &current) {
    if (!has("cite_seed") && !has("cite_section") && !has("cite_quote")) return current;
    Citation c = current.value_or(Citation{});
    if (has("cite_seed")) c.seed = text("cite_seed");
    if (has("cite_section")) c.section = text("cite_section");
    if (has("cite_quote")) c.quote = text("cite_quote");
    if (c.seed.empty() && c.section.empty() && c.quote.empty()) return std::optional<Citation>();
    return std::optional<Citation>(c);
  }

private:
  const LedgerTable &t_;
  const LedgerTable::Record &r_;
  const ColumnMap &cols_;
  const LedgerSchema &schema_;
  const std::string &layer_;
  std::vector<ImportProblem> &problems_;
  int count_ = 0;
};

// The identity of a right/mine: the uid column, else the licence number.
struct Identity {
  std::string uid;
  std::string licence;
};

bool require_identity_column(const LedgerTable &t, const ColumnMap &cols,
                             const LedgerSchema &schema, const std::string &layer,
                             std::vector<ImportProblem> &problems) {
  if (cols.has("licence_no") || cols.has("uid")) return true;
  auto headers = schema.headers_of(layer, "licence_no");
  problems.push_back(
      ImportProblem{"file", 0, headers.front(),
                    "no " + headers.front() + " (licence number) column; expected one of " +
                        join(headers, ", ") + " (found columns: " + join(t.columns, ", ") + ")"});
  return false;
}

// Duplicate uids within one file: the later rows are problems naming the first.
class Seen {
public:
  bool first(Row &row, const std::string &field, const std::string &key) {
    auto [it, fresh] = rows_.emplace(key, row.record().number);
    if (!fresh)
      row.problem(field, dq(key) + " appears twice in the file (first in " + unit_ + " " +
                             std::to_string(it->second) + ")");
    return fresh;
  }
  explicit Seen(std::string unit) : unit_(std::move(unit)) {}

private:
  std::string unit_;
  std::map<std::string, int> rows_;
};

// Scale unit against the mineral catalogue: 建筑用砂 in 万吨/年 is a mistake.
void check_scale_unit(Row &row, const LedgerReference &ref,
                      const std::vector<std::string> &minerals,
                      const std::optional<Quantity> &scale, const std::string &unit_source) {
  if (!scale || minerals.empty()) return;
  const Mineral *m = ref.find_mineral(minerals.front());
  if (!m || m->scale_unit.empty()) return;
  const UnitInfo *expected = find_unit(m->scale_unit);
  const UnitInfo *given = find_unit(scale->unit);
  if (!expected || !given || expected->dimension == given->dimension) return;
  std::string column = unit_source.empty() ? row.header("scale_unit") : unit_source;
  row.problem_at(column, "unit " + dq(scale->unit) + " does not fit " + m->name +
                             ", whose production scale is measured in " + m->scale_unit + " (" +
                             row.header("scale_value") + " = " + row.text("scale_value") + ")");
}

std::string mineral_unit(const LedgerReference &ref, const std::vector<std::string> &minerals) {
  if (minerals.empty()) return {};
  const Mineral *m = ref.find_mineral(minerals.front());
  return m ? m->scale_unit : std::string();
}

std::string generated_zone_id(const Zone &z) {
  std::string id;
  bool ascii = !z.code.empty();
  for (char c : z.code) {
    if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
      id += c;
    else if (c >= 'A' && c <= 'Z')
      id += static_cast<char>(c - 'A' + 'a');
    else if (c == '-' || c == '_' || c == ' ')
      id += '-';
    else
      ascii = false;
  }
  if (ascii && !id.empty()) return id;
  char buf[32];
  std::snprintf(buf, sizeof buf, "zone-%08llx",
                static_cast<unsigned long long>(fnv1a(z.name + "\x1f" + z.code) & 0xffffffffULL));
  return buf;
}

} // namespace

// --- problems ---------------------------------------------------------------------------

std::string ImportProblem::str() const {
  std::string out;
  if (number > 0) out = unit + " " + std::to_string(number) + ": ";
  if (!column.empty()) out += column + ": ";
  return out + message;
}

Json ImportProblem::json() const {
  Json j{{unit == "file" ? "where" : unit, unit == "file" ? Json("file") : Json(number)},
         {"column", column.empty() ? Json(nullptr) : Json(column)},
         {"message", message}};
  return j;
}

const Mineral *LedgerReference::find_mineral(std::string_view name) const {
  for (const auto &m : minerals) {
    if (m.name == name) return &m;
    for (const auto &a : m.aliases)
      if (a == name) return &m;
  }
  return nullptr;
}

// --- cell parsers -------------------------------------------------------------------------

std::string trim_cell(std::string_view s) {
  auto starts = [&](std::string_view p) { return s.substr(0, p.size()) == p; };
  auto ends = [&](std::string_view p) {
    return s.size() >= p.size() && s.substr(s.size() - p.size()) == p;
  };
  for (;;) {
    if (starts("\xEF\xBB\xBF") || starts("\xE3\x80\x80"))
      s.remove_prefix(3);
    else if (!s.empty() &&
             (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
      s.remove_prefix(1);
    else
      break;
  }
  for (;;) {
    if (ends("\xE3\x80\x80"))
      s.remove_suffix(3);
    else if (!s.empty() &&
             (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n'))
      s.remove_suffix(1);
    else
      break;
  }
  return std::string(s);
}

std::pair<std::string, std::string> split_header(std::string_view header) {
  std::string h = trim_cell(header);
  // Drop line breaks inside headers (Excel cells with Alt+Enter).
  h.erase(std::remove_if(h.begin(), h.end(), [](char c) { return c == '\n' || c == '\r'; }),
          h.end());
  for (const auto &[open, close] : {std::pair<std::string_view, std::string_view>{"(", ")"},
                                    {"\xEF\xBC\x88", "\xEF\xBC\x89"}}) { // （ ）
    if (h.size() > close.size() && h.ends_with(close)) {
      auto pos = h.rfind(open);
      if (pos != std::string::npos && pos > 0) {
        std::string unit =
            trim_cell(h.substr(pos + open.size(), h.size() - close.size() - pos - open.size()));
        return {trim_cell(h.substr(0, pos)), unit};
      }
    }
  }
  return {h, ""};
}

std::optional<double> parse_number(std::string_view text) {
  std::string s = fold_fullwidth(trim_cell(text));
  s.erase(std::remove(s.begin(), s.end(), ','), s.end());
  if (s.empty()) return std::nullopt;
  if (s.front() == '+') s.erase(0, 1);
  double v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size() || !std::isfinite(v)) return std::nullopt;
  // Beyond any real output, area or reserve: a typing error, refused like a word.
  if (std::fabs(v) > kMaxAmount) return std::nullopt;
  return v;
}

std::optional<std::pair<double, std::string>> parse_number_with_unit(std::string_view text) {
  std::string s = fold_fullwidth(trim_cell(text));
  std::size_t end = 0;
  while (end < s.size() && (std::isdigit(static_cast<unsigned char>(s[end])) || s[end] == '.' ||
                            s[end] == ',' || (end == 0 && (s[end] == '-' || s[end] == '+'))))
    ++end;
  auto v = parse_number(s.substr(0, end));
  if (!v) return std::nullopt;
  return std::make_pair(*v, trim_cell(s.substr(end)));
}

std::optional<std::string> parse_date(std::string_view text, bool excel_serial) {
  std::string s = fold_fullwidth(trim_cell(text));
  if (s.empty()) return std::nullopt;
  // drop a time of day: "2021-03-01 00:00:00", "2021-03-01T00:00:00"
  if (auto sp = s.find_first_of(" T"); sp != std::string::npos && sp >= 8) s = s.substr(0, sp);
  // 2021年3月1日
  const std::string nian = "\xE5\xB9\xB4", yue = "\xE6\x9C\x88", ri = "\xE6\x97\xA5";
  if (s.find(nian) != std::string::npos) {
    std::string t;
    for (std::size_t i = 0; i < s.size();) {
      if (s.compare(i, 3, nian) == 0 || s.compare(i, 3, yue) == 0) {
        t += '-';
        i += 3;
      } else if (s.compare(i, 3, ri) == 0) {
        i += 3;
      } else {
        t += s[i++];
      }
    }
    s = trim_cell(t);
  }
  if (is_digits(s) && s.size() == 8) {
    return iso_date(std::stoi(s.substr(0, 4)), static_cast<unsigned>(std::stoi(s.substr(4, 2))),
                    static_cast<unsigned>(std::stoi(s.substr(6, 2))));
  }
  // Y sep M sep D with - / .
  for (char sep : {'-', '/', '.'}) {
    auto a = s.find(sep);
    if (a == std::string::npos) continue;
    auto b = s.find(sep, a + 1);
    if (b == std::string::npos) continue;
    std::string y = s.substr(0, a), m = s.substr(a + 1, b - a - 1), d = s.substr(b + 1);
    if (!is_digits(y) || !is_digits(m) || !is_digits(d) || y.size() != 4 || m.size() > 2 ||
        d.size() > 2)
      return std::nullopt;
    return iso_date(std::stoi(y), static_cast<unsigned>(std::stoi(m)),
                    static_cast<unsigned>(std::stoi(d)));
  }
  if (excel_serial) {
    if (auto n = parse_number(s); n && *n >= 18264 && *n < 109575) {
      // 1900 date system; serial 25569 = 1970-01-01 (Excel's phantom 1900-02-29 lies before).
      using namespace std::chrono;
      auto days_since_epoch = static_cast<int>(std::floor(*n)) - 25569;
      year_month_day ymd{sys_days{days{days_since_epoch}}};
      return iso_date(static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                      static_cast<unsigned>(ymd.day()));
    }
  }
  return std::nullopt;
}

std::vector<std::string> split_list(std::string_view text) {
  std::string s = trim_cell(text);
  std::vector<std::string> out;
  if (s.empty()) return out;
  if (s.front() == '[') {
    auto parsed = try_parse_json_text(s);
    if (parsed && parsed->is_array()) {
      const Json &j = *parsed;
      for (const auto &e : j)
        if (e.is_string() && !trim_cell(e.get<std::string>()).empty())
          out.push_back(trim_cell(e.get<std::string>()));
      return out;
    }
  }
  // separators: 、 ， ； , ; / and spaces
  static const std::vector<std::string> seps{
      "\xE3\x80\x81", "\xEF\xBC\x8C", "\xEF\xBC\x9B", ",", ";", "/", " ", "\t"};
  std::string cur;
  auto flush = [&] {
    std::string t = trim_cell(cur);
    if (!t.empty()) out.push_back(t);
    cur.clear();
  };
  for (std::size_t i = 0; i < s.size();) {
    bool hit = false;
    for (const auto &sep : seps)
      if (s.compare(i, sep.size(), sep) == 0) {
        flush();
        i += sep.size();
        hit = true;
        break;
      }
    if (!hit) cur += s[i++];
  }
  flush();
  return out;
}

std::string today_iso() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  localtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

// --- conversions --------------------------------------------------------------------------

// The row's identity: its uid column, else its licence number. Empty (a problem recorded, the
// rest of the row still checked) when it has neither; nullopt when the same identity came
// earlier in the file (Seen records that problem).
std::optional<std::string> row_identity(Row &row, const ColumnMap &cols, Seen &seen,
                                        const char *what) {
  std::string uid = row.text("uid");
  const bool from_uid = !uid.empty();
  if (uid.empty()) uid = row.text("licence_no");
  if (uid.empty()) {
    row.problem(cols.has("licence_no") ? "licence_no" : "uid",
                "missing licence number (" + row.header("licence_no") + "): every " + what +
                    " needs one");
    return uid;
  }
  if (!seen.first(row, cols.has("uid") && from_uid ? "uid" : "licence_no", uid))
    return std::nullopt;
  return uid;
}

// The columns rights and mines share: holder, minerals, scale class, status, method,
// jurisdiction and production scale (checked against the minerals' catalogue unit). A column
// the file lacks keeps the item's current value.
template <class Item>
void read_shared_columns(Row &row, const ColumnMap &cols, const LedgerReference &ref, Item &item) {
  if (cols.has("holder")) item.holder = row.text("holder");
  bool minerals_ok = true;
  if (cols.has("minerals")) {
    if (auto v = row.minerals(ref))
      item.minerals = *v;
    else
      minerals_ok = false;
  }
  if (cols.has("scale_class"))
    if (auto v = row.vocab("scale_class")) item.scale_class = *v;
  if (cols.has("status"))
    if (auto v = row.vocab("status")) item.status = *v;
  if (cols.has("method"))
    if (auto v = row.vocab("method")) item.method = *v;
  if (cols.has("jurisdiction"))
    if (auto v = row.jurisdiction(ref)) item.jurisdiction = *v;
  if (cols.has("scale_value") || cols.has("scale_unit")) {
    auto q = row.quantity("scale_value", "scale_unit", mineral_unit(ref, item.minerals),
                          kScaleDimensions, "production scale");
    if (q.ok && cols.has("scale_value")) item.scale = q.q;
    if (q.ok && minerals_ok) check_scale_unit(row, ref, item.minerals, item.scale, q.unit_source);
  } else if (cols.has("minerals") && minerals_ok && item.scale) {
    check_scale_unit(row, ref, item.minerals, item.scale, "");
  }
}

std::vector<Right> ledger_rights(const LedgerTable &table, const LedgerSchema &schema,
                                 const LedgerReference &ref, std::vector<ImportProblem> &problems) {
  const std::string layer = "rights";
  ColumnMap cols(table, schema, layer);
  std::vector<Right> out;
  if (!require_identity_column(table, cols, schema, layer, problems)) return out;
  Seen seen(table.unit);
  out.reserve(table.records.size());

  for (const auto &rec : table.records) {
    Row row(table, rec, cols, schema, layer, problems);
    std::string licence = row.text("licence_no");
    auto id = row_identity(row, cols, seen, "right");
    if (!id) continue;
    std::string uid = *id;

    auto cur = uid.empty() ? ref.rights.end() : ref.rights.find(uid);
    const bool existing = cur != ref.rights.end();
    Right r = existing ? cur->second : Right{};
    r.uid = uid;
    r.version_from.clear();
    r.version_to.clear();
    r.source.clear();
    if (cols.has("licence_no")) r.licence_no = licence;

    if (cols.has("kind"))
      if (auto k = row.vocab("kind")) r.kind = *k;
    if (r.kind.empty()) {
      if (auto k = schema.kind_from_licence(r.licence_no))
        r.kind = *k;
      else if (auto h = cols.kind_hint())
        r.kind = *h;
      else if (!cols.has("kind") || row.text("kind").empty())
        row.problem("kind", "cannot tell an exploration right from a mining right: expected a " +
                                row.header("kind") +
                                " column (采矿权/探矿权), a licence number "
                                "starting with C or T, or a 采矿权人/探矿权人 column");
    }
    if (cols.has("name")) r.name = row.text("name");
    read_shared_columns(row, cols, ref, r);

    if (cols.has("validity")) {
      std::string v = row.text("validity");
      if (!v.empty()) {
        // 2021-03-01至2026-03-01, 2021.3.1-2026.3.1, 2021/3/1~2026/3/1
        std::string a, b;
        for (std::string_view sep :
             {"\xE8\x87\xB3", "~", "\xEF\xBD\x9E", "--", "\xE2\x80\x94", " - "}) {
          if (auto p = v.find(sep); p != std::string::npos) {
            a = v.substr(0, p);
            b = v.substr(p + sep.size());
            break;
          }
        }
        auto da = parse_date(a, table.excel_dates), db = parse_date(b, table.excel_dates);
        if (!da || !db)
          row.problem("validity",
                      "expected a validity period \"2021-03-01至2026-03-01\", found " + dq(v));
        else {
          r.valid_from = *da;
          r.valid_to = *db;
        }
      }
    }
    if (cols.has("valid_from"))
      if (auto d = row.date("valid_from")) r.valid_from = *d;
    if (cols.has("valid_to"))
      if (auto d = row.date("valid_to")) r.valid_to = *d;
    if (!r.valid_from.empty() && !r.valid_to.empty() && r.valid_from > r.valid_to)
      row.problem(cols.has("valid_to") ? "valid_to" : "validity",
                  "the validity ends (" + r.valid_to + ") before it starts (" + r.valid_from + ")");

    if (cols.has("area_value") || cols.has("area_unit")) {
      auto q =
          row.quantity("area_value", "area_unit", schema.default_unit("area_unit").value_or("km2"),
                       {Dimension::Area}, "area");
      if (q.ok && cols.has("area_value")) r.area = q.q;
    }
    if (cols.has("exploration_stage"))
      if (auto v = row.vocab("exploration_stage")) {
        if (v->empty())
          r.attributes.erase("exploration_stage");
        else
          r.attributes["exploration_stage"] = *v;
      }
    if (auto a = row.attributes(r.attributes)) {
      std::string stage = r.attributes.value("exploration_stage", std::string());
      r.attributes = *a;
      if (cols.has("exploration_stage") && !stage.empty())
        r.attributes["exploration_stage"] = stage;
    }
    if (auto c = row.cite(r.cite)) r.cite = *c;

    if (rec.geometry) {
      r.geometry = rec.geometry;
      r.official_area_m2 = rec.official_area_m2;
    }
    if (row.problem_count() == 0) out.push_back(std::move(r));
  }
  return out;
}

std::vector<Mine> ledger_mines(const LedgerTable &table, const LedgerSchema &schema,
                               const LedgerReference &ref, std::vector<ImportProblem> &problems) {
  const std::string layer = "mines";
  ColumnMap cols(table, schema, layer);
  std::vector<Mine> out;
  if (!require_identity_column(table, cols, schema, layer, problems)) return out;
  Seen seen(table.unit);

  for (const auto &rec : table.records) {
    Row row(table, rec, cols, schema, layer, problems);
    std::string licence = row.text("licence_no");
    auto id = row_identity(row, cols, seen, "mine");
    if (!id) continue;
    std::string uid = *id;
    auto cur = uid.empty() ? ref.mines.end() : ref.mines.find(uid);
    Mine m = cur != ref.mines.end() ? cur->second : Mine{};
    m.uid = uid;
    m.version_from.clear();
    m.version_to.clear();
    m.source.clear();
    if (cols.has("licence_no")) m.licence_no = licence;
    if (cols.has("name")) m.name = row.text("name");
    if (m.name.empty()) row.problem("name", "missing the mine's name (" + row.header("name") + ")");
    read_shared_columns(row, cols, ref, m);
    if (cols.has("green_level"))
      if (auto v = row.vocab("green_level")) m.green_level = *v;
    if (cols.has("green_year")) {
      std::string v = row.text("green_year");
      if (v.empty())
        m.green_year.reset();
      else if (auto n = parse_number(v); n && *n == std::floor(*n) && *n >= 1990 && *n <= 2100)
        m.green_year = static_cast<int>(*n);
      else
        row.problem("green_year", "expected a year (e.g. 2020), found " + dq(v));
    }
    if (auto a = row.attributes(m.attributes)) m.attributes = *a;
    if (auto c = row.cite(m.cite)) m.cite = *c;
    if (rec.geometry) m.geometry = rec.geometry;
    if (row.problem_count() == 0) out.push_back(std::move(m));
  }
  return out;
}

std::vector<Zone> ledger_zones(const LedgerTable &table, const LedgerSchema &schema,
                               const LedgerReference &ref, std::vector<ImportProblem> &problems) {
  const std::string layer = "zones";
  ColumnMap cols(table, schema, layer);
  std::vector<Zone> out;
  Seen seen(table.unit);
  for (const auto &rec : table.records) {
    Row row(table, rec, cols, schema, layer, problems);
    std::string plan = row.text("plan_id");
    if (plan.empty()) plan = ref.plan;
    if (plan.empty()) {
      row.problem("plan_id",
                  "which plan does the zone belong to? expected --plan ID or a plan_id column");
      continue;
    }
    if (!ref.plan.empty() && plan != ref.plan) {
      row.problem("plan_id", "zone of plan " + dq(plan) + " in an import for --plan " + ref.plan);
      continue;
    }
    std::string id = row.text("zone_id"), code = row.text("code"), name = row.text("name");
    const Zone *match = nullptr;
    for (const auto &z : ref.plan_zones) {
      if (z.plan_id != plan) continue;
      if ((!id.empty() && z.id == id) || (id.empty() && !code.empty() && z.code == code) ||
          (id.empty() && code.empty() && !name.empty() && z.name == name)) {
        match = &z;
        break;
      }
    }
    if (!match && id.empty() && !name.empty())
      for (const auto &z : ref.plan_zones)
        if (z.plan_id == plan && z.name == name) {
          match = &z;
          break;
        }
    Zone z = match ? *match : Zone{};
    z.plan_id = plan;
    if (!id.empty()) z.id = id;
    if (cols.has("code")) z.code = code;
    if (cols.has("name") && !name.empty()) z.name = name;
    if (cols.has("zone_kind"))
      if (auto k = row.vocab("zone_kind"); k && !k->empty()) z.kind = *k;
    if (z.kind.empty())
      row.problem("zone_kind", "missing the zone kind (" + row.header("zone_kind") +
                                   ", e.g. 集中开采区 or concentrated_area) of a new zone");
    if (z.name.empty()) row.problem("name", "missing the zone's name (" + row.header("name") + ")");
    if (cols.has("minerals"))
      if (auto m = row.minerals(ref)) z.minerals = *m;
    if (cols.has("area_value") || cols.has("area_unit")) {
      auto q =
          row.quantity("area_value", "area_unit", schema.default_unit("area_unit").value_or("km2"),
                       {Dimension::Area}, "area");
      if (q.ok && cols.has("area_value")) z.area = q.q;
    }
    if (auto a = row.attributes(z.attributes)) z.attributes = *a;
    if (auto c = row.cite(z.cite)) z.cite = c->value_or(Citation{});
    if (z.id.empty()) z.id = generated_zone_id(z);
    if (!seen.first(row, cols.has("zone_id") ? "zone_id" : "name", plan + "/" + z.id)) continue;
    if (rec.geometry) {
      z.geometry = rec.geometry;
      z.official_area_m2 = rec.official_area_m2;
      z.geometry_source = table.crs.empty() ? table.source : table.source + " (" + table.crs + ")";
    }
    if (row.problem_count() == 0) out.push_back(std::move(z));
  }
  return out;
}

} // namespace mineplan::io
