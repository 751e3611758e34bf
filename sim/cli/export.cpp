// pocsim export: any file pocsim writes as one tidy CSV (io/export.hpp).
#include <filesystem>
#include <iostream>
#include <stdexcept>

#include <boost/program_options.hpp>

#include "cli/commands.hpp"
#include "cli/shared.hpp"
#include "io/export.hpp"
#include "io/hdf5.hpp"

namespace pocsim::cli {

namespace po = boost::program_options;

int command_export(const std::vector<std::string>& args, const std::string&) {
  std::string output;
  std::vector<std::string> groups;
  bool csv = false, force = false;
  po::options_description opts(
      "Usage: pocsim export FILE --csv [-o FILE.csv] [--group GROUP]... [--force]\n\n"
      "Writes a run, comparison, explanation or sweep store as one tidy CSV (long format): a row per value, with\n"
      "the dataset, its units, its coordinate along each of its dimensions (step, region, option, run, ...;\n"
      "one column per dimension name, empty where a dataset does not have it) and the value. Without --group,\n"
      "every group but the grid snapshots (a row per cell: --group snapshots).\n\nOptions");
  opts.add_options()("help,h", "show this help")("csv", po::bool_switch(&csv), "write CSV (the one format so far)")
      ("output,o", po::value(&output), "the CSV (default: FILE with .long.csv)")
      ("group", po::value(&groups)->composing(), "only the datasets under this group (repeatable; / the whole file)")
      ("force", po::bool_switch(&force), "overwrite the CSV if it exists");
  const po::variables_map vm = parse(args, opts, "file", po::value<std::string>(), 1, "export");
  if (vm.count("help")) {
    std::cout << opts << "\nExample:\n  pocsim export results/mali.h5 --csv --group economy --group violence -o mali.csv\n";
    return exit_ok;
  }
  if (!vm.count("file")) throw UsageError("no file given", "write 'pocsim export FILE.h5 --csv'");
  if (!csv) throw UsageError("no format chosen", "add --csv (the one format so far)");
  const std::string file = vm["file"].as<std::string>();
  if (!std::filesystem::is_regular_file(file)) throw UsageError(file + " is not a file", "name an HDF5 file written by pocsim");
  // Not FILE.csv: compare and explain write their tables there.
  const std::string wanted = output.empty() ? std::filesystem::path(file).replace_extension(".long.csv").string() : output;
  const std::string target = checked_output(wanted, wanted, {}, force);
  std::string text;
  try {
    text = io::export_csv(file, groups);
  } catch (const io::Hdf5Error& e) {
    throw UsageError(file + ": " + e.what(), "name an HDF5 file written by pocsim, complete and undamaged");
  } catch (const std::invalid_argument& e) {
    throw UsageError(e.what(), "name a group the file has (h5ls FILE lists them), or leave --group out");
  }
  write_text_file(target, text);
  return exit_ok;
}

}  // namespace pocsim::cli
