#pragma once
// The coordinate reference systems Chinese surveyors use: three datums (CGCS2000, Xian 1980,
// Beijing 1954), each either geographic or projected with Gauss-Krüger in 3° or 6° zones,
// with or without the zone number prefixed to the easting. Every such CRS has an EPSG code in
// PROJ's database; Crs maps between the surveyors' way of naming them and EPSG.
#include <optional>
#include <string>
#include <string_view>

namespace mineplan::geo {

enum class Datum { CGCS2000, Xian1980, Beijing1954 };

struct Ellipsoid {
  double a;  // semi-major axis, m
  double rf; // inverse flattening
  double f() const { return 1.0 / rf; }
};

// The reference ellipsoid of each datum: CGCS2000 (a=6378137, 1/f=298.257222101, equal to
// GRS80 in a and f), Xian 1980 = IAG 1975 (6378140, 298.257), Beijing 1954 = Krassowsky
// (6378245, 298.3).
Ellipsoid ellipsoid_of(Datum d);
// "CGCS2000" / "Xian1980" / "Beijing1954": stable ASCII ids (JSON, logs).
std::string_view datum_id(Datum d);
// "2000国家大地坐标系" / "西安80" / "北京54": how the datum is written in Chinese reports.
std::string_view datum_chinese(Datum d);
// The EPSG code of the datum's geographic CRS (4490, 4610, 4214).
int geographic_epsg(Datum d);

struct Crs {
  Datum datum = Datum::CGCS2000;
  int zone_width = 0;         // 0 = geographic (lon/lat degrees); 3 or 6 = Gauss-Krüger zones
  int zone = 0;               // zone number (3°: 25-45, 6°: 13-23 in China); 0 = unknown
  bool zone_prefixed = false; // easting carries the zone number (false easting zone*1e6+500000)

  bool geographic() const { return zone_width == 0; }
  // A projected CRS whose zone is unknown cannot be placed on the earth: no EPSG code, no
  // transformation. Everything else (planar areas, validation) still works.
  bool known() const;
  // EPSG code, or 0 when there is none (unknown zone, zone outside the EPSG series).
  int epsg() const;
  // Central meridian in degrees: 3° zone n -> 3n, 6° zone n -> 6n - 3. NaN when geographic
  // or unknown.
  double central_meridian() const;
  // False easting in metres: 500000, plus zone*1e6 when the zone is prefixed.
  double false_easting() const;
  // Chinese name, e.g. "西安80 3度带 37带", "2000国家大地坐标系 经纬度", "北京54 6度带
  // 19带(无带号)".
  std::string name() const;
  // PROJ string of the CRS with explicit ellipsoid parameters (x = east/lon, y = north/lat).
  std::string proj_string() const;

  static Crs geographic(Datum d);
  static Crs gauss_kruger(Datum d, int width, int zone, bool prefixed);
  // Inverse of epsg(): any code of the series listed in docs/coordinates.md.
  static std::optional<Crs> from_epsg(int code);

  bool operator==(const Crs &) const = default;
};

// What a free-text CRS description (the value of 坐标系=, e.g. "西安80", "1980西安坐标系",
// "CGCS2000 3度带 37带", "EPSG:2355") says. Fields the text does not mention stay empty.
struct CrsDescription {
  std::optional<Datum> datum;
  std::optional<int> zone_width; // 0 when the text says geographic (经纬度)
  std::optional<int> zone;
  std::optional<int> epsg; // when the text is or contains an EPSG code
};

// Parses how surveyors write a CRS. Returns nullopt when the text names no datum, no zone
// and no EPSG code the function recognises.
std::optional<CrsDescription> parse_crs_description(std::string_view text);

// Parses just the datum: 2000国家大地坐标系, CGCS2000, 国家2000, 西安80, 80西安坐标系,
// 1980西安坐标系, 西安1980, Xian 1980, 北京54, 1954北京坐标系, Beijing 1954 …
std::optional<Datum> parse_datum(std::string_view text);

} // namespace mineplan::geo
