// Autograd: recording, the backward engine, custom functions and gradcheck.
#pragma once

#include "libtensor/autograd/engine.h"
#include "libtensor/autograd/function.h"
#include "libtensor/autograd/function_node.h"
#include "libtensor/autograd/grad_mode.h"
#include "libtensor/autograd/gradcheck.h"
#include "libtensor/autograd/node.h"
#include "libtensor/autograd/record.h"
