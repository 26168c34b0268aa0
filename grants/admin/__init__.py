"""The municipality's grants admin, a module per model group (helpers fill them in)."""
