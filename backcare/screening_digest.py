"""The digest of the built-in safety content, as this package ships it.

Safety content is the built-in warning signs and levels, the sections only the
built-in content may hold (emergency numbers by region, when to get pain looked
at, who the guide is not for, when the diary says to see someone), and the
sources they cite. The cache holds them like any other content; a cache whose
safety content does not match this digest is not used, so no cache file, however
it was edited, can weaken a warning sign or change an emergency number. When that content changes,
``tests/test_boundary.py`` fails and names the new value.
"""

SCREENING = "a8e66c71f4945f8f43d0b03ab4ea5b9167b5ef04c613cee56285667f702a25e3"
