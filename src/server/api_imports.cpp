// Imports over HTTP run as jobs: the upload lands in a private folder, a thread reads, checks
// (every row within the caller's jurisdiction) and stores it all or nothing, the read model is
// rebuilt, and the caller polls the job for progress.
#include "core/error.hpp"
#include "io/catalogue_loader.hpp"
#include "io/ogr_import.hpp"
#include "registry/reassess.hpp"
#include "server/app_impl.hpp"
#include "server/temp_folder.hpp"

#include <fstream>

namespace mineplan::server {

Response api_import(App::Impl &app, Context &c) {
  require_csrf(c);
  if (!c.who.staff()) throw HttpError{403, "only staff import registers", ""};
  const std::string layer = query_or(c, "layer", "");
  if (layer != "rights" && layer != "mines")
    throw HttpError{400, "expected layer=rights or layer=mines", "layer"};
  const std::string as_of = query_or(c, "as_of", today_iso());
  check_date(as_of, "as_of");
  const std::string filename = safe_file_name(query_or(c, "filename", ""), "");
  if (filename.empty() || filename.find('.') == std::string::npos)
    throw HttpError{400, "give the file's name with its extension (filename=ledger.xlsx)",
                    "filename"};
  if (c.request.body().empty()) throw HttpError{400, "the request body (the file) is empty", ""};

  auto folder = std::make_shared<TempFolder>();
  {
    std::ofstream out(folder->path() / filename, std::ios::binary);
    out << c.request.body();
    if (!out) throw Error("cannot store the upload");
  }
  Job job;
  job.id = random_token().substr(0, 16);
  job.owner = c.who.account->username;
  job.message = "排队中";
  {
    std::lock_guard lock(app.jobs_mutex);
    app.jobs[job.id] = job;
  }
  const store::Actor actor{c.who.account->username, c.who.account->role};
  const std::string jurisdiction = c.who.account->jurisdiction;
  auto snap = c.snap;
  App::Impl *owner = &app;
  const std::string id = job.id;
  std::lock_guard lock(app.jobs_mutex);
  app.job_threads.emplace_back([owner, id, folder, filename, layer, as_of, actor, jurisdiction,
                                snap] {
    auto set = [&](const char *state, double progress, const std::string &message) {
      owner->update_job(id, [&](Job &j) {
        j.state = state;
        j.progress = progress;
        j.message = message;
      });
    };
    try {
      set("running", 0.1, "读取并检查文件");
      auto st = store::Store::open(owner->options.store, owner->access());
      st->set_actor(actor);
      io::ImportOptions o;
      o.layer = layer;
      o.as_of = as_of;
      o.threads = 1;
      o.refuse_jurisdiction = [&](const std::string &code) -> std::string {
        if (snap->within(code, jurisdiction)) return {};
        return "lies in " + (code.empty() ? std::string("no division") : code) +
               ", outside your jurisdiction " + snap->division_name(jurisdiction) + " (" +
               jurisdiction + ")";
      };
      const auto schema = io::LedgerSchema::load(owner->options.data_dir / "ledger-columns.json");
      const auto before = registry::register_view(*st);
      // New versions that change a mine's area, method or scale: the registries answer
      // (a listed green mine to re-assessment, a restoration plan to re-planning) in the
      // import's transaction, so that the change and the answer land together.
      io::ImportResult r;
      Json steps = Json::array();
      st->in_transaction([&] {
        r = io::import_file(*st, folder->path() / filename, o, schema);
        if (!r.written) return;
        set("running", 0.7, "核对名录与治理方案");
        for (const auto &t : registry::answer_register_changes(
                 *st, owner->lifecycles, before, r.as_of, actor.who, "import " + filename))
          steps.push_back(registry::to_json(t));
      });
      r.file = filename; // the upload's private folder is the server's business
      if (!r.written) {
        owner->update_job(id, [&](Job &j) {
          j.state = "failed";
          j.progress = 1;
          j.message = "文件有 " + std::to_string(r.problems.size()) + " 处问题，未导入任何数据";
          j.result = r.json();
        });
        return;
      }
      set("running", 0.8, "更新一张图");
      owner->refresh();
      owner->update_job(id, [&](Job &j) {
        j.state = "done";
        j.progress = 1;
        j.message = "导入完成";
        j.result = r.json();
        j.result["registry_steps"] = steps;
      });
    } catch (const std::exception &e) {
      owner->update_job(id, [&](Job &j) {
        j.state = "failed";
        j.progress = 1;
        j.message = e.what();
      });
    }
  });
  return json_response(Json{{"job", job.id}, {"status", "/api/jobs/" + job.id}}, 202);
}

Response api_job(App::Impl &app, Context &c, const std::string &id) {
  require_signed_in(c);
  std::lock_guard lock(app.jobs_mutex);
  auto it = app.jobs.find(id);
  if (it == app.jobs.end() || it->second.owner != c.who.account->username)
    throw HttpError{404, "no job '" + id + "'", ""};
  const Job &j = it->second;
  return json_response(Json{{"id", j.id},
                            {"state", j.state},
                            {"progress", j.progress},
                            {"message", j.message},
                            {"result", j.result}});
}

} // namespace mineplan::server
