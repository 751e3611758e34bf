#include <string>
#include <vector>

#include "cli/commands.hpp"

int main(int argc, char** argv) { return pocsim::cli::run_main(std::vector<std::string>(argv + 1, argv + argc)); }
