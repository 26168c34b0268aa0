from larvik_nmu.formats.nb.formats import *  # noqa: F403

# English pages keep Norwegian dates and times; numbers use English separators.
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
