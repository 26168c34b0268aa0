"""Forms, one module per slice (import from the module: ``dugnads.forms.signup``)."""
