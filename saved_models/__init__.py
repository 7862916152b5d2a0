"""Shipped weights: installed as the package ``keras_stackgan.saved_models`` (see setup.py)."""
