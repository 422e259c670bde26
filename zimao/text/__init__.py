"""Chinese policy-text toolkit: read, normalise (with an offset map), segment, extract facts.

Pure Python with no Django imports, so workers and scripts can use it on their own.
"""
