"""Text formatting of tensors, matching PyTorch 1.13's ``repr(t)`` / ``str(t)``.

The compiled bindings hand this module the tensor's values as a numpy array
plus its metadata (dtype name, shape, device, autograd state); everything about
how the text looks is decided here, in plain Python, so the output can be
compared character for character with ``torch.Tensor.__repr__``.

The rules (all of them observable behaviour of torch 1.13):

* Layout.  Text starts with ``tensor(``; nested dimensions are indented one
  extra column per level; rows of a 1-d slice wrap so that a line holds
  ``floor((linewidth - indent) / (width + 2))`` elements (at least one);
  sub-tensors of a k-d tensor are separated by ``,`` plus k-1 newlines.
* Summarisation.  When the element count exceeds ``threshold`` every dimension
  longer than ``2 * edgeitems`` shows only its first and last ``edgeitems``
  entries with ``...`` in between.  Column widths are then computed from the
  shown entries only.
* Element style for floating dtypes, decided once per tensor from the nonzero
  finite values (zeros, nan and inf take no part):
    - "int mode" when every such value is integral: ``3.`` style;
    - scientific (``{:.Pe}``) when max/min > 1000 or max > 1e8, and, outside
      int mode, also when min < 1e-4;
    - otherwise fixed ``{:.Pf}``.
  ``sci_mode`` from set_printoptions overrides the scientific choice, but the
  column width stays the one of the automatically chosen style, and when no
  nonzero finite value exists the override is not applied at all (torch
  returns before looking at it).
* Width.  Every element is right-aligned to the widest formatted nonzero finite
  value (+1 for the trailing ``.`` in int mode), at least 1.  Non-finite values
  and zeros do not widen the column, so ``nan`` or ``-0.`` may stick out.
* Suffixes, in torch's order: ``device='...'`` (non-cpu only), then for empty
  tensors ``size=(...)`` (unless 1-d) and ``dtype=`` (any non-default float
  dtype, so int64 and bool *are* shown), for non-empty tensors ``dtype=`` unless
  the dtype is the default float dtype, int64 or bool; finally
  ``grad_fn=<Name>`` or ``requires_grad=True``.  A suffix goes on a new line,
  indented to the ``tensor(`` column, when it would pass ``linewidth``.

Only numpy is used; torch is never imported.
"""

import math

import numpy as np

__all__ = [
    "set_printoptions",
    "get_printoptions",
    "tensor_repr",
    "tensor_str",
]


# --------------------------------------------------------------------------
# Print options
# --------------------------------------------------------------------------

# Values each profile resets; sci_mode is not part of a profile.
_PROFILES = {
    "default": dict(precision=4, threshold=1000, edgeitems=3, linewidth=80),
    "short": dict(precision=2, threshold=1000, edgeitems=2, linewidth=80),
    "full": dict(precision=4, threshold=math.inf, edgeitems=3, linewidth=80),
}


class _PrintOptions(object):
    """Module-wide options, mirroring torch's PRINT_OPTS."""

    def __init__(self):
        self.precision = 4
        self.threshold = 1000
        self.edgeitems = 3
        self.linewidth = 80
        self.sci_mode = None


_OPTS = _PrintOptions()


def set_printoptions(
    precision=None,
    threshold=None,
    edgeitems=None,
    linewidth=None,
    profile=None,
    sci_mode=None,
):
    """Set options for printing, with the semantics of torch.set_printoptions.

    ``profile`` ("default", "short" or "full") is applied first and the other
    arguments override it.  An argument left as None keeps its current value,
    except ``sci_mode``: torch assigns it on every call, so any call without
    ``sci_mode=`` returns to automatic choice.  An unknown profile name is
    ignored, as torch does.
    """
    if profile is not None and profile in _PROFILES:
        for name, value in _PROFILES[profile].items():
            setattr(_OPTS, name, value)
    if precision is not None:
        _OPTS.precision = precision
    if threshold is not None:
        _OPTS.threshold = threshold
    if edgeitems is not None:
        _OPTS.edgeitems = edgeitems
    if linewidth is not None:
        _OPTS.linewidth = linewidth
    _OPTS.sci_mode = sci_mode


def get_printoptions():
    """Return the current print options as a dict (a copy)."""
    return {
        "precision": _OPTS.precision,
        "threshold": _OPTS.threshold,
        "edgeitems": _OPTS.edgeitems,
        "linewidth": _OPTS.linewidth,
        "sci_mode": _OPTS.sci_mode,
    }


# --------------------------------------------------------------------------
# Dtypes
# --------------------------------------------------------------------------

_FLOAT_DTYPES = ("float16", "bfloat16", "float32", "float64")
_INT_DTYPES = ("uint8", "int8", "int16", "int32", "int64")
_BOOL_DTYPE = "bool"

# How dtypes are spelled in suffixes, as repr(dtype) spells them (the tests that compare
# with PyTorch's output set "torch.").
DTYPE_PREFIX = "libtensor."

# Alternative spellings accepted for convenience; the canonical name is what
# appears in ``dtype=torch.<name>``.
_DTYPE_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "long": "int64",
    "int": "int32",
    "short": "int16",
}


def _canonical_dtype(name):
    name = str(name)
    for prefix in ("torch.", "libtensor."):
        if name.startswith(prefix):
            name = name[len(prefix):]
    name = _DTYPE_ALIASES.get(name, name)
    if name not in _FLOAT_DTYPES and name not in _INT_DTYPES and name != _BOOL_DTYPE:
        raise ValueError("tensor_repr: unsupported dtype %r" % (name,))
    return name


def _as_printable_array(values, dtype_name, shape=None):
    """Convert the incoming values to the numpy type whose ``tolist()`` gives
    exactly the Python scalars torch formats.

    Torch prints floating tensors by converting each element to a Python float
    (a double); half and bfloat16 go through float32 first.  Every one of those
    widenings is exact, so converting float16/float32 arrays to float64 here
    produces the very same doubles.  Integers become Python ints, bools Python
    bools (so they print as ``True``/``False``).
    """
    if dtype_name in _FLOAT_DTYPES:
        target = np.float64
    elif dtype_name in _INT_DTYPES:
        target = np.int64
    else:
        target = np.bool_
    arr = np.asarray(values).astype(target, copy=False)
    if shape is not None:
        if arr.size != _numel(shape):
            raise ValueError(
                "tensor_repr: %d values do not fill shape %r" % (arr.size, tuple(shape))
            )
        arr = arr.reshape(shape)
    return arr


def _numel(shape):
    n = 1
    for s in shape:
        n *= int(s)
    return n


# --------------------------------------------------------------------------
# Choosing the element style and column width
# --------------------------------------------------------------------------


def _edge_sample(arr, edgeitems):
    """Keep only what a summarised print shows: along every dimension longer
    than 2*edgeitems, the first and last edgeitems entries.

    Widths of a summarised tensor are computed from this sample only, so a
    huge value hidden in the elided middle does not widen the columns.  Slices
    (``a[:e]``, ``a[-e:]``) are used on purpose: torch does the same, and with
    edgeitems == 0 ``a[-0:]`` is the whole dimension.
    """
    for axis in range(arr.ndim):
        if arr.shape[axis] > 2 * edgeitems:
            index = [slice(None)] * arr.ndim
            index[axis] = slice(None, edgeitems)
            head = arr[tuple(index)]
            index[axis] = slice(-edgeitems, None)
            tail = arr[tuple(index)]
            arr = np.concatenate((head, tail), axis=axis)
    return arr


def _extreme_values(vals):
    """The few values whose formatted text can be the widest.

    For one sign, the length of ``{:.Pf}`` / ``{:.0f}`` text only grows with
    the magnitude (correct rounding is monotone), and the exponent of
    ``{:.Pe}`` text is longest at the largest or the smallest magnitude.  So
    the smallest and largest positive and negative values bound the width of
    all of them, and formatting just those is equivalent to formatting every
    element.
    """
    out = []
    for part in (vals[vals > 0], vals[vals < 0]):
        if part.size:
            out.append(float(part.min()))
            out.append(float(part.max()))
    return out


class _ElementFormatter(object):
    """Formats single elements of one tensor, all padded to a common width."""

    def __init__(self, sample, is_float, opts):
        self.is_float = is_float
        self.precision = opts.precision
        self.int_mode = True
        self.sci_mode = False
        self.width = 1

        if not is_float:
            # Integers and bools: the widest plain ``str`` of any shown value.
            # For a given sign, more magnitude means more digits, so the
            # extremes decide.
            if sample.size:
                lo, hi = sample.min().item(), sample.max().item()
                self.width = max(1, len(str(lo)), len(str(hi)))
            return

        flat = sample.reshape(-1)
        finite_nonzero = flat[np.isfinite(flat) & (flat != 0)]
        if finite_nonzero.size == 0:
            # Only zeros / nan / inf: int mode, width 1.  The sci_mode option
            # is deliberately not applied here; torch leaves before reading it.
            return

        magnitudes = np.abs(finite_nonzero)
        smallest = float(magnitudes.min())
        largest = float(magnitudes.max())
        self.int_mode = bool(np.all(finite_nonzero == np.ceil(finite_nonzero)))

        # A wide dynamic range or very large values do not fit fixed point.
        # Integral tensors never need the small-value test: their smallest
        # nonzero magnitude is at least 1.
        too_wide = largest / smallest > 1000.0 or largest > 1.0e8
        if self.int_mode:
            self.sci_mode = too_wide
        else:
            self.sci_mode = too_wide or smallest < 1.0e-4

        if self.sci_mode:
            spec, extra = ".%de" % self.precision, 0
        elif self.int_mode:
            spec, extra = ".0f", 1  # +1 for the "." appended to integral floats
        else:
            spec, extra = ".%df" % self.precision, 0
        for value in _extreme_values(finite_nonzero):
            self.width = max(self.width, len(format(value, spec)) + extra)

        # The user's choice wins for the style, but the width computed above
        # for the automatic style is kept (torch behaves the same way).
        if opts.sci_mode is not None:
            self.sci_mode = opts.sci_mode

    def format(self, value):
        if not self.is_float:
            text = str(value)
        elif self.sci_mode:
            text = format(value, ".%de" % self.precision)
        elif self.int_mode:
            text = format(value, ".0f")
            if math.isfinite(value):
                # Mark integral values as floating point: "3." not "3".
                text += "."
        else:
            text = format(value, ".%df" % self.precision)
        # Right-align; text longer than the width (nan, -0.) is left as is.
        return text.rjust(self.width)


# --------------------------------------------------------------------------
# Laying out the nested brackets
# --------------------------------------------------------------------------


def _render(arr, indent, summarize, formatter, opts):
    """Bracketed text of ``arr`` whose opening bracket sits at column
    ``indent`` (continuation lines are indented to ``indent + 1``)."""
    if arr.ndim == 0:
        return formatter.format(arr.item())

    edge = opts.edgeitems
    elide = summarize and arr.shape[0] > 2 * edge

    if arr.ndim == 1:
        if elide:
            items = [formatter.format(v) for v in arr[:edge].tolist()]
            items.append(" ...")
            items += [formatter.format(v) for v in arr[-edge:].tolist()]
        else:
            items = [formatter.format(v) for v in arr.tolist()]
        # Each element costs its width plus ", ".  The " ..." marker counts
        # as one element when filling lines.
        per_line = max(
            1, int(math.floor((opts.linewidth - indent) / (formatter.width + 2)))
        )
        lines = [
            ", ".join(items[i:i + per_line]) for i in range(0, len(items), per_line)
        ]
        return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"

    n = arr.shape[0]
    if elide:
        rows = [_render(arr[i], indent + 1, summarize, formatter, opts)
                for i in range(0, edge)]
        rows.append("...")
        rows += [_render(arr[i], indent + 1, summarize, formatter, opts)
                 for i in range(n - edge, n)]
    else:
        rows = [_render(arr[i], indent + 1, summarize, formatter, opts)
                for i in range(n)]
    # Sub-tensors of a k-d tensor are separated by k-1 line breaks (a blank
    # line between matrices of a 3-d tensor, and so on).
    separator = "," + "\n" * (arr.ndim - 1) + " " * (indent + 1)
    return "[" + separator.join(rows) + "]"


def _body(arr, dtype_name, indent, opts):
    if arr.size == 0:
        return "[]"
    summarize = arr.size > opts.threshold
    sample = _edge_sample(arr, opts.edgeitems) if summarize else arr
    formatter = _ElementFormatter(sample, dtype_name in _FLOAT_DTYPES, opts)
    return _render(arr, indent, summarize, formatter, opts)


def tensor_str(values, dtype_name, indent=0):
    """The bracketed element text alone, e.g. ``[1.5000, 2.0000]`` or ``3``.

    ``indent`` is the column of the opening bracket; continuation lines are
    indented to ``indent + 1`` and wrapping honours ``linewidth`` from that
    column (``tensor_repr`` passes ``len("tensor(")``).  The shape is taken
    from ``values``.
    """
    dtype_name = _canonical_dtype(dtype_name)
    arr = _as_printable_array(values, dtype_name)
    return _body(arr, dtype_name, indent, _OPTS)


# --------------------------------------------------------------------------
# The full repr
# --------------------------------------------------------------------------


def _append_suffixes(text, suffixes, indent, linewidth):
    """Append ``, suffix`` items and the closing parenthesis, starting a new
    line (indented to ``indent``) whenever a suffix would pass linewidth."""
    parts = [text]
    # Same arithmetic as torch: when the text has no newline this counts two
    # more columns than the line really has.  Kept to break lines identically.
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def _device_text(device):
    """Device as torch prints it; a CUDA tensor always has an index."""
    device = str(device)
    if device == "cuda":
        return "cuda:0"
    return device


def tensor_repr(
    values,
    *,
    dtype_name,
    shape,
    device="cpu",
    requires_grad=False,
    grad_fn_name=None,
    is_default_dtype_shown=None,
    default_dtype="float32",
):
    """``repr``/``str`` of a dense tensor, character for character as torch 1.13.

    values         numpy array (or nested sequence) of the tensor's values;
                   bfloat16 tensors as float32, float16 as float16 arrays.
    dtype_name     "float32", "float64", "float16", "bfloat16", "int64",
                   "int32", "int16", "int8", "uint8" or "bool" ("torch."
                   prefix and the aliases float/double/half/long/int/short
                   are accepted).
    shape          tuple of ints; ``values`` is reshaped to it.
    device         "cpu" (not printed) or e.g. "cuda:0" (printed; bare
                   "cuda" is printed as "cuda:0").
    requires_grad  prints ``requires_grad=True`` when no grad_fn is given.
    grad_fn_name   e.g. "AddBackward0", printed as ``grad_fn=<AddBackward0>``.
    is_default_dtype_shown
                   None (default): torch's rule decides whether ``dtype=`` is
                   printed.  True: always print ``dtype=``.  False: never.
    default_dtype  the library's default floating dtype (what
                   torch.get_default_dtype() would return); it is the float
                   dtype that is not printed.
    """
    opts = _OPTS
    dtype_name = _canonical_dtype(dtype_name)
    default_dtype = _canonical_dtype(default_dtype)
    shape = tuple(int(s) for s in shape)
    arr = _as_printable_array(values, dtype_name, shape)

    prefix = "tensor("
    indent = len(prefix)
    suffixes = []

    if _device_text(device).split(":")[0] != "cpu":
        suffixes.append("device='%s'" % _device_text(device))

    dtype_suffix = "dtype=" + DTYPE_PREFIX + dtype_name
    if arr.size == 0:
        # No elements to tell the size or the dtype from, so both are spelled
        # out: the size unless it is the plain (0,), and the dtype unless it
        # is the default float one (int64 and bool included).
        if arr.ndim != 1:
            suffixes.append("size=" + str(shape))
        show_dtype = dtype_name != default_dtype
    else:
        # The element text already tells int64/bool/default-float apart.
        show_dtype = dtype_name not in (default_dtype, "int64", "bool")
    if is_default_dtype_shown is not None:
        show_dtype = bool(is_default_dtype_shown)
    if show_dtype:
        suffixes.append(dtype_suffix)

    if grad_fn_name is not None:
        suffixes.append("grad_fn=<%s>" % grad_fn_name)
    elif requires_grad:
        suffixes.append("requires_grad=True")

    body = _body(arr, dtype_name, indent, opts)
    return _append_suffixes(prefix + body, suffixes, indent, opts.linewidth)
