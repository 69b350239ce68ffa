# Runs inside `cmake --install`: writes the systemd unit with the install prefix's paths and puts
# the files that live under /etc (example config, PAM service) in place. A clinic's own
# <sysconfdir>/iop-kiosk/kiosk.toml is never written: only kiosk.toml.example is.
set(prefix "${CMAKE_INSTALL_PREFIX}")
# GNUInstallDirs' rule for sysconfdir: /usr -> /etc, /opt/... -> /etc/opt/..., else <prefix>/etc.
if(prefix STREQUAL "/usr")
  set(sysconfdir "/etc")
elseif(prefix MATCHES "^/opt/")
  set(sysconfdir "/etc${prefix}")
else()
  set(sysconfdir "${prefix}/etc")
endif()
if(IS_ABSOLUTE "${KIOSK_BINDIR}")
  set(KIOSK_INSTALLED_BINARY "${KIOSK_BINDIR}/iop-kiosk")
else()
  set(KIOSK_INSTALLED_BINARY "${prefix}/${KIOSK_BINDIR}/iop-kiosk")
endif()
set(KIOSK_CONFIG_FILE "${sysconfdir}/iop-kiosk/kiosk.toml")

configure_file("${KIOSK_CONFIG_SOURCE}/systemd/iop-kiosk.service.in"
               "${KIOSK_STAGING_DIR}/iop-kiosk.service" @ONLY)
file(INSTALL DESTINATION "${prefix}/${KIOSK_SYSTEMD_LIBDIR}/systemd/system" TYPE FILE
     FILES "${KIOSK_STAGING_DIR}/iop-kiosk.service")

configure_file("${KIOSK_CONFIG_SOURCE}/kiosk.example.toml"
               "${KIOSK_STAGING_DIR}/kiosk.toml.example" COPYONLY)
file(INSTALL DESTINATION "${sysconfdir}/iop-kiosk" TYPE FILE
     FILES "${KIOSK_STAGING_DIR}/kiosk.toml.example")
# PAM reads /etc/pam.d only, whatever the prefix.
file(INSTALL DESTINATION "/etc/pam.d" TYPE FILE FILES "${KIOSK_CONFIG_SOURCE}/pam.d/iop-kiosk")
