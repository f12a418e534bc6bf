# cmake/manpage.cmake - burnsim.1, the man page, made from burnsim's own help
# text so that the two never disagree.
# usage: cmake -DBURNSIM=path/to/burnsim -DOUTPUT=burnsim.1 -DVERSION=x.y.z -P manpage.cmake

function(help_of out)
  execute_process(COMMAND ${BURNSIM} ${ARGN} OUTPUT_VARIABLE text RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "${BURNSIM} ${ARGN} failed (${rc})")
  endif()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# Help text as roff: backslashes escaped, lines that would read as requests
# protected, hyphens as minus signs (so options can be searched and copied).
function(roff out text)
  string(REPLACE "\\" "\\e" text "${text}")
  string(REPLACE "-" "\\-" text "${text}")
  string(REGEX REPLACE "(^|\n)([.'])" "\\1\\\\&\\2" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

help_of(main --help)
string(REGEX MATCHALL "\n  ([a-z]+) " lines "${main}")
set(commands "")
foreach(line ${lines})
  string(STRIP "${line}" line)
  string(REGEX REPLACE " .*" "" name "${line}")
  list(APPEND commands ${name})
endforeach()

roff(main_roff "${main}")
set(page ".TH BURNSIM 1 \"\" \"burnsim ${VERSION}\" \"User Commands\"\n")
string(APPEND page ".SH NAME\nburnsim \\- simulate AI\\-compute incentive policies\n")
string(APPEND page ".SH SYNOPSIS\n.B burnsim\n.I command\n[\\fIoptions\\fR]\n")
string(APPEND page ".SH DESCRIPTION\n.nf\n${main_roff}.fi\n")
string(APPEND page ".SH COMMANDS\n")
foreach(cmd ${commands})
  help_of(text ${cmd} --help)
  roff(text "${text}")
  string(APPEND page ".SS ${cmd}\n.nf\n${text}.fi\n")
endforeach()
string(APPEND page ".SH ENVIRONMENT\n"
  ".TP\n.B BURNSIM_SCENARIOS_DIR\nwhere the bundled scenarios are (default: \\fIPREFIX\\fR/share/burnsim/scenarios)\n"
  ".TP\n.B BURNSIM_PLOTS_DIR\nwhere the gnuplot scripts are (default: \\fIPREFIX\\fR/share/burnsim/plots)\n"
  ".TP\n.B BURNSIM_GNUPLOT_TIMEOUT\nseconds each figure may take (300)\n"
  ".TP\n.B BURNSIM_PROGRESS_AFTER\nseconds before a run on a terminal shows its progress (1.5)\n")
string(APPEND page ".SH FILES\n"
  ".TP\n.I PREFIX/share/burnsim/scenarios/\nthe bundled scenarios (\\fBburnsim list\\fR)\n"
  ".TP\n.I PREFIX/share/burnsim/plots/\nthe gnuplot scripts of the figures\n")
file(WRITE "${OUTPUT}" "${page}")
