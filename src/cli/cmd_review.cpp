// mineplan review DB APPLICATION.json [--json] [--html OUT.html] [--no-record] [--who NAME]:
// plan-conformance review (规划审查) of an application against every plan in force for its
// place and date (docs/review.md). Exit 0 = the review completed (the verdict is in the
// output, pass, conditional or reject alike); 2 = the application is bad (unknown mineral,
// unit, date outside every plan, broken boundary file …) and nothing was stored.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "core/clock.hpp"
#include "core/error.hpp"
#include "core/model_json.hpp"
#include "io/vocabulary_loader.hpp"
#include "readmodel/read_model.hpp"
#include "review/application.hpp"
#include "review/engine.hpp"
#include "review/opinion.hpp"
#include "store/store.hpp"

#include <chrono>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <iostream>

namespace mineplan::cli {
namespace {

// Labels from the vocabulary (data/vocabulary.json).
std::string verdict_zh(const std::string &v) {
  return io::vocabulary().label("verdicts", v);
}

std::string outcome_zh(review::Outcome o) {
  return io::vocabulary().label("outcomes", review::outcome_id(o));
}

std::string level_zh(const std::string &level) {
  return io::vocabulary().label("plan_levels", level);
}

void print_text(const review::Application &app, const review::ReviewResult &r,
                const std::string &place, std::int64_t record_id) {
  std::printf("规划审查结论：%s（%s）\n", verdict_zh(r.verdict).c_str(), r.verdict.c_str());
  std::string minerals;
  for (const auto &m : app.minerals)
    minerals += (minerals.empty() ? "" : "、") + m;
  std::printf("申请：%s%s %s，%s，%s（%s），日期 %s，申请人 %s\n",
              io::vocabulary().label("actions", app.action).c_str(),
              io::vocabulary().label("right_kinds", app.kind).c_str(), minerals.c_str(),
              app.scale ? app.scale->str().c_str() : "规模未填", place.c_str(),
              app.jurisdiction.c_str(), app.date.c_str(), app.applicant_name.c_str());
  std::printf("\n适用规划（由近及远）：\n");
  for (const auto &p : r.plans)
    std::printf("  %-22s %s《%s》 版本 %s\n", p.id.c_str(), level_zh(p.level).c_str(),
                p.title.c_str(), p.version.c_str());
  int counts[4] = {0, 0, 0, 0}, superseded = 0;
  for (const auto &f : r.findings) {
    if (!f.superseded_by.empty()) {
      ++superseded;
      continue;
    }
    ++counts[static_cast<int>(f.outcome)];
  }
  std::printf("\n审查意见 %zu 项：不符合 %d，须核实 %d，符合 %d，不适用 %d%s\n", r.findings.size(),
              counts[static_cast<int>(review::Outcome::Fail)],
              counts[static_cast<int>(review::Outcome::Attention)],
              counts[static_cast<int>(review::Outcome::Pass)],
              counts[static_cast<int>(review::Outcome::NotApplicable)],
              superseded ? ("，另有 " + std::to_string(superseded) + " 项被更严格条款取代").c_str()
                         : "");
  int i = 0;
  for (const auto &f : r.findings) {
    ++i;
    std::printf(
        "\n%3d. [%s] %s (%s)%s\n", i, outcome_zh(f.outcome).c_str(), f.rule.c_str(),
        f.check.c_str(),
        f.superseded_by.empty() ? "" : ("  —— 被更严格条款 " + f.superseded_by + " 取代").c_str());
    std::printf("     %s\n", f.message.c_str());
    if (!f.evidence.empty()) std::printf("     证据：%s\n", f.evidence.dump().c_str());
    std::printf("     依据：%s %s\n", f.citation.seed.c_str(), f.citation.section.c_str());
  }
  std::printf("\n输入哈希 %s", r.input_hash.c_str());
  if (record_id > 0)
    std::printf("；审查记录编号 %lld\n", static_cast<long long>(record_id));
  else
    std::printf("；未存档（--no-record）\n");
}

} // namespace

int cmd_review(const Args &args) {
  Options o(
      args,
      "mineplan review DB APPLICATION.json [--json] [--html OUT.html] [--no-record] [--who NAME]",
      {"json", "no-record"}, {"html", "who"});
  const std::string &db = o.positional(0, "DB");
  const std::string &file = o.positional(1, "APPLICATION.json");
  o.expect_positionals(2);
  auto st =
      store::Store::open(db, o.flag("no-record") ? store::Access::read : store::Access::write);
  // The read model's one pass (no tiles): the same builder as the server's.
  const auto model = readmodel::ReadModel::build(*st);
  const review::ReviewEngine &engine = *model->engine;
  // Every input check (the engine's date check included) runs before anything is written:
  // a bad application leaves the store as it was.
  review::Application app = review::read_application(file, engine.minerals(), engine.divisions());
  review::ReviewResult result = engine.review(app);

  std::int64_t record_id = 0;
  std::string reviewed_at = now_utc_iso();
  if (!o.flag("no-record")) {
    store::ReviewRecord rec =
        review::review_record(app, result, engine, o.value("who").value_or("cli"));
    record_id = st->record_review(rec);
    if (auto stored = st->review_record(record_id)) reviewed_at = stored->at;
  }

  if (auto html = o.value("html")) {
    review::OpinionContext ctx{reviewed_at, st->location(), record_id};
    std::string page = review::render_opinion_html(app, result, engine.features_of(result), ctx);
    std::ofstream out(*html, std::ios::binary);
    if (!out) throw Error("cannot write " + *html);
    out << page;
    if (!out) throw Error("writing " + *html + " failed");
  }

  if (o.flag("json")) {
    Json j = review::to_json(result);
    j["record_id"] = record_id > 0 ? Json(record_id) : Json(nullptr);
    std::cout << j.dump(2) << "\n";
  } else {
    print_text(app, result, model->division_name(app.jurisdiction), record_id);
  }
  return 0;
}

MINEPLAN_COMMAND("review", cmd_review,
                 "mineplan review DB APPLICATION.json [--json] [--html OUT.html] [--no-record] "
                 "[--who NAME]",
                 "plan-conformance review of an application (规划审查); exit 0 reviewed, 2 bad "
                 "application");

} // namespace mineplan::cli
