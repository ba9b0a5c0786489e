import sys

from nnterm.cli import main

sys.exit(main())
