"""libtensor.Size: the shape of a tensor, a tuple of ints."""


class Size(tuple):
    """A tensor's shape: a tuple of ints, as torch.Size."""

    __slots__ = ()

    def __repr__(self):
        return f"libtensor.Size({list(self)})"

    def __getitem__(self, key):
        r = tuple.__getitem__(self, key)
        return Size(r) if isinstance(key, slice) else r

    def __add__(self, other):
        return Size(tuple.__add__(self, tuple(other)))

    def numel(self):
        """The number of elements of a tensor of this shape."""
        n = 1
        for s in self:
            n *= s
        return n
