#include "service/accounts.hpp"

#include "core/error.hpp"
#include "core/vocabulary.hpp"
#include "io/vocabulary_loader.hpp"

#include <algorithm>

namespace mineplan::service {

bool is_role(const std::string &role) { return try_parse<Role>(role).has_value(); }

bool is_staff(const std::string &role) {
  return role == "region_staff" || role == "league_staff" || role == "county_staff";
}

// The label in data/vocabulary.json ("roles"); the vocabulary lives as long as the process.
const char *role_chinese(const std::string &role) {
  if (const Term *t = io::vocabulary().find("roles", role)) return t->label.c_str();
  return "公众";
}

void validate_account(const store::Account &a, const std::string &password,
                      const std::vector<Division> &divisions) {
  auto fail = [](const std::string &field, const std::string &msg) {
    throw InputError("account", 0, field, msg);
  };
  if (a.username.empty() || a.username.size() > 64 ||
      !std::all_of(a.username.begin(), a.username.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.';
      }))
    fail("username", "expected 1–64 characters of a–z, 0–9, '_', '-', '.'");
  if (!is_role(a.role))
    fail("role", "expected region_staff, league_staff, county_staff, reviewer or holder, found '" +
                     a.role + "'");
  const Division *d = nullptr;
  for (const auto &x : divisions)
    if (x.code == a.jurisdiction) d = &x;
  if (!d) fail("jurisdiction", "'" + a.jurisdiction + "' is not a division code of the store");
  if (a.role == "region_staff" && d->level != "region")
    fail("jurisdiction", "region staff belong to the region (150000), not " + d->name);
  if (a.role == "league_staff" && d->level != "league")
    fail("jurisdiction", "league staff belong to a league or city, not " + d->name);
  if (a.role == "county_staff" && d->level != "county")
    fail("jurisdiction", "county staff belong to a county (banner), not " + d->name);
  if (a.role == "holder" && a.holder.empty())
    fail("holder", "a right holder's account names the holder (矿业权人) it acts for");
  if (a.role != "holder" && !a.licences.empty())
    fail("licences",
         "只有矿业权人账户关联矿业权 (licences are linked to a holder's account only, not to " +
             a.role + ")");
  if (password.size() < 10)
    fail("password",
         "expected at least 10 characters (" + std::to_string(password.size()) + " given)");
}

namespace {

// Staff levels: an account makes accounts of a lower level only.
int role_level(const std::string &role) {
  if (role == "region_staff") return 3;
  if (role == "league_staff") return 2;
  if (role == "county_staff") return 1;
  return 0; // reviewer, holder
}

// Staff link a licence only when everything carrying it in the register lies within their
// jurisdiction: invalid input when the register does not know it, Forbidden when it lies
// elsewhere. The operator links any licence the register knows.
void check_licence(const AccountDeps &deps, const Actor &actor, const std::string &licence_no) {
  std::set<std::string> places;
  try {
    places = licence_places(licence_no, deps.rights, deps.mines, deps.licence_field);
  } catch (const InputError &e) {
    if (actor.everywhere) throw;
    throw Refusal(ErrorKind::invalid_input, e.detail(), e.field());
  }
  if (actor.everywhere) return;
  for (const auto &place : places)
    if (!deps.places.within(place, actor.jurisdiction))
      throw Forbidden("许可证号 " + licence_no + " 的矿业权位于" + deps.places.name(place) + "（" +
                          place + "），不在本账户管辖范围" + deps.places.name(actor.jurisdiction) +
                          "（" + actor.jurisdiction +
                          "）内 (the licence lies outside your jurisdiction)",
                      "licences");
}

} // namespace

void check_may_manage_accounts(const Actor &actor, const char *what) {
  if (actor.everywhere || actor.staff()) return;
  throw Forbidden(std::string("只有工作人员可以").append(what).append(" (staff only)"));
}

bool may_create(const std::string &creator, const std::string &role) {
  return is_staff(creator) && is_role(role) && role_level(role) < role_level(creator);
}

std::set<std::string> licence_places(const std::string &licence_no,
                                     const std::vector<Right> &rights,
                                     const std::vector<Mine> &mines, const std::string &field) {
  if (licence_no.empty())
    throw InputError("account", 0, field, "许可证号不能为空 (expected a licence number)");
  std::set<std::string> places;
  for (const auto &r : rights)
    if (licence_key(r) == licence_no) places.insert(r.jurisdiction);
  for (const auto &m : mines)
    if (licence_key(m) == licence_no) places.insert(m.jurisdiction);
  if (places.empty())
    throw InputError("account", 0, field,
                     "许可证号 " + licence_no +
                         " 不在矿业权登记中 (no right or mine in the "
                         "register carries licence number '" +
                         licence_no + "')");
  return places;
}

store::Account holder_account(store::AccountStore &accounts, const std::string &username) {
  auto a = accounts.account(username);
  if (!a) throw NotFound("没有该账户 (no account '" + username + "')", "username");
  if (a->role != "holder")
    throw Refusal(ErrorKind::invalid_input,
                  "只有矿业权人账户关联矿业权 ('" + username + "' is a " + a->role +
                      " account, not a holder's)",
                  "username");
  return *a;
}

store::Account create_account(AccountDeps deps, const Actor &actor, store::Account a,
                              const std::string &password,
                              const std::function<std::string(const std::string &)> &hash) {
  check_may_manage_accounts(actor, "创建账户");
  if (actor.everywhere) {
    // The operator: the licences are checked against the register before the account.
    for (const auto &licence : a.licences)
      check_licence(deps, actor, licence);
  }
  validate_account(a, password, deps.divisions);
  if (!actor.everywhere) {
    // Below one's own level only, and within one's jurisdiction.
    if (!may_create(actor.role, a.role))
      throw Forbidden(std::string("只能创建低于本账户级别的账户（") + role_chinese(actor.role) +
                          "不能创建" + role_chinese(a.role) + "账户）(" + actor.role +
                          " makes accounts below its own level only)",
                      "role");
    if (!deps.places.within(a.jurisdiction, actor.jurisdiction))
      throw Forbidden("只能在本账户管辖范围" + deps.places.name(actor.jurisdiction) + "（" +
                          actor.jurisdiction + "）内创建账户 (you make accounts only within " +
                          actor.jurisdiction + ")",
                      "jurisdiction");
    for (const auto &licence : a.licences)
      check_licence(deps, actor, licence);
  }
  std::sort(a.licences.begin(), a.licences.end());
  a.licences.erase(std::unique(a.licences.begin(), a.licences.end()), a.licences.end());
  a.password_hash = hash(password);
  deps.store.set_actor(actor.audit_actor());
  a.id = deps.store.add_account(a);
  return a;
}

std::vector<std::string> link_licences(AccountDeps deps, const Actor &actor,
                                       const std::string &username,
                                       const std::vector<std::string> &licences) {
  check_may_manage_accounts(actor, "关联矿业权");
  if (!actor.everywhere) holder_account(deps.store, username);
  for (const auto &licence : licences)
    check_licence(deps, actor, licence);
  std::vector<std::string> linked;
  deps.store.set_actor(actor.audit_actor());
  deps.store.in_transaction([&] {
    for (const auto &licence : licences)
      if (deps.store.link_licence(username, licence)) linked.push_back(licence);
  });
  return linked;
}

std::vector<std::string> unlink_licences(AccountDeps deps, const Actor &actor,
                                         const std::string &username,
                                         const std::vector<std::string> &licences) {
  check_may_manage_accounts(actor, "解除关联");
  if (!actor.everywhere) {
    store::Account a = holder_account(deps.store, username);
    for (const auto &licence_no : licences) {
      if (std::find(a.licences.begin(), a.licences.end(), licence_no) == a.licences.end())
        throw NotFound("该账户未关联许可证号 " + licence_no + " (the licence is not linked to '" +
                           username + "')",
                       "licences");
      // Staff of the licence's place; a licence the register no longer knows, staff over the
      // account's own jurisdiction.
      bool known = true;
      try {
        licence_places(licence_no, deps.rights, deps.mines, "licences");
      } catch (const InputError &) {
        known = false;
      }
      if (known) {
        check_licence(deps, actor, licence_no);
      } else if (!deps.places.within(a.jurisdiction, actor.jurisdiction)) {
        throw Forbidden("该账户不在本账户管辖范围内 (the account lies outside your jurisdiction)",
                        "jurisdiction");
      }
    }
  }
  std::vector<std::string> unlinked;
  deps.store.set_actor(actor.audit_actor());
  deps.store.in_transaction([&] {
    for (const auto &licence : licences)
      if (deps.store.unlink_licence(username, licence)) unlinked.push_back(licence);
  });
  return unlinked;
}

} // namespace mineplan::service
