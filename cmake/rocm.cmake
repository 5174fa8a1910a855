# The ROCm backend: backends/cuda's sources compiled by hipcc with LT_HIP defined (gpu.h
# maps the runtime), linked into libtensor with libamdhip64. CMake 3.25's HIP language
# expects ROCm's own directory layout, which Debian's packages do not have, so each
# source is one hipcc command here, its header dependencies from hipcc's depfile.
# Vendor-library files (cublas_*.cu, cudnn_*.cu) are CUDA's alone: ROCm runs the tiled
# GEMM and the im2col convolutions.
find_program(LT_HIPCC hipcc REQUIRED)
find_library(LT_AMDHIP64 amdhip64 REQUIRED)
set(LT_ROCM_ARCHITECTURES "gfx90a;gfx1100" CACHE STRING "AMD GPU targets of the ROCm backend")

file(GLOB LT_ROCM_SOURCES CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/backends/cuda/*.cu)
list(FILTER LT_ROCM_SOURCES EXCLUDE REGEX "/(cublas|cudnn)_[^/]*\\.cu$")
set(LT_ROCM_FLAGS -x hip -std=c++20 -O2 -fPIC -DLT_HIP -Wall -Wno-unused-parameter -Wno-unknown-warning-option
    -I${CMAKE_CURRENT_SOURCE_DIR}/include -I${CMAKE_CURRENT_SOURCE_DIR}/backends/cuda
    -I${CMAKE_CURRENT_SOURCE_DIR}/backends)
foreach(arch ${LT_ROCM_ARCHITECTURES})
  list(APPEND LT_ROCM_FLAGS --offload-arch=${arch})
endforeach()
# Debian's ROCm 5.2 device libraries predate RDNA 3: they lack the one per-target file
# of gfx1100 (and later), which holds nothing but the ISA version constant that ocml and
# ockl read. Such targets get that file generated here, beside links to Debian's others;
# the library code itself is Debian's, and clang 15 generates the code.
find_path(LT_ROCM_DEVICE_LIBS oclc_isa_version_90a.bc
          PATHS /usr/lib/x86_64-linux-gnu/amdgcn/bitcode /usr/lib/amdgcn/bitcode /opt/rocm/amdgcn/bitcode)
set(LT_ROCM_MISSING_ISA)
foreach(arch ${LT_ROCM_ARCHITECTURES})
  string(REGEX REPLACE "^gfx" "" isa ${arch})
  if(LT_ROCM_DEVICE_LIBS AND NOT EXISTS ${LT_ROCM_DEVICE_LIBS}/oclc_isa_version_${isa}.bc)
    list(APPEND LT_ROCM_MISSING_ISA ${isa})
  endif()
endforeach()
if(LT_ROCM_MISSING_ISA)
  find_program(LT_LLVM_AS NAMES llvm-as-15 llvm-as HINTS /usr/lib/llvm-15/bin REQUIRED)
  set(device_libs ${CMAKE_CURRENT_BINARY_DIR}/rocm/device-libs)
  file(MAKE_DIRECTORY ${device_libs})
  file(GLOB debian_bitcode ${LT_ROCM_DEVICE_LIBS}/*.bc)
  foreach(bc ${debian_bitcode})
    get_filename_component(bc_name ${bc} NAME)
    file(CREATE_LINK ${bc} ${device_libs}/${bc_name} SYMBOLIC)
  endforeach()
  foreach(isa ${LT_ROCM_MISSING_ISA})
    # gfx<major><minor><stepping>: minor and stepping are one hex digit each.
    string(REGEX MATCH "^([0-9]+)([0-9a-f])([0-9a-f])$" parts ${isa})
    math(EXPR version "${CMAKE_MATCH_1} * 1000 + 0x${CMAKE_MATCH_2} * 100 + 0x${CMAKE_MATCH_3}")
    file(WRITE ${device_libs}/oclc_isa_version_${isa}.ll
         "target datalayout = \"e-p:64:64-p1:64:64-p2:32:32-p3:32:32-p4:64:64-p5:32:32-p6:32:32-i64:64-v16:16-"
         "v24:32-v32:32-v48:64-v96:128-v192:256-v256:256-v512:512-v1024:1024-v2048:2048-n32:64-S32-A5-G1-ni:7\"\n"
         "target triple = \"amdgcn-amd-amdhsa\"\n"
         "@__oclc_ISA_version = linkonce_odr protected local_unnamed_addr addrspace(4) constant i32 ${version}, align 4\n")
    execute_process(COMMAND ${LT_LLVM_AS} ${device_libs}/oclc_isa_version_${isa}.ll
                            -o ${device_libs}/oclc_isa_version_${isa}.bc
                    COMMAND_ERROR_IS_FATAL ANY)
  endforeach()
  list(APPEND LT_ROCM_FLAGS --rocm-device-lib-path=${device_libs})
  message(STATUS "ROCm: generated the ISA version files of ${LT_ROCM_MISSING_ISA} beside Debian's device libraries")
endif()

set(LT_ROCM_OBJECTS)
foreach(source ${LT_ROCM_SOURCES})
  get_filename_component(name ${source} NAME_WE)
  set(object ${CMAKE_CURRENT_BINARY_DIR}/rocm/${name}.o)
  add_custom_command(OUTPUT ${object}
    COMMAND ${LT_HIPCC} ${LT_ROCM_FLAGS} -MD -MF ${object}.d -c ${source} -o ${object}
    DEPENDS ${source}
    DEPFILE ${object}.d
    COMMENT "hipcc ${name}.cu (${LT_ROCM_ARCHITECTURES})"
    VERBATIM)
  list(APPEND LT_ROCM_OBJECTS ${object})
endforeach()
set_source_files_properties(${LT_ROCM_OBJECTS} PROPERTIES EXTERNAL_OBJECT TRUE GENERATED TRUE)
target_sources(libtensor PRIVATE ${LT_ROCM_OBJECTS})
target_link_libraries(libtensor PRIVATE ${LT_AMDHIP64})
