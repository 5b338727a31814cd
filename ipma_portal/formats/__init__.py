"""The portal's date formats (FORMAT_MODULE_PATH): one format per language on every page.

Django's English defaults mix "Dec. 14, 2026" (DATE_FORMAT), "12/14/2026" (SHORT_DATE_FORMAT) and
"5:42 a.m." (whose full stop doubles at the end of a sentence). Simplified Chinese is already consistent.
"""
