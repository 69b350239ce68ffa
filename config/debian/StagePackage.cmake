# Run by CPack (CPACK_PRE_BUILD_SCRIPTS, config/package.cmake) on the staged tree before it is
# packed: what Debian wants of a package and `cmake --install` does not do: the binary stripped
# of its debug information, a manual page made from its --help, the changelog (naming the
# package's version), the copyright file and the lintian overrides.
set(stage "${CPACK_TEMPORARY_INSTALL_DIRECTORY}")
execute_process(COMMAND "${CPACK_KIOSK_STRIP}" --strip-unneeded --remove-section=.comment
                        --remove-section=.note "${stage}/usr/bin/iop-kiosk"
                COMMAND_ERROR_IS_FATAL ANY)

if(NOT CPACK_KIOSK_HELP2MAN)
  message(FATAL_ERROR "help2man not found: apt-get install help2man (.ci/packages.txt)")
endif()
set(man "${stage}/usr/share/man/man1")
file(MAKE_DIRECTORY "${man}")
execute_process(COMMAND "${CMAKE_COMMAND}" -E env "PATH=${stage}/usr/bin:$ENV{PATH}"
                        "${CPACK_KIOSK_HELP2MAN}" --no-info --no-discard-stderr
                        "--name=${CPACK_PACKAGE_DESCRIPTION_SUMMARY}"
                        "--version-string=${CPACK_PACKAGE_VERSION}"
                        --output=${man}/iop-kiosk.1 iop-kiosk
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND gzip -9nf "${man}/iop-kiosk.1" COMMAND_ERROR_IS_FATAL ANY)

set(doc "${stage}/usr/share/doc/iop-kiosk")
file(MAKE_DIRECTORY "${doc}")
string(TIMESTAMP date "%a, %d %b %Y %H:%M:%S +0000" UTC)
file(WRITE "${doc}/changelog" "iop-kiosk (${CPACK_PACKAGE_VERSION}) unstable; urgency=medium

  * Built from the iop-kiosk source tree (its history has the changes).

 -- ${CPACK_DEBIAN_PACKAGE_MAINTAINER}  ${date}
")
execute_process(COMMAND gzip -9nf "${doc}/changelog" COMMAND_ERROR_IS_FATAL ANY)
file(COPY "${CPACK_KIOSK_DEBIAN_SOURCE}/copyright" DESTINATION "${doc}")
if(EXISTS "${CPACK_KIOSK_DEBIAN_SOURCE}/lintian-overrides")
  file(MAKE_DIRECTORY "${stage}/usr/share/lintian/overrides")
  file(COPY_FILE "${CPACK_KIOSK_DEBIAN_SOURCE}/lintian-overrides"
       "${stage}/usr/share/lintian/overrides/iop-kiosk")
endif()
