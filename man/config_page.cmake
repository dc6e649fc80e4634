# cmake -P script: kiosk.toml.5.scd = kiosk.toml.5.scd.in with the version and docs/config.md
# converted to scdoc (config_md_to_scd.awk).
cmake_minimum_required(VERSION 3.25)
execute_process(COMMAND ${AWK} -f ${CMAKE_CURRENT_LIST_DIR}/config_md_to_scd.awk ${SRC}/docs/config.md
                OUTPUT_VARIABLE CONFIG_BODY RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "config_md_to_scd.awk failed on docs/config.md")
endif()
file(READ ${CMAKE_CURRENT_LIST_DIR}/kiosk.toml.5.scd.in frame)
string(REPLACE "@PROJECT_VERSION@" "${VERSION}" frame "${frame}")
string(REPLACE "@CONFIG_BODY@" "${CONFIG_BODY}" frame "${frame}")
file(WRITE ${OUT} "${frame}")
