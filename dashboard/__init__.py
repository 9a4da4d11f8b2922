"""Tilannekuva: social reporting next to wellbeing indicators."""
