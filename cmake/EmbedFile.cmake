# Writes a header holding a file's text as a std::string_view, so a program can serve it without
# finding it on disk. Usage: cmake -DINPUT=file -DOUTPUT=header -DNAME=identifier -DNAMESPACE=ns -P EmbedFile.cmake
file(READ "${INPUT}" content)
string(FIND "${content}" ")pocsim_embed\"" clash)
if(NOT clash EQUAL -1)
  message(FATAL_ERROR "${INPUT} contains the raw-string delimiter )pocsim_embed\"")
endif()
file(WRITE "${OUTPUT}.tmp" "// Generated from ${INPUT} by cmake/EmbedFile.cmake. Do not edit.
#pragma once
#include <string_view>
namespace ${NAMESPACE} {
inline constexpr std::string_view ${NAME} = R\"pocsim_embed(${content})pocsim_embed\";
}
")
file(COPY_FILE "${OUTPUT}.tmp" "${OUTPUT}" ONLY_IF_DIFFERENT)
file(REMOVE "${OUTPUT}.tmp")
