"""Colab's kernel shell class lives here, so `str(get_ipython())` names `google.colab._shell`."""
from ipykernel.zmqshell import ZMQInteractiveShell


class Shell(ZMQInteractiveShell):
    """The shell a Colab kernel runs; the real one extends ipykernel's ZMQInteractiveShell too.

    `google.colab._kernel.Kernel` runs it.
    """
