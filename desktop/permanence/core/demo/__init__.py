"""The demo workspace: data files under resources/demo/, validated, then loaded."""

from permanence.core.demo.loader import create_demo_workspace, load_demo
from permanence.core.demo.schema import DemoPlan, read_demo

__all__ = ["DemoPlan", "create_demo_workspace", "load_demo", "read_demo"]
