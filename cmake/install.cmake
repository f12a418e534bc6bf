# cmake/install.cmake - what `cmake --install` puts where:
#   bin/burnsim
#   share/burnsim/plots/        the gnuplot scripts (found from bin/ by sim/io/data_dirs.c)
#   share/burnsim/scenarios/    the bundled scenarios (burnsim run NAME, burnsim list)
#   share/man/man1/burnsim.1    the man page, made from the help text at build time
#   share/bash-completion/completions/burnsim
include(GNUInstallDirs)

set(BURNSIM_MAN_PAGE ${CMAKE_BINARY_DIR}/burnsim.1)
add_custom_command(
  OUTPUT ${BURNSIM_MAN_PAGE}
  COMMAND ${CMAKE_COMMAND} -DBURNSIM=$<TARGET_FILE:burnsim> -DOUTPUT=${BURNSIM_MAN_PAGE}
          -DVERSION=${PROJECT_VERSION} -P ${CMAKE_SOURCE_DIR}/cmake/manpage.cmake
  DEPENDS burnsim ${CMAKE_SOURCE_DIR}/cmake/manpage.cmake
  COMMENT "Writing the man page from burnsim's help")
add_custom_target(burnsim_man ALL DEPENDS ${BURNSIM_MAN_PAGE})

install(TARGETS burnsim RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
install(DIRECTORY ${CMAKE_SOURCE_DIR}/plots/ DESTINATION ${CMAKE_INSTALL_DATADIR}/burnsim/plots
        FILES_MATCHING PATTERN "*.gp" PATTERN "README.md")
install(DIRECTORY ${CMAKE_SOURCE_DIR}/scenarios/ DESTINATION ${CMAKE_INSTALL_DATADIR}/burnsim/scenarios
        FILES_MATCHING PATTERN "*.cfg")
install(FILES ${BURNSIM_MAN_PAGE} DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
install(FILES ${CMAKE_SOURCE_DIR}/sim/cli/burnsim.bash DESTINATION ${CMAKE_INSTALL_DATADIR}/bash-completion/completions
        RENAME burnsim)
