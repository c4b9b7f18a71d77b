# Compiler warnings (as errors) and sanitizers for every Pioneer target.
add_compile_options(-Wall -Wextra -Wpedantic -Werror -Wno-missing-field-initializers)
# GCC 12 reports -Wrestrict false positives inside libstdc++'s std::string when it inlines
# aggressively (-O2/-O3; GCC bug 105651, fixed in GCC 13). The sanitizer builds (-O1) keep
# the warning, so it still guards our own code.
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13
   AND NOT PIONEER_SANITIZE)
  add_compile_options(-Wno-restrict)
endif()
if(PIONEER_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

# pioneer_test(NAME src...): one GoogleTest executable, registered with ctest.
# Tests run with the project root and the shared folder in the environment so that
# suites can find examples and ../shared/data without hard-coded paths.
function(pioneer_test name)
  add_executable(${name} ${ARGN})
  add_dependencies(${name} pioneer)
  target_link_libraries(${name} PRIVATE pioneer_core pioneer_server GTest::gtest_main GTest::gmock)
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  # Defaults for tests that need the repository or the executable; the environment
  # variables of the same names override them.
  target_compile_definitions(${name} PRIVATE
    PIONEER_SOURCE_DIR_DEFAULT="${PROJECT_SOURCE_DIR}"
    PIONEER_BINARY_DEFAULT="$<TARGET_FILE:pioneer>")
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60
    PROPERTIES ENVIRONMENT "PIONEER_BINARY=$<TARGET_FILE:pioneer>")
endfunction()
