"""The digest of the built-in safety content, as this package ships it.

Safety content is the built-in warning signs and levels, the sections only the
built-in content may hold (emergency numbers by region, when to get pain looked
at, who the guide is not for, when the diary says to see someone), and the
sources they cite. The cache holds them like any other content; a cache whose
safety content does not match this digest is not used, so no cache file, however
it was edited, can weaken a warning sign or change an emergency number. When that content changes,
``tests/test_boundary.py`` fails and names the new value.
"""

SCREENING = "b8b7bda8ac653d13ede525bca42da2eec45b8891a7da1822f3a38b88fe9961f5"
