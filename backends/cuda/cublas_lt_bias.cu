// A linear layer's product with its bias added by cuBLASLt's epilogue: the bias is read
// as the product is written, where copying it into the output first (for gemm's beta to
// add) costs a write and a read of the whole output. ROCm builds leave this file out
// (Debian has no hipBLASLt); there the caller adds the bias itself.
//
// Operands are passed swapped, as in cublas_gemm.cu: a row-major C = A B is the
// column-major C^T = B^T A^T, whose rows are C's columns, so the epilogue's per-row bias
// is the per-column bias of C.
#include <cublasLt.h>

#include <array>
#include <map>
#include <tuple>

#include "blas.h"
#include "gpu.h"
#include "libtensor/device_runtime.h"
#include "libtensor/ops.h"

namespace lt::gpu {

namespace {

// What Hopper's fastest kernels may ask for; it comes from the caching allocator.
constexpr uint64_t kMaxWorkspace = uint64_t{32} << 20;

bool ok(cublasStatus_t status) { return status == CUBLAS_STATUS_SUCCESS; }

// The largest power of two up to 256 dividing the address: the heuristic must know how
// well the operands are aligned (views can start anywhere) to offer kernels that can run.
uint32_t alignment(const void* p) {
  const auto address = reinterpret_cast<uintptr_t>(p);
  uint32_t a = 256;
  while (a > 1 && address % a != 0) a /= 2;
  return a;
}

// One product's descriptors and the heuristic's kernel for them; made once per shape,
// layout and alignment, then reused with new pointers.
struct Plan {
  cublasLtMatmulDesc_t desc = nullptr;
  cublasLtMatrixLayout_t a = nullptr, b = nullptr, c = nullptr;  // cuBLASLt's A (our b), B (our a), C = D
  cublasLtMatmulHeuristicResult_t choice{};
  bool usable = false;

  Plan() = default;
  Plan(const Plan&) = delete;
  Plan& operator=(const Plan&) = delete;
  ~Plan() {
    for (cublasLtMatrixLayout_t l : {a, b, c}) {
      if (l) cublasLtMatrixLayoutDestroy(l);
    }
    if (desc) cublasLtMatmulDescDestroy(desc);
  }
};

// Plans kept per thread; beyond this many shapes (row counts that keep changing) they
// are dropped and made again as needed.
constexpr size_t kMaxPlans = 512;

using Alignments = std::array<uint32_t, 4>;  // of cuBLASLt's A, B, C = D and the bias
using PlanKey = std::tuple<int, DType, bool, bool, bool, int64_t, int64_t, int64_t, int64_t, int64_t, int64_t, Alignments>;

cublasLtHandle_t handle_for(int device) {
  thread_local std::array<cublasLtHandle_t, 64> handles{};
  cublasLtHandle_t& h = handles[device];
  if (!h && !ok(cublasLtCreate(&h))) h = nullptr;
  return h;
}

template <class T>
bool set(cublasLtMatmulDesc_t desc, cublasLtMatmulDescAttributes_t attribute, const T& value) {
  return ok(cublasLtMatmulDescSetAttribute(desc, attribute, &value, sizeof value));
}

template <class T>
bool prefer(cublasLtMatmulPreference_t pref, cublasLtMatmulPreferenceAttributes_t attribute, const T& value) {
  return ok(cublasLtMatmulPreferenceSetAttribute(pref, attribute, &value, sizeof value));
}

// bias: the heuristic reads the pointer's alignment from it.
void make_plan(Plan& p, cublasLtHandle_t handle, cudaDataType_t type, cublasComputeType_t compute, bool ta, bool tb,
               int64_t n, int64_t m, int64_t k, int64_t lda, int64_t ldb, int64_t ldc, const Alignments& aligned,
               const void* bias) {
  const cublasOperation_t op_a = tb ? CUBLAS_OP_T : CUBLAS_OP_N, op_b = ta ? CUBLAS_OP_T : CUBLAS_OP_N;
  const auto u = [](int64_t v) { return static_cast<uint64_t>(v); };
  if (!ok(cublasLtMatmulDescCreate(&p.desc, compute, CUDA_R_32F)) || !set(p.desc, CUBLASLT_MATMUL_DESC_TRANSA, op_a) ||
      !set(p.desc, CUBLASLT_MATMUL_DESC_TRANSB, op_b) ||
      !set(p.desc, CUBLASLT_MATMUL_DESC_EPILOGUE, CUBLASLT_EPILOGUE_BIAS) ||
      !set(p.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, bias) ||
      !ok(cublasLtMatrixLayoutCreate(&p.a, type, tb ? u(k) : u(m), tb ? u(m) : u(k), ldb)) ||
      !ok(cublasLtMatrixLayoutCreate(&p.b, type, ta ? u(n) : u(k), ta ? u(k) : u(n), lda)) ||
      !ok(cublasLtMatrixLayoutCreate(&p.c, type, u(m), u(n), ldc))) {
    return;
  }
  cublasLtMatmulPreference_t pref = nullptr;
  if (!ok(cublasLtMatmulPreferenceCreate(&pref))) return;
  int found = 0;
  p.usable = prefer(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, kMaxWorkspace) &&
             prefer(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_A_BYTES, aligned[0]) &&
             prefer(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_B_BYTES, aligned[1]) &&
             prefer(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_C_BYTES, aligned[2]) &&
             prefer(pref, CUBLASLT_MATMUL_PREF_MIN_ALIGNMENT_D_BYTES, aligned[2]) &&
             ok(cublasLtMatmulAlgoGetHeuristic(handle, p.desc, p.a, p.b, p.c, p.c, pref, 1, &p.choice, &found)) &&
             found > 0;
  cublasLtMatmulPreferenceDestroy(pref);
}

bool cublas_lt_gemm_bias(DType dtype, bool ta, bool tb, int64_t n, int64_t m, int64_t k, const void* a, int64_t lda,
                         const void* b, int64_t ldb, const void* bias, void* c, int64_t ldc, int device) {
  cudaDataType_t type;
  cublasComputeType_t compute = CUBLAS_COMPUTE_32F;
  const bool tf32 = backend_flags().allow_tf32;
  switch (dtype) {
    case DType::Float32: type = CUDA_R_32F, compute = tf32 ? CUBLAS_COMPUTE_32F_FAST_TF32 : CUBLAS_COMPUTE_32F; break;
    case DType::Float16: type = CUDA_R_16F; break;
    case DType::BFloat16: type = CUDA_R_16BF; break;
    default: return false;  // float64 keeps gemm's beta
  }
  // A bias off 16 bytes (a view into a bigger tensor) is left to gemm's beta.
  if (alignment(bias) < 16) return false;
  cublasLtHandle_t handle = handle_for(device);
  if (!handle) return false;
  const Alignments aligned{alignment(b), alignment(a), alignment(c), alignment(bias)};
  thread_local std::map<PlanKey, Plan> plans;
  const PlanKey key{device, dtype, tf32, ta, tb, n, m, k, lda, ldb, ldc, aligned};
  auto it = plans.find(key);
  if (it == plans.end()) {
    if (plans.size() >= kMaxPlans) plans.clear();
    it = plans.try_emplace(key).first;
    make_plan(it->second, handle, type, compute, ta, tb, n, m, k, lda, ldb, ldc, aligned, bias);
  }
  Plan& p = it->second;
  if (!p.usable || !set(p.desc, CUBLASLT_MATMUL_DESC_BIAS_POINTER, bias)) return false;
  Tensor workspace;
  if (p.choice.workspaceSize > 0) {
    workspace = empty({static_cast<int64_t>(p.choice.workspaceSize)}, DType::UInt8,
                      Device(DeviceType::CUDA, static_cast<int16_t>(device)));
  }
  const float one = 1, zero = 0;
  const cublasStatus_t status =
      cublasLtMatmul(handle, p.desc, &one, b, p.a, a, p.b, &zero, c, p.c, c, p.c, &p.choice.algo,
                     workspace.defined() ? workspace.data() : nullptr, p.choice.workspaceSize, current_stream(device));
  if (status == CUBLAS_STATUS_NOT_SUPPORTED || status == CUBLAS_STATUS_INVALID_VALUE) {
    p.usable = false;  // refused before it ran: this shape takes gemm's beta from now on
    return false;
  }
  LT_CHECK(ok(status), DeviceError, "addmm", "cuBLASLt failed: ", cublasGetStatusString(status));
  return true;
}

[[maybe_unused]] const bool registered = set_vendor_gemm_bias(&cublas_lt_gemm_bias);

}  // namespace
}  // namespace lt::gpu
