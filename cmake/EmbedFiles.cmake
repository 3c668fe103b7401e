# vtasim_embed_files(OUT_VAR DELIMITER FILE...): C++ initialiser rows {"stem", R"DELIMITER(text)DELIMITER"},
# one per file (sorted), for compiling shipped data files into the binary; a change to any of them
# reconfigures the build.
function(vtasim_embed_files out_var delimiter)
  set(files ${ARGN})
  list(SORT files)
  set(rows "")
  foreach(file ${files})
    get_filename_component(stem ${file} NAME_WE)
    file(READ ${file} text)
    string(APPEND rows "    {\"${stem}\", R\"${delimiter}(${text})${delimiter}\"},\n")
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${file})
  endforeach()
  set(${out_var} "${rows}" PARENT_SCOPE)
endfunction()
