// Legacy mine sites restored by the government (历史遗留矿山): the sites the seeds name start in
// the state the seed reports; steps by the lifecycle; the seeds' targets measured from the
// acceptances recorded within their jurisdiction and period. And every quote of every
// lifecycle file is words of its seed.
#include "core/error.hpp"
#include "registry/legacy.hpp"
#include "registry_support.hpp"
#include "seed_texts.hpp"

#include <gtest/gtest.h>

#include <fstream>
#include <set>
#include <sstream>

using mineplan::InputError;
using mineplan::Json;
using mineplan::registry::apply_step;
using mineplan::registry::Step;
using review_test::TempDir;
namespace reg = mineplan::registry;
namespace fs = std::filesystem;

namespace {

const Json &site_of(const Json &view, const std::string &id) {
  for (const auto &s : view.at("sites"))
    if (s.at("id") == id) return s;
  throw std::runtime_error("no site " + id);
}

const Json &target_of(const Json &view, const std::string &id) {
  for (const auto &t : view.at("targets"))
    if (t.at("id") == id) return t;
  throw std::runtime_error("no target " + id);
}

// The seed's text without any whitespace (the seeds break lines and pad quotes with spaces).
std::string squeezed(const std::string &s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const unsigned char c = static_cast<unsigned char>(s[i]);
    if (c == ' ' || c == '\n' || c == '\r' || c == '\t') continue;
    // U+3000 ideographic space (E3 80 80) pads the seeds' paragraphs.
    if (c == 0xE3 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
        static_cast<unsigned char>(s[i + 2]) == 0x80) {
      i += 2;
      continue;
    }
    out.push_back(s[i]);
  }
  return out;
}

void collect_cites(const Json &j, const std::string &path,
                   std::vector<std::pair<std::string, Json>> &out) {
  if (j.is_object()) {
    if (j.contains("cite") && j.at("cite").is_object()) out.emplace_back(path, j.at("cite"));
    for (const auto &[k, v] : j.items())
      collect_cites(v, path + "." + k, out);
  } else if (j.is_array()) {
    for (std::size_t i = 0; i < j.size(); ++i)
      collect_cites(j[i], path + "[" + std::to_string(i) + "]", out);
  }
}

} // namespace

TEST(RegistryLegacy, SeedSitesStartAsTheSeedReportsThem) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.file("l.gpkg"));
  const auto &lc = registry_test::lifecycle("legacy-restoration");
  Json view = reg::legacy_overview(*st, lc, "2025-12-31");
  EXPECT_EQ(view["sites"].size(), 8u);
  // Seed 002 reports the four Erenhot sites restored in the third plan period.
  const Json &yanchi = site_of(view, "erenhot-yanchi");
  EXPECT_EQ(yanchi["state"], "accepted");
  EXPECT_TRUE(yanchi["from_seed"].get<bool>());
  EXPECT_EQ(yanchi["jurisdiction_name"], "二连浩特市");
  EXPECT_EQ(yanchi["cite"]["seed"], "002_ebe8ba7931d93af5.txt");
  // Seed 000's works are planned: identified, awaiting their project.
  EXPECT_EQ(site_of(view, "wuhai")["state"], "identified");
  EXPECT_FALSE(site_of(view, "wuhai")["from_seed"].get<bool>());
  // Nothing accepted in the periods yet: the area targets are open with 0 km2.
  const Json &region = target_of(view, "nmg-2016-legacy-area");
  EXPECT_DOUBLE_EQ(region["achieved"].get<double>(), 0);
  EXPECT_EQ(region["status"], "open");
  EXPECT_DOUBLE_EQ(region["value"].get<double>(), 50);
  // Erenhot's "all sites by 2025": its named sites were restored before 2021, no other is known.
  EXPECT_EQ(target_of(view, "erenhot-2021-legacy-all")["status"], "no_data");
}

TEST(RegistryLegacy, EverySiteAndTargetLiesInAKnownDivision) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.file("l.gpkg"));
  std::set<std::string> codes;
  for (const auto &d : st->divisions())
    codes.insert(d.code);
  const auto &lc = registry_test::lifecycle("legacy-restoration");
  for (const char *list : {"sites", "targets"})
    for (const auto &x : lc.extra.at(list))
      EXPECT_TRUE(codes.count(x.at("jurisdiction").get<std::string>())) << x.dump();
}

TEST(RegistryLegacy, AcceptancesWithinThePeriodAndJurisdictionCountTowardsTheTarget) {
  TempDir dir;
  auto st = review_test::fresh_store(dir.file("l.gpkg"));
  st->set_actor({"tester", "league_staff"});
  const auto &lc = registry_test::lifecycle("legacy-restoration");
  auto walk = [&](const std::string &site, const std::string &accepted_on, double km2) {
    apply_step(*st, lc,
               Step{site, "approve_project", "2017-03-01", "t", "county_staff",
                    Json{{"project", "治理项目"}, {"funding", "central"}, {"amount", 3000}}});
    apply_step(*st, lc,
               Step{site, "start_works", "2017-05-01", "t", "county_staff", Json::object()});
    apply_step(
        *st, lc,
        Step{site, "apply_acceptance", accepted_on, "t", "county_staff", Json{{"area_km2", km2}}});
    apply_step(*st, lc,
               Step{site, "accept", accepted_on, "t", "league_staff", Json{{"area_km2", km2}}});
  };
  walk("wuhai", "2019-10-01", 12.5);
  walk("baotou-beiliang", "2021-03-01", 30); // after the 2016-2020 period
  Json view = reg::legacy_overview(*st, lc, "2025-12-31");
  EXPECT_EQ(site_of(view, "wuhai")["state"], "accepted");
  EXPECT_DOUBLE_EQ(site_of(view, "wuhai")["accepted_km2"].get<double>(), 12.5);
  const Json &region = target_of(view, "nmg-2016-legacy-area");
  EXPECT_DOUBLE_EQ(region["achieved"].get<double>(), 12.5);
  EXPECT_EQ(region["sites"], Json::array({"wuhai"}));
  EXPECT_EQ(region["status"], "open");
  // As of a date before the acceptance it had not counted.
  EXPECT_DOUBLE_EQ(
      target_of(reg::legacy_overview(*st, lc, "2019-06-30"), "nmg-2016-legacy-area")["achieved"]
          .get<double>(),
      0);
  // Government works: a holder may not take their steps.
  try {
    apply_step(*st, lc,
               Step{"ulanqab", "approve_project", "2020-01-01", "t", "holder",
                    Json{{"project", "x"}, {"funding", "social"}}});
    ADD_FAILURE() << "a holder approved a government project";
  } catch (const InputError &e) {
    EXPECT_EQ(e.field(), "role");
  }
  // A site the seeds do not name is refused.
  EXPECT_THROW(apply_step(*st, lc,
                          Step{"nowhere", "approve_project", "2020-01-01", "t", "county_staff",
                               Json{{"project", "x"}, {"funding", "local"}}}),
               InputError);
}

TEST(RegistryLegacy, SitesAndTargetsNeedCitationsAndKnownStates) {
  Json j = Json::parse(review_test::read_text(fs::path(MINEPLAN_SOURCE_DIR) /
                                              "data/lifecycles/legacy-restoration.json"));
  auto error_of = [](const Json &bad) {
    try {
      reg::parse_lifecycle(bad, "bad.json");
    } catch (const InputError &e) {
      return std::string(e.what());
    }
    return std::string("accepted");
  };
  Json a = j;
  a["extra"]["sites"][0].erase("cite");
  EXPECT_NE(error_of(a).find("bad.json: $.extra.sites[0].cite"), std::string::npos) << error_of(a);
  Json b = j;
  b["extra"]["sites"][1]["state"] = "forgotten";
  EXPECT_NE(error_of(b).find("$.extra.sites[1].state[0]: unknown state 'forgotten'"),
            std::string::npos)
      << error_of(b);
  Json c = j;
  c["extra"]["targets"][0]["unit"] = "mu";
  EXPECT_NE(error_of(c).find("$.extra.targets[0].value"), std::string::npos) << error_of(c);
  Json d = j;
  d["extra"]["targets"][1]["to"] = "2025-13-31";
  EXPECT_NE(error_of(d).find("$.extra.targets[1].to: expected an ISO date"), std::string::npos)
      << error_of(d);
  EXPECT_EQ(error_of(j), "accepted");
}

TEST(LifecycleFiles, EveryQuoteIsWordsOfItsSeed) {
  REQUIRE_SEED_TEXTS();
  int checked = 0;
  for (const auto &entry :
       fs::directory_iterator(fs::path(MINEPLAN_SOURCE_DIR) / "data/lifecycles")) {
    if (entry.path().extension() != ".json") continue;
    Json j = Json::parse(review_test::read_text(entry.path()));
    std::vector<std::pair<std::string, Json>> cites;
    collect_cites(j, "$", cites);
    for (const auto &[path, cite] : cites) {
      if (!cite.contains("quote")) continue;
      const fs::path seed = fs::path(MINEPLAN_SEEDS_DIR) / cite.at("seed").get<std::string>();
      ASSERT_TRUE(fs::exists(seed)) << entry.path().filename() << " " << path << ": " << seed;
      static std::map<std::string, std::string> texts;
      auto &text = texts[seed.string()];
      if (text.empty()) text = squeezed(review_test::read_text(seed));
      EXPECT_NE(text.find(squeezed(cite.at("quote").get<std::string>())), std::string::npos)
          << entry.path().filename().string() << " " << path << ": not in "
          << cite.at("seed").get<std::string>() << ": " << cite.at("quote").get<std::string>();
      ++checked;
    }
  }
  EXPECT_GT(checked, 60);
}
