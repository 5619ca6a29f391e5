// The one vocabulary: the closed sets parsed in one place, data/vocabulary.json validated at
// load, zone kinds checked against it when plans load, and no label copied back into code.
#include "core/error.hpp"
#include "core/vocabulary.hpp"
#include "io/catalogue_loader.hpp"
#include "io/vocabulary_loader.hpp"
#include "temp_dir.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <sstream>

namespace {

using namespace mineplan;
namespace fs = std::filesystem;

const fs::path kSource = MINEPLAN_SOURCE_DIR;

std::string read_text(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

Json data_vocabulary() {
  return Json::parse(read_text(kSource / "data" / "vocabulary.json"));
}

// The InputError of parsing data/vocabulary.json after `edit`; fails the test when none.
InputError refusal(const std::function<void(Json &)> &edit) {
  Json j = data_vocabulary();
  edit(j);
  try {
    Vocabulary::parse(j.dump(), "vocabulary.json");
  } catch (const InputError &e) {
    return e;
  }
  ADD_FAILURE() << "accepted";
  return InputError("", 0, "", "");
}

Json &term(Json &j, const std::string &set, const std::string &value) {
  for (auto &t : j["sets"][set]["values"])
    if (t["value"] == value) return t;
  throw std::runtime_error("no " + set + "/" + value);
}

// ---- the enums --------------------------------------------------------------------------

TEST(CoreVocabularyEnums, ParseEachIdAndWriteItBack) {
  EXPECT_EQ(parse_right_kind("mining"), RightKind::Mining);
  EXPECT_EQ(parse_action("convert"), Action::Convert);
  EXPECT_EQ(parse_outcome("n/a"), Outcome::NotApplicable);
  EXPECT_EQ(parse_method("open-pit"), Method::OpenPit);
  EXPECT_EQ(parse_scale_class("below_small"), ScaleClass::BelowSmall);
  EXPECT_EQ(parse_role("county_staff"), Role::CountyStaff);
  EXPECT_EQ(to_string(Verdict::Conditional), "conditional");
  EXPECT_EQ(to_string(OperatingStatus::Construction), "construction");
  for (const std::string &id : ids_of<GreenLevel>())
    EXPECT_EQ(to_string(parse_green_level(id)), id);
  for (const std::string &id : ids_of<ApplicantType>())
    EXPECT_EQ(to_string(parse_applicant_type(id)), id);
  for (const std::string &id : ids_of<DivisionLevel>())
    EXPECT_EQ(to_string(parse_division_level(id)), id);
  for (const std::string &id : ids_of<TargetKind>())
    EXPECT_EQ(to_string(parse_target_kind(id)), id);
}

TEST(CoreVocabularyEnums, UnknownIdIsAnInputErrorNamingTheFieldAndTheAllowedValues) {
  try {
    parse_right_kind("Mining");
    FAIL() << "accepted";
  } catch (const InputError &e) {
    EXPECT_EQ(e.field(), "kind");
    EXPECT_EQ(e.kind(), ErrorKind::invalid_input);
    EXPECT_NE(e.detail().find("矿业权类型「Mining」无效"), std::string::npos) << e.detail();
    EXPECT_NE(e.detail().find("exploration、mining"), std::string::npos) << e.detail();
  }
}

TEST(CoreVocabularyEnums, TheCallerNamesTheField) {
  try {
    parse_method("strip", "application.method");
    FAIL() << "accepted";
  } catch (const InputError &e) {
    EXPECT_EQ(e.field(), "application.method");
    EXPECT_NE(e.detail().find("open-pit、underground"), std::string::npos) << e.detail();
  }
}

TEST(CoreVocabularyEnums, EmptyTextIsNotAValue) {
  EXPECT_THROW(parse_verdict(""), InputError);
  EXPECT_FALSE(try_parse<Outcome>("na").has_value()); // the id is "n/a"
}

// ---- the file ---------------------------------------------------------------------------

TEST(CoreVocabularyFile, TheDataFileIsValidAndLabelsEveryEnumValue) {
  const Vocabulary v = io::load_vocabulary(kSource / "data" / "vocabulary.json");
  EXPECT_EQ(v.label(RightKind::Mining), "采矿权");
  EXPECT_EQ(v.label(Outcome::Attention), "须核实");
  EXPECT_EQ(v.label("zone_kinds", "restoration_area"), "矿山地质环境重点治理区");
  EXPECT_EQ(v.label("zone_kinds", "no_such_kind"), "no_such_kind");
  const Term *red = v.find("zone_kinds", "red_line");
  ASSERT_NE(red, nullptr);
  ASSERT_TRUE(red->print && red->print->hatch);
  EXPECT_EQ(red->print->hatch->id, "red");
  ASSERT_TRUE(red->map);
  EXPECT_EQ(red->map->z, 6);
  EXPECT_EQ(v.json(), data_vocabulary());
}

TEST(CoreVocabularyFile, EveryZoneKindHasAFigureSymbol) {
  const Vocabulary v = io::load_vocabulary(kSource / "data" / "vocabulary.json");
  for (const Term &t : v.set("zone_kinds").terms)
    EXPECT_TRUE(t.print.has_value()) << t.value;
  for (const Term &t : v.set("right_kinds").terms)
    EXPECT_TRUE(t.print && t.map) << t.value;
}

TEST(CoreVocabularyFile, UnknownKeysAreRefusedWherever) {
  EXPECT_EQ(refusal([](Json &j) { j["colours"] = Json::object(); }).field(), "colours");
  EXPECT_EQ(refusal([](Json &j) { j["sets"]["roles"]["note"] = "x"; }).field(), "sets.roles.note");
  EXPECT_EQ(refusal([](Json &j) { term(j, "roles", "holder")["lable"] = "x"; }).field(),
            "sets.roles.values[4].lable");
  EXPECT_EQ(refusal([](Json &j) {
              term(j, "zone_kinds", "red_line")["map"]["colour"] = "#000000";
            }).field(),
            "sets.zone_kinds.values[0].map.colour");
}

TEST(CoreVocabularyFile, AValueWithoutALabelIsRefused) {
  const InputError e = refusal([](Json &j) { term(j, "statuses", "closed").erase("label"); });
  EXPECT_EQ(e.field(), "sets.statuses.values[3].label");
  EXPECT_EQ(refusal([](Json &j) { term(j, "statuses", "closed")["label"] = ""; }).field(),
            "sets.statuses.values[3].label");
}

TEST(CoreVocabularyFile, ADuplicateValueIsRefused) {
  const InputError e = refusal([](Json &j) {
    j["sets"]["methods"]["values"].push_back(Json{{"value", "open-pit"}, {"label", "露天"}});
  });
  EXPECT_EQ(e.field(), "sets.methods.values[2].value");
  EXPECT_NE(e.detail().find("重复"), std::string::npos) << e.detail();
}

TEST(CoreVocabularyFile, AMalformedColourIsRefused) {
  for (const char *bad : {"red", "#12345", "#1234567", "#12345g", "rgba(1,2,3,0.5)"}) {
    const InputError e =
        refusal([&](Json &j) { term(j, "right_kinds", "mining")["print"]["stroke"] = bad; });
    EXPECT_EQ(e.field(), "sets.right_kinds.values[1].print.stroke") << bad;
    EXPECT_NE(e.detail().find("#rrggbb"), std::string::npos) << e.detail();
  }
}

TEST(CoreVocabularyFile, NumbersOutOfRangeAreRefused) {
  EXPECT_EQ(refusal([](Json &j) {
              term(j, "right_kinds", "mining")["map"]["fill_opacity"] = 1.5;
            }).field(),
            "sets.right_kinds.values[1].map.fill_opacity");
  EXPECT_EQ(refusal([](Json &j) {
              term(j, "right_kinds", "mining")["map"]["dash"] = {4, -1};
            }).field(),
            "sets.right_kinds.values[1].map.dash[1]");
  EXPECT_EQ(refusal([](Json &j) { term(j, "right_kinds", "mining")["print"]["z"] = 1.5; }).field(),
            "sets.right_kinds.values[1].print.z");
}

TEST(CoreVocabularyFile, AnEnumValueMissingFromItsSetIsRefused) {
  const InputError e = refusal([](Json &j) {
    auto &vals = j["sets"]["actions"]["values"];
    vals.erase(vals.begin() + 3); // convert
  });
  EXPECT_EQ(e.field(), "sets.actions");
  EXPECT_NE(e.detail().find("convert"), std::string::npos) << e.detail();
  EXPECT_EQ(refusal([](Json &j) { j["sets"].erase("verdicts"); }).field(), "sets.verdicts");
  EXPECT_EQ(refusal([](Json &j) { j["sets"].erase("zone_kinds"); }).field(), "sets.zone_kinds");
}

TEST(CoreVocabularyFile, NotJsonIsAnInputErrorWithTheSource) {
  try {
    Vocabulary::parse("{\"about\": ", "vocabulary.json");
    FAIL() << "accepted";
  } catch (const InputError &e) {
    EXPECT_EQ(e.source(), "vocabulary.json");
  }
}

// ---- zone kinds: an open set the data defines -------------------------------------------

// A copy of data/ whose vocabulary and dalad plan `edit` changes; the load error, "" if none.
std::string load_error(const std::function<void(Json &vocabulary, Json &zones)> &edit,
                       const fs::path &tmp) {
  fs::copy(kSource / "data", tmp / "data", fs::copy_options::recursive);
  const fs::path vf = tmp / "data" / "vocabulary.json";
  const fs::path zf = tmp / "data" / "plans" / "dalad-2021" / "zones.json";
  Json v = Json::parse(read_text(vf));
  Json z = Json::parse(read_text(zf));
  edit(v, z);
  std::ofstream(vf) << v.dump(2);
  std::ofstream(zf) << z.dump(2);
  try {
    io::load_catalogue(tmp / "data");
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

TEST(CoreVocabularyZoneKinds, AZoneOfAKindTheVocabularyLacksIsRefusedNamingFileAndZone) {
  mineplan::testing::TempDir dir;
  std::string zone_id;
  const std::string msg = load_error(
      [&](Json &, Json &z) {
        zone_id = z[0]["id"].get<std::string>();
        z[0]["kind"] = "desert_park";
      },
      dir.path());
  EXPECT_NE(msg.find("dalad-2021"), std::string::npos) << msg;
  EXPECT_NE(msg.find("zones.json: [0].kind"), std::string::npos) << msg;
  EXPECT_NE(msg.find("分区「" + zone_id + "」的分区类型「desert_park」未在词汇表"),
            std::string::npos)
      << msg;
}

TEST(CoreVocabularyZoneKinds, ANewKindNeedsOnlyALineInTheVocabulary) {
  mineplan::testing::TempDir dir;
  const std::string msg = load_error(
      [](Json &v, Json &z) {
        v["sets"]["zone_kinds"]["values"].push_back(
            Json{{"value", "desert_park"}, {"label", "沙漠公园"}});
        z[0]["kind"] = "desert_park";
      },
      dir.path());
  EXPECT_EQ(msg, "");
}

// ---- no label copied back into code ------------------------------------------------------

// Every file under src/ and web/src/ that holds `label` as a whole quoted string ("…", '…'
// or `…`). The seeds' quotes in data/plans are the seeds' words and are not searched.
std::vector<std::string> quoted_in_code(const std::string &label) {
  std::vector<std::string> hits;
  for (const char *root : {"src", "web/src"})
    for (const auto &e : fs::recursive_directory_iterator(kSource / root)) {
      if (!e.is_regular_file()) continue;
      const std::string text = read_text(e.path());
      for (const char q : {'"', '\'', '`'})
        if (text.find(q + label + q) != std::string::npos) {
          hits.push_back(fs::relative(e.path(), kSource).string());
          break;
        }
    }
  return hits;
}

class CoreVocabularyNoCopies : public ::testing::TestWithParam<std::string> {};

TEST_P(CoreVocabularyNoCopies, LabelsOfTheSetLiveOnlyInTheVocabulary) {
  const Vocabulary v = io::load_vocabulary(kSource / "data" / "vocabulary.json");
  for (const Term &t : v.set(GetParam()).terms) {
    const auto hits = quoted_in_code(t.label);
    std::string where;
    for (const auto &h : hits)
      where += " " + h;
    EXPECT_TRUE(hits.empty()) << GetParam() << "/" << t.value << " label 「" << t.label
                              << "」 is copied in:" << where;
  }
}

INSTANTIATE_TEST_SUITE_P(Sets, CoreVocabularyNoCopies,
                         ::testing::Values("zone_kinds", "statuses", "roles", "outcomes",
                                           "verdicts", "methods", "scale_classes", "actions",
                                           "conditions"));

} // namespace
