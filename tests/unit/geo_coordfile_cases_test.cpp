// Runs every data-driven case of tests/cases/coords: <name>.txt read with the coordinate-file
// reader, checked against <name>.expect (format in tests/cases/coords/README.md), then
// round-tripped through write_exchange_file in UTF-8 and GBK.
#include "core/error.hpp"
#include "geo/area.hpp"
#include "geo/coordfile.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <sstream>

namespace fs = std::filesystem;
using namespace mineplan;
using namespace mineplan::geo;

namespace {

std::string fixed_decimals(double v, int decimals) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string slurp(const fs::path &p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

struct Expectation {
  std::string key;
  int index = -1; // [i], -1 when absent
  std::string value;
  int line = 0;
};

std::vector<Expectation> read_expect(const fs::path &p) {
  std::vector<Expectation> out;
  std::istringstream in(slurp(p));
  std::string line;
  int n = 0;
  while (std::getline(in, line)) {
    ++n;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line[0] == '#') continue;
    const auto colon = line.find(':');
    if (colon == std::string::npos) {
      ADD_FAILURE() << p << ":" << n << ": expected key: value";
      continue;
    }
    Expectation e;
    e.key = line.substr(0, colon);
    e.value = line.substr(colon + 1);
    while (!e.value.empty() && e.value.front() == ' ')
      e.value.erase(0, 1);
    while (!e.value.empty() && e.value.back() == ' ')
      e.value.pop_back();
    e.line = n;
    if (const auto b = e.key.find('['); b != std::string::npos && e.key.back() == ']') {
      e.index = std::stoi(e.key.substr(b + 1, e.key.size() - b - 2));
      e.key = e.key.substr(0, b);
    }
    out.push_back(std::move(e));
  }
  return out;
}

int decimals(const std::string &v) {
  const auto dot = v.find('.');
  return dot == std::string::npos ? 0 : static_cast<int>(v.size() - dot - 1);
}

double parcel_area_m2(const CoordinateFile &f, const CoordinateParcel &p) {
  return f.crs.geographic() ? official_area_m2(p.geometry, f.crs.datum)
                            : planar_area_m2(p.geometry);
}

std::size_t distinct_points(const CoordinateParcel &p) {
  std::size_t n = 0;
  for (const auto &poly : p.geometry) {
    n += poly.outer.size() - 1;
    for (const auto &h : poly.holes)
      n += h.size() - 1;
  }
  return n;
}

bool has_problem(const CoordinateFile &f, const std::string &code, int line = -1) {
  return std::any_of(f.problems.begin(), f.problems.end(), [&](const Problem &p) {
    return p.code == code && (line < 0 || p.line == line);
  });
}

std::string problems_text(const CoordinateFile &f) {
  std::string s;
  for (const auto &p : f.problems)
    s += "  [" + std::string(severity_id(p.severity)) + "] " + p.code + " line " +
         std::to_string(p.line) + ": " + p.message + "\n";
  return s;
}

bool has_kv(const std::vector<KeyValue> &kvs, const std::string &kv) {
  const auto eq = kv.find('=');
  return std::any_of(kvs.begin(), kvs.end(), [&](const KeyValue &x) {
    return x.key == kv.substr(0, eq) && x.value == kv.substr(eq + 1);
  });
}

void check_success(const std::string &name, const CoordinateFile &f,
                   const std::vector<Expectation> &ex) {
  SCOPED_TRACE(name + " problems:\n" + problems_text(f));
  for (const auto &e : ex) {
    SCOPED_TRACE(name + ".expect:" + std::to_string(e.line) + ": " + e.key + " " + e.value);
    const CoordinateParcel *p = nullptr;
    if (e.index >= 0) {
      ASSERT_LT(static_cast<std::size_t>(e.index), f.parcels.size());
      p = &f.parcels[static_cast<std::size_t>(e.index)];
    }
    if (e.key == "parcels")
      EXPECT_EQ(f.parcels.size(), std::stoul(e.value));
    else if (e.key == "layout")
      EXPECT_EQ(f.layout, e.value);
    else if (e.key == "encoding")
      EXPECT_EQ(f.encoding, e.value);
    else if (e.key == "datum")
      EXPECT_EQ(datum_id(f.crs.datum), e.value);
    else if (e.key == "epsg")
      EXPECT_EQ(f.crs.epsg(), std::stoi(e.value));
    else if (e.key == "crs")
      EXPECT_EQ(f.crs.name(), e.value);
    else if (e.key == "helmert")
      EXPECT_EQ(f.helmert.has_value(), e.value == "yes");
    else if (e.key == "area_km2" || e.key == "area_m2") {
      ASSERT_TRUE(p);
      const double got = parcel_area_m2(f, *p) / (e.key == "area_km2" ? 1e6 : 1.0);
      const double half = 0.5 * std::pow(10.0, -decimals(e.value));
      EXPECT_NEAR(got, std::stod(e.value), half * (1 + 1e-9));
    } else if (e.key == "reported_km2") {
      ASSERT_TRUE(p);
      ASSERT_NE(f.crs.zone_width, 0) << "reported_km2 is for projected files";
      const geo::ReportedArea rep = geo::reported_area(p->geometry, f.precision);
      EXPECT_EQ(fixed_decimals(rep.km2, rep.decimals), e.value);
    } else if (e.key == "points") {
      ASSERT_TRUE(p);
      EXPECT_EQ(distinct_points(*p), std::stoul(e.value));
    } else if (e.key == "rings") {
      ASSERT_TRUE(p);
      std::size_t n = 0;
      for (const auto &poly : p->geometry)
        n += 1 + poly.holes.size();
      EXPECT_EQ(n, std::stoul(e.value));
    } else if (e.key == "parts") {
      ASSERT_TRUE(p);
      EXPECT_EQ(p->geometry.size(), std::stoul(e.value));
    } else if (e.key == "holes") {
      ASSERT_TRUE(p);
      std::size_t n = 0;
      for (const auto &poly : p->geometry)
        n += poly.holes.size();
      EXPECT_EQ(n, std::stoul(e.value));
    } else if (e.key == "name") {
      ASSERT_TRUE(p);
      EXPECT_EQ(p->name, e.value);
    } else if (e.key == "number") {
      ASSERT_TRUE(p);
      EXPECT_EQ(p->number, e.value);
    } else if (e.key == "declared_unit") {
      ASSERT_TRUE(p);
      EXPECT_EQ(p->declared_area_unit, e.value);
    } else if (e.key == "declared_match") {
      ASSERT_TRUE(p);
      EXPECT_EQ(p->declared_area_match, e.value);
    } else if (e.key == "elevation") {
      ASSERT_TRUE(p);
      ASSERT_TRUE(p->elevations);
      const auto comma = e.value.find(',');
      EXPECT_DOUBLE_EQ(p->elevations->top, std::stod(e.value.substr(0, comma)));
      EXPECT_DOUBLE_EQ(p->elevations->bottom, std::stod(e.value.substr(comma + 1)));
    } else if (e.key == "swapped") {
      ASSERT_TRUE(p);
      EXPECT_EQ(p->xy_swapped, e.value == "yes");
    } else if (e.key == "errors")
      EXPECT_EQ(f.count(Severity::Error), std::stoul(e.value));
    else if (e.key == "problem")
      EXPECT_TRUE(has_problem(f, e.value));
    else if (e.key == "no_problem")
      EXPECT_FALSE(has_problem(f, e.value));
    else if (e.key == "problem_line") {
      const auto sp = e.value.find(' ');
      EXPECT_TRUE(has_problem(f, e.value.substr(0, sp), std::stoi(e.value.substr(sp + 1))));
    } else if (e.key == "attribute")
      EXPECT_TRUE(has_kv(f.attributes, e.value));
    else if (e.key == "project_info")
      EXPECT_TRUE(has_kv(f.project_info, e.value));
    else if (e.key == "project_info_count")
      EXPECT_EQ(f.project_info.size(), std::stoul(e.value));
    else if (e.key.rfind("error_", 0) == 0)
      ADD_FAILURE() << "expected an InputError, but the file was read";
    else
      ADD_FAILURE() << "unknown expect key '" << e.key << "'";
  }
}

void check_round_trip(const std::string &name, const CoordinateFile &f, Encoding enc) {
  SCOPED_TRACE(name + (enc == Encoding::Utf8 ? " round trip UTF-8" : " round trip GBK"));
  const std::string text = write_exchange_file(f, enc);
  CoordinateFile g;
  try {
    g = parse_coordinate_file(text, name + ".written");
  } catch (const InputError &e) {
    FAIL() << "re-reading the written file failed: " << e.what() << "\n" << text.substr(0, 2000);
  }
  EXPECT_EQ(g.encoding, enc == Encoding::Utf8 ? "UTF-8" : "GB18030");
  EXPECT_EQ(g.crs, f.crs);
  EXPECT_EQ(g.helmert.has_value(), f.helmert.has_value());
  ASSERT_EQ(g.parcels.size(), f.parcels.size());
  const double tol = f.precision / 2 + 1e-9 * 1e8;
  for (std::size_t i = 0; i < f.parcels.size(); ++i) {
    const auto &a = f.parcels[i], &b = g.parcels[i];
    EXPECT_EQ(a.name, b.name);
    EXPECT_EQ(a.number, b.number);
    EXPECT_EQ(a.declared_area.has_value(), b.declared_area.has_value());
    if (a.declared_area && b.declared_area) {
      EXPECT_DOUBLE_EQ(*a.declared_area, *b.declared_area);
    }
    ASSERT_EQ(a.geometry.size(), b.geometry.size());
    for (std::size_t k = 0; k < a.geometry.size(); ++k) {
      ASSERT_EQ(a.geometry[k].outer.size(), b.geometry[k].outer.size());
      ASSERT_EQ(a.geometry[k].holes.size(), b.geometry[k].holes.size());
      for (std::size_t v = 0; v < a.geometry[k].outer.size(); ++v) {
        EXPECT_NEAR(a.geometry[k].outer[v].x, b.geometry[k].outer[v].x, tol);
        EXPECT_NEAR(a.geometry[k].outer[v].y, b.geometry[k].outer[v].y, tol);
      }
    }
    if (!f.crs.geographic()) {
      const double aa = planar_area_m2(a.geometry);
      EXPECT_NEAR(aa, planar_area_m2(b.geometry), std::max(1e-6, aa * 1e-9));
    }
  }
}

} // namespace

TEST(GeoCoordfileCases, AllCases) {
  const fs::path dir = fs::path(MINEPLAN_SOURCE_DIR) / "tests" / "cases" / "coords";
  std::vector<fs::path> inputs;
  for (const auto &entry : fs::directory_iterator(dir))
    if (entry.path().extension() == ".txt") inputs.push_back(entry.path());
  std::sort(inputs.begin(), inputs.end());
  ASSERT_GE(inputs.size(), 40u) << "cases missing in " << dir;

  for (const auto &input : inputs) {
    const std::string name = input.stem().string();
    SCOPED_TRACE("case " + name);
    const fs::path expect_path = fs::path(input).replace_extension(".expect");
    ASSERT_TRUE(fs::exists(expect_path)) << "no " << expect_path;
    const auto ex = read_expect(expect_path);
    const bool want_error = std::any_of(
        ex.begin(), ex.end(), [](const Expectation &e) { return e.key.rfind("error_", 0) == 0; });
    const std::string bytes = slurp(input);
    try {
      CoordinateFile f = parse_coordinate_file(bytes, input.filename().string());
      if (want_error) {
        ADD_FAILURE() << "expected an InputError; problems:\n" << problems_text(f);
        continue;
      }
      check_success(name, f, ex);
      check_round_trip(name, f, Encoding::Utf8);
      check_round_trip(name, f, Encoding::Gbk);
    } catch (const InputError &e) {
      if (!want_error) {
        ADD_FAILURE() << "unexpected InputError: " << e.what();
        continue;
      }
      for (const auto &x : ex) {
        SCOPED_TRACE(name + ".expect:" + std::to_string(x.line) + " message: " + e.what());
        if (x.key == "error_line")
          EXPECT_EQ(e.line(), std::stoi(x.value));
        else if (x.key == "error_field")
          EXPECT_EQ(e.field(), x.value);
        else if (x.key == "error_contains")
          EXPECT_NE(std::string(e.what()).find(x.value), std::string::npos);
        else
          ADD_FAILURE() << "key '" << x.key << "' cannot be checked on a file that does not read";
      }
      EXPECT_EQ(e.source(), input.filename().string());
    }
  }
}
