# Install rules for every program and its data, and the Debian package (CPack DEB):
#   make package   ->  build/package/lapor-kiosk_<version>_amd64.deb
# Programs that do not exist yet are skipped and picked up when their target lands.
# The package build must set LAPOR_SHARE_DIR=/usr/share/lapor-kiosk (the Makefile does), so the
# programs find po/ and data/ where this installs them.
include(GNUInstallDirs)

set(LAPOR_PACKAGE_SHARE "${CMAKE_INSTALL_DATADIR}/lapor-kiosk")
set(LAPOR_UNIT_DIR "lib/systemd/system")

# The kiosk's programs.
foreach(program kioskctl lapor-kiosk lapor-sync)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT kiosk)
  endif()
endforeach()
# Lab and development tools: `cmake --install BUILD --component lab`; not in the kiosk package.
foreach(program lapor-lab lapor-vprinter)
  if(TARGET ${program})
    install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR} COMPONENT lab
            EXCLUDE_FROM_ALL)
  endif()
endforeach()

# Data exactly as kiosk/ holds it in the source tree: po/ (message catalogs), data/ (agency
# catalog, printer profiles).
install(DIRECTORY ${CMAKE_SOURCE_DIR}/kiosk/po ${CMAKE_SOURCE_DIR}/kiosk/data
        DESTINATION ${LAPOR_PACKAGE_SHARE} COMPONENT kiosk)
# systemd units, only for the programs that exist (the first-boot unit needs kioskctl).
set(unit_of_lapor-kiosk lapor-kiosk.service)
set(unit_of_lapor-sync lapor-sync.service)
set(unit_of_kioskctl lapor-firstboot.service lapor-doctor.service lapor-doctor.timer)
foreach(program kioskctl lapor-kiosk lapor-sync)
  if(TARGET ${program})
    list(TRANSFORM unit_of_${program} PREPEND ${CMAKE_SOURCE_DIR}/image/systemd/)
    install(FILES ${unit_of_${program}} DESTINATION ${LAPOR_UNIT_DIR} COMPONENT kiosk)
  endif()
endforeach()
install(PROGRAMS ${CMAKE_SOURCE_DIR}/image/firstboot/lapor-firstboot
        DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/lapor-kiosk RENAME firstboot COMPONENT kiosk)
install(FILES ${CMAKE_SOURCE_DIR}/image/udev/60-lapor-kiosk.rules
        DESTINATION lib/udev/rules.d COMPONENT kiosk)
install(FILES ${CMAKE_SOURCE_DIR}/image/package/lapor-kiosk.sysusers
        DESTINATION lib/sysusers.d RENAME lapor-kiosk.conf COMPONENT kiosk)
install(FILES ${CMAKE_SOURCE_DIR}/image/package/lapor-kiosk.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME lapor-kiosk.conf COMPONENT kiosk)
foreach(doc technician.md config.md)
  if(EXISTS ${CMAKE_SOURCE_DIR}/docs/${doc})
    install(FILES ${CMAKE_SOURCE_DIR}/docs/${doc} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/lapor-kiosk
            COMPONENT kiosk)
  endif()
endforeach()

# ---- CPack: one Debian package, lapor-kiosk_<version>_amd64.deb
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME lapor-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "LAPOR! Kiosk maintainers <kiosk@lapor.invalid>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "LAPOR! public-service complaint kiosk: touch UI, upload worker, kioskctl")
set(CPACK_PACKAGE_DESCRIPTION
    "Fullscreen touch kiosk (SDL2 on KMSDRM) where citizens file complaints to LAPOR!, with\n\
receipt printing, a durable SQLite store, the upload worker and the technician CLI.")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_COMPONENTS_ALL kiosk)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Beyond the shared libraries dpkg-shlibdeps finds: fonts, Mesa for KMSDRM (GBM/EGL/GLES,
# llvmpipe where there is no GPU), systemd for the units and users, mtools for provisioning.
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "systemd (>= 252), udev, fonts-noto-core, libgl1-mesa-dri, libegl1, libegl-mesa0, libgles2, libgbm1, libdrm2, ca-certificates, mtools")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd-timesyncd")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_SOURCE_DIR}/image/package/postinst ${CMAKE_SOURCE_DIR}/image/package/prerm
    ${CMAKE_SOURCE_DIR}/image/package/postrm)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_STRIP_FILES ON)
set(CPACK_OUTPUT_FILE_PREFIX ${CMAKE_BINARY_DIR})
# Refuse to package a build that reads its data from the source tree.
set(LAPOR_PACKAGE_EXPECTED_SHARE "/usr/share/lapor-kiosk")
configure_file(${CMAKE_SOURCE_DIR}/image/package/check_share_dir.cmake.in
               ${CMAKE_BINARY_DIR}/lapor_check_share_dir.cmake @ONLY)
set(CPACK_PRE_BUILD_SCRIPTS ${CMAKE_BINARY_DIR}/lapor_check_share_dir.cmake)
include(CPack)
