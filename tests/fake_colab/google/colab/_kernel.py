"""The kernel class a Colab runtime starts; its shell is `google.colab._shell.Shell`.

Start a kernel as Colab's with `--IPKernelApp.kernel_class=google.colab._kernel.Kernel`.
"""
from ipykernel.ipkernel import IPythonKernel
from traitlets import Type

from ._shell import Shell


class Kernel(IPythonKernel):
    """ipykernel's kernel with Colab's shell class."""

    shell_class = Type(Shell)
