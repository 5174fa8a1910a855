"""finfo and iinfo: the numerical limits of libtensor's dtypes, as torch.finfo and torch.iinfo."""
import builtins
import math

from . import _C

# name -> (bits, significand digits counting the implicit bit, largest binary exponent)
_FLOAT_FORMATS = {"float16": (16, 11, 15), "bfloat16": (16, 8, 127), "float32": (32, 24, 127),
                  "float64": (64, 53, 1023)}
# name -> (bits, signed)
_INT_FORMATS = {"uint8": (8, False), "int8": (8, True), "int16": (16, True), "int32": (32, True),
                "int64": (64, True)}
# Python's types stand for dtypes, as in the operators that take a dtype.
_PYTHON_TYPES = {builtins.float: "float64", builtins.int: "int64", builtins.bool: "bool"}


def _dtype_name(caller, type):
    if isinstance(type, _C.dtype):
        return repr(type).split(".", 1)[1]
    if builtins.isinstance(type, builtins.type) and type in _PYTHON_TYPES:
        return _PYTHON_TYPES[type]
    raise TypeError(f"{caller}(): argument 'type' (position 1) must be libtensor.dtype, not "
                    f"{builtins.type(type).__name__}")


def _g(x):
    # PyTorch prints the limits with six significant digits
    return "%g" % x


class finfo:
    """The limits of a floating-point dtype (the default dtype when none is given)."""

    __slots__ = ("_name",)

    def __init__(self, type=None):
        name = _dtype_name("finfo", _C.get_default_dtype() if type is None else type)
        if name not in _FLOAT_FORMATS:
            raise TypeError("libtensor.finfo() requires a floating point input type. "
                            "Use libtensor.iinfo to handle 'libtensor.finfo'")
        self._name = name

    @property
    def _format(self):
        return _FLOAT_FORMATS[self._name]

    @property
    def bits(self):
        """The number of bits the type occupies."""
        return self._format[0]

    @property
    def eps(self):
        """The gap between 1.0 and the next representable number."""
        return math.ldexp(1.0, 1 - self._format[1])

    @property
    def max(self):
        """The largest finite number."""
        _, digits, max_exponent = self._format
        return math.ldexp(2.0 - math.ldexp(1.0, 1 - digits), max_exponent)

    @property
    def min(self):
        """The most negative finite number: -max."""
        return -self.max

    @property
    def smallest_normal(self):
        """The smallest positive normal number."""
        return math.ldexp(1.0, 1 - self._format[2])

    @property
    def tiny(self):
        """The smallest positive normal number (smallest_normal)."""
        return self.smallest_normal

    @property
    def resolution(self):
        """10 ** -d, for d the decimal digits the type always holds."""
        digits = math.floor((self._format[1] - 1) * math.log10(2))
        return float(f"1e-{digits}")

    @property
    def dtype(self):
        """The dtype's name, such as 'float32'."""
        return self._name

    def __eq__(self, other):
        return isinstance(other, finfo) and other._name == self._name

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, max={_g(self.max)}, "
                f"eps={_g(self.eps)}, smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, "
                f"dtype={self._name})")


class iinfo:
    """The limits of an integer dtype."""

    __slots__ = ("_name",)

    def __init__(self, type):
        name = _dtype_name("iinfo", type)
        if name == "bool":
            raise TypeError("libtensor.bool is not supported by libtensor.iinfo")
        if name not in _INT_FORMATS:
            raise TypeError("libtensor.iinfo() requires an integer input type. "
                            "Use libtensor.finfo to handle 'libtensor.iinfo'")
        self._name = name

    @property
    def bits(self):
        """The number of bits the type occupies."""
        return _INT_FORMATS[self._name][0]

    @property
    def max(self):
        """The largest value."""
        bits, signed = _INT_FORMATS[self._name]
        return 2 ** (bits - signed) - 1

    @property
    def min(self):
        """The smallest value."""
        bits, signed = _INT_FORMATS[self._name]
        return -2 ** (bits - 1) if signed else 0

    @property
    def dtype(self):
        """The dtype's name, such as 'int32'."""
        return self._name

    def __eq__(self, other):
        return isinstance(other, iinfo) and other._name == self._name

    def __repr__(self):
        return f"iinfo(min={_g(self.min)}, max={_g(self.max)}, dtype={self._name})"
