#include "geo/coordfile.hpp"

#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/geos.hpp"
#include "geo/text_encoding.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <limits>
#include <map>
#include <set>

namespace mineplan::geo {
namespace {

// ---------------------------------------------------------------------------------------------
// Text helpers. Everything below works on UTF-8 (the reader converts first).

constexpr std::string_view kUtf8Bom = "\xEF\xBB\xBF";
constexpr std::string_view kFullWidthSpace = "\xE3\x80\x80";  // U+3000
constexpr std::string_view kFullWidthComma = "\xEF\xBC\x8C";  // U+FF0C ，
constexpr std::string_view kFullWidthEquals = "\xEF\xBC\x9D"; // U+FF1D ＝

// Largest coordinate magnitude accepted, in file units. Prefixed eastings are < 6.1e7 and
// northings < 1e7; anything near 1e9 is garbage, and bounding it keeps every product in the
// area sums far from overflow.
constexpr double kMaxCoordinate = 1e9;

std::string_view trim(std::string_view s) {
  for (;;) {
    if (!s.empty() &&
        (s.front() == ' ' || s.front() == '\t' || s.front() == '\v' || s.front() == '\f'))
      s.remove_prefix(1);
    else if (s.starts_with(kFullWidthSpace))
      s.remove_prefix(kFullWidthSpace.size());
    else if (s.starts_with(kUtf8Bom))
      s.remove_prefix(kUtf8Bom.size()); // BOM pasted mid-file
    else
      break;
  }
  for (;;) {
    if (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\v' || s.back() == '\f'))
      s.remove_suffix(1);
    else if (s.ends_with(kFullWidthSpace))
      s.remove_suffix(kFullWidthSpace.size());
    else
      break;
  }
  return s;
}

// Splits on ',' and the full-width '，' (surveyors' spreadsheets produce both); fields are
// trimmed and lose surrounding double quotes (CSV exports).
std::vector<std::string_view> split_fields(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t start = 0;
  auto push = [&](std::size_t end) {
    std::string_view f = trim(line.substr(start, end - start));
    if (f.size() >= 2 && f.front() == '"' && f.back() == '"') f = trim(f.substr(1, f.size() - 2));
    out.push_back(f);
  };
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] == ',') {
      push(i);
      start = i + 1;
      i = start;
    } else if (line.compare(i, kFullWidthComma.size(), kFullWidthComma) == 0) {
      push(i);
      start = i + kFullWidthComma.size();
      i = start;
    } else {
      ++i;
    }
  }
  push(line.size());
  return out;
}

// Quotes a token for a message, shortened at a UTF-8 boundary so a 60 kB garbage line does
// not become a 60 kB message.
std::string quote(std::string_view s) {
  constexpr std::size_t kMax = 40;
  if (s.size() <= kMax) return "'" + std::string(s) + "'";
  std::size_t n = kMax;
  while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80)
    --n;
  return "'" + std::string(s.substr(0, n)) + "…'";
}

enum class NumberStatus { Ok, Empty, NotNumber, NotFinite, OutOfRange };

NumberStatus parse_double(std::string_view s, double &out) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty()) return NumberStatus::Empty;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  if (ec == std::errc::result_out_of_range && p == s.data() + s.size())
    return NumberStatus::OutOfRange;
  if (ec != std::errc() || p != s.data() + s.size()) return NumberStatus::NotNumber;
  if (!std::isfinite(out)) return NumberStatus::NotFinite;
  return NumberStatus::Ok;
}

std::optional<long long> parse_integer(std::string_view s) {
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  long long v = 0;
  const auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (s.empty() || ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Leading digits of a value such as "37", "37带", "3度".
std::optional<int> leading_int(std::string_view s) {
  std::size_t n = 0;
  while (n < s.size() && n < 9 && s[n] >= '0' && s[n] <= '9')
    ++n;
  if (n == 0) return std::nullopt;
  int v = 0;
  std::from_chars(s.data(), s.data() + n, v);
  return v;
}

// Decimals written after the point ("1202.62" -> 2, "15" -> 0, "1.5e3" -> 1).
int decimals_of(std::string_view s) {
  const auto dot = s.find('.');
  if (dot == std::string_view::npos) return 0;
  int n = 0;
  for (std::size_t i = dot + 1; i < s.size() && s[i] >= '0' && s[i] <= '9'; ++i)
    ++n;
  return n;
}

// "XY001": the key of a point line of the registration layout.
bool is_point_key(std::string_view key) {
  return key.size() > 2 && (key[0] == 'X' || key[0] == 'x') && (key[1] == 'Y' || key[1] == 'y') &&
         std::all_of(key.begin() + 2, key.end(), [](char c) { return c >= '0' && c <= '9'; });
}

bool is_comment(std::string_view s) {
  return s.starts_with('#') || s.starts_with(';') || s.starts_with("//");
}

// Splits key=value (also the full-width ＝). nullopt when there is no '='.
std::optional<std::pair<std::string_view, std::string_view>> split_key_value(std::string_view s) {
  std::size_t eq = s.find('=');
  std::size_t len = 1;
  const std::size_t fw = s.find(kFullWidthEquals);
  if (fw != std::string_view::npos && (eq == std::string_view::npos || fw < eq))
    eq = fw, len = kFullWidthEquals.size();
  if (eq == std::string_view::npos) return std::nullopt;
  return std::make_pair(trim(s.substr(0, eq)), trim(s.substr(eq + len)));
}

std::string fmt(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

// Shortest representation that reads back to the same double ("1202.62", not 1202.6199…).
std::string shortest(double v) {
  char buf[64];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

// 1-based line of a byte offset, counting LF, CRLF and lone CR as line ends.
int line_of_offset(std::string_view bytes, std::size_t offset) {
  int line = 1;
  for (std::size_t i = 0; i < offset && i < bytes.size(); ++i) {
    if (bytes[i] == '\n')
      ++line;
    else if (bytes[i] == '\r' && (i + 1 >= bytes.size() || bytes[i + 1] != '\n'))
      ++line;
  }
  return line;
}

std::vector<std::string_view> split_lines(std::string_view text) {
  std::vector<std::string_view> lines;
  std::size_t start = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' || text[i] == '\r') {
      lines.push_back(text.substr(start, i - start));
      if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
      start = i + 1;
    }
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

std::string hex_byte(unsigned char c) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", c);
  return buf;
}

// ---------------------------------------------------------------------------------------------
// Geometry helpers local to the reader.

enum class Where { Inside, Outside, Boundary };

// Ray casting; `ring` is closed. Exact boundary detection only for vertices and axis-parallel
// edges matters little here: the caller tries another vertex when the answer is Boundary.
Where point_in_ring(Point p, const Ring &ring) {
  bool inside = false;
  const std::size_t n = ring.size();
  for (std::size_t i = 0, j = n - 1; i < n; j = i++) {
    const Point &a = ring[i], &b = ring[j];
    if (a == p) return Where::Boundary;
    if ((a.y > p.y) != (b.y > p.y)) {
      const double x = a.x + (p.y - a.y) / (b.y - a.y) * (b.x - a.x);
      if (x == p.x) return Where::Boundary;
      if (p.x < x) inside = !inside;
    } else if (a.y == p.y && b.y == p.y && p.x >= std::min(a.x, b.x) && p.x <= std::max(a.x, b.x)) {
      return Where::Boundary;
    }
  }
  return inside ? Where::Inside : Where::Outside;
}

// Whether `inner` lies inside `outer`: the first vertex of `inner` not on outer's boundary
// decides (rings that cross are invalid anyway and GEOS reports them).
bool ring_inside(const Ring &inner, const Ring &outer, const Envelope &outer_env) {
  for (const Point &p : inner) {
    if (p.x < outer_env.min_x || p.x > outer_env.max_x || p.y < outer_env.min_y ||
        p.y > outer_env.max_y)
      return false;
    const Where w = point_in_ring(p, outer);
    if (w != Where::Boundary) return w == Where::Inside;
  }
  return true; // every vertex on the boundary: a duplicate ring; GEOS will say so
}

Envelope envelope_of_ring(const Ring &r) {
  Envelope e;
  for (const auto &p : r)
    e.expand(p);
  return e;
}

// Classification of one coordinate value of a projected (metre) file, China-wide:
// northings are 7 digits (1e6..1e7); eastings are < 1e6 without zone prefix or zone*1e6 +
// (0..1e6) with it, zones 13-60. Disjoint ranges, so the axis order of a point is decidable.
bool northing_like(double v) {
  return v >= 1e6 && v < 1e7;
}
bool easting_like(double v) {
  return (v >= 0 && v < 1e6) || (v >= 13e6 && v < 61e6);
}
// Geographic files: latitude 0..60 (China: 3..54), longitude 70..140 (China: 73..135).
bool latitude_like(double v) {
  return v >= 0 && v < 60;
}
bool longitude_like(double v) {
  return v >= 70 && v <= 140;
}

struct AreaUnit {
  const char *id;
  double m2;
};
constexpr AreaUnit kAreaUnits[] = {
    {"km2", kM2PerKm2}, {"ha", kM2PerHa}, {"m2", 1.0}, {"mu", kM2PerMu}};

// ---------------------------------------------------------------------------------------------
struct RawPoint {
  long long ring; // ring number as written (exchange) or derived (registration)
  double a;       // first coordinate of the line (X, normally northing)
  double b;       // second coordinate (Y, normally easting)
  int line;
};

struct RawParcel {
  CoordinateParcel parcel;
  std::vector<RawPoint> points;
  std::string area_unit_hint;  // registration: unit written after 面积= (km2/ha/m2/mu)
  long long last_point_no = 0; // registration: to detect a restart at 1 (a new ring)
};

struct BuiltRing {
  Ring ring;
  std::vector<int> lines; // line of each vertex (closing vertex included)
  long long number = 0;
  int first_line = 0;
};

class Parser {
public:
  Parser(std::string source, const ReadOptions &options) : options_(options) {
    file_.source = std::move(source);
  }

  CoordinateFile run(std::string_view bytes);

private:
  [[noreturn]] void fail(int line, std::string field, const std::string &zh,
                         const std::string &en) {
    throw InputError(file_.source, line, std::move(field), zh + " / " + en);
  }
  void problem(Severity s, std::string code, int line, std::string message, int parcel = -1);

  void decode(std::string_view bytes);
  void parse_exchange(const std::vector<std::string_view> &lines);
  void parse_registration(const std::vector<std::string_view> &lines);
  bool section_line(std::string_view s, int line, bool registration);
  void add_key_value(std::string_view key, std::string_view value, int line);
  void start_parcel(const std::vector<std::string_view> &f, int line);
  void add_point(RawParcel &p, long long ring, std::string_view xs, std::string_view ys, int line);
  double coordinate(std::string_view s, const char *axis, int line);

  void interpret_header();
  void decide_geographic();
  void decide_axis_order(RawParcel &rp);
  void decide_zone();
  void build(RawParcel &rp);
  std::vector<BuiltRing> build_rings(RawParcel &rp);
  void validate(CoordinateParcel &p, const std::vector<BuiltRing> &rings,
                const std::vector<std::vector<std::size_t>> &ring_of);
  void check_area(CoordinateParcel &p, const std::string &unit_hint);

  const KeyValue *find_attr(std::initializer_list<std::string_view> keys) const;
  // official_area_m2 with one Transformer per zone for the whole file (creating one opens
  // PROJ's database: milliseconds, too slow per parcel).
  double geographic_official_area(const MultiPolygon &lonlat);
  std::map<int, Transformer> to_zone_;

  const ReadOptions &options_;
  CoordinateFile file_;
  std::string text_;
  std::vector<RawParcel> raw_;
  enum class Section { None, Attributes, Parcels, ProjectInfo } section_ = Section::None;
  bool told_missing_section_ = false;
  bool dropped_error_ = false;
  bool dropped_any_ = false;

  // Header interpretation, decided before the geometry is built.
  std::optional<CrsDescription> desc_;
  std::optional<int> width_key_, zone_key_;
  int width_line_ = 0, zone_line_ = 0;
  std::optional<double> central_meridian_key_;
  std::optional<bool> geographic_key_;
  bool geographic_ = false;
  double tolerance_ = 0.005; // half the precision: coordinates closer than this are equal
};

void Parser::problem(Severity s, std::string code, int line, std::string message, int parcel) {
  if (file_.problems.size() >= options_.max_problems) {
    dropped_any_ = true;
    if (s == Severity::Error) dropped_error_ = true;
    return;
  }
  file_.problems.push_back(Problem{s, std::move(code), line, std::move(message), parcel});
}

const KeyValue *Parser::find_attr(std::initializer_list<std::string_view> keys) const {
  for (const auto &kv : file_.attributes)
    for (auto k : keys)
      if (kv.key == k) return &kv;
  return nullptr;
}

// --- encoding --------------------------------------------------------------------------------
void Parser::decode(std::string_view bytes) {
  auto bad = [&](std::size_t offset, const std::string &expected_zh,
                 const std::string &expected_en) {
    const unsigned char c = offset < bytes.size() ? static_cast<unsigned char>(bytes[offset]) : 0;
    fail(line_of_offset(bytes, offset), "encoding",
         "期望" + expected_zh + "，实际第 " + std::to_string(offset) + " 字节 " + hex_byte(c) +
             " 无法解码",
         "expected " + expected_en + ", found undecodable byte " + hex_byte(c) + " at offset " +
             std::to_string(offset));
  };
  if (bytes.starts_with(kUtf8Bom)) {
    std::string_view rest = bytes.substr(kUtf8Bom.size());
    if (auto off = invalid_utf8_offset(rest))
      bad(*off + kUtf8Bom.size(), "UTF-8 文本（文件以 UTF-8 BOM 开头）",
          "UTF-8 text after the UTF-8 BOM");
    text_.assign(rest);
    file_.encoding = "UTF-8 BOM";
  } else if (bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF")) {
    const bool le = bytes[0] == '\xFF';
    Conversion c = convert_encoding(bytes.substr(2), le ? "UTF-16LE" : "UTF-16BE", "UTF-8");
    if (c.error_offset) bad(*c.error_offset + 2, "UTF-16 文本", "UTF-16 text");
    text_ = std::move(c.text);
    file_.encoding = le ? "UTF-16LE" : "UTF-16BE";
  } else if (!invalid_utf8_offset(bytes)) {
    text_.assign(bytes);
    file_.encoding = "UTF-8";
  } else {
    // Not UTF-8: the Chinese Windows default, GBK, read as its superset GB18030.
    Conversion c = convert_encoding(bytes, "GB18030", "UTF-8");
    if (c.error_offset)
      bad(*c.error_offset, " UTF-8 或 GBK/GB18030 编码的文本", "UTF-8 or GBK/GB18030 text");
    text_ = std::move(c.text);
    file_.encoding = "GB18030";
  }
  if (const auto nul = text_.find('\0'); nul != std::string::npos)
    fail(line_of_offset(text_, nul), "encoding", "期望文本文件，实际含 NUL 字节（二进制文件？）",
         "expected a text file, found a NUL byte (binary file?)");
}

// --- line-level parsing ------------------------------------------------------------------------
bool Parser::section_line(std::string_view s, int line, bool registration) {
  std::string_view open, close;
  if (s.starts_with('['))
    open = "[", close = "]";
  else if (s.starts_with("【"))
    open = "【", close = "】";
  else
    return false;
  const auto end = s.find(close);
  if (end == std::string_view::npos)
    fail(line, "section", "期望节名以 " + std::string(close) + " 结束，实际 " + quote(s),
         "expected a section name closed by " + std::string(close) + ", found " + quote(s));
  const std::string_view name = trim(s.substr(open.size(), end - open.size()));
  if (!trim(s.substr(end + close.size())).empty())
    fail(line, "section", "期望节名后无其它内容，实际 " + quote(s),
         "expected nothing after the section name, found " + quote(s));
  if (name == "属性描述")
    section_ = Section::Attributes;
  else if (name == "地块坐标")
    section_ = Section::Parcels;
  else if (name == "项目信息")
    section_ = Section::ProjectInfo;
  else if (registration && (name == "矿区范围" || name == "范围坐标" || name == "采矿权"))
    section_ = Section::Attributes;
  else
    fail(line, "section",
         "期望节名 [属性描述]、[地块坐标] 或 [项目信息]，实际 [" + std::string(name) + "]",
         "expected section [属性描述], [地块坐标] or [项目信息], found [" + std::string(name) +
             "]");
  return true;
}

void Parser::add_key_value(std::string_view key, std::string_view value, int line) {
  if (key.empty())
    fail(line, "key", "期望 键=值，实际键为空", "expected key=value, found an empty key");
  KeyValue kv{std::string(key), std::string(value), line};
  if (section_ == Section::ProjectInfo)
    file_.project_info.push_back(std::move(kv));
  else
    file_.attributes.push_back(std::move(kv));
}

double Parser::coordinate(std::string_view s, const char *axis, int line) {
  double v = 0;
  switch (parse_double(s, v)) {
  case NumberStatus::Ok: break;
  case NumberStatus::Empty:
    fail(line, axis, std::string("期望 ") + axis + " 坐标，实际为空（行不完整？）",
         std::string("expected the ") + axis + " coordinate, found nothing (truncated line?)");
  case NumberStatus::NotNumber:
    fail(line, axis, std::string("期望 ") + axis + " 坐标为数值，实际 " + quote(s),
         std::string("expected a number for ") + axis + ", found " + quote(s));
  case NumberStatus::NotFinite:
    fail(line, axis, std::string("期望 ") + axis + " 坐标为有限数值，实际 " + quote(s),
         std::string("expected a finite number for ") + axis + ", found " + quote(s));
  case NumberStatus::OutOfRange:
    v = kMaxCoordinate; // reported just below
    break;
  }
  if (!(std::fabs(v) < kMaxCoordinate))
    fail(line, axis, std::string("期望 ") + axis + " 坐标绝对值小于 1e9，实际 " + quote(s),
         std::string("expected |") + axis + "| < 1e9, found " + quote(s));
  return v;
}

void Parser::add_point(RawParcel &p, long long ring, std::string_view xs, std::string_view ys,
                       int line) {
  if (p.points.size() >= options_.max_points_per_parcel)
    fail(line, "point",
         "期望每个地块最多 " + std::to_string(options_.max_points_per_parcel) + " 个点，实际更多",
         "expected at most " + std::to_string(options_.max_points_per_parcel) +
             " points per parcel, found more");
  const double a = coordinate(xs, "X", line);
  const double b = coordinate(ys, "Y", line);
  p.points.push_back(RawPoint{ring, a, b, line});
  ++p.parcel.point_lines;
}

void Parser::start_parcel(const std::vector<std::string_view> &f, int line) {
  RawParcel rp;
  CoordinateParcel &p = rp.parcel;
  p.index = static_cast<int>(raw_.size());
  p.first_line = line;
  auto field = [&](std::size_t i) -> std::string_view {
    return i + 1 < f.size() ? f[i] : std::string_view{};
  };
  if (!field(0).empty()) {
    auto n = parse_integer(field(0));
    if (!n || *n < 0 || *n > std::numeric_limits<int>::max())
      fail(line, "点数", "期望地块头第 1 项为点数（非负整数），实际 " + quote(field(0)),
           "expected the point count (a non-negative integer) first in the parcel header, found " +
               quote(field(0)));
    p.declared_points = static_cast<int>(*n);
  }
  if (!field(1).empty()) {
    double v = 0;
    if (parse_double(field(1), v) != NumberStatus::Ok || std::fabs(v) > 1e15)
      fail(line, "面积", "期望地块头第 2 项为面积（数值），实际 " + quote(field(1)),
           "expected the area (a number) second in the parcel header, found " + quote(field(1)));
    p.declared_area = v;
    p.declared_area_decimals = decimals_of(field(1));
  }
  p.number = std::string(field(2));
  p.name = std::string(field(3));
  p.shape = std::string(field(4));
  p.sheet = std::string(field(5));
  p.use = std::string(field(6));
  p.class_code = std::string(field(7));
  if (p.number.empty()) p.number = std::to_string(p.index + 1);
  raw_.push_back(std::move(rp));
}

void Parser::parse_exchange(const std::vector<std::string_view> &lines) {
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int ln = static_cast<int>(i + 1);
    const std::string_view s = trim(lines[i]);
    if (s.empty() || is_comment(s)) continue;
    if (section_line(s, ln, false)) continue;

    if (section_ == Section::Attributes || section_ == Section::ProjectInfo) {
      auto kv = split_key_value(s);
      if (!kv)
        fail(ln, "attribute", "期望 键=值，实际 " + quote(s),
             "expected key=value, found " + quote(s));
      add_key_value(kv->first, kv->second, ln);
      continue;
    }

    std::vector<std::string_view> f = split_fields(s);
    std::size_t last = f.size();
    while (last > 1 && f[last - 1].empty())
      --last; // "…,@," is still a header
    const bool header = last >= 2 && f[last - 1] == "@";
    if (header) f.resize(last);
    if (section_ == Section::None) {
      if (!header) {
        if (auto kv = split_key_value(s)) {
          if (!told_missing_section_)
            problem(Severity::Info, "missing-section", ln,
                    "缺少 [属性描述] 节头，按属性读取 / no [属性描述] section header; read as "
                    "attributes");
          told_missing_section_ = true;
          add_key_value(kv->first, kv->second, ln);
          continue;
        }
        fail(ln, "line", "期望节名、键=值 或地块头（点数,面积,地块编号,…,@），实际 " + quote(s),
             "expected a section, key=value or a parcel header (count,area,number,…,@), found " +
                 quote(s));
      }
      problem(Severity::Info, "missing-section", ln,
              "缺少 [地块坐标] 节头，从地块头开始读坐标 / no [地块坐标] section header; "
              "coordinates start at the parcel header");
      section_ = Section::Parcels;
    }

    // Section::Parcels
    if (header) {
      start_parcel(f, ln);
      continue;
    }
    if (raw_.empty())
      fail(ln, "parcel", "期望坐标行之前有地块头（点数,面积,地块编号,名称,…,@），实际 " + quote(s),
           "expected a parcel header (count,area,number,name,…,@) before the first point, found " +
               quote(s));
    while (f.size() > 4 && f.back().empty())
      f.pop_back(); // trailing commas
    if (f.size() != 4) {
      if (f.size() > 4)
        fail(ln, "point",
             "期望坐标行 4 个字段（点号,圈号,X,Y）或以 @ 结尾的地块头，实际 " +
                 std::to_string(f.size()) + " 个字段",
             "expected a point line of 4 fields (name,ring,X,Y) or a parcel header ending in @, "
             "found " +
                 std::to_string(f.size()) + " fields");
      fail(ln, "point",
           "期望坐标行 4 个字段（点号,圈号,X,Y），实际 " + std::to_string(f.size()) +
               " 个（行不完整？）",
           "expected a point line of 4 fields (name,ring,X,Y), found " + std::to_string(f.size()) +
               " (truncated line?)");
    }
    auto ring = parse_integer(f[1]);
    if (!ring || *ring < 1 || *ring > std::numeric_limits<int>::max())
      fail(ln, "圈号", "期望圈号为正整数，实际 " + quote(f[1]),
           "expected a ring number (integer >= 1), found " + quote(f[1]));
    add_point(raw_.back(), *ring, f[2], f[3], ln);
  }
}

void Parser::parse_registration(const std::vector<std::string_view> &lines) {
  // Each polygon is a run of XYnnn= lines closed by a 标高= line (its top and bottom
  // elevations). A point number restarting at 1 inside a run starts another ring.
  RawParcel *open = nullptr;
  auto begin_block = [&](int ln) -> RawParcel & {
    RawParcel rp;
    rp.parcel.index = static_cast<int>(raw_.size());
    rp.parcel.first_line = ln;
    rp.parcel.number = std::to_string(raw_.size() + 1);
    raw_.push_back(std::move(rp));
    return raw_.back();
  };
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int ln = static_cast<int>(i + 1);
    const std::string_view s = trim(lines[i]);
    if (s.empty() || is_comment(s)) continue;
    if (section_line(s, ln, true)) {
      continue;
    }
    auto kv = split_key_value(s);
    if (!kv)
      fail(ln, "line", "期望 键=值（如 XY001=1,X,Y 或 标高=上限,下限），实际 " + quote(s),
           "expected key=value (e.g. XY001=1,X,Y or 标高=top,bottom), found " + quote(s));
    const std::string_view key = kv->first, value = kv->second;
    if (is_point_key(key)) {
      std::vector<std::string_view> f = split_fields(value);
      while (f.size() > 3 && f.back().empty())
        f.pop_back();
      if (f.size() != 3)
        fail(ln, std::string(key),
             "期望 3 个字段（点号,X,Y），实际 " + std::to_string(f.size()) + " 个",
             "expected 3 fields (point no.,X,Y), found " + std::to_string(f.size()));
      if (!open) open = &begin_block(ln);
      RawParcel &rp = *open;
      long long ring = rp.points.empty() ? 1 : rp.points.back().ring;
      auto no = parse_integer(f[0]);
      if (no && *no == 1 && rp.last_point_no > 1) ++ring;
      rp.last_point_no = no ? *no : 0;
      add_point(rp, ring, f[1], f[2], ln);
      continue;
    }
    if (key == "标高" || key == "开采标高" || key == "开采深度" || key == "标高范围") {
      if (!open || open->points.empty())
        fail(ln, std::string(key), "期望 标高 行之前有拐点（XYnnn=…），实际没有",
             "expected corner points (XYnnn=…) before the elevation line, found none");
      // "1350,1200", "1350~1200", "+1350m至+1200m", "1350 1200"; a '-' between two digits
      // separates, a '-' elsewhere is a sign.
      std::vector<double> nums;
      std::string cur;
      auto flush = [&] {
        if (cur.empty()) return;
        double v = 0;
        if (parse_double(cur, v) != NumberStatus::Ok || std::fabs(v) > 1e5)
          fail(ln, std::string(key), "期望标高为数值（米），实际 " + quote(value),
               "expected elevations in metres, found " + quote(value));
        nums.push_back(v);
        cur.clear();
      };
      for (std::size_t k = 0; k < value.size(); ++k) {
        const char c = value[k];
        const bool digit = c >= '0' && c <= '9';
        if (digit || c == '.' || ((c == '-' || c == '+') && cur.empty()))
          cur.push_back(c);
        else
          flush();
      }
      flush();
      if (nums.size() != 2)
        fail(ln, std::string(key), "期望 2 个标高（上限,下限），实际 " + quote(value),
             "expected 2 elevations (top,bottom), found " + quote(value));
      Elevations e{nums[0], nums[1]};
      if (e.top < e.bottom) {
        problem(Severity::Warning, "elevation-order", ln,
                "标高上限低于下限，已互换 / top elevation below bottom; swapped",
                open->parcel.index);
        std::swap(e.top, e.bottom);
      }
      open->parcel.elevations = e;
      open = nullptr;
      continue;
    }
    add_key_value(key, value, ln);
  }
  if (open)
    problem(Severity::Warning, "missing-elevation", open->parcel.first_line,
            "最后一个范围没有 标高 行 / the last polygon has no elevation (标高) line",
            open->parcel.index);
}

// --- header interpretation -----------------------------------------------------------------
void Parser::interpret_header() {
  if (const KeyValue *kv =
          find_attr({"坐标系", "坐标系统", "大地基准", "坐标基准", "平面坐标系"})) {
    desc_ = parse_crs_description(kv->value);
    if (!desc_ || !desc_->datum) {
      problem(Severity::Warning, "datum-assumed", kv->line,
              "无法识别坐标系 " + quote(kv->value) +
                  "，按 2000国家大地坐标系处理 / unrecognised datum " + quote(kv->value) +
                  "; assumed CGCS2000");
    }
    if (desc_ && desc_->epsg && !Crs::from_epsg(*desc_->epsg))
      problem(Severity::Warning, "datum-assumed", kv->line,
              "EPSG:" + std::to_string(*desc_->epsg) + " 不是本系统支持的坐标系 / EPSG:" +
                  std::to_string(*desc_->epsg) + " is not a supported CRS");
  } else {
    problem(Severity::Warning, "datum-assumed", 0,
            "未给出坐标系，按 2000国家大地坐标系处理 / no 坐标系 given; assumed CGCS2000");
  }
  file_.crs.datum = desc_ && desc_->datum ? *desc_->datum : Datum::CGCS2000;

  if (const KeyValue *kv = find_attr({"几度分带", "分带", "分带方式", "投影分带"})) {
    const std::string_view v = trim(kv->value);
    if (!v.empty()) {
      std::optional<int> w = leading_int(v);
      if (!w && (v.starts_with("三"))) w = 3;
      if (!w && (v.starts_with("六"))) w = 6;
      if (!w || (*w != 3 && *w != 6))
        fail(kv->line, kv->key, "期望 3 或 6（度分带），实际 " + quote(v),
             "expected 3 or 6 (degree zones), found " + quote(v));
      width_key_ = *w;
      width_line_ = kv->line;
    }
  }
  if (const KeyValue *kv = find_attr({"带号", "投影带号"})) {
    const std::string_view v = trim(kv->value);
    if (!v.empty()) {
      auto z = leading_int(v);
      if (!z || *z < 1 || *z > 180)
        fail(kv->line, kv->key, "期望带号为正整数，实际 " + quote(v),
             "expected a zone number (positive integer), found " + quote(v));
      zone_key_ = *z;
      zone_line_ = kv->line;
    }
  }
  if (const KeyValue *kv = find_attr({"中央经线", "中央子午线", "中央经度"})) {
    double v = 0;
    if (!trim(kv->value).empty()) {
      if (parse_double(trim(kv->value), v) != NumberStatus::Ok || v < -180 || v > 180)
        fail(kv->line, kv->key, "期望中央经线（度），实际 " + quote(kv->value),
             "expected the central meridian in degrees, found " + quote(kv->value));
      central_meridian_key_ = v;
    }
  }
  if (const KeyValue *kv = find_attr({"计量单位", "坐标单位", "单位"})) {
    const std::string v(trim(kv->value));
    if (v.find("度") != std::string::npos || v.find("°") != std::string::npos ||
        v.find("deg") != std::string::npos || v.find("DEG") != std::string::npos)
      geographic_key_ = true;
    else if (v == "米" || v == "m" || v == "M" || v == "公尺" || v == "meter" || v == "metre" ||
             v.empty())
      geographic_key_ = geographic_key_.value_or(false);
    else
      problem(Severity::Warning, "unit-unknown", kv->line,
              "无法识别计量单位 " + quote(v) + "，按米处理 / unrecognised unit " + quote(v) +
                  "; metres assumed");
  }
  if (const KeyValue *kv = find_attr({"投影类型", "投影方式", "投影"})) {
    const std::string &v = kv->value;
    if (v.find("经纬") != std::string::npos || v.find("地理") != std::string::npos)
      geographic_key_ = true;
  }
  if (desc_ && desc_->zone_width && *desc_->zone_width == 0) geographic_key_ = true;

  if (const KeyValue *kv = find_attr({"精度", "坐标精度"})) {
    double v = 0;
    const std::string_view s = trim(kv->value);
    if (!s.empty()) {
      if (parse_double(s, v) != NumberStatus::Ok || !(v > 0) || v > 1000)
        fail(kv->line, kv->key, "期望精度为正数（如 0.01），实际 " + quote(s),
             "expected a positive precision (e.g. 0.01), found " + quote(s));
      file_.precision = v;
    }
  }

  if (const KeyValue *kv = find_attr({"转换参数", "七参数", "坐标转换参数"})) {
    std::vector<std::string_view> f = split_fields(kv->value);
    const bool all_empty =
        std::all_of(f.begin(), f.end(), [](std::string_view x) { return x.empty(); });
    if (!all_empty) {
      if (f.size() != 7)
        fail(kv->line, kv->key,
             "期望 7 个转换参数（dx,dy,dz,rx,ry,rz,尺度ppm）或留空，实际 " +
                 std::to_string(f.size()) + " 个",
             "expected 7 parameters (dx,dy,dz,rx,ry,rz,scale ppm) or none, found " +
                 std::to_string(f.size()));
      Helmert7 h{};
      for (std::size_t k = 0; k < 7; ++k) {
        if (f[k].empty()) {
          h[k] = 0;
          continue;
        }
        if (parse_double(f[k], h[k]) != NumberStatus::Ok || std::fabs(h[k]) > 1e4)
          fail(kv->line, kv->key,
               "期望第 " + std::to_string(k + 1) + " 个转换参数为数值，实际 " + quote(f[k]),
               "expected parameter " + std::to_string(k + 1) + " to be a number, found " +
                   quote(f[k]));
      }
      if (std::all_of(h.begin(), h.end(), [](double x) { return x == 0; }))
        problem(Severity::Info, "helmert-zero", kv->line,
                "转换参数全为 0，视为未给出 / all conversion parameters are 0; treated as none");
      else
        file_.helmert = h;
    }
  }
  if (file_.helmert && file_.crs.datum == Datum::CGCS2000)
    problem(Severity::Info, "helmert-ignored", 0,
            "坐标已是 2000国家大地坐标系，转换参数不使用 / coordinates are already CGCS2000; the "
            "conversion parameters are not used");

  // Half the precision, capped: two coordinates that differ by less are the same point.
  tolerance_ = std::min(file_.precision * 0.5, geographic_key_.value_or(false) ? 5e-7 : 0.005);
}

void Parser::decide_geographic() {
  if (geographic_key_) {
    geographic_ = *geographic_key_;
    return;
  }
  // No unit stated: degrees if every coordinate fits a longitude.
  bool any = false, all_small = true;
  for (const auto &rp : raw_)
    for (const auto &p : rp.points) {
      any = true;
      if (std::fabs(p.a) > 180 || std::fabs(p.b) > 180) {
        all_small = false;
        break;
      }
    }
  geographic_ = any && all_small;
  if (geographic_) {
    problem(Severity::Info, "inferred", 0,
            "未给出计量单位，坐标在 ±180 以内，按经纬度（度）读取 / no unit given and all values "
            "within ±180; read as degrees");
    tolerance_ = std::min(file_.precision * 0.5, 5e-7);
  }
}

void Parser::decide_axis_order(RawParcel &rp) {
  CoordinateParcel &p = rp.parcel;
  std::size_t normal = 0, swapped = 0;
  int first_normal = 0, first_swapped = 0;
  for (const auto &pt : rp.points) {
    const bool n = geographic_ ? latitude_like(pt.a) && longitude_like(pt.b)
                               : northing_like(pt.a) && easting_like(pt.b);
    const bool s = geographic_ ? longitude_like(pt.a) && latitude_like(pt.b)
                               : easting_like(pt.a) && northing_like(pt.b);
    if (n && !s) {
      if (!normal++) first_normal = pt.line;
    } else if (s && !n) {
      if (!swapped++) first_swapped = pt.line;
    }
  }
  if (swapped > 0 && normal == 0) {
    for (auto &pt : rp.points)
      std::swap(pt.a, pt.b);
    p.xy_swapped = true;
    problem(Severity::Warning, "xy-swapped", first_swapped,
            "X/Y 颠倒（X 应为纵坐标/北向），已互换，首行 " + std::to_string(first_swapped) +
                " / X and Y are swapped (X must be the northing); swapped back, first at line " +
                std::to_string(first_swapped),
            p.index);
  } else if (swapped > 0 && normal > 0) {
    const bool minority_swapped = swapped <= normal;
    const int line = minority_swapped ? first_swapped : first_normal;
    problem(Severity::Error, "xy-mixed", line,
            "同一地块中 X/Y 顺序不一致（" + std::to_string(normal) + " 点正常、" +
                std::to_string(swapped) + " 点颠倒），第 " + std::to_string(line) +
                " 行 / mixed X/Y order in one parcel (" + std::to_string(normal) + " normal, " +
                std::to_string(swapped) + " swapped), see line " + std::to_string(line),
            p.index);
  } else if (normal == 0 && !rp.points.empty()) {
    problem(Severity::Warning, "out-of-range", rp.points.front().line,
            std::string(geographic_
                            ? "坐标不像中国境内的经纬度"
                            : "坐标不像中国境内的高斯-克吕格坐标（X 7 位北向，Y 带号+6 位东向）") +
                " / coordinates do not look like " +
                (geographic_ ? "latitude/longitude in China"
                             : "Gauss-Krüger coordinates in China (7-digit northing X, easting Y)"),
            p.index);
  }
}

void Parser::decide_zone() {
  Crs &crs = file_.crs;
  if (geographic_) {
    crs.zone_width = 0;
    crs.zone = 0;
    crs.zone_prefixed = false;
    return;
  }
  // Zone prefixes of the eastings (x after the axis-order decision).
  std::map<int, int> prefix_first_line; // prefix -> first line
  int unprefixed_line = 0;
  for (const auto &rp : raw_)
    for (const auto &pt : rp.points) {
      if (pt.b >= 1e7) {
        const int pre = static_cast<int>(std::floor(pt.b / 1e6));
        prefix_first_line.emplace(pre, pt.line);
      } else if (pt.b >= 0 && pt.b < 1e6 && !unprefixed_line) {
        unprefixed_line = pt.line;
      }
    }
  crs.zone_prefixed = !prefix_first_line.empty();
  if (!prefix_first_line.empty() && unprefixed_line)
    problem(
        Severity::Error, "zone-mismatch", unprefixed_line,
        "有的 Y 坐标带带号、有的不带 / some eastings carry the zone prefix and some do not (line " +
            std::to_string(unprefixed_line) + ")");

  int width = width_key_.value_or(desc_ && desc_->zone_width ? *desc_->zone_width : 0);
  std::optional<int> zone = zone_key_;
  int zone_line = zone_line_;
  if (!zone && desc_ && desc_->zone) zone = desc_->zone;
  // 带号 written as the central meridian (e.g. 带号=111): a multiple of 3 above the 3° range.
  if (zone && *zone > 60 && *zone % 3 == 0 && *zone <= 135) {
    const int cm = *zone;
    zone = width == 6 ? (cm + 3) / 6 : cm / 3;
    if (!width) width = 3;
    problem(Severity::Info, "inferred", zone_line,
            "带号 " + std::to_string(cm) + " 按中央经线理解，即 " + std::to_string(*zone) +
                " 带 / zone " + std::to_string(cm) + " read as a central meridian: zone " +
                std::to_string(*zone));
  }
  if (!zone && central_meridian_key_) {
    const double cm = *central_meridian_key_;
    if (!width) {
      // A central meridian 6n-3 is also 3·(2n-1): ambiguous. 3° unless the eastings carry a
      // 6° zone prefix (13-23).
      const bool six_prefix = !prefix_first_line.empty() && prefix_first_line.begin()->first <= 23;
      width = six_prefix && std::fmod(cm + 3, 6.0) == 0.0 ? 6 : 3;
    }
    zone = width == 6 ? static_cast<int>(std::lround((cm + 3) / 6))
                      : static_cast<int>(std::lround(cm / 3));
    problem(Severity::Info, "inferred", 0,
            "带号由中央经线 " + shortest(cm) + "° 推得：" + std::to_string(*zone) +
                " / zone from the central meridian " + shortest(cm) +
                "°: " + std::to_string(*zone));
  }
  if (!zone && prefix_first_line.size() >= 1) {
    zone = prefix_first_line.begin()->first;
    zone_line = prefix_first_line.begin()->second;
    problem(Severity::Info, "inferred", 0,
            "未给出带号，由 Y 坐标带号前缀推得 " + std::to_string(*zone) +
                " 带 / no 带号 given; zone " + std::to_string(*zone) +
                " inferred from the easting prefix");
  }
  if (!width && zone) {
    if (*zone >= 13 && *zone <= 23)
      width = 6;
    else
      width = 3;
    problem(Severity::Info, "inferred", 0,
            "未给出几度分带，由带号 " + std::to_string(*zone) + " 推得 " + std::to_string(width) +
                "度带 / no zone width given; " + std::to_string(width) + "° inferred from zone " +
                std::to_string(*zone));
  }
  if (!width) width = 3;
  crs.zone_width = width;
  crs.zone = zone.value_or(0);
  if (!zone) {
    problem(Severity::Error, "zone-unknown", 0,
            "无法确定投影带（无带号、Y 坐标无带号前缀）：不能定位到地图 / the zone is unknown (no "
            "带号, no prefix "
            "on the eastings): the parcels cannot be placed on the map");
    return;
  }
  if (*zone < 1 || *zone > 60) {
    problem(Severity::Error, "zone-unknown", zone_line,
            "带号 " + std::to_string(*zone) + " 超出 1-60：不能定位到地图 / zone " +
                std::to_string(*zone) +
                " is outside 1-60: the parcels cannot be placed on the map");
    crs.zone = 0;
    return;
  }
  const bool plausible = width == 3 ? (*zone >= 24 && *zone <= 46) : (*zone >= 12 && *zone <= 24);
  if (!plausible)
    problem(Severity::Warning, "zone-width-mismatch", zone_line ? zone_line : width_line_,
            std::to_string(*zone) + " 带不是中国境内的 " + std::to_string(width) + "度带 / zone " +
                std::to_string(*zone) + " is not a " + std::to_string(width) + "° zone in China");

  // Zone prefix vs 带号: the easting says one zone, the header another. An error, not a
  // throw: the geometry is readable, but which zone is right cannot be decided here.
  for (auto &rp : raw_) {
    for (const auto &pt : rp.points) {
      if (pt.b < 1e7) continue;
      const int pre = static_cast<int>(std::floor(pt.b / 1e6));
      if (pre != *zone) {
        problem(Severity::Error, "zone-mismatch", pt.line,
                "Y 坐标带号前缀 " + std::to_string(pre) + " 与带号 " + std::to_string(*zone) +
                    " 不一致 / easting zone prefix " + std::to_string(pre) +
                    " disagrees with zone " + std::to_string(*zone),
                rp.parcel.index);
        break;
      }
    }
  }
}

// --- geometry ---------------------------------------------------------------------------------
std::vector<BuiltRing> Parser::build_rings(RawParcel &rp) {
  CoordinateParcel &p = rp.parcel;
  std::vector<BuiltRing> rings;
  std::set<long long> seen;
  for (const auto &pt : rp.points) {
    if (rings.empty() || rings.back().number != pt.ring) {
      if (!seen.insert(pt.ring).second)
        fail(pt.line, "圈号",
             "期望同一圈的点连续出现，实际圈 " + std::to_string(pt.ring) + " 在圈 " +
                 std::to_string(rings.back().number) + " 之后再次出现",
             "expected the points of a ring to be consecutive, found ring " +
                 std::to_string(pt.ring) + " again after ring " +
                 std::to_string(rings.back().number));
      if (rings.size() >= options_.max_rings_per_parcel)
        fail(pt.line, "圈号",
             "期望每个地块最多 " + std::to_string(options_.max_rings_per_parcel) +
                 " 个圈，实际更多",
             "expected at most " + std::to_string(options_.max_rings_per_parcel) +
                 " rings per parcel, found more");
      rings.push_back(BuiltRing{{}, {}, pt.ring, pt.line});
    }
    // GIS axis order: x = easting = the file's Y (after any swap), y = northing = X.
    rings.back().ring.push_back(Point{pt.b, pt.a});
    rings.back().lines.push_back(pt.line);
  }
  rp.points.clear();
  rp.points.shrink_to_fit();

  const double tol = tolerance_;
  auto same = [tol](const Point &a, const Point &b) {
    return std::fabs(a.x - b.x) <= tol && std::fabs(a.y - b.y) <= tol;
  };
  for (auto &r : rings) {
    // Closing point(s): the first point repeated at the end.
    bool closed = false;
    while (r.ring.size() > 1 && same(r.ring.front(), r.ring.back())) {
      if (closed)
        problem(Severity::Warning, "duplicate-point", r.lines.back(),
                "闭合点重复 / closing point repeated twice, line " + std::to_string(r.lines.back()),
                p.index);
      closed = true;
      r.ring.pop_back();
      r.lines.pop_back();
    }
    // Consecutive duplicates.
    std::size_t dups = 0;
    std::size_t w = 0;
    for (std::size_t k = 0; k < r.ring.size(); ++k) {
      if (w > 0 && same(r.ring[w - 1], r.ring[k])) {
        if (dups < 10)
          problem(Severity::Warning, "duplicate-point", r.lines[k],
                  "重复点（与上一点相同），已忽略，第 " + std::to_string(r.lines[k]) +
                      " 行 / duplicate consecutive point ignored, line " +
                      std::to_string(r.lines[k]),
                  p.index);
        ++dups;
        continue;
      }
      r.ring[w] = r.ring[k];
      r.lines[w] = r.lines[k];
      ++w;
    }
    r.ring.resize(w);
    r.lines.resize(w);
    if (dups > 10)
      problem(Severity::Warning, "duplicate-point", r.first_line,
              "另有 " + std::to_string(dups - 10) + " 个重复点 / " + std::to_string(dups - 10) +
                  " more duplicate points",
              p.index);
    if (r.ring.size() < 3)
      fail(r.first_line, "ring",
           "期望圈 " + std::to_string(r.number) + " 至少 3 个不同的点，实际 " +
               std::to_string(r.ring.size()) + " 个",
           "expected at least 3 distinct points in ring " + std::to_string(r.number) + ", found " +
               std::to_string(r.ring.size()));
    if (!closed)
      problem(Severity::Info, "unclosed-ring", r.lines.back(),
              "圈 " + std::to_string(r.number) + " 未重复首点闭合，已自动闭合 / ring " +
                  std::to_string(r.number) + " does not repeat its first point; closed",
              p.index);
    r.ring.push_back(r.ring.front());
    r.lines.push_back(r.lines.front());
  }
  return rings;
}

void Parser::build(RawParcel &rp) {
  CoordinateParcel &p = rp.parcel;
  std::vector<BuiltRing> rings = build_rings(rp);

  // Ring 1 is the outer ring of the first part. Every later ring is a hole of the first part
  // whose outer ring contains it (and none of whose holes does); otherwise it is the outer ring
  // of a new part (multi-part parcel, or an island inside a hole).
  std::vector<Envelope> outer_env;
  std::vector<std::vector<Envelope>> hole_env;
  // ring_of[part][0] = index in `rings` of the part's outer ring, [part][1+h] of hole h: the
  // per-vertex line numbers stay reachable for locating validity problems.
  std::vector<std::vector<std::size_t>> ring_of;
  std::size_t parts_added = 0;
  for (std::size_t k = 0; k < rings.size(); ++k) {
    Ring &r = rings[k].ring;
    int host = -1;
    for (std::size_t part = 0; part < p.geometry.size() && host < 0; ++part) {
      const Polygon &poly = p.geometry[part];
      if (!ring_inside(r, poly.outer, outer_env[part])) continue;
      bool in_hole = false;
      for (std::size_t h = 0; h < poly.holes.size() && !in_hole; ++h)
        in_hole = ring_inside(r, poly.holes[h], hole_env[part][h]);
      if (!in_hole) host = static_cast<int>(part);
    }
    if (host >= 0) {
      hole_env[host].push_back(envelope_of_ring(r));
      ring_of[host].push_back(k);
      p.geometry[host].holes.push_back(std::move(r));
    } else {
      if (k > 0) ++parts_added;
      outer_env.push_back(envelope_of_ring(r));
      hole_env.emplace_back();
      ring_of.push_back({k});
      p.geometry.push_back(Polygon{std::move(r), {}});
    }
    r.clear();
  }
  if (parts_added)
    problem(Severity::Info, "multi-part", p.first_line,
            "地块 " + p.number + " 有 " + std::to_string(parts_added + 1) +
                " 个不相连的部分（圈不在圈 1 内） / parcel " + p.number + " has " +
                std::to_string(parts_added + 1) + " parts (rings outside ring 1)",
            p.index);
  validate(p, rings, ring_of);

  if (p.shape.empty())
    p.shape = "面";
  else if (p.shape != "面")
    problem(Severity::Warning, "not-polygon", p.first_line,
            "地块类型为 " + quote(p.shape) + "（非面），按面读取 / parcel shape is " +
                quote(p.shape) + " (not 面); read as a polygon",
            p.index);

  if (p.declared_points) {
    std::size_t closed = 0;
    for (const auto &poly : p.geometry) {
      closed += poly.outer.size();
      for (const auto &h : poly.holes)
        closed += h.size();
    }
    const std::size_t open = closed - rings.size();
    const auto d = static_cast<std::size_t>(*p.declared_points);
    if (d != static_cast<std::size_t>(p.point_lines) && d != closed && d != open)
      problem(Severity::Warning, "point-count-mismatch", p.first_line,
              "声明点数 " + std::to_string(d) + "，实际坐标行 " + std::to_string(p.point_lines) +
                  " / declared point count " + std::to_string(d) + ", found " +
                  std::to_string(p.point_lines) + " point lines",
              p.index);
  }
  check_area(p, rp.area_unit_hint);
}

void Parser::validate(CoordinateParcel &p, const std::vector<BuiltRing> &rings,
                      const std::vector<std::vector<std::size_t>> &ring_of) {
  if (!options_.validate_geometry) return;
  std::optional<ValidityProblem> v;
  try {
    v = validity_problem(p.geometry);
  } catch (const Error &e) {
    problem(Severity::Error, "invalid-geometry", p.first_line,
            std::string("几何无效 / invalid geometry: ") + e.what(), p.index);
    return;
  }
  if (!v) return;
  // The vertex nearest to GEOS's location names the line to look at.
  int line = p.first_line;
  if (std::isfinite(v->location.x) && std::isfinite(v->location.y)) {
    double best = std::numeric_limits<double>::infinity();
    auto scan = [&](const Ring &ring, const std::vector<int> &lines) {
      for (std::size_t k = 0; k < ring.size() && k < lines.size(); ++k) {
        const double d = std::hypot(ring[k].x - v->location.x, ring[k].y - v->location.y);
        if (d < best) best = d, line = lines[k];
      }
    };
    for (std::size_t part = 0; part < p.geometry.size() && part < ring_of.size(); ++part) {
      scan(p.geometry[part].outer, rings[ring_of[part][0]].lines);
      for (std::size_t h = 0; h < p.geometry[part].holes.size() && h + 1 < ring_of[part].size();
           ++h)
        scan(p.geometry[part].holes[h], rings[ring_of[part][h + 1]].lines);
    }
  }
  const bool self = v->reason.find("elf-intersection") != std::string::npos;
  char where[128] = "";
  if (std::isfinite(v->location.x))
    std::snprintf(where, sizeof where, " X=%.3f Y=%.3f", v->location.y, v->location.x);
  problem(Severity::Error, self ? "self-intersection" : "invalid-geometry", line,
          std::string(self ? "自相交" : "几何无效") + "（" + v->reason + "）于" + where + "，第 " +
              std::to_string(line) + " 行附近 / " +
              (self ? "self-intersection" : "invalid geometry") + " (" + v->reason + ") at" +
              where + ", near line " + std::to_string(line),
          p.index);
}

void Parser::check_area(CoordinateParcel &p, const std::string &unit_hint) {
  if (!p.declared_area) return;
  const double declared = *p.declared_area;
  if (declared <= 0) {
    if (declared < 0)
      problem(Severity::Warning, "area-mismatch", p.first_line,
              "声明面积为负 / declared area is negative", p.index);
    return;
  }
  double m2 = 0;
  if (geographic_) {
    try {
      m2 = geographic_official_area(p.geometry);
    } catch (const Error &e) {
      problem(Severity::Warning, "area-unavailable", p.first_line,
              std::string("无法计算面积 / cannot compute the area: ") + e.what(), p.index);
      return;
    }
  } else {
    m2 = planar_area_m2(p.geometry);
  }
  const int dec = std::min(p.declared_area_decimals, 12);
  const double unit = std::pow(10.0, -dec);
  struct Candidate {
    const char *id;
    int rank; // 0 exact, 1 truncated, 2 close
    double rel;
    double computed;
  };
  std::optional<Candidate> best;
  double closest_rel = std::numeric_limits<double>::infinity();
  const AreaUnit *closest = &kAreaUnits[0];
  for (const auto &u : kAreaUnits) {
    if (!unit_hint.empty() && unit_hint != u.id) continue;
    const double c = m2 / u.m2;
    const double diff = std::fabs(c - declared);
    const double rel = diff / declared;
    if (rel < closest_rel) closest_rel = rel, closest = &u;
    int rank = -1;
    const double eps = 1e-9 * std::max(1.0, std::fabs(declared));
    if (diff <= unit * 0.5 + eps)
      rank = 0;
    else if (c >= declared - eps && c < declared + unit - eps && c * std::pow(10.0, dec) < 1e15)
      rank = 1;
    else if (rel <= 1e-3)
      rank = 2;
    if (rank < 0) continue;
    if (!best || rank < best->rank || (rank == best->rank && rel < best->rel))
      best = Candidate{u.id, rank, rel, c};
  }
  if (best) {
    p.declared_area_unit = best->id;
    p.declared_area_match = best->rank == 0 ? "exact" : best->rank == 1 ? "truncated" : "close";
    return;
  }
  const double c = m2 / closest->m2;
  problem(Severity::Warning, "area-mismatch", p.first_line,
          "声明面积 " + shortest(declared) + " 与计算面积不符（最接近：" +
              fmt(c, std::max(dec, 2)) + " " + closest->id +
              "，按平方千米/公顷/平方米/亩比较） / declared area " + shortest(declared) +
              " matches no unit (closest: computed " + fmt(c, std::max(dec, 2)) + " " +
              closest->id + "; compared as km2, ha, m2 and mu)",
          p.index);
}

double Parser::geographic_official_area(const MultiPolygon &lonlat) {
  const Point c = planar_centroid(lonlat);
  const int zone = gauss_kruger_zone_for(c.x, 3);
  auto it = to_zone_.find(zone);
  if (it == to_zone_.end())
    it = to_zone_
             .emplace(zone, Transformer(Crs::geographic(file_.crs.datum),
                                        Crs::gauss_kruger(file_.crs.datum, 3, zone, false)))
             .first;
  MultiPolygon gk = lonlat;
  for (auto &poly : gk) {
    it->second.apply(poly.outer);
    for (auto &h : poly.holes)
      it->second.apply(h);
  }
  return planar_area_m2(gk);
}

CoordinateFile Parser::run(std::string_view bytes) {
  if (bytes.size() > options_.max_bytes)
    fail(0, "",
         "期望文件不超过 " + std::to_string(options_.max_bytes >> 20) + " MiB，实际 " +
             std::to_string(bytes.size()) + " 字节",
         "expected at most " + std::to_string(options_.max_bytes >> 20) + " MiB, found " +
             std::to_string(bytes.size()) + " bytes");
  decode(bytes);
  const std::vector<std::string_view> lines = split_lines(text_);
  bool any = false, registration = false;
  for (auto l : lines) {
    const std::string_view s = trim(l);
    if (s.empty() || is_comment(s)) continue;
    any = true;
    if (s.size() > 3 && (s[0] == 'X' || s[0] == 'x') && (s[1] == 'Y' || s[1] == 'y') &&
        s[2] >= '0' && s[2] <= '9') {
      auto kv = split_key_value(s);
      if (kv && is_point_key(kv->first)) registration = true;
    }
  }
  if (!any)
    fail(0, "", "期望坐标文件内容（[属性描述]、[地块坐标] …），实际文件为空",
         "expected a coordinate file ([属性描述], [地块坐标] …), found an empty file");
  file_.layout = registration ? "registration" : "exchange";
  if (registration)
    parse_registration(lines);
  else
    parse_exchange(lines);

  if (raw_.empty())
    fail(static_cast<int>(lines.size()), "parcel",
         registration ? "期望至少一个拐点（XY001=点号,X,Y），实际没有"
                      : "期望至少一个地块（地块头 + 坐标行），实际没有",
         registration ? "expected at least one corner point (XY001=no,X,Y), found none"
                      : "expected at least one parcel (header + point lines), found none");

  if (registration) {
    // File-level keys of the registration layout that belong to its (single) polygon.
    const KeyValue *name = find_attr({"矿山名称", "矿区名称", "项目名称", "名称"});
    for (auto &rp : raw_) {
      if (name)
        rp.parcel.name = name->value + (raw_.size() > 1 ? "(" + rp.parcel.number + ")" : "");
    }
    if (raw_.size() == 1) {
      if (const KeyValue *a = find_attr({"面积", "矿区面积"})) {
        std::string_view v = trim(a->value);
        std::size_t n = 0;
        while (n < v.size() && ((v[n] >= '0' && v[n] <= '9') || v[n] == '.'))
          ++n;
        double d = 0;
        if (n > 0 && parse_double(v.substr(0, n), d) == NumberStatus::Ok) {
          raw_[0].parcel.declared_area = d;
          raw_[0].parcel.declared_area_decimals = decimals_of(v.substr(0, n));
          const std::string_view u = trim(v.substr(n));
          if (u == "km2" || u == "平方千米" || u == "平方公里" || u == "km²")
            raw_[0].area_unit_hint = "km2";
          else if (u == "公顷" || u == "ha" || u == "hm2")
            raw_[0].area_unit_hint = "ha";
          else if (u == "平方米" || u == "m2" || u == "m²")
            raw_[0].area_unit_hint = "m2";
          else if (u == "亩")
            raw_[0].area_unit_hint = "mu";
        }
      }
      if (const KeyValue *c = find_attr({"拐点数", "点数"}))
        if (auto n = leading_int(trim(c->value))) raw_[0].parcel.declared_points = *n;
    }
  }

  interpret_header();
  decide_geographic();
  // Axis order per parcel first (the zone comes from the eastings), then zone, then geometry.
  for (auto &rp : raw_) {
    if (rp.points.empty())
      fail(rp.parcel.first_line, "parcel", "期望地块 " + rp.parcel.number + " 有坐标点，实际没有",
           "expected points for parcel " + rp.parcel.number + ", found none");
  }
  for (auto &rp : raw_)
    decide_axis_order(rp);
  decide_zone();

  std::set<std::string> numbers;
  for (auto &rp : raw_) {
    if (!numbers.insert(rp.parcel.number).second)
      problem(Severity::Warning, "duplicate-parcel", rp.parcel.first_line,
              "地块编号 " + rp.parcel.number + " 重复 / parcel number " + rp.parcel.number +
                  " appears twice",
              rp.parcel.index);
    build(rp);
    file_.parcels.push_back(std::move(rp.parcel));
  }
  raw_.clear();

  if (dropped_any_)
    file_.problems.push_back(
        Problem{dropped_error_ ? Severity::Error : Severity::Info, "too-many-problems", 0,
                "问题过多，其余未列出 / too many problems; the rest are not listed", -1});
  return std::move(file_);
}

} // namespace

// ---------------------------------------------------------------------------------------------
std::string_view severity_id(Severity s) {
  switch (s) {
  case Severity::Error: return "error";
  case Severity::Warning: return "warning";
  case Severity::Info: return "info";
  }
  return "info";
}

bool CoordinateFile::has_errors() const {
  return count(Severity::Error) > 0;
}

std::size_t CoordinateFile::count(Severity s) const {
  return static_cast<std::size_t>(std::count_if(problems.begin(), problems.end(),
                                                [s](const Problem &p) { return p.severity == s; }));
}

const std::string *CoordinateFile::attribute(std::string_view key) const {
  for (const auto &kv : attributes)
    if (kv.key == key) return &kv.value;
  return nullptr;
}

CoordinateFile parse_coordinate_file(std::string_view bytes, std::string source,
                                     const ReadOptions &options) {
  Parser parser(std::move(source), options);
  return parser.run(bytes);
}

CoordinateFile read_coordinate_file(const std::filesystem::path &path, const ReadOptions &options) {
  const std::string source = path.string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) throw InputError(source, 0, "", "无法读取文件 / cannot read the file: " + ec.message());
  if (size > options.max_bytes)
    throw InputError(source, 0, "",
                     "期望文件不超过 " + std::to_string(options.max_bytes >> 20) + " MiB，实际 " +
                         std::to_string(size) + " 字节 / expected at most " +
                         std::to_string(options.max_bytes >> 20) + " MiB, found " +
                         std::to_string(size) + " bytes");
  std::ifstream in(path, std::ios::binary);
  if (!in) throw InputError(source, 0, "", "无法打开文件 / cannot open the file");
  std::string bytes(static_cast<std::size_t>(size), '\0');
  in.read(bytes.data(), static_cast<std::streamsize>(size));
  bytes.resize(static_cast<std::size_t>(in.gcount()));
  return parse_coordinate_file(bytes, source, options);
}

// ---------------------------------------------------------------------------------------------
std::string write_exchange_file(const CoordinateFile &file, Encoding encoding) {
  const std::string nl = "\r\n";
  std::string out;
  const Crs &crs = file.crs;
  const int decimals = std::clamp(
      static_cast<int>(std::lround(-std::log10(file.precision > 0 ? file.precision : 0.01))), 0, 9);

  if (!file.project_info.empty()) {
    out += "[项目信息]" + nl;
    for (const auto &kv : file.project_info)
      out += kv.key + "=" + kv.value + nl;
  }
  out += "[属性描述]" + nl;
  std::vector<std::pair<std::string, std::string>> standard;
  auto keep = [&](const char *key) {
    if (const std::string *v = file.attribute(key)) standard.emplace_back(key, *v);
  };
  keep("格式版本号");
  keep("数据产生单位");
  keep("数据产生日期");
  const char *datum_name = crs.datum == Datum::CGCS2000   ? "2000国家大地坐标系"
                           : crs.datum == Datum::Xian1980 ? "80西安坐标系"
                                                          : "54北京坐标系";
  standard.emplace_back("坐标系", datum_name);
  if (crs.geographic()) {
    standard.emplace_back("投影类型", "经纬度");
    standard.emplace_back("计量单位", "度");
  } else {
    standard.emplace_back("几度分带", std::to_string(crs.zone_width));
    standard.emplace_back("投影类型", "高斯克吕格");
    standard.emplace_back("计量单位", "米");
    standard.emplace_back("带号", crs.zone ? std::to_string(crs.zone) : "");
  }
  standard.emplace_back("精度", shortest(file.precision));
  std::string params = ",,,,,,";
  if (file.helmert) {
    params.clear();
    for (std::size_t k = 0; k < 7; ++k)
      params += (k ? "," : "") + shortest((*file.helmert)[k]);
  }
  standard.emplace_back("转换参数", params);
  std::set<std::string> written;
  for (const auto &[k, v] : standard) {
    out += k + "=" + v + nl;
    written.insert(k);
  }
  // The other attributes, except the aliases of keys written above and registration-only
  // keys that would contradict them.
  static const std::set<std::string> kReplaced = {
      "坐标系统", "大地基准", "坐标基准",     "平面坐标系", "分带",       "分带方式",
      "投影分带", "投影带号", "坐标单位",     "单位",       "投影方式",   "投影",
      "坐标精度", "七参数",   "坐标转换参数", "中央经线",   "中央子午线", "中央经度"};
  for (const auto &kv : file.attributes)
    if (!written.count(kv.key) && !kReplaced.count(kv.key)) out += kv.key + "=" + kv.value + nl;

  out += "[地块坐标]" + nl;
  for (const auto &p : file.parcels) {
    std::size_t lines = 0;
    for (const auto &poly : p.geometry) {
      lines += poly.outer.size() +
               (poly.outer.empty() || poly.outer.front() == poly.outer.back() ? 0 : 1);
      for (const auto &h : poly.holes)
        lines += h.size() + (h.empty() || h.front() == h.back() ? 0 : 1);
    }
    out += std::to_string(lines) + "," +
           (p.declared_area ? fmt(*p.declared_area, p.declared_area_decimals) : "") + "," +
           p.number + "," + p.name + "," + (p.shape.empty() ? "面" : p.shape) + "," + p.sheet +
           "," + p.use + "," + p.class_code + ",@" + nl;
    int ring_no = 0;
    int point_no = 0;
    // X (northing) first, as surveyors write it. Appended piecewise: GCC 12 warns
    // (-Wrestrict, a false positive) on "J" + std::to_string(…) chains.
    auto point_line = [&](int no, const Point &pt) {
      out += 'J';
      out += std::to_string(no);
      out += ',';
      out += std::to_string(ring_no);
      out += ',';
      out += fmt(pt.y, decimals);
      out += ',';
      out += fmt(pt.x, decimals);
      out += nl;
    };
    auto write_ring = [&](const Ring &r) {
      ++ring_no;
      if (r.empty()) return;
      const bool closed = r.front() == r.back();
      const std::size_t n = closed ? r.size() - 1 : r.size();
      const int first_no = point_no + 1;
      for (std::size_t k = 0; k < n; ++k) {
        ++point_no;
        point_line(point_no, r[k]);
      }
      point_line(first_no, r[0]);
    };
    for (const auto &poly : p.geometry) {
      write_ring(poly.outer);
      for (const auto &h : poly.holes)
        write_ring(h);
    }
  }
  if (encoding == Encoding::Utf8) return out;
  Conversion c = convert_encoding(out, "UTF-8", "GB18030");
  if (c.error_offset) {
    // glibc's GB18030 table leaves some code points (private-use, unassigned) unmapped: such
    // text cannot be written in that encoding, and saying so beats writing a lossy file.
    std::string ch;
    for (std::size_t i = *c.error_offset; i < out.size() && ch.size() < 4; ++i) {
      if (!ch.empty() && (static_cast<unsigned char>(out[i]) & 0xC0) != 0x80) break;
      ch += out[i];
    }
    throw Error("write_exchange_file: the character '" + ch + "' at byte " +
                std::to_string(*c.error_offset) +
                " has no GBK/GB18030 form; write the file as UTF-8 instead");
  }
  return std::move(c.text);
}

} // namespace mineplan::geo
