// The spatial checks: zone controls (prohibited, restricted, must lie inside, one subject per
// block), overlap with other rights, and the boundary itself. Intersections come from the
// SpatialIndex; areas are official planar m2. A zone the rule needs but without geometry is
// "cannot verify" (attention), never a silent pass.
#include "review/rules_context.hpp"

#include "geo/area.hpp"
#include "io/vocabulary_loader.hpp"

#include <algorithm>
#include <cstdio>

namespace mineplan::review::detail {
namespace {

std::string fmt(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.2f", v);
  return buf;
}

// A zone kind's Chinese name, from the vocabulary (data/vocabulary.json).
std::string zone_kind_zh(const std::string &k) {
  return io::vocabulary().label("zone_kinds", k);
}

// Zone kinds an exception text names as equally acceptable places ("位于集中开采区内…亦符合"),
// by their id or their label in the vocabulary. 备选开采区 (alternative areas a league/county
// plan designates) are its mining blocks.
std::vector<std::string> alternative_kinds(const std::string &exceptions, const std::string &kind) {
  static const std::vector<std::pair<std::string, std::string>> words = [] {
    std::vector<std::pair<std::string, std::string>> w;
    for (const char *k : {"concentrated_area", "mining_block", "exploration_block"}) {
      w.emplace_back(zone_kind_zh(k), k);
      w.emplace_back(k, k);
      if (std::string_view(k) == "mining_block") w.emplace_back("备选开采区", k);
    }
    return w;
  }();
  std::vector<std::string> out;
  for (const auto &[word, k] : words)
    if (exceptions.find(word) != std::string::npos && k != kind &&
        std::find(out.begin(), out.end(), k) == out.end())
      out.push_back(k);
  return out;
}

Scored scored(Finding f, const Context &c, const PlanInfo *p) {
  Scored s;
  s.finding = std::move(f);
  for (std::size_t i = 0; i < c.chain.size(); ++i)
    if (c.chain[i] == p) s.chain_index = static_cast<int>(i);
  return s;
}

const char *kind_zh_activity(const std::string &kind) {
  return kind == "exploration" ? "勘查" : "开采";
}

std::string kinds_zh(const std::vector<std::string> &kinds) {
  std::string s;
  for (const auto &k : kinds)
    s += (s.empty() ? "" : "或") + zone_kind_zh(k);
  return s;
}

Json strings(const std::vector<std::string> &v) {
  Json a = Json::array();
  for (const auto &x : v)
    a.push_back(x);
  return a;
}

} // namespace

bool zone_minerals_match(const Context &c, const std::vector<std::string> &zone_minerals) {
  if (zone_minerals.empty()) return true;
  return !c.minerals.first_match(zone_minerals, c.app.minerals).empty();
}

ZoneScope zone_scope(const Context &c, const PlanInfo &rule_plan,
                     const std::vector<std::string> &kinds, bool mineral_filter) {
  ZoneScope s;
  auto wanted = [&](const std::string &k) {
    return std::find(kinds.begin(), kinds.end(), k) != kinds.end();
  };
  for (const auto &h : c.zone_hits)
    if (wanted(h.feature->kind) && (!mineral_filter || zone_minerals_match(c, h.feature->minerals)))
      s.hits.push_back(&h);
  for (const PlanInfo *p : c.chain) {
    for (const auto &k : kinds) {
      auto it = p->unmapped_by_kind.find(k);
      if (it == p->unmapped_by_kind.end()) continue;
      for (const Zone *z : it->second)
        if (!mineral_filter || zone_minerals_match(c, z->minerals))
          s.missing_geometry.push_back(p->data.plan.id + "/" + z->id);
    }
    if (p == &rule_plan) break; // plans farther up the chain are broader than the rule's
  }
  for (const PlanInfo *p : c.chain)
    for (const auto &k : kinds)
      s.any_geometry |= p->mapped_kinds.count(k) > 0;
  return s;
}

// ---------------------------------------------------------------------------------------------
// zone_control

void check_zone_control(const Context &c, const PlanInfo &p, const Rule &r,
                        std::vector<Scored> &out) {
  const Json &b = r.body;
  if (!activity_matches(b, c.app)) return;
  if (b.contains("minerals") && b["minerals"].is_array() &&
      c.minerals.first_match(string_list(b, "minerals"), c.app.minerals).empty())
    return;
  const std::string kind = text_field(b, "zone_kind");
  const std::string effect = text_field(b, "effect");
  const std::string exceptions = text_field(b, "exceptions");
  Finding f = base_finding(p, r);
  f.evidence = Json{{"zone_kind", kind}, {"effect", effect}};
  if (!exceptions.empty()) f.evidence["exceptions"] = exceptions;
  auto emit = [&](Finding &&fin) {
    Scored s = scored(std::move(fin), c, &p);
    s.point = "zone_control|" + kind + "|" +
              (effect == "prohibited" || effect == "restricted" ? std::string("control") : effect);
    s.strictness = {effect == "prohibited" ? 2.0 : effect == "restricted" ? 1.0 : 0.0};
    out.push_back(std::move(s));
  };
  const std::string zname = zone_kind_zh(kind);
  const bool placement = effect == "must_be_inside" || effect == "one_subject_per_block";
  // Where a right may be placed is decided when it is set or its area changes; an extension
  // or transfer of an existing right does not move it.
  if (placement && !sets_new_right(c.app) && !(c.app.action == "change" && c.app.change.area)) {
    f.outcome = Outcome::NotApplicable;
    f.message = "本条约束新设矿业权或变更范围，本申请不涉及";
    return emit(std::move(f));
  }
  if (!c.has_boundary()) {
    f.outcome = Outcome::Attention;
    f.message = "无法核查（cannot verify）：未提供矿区范围坐标，无法核对" + zname + "管控";
    return emit(std::move(f));
  }
  auto cannot_verify = [&](const ZoneScope &s, const std::string &kinds_text) {
    f.outcome = Outcome::Attention;
    f.evidence["missing_geometry"] = strings(s.missing_geometry);
    f.message =
        "cannot verify: zone geometry missing（" +
        (s.missing_geometry.empty()
             ? "规划链中没有" + kinds_text + "的范围数据"
             : kinds_text + "中" + std::to_string(s.missing_geometry.size()) + "处无范围数据") +
        "，无法核查）";
    for (const auto &z : s.missing_geometry)
      f.features.push_back(z);
  };

  if (effect == "prohibited" || effect == "restricted") {
    // Prohibited zones bind whatever the mineral; a restricted zone that lists minerals
    // (白云鄂博稀土矿区限制开采区) restricts those.
    ZoneScope s = zone_scope(c, p, {kind}, effect == "restricted");
    auto [m2, zones] = sum_overlaps(s.hits, f);
    if (m2 > 0) {
      f.outcome = effect == "prohibited" ? Outcome::Fail : Outcome::Attention;
      f.evidence["overlap_m2"] = round2(m2);
      f.evidence["zones"] = zones;
      f.message = "申请范围与" + zname + "重叠" + fmt(m2) + "平方米，" +
                  (effect == "prohibited" ? "属禁止" : "属限制") + kind_zh_activity(c.app.kind) +
                  "区域" + (exceptions.empty() ? "" : "（例外：" + exceptions + "）");
    } else if (!s.missing_geometry.empty() || !s.any_geometry) {
      cannot_verify(s, zname);
    } else {
      f.outcome = Outcome::Pass;
      f.evidence["overlap_m2"] = 0.0;
      f.message = "申请范围不涉及" + zname;
    }
    return emit(std::move(f));
  }

  if (effect == "must_be_inside") {
    std::vector<std::string> kinds{kind};
    for (const auto &k : alternative_kinds(exceptions, kind))
      kinds.push_back(k);
    ZoneScope s = zone_scope(c, p, kinds, true);
    const SpatialHit *inside = nullptr, *best = nullptr;
    for (const SpatialHit *h : s.hits) {
      if (h->contains_boundary && (!inside || h->feature->id < inside->feature->id)) inside = h;
      if (!best || h->overlap_share > best->overlap_share) best = h;
    }
    f.evidence["zone_kinds"] = strings(kinds);
    f.evidence["best_share"] = best ? round2(best->overlap_share * 100) / 100 : 0.0;
    if (best) f.evidence["best_zone"] = best->feature->id;
    if (inside) {
      f.outcome = Outcome::Pass;
      f.evidence["inside"] = inside->feature->id;
      f.features.push_back(inside->feature->id);
      f.message = "申请范围位于" + zone_kind_zh(inside->feature->kind) + "“" +
                  inside->feature->name + "”内";
    } else if (!s.missing_geometry.empty() || !s.any_geometry) {
      cannot_verify(s, kinds_zh(kinds));
      if (best) f.features.push_back(best->feature->id);
    } else {
      f.outcome = Outcome::Fail;
      if (best) f.features.push_back(best->feature->id);
      f.message = "申请范围不在任何" + kinds_zh(kinds) + "内" +
                  (best ? "（最大重叠为“" + best->feature->name + "”的" +
                              fmt(best->overlap_share * 100) + "%）"
                        : std::string("（与任何此类区域均无重叠）"));
    }
    return emit(std::move(f));
  }

  if (effect == "one_subject_per_block") {
    ZoneScope s = zone_scope(c, p, {kind}, true);
    std::vector<const SpatialHit *> blocks;
    for (const SpatialHit *h : s.hits)
      if (h->overlap_m2 > kOverlapToleranceM2) blocks.push_back(h);
    if (blocks.empty()) {
      if (!s.missing_geometry.empty() || !s.any_geometry) {
        cannot_verify(s, zname);
      } else {
        f.outcome = Outcome::Pass;
        f.message = "申请范围不在任何" + zname + "内，不涉及一个区块一个主体";
      }
      return emit(std::move(f));
    }
    Json others = Json::array(), bl = Json::array();
    std::set<std::string> seen;
    for (const SpatialHit *blk : blocks) {
      bl.push_back(blk->feature->id);
      f.features.push_back(blk->feature->id);
      for (const auto &h : c.index.query(blk->feature->lonlat, "right")) {
        if (h.overlap_m2 <= kOverlapToleranceM2) continue;
        const RightInfo *ri = c.right(h.feature->id);
        if (!ri || !c.live_other_right(*ri) || ri->kind != c.app.kind) continue;
        if (ri->holder == c.app.applicant_name) continue;
        if (seen.insert(ri->uid).second) {
          others.push_back(
              Json{{"right", ri->uid}, {"holder", ri->holder}, {"block", blk->feature->id}});
          f.features.push_back(ri->uid);
        }
      }
    }
    f.evidence["blocks"] = bl;
    f.evidence["other_holders"] = others;
    if (others.empty()) {
      f.outcome = Outcome::Pass;
      f.message = "所在" + zname + "内无其他矿业权人的矿业权";
    } else {
      // "原则上" (in principle) in the seed softens the rule to a matter for the reviewer.
      const bool in_principle = exceptions.find("原则上") != std::string::npos;
      f.outcome = in_principle ? Outcome::Attention : Outcome::Fail;
      f.message = "所在" + zname + "内已有其他矿业权人的矿业权" + std::to_string(others.size()) +
                  "个，违反一个区块一个开发主体" + (in_principle ? "（原则上）" : "");
    }
    return emit(std::move(f));
  }
}

// ---------------------------------------------------------------------------------------------
// Built-in checks

void check_overlap(const Context &c, std::vector<Scored> &out) {
  Finding f;
  f.rule = "overlap";
  f.check = "overlap";
  // The seed clause an overlap conflicts with: the nearest plan's "one deposit, one
  // enterprise" provision; without one, the region plan's ban on mining across a licensed
  // boundary (000 第六章第五节).
  const PlanInfo *cited = nullptr;
  for (const PlanInfo *p : c.chain) {
    for (const auto &r : p->data.rules) {
      if (r.type != "provision") continue;
      const Json &params = r.body.contains("params") ? r.body["params"] : Json();
      if (text_field(r.body, "topic") == "one_deposit_one_enterprise" ||
          (params.is_object() && params.contains("max_enterprises_per_deposit"))) {
        f.citation = r.cite;
        f.plan = p->data.plan.id;
        cited = p;
        break;
      }
    }
    if (cited) break;
  }
  if (!cited)
    f.citation = Citation{"000_fc264dd9bf63fed9.txt", "第六章第五节 矿产资源开发管理",
                          "杜绝无证开采、越界开采、以采代探等违法活动"};

  if (!c.has_boundary()) {
    f.outcome = Outcome::Attention;
    f.message = "无法核查（cannot verify）：未提供矿区范围坐标，无法核对与已有矿业权的重叠";
    out.push_back(scored(std::move(f), c, cited));
    return;
  }
  double other_m2 = 0, own_m2 = 0;
  Json others = Json::array(), same = Json::array();
  for (const auto &h : c.right_hits) {
    if (h.overlap_m2 <= kOverlapToleranceM2) continue;
    const RightInfo *ri = c.right(h.feature->id);
    if (!ri || !c.live_other_right(*ri)) continue;
    Json e{{"right", ri->uid},
           {"holder", ri->holder},
           {"kind", ri->kind},
           {"overlap_m2", round2(h.overlap_m2)}};
    if (!ri->holder.empty() && ri->holder == c.app.applicant_name) {
      own_m2 += h.overlap_m2;
      same.push_back(e);
    } else {
      other_m2 += h.overlap_m2;
      others.push_back(e);
    }
    f.features.push_back(ri->uid);
  }
  // Rights of the jurisdiction the register holds without a boundary cannot be checked.
  int unmapped = 0;
  for (std::size_t i : c.rights_of(c.app.jurisdiction))
    if (!c.rights[i].has_geometry && c.live_other_right(c.rights[i])) ++unmapped;
  f.evidence = Json{{"overlap_m2", round2(other_m2 + own_m2)},
                    {"other_holders_m2", round2(other_m2)},
                    {"same_holder_m2", round2(own_m2)},
                    {"rights", others}};
  if (!same.empty()) f.evidence["same_holder_rights"] = same;
  if (unmapped) f.evidence["rights_without_geometry"] = unmapped;
  if (!others.empty()) {
    f.outcome = Outcome::Fail;
    f.message = "申请范围与其他矿业权人的" + std::to_string(others.size()) + "个矿业权重叠" +
                fmt(other_m2) + "平方米";
  } else if (!same.empty()) {
    f.outcome = Outcome::Attention;
    f.message = "申请范围与申请人自有的" + std::to_string(same.size()) + "个矿业权重叠" +
                fmt(own_m2) + "平方米，须说明是否同一矿床整合";
  } else if (unmapped) {
    f.outcome = Outcome::Attention;
    f.message = "未发现与已有矿业权重叠；但登记库中本行政区有" + std::to_string(unmapped) +
                "个矿业权无范围数据，无法核查（cannot verify）";
  } else {
    f.outcome = Outcome::Pass;
    f.message = "申请范围与已有矿业权无重叠";
  }
  out.push_back(scored(std::move(f), c, cited));
}

void check_register(const Context &c, std::vector<Scored> &out) {
  if (c.app.action == "new" || c.app.licence_no.empty()) return;
  Finding f;
  f.rule = "register";
  f.check = "register";
  f.citation = Citation{"000_fc264dd9bf63fed9.txt", "第十一章第五节 提高规划管理信息化水平",
                        "加强规划数据库与其他矿政管理数据库的互联互通"};
  f.evidence = Json{{"licence_no", c.app.licence_no}};
  const RightInfo *ri = c.right(c.app.licence_no);
  const std::string expected_kind = c.app.action == "convert" ? "exploration" : c.app.kind;
  if (!ri) {
    f.outcome = Outcome::Attention;
    f.message = "原矿业权" + c.app.licence_no + "不在矿业权登记库中，无法核对";
  } else {
    f.features.push_back(ri->uid);
    f.evidence["holder"] = ri->holder;
    f.evidence["kind"] = ri->kind;
    f.evidence["status"] = ri->status;
    std::vector<std::string> issues;
    if (ri->kind != expected_kind)
      issues.push_back("登记为" + io::vocabulary().label("right_kinds", ri->kind));
    if (c.app.action != "transfer" && !ri->holder.empty() && ri->holder != c.app.applicant_name)
      issues.push_back("登记矿业权人为" + ri->holder);
    if (ri->status == "closed") issues.push_back("已闭坑");
    if (issues.empty()) {
      f.outcome = Outcome::Pass;
      f.message = "原矿业权" + c.app.licence_no + "在登记库中，与申请一致";
    } else {
      f.outcome = Outcome::Attention;
      std::string s;
      for (const auto &i : issues)
        s += (s.empty() ? "" : "，") + i;
      f.message = "原矿业权" + c.app.licence_no + "与申请不一致：" + s;
    }
  }
  out.push_back(scored(std::move(f), c, nullptr));
}

void check_boundary(const Context &c, std::vector<Scored> &out) {
  Finding f;
  f.rule = "boundary";
  f.check = "boundary";
  // A range is given by its corner coordinates in a named system, as the seeds' own tables are.
  f.citation = Citation{"004_fef4216582916c29.txt", "附表5 绿色矿业发展示范区拐点坐标",
                        "直角坐标（80 坐标系）"};
  if (!c.has_boundary()) {
    f.outcome = Outcome::Attention;
    f.message = "未提供矿区范围坐标，空间管控与重叠无法核查";
  } else {
    double area = geo::planar_area_m2(*c.app.boundary_planar);
    f.evidence = Json{{"area_m2", round2(area)},
                      {"planar_crs", c.app.planar_crs ? c.app.planar_crs->name() : ""},
                      {"epsg", c.app.planar_crs ? c.app.planar_crs->epsg() : 0},
                      {"source", c.app.boundary_source}};
    if (c.app.boundary_warnings.empty()) {
      f.outcome = Outcome::Pass;
      f.message = "申请范围面积" + fmt(area) + "平方米（" +
                  (c.app.planar_crs ? c.app.planar_crs->name() : std::string()) + "）";
    } else {
      f.outcome = Outcome::Attention;
      f.evidence["warnings"] = strings(c.app.boundary_warnings);
      f.message = "申请范围坐标有" + std::to_string(c.app.boundary_warnings.size()) +
                  "项警告，空间核查结果须复核：" + c.app.boundary_warnings.front();
    }
  }
  out.push_back(scored(std::move(f), c, nullptr));
}

} // namespace mineplan::review::detail
