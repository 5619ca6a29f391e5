#pragma once
// Accounts of the portal as use cases: who may make which account where, and which licence
// numbers (许可证号) a holder's account may be linked to by whom. The roles, their levels and
// the checks of an account live here; passwords and sessions are the server's.
#include "service/actor.hpp"

#include <functional>
#include <set>
#include <string>
#include <vector>

namespace mineplan::service {

bool is_role(const std::string &role);
bool is_staff(const std::string &role); // region_staff, league_staff, county_staff
const char *role_chinese(const std::string &role);

// Checks an account before it is stored: role known, jurisdiction a division of the right
// level for the role, holder name given for a holder, licences for a holder only, password
// long enough. InputError names the field.
void validate_account(const store::Account &account, const std::string &password,
                      const std::vector<Division> &divisions);

// Whether an account of role `creator` may make one of role `role`: staff make accounts below
// their own level only (region staff: league and county staff, reviewers, holders; league
// staff: county staff, reviewers, holders; county staff: reviewers, holders). Where is the
// caller's to check (within the creator's jurisdiction). The CLI, the bureau administrator's
// tool, makes any account.
bool may_create(const std::string &creator, const std::string &role);

// Where a licence number lies in the register: the jurisdictions of the rights and mines
// carrying it (by licence_key; current versions). InputError naming `field` when none does, or
// when the number is empty.
std::set<std::string> licence_places(const std::string &licence_no,
                                     const std::vector<Right> &rights,
                                     const std::vector<Mine> &mines, const std::string &field);

// What an account use case needs: the accounts, the register (to place licence numbers) and
// the division tree.
struct AccountDeps {
  store::Store &store;
  const std::vector<Right> &rights; // the current register
  const std::vector<Mine> &mines;
  const std::vector<Division> &divisions;
  const Places &places;
  std::string licence_field = "licences"; // how refusals name the licence numbers
};

// Forbidden unless the actor is staff (or the operator): "只有工作人员可以<what>".
void check_may_manage_accounts(const Actor &actor, const char *what);

// Makes the account, its password hashed by `hash` once everything is checked: staff below
// their own level and within their jurisdiction, licences they may link (Forbidden
// otherwise); the operator anywhere, licences the register knows. Returns the account as
// stored (id set, licences sorted and unique).
store::Account create_account(AccountDeps deps, const Actor &actor, store::Account account,
                              const std::string &password,
                              const std::function<std::string(const std::string &)> &hash);

// Staff link a licence only when everything carrying it in the register lies within their
// jurisdiction (invalid input naming `licences` when the register does not know it, Forbidden
// when it lies elsewhere); the operator links any licence the register knows. The links land
// in one transaction with their audit rows. Returns the licences newly linked.
std::vector<std::string> link_licences(AccountDeps deps, const Actor &actor,
                                       const std::string &username,
                                       const std::vector<std::string> &licences);

// Removes the links: staff of the licence's place or, for a licence the register no longer
// knows, staff over the account's own jurisdiction; the operator any. NotFound for a link
// that is not there (the portal) — the operator is told per licence. Returns the licences
// unlinked.
std::vector<std::string> unlink_licences(AccountDeps deps, const Actor &actor,
                                         const std::string &username,
                                         const std::vector<std::string> &licences);

// The holder's account of `username`: NotFound when there is none, invalid input when it is
// not a holder's.
store::Account holder_account(store::AccountStore &accounts, const std::string &username);

} // namespace mineplan::service
