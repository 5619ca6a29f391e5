// mineplan user add|list DB …: portal accounts; mineplan audit DB [--tail N]: verify the audit
// log's hash chain and show its newest rows.
#include "cli/commands.hpp"
#include "cli/options.hpp"
#include "server/accounts.hpp"
#include "store/store.hpp"

#include <cstdio>
#include <iostream>
#include <unistd.h>

namespace mineplan::cli {

int cmd_user(const Args &args) {
  Options o(args,
            "mineplan user add DB --username U --role R --jurisdiction CODE [--holder NAME] "
            "[--display-name N]  (password on stdin) | mineplan user list DB",
            {}, {"username", "role", "jurisdiction", "holder", "display-name"});
  const std::string &verb = o.positional(0, "add or list");
  const std::string &db = o.positional(1, "DB (the store)");
  o.expect_positionals(2);
  auto st = store::Store::open(db, verb == "list" ? store::Access::read : store::Access::write);
  st->set_actor({"cli:" + std::string(getlogin() ? getlogin() : "admin"), "cli"});
  if (verb == "list") {
    for (const auto &a : st->accounts())
      std::printf("%-20s %-14s %-8s %s%s\n", a.username.c_str(), a.role.c_str(),
                  a.jurisdiction.c_str(), a.display_name.c_str(),
                  a.holder.empty() ? "" : (" (" + a.holder + ")").c_str());
    return 0;
  }
  if (verb != "add") o.fail("expected add or list, found '" + verb + "'");
  store::Account a;
  auto need = [&](const char *key) {
    auto v = o.value(key);
    if (!v) o.fail(std::string("--") + key + " is required");
    return *v;
  };
  a.username = need("username");
  a.role = need("role");
  a.jurisdiction = need("jurisdiction");
  a.holder = o.value("holder").value_or("");
  a.display_name = o.value("display-name").value_or(a.username);
  std::string password;
  std::getline(std::cin, password);
  if (!password.empty() && password.back() == '\r') password.pop_back();
  server::validate_account(a, password, st->divisions());
  a.password_hash = server::hash_password(password);
  st->add_account(a);
  std::printf("account %s (%s, %s) added\n", a.username.c_str(), server::role_chinese(a.role),
              a.jurisdiction.c_str());
  return 0;
}

int cmd_audit(const Args &args) {
  Options o(args, "mineplan audit DB [--tail N]", {}, {"tail"});
  const std::string &db = o.positional(0, "DB (the store)");
  o.expect_positionals(1);
  int tail = 0;
  if (auto t = o.value("tail")) tail = std::max(0, std::atoi(t->c_str()));
  auto st = store::Store::open(db, store::Access::read);
  auto check = st->verify_audit();
  if (tail > 0) {
    std::int64_t from = std::max<std::int64_t>(0, check.rows - tail);
    for (const auto &e : st->audit_entries(from, tail))
      std::printf("%6lld %s %-24s %-14s %-16s %s\n", static_cast<long long>(e.id), e.at.c_str(),
                  e.who.c_str(), e.role.c_str(), e.action.c_str(), e.target.c_str());
  }
  if (!check.ok) {
    std::printf("审计日志校验失败 audit log FAILS verification: %s\n", check.problem.c_str());
    return 1;
  }
  std::printf("审计日志完整 audit log verified: %lld rows, hash chain intact\n",
              static_cast<long long>(check.rows));
  return 0;
}

MINEPLAN_COMMAND("user", cmd_user,
                 "mineplan user add DB --username U --role R --jurisdiction CODE [--holder NAME] "
                 "[--display-name N] | mineplan user list DB",
                 "portal accounts (password on stdin; argon2id)");
MINEPLAN_COMMAND("audit", cmd_audit, "mineplan audit DB [--tail N]",
                 "verify the audit log's hash chain; exit 1 when it was tampered with");

} // namespace mineplan::cli
