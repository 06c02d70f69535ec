"""Colab's kernel shell class lives here, so `str(get_ipython())` names `google.colab._shell`."""
from IPython.core.interactiveshell import InteractiveShell


class Shell(InteractiveShell):
    """The shell a Colab kernel runs (the real one extends ipykernel's ZMQInteractiveShell)."""
