import sys

from ebook.cli import main

sys.exit(main())
