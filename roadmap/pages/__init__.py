"""Pages rendered once per content version and assembled per visitor (see skeleton.py)."""
