// The written opinion (审查意见书): content, map, escaping, determinism.
#include "geo/area.hpp"
#include "review/opinion.hpp"
#include "review/svg_map.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

using namespace mineplan;
using namespace mineplan::review;

namespace {

namespace fs = std::filesystem;

// A lon/lat rectangle (closed ring, counter-clockwise).
geo::MultiPolygon rect(double lon, double lat, double dlon, double dlat) {
  geo::Ring r = {
      {lon, lat}, {lon + dlon, lat}, {lon + dlon, lat + dlat}, {lon, lat + dlat}, {lon, lat}};
  return {geo::Polygon{r, {}}};
}

std::size_t count(const std::string &haystack, const std::string &needle) {
  std::size_t n = 0;
  for (auto pos = haystack.find(needle); pos != std::string::npos;
       pos = haystack.find(needle, pos + needle.size()))
    ++n;
  return n;
}

// A new sand mine in Dalad, about 1 km x 1 km, cut by a red line, outside the concentrated
// area it should lie in, and overlapping a neighbour's mining right.
struct RejectCase {
  Application app;
  ReviewResult result;
  std::vector<SpatialFeature> features;
  OpinionContext ctx;

  RejectCase() {
    app.kind = "mining";
    app.action = "new";
    app.jurisdiction = "150621";
    app.date = "2023-06-01";
    app.applicant_name = "达拉特旗某建材有限责任公司";
    app.applicant_type = "company";
    app.minerals = {"建筑用砂"};
    app.scale = Quantity{4, "万立方米/年"};
    app.method = "open-pit";
    app.service_years = 6;
    app.conditions_met = {"eia", "restoration_plan"};
    app.boundary_lonlat = rect(109.90, 40.35, 0.0118, 0.009);
    app.boundary_source = "boundary.txt";
    app.planar_crs = geo::Crs::gauss_kruger(geo::Datum::CGCS2000, 3, 37, true);

    SpatialFeature red;
    red.layer = "zone";
    red.id = "dalad-2021/rl-01";
    red.plan_id = "dalad-2021";
    red.kind = "red_line";
    red.name = "黄河湿地生态保护红线";
    red.lonlat = rect(109.905, 40.345, 0.02, 0.006);
    SpatialFeature ca;
    ca.layer = "zone";
    ca.id = "dalad-2021/ca-wangaizhao";
    ca.plan_id = "dalad-2021";
    ca.kind = "concentrated_area";
    ca.name = "王爱召建筑用砂集中开采区";
    ca.minerals = {"建筑用砂"};
    ca.lonlat = rect(109.93, 40.36, 0.02, 0.015);
    SpatialFeature right;
    right.layer = "right";
    right.id = "C1506212010127120089745";
    right.kind = "mining";
    right.name = "某砂石料场";
    right.holder = "某砂石有限公司";
    right.minerals = {"建筑用砂"};
    right.lonlat = rect(109.895, 40.355, 0.008, 0.006);
    features = {red, ca, right};

    result.verdict = "reject";
    result.input_hash = "sha256:3f9a6c0d21e4b7a85c1d2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b";
    result.plans = {
        {"dalad-2021", "达拉特旗矿产资源总体规划（2021-2025年）", "county", "v-d1a2"},
        {"nmg-2016", "内蒙古自治区矿产资源总体规划（2016-2020年）", "region", "v-n9b8"}};

    Finding f1;
    f1.rule = "dalad-2021/zc-red-line";
    f1.check = "zone_control";
    f1.outcome = Outcome::Fail;
    f1.message = "申请范围与生态保护红线重叠，红线内禁止新设矿业权。";
    f1.evidence = Json{{"overlap_m2", 228841.37},
                       {"overlap_share", 0.2291},
                       {"zones", Json::array({"dalad-2021/rl-01"})}};
    f1.citation = {"001_2b4936a4e1a37cf6.txt", "第五章第一节", "生态保护红线内禁止新设矿业权"};
    f1.plan = "dalad-2021";
    f1.features = {"dalad-2021/rl-01"};
    Finding f2;
    f2.rule = "dalad-2021/zc-sand-inside-ca";
    f2.check = "zone_control";
    f2.outcome = Outcome::Fail;
    f2.message = "建筑用砂新立采矿权须位于集中开采区内，申请范围不在任何集中开采区内。";
    f2.evidence = Json{{"distance_m", 1832.4}, {"zone_kind", "concentrated_area"}};
    f2.citation = {"001_2b4936a4e1a37cf6.txt", "专栏8", ""};
    f2.plan = "dalad-2021";
    f2.features = {"dalad-2021/ca-wangaizhao"};
    Finding f3;
    f3.rule = "nmg-2016/min-scale-sand";
    f3.check = "min_scale";
    f3.outcome = Outcome::Pass;
    f3.message = "开采规模不低于最低开采规模。";
    f3.evidence = Json{{"value", Json{{"value", 4}, {"unit", "万立方米/年"}}},
                       {"limit", Json{{"value", 3}, {"unit", "万立方米/年"}}}};
    f3.citation = {"000_fc264dd9bf63fed9.txt", "附表6", ""};
    f3.plan = "nmg-2016";
    f3.superseded_by = "dalad-2021/min-scale-sand";
    Finding f4;
    f4.rule = "dalad-2021/min-scale-sand";
    f4.check = "min_scale";
    f4.outcome = Outcome::Pass;
    f4.message = "开采规模符合旗县规划最低开采规模。";
    f4.evidence = Json{{"mineral", "建筑用砂"}, {"method", "any"},        {"min_scale", 4},
                       {"unit", "万立方米/年"}, {"min_service_years", 5}, {"scale", 4.5},
                       {"service_years", 6}};
    f4.citation = {"001_2b4936a4e1a37cf6.txt", "专栏6", ""};
    f4.plan = "dalad-2021";
    Finding f5;
    f5.rule = "overlap-rights";
    f5.check = "overlap";
    f5.outcome = Outcome::Attention;
    f5.message = "申请范围与他人采矿权重叠，须核实权属。";
    f5.evidence = Json{{"overlap_m2", 16530.2}, {"holder", "某砂石有限公司"}};
    f5.features = {"C1506212010127120089745"};
    Finding f6;
    f6.rule = "dalad-2021/timing-coal";
    f6.check = "timing";
    f6.outcome = Outcome::NotApplicable;
    f6.message = "煤炭新立时序要求不适用于建筑用砂。";
    f6.citation = {"001_2b4936a4e1a37cf6.txt", "第四章", ""};
    f6.plan = "dalad-2021";
    result.findings = {f1, f2, f3, f4, f5, f6};

    ctx.reviewed_at = "2023-06-02T09:30:00+08:00";
    ctx.store = "region.gpkg";
    ctx.record_id = 42;
  }

  std::vector<const SpatialFeature *> feature_ptrs() const {
    std::vector<const SpatialFeature *> v;
    for (const auto &f : features)
      v.push_back(&f);
    return v;
  }
  std::string render() const { return render_opinion_html(app, result, feature_ptrs(), ctx); }
};

} // namespace

TEST(ReviewOpinion, RejectCaseHasVerdictFindingsCitationsAndMap) {
  const RejectCase c;
  const std::string html = c.render();

  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<title>矿业权申请规划符合性审查意见书</title>"), std::string::npos);
  EXPECT_NE(html.find("@page"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  // No external resources: the only URL is the SVG namespace.
  EXPECT_EQ(count(html, "http"), 1u);
  EXPECT_EQ(count(html, "http://www.w3.org/2000/svg"), 1u);
  EXPECT_EQ(html.find("<link"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  // Document number: hash prefix and record id.
  EXPECT_NE(html.find("3f9a6c0d21e4-000042"), std::string::npos);
  // Summary.
  for (const char *s : {"达拉特旗某建材有限责任公司", "采矿权", "新立", "建筑用砂", "4 万立方米/年",
                        "露天开采", "6 年", "150621", "2023年6月1日", "boundary.txt", "公顷"})
    EXPECT_NE(html.find(s), std::string::npos) << s;
  // Plans with title, level and version.
  EXPECT_NE(html.find("《达拉特旗矿产资源总体规划（2021-2025年）》"), std::string::npos);
  EXPECT_NE(html.find("旗县级"), std::string::npos);
  EXPECT_NE(html.find("v-n9b8"), std::string::npos);
  // Verdict.
  EXPECT_NE(html.find("审查结论：<span class=\"verdict-text\">不通过</span>"), std::string::npos);
  EXPECT_NE(html.find("data-verdict=\"reject\""), std::string::npos);
  // Every finding: rule id and citation.
  for (const auto &f : c.result.findings) {
    EXPECT_NE(html.find(f.rule), std::string::npos) << f.rule;
    if (!f.citation.section.empty()) {
      EXPECT_NE(html.find(f.citation.section), std::string::npos) << f.citation.section;
    }
    if (!f.citation.seed.empty()) {
      EXPECT_NE(html.find(f.citation.seed), std::string::npos) << f.citation.seed;
    }
  }
  EXPECT_EQ(count(html, "<tr class=\"finding"), c.result.findings.size());
  // Outcome labels from data/vocabulary.json (the opinion wrote 通过/不通过/需关注 before the
  // vocabulary unified them with the portal's and the CLI's).
  for (const char *o : {"不符合", "符合", "须核实", "不适用"})
    EXPECT_NE(html.find(o), std::string::npos) << o;
  // Evidence with units.
  EXPECT_NE(html.find("228841.37 m²（22.8841 公顷）"), std::string::npos);
  EXPECT_NE(html.find("22.91%"), std::string::npos);
  EXPECT_NE(html.find("1832.4 m（1.832 km）"), std::string::npos);
  EXPECT_NE(html.find("限值</span> 3 万立方米/年"), std::string::npos);
  EXPECT_NE(html.find("最低开采规模</span> 4 万立方米/年"), std::string::npos);
  EXPECT_NE(html.find("申请规模</span> 4.5 万立方米/年"), std::string::npos);
  EXPECT_NE(html.find("最低服务年限</span> 5 年"), std::string::npos);
  EXPECT_NE(html.find("区域</span> [1] 黄河湿地生态保护红线"), std::string::npos);
  EXPECT_NE(html.find("区域类型</span> 集中开采区"), std::string::npos);
  // Superseded finding struck through and said so.
  EXPECT_EQ(count(html, "class=\"finding superseded\""), 1u);
  EXPECT_NE(html.find("被更严格条款取代"), std::string::npos);
  // The map: one <svg>, one <path> per feature and one for the boundary.
  EXPECT_EQ(count(html, "<svg"), 1u);
  EXPECT_EQ(count(html, "<path "), c.features.size() + 1);
  for (const auto &f : c.features)
    EXPECT_NE(html.find("<path data-id=\"" + f.id + "\""), std::string::npos) << f.id;
  EXPECT_NE(html.find("<path data-id=\"boundary\""), std::string::npos);
  EXPECT_NE(html.find("mp-hatch-red"), std::string::npos);
  EXPECT_NE(html.find("图　例"), std::string::npos);
  EXPECT_NE(html.find("class=\"scale-bar\""), std::string::npos);
  EXPECT_NE(html.find("class=\"north-arrow\""), std::string::npos);
  // Corner table in the boundary's zone (109.9°E: 3° zone 37), signature block.
  EXPECT_NE(html.find("2000国家大地坐标系 高斯-克吕格投影 3°带 第37带"), std::string::npos);
  EXPECT_NE(html.find("审查人"), std::string::npos);
  EXPECT_NE(html.find("审核人"), std::string::npos);
  EXPECT_NE(html.find("盖章处"), std::string::npos);

  const fs::path dir = fs::path(MINEPLAN_SOURCE_DIR) / "build" / "test-artifacts";
  std::error_code ec;
  fs::create_directories(dir, ec);
  std::ofstream(dir / "opinion-sample.html", std::ios::binary) << html;
}

TEST(ReviewOpinion, MapCornersAreInTheBoundarysGaussKrugerZone) {
  const RejectCase c;
  const MapFigure fig = draw_map(*c.app.boundary_lonlat, c.feature_ptrs());
  ASSERT_EQ(fig.corners.size(), 4u);
  for (const auto &p : fig.corners) {
    EXPECT_GT(p.y, 37e6);
    EXPECT_LT(p.y, 38e6);
    EXPECT_GT(p.x, 4.4e6);
    EXPECT_LT(p.x, 4.5e6);
  }
  EXPECT_EQ(fig.crs.zone, 37);
  // Every feature is near the boundary: all get a number on the map.
  ASSERT_EQ(fig.labels.size(), 3u);
  EXPECT_EQ(fig.labels[0], "1");
  EXPECT_EQ(fig.labels[2], "3");
  EXPECT_GT(fig.scale_bar_m, 0);
  EXPECT_TRUE(fig.notes.empty());
}

TEST(ReviewOpinion, FarAwayPartsOfLargeZonesCollapse) {
  // A zone with a long wiggly edge far outside the frame: the path keeps the visible part and
  // only a few vertices of the rest.
  const RejectCase c;
  SpatialFeature big;
  big.layer = "zone";
  big.id = "nmg-2016/rl-big";
  big.kind = "red_line";
  geo::Ring r;
  r.push_back({109.90, 40.352});
  for (int i = 0; i <= 2000; ++i)
    r.push_back({109.95 + 0.0005 * i, 40.50 + (i % 2 ? 0.01 : 0.0)});
  r.push_back({111.0, 40.352});
  r.push_back({109.90, 40.352});
  big.lonlat = {geo::Polygon{r, {}}};
  const MapFigure fig = draw_map(*c.app.boundary_lonlat, {&big});
  EXPECT_LT(fig.svg.size(), 12000u);
  EXPECT_EQ(count(fig.svg, "<path "), 2u);
}

TEST(ReviewOpinion, EscapesEverythingTheApplicantWrites) {
  RejectCase c;
  c.app.applicant_name = "<script>alert('x')</script>&Co";
  c.features[0].name = "<img src=x onerror=alert(1)>";
  c.result.findings[0].message = "\"><script>bad()</script>";
  const std::string html = c.render();
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("<img"), std::string::npos);
  EXPECT_NE(html.find("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;Co"), std::string::npos);
  EXPECT_NE(html.find("&quot;&gt;&lt;script&gt;bad()&lt;/script&gt;"), std::string::npos);
}

TEST(ReviewOpinion, NoBoundaryMeansNoMapAndANote) {
  RejectCase c;
  c.app.boundary_lonlat.reset();
  c.app.planar_crs.reset();
  c.app.boundary_source.clear();
  c.result.verdict = "conditional";
  c.result.findings.erase(c.result.findings.begin(), c.result.findings.begin() + 2);
  c.ctx.record_id = 0;
  const std::string html = render_opinion_html(c.app, c.result, {}, c.ctx);
  EXPECT_EQ(html.find("<svg"), std::string::npos);
  EXPECT_NE(html.find("未提供范围坐标"), std::string::npos);
  EXPECT_NE(html.find("有条件通过"), std::string::npos);
  EXPECT_NE(html.find("3f9a6c0d21e4（未登记）"), std::string::npos);
  EXPECT_EQ(html.find("申请范围面积"), std::string::npos);
}

TEST(ReviewOpinion, SameInputSameBytes) {
  const RejectCase c;
  const std::string a = c.render();
  const std::string b = c.render();
  EXPECT_EQ(a, b);
  const RejectCase c2;
  EXPECT_EQ(a, c2.render());
  // Only reviewed_at carries time: another time changes the page, nothing else does.
  RejectCase c3;
  c3.ctx.reviewed_at = "2024-01-01T00:00:00Z";
  EXPECT_NE(a, c3.render());
}

TEST(ReviewOpinion, PassVerdict) {
  RejectCase c;
  c.result.verdict = "pass";
  for (auto &f : c.result.findings)
    if (f.outcome != Outcome::NotApplicable) f.outcome = Outcome::Pass;
  const std::string html = c.render();
  EXPECT_NE(html.find("data-verdict=\"pass\""), std::string::npos);
  EXPECT_NE(html.find("予以通过"), std::string::npos);
  EXPECT_EQ(html.find("不予通过"), std::string::npos);
}

TEST(ReviewOpinion, ReviewDateIsBeijingTime) {
  RejectCase c;
  c.ctx.reviewed_at = "2023-06-01T17:30:00Z"; // 01:30 on 2 June in Beijing
  EXPECT_NE(c.render().find("审查日期：2023年6月2日"), std::string::npos);
  c.ctx.reviewed_at = "2023-12-31T23:59:59+08:00";
  EXPECT_NE(c.render().find("审查日期：2023年12月31日"), std::string::npos);
  c.ctx.reviewed_at = "2023-12-31T16:00:00Z";
  EXPECT_NE(c.render().find("审查日期：2024年1月1日"), std::string::npos);
  c.ctx.reviewed_at = "2024-03-01T02:00:00-05:00"; // 15:00 in Beijing
  EXPECT_NE(c.render().find("审查日期：2024年3月1日"), std::string::npos);
  c.ctx.reviewed_at = "2024-03-01";
  EXPECT_NE(c.render().find("审查日期：2024年3月1日"), std::string::npos);
}
