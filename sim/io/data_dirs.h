/* sim/io/data_dirs.h - where burnsim finds the files it ships with.
 *
 * The gnuplot scripts (plots/) and the bundled scenarios (scenarios/) are
 * looked for, in order:
 *   1. $BURNSIM_PLOTS_DIR or $BURNSIM_SCENARIOS_DIR, when set;
 *   2. installed beside the executable: PREFIX/share/burnsim/plots for
 *      PREFIX/bin/burnsim (cmake --install);
 *   3. in the source tree the executable was built from.
 */
#ifndef BURNSIM_DATA_DIRS_H
#define BURNSIM_DATA_DIRS_H

typedef enum sim_data_kind { SIM_DATA_PLOTS = 0, SIM_DATA_SCENARIOS = 1 } sim_data_kind;

/* The folder of kind, as a new string (free it), or NULL when out of
 * memory.  The folder is not checked to exist at the last step. */
char *sim_data_dir(sim_data_kind kind);

/* The environment variable that overrides the folder of kind. */
const char *sim_data_dir_variable(sim_data_kind kind);

#endif
