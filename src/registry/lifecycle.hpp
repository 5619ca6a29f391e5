#pragma once
// Registries as lifecycles. A lifecycle (data/lifecycles/*.json, docs/registries.md) names its
// states, the steps between them with who may take each, the parameters a step needs, the
// refusals (e.g. a mine removed twice), the deadlines a step sets, the annual and periodic
// obligations and what a step changes in the register. Code here interprets it: a subject's
// state is the replay of its recorded steps; a step is checked against the lifecycle and, when
// legal, recorded (Store::append_registry_event, audited in the same transaction). An illegal
// step is refused with an InputError saying what was expected.
#include "core/model.hpp"
#include "store/store.hpp"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mineplan::registry {

struct Param {
  std::string name;
  std::string type; // text | enum | date | year | number
  std::vector<std::string> values;
  std::map<std::string, std::string> value_labels; // enum: the Chinese label of each value
  std::string label;
};

// Refuse a step when the subject already has `at_least` recorded `count` steps (whose `param`
// is one of `values`, when given).
struct Refusal {
  std::string count;
  std::string param;
  std::vector<std::string> values;
  int at_least = 1;
  std::string reason;
  Citation cite;
};

// The deadline a step sets for the state it enters: `months` after the step's date, or the
// date given as parameter `param`.
struct DeadlineRule {
  std::string name;
  std::string label;
  int months = 0;
  std::string param;
  Citation cite;
};

struct Transition {
  std::string event;
  std::string label;
  std::vector<std::string> from;
  std::string to; // empty: the state does not change
  std::vector<std::string> roles;
  std::string roles_param; // roles chosen by the value of this parameter
  std::map<std::string, std::vector<std::string>> roles_by_value;
  std::vector<std::string> required;
  std::vector<std::string> optional;
  std::vector<Refusal> refuse_when;
  std::string after_param; // the step's date must be later than this recorded date parameter
  std::string until_param; // ... on or before it
  std::optional<DeadlineRule> deadline;
  Json mine = nullptr;  // fields of the subject mine the step sets: "$param", "$year", null
  std::string account;  // numeric parameter added to (sign +1) or taken from the account
  int account_sign = 0; // +1 accrual, -1 use (refused when the balance would go below zero)
  Citation cite;
};

// An obligation due every year on month/day while the subject is in one of `in_states`:
// `event` with parameter `year_param` = due year + `year_offset` fulfils it.
struct AnnualRule {
  std::string id;
  std::string label;
  std::string event;
  std::string year_param = "year";
  int year_offset = 0;
  int month = 12;
  int day = 31;
  std::vector<std::string> in_states;
  Json applies_to = nullptr; // register filter on the subject mine: {"status": [...]}
  std::string basis;
  Citation cite;
};

// An obligation recurring `every_months` after the last of `anchor_events`, to be applied for
// `ahead_months` before it falls due.
struct PeriodicRule {
  std::string id;
  std::string label;
  std::string event; // the step that fulfils it
  int every_months = 0;
  int ahead_months = 0;
  std::vector<std::string> anchor_events;
  std::vector<std::string> in_states;
  Citation cite;
};

// Random inspections (双随机、一公开) of the subjects in `population_states`.
struct InspectionRule {
  double share = 0; // of the population, at least, each year
  int batches = 0;  // per year (quarterly = 4)
  int experts_per_subject = 0;
  std::vector<std::string> population_states;
  std::string pass_event;
  std::string fail_event;
  std::vector<std::string> roles;
  Citation cite;
};

// A change of the register that the system answers with a step of its own (who = system):
// a listed green mine whose area, method or scale changes goes to re-assessment. `fields` are
// the register fields watched (area, method, scale, mineral); the step's enum parameter
// `param` is set to the first that changed.
struct RegisterTrigger {
  std::string event;
  std::vector<std::string> fields;
  std::string param;
  Citation cite;
};

struct Lifecycle {
  std::string id;
  std::string title;
  std::string file;
  std::string subject; // mine | right | legacy_site | any
  std::string initial;
  // A subject without recorded steps whose register entry has `register_field` set starts in
  // `register_state` (e.g. mines already on the green list when the register was loaded).
  std::string register_field;
  std::string register_state;
  std::vector<std::string> states;
  std::map<std::string, std::string> state_labels;
  std::map<std::string, Param> params;
  std::vector<Transition> transitions;
  std::vector<AnnualRule> annual;
  std::vector<PeriodicRule> periodic;
  std::optional<InspectionRule> inspection;
  std::vector<RegisterTrigger> register_triggers;
  // subject legacy_site: the sites the seeds name (extra.sites, by id) and the state each
  // starts in when no step is recorded (a site the seed reports restored starts 'accepted').
  std::map<std::string, std::string> subject_initial;
  Json extra = Json::object(); // lifecycle-specific data (the program's phases, categories …)

  const Transition *transition(const std::string &event) const;
  bool has_state(const std::string &s) const;
  const RegisterTrigger *trigger(const std::string &event) const;
  std::string state_label(const std::string &s) const; // the state's id when it has no label
};

// The role the system acts in when it answers a register change (RegisterTrigger).
inline constexpr const char *kSystemRole = "system";
// The Chinese name of a portal role (region_staff → 自治区工作人员).
std::string role_label(const std::string &role);

// The roles that may take `t` given the subject's recorded values (roles_by picks by the value
// of a parameter, e.g. the level a mine applied for) and the step's own parameters.
std::vector<std::string> roles_for(const Transition &t, const Json &values,
                                   const Json &params = Json::object());

// The steps allowed from `state` that `role` may take (all roles when empty), for a form:
// {event, label, to, to_label, roles, fields: [{name, label, type, required, values:
// [{value, label}]}]}.
Json next_steps(const Lifecycle &lc, const std::string &state, const Json &values,
                const std::string &role);

// The lifecycle as the portal reads it: states, steps, parameters with their labels.
Json describe(const Lifecycle &lc);

// Parses and validates one lifecycle; errors are InputErrors naming the file and JSON path.
Lifecycle parse_lifecycle(const Json &j, const std::string &file);
Lifecycle load_lifecycle(const std::string &path);
// Every *.json of `dir` by id (data/lifecycles when empty).
std::map<std::string, Lifecycle> load_lifecycles(const std::string &dir = "");
std::string default_lifecycles_dir();

// A subject's state: the replay of its steps.
struct SubjectState {
  std::string subject;
  std::string state;
  std::string since; // date the current state was entered (empty: from the initial state)
  bool from_register = false;
  std::vector<store::RegistryEvent> events;
  Json values = Json::object(); // the latest value of each parameter
  std::string deadline_name;
  std::string deadline_label;
  std::string deadline; // of the current state
  double balance = 0;
  std::string last_date; // of the last step
};

SubjectState replay(const Lifecycle &lc, const std::string &subject,
                    const std::vector<store::RegistryEvent> &events, const Mine *mine);

struct Step {
  std::string subject;
  std::string event;
  std::string date;
  std::string who;
  std::string role; // kSystemRole: a step the system takes on a register change
  Json params = Json::object();
  // Why the system took the step (recorded as data.trigger): the register change it answers.
  Json trigger = nullptr;
};

// Checks `step` against the lifecycle and the subject's recorded steps and records it.
// Returns the recorded event.
store::RegistryEvent apply_step(store::Store &store, const Lifecycle &lc, const Step &step);

// The current mine of `uid`, if any.
std::optional<Mine> current_mine(store::Store &store, const std::string &uid);
// The state of every subject with steps, plus (subject = mine) every mine the register starts
// in a state other than the initial one.
std::map<std::string, SubjectState> all_states(store::Store &store, const Lifecycle &lc,
                                               const std::vector<Mine> &mines);

Json to_json(const SubjectState &s);
Json to_json(const store::RegistryEvent &e);

} // namespace mineplan::registry
