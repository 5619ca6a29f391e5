#include "core/error.hpp"
#include "core/units.hpp"

#include <gtest/gtest.h>

using mineplan::Quantity;

TEST(Units, ConvertsWithinADimension) {
  EXPECT_DOUBLE_EQ(Quantity::make(1202.62, "km2").in("ha"), 120262.0);
  EXPECT_NEAR(Quantity::make(1, "ha").in("mu"), 15.0, 1e-12);
  EXPECT_DOUBLE_EQ(Quantity::make(4, "万立方米/年").in("立方米/年"), 40000.0);
  EXPECT_DOUBLE_EQ(Quantity::make(100, "立方米/日").in("立方米/年"), 36500.0);
  EXPECT_DOUBLE_EQ(Quantity::make(3, "亿元").in("万元"), 30000.0);
}

TEST(Units, RefusesToMixDimensions) {
  EXPECT_THROW(Quantity::make(30, "万吨/年").to("万立方米/年"), mineplan::Error);
  EXPECT_THROW(Quantity::make(1, "km2").to("万元"), mineplan::Error);
}

TEST(Units, KnowsChineseAliasesAndRejectsUnknownUnits) {
  EXPECT_EQ(Quantity::make(1, "平方千米").unit, "km2");
  EXPECT_EQ(Quantity::make(1, "公顷").unit, "ha");
  EXPECT_EQ(Quantity::make(1, "万m3/a").unit, "万立方米/年");
  EXPECT_THROW(Quantity::make(1, "furlong"), mineplan::Error);
}
