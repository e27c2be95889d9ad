"""The newsletter side of the flow: a saved newsletter in, one record per news item out.

newsletter file → :mod:`~kg.newsletter.segment` (text, HTML or Markdown → items) →
:mod:`~kg.newsletter.extract` (items → :mod:`~kg.newsletter.records`, names resolved by
:mod:`~kg.newsletter.link`) → :mod:`~kg.newsletter.evaluate` (records scored against gold).
The records then become graph nodes in :mod:`kg.events`.
"""
