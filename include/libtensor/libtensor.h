// The umbrella header: everything a libtensor program needs.
#pragma once

#include "libtensor/allocator.h"
#include "libtensor/device.h"
#include "libtensor/dtype.h"
#include "libtensor/error.h"
#include "libtensor/extension.h"
#include "libtensor/half.h"
#include "libtensor/iterator.h"
#include "libtensor/ops.h"
#include "libtensor/parallel.h"
#include "libtensor/random.h"
#include "libtensor/registry.h"
#include "libtensor/scalar.h"
#include "libtensor/shape.h"
#include "libtensor/storage.h"
#include "libtensor/tensor.h"
#include "libtensor/version.h"
