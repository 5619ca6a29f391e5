#pragma once
// Each `mineplan` sub-command is one function taking its own arguments (after the command
// name). It prints to stdout, reports errors by throwing, and returns the exit code.
// A command registers itself from its own file (MINEPLAN_COMMAND below), so adding one needs
// no edit anywhere else.
#include <map>
#include <string>
#include <vector>

namespace mineplan::cli {

using Args = std::vector<std::string>;
using CommandFn = int (*)(const Args &);

struct Command {
  CommandFn run;
  const char *usage;
  const char *summary;
};

// All registered commands by name.
std::map<std::string, Command> &command_registry();

struct CommandRegistration {
  CommandRegistration(const char *name, CommandFn run, const char *usage, const char *summary) {
    command_registry()[name] = Command{run, usage, summary};
  }
};

} // namespace mineplan::cli

#define MINEPLAN_CONCAT_INNER(a, b) a##b
#define MINEPLAN_CONCAT(a, b) MINEPLAN_CONCAT_INNER(a, b)
// MINEPLAN_COMMAND("name", function, "usage", "summary"); at namespace scope in the command's file.
#define MINEPLAN_COMMAND(name, fn, usage, summary)                                                 \
  static const ::mineplan::cli::CommandRegistration MINEPLAN_CONCAT(mineplan_command_, __LINE__)(  \
      name, fn, usage, summary)
