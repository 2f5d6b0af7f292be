"""Exception types of the actfn package.

Every error the C library reports becomes an :class:`ActfnError` subclass
whose message is the library's own ``actfn_strerror`` text and whose
``status`` attribute is the (negative) ``actfn_status`` code. Where a
standard exception means the same thing, the subclass also derives from it,
so ``except ValueError`` keeps working for callers that do not know actfn.
"""

from __future__ import annotations

# The actfn_status codes of include/actfn.h.
OK = 0
ERR_NULL = -1
ERR_OVERLAP = -2
ERR_PARAM = -3
ERR_SIZE = -4
ERR_UNSUPPORTED = -5


class ActfnError(Exception):
    """Base class of every error the C library reports.

    ``status`` is the negative ``actfn_status`` code, ``str(err)`` the text
    of ``actfn_strerror(status)`` (prefixed with the function that failed).
    """

    def __init__(self, status: int, message: str, function: str = "") -> None:
        self.status = status
        self.message = message
        self.function = function
        super().__init__(f"{function}: {message}" if function else message)


class ActfnNullError(ActfnError):
    """ACTFN_ERR_NULL: a required pointer was NULL (a bug in the binding)."""


class ActfnOverlapError(ActfnError, ValueError):
    """ACTFN_ERR_OVERLAP: an output partially overlaps an input or output."""


class ActfnParamError(ActfnError, ValueError):
    """ACTFN_ERR_PARAM: a parameter is NaN or outside its domain."""


class ActfnSizeError(ActfnError, ValueError):
    """ACTFN_ERR_SIZE: a size product overflows size_t."""


class ActfnUnsupportedError(ActfnError, RuntimeError):
    """ACTFN_ERR_UNSUPPORTED: the requested ISA cannot run on this machine."""


class LibraryNotFoundError(ImportError):
    """libactfn could not be loaded from any of the places searched."""


_BY_STATUS = {
    ERR_NULL: ActfnNullError,
    ERR_OVERLAP: ActfnOverlapError,
    ERR_PARAM: ActfnParamError,
    ERR_SIZE: ActfnSizeError,
    ERR_UNSUPPORTED: ActfnUnsupportedError,
}


def error_for_status(status: int, message: str, function: str = "") -> ActfnError:
    """The exception object for a non-zero status returned by ``function``."""
    return _BY_STATUS.get(status, ActfnError)(status, message, function)
