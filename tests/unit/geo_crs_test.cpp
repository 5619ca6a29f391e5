// CRS naming, EPSG series (checked against PROJ's database) and parsing of surveyors' names.
#include "geo/crs.hpp"

#include <gtest/gtest.h>
#include <proj.h>

#include <cmath>
#include <memory>
#include <string>

using namespace mineplan::geo;

namespace {

struct ProjFree {
  PJ_CONTEXT *ctx;
  void operator()(PJ *p) const { proj_destroy(p); }
};

// lon_0 / x_0 / ellipsoid of an EPSG CRS as PROJ's database defines it.
std::string proj4_of(int code) {
  PJ_CONTEXT *ctx = proj_context_create();
  std::string out;
  {
    std::unique_ptr<PJ, ProjFree> pj(proj_create(ctx, ("EPSG:" + std::to_string(code)).c_str()),
                                     ProjFree{ctx});
    if (pj)
      if (const char *s = proj_as_proj_string(ctx, pj.get(), PJ_PROJ_5, nullptr)) out = s;
  }
  proj_context_destroy(ctx);
  return out;
}

} // namespace

TEST(GeoCrs, EpsgOfEverySeriesMatchesProjDatabase) {
  struct Check {
    Datum d;
    const char *ellps;
  };
  for (Check c : {Check{Datum::CGCS2000, "+ellps=GRS80"}, Check{Datum::Xian1980, "+ellps=IAU76"},
                  Check{Datum::Beijing1954, "+ellps=krass"}}) {
    for (int width : {3, 6}) {
      const int first = width == 3 ? 25 : 13, last = width == 3 ? 45 : 23;
      for (int zone = first; zone <= last; ++zone) {
        for (bool prefixed : {true, false}) {
          const Crs crs = Crs::gauss_kruger(c.d, width, zone, prefixed);
          const int code = crs.epsg();
          ASSERT_NE(code, 0) << crs.name();
          const std::string def = proj4_of(code);
          const double cm = width == 3 ? 3.0 * zone : 6.0 * zone - 3.0;
          char lon0[32], x0[48];
          std::snprintf(lon0, sizeof lon0, "+lon_0=%g ", cm);
          std::snprintf(x0, sizeof x0, "+x_0=%.0f ", prefixed ? zone * 1e6 + 500000 : 500000.0);
          EXPECT_NE(def.find(lon0), std::string::npos) << code << " " << def;
          EXPECT_NE(def.find(x0), std::string::npos) << code << " " << def;
          EXPECT_NE(def.find(c.ellps), std::string::npos) << code << " " << def;
          EXPECT_DOUBLE_EQ(crs.central_meridian(), cm);
          auto back = Crs::from_epsg(code);
          ASSERT_TRUE(back);
          EXPECT_EQ(*back, crs);
        }
      }
    }
    EXPECT_NE(proj4_of(geographic_epsg(c.d)).find(c.ellps), std::string::npos);
    EXPECT_EQ(Crs::from_epsg(geographic_epsg(c.d)), Crs::geographic(c.d));
  }
}

TEST(GeoCrs, KnownCodes) {
  EXPECT_EQ(Crs::gauss_kruger(Datum::Xian1980, 3, 37, true).epsg(), 2361);
  EXPECT_EQ(Crs::gauss_kruger(Datum::Xian1980, 3, 37, false).epsg(), 2382);
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 3, 25, true).epsg(), 4513);
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 3, 45, false).epsg(), 4554);
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 6, 13, true).epsg(), 4491);
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 6, 23, false).epsg(), 4512);
  EXPECT_EQ(Crs::gauss_kruger(Datum::Beijing1954, 6, 23, true).epsg(), 21423);
  EXPECT_EQ(Crs::gauss_kruger(Datum::Beijing1954, 6, 13, false).epsg(), 21453);
  EXPECT_EQ(Crs::gauss_kruger(Datum::Beijing1954, 3, 45, false).epsg(), 2442);
  EXPECT_EQ(Crs::geographic(Datum::CGCS2000).epsg(), 4490);
  EXPECT_EQ(Crs::geographic(Datum::Xian1980).epsg(), 4610);
  EXPECT_EQ(Crs::geographic(Datum::Beijing1954).epsg(), 4214);
  // Outside the EPSG series or unknown: no code.
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 3, 24, true).epsg(), 0);
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 3, 0, true).epsg(), 0);
  EXPECT_FALSE(Crs::gauss_kruger(Datum::CGCS2000, 3, 0, true).known());
  EXPECT_FALSE(Crs::from_epsg(4326));
  EXPECT_FALSE(Crs::from_epsg(2443));
}

TEST(GeoCrs, Names) {
  EXPECT_EQ(Crs::gauss_kruger(Datum::Xian1980, 3, 37, true).name(), "西安80 3度带 37带");
  EXPECT_EQ(Crs::gauss_kruger(Datum::Beijing1954, 6, 19, false).name(),
            "北京54 6度带 19带 (Y无带号)");
  EXPECT_EQ(Crs::gauss_kruger(Datum::CGCS2000, 3, 38, true).name(), "CGCS2000 3度带 38带");
  EXPECT_EQ(Crs::geographic(Datum::CGCS2000).name(), "CGCS2000 经纬度");
  EXPECT_TRUE(std::isnan(Crs::geographic(Datum::CGCS2000).central_meridian()));
  EXPECT_DOUBLE_EQ(Crs::gauss_kruger(Datum::CGCS2000, 6, 19, true).central_meridian(), 111.0);
  EXPECT_DOUBLE_EQ(Crs::gauss_kruger(Datum::CGCS2000, 6, 19, true).false_easting(), 19500000.0);
}

TEST(GeoCrs, DatumNamesSurveyorsWrite) {
  for (const char *s :
       {"2000国家大地坐标系", "CGCS2000", "cgcs 2000", "国家2000", "2000坐标系", "CGCS2000 3度带"})
    EXPECT_EQ(parse_datum(s), Datum::CGCS2000) << s;
  for (const char *s : {"西安80", "80西安坐标系", "1980西安坐标系", "西安1980", "Xian 1980",
                        "XIAN80", "1980国家大地坐标系", "西安 80 坐标系", "1980年西安坐标系"})
    EXPECT_EQ(parse_datum(s), Datum::Xian1980) << s;
  for (const char *s :
       {"北京54", "1954北京坐标系", "54北京坐标系", "Beijing 1954", "北京1954", "1954年北京坐标系"})
    EXPECT_EQ(parse_datum(s), Datum::Beijing1954) << s;
  EXPECT_FALSE(parse_datum("WGS84"));
  EXPECT_FALSE(parse_datum(""));
}

TEST(GeoCrs, Descriptions) {
  auto d = parse_crs_description("西安80 3度带 37带");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->datum, Datum::Xian1980);
  EXPECT_EQ(d->zone_width, 3);
  EXPECT_EQ(d->zone, 37);

  d = parse_crs_description("西安80 3度带 33带"); // "80 3度带 33" must not run together
  ASSERT_TRUE(d);
  EXPECT_EQ(d->zone, 33);
  EXPECT_EQ(d->datum, Datum::Xian1980);

  d = parse_crs_description("CGCS2000 / 3-degree Gauss-Kruger zone 38");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->datum, Datum::CGCS2000);
  EXPECT_EQ(d->zone_width, 3);
  EXPECT_EQ(d->zone, 38);

  d = parse_crs_description("北京54坐标系 6度带 带号19");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->datum, Datum::Beijing1954);
  EXPECT_EQ(d->zone_width, 6);
  EXPECT_EQ(d->zone, 19);

  d = parse_crs_description("EPSG:2361");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->epsg, 2361);
  EXPECT_EQ(d->datum, Datum::Xian1980);
  EXPECT_EQ(d->zone, 37);

  d = parse_crs_description("2000国家大地坐标系 经纬度");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->zone_width, 0);

  d = parse_crs_description("CGCS2000 3度带 54带");
  ASSERT_TRUE(d);
  EXPECT_EQ(d->datum, Datum::CGCS2000);
  EXPECT_EQ(d->zone, 54);

  EXPECT_FALSE(parse_crs_description("WGS84"));
  EXPECT_FALSE(parse_crs_description(""));
}

TEST(GeoCrs, ProjStringMatchesEpsg) {
  const Crs c = Crs::gauss_kruger(Datum::Xian1980, 3, 37, true);
  EXPECT_EQ(c.proj_string(), "+proj=tmerc +lat_0=0 +lon_0=111 +k=1 +x_0=37500000 +y_0=0 "
                             "+a=6378140.000 +rf=298.257000000 +units=m "
                             "+no_defs +type=crs");
}
