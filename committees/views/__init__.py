from .meetings import *  # noqa: F401,F403
from .structure import *  # noqa: F401,F403
from .work import *  # noqa: F401,F403
