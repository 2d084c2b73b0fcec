"""Indicators at three levels (strategic, programmatic, operational): catalogue, computed and formula
indicators, baselines, targets, observations with disaggregations, the dashboard and bulk import."""
