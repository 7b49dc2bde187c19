"""`make demo` (`python -m tests.demo`): see tests/e2e/demo.py."""

import sys

from tests.e2e.demo import main

if __name__ == "__main__":
    sys.exit(main())
