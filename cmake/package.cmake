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
# ---- the appliance package (component `appliance`): what turns a Debian machine into a kiosk.
# The programs alone (component `kiosk`) install on a staff workstation without taking tty1.
set(unit_of_lapor-kiosk lapor-kiosk.service)
set(unit_of_lapor-sync lapor-sync.service)
set(unit_of_kioskctl lapor-firstboot.service lapor-doctor.service lapor-doctor.timer)
foreach(program kioskctl lapor-kiosk lapor-sync)
  if(TARGET ${program})
    list(TRANSFORM unit_of_${program} PREPEND ${CMAKE_SOURCE_DIR}/image/systemd/)
    install(FILES ${unit_of_${program}} DESTINATION ${LAPOR_UNIT_DIR} COMPONENT appliance)
  endif()
endforeach()
# The node exporter (a Recommends; the image installs it) listens where [metrics] says.
install(FILES ${CMAKE_SOURCE_DIR}/image/systemd/prometheus-node-exporter.service.d/50-lapor-kiosk.conf
        DESTINATION ${LAPOR_UNIT_DIR}/prometheus-node-exporter.service.d COMPONENT appliance)
install(PROGRAMS ${CMAKE_SOURCE_DIR}/image/firstboot/lapor-firstboot
        DESTINATION ${CMAKE_INSTALL_LIBEXECDIR}/lapor-kiosk RENAME firstboot COMPONENT appliance)
install(FILES ${CMAKE_SOURCE_DIR}/image/udev/60-lapor-kiosk.rules
        DESTINATION lib/udev/rules.d COMPONENT appliance)
install(FILES ${CMAKE_SOURCE_DIR}/image/package/lapor-kiosk.sysusers
        DESTINATION lib/sysusers.d RENAME lapor-kiosk.conf COMPONENT appliance)
install(FILES ${CMAKE_SOURCE_DIR}/image/package/lapor-kiosk.tmpfiles
        DESTINATION lib/tmpfiles.d RENAME lapor-kiosk.conf COMPONENT appliance)
# The two services share one store in a sticky, group-writable folder; Debian's
# fs.protected_regular = 2 would make SQLite open it read-only in the second service.
install(FILES ${CMAKE_SOURCE_DIR}/image/lockdown/sysctl.d/99-zz-lapor-shared-data.conf
        DESTINATION lib/sysctl.d COMPONENT appliance)

# ---- Debian policy files for both packages: DEP-5 copyright, changelog (a native package:
# changelog.gz, gzip -n for reproducibility), lintian overrides with their reasons.
set(lapor_changelog_gz ${CMAKE_BINARY_DIR}/package-doc/changelog.gz)
add_custom_command(
  OUTPUT ${lapor_changelog_gz}
  COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/package-doc
  COMMAND sh -c "gzip -9nc '${CMAKE_SOURCE_DIR}/image/package/changelog' > '${lapor_changelog_gz}'"
  DEPENDS ${CMAKE_SOURCE_DIR}/image/package/changelog
  VERBATIM)
add_custom_target(package_changelog ALL DEPENDS ${lapor_changelog_gz})
foreach(component kiosk appliance)
  set(package_of_kiosk lapor-kiosk)
  set(package_of_appliance lapor-kiosk-appliance)
  set(pkg ${package_of_${component}})
  install(FILES ${CMAKE_SOURCE_DIR}/image/package/copyright ${lapor_changelog_gz}
          DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/${pkg} COMPONENT ${component})
  install(FILES ${CMAKE_SOURCE_DIR}/image/package/${pkg}.lintian-overrides
          DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME ${pkg} COMPONENT ${component})
endforeach()
foreach(doc technician.md config.md)
  if(EXISTS ${CMAKE_SOURCE_DIR}/docs/${doc})
    install(FILES ${CMAKE_SOURCE_DIR}/docs/${doc} DESTINATION ${CMAKE_INSTALL_DATADIR}/doc/lapor-kiosk
            COMPONENT kiosk)
  endif()
endforeach()

# ---- CPack: two Debian packages from one build, both <name>_<version>_<arch>.deb:
#   lapor-kiosk            the programs, their data, man pages (amd64; a staff workstation too)
#   lapor-kiosk-appliance  units, first boot, udev rules, service user (all; only on a kiosk)
set(CPACK_GENERATOR DEB)
set(CPACK_DEB_COMPONENT_INSTALL ON)
set(CPACK_COMPONENTS_ALL kiosk appliance)
set(CPACK_PACKAGE_NAME lapor-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_CONTACT "LAPOR! Kiosk maintainers <kiosk@lapor.invalid>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_HOMEPAGE "https://www.lapor.go.id/")

set(CPACK_DEBIAN_KIOSK_PACKAGE_NAME lapor-kiosk)
set(CPACK_DEBIAN_KIOSK_PACKAGE_ARCHITECTURE amd64)
set(CPACK_DEBIAN_KIOSK_PACKAGE_SHLIBDEPS ON)
set(CPACK_COMPONENT_KIOSK_DESCRIPTION
    "LAPOR! public-service complaint kiosk: programs
The programs of the LAPOR! Kiosk, where citizens file complaints to the
Indonesian national complaint system on a touch screen: the full-screen
touch UI (lapor-kiosk), the upload worker (lapor-sync) and the technician
and staff command line (kioskctl), with message catalogs, the agency catalog
and printer profiles.
.
On its own this package changes nothing on the machine (no services, no
users): staff use kioskctl on an ordinary workstation. The
lapor-kiosk-appliance package turns a machine into a kiosk.")
# Beyond the shared libraries dpkg-shlibdeps finds: the UI's font, CA certificates for uploads,
# mtools for writing provisioning bundles.
set(CPACK_DEBIAN_KIOSK_PACKAGE_DEPENDS "fonts-noto-core, ca-certificates, mtools")

set(CPACK_DEBIAN_APPLIANCE_PACKAGE_NAME lapor-kiosk-appliance)
set(CPACK_DEBIAN_APPLIANCE_PACKAGE_ARCHITECTURE all)
set(CPACK_COMPONENT_APPLIANCE_DESCRIPTION
    "LAPOR! public-service complaint kiosk: appliance setup
Turns a Debian machine into a LAPOR! Kiosk: the units that run the touch UI
full screen on tty1 (KMSDRM) and the upload worker, first-boot provisioning
from a KIOSKCFG stick, the boot health check, udev rules for USB
printer-class devices and touch screens, and the lapor service user.
.
The units are enabled on the first install and start at the next boot.
Do not install this on a workstation.")
# Mesa for KMSDRM (GBM/EGL/GLES, llvmpipe where there is no GPU), systemd for units and users,
# init-system-helpers for deb-systemd-helper (enable state kept across upgrades).
set(CPACK_DEBIAN_APPLIANCE_PACKAGE_DEPENDS
    "lapor-kiosk (= ${PROJECT_VERSION}), systemd (>= 252), udev, init-system-helpers (>= 1.54), libgl1-mesa-dri, libegl1, libegl-mesa0, libgles2, libgbm1, libdrm2")
set(CPACK_DEBIAN_APPLIANCE_PACKAGE_RECOMMENDS "systemd-timesyncd, prometheus-node-exporter")
set(CPACK_DEBIAN_APPLIANCE_PACKAGE_CONTROL_EXTRA
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
