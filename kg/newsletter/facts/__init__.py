"""The facts of one news item, one module per kind of fact.

:mod:`~kg.newsletter.facts.kinds` (legislation, enforcement, litigation, policy; the sector),
:mod:`~kg.newsletter.facts.penalties` (fines, confiscations, detention, prison, damages),
:mod:`~kg.newsletter.facts.titles` (the instruments an item names, and which it reports),
:mod:`~kg.newsletter.facts.bodies` (bodies the backbone does not know yet) and
:mod:`~kg.newsletter.facts.parties` (companies and other parties). Each reads text only;
:class:`kg.newsletter.extract.Extractor` puts them together with the linker.
"""
