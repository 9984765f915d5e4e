"""Search unit tests: pure Python, no Django, no running services.

Run from the repo root: .venv/bin/python -m pytest tests/unit/search -p no:django -q
"""

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
if str(ROOT) not in sys.path:  # also works with plain `pytest`
    sys.path.insert(0, str(ROOT))

DATA = Path(__file__).with_name("data")
