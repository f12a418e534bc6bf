# Finds GSL and libconfig through pkg-config, failing with the Debian
# package to install rather than a bare "not found".
find_package(PkgConfig QUIET)
if(NOT PKG_CONFIG_FOUND)
  message(FATAL_ERROR "pkg-config not found: install the Debian package 'pkg-config' (apt-get install pkg-config)")
endif()

function(burnsim_require_pkg module debian_package)
  pkg_check_modules(${module} QUIET IMPORTED_TARGET ${ARGN})
  if(NOT ${module}_FOUND)
    message(FATAL_ERROR "${ARGN} not found by pkg-config: install the Debian package '${debian_package}' (apt-get install ${debian_package})")
  endif()
  message(STATUS "Found ${ARGN} ${${module}_VERSION}")
endfunction()

burnsim_require_pkg(GSL libgsl-dev gsl)
burnsim_require_pkg(LIBCONFIG libconfig-dev libconfig)

include(CheckTypeSize)
check_type_size("unsigned __int128" BURNSIM_UINT128)
if(NOT HAVE_BURNSIM_UINT128)
  message(FATAL_ERROR "the C compiler lacks 'unsigned __int128', which PCG64 needs; use GCC or Clang on a 64-bit target")
endif()

find_program(GNUPLOT_EXECUTABLE gnuplot)
if(NOT GNUPLOT_EXECUTABLE)
  message(STATUS "gnuplot not found: runs will write CSV without plots (install the Debian package 'gnuplot-nox')")
endif()

set(THREADS_PREFER_PTHREAD_FLAG ON)
find_package(Threads REQUIRED)

# MPI is optional: with it, `mpirun -n K burnsim sweep ...` spreads a
# campaign's runs over K ranks; without it, campaigns use threads only.
set(BURNSIM_MPI AUTO CACHE STRING "Build with MPI: AUTO (if found), ON (required) or OFF")
set_property(CACHE BURNSIM_MPI PROPERTY STRINGS AUTO ON OFF)
set(BURNSIM_HAVE_MPI OFF)
if(NOT BURNSIM_MPI STREQUAL "OFF")
  find_package(MPI COMPONENTS C QUIET)
  if(MPI_C_FOUND)
    set(BURNSIM_HAVE_MPI ON)
    message(STATUS "Found MPI ${MPI_C_VERSION}: campaigns can run over MPI ranks")
  elseif(BURNSIM_MPI STREQUAL "ON")
    message(FATAL_ERROR "MPI not found: install the Debian packages 'libopenmpi-dev openmpi-bin', or configure with -DBURNSIM_MPI=OFF")
  else()
    message(STATUS "MPI not found: campaigns run in threads only (install 'libopenmpi-dev openmpi-bin' for MPI)")
  endif()
endif()
