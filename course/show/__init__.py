"""Pictures that students call: what a person would rather look at than read.

    from course.show import show_tokens, token_labels, plot_attention, draw_cache, plot_shards,
    plot_windows, plot_span_logits
    from course.show import show_loss_mask

Only reads what it is given and draws it; nothing here trains, downloads or grades.
"""
from .attention import plot_attention
from .figures import ecosystem_map, label_scores
from .hub_cache import draw_cache, print_tree
from .loss_mask import show_loss_mask
from .shards import plot_shards
from .spans import plot_span_logits, plot_windows
from .tokens import Piece, compare_tokens, show_tokens, token_labels, token_pieces

__all__ = ["Piece", "compare_tokens", "draw_cache", "ecosystem_map", "label_scores",
           "plot_attention", "plot_shards", "plot_span_logits", "plot_windows", "print_tree",
           "show_loss_mask", "show_tokens", "token_labels", "token_pieces"]
