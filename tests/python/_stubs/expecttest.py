"""A minimal stand-in for the `expecttest` package (not packaged by Debian).

torch.testing._internal.common_utils imports it for its TestCase base class and
reads/writes ACCEPT; that is all the parity tests need to import PyTorch's OpInfo
database (torch.testing._internal.common_methods_invocations.op_db).  It is put at
the END of sys.path, so a real expecttest, when installed, wins.
"""
import unittest

ACCEPT = False


class TestCase(unittest.TestCase):
    longMessage = True

    def assertExpectedInline(self, actual, expect, skip=0):  # noqa: N802  (expecttest's name)
        self.assertEqual(actual, expect)

    def assertExpectedRaisesInline(self, exc_type, callable, expect, *args, **kwargs):  # noqa: N802
        with self.assertRaises(exc_type):
            callable(*args, **kwargs)
