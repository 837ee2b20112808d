"""Claims to observations: money to USD, subjects to entities, figures merged per period.

``reconcile_observations`` is the pure core: given evidence (stored claims, their reviews and the
curated reference data) it returns one ``Observation`` per (entity, indicator, period), with every
figure behind it and a conflict flag where the figures disagree.
"""

from airace.reconcile.merge import reconcile_observations

__all__ = ["reconcile_observations"]
