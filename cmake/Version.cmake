# Bakes the project version and the current git commit into generated/vtasim_version.h. The header is
# refreshed at every build (not only at configure time), and rewritten only when the commit changed,
# so `vtasim --version` never reports a stale commit and unchanged builds stay incremental.
add_custom_target(vtasim_version_header
  COMMAND ${CMAKE_COMMAND} -DSRC_DIR=${PROJECT_SOURCE_DIR} -DOUT=${PROJECT_BINARY_DIR}/generated/vtasim_version.h
          -DVERSION=${PROJECT_VERSION} -P ${PROJECT_SOURCE_DIR}/cmake/WriteVersion.cmake
  BYPRODUCTS ${PROJECT_BINARY_DIR}/generated/vtasim_version.h
  COMMENT "Checking the git commit for vtasim --version"
  VERBATIM)
