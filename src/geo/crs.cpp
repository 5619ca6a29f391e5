#include "geo/crs.hpp"

#include <array>
#include <charconv>
#include <cmath>
#include <limits>

namespace mineplan::geo {
namespace {

// One contiguous EPSG series: codes first_code .. first_code+count-1 are zones
// first_zone .. first_zone+count-1. Every series was checked with `projinfo EPSG:n` against
// lon_0 / x_0 / ellps (PROJ 9.1 database); the test geo_crs_test re-checks them through PROJ.
struct Series {
  Datum datum;
  int width;
  bool prefixed;
  int first_code;
  int first_zone;
  int count;
};

constexpr std::array kSeries{
    Series{Datum::CGCS2000, 3, true, 4513, 25, 21},
    Series{Datum::CGCS2000, 3, false, 4534, 25, 21},
    Series{Datum::CGCS2000, 6, true, 4491, 13, 11},
    Series{Datum::CGCS2000, 6, false, 4502, 13, 11},
    Series{Datum::Xian1980, 3, true, 2349, 25, 21},
    Series{Datum::Xian1980, 3, false, 2370, 25, 21},
    Series{Datum::Xian1980, 6, true, 2327, 13, 11},
    Series{Datum::Xian1980, 6, false, 2338, 13, 11},
    Series{Datum::Beijing1954, 3, true, 2401, 25, 21},
    Series{Datum::Beijing1954, 3, false, 2422, 25, 21},
    Series{Datum::Beijing1954, 6, true, 21413, 13, 11},
    Series{Datum::Beijing1954, 6, false, 21453, 13, 11},
};

// ASCII upper-casing; blanks (including the ideographic space U+3000), '_', '-' and '/'
// become one space, so that "Xian 1980", "XIAN_1980" and "西安　80" compare alike while
// "西安80 33带" keeps the space that separates 80 from 33. Non-ASCII bytes pass unchanged.
std::string fold(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  auto blank = [&out] {
    if (!out.empty() && out.back() != ' ') out.push_back(' ');
  };
  for (std::size_t i = 0; i < text.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (c == ' ' || c == '\t' || c == '_' || c == '-' || c == '/' || c == ',') {
      blank();
      continue;
    }
    if (c == 0xE3 && i + 2 < text.size() && static_cast<unsigned char>(text[i + 1]) == 0x80 &&
        static_cast<unsigned char>(text[i + 2]) == 0x80) {
      i += 2; // U+3000
      blank();
      continue;
    }
    if (c >= 'a' && c <= 'z') c = static_cast<unsigned char>(c - 'a' + 'A');
    out.push_back(static_cast<char>(c));
  }
  return out;
}

std::string without_spaces(std::string_view s) {
  std::string out;
  for (char c : s)
    if (c != ' ') out.push_back(c);
  return out;
}

bool contains(std::string_view hay, std::string_view needle) {
  return hay.find(needle) != std::string_view::npos;
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

struct Digits {
  int value;
  std::size_t length; // characters, leading zeros included
};

// Reads the run of digits ending just before position `end` (exclusive).
std::optional<Digits> digits_before(std::string_view s, std::size_t end) {
  std::size_t b = end;
  while (b > 0 && is_digit(s[b - 1]))
    --b;
  if (b == end || end - b > 6) return std::nullopt;
  int v = 0;
  std::from_chars(s.data() + b, s.data() + end, v);
  return Digits{v, end - b};
}

std::optional<Digits> digits_after(std::string_view s, std::size_t begin) {
  std::size_t e = begin;
  while (e < s.size() && is_digit(s[e]))
    ++e;
  if (e == begin || e - begin > 6) return std::nullopt;
  int v = 0;
  std::from_chars(s.data() + begin, s.data() + e, v);
  return Digits{v, e - begin};
}

} // namespace

Ellipsoid ellipsoid_of(Datum d) {
  switch (d) {
  case Datum::CGCS2000: return {6378137.0, 298.257222101};
  case Datum::Xian1980: return {6378140.0, 298.257};
  case Datum::Beijing1954: return {6378245.0, 298.3};
  }
  return {6378137.0, 298.257222101};
}

std::string_view datum_id(Datum d) {
  switch (d) {
  case Datum::CGCS2000: return "CGCS2000";
  case Datum::Xian1980: return "Xian1980";
  case Datum::Beijing1954: return "Beijing1954";
  }
  return "CGCS2000";
}

std::string_view datum_chinese(Datum d) {
  switch (d) {
  case Datum::CGCS2000: return "2000国家大地坐标系";
  case Datum::Xian1980: return "西安80";
  case Datum::Beijing1954: return "北京54";
  }
  return "2000国家大地坐标系";
}

int geographic_epsg(Datum d) {
  switch (d) {
  case Datum::CGCS2000: return 4490;
  case Datum::Xian1980: return 4610;
  case Datum::Beijing1954: return 4214;
  }
  return 0;
}

bool Crs::known() const {
  if (geographic()) return true;
  if (zone_width == 3) return zone >= 1 && zone <= 60;
  if (zone_width == 6) return zone >= 1 && zone <= 60;
  return false;
}

int Crs::epsg() const {
  if (geographic()) return geographic_epsg(datum);
  for (const auto &s : kSeries)
    if (s.datum == datum && s.width == zone_width && s.prefixed == zone_prefixed &&
        zone >= s.first_zone && zone < s.first_zone + s.count)
      return s.first_code + (zone - s.first_zone);
  return 0;
}

double Crs::central_meridian() const {
  if (!known() || geographic()) return std::numeric_limits<double>::quiet_NaN();
  return zone_width == 3 ? 3.0 * zone : 6.0 * zone - 3.0;
}

double Crs::false_easting() const {
  return zone_prefixed ? zone * 1e6 + 500000.0 : 500000.0;
}

std::string Crs::name() const {
  std::string datum_name =
      datum == Datum::CGCS2000 ? "CGCS2000" : std::string(datum_chinese(datum));
  if (geographic()) return datum_name + " 经纬度";
  std::string out = datum_name + " " + std::to_string(zone_width) + "度带 ";
  if (zone == 0) return out + "带号未知";
  out += std::to_string(zone) + "带";
  // The unprefixed variant is a different EPSG code; say so, since it is easy to confuse.
  if (!zone_prefixed) out += " (Y无带号)";
  return out;
}

std::string Crs::proj_string() const {
  Ellipsoid e = ellipsoid_of(datum);
  char ell[96];
  std::snprintf(ell, sizeof ell, "+a=%.3f +rf=%.9f", e.a, e.rf);
  if (geographic()) return std::string("+proj=longlat ") + ell + " +no_defs +type=crs";
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "+proj=tmerc +lat_0=0 +lon_0=%.0f +k=1 +x_0=%.0f +y_0=0 %s +units=m +no_defs "
                "+type=crs",
                central_meridian(), false_easting(), ell);
  return buf;
}

Crs Crs::geographic(Datum d) {
  return Crs{d, 0, 0, false};
}

Crs Crs::gauss_kruger(Datum d, int width, int zone, bool prefixed) {
  return Crs{d, width, zone, prefixed};
}

std::optional<Crs> Crs::from_epsg(int code) {
  for (Datum d : {Datum::CGCS2000, Datum::Xian1980, Datum::Beijing1954})
    if (geographic_epsg(d) == code) return geographic(d);
  for (const auto &s : kSeries)
    if (code >= s.first_code && code < s.first_code + s.count)
      return gauss_kruger(s.datum, s.width, s.first_zone + (code - s.first_code), s.prefixed);
  return std::nullopt;
}

std::optional<Datum> parse_datum(std::string_view text) {
  const std::string t = without_spaces(fold(text));
  // Names first, digits last: "1980国家大地坐标系" is another name of Xian 1980, so "国家大地"
  // alone must not mean CGCS2000; only "2000"/"CGCS" does.
  if (contains(t, "西安") || contains(t, "XIAN") || contains(t, "XI'AN")) return Datum::Xian1980;
  if (contains(t, "北京") || contains(t, "BEIJING")) return Datum::Beijing1954;
  if (contains(t, "2000") || contains(t, "CGCS")) return Datum::CGCS2000;
  if (contains(t, "1980") || contains(t, "80")) return Datum::Xian1980;
  if (contains(t, "1954") || contains(t, "54")) return Datum::Beijing1954;
  return std::nullopt;
}

std::optional<CrsDescription> parse_crs_description(std::string_view text) {
  const std::string spaced = fold(text);
  const std::string t = without_spaces(spaced);
  CrsDescription d;
  if (auto p = t.find("EPSG"); p != std::string::npos) {
    std::size_t q = p + 4;
    if (t.compare(q, 1, ":") == 0)
      q += 1;
    else if (t.compare(q, 3, "\xEF\xBC\x9A") == 0)
      q += 3; // full-width colon
    if (auto code = digits_after(t, q)) {
      d.epsg = code->value;
      if (auto crs = Crs::from_epsg(code->value)) {
        d.datum = crs->datum;
        d.zone_width = crs->zone_width;
        if (crs->zone) d.zone = crs->zone;
      }
      return d;
    }
  }
  // Zone width and zone before the datum, and removed from the text the datum is read from,
  // so that "CGCS2000 3度带 54带" (zone 54 does not exist, but) cannot read as Beijing 54.
  std::string rest = spaced;
  auto erase_all = [&rest](std::string_view what) {
    for (auto p = rest.find(what); p != std::string::npos; p = rest.find(what))
      rest.erase(p, what.size());
  };
  for (std::string_view w : {"3度带", "三度带", "3°带", "3DEGREE", "3 DEGREE", "3度分带", "3 度带"})
    if (contains(spaced, w)) d.zone_width = 3, erase_all(w);
  for (std::string_view w : {"6度带", "六度带", "6°带", "6DEGREE", "6 DEGREE", "6度分带", "6 度带"})
    if (contains(spaced, w)) d.zone_width = 6, erase_all(w);
  if (contains(t, "经纬度") || contains(t, "地理坐标") || contains(t, "GEOGRAPHIC") ||
      contains(t, "LONLAT"))
    d.zone_width = 0;
  // "37带", "带号37", "第37带", "ZONE37".
  for (std::size_t p = rest.find("带"); p != std::string::npos; p = rest.find("带", p + 1)) {
    const std::size_t dai = std::string_view("带").size();
    if (auto z = digits_before(rest, p)) {
      d.zone = z->value;
      rest.erase(p - z->length, z->length + dai);
      break;
    }
    std::size_t after = p + dai;
    if (rest.compare(after, std::string_view("号").size(), "号") == 0)
      after += std::string_view("号").size();
    while (after < rest.size() && (rest[after] == ' ' || rest[after] == ':'))
      ++after;
    if (auto z = digits_after(rest, after)) {
      d.zone = z->value;
      rest.erase(p, after - p + z->length);
      break;
    }
  }
  if (!d.zone)
    if (auto p = rest.find("ZONE"); p != std::string::npos) {
      std::size_t q = p + 4;
      while (q < rest.size() && rest[q] == ' ')
        ++q;
      if (auto z = digits_after(rest, q)) {
        d.zone = z->value;
        rest.erase(p, q - p + z->length);
      }
    }
  d.datum = parse_datum(rest);
  if (!d.datum && !d.zone_width && !d.zone) return std::nullopt;
  return d;
}

} // namespace mineplan::geo
