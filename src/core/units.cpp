#include "core/units.hpp"

#include "core/error.hpp"

#include <array>
#include <cmath>
#include <cstdio>

namespace mineplan {
namespace {

struct Alias {
  std::string_view alias;
  std::string_view symbol;
};

constexpr double kYearDays = 365.0;

constexpr std::array kUnits{
    UnitInfo{"万吨/年", Dimension::MassRate, 1e4, "万吨/年"},
    UnitInfo{"吨/年", Dimension::MassRate, 1, "吨/年"},
    UnitInfo{"千克/年", Dimension::MassRate, 1e-3, "千克/年"},
    UnitInfo{"万立方米/年", Dimension::VolumeRate, 1e4, "万立方米/年"},
    UnitInfo{"立方米/年", Dimension::VolumeRate, 1, "立方米/年"},
    UnitInfo{"立方米/日", Dimension::VolumeRate, kYearDays, "立方米/日"},
    UnitInfo{"吨", Dimension::Mass, 1, "吨"},
    UnitInfo{"千吨", Dimension::Mass, 1e3, "千吨"},
    UnitInfo{"万吨", Dimension::Mass, 1e4, "万吨"},
    UnitInfo{"亿吨", Dimension::Mass, 1e8, "亿吨"},
    UnitInfo{"千克", Dimension::Mass, 1e-3, "千克"},
    UnitInfo{"吨(金属)", Dimension::Mass, 1, "吨(金属)"},
    UnitInfo{"立方米", Dimension::Volume, 1, "立方米"},
    UnitInfo{"千立方米", Dimension::Volume, 1e3, "千立方米"},
    UnitInfo{"万立方米", Dimension::Volume, 1e4, "万立方米"},
    UnitInfo{"亿立方米", Dimension::Volume, 1e8, "亿立方米"},
    UnitInfo{"km2", Dimension::Area, 1e6, "平方千米"},
    UnitInfo{"m2", Dimension::Area, 1, "平方米"},
    UnitInfo{"ha", Dimension::Area, 1e4, "公顷"},
    UnitInfo{"mu", Dimension::Area, kSquareMetresPerMu, "亩"},
    UnitInfo{"万亩", Dimension::Area, 1e4 * kSquareMetresPerMu, "万亩"},
    UnitInfo{"km", Dimension::Length, 1e3, "千米"},
    UnitInfo{"m", Dimension::Length, 1, "米"},
    UnitInfo{"元", Dimension::Money, 1, "元"},
    UnitInfo{"万元", Dimension::Money, 1e4, "万元"},
    UnitInfo{"亿元", Dimension::Money, 1e8, "亿元"},
    UnitInfo{"%", Dimension::Ratio, 1, "%"},
    UnitInfo{"个", Dimension::Count, 1, "个"},
    UnitInfo{"处", Dimension::Count, 1, "处"},
    UnitInfo{"家", Dimension::Count, 1, "家"},
    UnitInfo{"座", Dimension::Count, 1, "座"},
    UnitInfo{"项", Dimension::Count, 1, "项"},
    UnitInfo{"种", Dimension::Count, 1, "种"},
    UnitInfo{"宗", Dimension::Count, 1, "宗"},
    UnitInfo{"幅", Dimension::Count, 1, "幅"},
    UnitInfo{"人", Dimension::People, 1, "人"},
    UnitInfo{"万人", Dimension::People, 1e4, "万人"},
    UnitInfo{"年", Dimension::Duration, 1, "年"},
};

constexpr std::array kAliases{
    Alias{"平方千米", "km2"},
    Alias{"平方公里", "km2"},
    Alias{"km²", "km2"},
    Alias{"平方米", "m2"},
    Alias{"m²", "m2"},
    Alias{"公顷", "ha"},
    Alias{"hm2", "ha"},
    Alias{"亩", "mu"},
    Alias{"米", "m"},
    Alias{"千米", "km"},
    Alias{"公里", "km"},
    Alias{"万t/a", "万吨/年"},
    Alias{"t/a", "吨/年"},
    Alias{"万m3/a", "万立方米/年"},
    Alias{"万m³/a", "万立方米/年"},
    Alias{"m3/d", "立方米/日"},
    Alias{"m³/d", "立方米/日"},
    Alias{"kg", "千克"},
};

} // namespace

const UnitInfo *find_unit(std::string_view symbol) {
  for (const auto &u : kUnits)
    if (u.symbol == symbol) return &u;
  for (const auto &a : kAliases)
    if (a.alias == symbol) return find_unit(a.symbol);
  return nullptr;
}

std::string_view dimension_name(Dimension d) {
  switch (d) {
  case Dimension::MassRate: return "mass per year";
  case Dimension::VolumeRate: return "volume per year";
  case Dimension::Mass: return "mass";
  case Dimension::Volume: return "volume";
  case Dimension::Area: return "area";
  case Dimension::Length: return "length";
  case Dimension::Money: return "money";
  case Dimension::Ratio: return "ratio";
  case Dimension::Count: return "count";
  case Dimension::People: return "people";
  case Dimension::Duration: return "duration";
  }
  return "?";
}

Quantity Quantity::make(double value, std::string_view unit) {
  const UnitInfo *u = find_unit(unit);
  if (!u) throw Error("unknown unit '" + std::string(unit) + "'");
  return Quantity{value, std::string(u->symbol)};
}

const UnitInfo &Quantity::info() const {
  const UnitInfo *u = find_unit(unit);
  if (!u) throw Error("unknown unit '" + unit + "'");
  return *u;
}

bool Quantity::same_dimension(std::string_view other_unit) const {
  const UnitInfo *o = find_unit(other_unit);
  return o && o->dimension == info().dimension;
}

Quantity Quantity::to(std::string_view target_unit) const {
  const UnitInfo &from = info();
  const UnitInfo *target = find_unit(target_unit);
  if (!target) throw Error("unknown unit '" + std::string(target_unit) + "'");
  if (target->dimension != from.dimension)
    throw Error("cannot convert " + unit + " (" + std::string(dimension_name(from.dimension)) +
                ") to " + std::string(target_unit) + " (" +
                std::string(dimension_name(target->dimension)) + ")");
  return Quantity{value * from.to_base / target->to_base, std::string(target->symbol)};
}

std::string Quantity::str() const {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.10g", value);
  return std::string(buf) + " " + unit;
}

} // namespace mineplan
