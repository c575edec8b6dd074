"""A local server speaking Anam's HTTP contract: the studio's offline backend and every test's server.

``from studio.sandbox import SandboxServer`` starts one in a background thread on a free port.
"""

from studio.sandbox.app import create_app
from studio.sandbox.faults import Faults
from studio.sandbox.server import SandboxServer, default_data_dir
from studio.sandbox.state import SandboxConfig

__all__ = ["Faults", "SandboxConfig", "SandboxServer", "create_app", "default_data_dir"]
