"""The internationalisation strategy as public policy: strategies, objectives, axes, local stakeholders and
consultations, the SDG catalogue and alignment, negative externalities, and the guided start."""
