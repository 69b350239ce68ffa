# The Debian package iop-kiosk_<version>_<arch>.deb (`.ci/package`): CPack's DEB generator over the
# install rules of config/install.cmake, run on an existing build (its binary is reused, stripped),
# with the maintainer scripts, conffiles and package documents of config/debian/.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME iop-kiosk)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})  # `cpack -D CPACK_PACKAGE_VERSION=...` for another
set(KIOSK_PACKAGE_MAINTAINER "IOP kiosk maintainers <maintainers@users.noreply.h-seed-de923fa0.example>"
    CACHE STRING "the Maintainer field of the Debian package")
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${KIOSK_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "lobby check-in kiosk for Intensive Outpatient Program clinics")
set(CPACK_PACKAGE_DESCRIPTION [[
The lobby terminal of an Intensive Outpatient Program clinic: participants
check in to their group sessions by scanning a QR card, and the confirmation
names nobody. Every check-in is saved on the kiosk before the screen confirms
it and waits in an outbox for the clinic's HL7 FHIR R4 server, so the kiosk
keeps working without a network.
.
It runs full screen under the cage compositor on tty1 as the user iop-kiosk
(iop-kiosk.service, not enabled on install). Write /etc/iop-kiosk/kiosk.toml,
check the box with `iop-kiosk doctor`, then `systemctl enable --now iop-kiosk`.]])
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)  # iop-kiosk_<version>_<arch>.deb
# Shared libraries through dpkg-shlibdeps; what the binary does not link but needs: cage (the
# unit's compositor) and Xwayland (cage 0.1.4 does not start without it), EGL and Mesa's drivers
# (SDL opens them at run time), systemd (sysusers, tmpfiles, the unit) and the PDF fallback font.
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "cage, xwayland, systemd, libegl1, libgl1-mesa-dri, fonts-dejavu-core")
# Installed into a staging DESTDIR with the prefix /usr, so that the rules writing to /etc
# (config/InstallSystemFiles.cmake) land in the package's /etc.
set(CPACK_SET_DESTDIR ON)
set(CPACK_INSTALL_PREFIX /usr)
# The binary is stripped as dh_strip does (install(PROGRAMS) is not, by CPACK_STRIP_FILES).
find_program(KIOSK_STRIP_PROGRAM strip REQUIRED)
set(CPACK_KIOSK_STRIP "${KIOSK_STRIP_PROGRAM}")
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${PROJECT_SOURCE_DIR}/config/debian/postinst
    ${PROJECT_SOURCE_DIR}/config/debian/prerm
    ${PROJECT_SOURCE_DIR}/config/debian/postrm
    ${PROJECT_SOURCE_DIR}/config/debian/conffiles)
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
# The staged tree made ready for Debian (config/debian/StagePackage.cmake): the binary stripped,
# its manual page (help2man, from --help), the changelog with the package's version, the
# copyright and the lintian overrides (each with its reason) added.
find_program(KIOSK_HELP2MAN_PROGRAM help2man)  # .ci/package says when it is missing
set(CPACK_KIOSK_HELP2MAN "${KIOSK_HELP2MAN_PROGRAM}")
set(CPACK_KIOSK_DEBIAN_SOURCE ${PROJECT_SOURCE_DIR}/config/debian)
set(CPACK_PRE_BUILD_SCRIPTS ${PROJECT_SOURCE_DIR}/config/debian/StagePackage.cmake)
include(CPack)
