// bench_monitor: every indicator of every plan over a generated register of about 5,000 mines
// with ten years of history (issue 4, "Done when"). Not a test: prints figures only.
//
//   bench_monitor [--db PATH] [--mines 5000] [--seed 1] [--as-of 2024-12-31] [--rounds 5]
//
// Without --db (or with a --db that does not exist yet) a store of the seed plans is created
// and a register generated into it: the mines spread over every county of the region, each
// with a mineral of the catalogue, a scale in its mineral's unit, a scale class, status, method
// and (some) a green-mine listing, first registered at the end of 2015 or in a later year, and
// then, year by year to 2025, about a third of them changing (status, scale class, green
// listing, closure) as a new version from a date in that year. An existing --db is reused.
// Then every target of every plan is computed as of --as-of (register snapshots read from the
// store, measures, baselines, status): the cold run (a fresh monitor::Register, the store read
// included) and the best of --rounds further cold runs are printed, with the counts by status.
#include "bench_support.hpp"
#include "io/catalogue_loader.hpp"
#include "monitor/indicators.hpp"
#include "store/store.hpp"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <random>
#include <string>
#include <vector>

namespace fs = std::filesystem;
using namespace mineplan;
using Clock = std::chrono::steady_clock;

namespace {

double ms_since(Clock::time_point t0) {
  return std::chrono::duration<double, std::milli>(Clock::now() - t0).count();
}

class Rng {
public:
  explicit Rng(std::uint64_t seed) : eng_(seed) {}
  double uniform() { return static_cast<double>(eng_() >> 11) * 0x1.0p-53; }
  std::size_t below(std::size_t n) { return static_cast<std::size_t>(uniform() * n) % n; }

private:
  std::mt19937_64 eng_;
};

struct Args {
  fs::path db;
  int mines = 5000;
  std::uint64_t seed = 1;
  std::string as_of = "2024-12-31";
  int rounds = 5;
};

Args parse(int argc, char **argv) {
  Args a;
  bench::ArgReader r("bench_monitor",
                     "[--db PATH] [--mines 5000] [--seed N] [--as-of DATE] "
                     "[--rounds 5]",
                     argc, argv);
  while (r.next()) {
    const std::string &k = r.key();
    if (k == "--db")
      a.db = r.text();
    else if (k == "--mines")
      a.mines = r.integer(1, 10'000'000);
    else if (k == "--seed")
      a.seed = r.unsigned64();
    else if (k == "--as-of")
      a.as_of = r.text();
    else if (k == "--rounds")
      a.rounds = r.integer(1, 1000);
    else
      r.unknown();
  }
  return a;
}

// Writes the register: one import per year, so every change is a version from its year.
void generate(store::Store &st, const Catalogue &cat, int n, std::uint64_t seed) {
  Rng rng(seed);
  std::vector<std::string> counties;
  for (const auto &d : cat.divisions)
    if (d.level == "county") counties.push_back(d.code);
  const std::vector<std::string> minerals{"煤炭",         "建筑用砂",    "建筑石料用灰岩", "萤石",
                                          "铁矿",         "铜矿",        "晶质石墨",       "芒硝",
                                          "玻璃用石英岩", "建筑用花岗岩"};
  const char *classes[] = {"large", "medium", "small", "below_small"};
  const char *statuses[] = {"producing", "producing", "construction", "stopped"};
  const char *levels[] = {"national", "region", "league"};
  auto unit_of = [&](const std::string &m) {
    const Mineral *x = cat.find_mineral(m);
    return x ? x->scale_unit : std::string("万吨/年");
  };
  std::vector<Mine> all;
  std::vector<int> first_year;
  for (int i = 0; i < n; ++i) {
    Mine m;
    m.uid = "bench-mine-" + std::to_string(i);
    m.name = "基准矿山" + std::to_string(i);
    m.holder = "基准公司" + std::to_string(i % 997);
    m.minerals = {minerals[rng.below(minerals.size())]};
    m.scale_class = classes[rng.below(4)];
    m.scale = Quantity::make(1 + static_cast<double>(rng.below(300)), unit_of(m.minerals[0]));
    m.status = statuses[rng.below(4)];
    m.method = rng.uniform() < 0.8 ? "open-pit" : "underground";
    m.jurisdiction = counties[rng.below(counties.size())];
    if (rng.uniform() < 0.1) {
      m.green_level = levels[rng.below(3)];
      m.green_year = 2016 + static_cast<int>(rng.below(9));
    }
    m.source = "bench";
    all.push_back(m);
    first_year.push_back(rng.uniform() < 0.7 ? 2015 : 2016 + static_cast<int>(rng.below(10)));
  }
  for (int year = 2015; year <= 2025; ++year) {
    std::vector<Mine> batch;
    for (int i = 0; i < n; ++i) {
      if (first_year[i] > year) continue;
      Mine &m = all[i];
      if (first_year[i] < year && m.status != "closed" && rng.uniform() < 0.33) {
        double r = rng.uniform();
        if (r < 0.15)
          m.status = "closed";
        else if (r < 0.55)
          m.status = statuses[rng.below(4)];
        else if (r < 0.85)
          m.scale_class = classes[rng.below(4)];
        else if (m.green_level.empty()) {
          m.green_level = levels[rng.below(3)];
          m.green_year = year;
        }
      } else if (first_year[i] != year) {
        continue; // unchanged this year
      }
      batch.push_back(m);
    }
    const std::string day = std::to_string(year) + "-0" + std::to_string(1 + year % 9) + "-15";
    st.import_mines(batch, year == 2015 ? "2015-12-31" : day, "bench " + std::to_string(year));
  }
}

} // namespace

int main(int argc, char **argv) {
  Args args = parse(argc, argv);
  static std::string tmp_dir;
  if (args.db.empty()) {
    char tmpl[] = "/tmp/bench-monitor-XXXXXX";
    tmp_dir = mkdtemp(tmpl);
    args.db = fs::path(tmp_dir) / "monitor.gpkg";
  }
  try {
    if (!fs::exists(args.db)) {
      auto t0 = Clock::now();
      Catalogue cat = io::load_catalogue(io::default_data_dir());
      auto st = store::Store::open(args.db.string(), true);
      st->load_catalogue(cat);
      generate(*st, cat, args.mines, args.seed);
      std::printf("register: %d mines, versions 2015-2025, generated in %.1f s into %s\n",
                  args.mines, ms_since(t0) / 1000, args.db.c_str());
    }
    auto st = store::Store::open(args.db.string());
    {
      auto cur = st->mines(store::AsOf{});
      auto at = st->mines(store::AsOf{args.as_of});
      std::printf("mines: %zu current, %zu valid on %s\n", cur.size(), at.size(),
                  args.as_of.c_str());
    }
    std::vector<PlanData> plans;
    for (const auto &s : st->plan_summaries())
      if (auto pd = st->plan(s.plan.id)) plans.push_back(std::move(*pd));

    auto run = [&](std::map<std::string, int> &by_status, std::size_t &n) {
      monitor::Register reg(*st);
      for (const auto &pd : plans) {
        auto p = monitor::compute_indicators(reg, pd, args.as_of);
        for (const auto &i : p.indicators) {
          ++by_status[i.status];
          ++n;
        }
      }
    };
    std::map<std::string, int> by_status;
    std::size_t n = 0;
    auto t0 = Clock::now();
    run(by_status, n);
    double first = ms_since(t0);
    std::vector<double> times;
    for (int r = 0; r < args.rounds; ++r) {
      std::map<std::string, int> b;
      std::size_t m = 0;
      auto t = Clock::now();
      run(b, m);
      times.push_back(ms_since(t));
    }
    std::sort(times.begin(), times.end());
    std::printf("all indicators of all plans as of %s: %zu indicators of %zu plans\n",
                args.as_of.c_str(), n, plans.size());
    std::printf("  first run %.1f ms; best of %d %.1f ms, median %.1f ms (store reads of the "
                "dates used, measures, baselines, status)\n",
                first, args.rounds, times.empty() ? 0 : times.front(),
                times.empty() ? 0 : times[times.size() / 2]);
    std::printf("  status:");
    for (const auto &[s, c] : by_status)
      std::printf(" %s %d", s.c_str(), c);
    std::printf("\n");
  } catch (const std::exception &e) {
    std::fprintf(stderr, "bench_monitor: %s\n", e.what());
    return 1;
  }
  if (!tmp_dir.empty()) fs::remove_all(tmp_dir);
  return 0;
}
