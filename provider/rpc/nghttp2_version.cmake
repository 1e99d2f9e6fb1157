# Release builds (Release, RelWithDebInfo, MinSizeRel: what `make build` and `make release`
# ship) must link a libnghttp2 fixed against:
#  - HTTP/2 rapid reset, CVE-2023-44487: upstream 1.57.0, Debian 12 1.52.0-1+deb12u1;
#  - CONTINUATION flood, CVE-2024-28182: upstream 1.61.0, Debian 12 1.52.0-1+deb12u2
#    (https://security-tracker.debian.org/tracker/CVE-2024-28182).
# pkg-config only reports the upstream version (1.52.0 for every Debian 12 build), so on
# Debian the package revision decides (dpkg-query, compared with dpkg --compare-versions).

set(TFJ_NGHTTP2_FIXED_UPSTREAM "1.61.0")
set(TFJ_NGHTTP2_FIXED_DEBIAN "1.52.0-1+deb12u2")

# Sets `out` to TRUE when a libnghttp2 of upstream version `upstream` and Debian package
# version `debian` ("" when not a Debian package) has both fixes. `dpkg` is the dpkg
# program ("" when absent).
function(tfj_nghttp2_is_fixed out upstream debian dpkg)
  if(upstream VERSION_GREATER_EQUAL TFJ_NGHTTP2_FIXED_UPSTREAM)
    set(${out} TRUE PARENT_SCOPE)
    return()
  endif()
  if(NOT debian OR NOT dpkg)
    set(${out} FALSE PARENT_SCOPE)
    return()
  endif()
  execute_process(COMMAND ${dpkg} --compare-versions "${debian}" ge "${TFJ_NGHTTP2_FIXED_DEBIAN}"
                  RESULT_VARIABLE rc OUTPUT_QUIET ERROR_QUIET)
  if(rc EQUAL 0)
    set(${out} TRUE PARENT_SCOPE)
  else()
    set(${out} FALSE PARENT_SCOPE)
  endif()
endfunction()

# Fails the configure of a release build whose libnghttp2 (pkg-config `upstream` version)
# lacks either fix.
function(tfj_require_fixed_nghttp2 upstream)
  if(NOT CMAKE_BUILD_TYPE MATCHES "^(Release|RelWithDebInfo|MinSizeRel)$")
    return()
  endif()
  find_program(TFJ_DPKG dpkg)
  find_program(TFJ_DPKG_QUERY dpkg-query)
  set(debian "")
  if(TFJ_DPKG_QUERY)
    # libnghttp2-dev: the headers and libnghttp2.a the plugin links; libnghttp2-14: the
    # shared library everything else links. Both must be fixed; they share a version.
    foreach(package libnghttp2-dev libnghttp2-14)
      execute_process(COMMAND ${TFJ_DPKG_QUERY} -W -f=\${Version} ${package}
                      OUTPUT_VARIABLE version RESULT_VARIABLE rc ERROR_QUIET)
      if(rc EQUAL 0 AND version)
        tfj_nghttp2_is_fixed(fixed "${upstream}" "${version}" "${TFJ_DPKG}")
        if(NOT fixed)
          message(FATAL_ERROR "${package} ${version} lacks the HTTP/2 rapid-reset or "
                  "CONTINUATION-flood fix: release builds need ${TFJ_NGHTTP2_FIXED_DEBIAN} "
                  "or later (apt-get install --only-upgrade ${package}).")
        endif()
        set(debian "${version}")
      endif()
    endforeach()
  endif()
  if(NOT debian)
    tfj_nghttp2_is_fixed(fixed "${upstream}" "" "")
    if(NOT fixed)
      message(FATAL_ERROR "libnghttp2 ${upstream} lacks the HTTP/2 CONTINUATION-flood fix: "
              "release builds need ${TFJ_NGHTTP2_FIXED_UPSTREAM} or later.")
    endif()
  endif()
  message(STATUS "libnghttp2 ${upstream} ${debian}: has the rapid-reset and CONTINUATION fixes")
endfunction()
