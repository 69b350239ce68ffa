# `cmake --install build --prefix /usr`: the kiosk as `iop-kiosk`, its run-time assets in
# <prefix>/share/iop-kiosk/assets (found by kiosk/platform/AssetPaths.cpp next to the binary),
# the systemd unit, sysusers.d/tmpfiles.d/PAM files and the example configuration.
include(GNUInstallDirs)

# Installed as iop-kiosk: "kiosk" is too generic a name for /usr/bin and would not say whose it
# is; the build tree keeps bin/kiosk, which every test and the developer docs use.
install(PROGRAMS $<TARGET_FILE:kiosk> DESTINATION ${CMAKE_INSTALL_BINDIR} RENAME iop-kiosk)

set(KIOSK_SHARE_ASSETS ${CMAKE_INSTALL_DATADIR}/iop-kiosk/assets)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/fonts DESTINATION ${KIOSK_SHARE_ASSETS})
install(DIRECTORY ${PROJECT_SOURCE_DIR}/assets/demo DESTINATION ${KIOSK_SHARE_ASSETS}
        PATTERN "*.py" EXCLUDE PATTERN "__pycache__" EXCLUDE)
# The compiled catalogues (kiosk/app builds them into <build>/i18n); the .po sources stay behind.
install(DIRECTORY ${CMAKE_BINARY_DIR}/i18n/ DESTINATION ${KIOSK_SHARE_ASSETS}/i18n
        FILES_MATCHING PATTERN "*.mo")

# The udev rule that gives the wedge scanner to the kiosk's user: an example to fill in with the
# scanner's name and copy to /etc/udev/rules.d (README, "The barcode scanner").
install(FILES ${PROJECT_SOURCE_DIR}/config/udev/70-iop-kiosk-scanner.rules
        DESTINATION ${CMAKE_INSTALL_DATADIR}/iop-kiosk/udev)

# systemd looks in <prefix>/lib/... for /usr and /usr/local alike.
set(KIOSK_SYSTEMD_LIBDIR "lib" CACHE STRING "where systemd's unit, sysusers.d and tmpfiles.d live, relative to the prefix")
install(FILES ${PROJECT_SOURCE_DIR}/config/sysusers.d/iop-kiosk.conf
        DESTINATION ${KIOSK_SYSTEMD_LIBDIR}/sysusers.d)
install(FILES ${PROJECT_SOURCE_DIR}/config/tmpfiles.d/iop-kiosk.conf
        DESTINATION ${KIOSK_SYSTEMD_LIBDIR}/tmpfiles.d)

find_program(KIOSK_CAGE_PROGRAM cage PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT KIOSK_CAGE_PROGRAM)
  set(KIOSK_CAGE_PROGRAM /usr/bin/cage)  # Debian's package `cage`; installed on the kiosk box
endif()
# The unit names absolute paths that depend on the prefix given to `cmake --install --prefix`,
# so it is written at install time (config/InstallSystemFiles.cmake), not at configure time.
install(CODE "
  set(KIOSK_CONFIG_SOURCE \"${PROJECT_SOURCE_DIR}/config\")
  set(KIOSK_STAGING_DIR \"${CMAKE_BINARY_DIR}/config\")
  set(KIOSK_CAGE \"${KIOSK_CAGE_PROGRAM}\")
  set(KIOSK_BINDIR \"${CMAKE_INSTALL_BINDIR}\")
  set(KIOSK_SYSTEMD_LIBDIR \"${KIOSK_SYSTEMD_LIBDIR}\")
")
install(SCRIPT ${PROJECT_SOURCE_DIR}/config/InstallSystemFiles.cmake)
