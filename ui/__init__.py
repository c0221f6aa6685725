"""The Qt Quick touch interface, its view-models, and the composition root (`ui.app`)."""
