"""What the model reads of a complaint: its title and its text as one string."""

from __future__ import annotations


def model_input(title: str | None, text: str) -> str:
    """``title + ". " + text``; the text alone without a title, the title alone without a text.

    Training rows built from exports, routed requests and stored complaints all go through
    this one function, so the model sees a complaint the same way in training and in service.

    Parameters
    ----------
    title : str or None
        The complaint's title (stripped here); None or blank for none.
    text : str
        The complaint's body.

    Examples
    --------
    >>> model_input("Jalan rusak", "Lubang besar di km 5")
    'Jalan rusak. Lubang besar di km 5'
    >>> model_input(None, "Lubang besar di km 5")
    'Lubang besar di km 5'
    >>> model_input("Jalan rusak", "")
    'Jalan rusak'
    """
    title = (title or "").strip()
    if not title:
        return text
    return f"{title}. {text}" if text else title
