#pragma once
// Each `mineplan` sub-command is one function taking its own arguments (after the command
// name). It prints to stdout, reports errors by throwing, and returns the exit code.
#include <string>
#include <vector>

namespace mineplan::cli {

using Args = std::vector<std::string>;

int cmd_init(const Args &args);
int cmd_coords(const Args &args);
int cmd_import(const Args &args);
int cmd_export(const Args &args);
int cmd_plans(const Args &args);
int cmd_show(const Args &args);

} // namespace mineplan::cli
