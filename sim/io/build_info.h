/* sim/io/build_info.h - what was built: version and source revision. */
#ifndef BURNSIM_BUILD_INFO_H
#define BURNSIM_BUILD_INFO_H

extern const char *const burnsim_version;
/** git describe of the source tree at build time ("unknown" outside git). */
extern const char *const burnsim_git_revision;

#endif
