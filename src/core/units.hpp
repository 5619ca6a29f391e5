#pragma once
// Units travel with values. A Quantity is a number and the unit it was given in; conversion
// is explicit and only between units of the same dimension.
#include <optional>
#include <string>
#include <string_view>

namespace mineplan {

enum class Dimension {
  MassRate,   // t/a
  VolumeRate, // m3/a
  Mass,       // t
  Volume,     // m3
  Area,       // m2
  Length,     // m
  Money,      // 元
  Ratio,      // %
  Count,      // 个, 处, 家 …
  People,     // 人
  Duration,   // 年
};

struct UnitInfo {
  std::string_view symbol; // canonical symbol as written in the data files
  Dimension dimension;
  double to_base;           // multiply a value in this unit to get the dimension's base unit
  std::string_view chinese; // how the unit is written in Chinese reports
};

// Looks a unit up by its canonical symbol or a common alias (平方千米, 公顷, 亩, km², …).
const UnitInfo *find_unit(std::string_view symbol);
std::string_view dimension_name(Dimension d);

struct Quantity {
  double value = 0;
  std::string unit; // canonical symbol

  // Throws mineplan::Error when the unit is unknown.
  static Quantity make(double value, std::string_view unit);
  const UnitInfo &info() const;
  // Throws when the dimensions differ (e.g. 万吨/年 to 万立方米/年).
  Quantity to(std::string_view target_unit) const;
  double in(std::string_view target_unit) const { return to(target_unit).value; }
  bool same_dimension(std::string_view other_unit) const;
  std::string str() const;
};

struct QuantityRange {
  double min = 0;
  double max = 0;
  std::string unit;
};

// Square metres in one mu (亩): 10000/15 m2, the legal definition.
inline constexpr double kSquareMetresPerMu = 10000.0 / 15.0;

} // namespace mineplan
