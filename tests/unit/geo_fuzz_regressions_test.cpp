// Inputs the fuzzer found, kept so they stay fixed (tests/cases/fuzz-regressions).
#include "core/error.hpp"
#include "geo/coordfile.hpp"

#include <gtest/gtest.h>

#include <filesystem>
#include <string>

using namespace mineplan;

TEST(GeoFuzzRegressions, TextWithoutAGbkFormIsRefusedByTheGbkWriterOnly) {
  const std::filesystem::path file = std::filesystem::path(MINEPLAN_SOURCE_DIR) /
                                     "tests/cases/fuzz-regressions/gbk-unmappable.txt";
  geo::CoordinateFile f = geo::read_coordinate_file(file);
  EXPECT_EQ(f.encoding, "UTF-16LE");
  const std::string utf8 = geo::write_exchange_file(f, geo::Encoding::Utf8);
  EXPECT_NO_THROW(geo::parse_coordinate_file(utf8, "rewritten"));
  try {
    (void)geo::write_exchange_file(f, geo::Encoding::Gbk);
    FAIL() << "the GBK writer accepted a character GB18030 cannot hold";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("no GBK/GB18030 form"), std::string::npos) << e.what();
  }
}
