"""The Dash app: a thin face on the econ library (no model code here)."""
