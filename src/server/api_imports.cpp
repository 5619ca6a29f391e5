// Imports over HTTP run as jobs: the upload lands in a private folder, a thread runs the use
// case (service::import_register: every row within the caller's jurisdiction, all or nothing,
// the registries' answer in the same transaction, the read model rebuilt), and the caller
// polls the job for progress.
#include "core/error.hpp"
#include "server/app_impl.hpp"
#include "server/service_glue.hpp"
#include "server/temp_folder.hpp"
#include "service/register.hpp"

#include <fstream>

namespace mineplan::server {

Response api_import(App::Impl &app, Context &c) {
  require_csrf(c);
  const service::Actor actor = actor_of(c);
  service::check_may_import(actor);
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
  auto snap = c.snap;
  App::Impl *owner = &app;
  const std::string id = job.id;
  std::lock_guard lock(app.jobs_mutex);
  app.job_threads.emplace_back([owner, id, folder, filename, layer, as_of, actor, snap] {
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
      const auto schema = io::LedgerSchema::load(owner->options.data_dir / "ledger-columns.json");
      service::ImportRequest req;
      req.file = folder->path() / filename;
      req.name = filename;
      req.options.layer = layer;
      req.options.as_of = as_of;
      req.options.threads = 1;
      req.schema = &schema;
      req.progress = [&](double progress, const std::string &message) {
        set("running", progress, message);
      };
      const SnapshotPlaces places(*snap);
      service::ImportOutcome outcome = service::import_register(
          {*st, owner->lifecycles, places, refresh_of(*owner), {}}, actor, req);
      io::ImportResult &r = outcome.result;
      Json steps = Json::array();
      for (const auto &t : outcome.registry_steps)
        steps.push_back(registry::to_json(t));
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
