#pragma once
// Random inspections (双随机、一公开): which listed mines are inspected this quarter and by
// which experts, drawn reproducibly from a recorded seed. The draw is published and stored as a
// registry step ("<lifecycle>-draw", subject "<jurisdiction>/<year>-Q<quarter>"); verify_draw
// draws again from the record and compares.
#include "registry/lifecycle.hpp"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mineplan::registry {

inline constexpr const char *kDrawAlgorithm =
    "mt19937_64 raw output, rejection sampling below n, partial Fisher-Yates (v1)";

struct DrawRecord {
  std::string id; // <jurisdiction>/<year>-Q<quarter>
  std::string jurisdiction;
  std::string date;
  int year = 0;
  int quarter = 0;
  std::uint64_t seed = 0;
  std::vector<std::string> population; // sorted: the subjects that could be drawn
  std::vector<std::string> pool;       // sorted expert ids
  std::int64_t listed = 0;             // subjects on the list this year (the 20 % base)
  std::int64_t year_quota = 0;         // at least share × listed over the year
  std::int64_t drawn_before = 0;       // drawn earlier in the year
  std::int64_t batch_size = 0;
  int experts_per_subject = 0;
  std::vector<std::string> drawn; // in draw order
  std::map<std::string, std::vector<std::string>> inspectors;
  std::string algorithm = kDrawAlgorithm;
};

// The pure draw: `batch_size` subjects of `population` and `experts` of `pool` for each.
void perform_draw(DrawRecord &r);

// The quarter's batch: population from the lifecycle's states on `date` within `jurisdiction`,
// excluding subjects drawn earlier in the year; batch size so that by the end of quarter q the
// year's draws reach ceil(q / batches × ceil(share × listed)). Recorded with who and role.
DrawRecord draw_inspections(store::Store &store, const Lifecycle &lc,
                            const std::string &jurisdiction, const std::string &date,
                            const std::vector<std::string> &expert_pool,
                            std::optional<std::uint64_t> seed, const std::string &who,
                            const std::string &role);

struct DrawCheck {
  bool ok = true;
  std::vector<std::string> problems;
  DrawRecord recorded;
  DrawRecord redrawn;
};
DrawCheck verify_draw(store::Store &store, const Lifecycle &lc, const std::string &draw_id);

std::vector<DrawRecord> draws(store::Store &store, const Lifecycle &lc);

Json to_json(const DrawRecord &r);
DrawRecord draw_from_json(const Json &j);

// Experts from a JSON file: an array of ids, or of objects with "id".
std::vector<std::string> load_expert_pool(const std::string &path);

} // namespace mineplan::registry
