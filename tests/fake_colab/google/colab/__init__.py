"""A stand-in for Colab's `google.colab` package, for tests that emulate a Colab kernel.

Only what the course and accelerate look at: that `google.colab` imports, and that the IPython
shell is `google.colab._shell.Shell` (accelerate's `notebook_launcher` tests
`"google.colab" in str(get_ipython())`). Put this folder on `sys.path` and call
`google.colab._shell.Shell.instance()` (as a Colab kernel starts its shell) to be "in Colab".
"""
