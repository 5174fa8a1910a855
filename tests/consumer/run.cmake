# Installs the built libtensor into a scratch prefix, then configures, builds and runs
# an outside project that finds it with find_package(libtensor): PROJECT_DIR holds the
# project, PROGRAM is what it builds, and its output must match EXPECT.
file(REMOVE_RECURSE ${WORK_DIR})
execute_process(COMMAND ${CMAKE_COMMAND} --install ${BUILD_DIR} --prefix ${WORK_DIR}/prefix
  RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "install failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} -S ${PROJECT_DIR} -B ${WORK_DIR}/build -G ${GENERATOR}
  -DCMAKE_PREFIX_PATH=${WORK_DIR}/prefix "-DCMAKE_CXX_FLAGS=${CXX_FLAGS}" RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "configuring the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${CMAKE_COMMAND} --build ${WORK_DIR}/build RESULT_VARIABLE rc)
if(rc)
  message(FATAL_ERROR "building the consumer failed: ${rc}")
endif()
execute_process(COMMAND ${WORK_DIR}/build/${PROGRAM} RESULT_VARIABLE rc OUTPUT_VARIABLE out)
message(STATUS "${PROGRAM} printed: ${out}")
if(rc OR NOT out MATCHES "${EXPECT}")
  message(FATAL_ERROR "${PROGRAM} failed: ${rc}")
endif()
