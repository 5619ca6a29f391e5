#include "service/register.hpp"

#include "core/error.hpp"

#include <algorithm>

namespace mineplan::service {

namespace {

const std::vector<std::string> kStatuses{"producing", "construction", "stopped", "closed"};
const std::vector<std::string> kScaleClasses{"large", "medium", "small", "below_small"};
const std::vector<std::string> kMethods{"open-pit", "underground"};

// The fields a change by hand may set, each with its allowed values (none listed = a date).
using Allowed = std::map<std::string, std::vector<std::string>>;

const Allowed &right_fields() {
  static const Allowed a{{"status", kStatuses},
                         {"scale_class", kScaleClasses},
                         {"method", kMethods},
                         {"valid_to", {}}};
  return a;
}

const Allowed &mine_fields() {
  static const Allowed a{
      {"status", kStatuses}, {"scale_class", kScaleClasses}, {"method", kMethods}};
  return a;
}

[[noreturn]] void invalid(const std::string &message, const std::string &field) {
  throw Refusal(ErrorKind::invalid_input, message, field);
}

// The checked change: field → value, and the effective date.
struct Checked {
  std::map<std::string, std::string> values;
  std::string effective;
};

Checked check_patch(const RegisterPatch &patch, const Allowed &allowed) {
  const Json changes = patch.changes ? patch.changes() : Json::object();
  if (!changes.is_object()) invalid("expected a JSON object", "");
  Checked out;
  for (const auto &[key, value] : changes.items()) {
    if (key == "effective") {
      if (!value.is_string()) invalid("expected a date string", key);
      out.effective = value.get<std::string>();
      check_date(out.effective, key);
      continue;
    }
    auto rule = allowed.find(key);
    if (rule == allowed.end()) {
      std::string fields;
      for (const auto &[name, values] : allowed)
        fields.append(name).append(", ");
      invalid(std::string("'")
                  .append(key)
                  .append("' cannot be changed here (")
                  .append(fields)
                  .append("effective)"),
              key);
    }
    if (!value.is_string()) invalid("expected a string", key);
    std::string v = value.get<std::string>();
    if (rule->second.empty()) {
      check_date(v, key);
    } else if (std::find(rule->second.begin(), rule->second.end(), v) == rule->second.end()) {
      std::string options;
      for (const auto &o : rule->second)
        options.append(options.empty() ? "" : ", ").append(o);
      invalid(
          std::string("expected one of ").append(options).append(", found '").append(v).append("'"),
          key);
    }
    out.values[key] = v;
  }
  if (out.effective.empty()) invalid("say from which date the change holds", "effective");
  return out;
}

void tell(const ChangeSink &changed) {
  if (changed) changed();
}

// The view after an import: the view before with the rows written in place of (or beside)
// the versions they replace.
template <class T>
std::vector<T> with_written(const std::vector<T> &before, const std::vector<T> &written) {
  std::map<std::string, std::size_t> at;
  std::vector<T> out = before;
  for (std::size_t i = 0; i < out.size(); ++i)
    at[out[i].uid] = i;
  for (const auto &w : written) {
    auto it = at.find(w.uid);
    if (it == at.end()) {
      at[w.uid] = out.size();
      out.push_back(w);
    } else {
      out[it->second] = w;
    }
  }
  return out;
}

} // namespace

void check_may_import(const Actor &actor) {
  if (!actor.everywhere && !actor.staff()) throw Forbidden("only staff import registers");
}

ImportOutcome import_register(RegisterDeps deps, const Actor &actor, const ImportRequest &request) {
  check_may_import(actor);
  if (!request.schema) throw Error("import_register: no ledger schema");
  auto progress = [&](double f, const std::string &what) {
    if (request.progress) request.progress(f, what);
  };
  io::ImportOptions o = request.options;
  if (!actor.everywhere) {
    const Places &places = deps.places;
    o.refuse_jurisdiction = [&places, &actor](const std::string &code) -> std::string {
      if (places.within(code, actor.jurisdiction)) return {};
      return "lies in " + (code.empty() ? std::string("no division") : code) +
             ", outside your jurisdiction " + places.name(actor.jurisdiction) + " (" +
             actor.jurisdiction + ")";
    };
  }
  store::Store &st = deps.store;
  st.set_actor(actor.audit_actor());
  // New versions that change a mine's area, method or scale: the registries answer (a listed
  // green mine to re-assessment, a restoration plan to re-planning), as the system — in the
  // import's transaction, so that the change and the answer land together. The register is
  // read once: the view after is the view before with the rows written.
  const bool versioned = o.layer == "rights" || o.layer == "mines";
  std::optional<registry::RegisterView> before;
  if (versioned && !o.dry_run) {
    before = registry::register_view(st);
    o.current_rights = &before->rights;
    o.current_mines = &before->mines;
  }
  ImportOutcome out;
  st.in_transaction([&] {
    out.result = io::import_file(st, request.file, o, *request.schema);
    if (!before || !out.result.written || !out.result.problems.empty()) return;
    progress(0.7, "核对名录与治理方案");
    registry::RegisterView after{with_written(before->rights, out.result.rights),
                                 with_written(before->mines, out.result.mines)};
    out.registry_steps =
        registry::answer_register_changes(st, deps.lifecycles, *before, after, out.result.as_of,
                                          actor.username, "import " + request.name);
  });
  if (out.result.written) {
    progress(0.8, "更新一张图");
    tell(deps.changed);
  }
  return out;
}

RightUpdate update_right(RegisterDeps deps, const Actor &actor, const RegisterPatch &patch) {
  require_staff(actor, "change rights");
  std::optional<Right> current;
  if (deps.current.rights) {
    for (const auto &r : *deps.current.rights)
      if (r.uid == patch.uid) current = r;
  } else {
    for (auto &r : deps.store.right_history(patch.uid))
      if (r.version_to.empty()) current = std::move(r);
  }
  if (!current) throw NotFound("no current right '" + patch.uid + "'");
  require_within(actor, deps.places, "the right " + patch.uid, current->jurisdiction);
  const Checked change = check_patch(patch, right_fields());
  const std::string &effective = change.effective;
  Right next = *current;
  for (const auto &[key, v] : change.values) {
    if (key == "status") next.status = v;
    if (key == "scale_class") next.scale_class = v;
    if (key == "method") next.method = v;
    if (key == "valid_to") next.valid_to = v;
  }
  // A changed method or scale reaches the mines under this licence (re-assessment,
  // re-planning), in the change's transaction.
  registry::RegisterView before{{*current}, {}}, after{{next}, {}};
  if (!next.licence_no.empty()) {
    std::vector<Mine> read;
    if (!deps.current.mines) read = deps.store.mines(store::AsOf{});
    for (const auto &m : deps.current.mines ? *deps.current.mines : read)
      if (m.licence_no == next.licence_no) after.mines.push_back(m);
  }
  RightUpdate out;
  deps.store.set_actor(actor.audit_actor());
  deps.store.in_transaction([&] {
    deps.store.update_right(next, effective);
    out.registry_steps =
        registry::answer_register_changes(deps.store, deps.lifecycles, before, after, effective,
                                          actor.username, "PATCH /api/rights/" + patch.uid);
  });
  tell(deps.changed);
  out.history = deps.store.right_history(patch.uid);
  return out;
}

MineUpdate update_mine(RegisterDeps deps, const Actor &actor, const RegisterPatch &patch) {
  require_staff(actor, "change mines");
  std::optional<Mine> current = registry::current_mine(deps.store, patch.uid);
  if (!current) throw NotFound("no current mine '" + patch.uid + "'");
  require_within(actor, deps.places, "the mine " + patch.uid, current->jurisdiction);
  const Checked change = check_patch(patch, mine_fields());
  const std::string &effective = change.effective;
  Mine next = *current;
  for (const auto &[key, v] : change.values) {
    if (key == "status") next.status = v;
    if (key == "scale_class") next.scale_class = v;
    if (key == "method") next.method = v;
  }
  // Only this mine changed: its version before and after are the views to compare. The
  // registries' answer lands in the change's transaction.
  MineUpdate out;
  deps.store.set_actor(actor.audit_actor());
  try {
    deps.store.in_transaction([&] {
      deps.store.update_mine(next, effective);
      out.registry_steps = registry::answer_register_changes(
          deps.store, deps.lifecycles, {{}, {*current}}, {{}, {next}}, effective, actor.username,
          "PATCH /api/mines/" + patch.uid);
    });
  } catch (const InputError &e) {
    // The closure gate (no closure before restoration is accepted) is the mine's state
    // refusing the change. Nothing changed is invalid input.
    if (e.field() == "status" && next.status == "closed" && current->status != "closed")
      throw Conflict(std::string("闭坑不允许：矿山地质环境治理恢复尚未验收通过 (")
                         .append(e.detail())
                         .append(")"),
                     e.field());
    throw Refusal(ErrorKind::invalid_input, e.detail(), e.field());
  }
  tell(deps.changed);
  out.mine = registry::current_mine(deps.store, patch.uid);
  return out;
}

} // namespace mineplan::service
