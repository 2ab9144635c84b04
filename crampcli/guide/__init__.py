"""The guide: relief, prevention, foods, remedies, tips, routines and the guided session."""
